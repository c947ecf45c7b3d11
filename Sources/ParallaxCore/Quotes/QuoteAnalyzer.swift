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
        let clusters = QuoteClusterer.cluster(&quotes, splitTies: splits)
        return QuoteAnalysis(quotes: quotes, clusters: clusters)
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
            let w = s.properties.isAlphabetic || s.properties.numericType != nil
            if w && !inWord { count += 1 }
            if w { inWord = true } else if !(inWord && (s == "'" || s == "\u{2019}" || s == "-")) { inWord = false }
            return true
        }
        return count
    }
}
