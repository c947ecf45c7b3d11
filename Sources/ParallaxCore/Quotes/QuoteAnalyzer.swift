/// Quotations, their speakers, and the versions of one utterance across sources.
public enum QuoteAnalyzer {
    /// Quotations of one article, in offset order, without speakers or clusters (ids "q1"... per article).
    public static func extract(in article: Article) -> [Quote] {
        var quotes: [Quote] = []
        for raw in scan(article) {
            quotes.append(makeQuote(raw, article: article, id: "q\(quotes.count + 1)"))
        }
        return quotes
    }

    /// All articles: quotations with speakers (resolved through `entities`) and clusters.
    public static func analyze(_ corpus: Corpus, entities: EntityAnalysis) -> QuoteAnalysis {
        var (quotes, splits) = attributedQuotes(corpus, entities: entities)
        let clusters = QuoteClusterer.cluster(&quotes, splitTies: splits)
        return QuoteAnalysis(quotes: quotes, clusters: clusters)
    }

    /// Quotations with speakers but no clusters (extraction and attribution only).
    public static func attributed(_ corpus: Corpus, entities: EntityAnalysis) -> [Quote] {
        attributedQuotes(corpus, entities: entities).0
    }

    static func attributedQuotes(_ corpus: Corpus, entities: EntityAnalysis) -> ([Quote], [(Int, Int)]) {
        var quotes: [Quote] = []
        var splits: [(Int, Int)] = []
        let titles = TitleMap(corpus: corpus, entities: entities)
        for article in corpus.articles {
            let raws = scan(article)
            if raws.isEmpty { continue }
            let base = quotes.count
            var local = raws.enumerated().map { makeQuote($0.element, article: article, id: "q\(base + $0.offset + 1)") }
            let attribution = SpeakerAttributor(
                article: article, quotes: raws, mentions: entities.mentionsByArticle[article.id] ?? [],
                entities: entities, titles: titles)
            let result = attribution.run()
            for k in local.indices { local[k].speaker = result.speakers[k] }
            for (a, b) in result.splitTies { splits.append((base + a, base + b)) }
            quotes += local
        }
        return (quotes, splits)
    }

    /// Raw quotations of an article with empty or wordless ones dropped.
    static func scan(_ article: Article) -> [RawQuote] {
        var raws = QuoteExtractor.scan(article.text, hidden: article.hiddenRanges)
        raws = raws.compactMap { raw in
            var r = raw
            r.words = countWords(article.text, raw.range)
            return r.words == 0 ? nil : r
        }
        return raws
    }

    static func makeQuote(_ raw: RawQuote, article: Article, id: String) -> Quote {
        Quote(
            id: id, article: article.id, range: raw.range, text: article.text.string(raw.range),
            isFragment: raw.words <= 2 && !raw.continues && !raw.openEnded, nested: raw.nested, continues: raw.continues)
    }

    /// Runs of letters or digits (an apostrophe or hyphen between letters stays inside a word).
    static func countWords(_ text: TextBuffer, _ range: Range<Int>) -> Int {
        var count = 0
        var inWord = false
        text.forEachScalar(in: range) { s, _ in
            let w = s.isQuoteWordChar
            if w && !inWord { count += 1 }
            if w { inWord = true } else if !(inWord && (s == "'" || s == "\u{2019}" || s == "-")) { inWord = false }
            return true
        }
        return count
    }
}

extension Unicode.Scalar {
    /// A letter or digit, with a fast path for ASCII (Unicode property lookups are slow).
    @inline(__always) var isQuoteWordChar: Bool {
        let v = value
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) }
        return properties.isAlphabetic || properties.numericType != nil
    }

    @inline(__always) var isQuoteLetter: Bool {
        let v = value
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) }
        return properties.isAlphabetic
    }
}
