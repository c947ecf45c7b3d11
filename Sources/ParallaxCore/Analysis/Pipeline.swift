/// Everything the analysis found in a corpus.
public struct Analysis: Sendable {
    public var docs: [Doc]
    public var entities: EntityAnalysis
    public var quotes: QuoteAnalysis

    public init(docs: [Doc], entities: EntityAnalysis, quotes: QuoteAnalysis) {
        self.docs = docs
        self.entities = entities
        self.quotes = quotes
    }
}

/// The analysis as a sequence of stages over one document model, as spaCy's pipeline: each
/// article is tokenized once into a `Doc`; then entities are recognised (`RecognizeEntities`)
/// and linked across sources (`LinkEntities`), and the user's corrections applied
/// (`EntityCorrections`, so quotes are attributed to the corrected entities); quotations are found (`ExtractQuotes`), classified
/// and attributed (`AttributeSpeakers`), and clustered across sources (`ClusterQuotes`). Each
/// stage is a value with explicit inputs and outputs and can be run and evaluated on its own.
public struct Pipeline: Sendable {
    public var recognize = RecognizeEntities()
    public var link = LinkEntities()
    public var extract = ExtractQuotes()
    public var attribute = AttributeSpeakers()
    public var cluster = ClusterQuotes()

    public init() {}

    public static let standard = Pipeline()

    /// One `Doc` per article, in corpus order.
    public func tokenize(_ corpus: Corpus) -> [Doc] {
        corpus.articles.map { Doc($0) }
    }

    /// Entity mentions of every document, linked into entities.
    public func entities(_ docs: [Doc]) -> EntityAnalysis {
        link.run(docs: docs, mentions: recognize.run(docs))
    }

    /// Entities with the user's corrections applied after linking.
    public func entities(_ docs: [Doc], corrections: EntityCorrections) -> EntityAnalysis {
        corrections.apply(to: entities(docs), articles: docs.map(\.article.id))
    }

    /// Quotations of every document, with speakers and clusters. Ids follow article order, then offsets.
    public func quotes(_ docs: [Doc], entities: EntityAnalysis) -> QuoteAnalysis {
        let facts = PersonFacts(docs: docs, entities: entities)
        var quotes: [Quote] = []
        var tooDeep: [String: Int] = [:]
        for doc in docs {
            let (raw, deep) = extract.counting(doc)
            if deep > 0 { tooDeep[doc.article.id] = deep }
            let attributions = attribute.run(doc: doc, raw: raw, entities: entities, facts: facts)
            var idOfRaw = [QuoteID?](repeating: nil, count: raw.count)
            for (k, r) in raw.enumerated() {
                let a = attributions[k]
                if a.kind == .title { continue }
                let id = QuoteID(quotes.count)
                quotes.append(Quote(
                    id: id, article: doc.article.id, range: r.range, text: doc.text.string(r.range),
                    isFragment: a.kind == .scare, speaker: a.speaker, parent: r.parent.flatMap { idOfRaw[$0] },
                    continues: r.continues))
                idOfRaw[k] = id
            }
        }
        var byID: [String: Doc] = [:]
        for d in docs { byID[d.article.id] = d }
        let clusters = cluster.run(&quotes, docs: byID)
        var analysis = QuoteAnalysis(quotes: quotes, clusters: clusters)
        analysis.tooDeep = tooDeep
        return analysis
    }

    /// The whole analysis of a corpus.
    public func run(_ corpus: Corpus, corrections: EntityCorrections = EntityCorrections()) -> Analysis {
        let docs = tokenize(corpus)
        let entities = entities(docs, corrections: corrections)
        return Analysis(docs: docs, entities: entities, quotes: quotes(docs, entities: entities))
    }
}
