/// Measures whether versions of one utterance in different articles end up in one cluster, and
/// whether different utterances stay apart.
///
/// An attribution corpus rarely reports one quotation in two of its articles, so the test set
/// is built from it: every gold quotation of 8 words or more is reported again by a second
/// "outlet" (one rewritten article per original), identical, truncated to a part of 8 words or
/// more, or with a filler ("um,") inserted, in another attribution (`"…," said Doe.`,
/// `Doe told reporters: “…”`, `According to Doe, "…"`), among the article's other quotations in
/// shuffled order; the choices are seeded, so the set is the same on every run.
///
/// Two gold quotations of different articles are one utterance when, in words (lower case,
/// punctuation ignored, fillers dropped), one is the other or contains it and the shorter has
/// 8 words or more. Two are different utterances when they share less than half of the
/// shorter one's words; pairs in between (variants) are counted in neither.
public enum CrossSource {
    public static let minimumWords = 8
    static let fillers: Set<String> = ["um", "uh", "er", "erm", "ah", "hmm"]

    /// The rewritten articles (id, text) and their gold quotations.
    public static func rewrites(of articles: [QuoteArticle], seed: UInt64 = 2016) -> [(id: String, text: String, article: QuoteArticle)] {
        var rng = SplitMix64(seed: seed)
        var out: [(String, String, QuoteArticle)] = []
        for a in articles {
            var pieces: [(body: String, quote: Range<Int>, source: String?)] = []
            for g in a.gold {
                let r = a.text.stripped(g.range)
                let quote = a.text.string(r)
                let ws = wordRanges(quote)
                guard ws.count >= minimumWords else { continue }
                var version = quote
                switch rng.next() % 3 {
                case 1:
                    // A contiguous part of at least `minimumWords` words.
                    let length = minimumWords + Int(rng.next() % UInt64(ws.count - minimumWords + 1))
                    let first = Int(rng.next() % UInt64(ws.count - length + 1))
                    let scalars = Array(quote.unicodeScalars)
                    version = String(String.UnicodeScalarView(scalars[ws[first].lowerBound..<ws[first + length - 1].upperBound]))
                case 2:
                    let scalars = Array(quote.unicodeScalars)
                    let cut = ws[min(2, ws.count - 1)].upperBound
                    version = String(String.UnicodeScalarView(scalars[..<cut])) + ", um," + String(String.UnicodeScalarView(scalars[cut...]))
                default:
                    break
                }
                let speaker = speakerName(g.source)
                let n = version.unicodeScalars.count
                let body: String
                let start: Int
                switch rng.next() % 3 {
                case 0:
                    body = "\"" + version + ",\" said " + speaker + "."
                    start = 1
                case 1:
                    body = speaker + " told reporters: \u{201C}" + version + "\u{201D}"
                    start = speaker.unicodeScalars.count + 18
                default:
                    body = "According to " + speaker + ", \"" + version + "\""
                    start = 13 + speaker.unicodeScalars.count + 3
                }
                pieces.append((body, start..<(start + n), g.source))
            }
            guard !pieces.isEmpty else { continue }
            // Shuffled (Fisher-Yates), each paragraph after a sentence of its own.
            for i in stride(from: pieces.count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                pieces.swapAt(i, j)
            }
            var text = "Another outlet reports\n\n"
            var gold: [GoldQuote] = []
            let id = a.id + "~outlet"
            for p in pieces {
                text += "The story went on.\n\n"
                let base = text.unicodeScalars.count
                gold.append(GoldQuote(article: id, range: (base + p.quote.lowerBound)..<(base + p.quote.upperBound), source: p.source, contentLength: 0))
                text += p.body + "\n\n"
            }
            let qa = QuoteArticle(id: id, publisher: a.publisher + "~outlet", text: ScalarText(text), gold: gold, doubleApostrophes: false)
            out.append((id, text, qa))
        }
        return out
    }

    /// A name to attribute a rewritten quotation to: the gold source's last word when it is a
    /// name, else "an official".
    static func speakerName(_ source: String?) -> String {
        guard let source, let last = SpeakerRule.words(source).last, !SpeakerRule.isBarePronoun(source) else { return "an official" }
        let original = source.split(separator: " ").last.map(String.init) ?? last
        guard let f = original.unicodeScalars.first, f.properties.isUppercase else { return "an official" }
        return original.trimmingCharacters(in: .punctuationCharacters)
    }

    /// Ranges of the words of `s` (letters and digits, with inner apostrophes and hyphens).
    static func wordRanges(_ s: String) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = -1
        let scalars = Array(s.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            let inner = (c == "'" || c == "\u{2019}" || c == "-") && start >= 0 && i + 1 < scalars.count && scalars[i + 1].properties.isAlphabetic
            if c.properties.isAlphabetic || c.properties.numericType != nil || inner {
                if start < 0 { start = i }
            } else if start >= 0 {
                out.append(start..<i)
                start = -1
            }
        }
        if start >= 0 { out.append(start..<scalars.count) }
        return out
    }

    /// The words of a quotation as compared: lower case, apostrophes straight, fillers dropped.
    static func words(_ text: ScalarText, _ r: Range<Int>) -> [String] {
        let s = text.string(r)
        let scalars = Array(s.unicodeScalars)
        return wordRanges(s).map { w in
            String(String.UnicodeScalarView(scalars[w])).lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        }.filter { !fillers.contains($0) }
    }

    static func contains(_ long: [String], _ short: [String]) -> Bool {
        guard short.count <= long.count, !short.isEmpty else { return false }
        for o in 0...(long.count - short.count) where long[o] == short[0] {
            if Array(long[o..<(o + short.count)]) == short { return true }
        }
        return false
    }

    /// Scores the clusters the system gave (through `SystemQuote.cluster`) over `articles`.
    public static func score(articles: [QuoteArticle], system: [SystemQuote]) -> CrossSourceScore {
        var byArticle: [String: [SystemQuote]] = [:]
        for q in system { byArticle[q.article, default: []].append(q) }
        struct Item {
            var article: Int
            var words: [String]
            var cluster: Int?
        }
        var items: [Item] = []
        for (k, a) in articles.enumerated() {
            let quotes = (byArticle[a.id] ?? []).sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
            let m = ArticleMatch(article: a, system: quotes)
            for (g, gold) in a.gold.enumerated() {
                items.append(Item(article: k, words: words(a.text, gold.range), cluster: m.systemOfGold[g].flatMap { quotes[$0].cluster }))
            }
        }
        var score = CrossSourceScore()
        // Every cross-article pair: one utterance, different ones, or a variant in between.
        let sets = items.map { Set($0.words) }
        for i in items.indices {
            for j in items.indices where j > i && items[j].article != items[i].article {
                let (a, b) = items[i].words.count <= items[j].words.count ? (i, j) : (j, i)
                let together = items[a].cluster != nil && items[a].cluster == items[b].cluster
                if items[a].words.count >= minimumWords, contains(items[b].words, items[a].words) {
                    score.sameUtterance += 1
                    if together { score.sameClustered += 1 }
                    continue
                }
                let shared = sets[a].intersection(sets[b]).count
                if shared * 2 >= max(1, sets[a].count) {
                    score.variants += 1
                    continue
                }
                score.differentUtterances += 1
                if together { score.differentJoined += 1 }
            }
        }
        return score
    }
}

/// What `CrossSource.score` counts.
public struct CrossSourceScore: Sendable, Equatable, Codable {
    /// Pairs of versions of one utterance (identical or containing, 8 words or more) in different articles.
    public var sameUtterance = 0
    /// Of those, pairs in one cluster.
    public var sameClustered = 0
    /// Pairs of different utterances (less than half of the shorter's words shared).
    public var differentUtterances = 0
    /// Of those, pairs in one cluster.
    public var differentJoined = 0
    /// Pairs counted in neither (variants of one wording).
    public var variants = 0

    public init() {}

    public var clusteredShare: Double { sameUtterance == 0 ? 1 : Double(sameClustered) / Double(sameUtterance) }
    public var joinedShare: Double { differentUtterances == 0 ? 0 : Double(differentJoined) / Double(differentUtterances) }
}
