/// A quotation found by the system, as plain values: the scorer knows nothing of the analysis.
public struct SystemQuote: Sendable, Equatable {
    /// The article id (the text file's name without extension).
    public var article: String
    /// Code points, marks excluded.
    public var range: Range<Int>
    /// The speaker's name, if any (a pronoun or description resolved to whom it stands for).
    public var speaker: String?
    /// The words at the cue that name the speaker, as written ("he", "the New York businessman");
    /// nil when the same as `speaker`.
    public var mention: String?
    /// The cluster of versions of one utterance the quote is in, if any.
    public var cluster: Int?

    public init(article: String, range: Range<Int>, speaker: String?, mention: String? = nil, cluster: Int? = nil) {
        self.article = article
        self.range = range
        self.speaker = speaker
        self.mention = mention
        self.cluster = cluster
    }
}

/// An article with its gold quotes, ready to score.
public struct QuoteArticle: Sendable {
    public var id: String
    public var publisher: String
    public var text: ScalarText
    public var gold: [GoldQuote]
    /// Whether `''` is a double mark in this text (for telling single-marked quotes apart).
    public var doubleApostrophes: Bool

    public init(id: String, publisher: String, text: ScalarText, gold: [GoldQuote], doubleApostrophes: Bool) {
        self.id = id
        self.publisher = publisher
        self.text = text
        self.gold = gold
        self.doubleApostrophes = doubleApostrophes
    }

    /// The article with the gold quotes of its attribution annotations.
    public init(_ article: AttributedArticle, doubleApostrophes mode: DoubleApostrophes) {
        let dbl = mode.applies(toPublisher: article.publisher)
        self.init(
            id: article.id, publisher: article.publisher, text: article.text,
            gold: GoldQuotes.extract(article: article.id, text: article.text, annotations: article.annotations, doubleApostrophes: dbl),
            doubleApostrophes: dbl)
    }
}

public enum QuoteErrorKind: String, Sendable, Codable, CaseIterable {
    /// A gold quote that no system quote overlaps.
    case missed
    /// A system quote that counts as a false positive and overlaps no missed gold quote.
    case spurious
    /// A missed gold quote that a system quote overlaps by less than 80%.
    case boundary
    /// A matched quote whose gold source is a name and the system has no speaker.
    case noSpeaker = "no-speaker"
    /// A matched quote whose system speaker does not fit the gold source.
    case wrongSpeaker = "wrong-speaker"
}

public struct QuoteError: Sendable, Equatable, Codable {
    public var kind: QuoteErrorKind
    public var article: String
    /// The gold quote's span (the system quote's for `spurious`).
    public var start: Int
    public var end: Int
    /// The text of that span on one line, cut to about 80 characters.
    public var text: String
    /// The system quote's span, when one is involved.
    public var systemStart: Int?
    public var systemEnd: Int?
    public var goldSource: String?
    public var systemSpeaker: String?

    enum CodingKeys: String, CodingKey { case kind, article, start, end, text, systemStart, systemEnd, goldSource, systemSpeaker }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(article, forKey: .article)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(text, forKey: .text)
        try c.encode(systemStart, forKey: .systemStart)
        try c.encode(systemEnd, forKey: .systemEnd)
        try c.encode(goldSource, forKey: .goldSource)
        try c.encode(systemSpeaker, forKey: .systemSpeaker)
    }
}

/// Quote and speaker figures of one publisher.
public struct PublisherQuoteScore: Sendable, Equatable, Codable {
    public var publisher: String
    public var articles: Int
    public var quotes: PRF
    public var speaker: Accuracy
    public var speakerAllSources: Accuracy
}

/// Speakers of quotes whose gold source is a pronoun, judged against the referent a person
/// wrote down for it (see `PronounGold`).
public struct PronounScore: Sendable, Equatable, Codable {
    public var file: String
    /// Lines with a referent (not `?`): right when the system speaker fits the referent.
    public var speaker: Accuracy
    /// Of those, lines whose span no system quote matches (counted wrong).
    public var unmatched: Int
    /// Lines whose referent is `?`.
    public var unresolved: Int
    /// Lines naming an article that is not in the corpus (not counted).
    public var unknownArticle: Int
}

public struct QuoteEvaluation: Sendable, Equatable, Codable {
    public var articles: Int
    public var goldQuotes: Int
    public var systemQuotes: Int
    /// Unmatched system quotes left out of the count: inside a gold quote, or between single marks.
    public var ignoredSystemQuotes: Int
    /// Gold quotes of attributions without a source.
    public var goldWithoutSource: Int
    /// Gold quotes whose source is a bare pronoun.
    public var goldWithPronounSource: Int
    public var quotes: PRF
    /// The headline speaker figure: matched gold quotes whose source is not a bare pronoun.
    public var speaker: Accuracy
    /// The same quotes judged on the words at the cue as written, before pronouns and
    /// descriptions are resolved (PolNeAR marks those words, not whom they stand for).
    public var speakerAsWritten: Accuracy
    /// Matched gold quotes with any source, pronouns included.
    public var speakerAllSources: Accuracy
    /// Sorted by publisher.
    public var publishers: [PublisherQuoteScore]
    public var pronounGold: PronounScore?
    /// Versions of one utterance across articles (`CrossSource`), when measured.
    public var crossSource: CrossSourceScore?
    /// Number of errors of each kind (every kind listed).
    public var errorCounts: [String: Int]
    /// Every error, by kind (in `QuoteErrorKind` order), article and offset.
    public var errors: [QuoteError]

    public func errors(_ kind: QuoteErrorKind) -> [QuoteError] { errors.filter { $0.kind == kind } }
}

/// Scores system quotes against gold quotes, by the rules of the data README:
/// - spans are compared after stripping whitespace and punctuation at both ends; a system quote
///   matches a gold quote when they overlap by at least 80% of the longer span, one-to-one,
///   best overlap ratio first;
/// - unmatched system quotes lying inside a gold quote, or between single marks (`'…'`, `‘…’`),
///   are ignored; every other unmatched system quote is a false positive;
/// - speakers are judged on matched quotes (`SpeakerRule`); the headline figure leaves out gold
///   sources that are bare pronouns and quotes without a source.
public enum QuoteScorer {
    public static func score(articles: [QuoteArticle], system: [SystemQuote], pronounGold: PronounGold? = nil) -> QuoteEvaluation {
        var byArticle: [String: [SystemQuote]] = [:]
        for q in system { byArticle[q.article, default: []].append(q) }

        var total = PRF()
        var speaker = Accuracy(), speakerAll = Accuracy(), speakerWritten = Accuracy()
        var ignored = 0, systemCount = 0, goldCount = 0, noSource = 0, pronounSource = 0
        var errors: [QuoteError] = []
        var publishers: [String: PublisherQuoteScore] = [:]
        var results: [String: ArticleMatch] = [:]

        for article in articles.sorted(by: { $0.id < $1.id }) {
            let quotes = (byArticle[article.id] ?? []).sorted {
                ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound)
            }
            let m = ArticleMatch(article: article, system: quotes)
            results[article.id] = m
            systemCount += quotes.count
            goldCount += article.gold.count
            ignored += m.ignored.count
            noSource += article.gold.filter { $0.source == nil }.count
            pronounSource += article.gold.filter(\.hasPronounSource).count

            var pub = publishers[article.publisher]
                ?? PublisherQuoteScore(publisher: article.publisher, articles: 0, quotes: PRF(), speaker: Accuracy(), speakerAllSources: Accuracy())
            pub.articles += 1
            let counts = PRF(tp: m.systemOfGold.count, fp: m.falsePositives.count, fn: article.gold.count - m.systemOfGold.count)
            pub.quotes = pub.quotes + counts
            total = total + counts

            for (g, gold) in article.gold.enumerated() {
                guard let s = m.systemOfGold[g], let source = gold.source else { continue }
                let q = quotes[s]
                let right = SpeakerRule.isRight(speaker: q.speaker, source: source)
                speakerAll.count(right)
                pub.speakerAllSources.count(right)
                guard !gold.hasPronounSource else { continue }
                speakerWritten.count(SpeakerRule.isRight(speaker: q.mention ?? q.speaker, source: source))
                speaker.count(right)
                pub.speaker.count(right)
                if !right {
                    errors.append(m.error(q.speaker == nil ? .noSpeaker : .wrongSpeaker, gold: g, system: s))
                }
            }
            errors += m.boundaryAndMissErrors()
            publishers[article.publisher] = pub
        }

        let order = Dictionary(uniqueKeysWithValues: QuoteErrorKind.allCases.enumerated().map { ($1, $0) })
        errors.sort { (order[$0.kind]!, $0.article, $0.start, $0.end) < (order[$1.kind]!, $1.article, $1.start, $1.end) }
        return QuoteEvaluation(
            articles: articles.count, goldQuotes: goldCount, systemQuotes: systemCount, ignoredSystemQuotes: ignored,
            goldWithoutSource: noSource, goldWithPronounSource: pronounSource, quotes: total,
            speaker: speaker, speakerAsWritten: speakerWritten, speakerAllSources: speakerAll,
            publishers: publishers.values.sorted { $0.publisher < $1.publisher },
            pronounGold: pronounGold.map { score($0, results: results) }, crossSource: nil,
            errorCounts: Dictionary(uniqueKeysWithValues: QuoteErrorKind.allCases.map { k in (k.rawValue, errors.filter { $0.kind == k }.count) }),
            errors: errors)
    }

    /// Judges the pronoun lines against the system quote matched to each span.
    static func score(_ gold: PronounGold, results: [String: ArticleMatch]) -> PronounScore {
        var out = PronounScore(file: gold.file, speaker: Accuracy(), unmatched: 0, unresolved: 0, unknownArticle: 0)
        for line in gold.lines {
            guard let referent = line.referent else {
                out.unresolved += 1
                continue
            }
            guard let m = results[line.article] else {
                out.unknownArticle += 1
                continue
            }
            guard let s = m.systemQuote(matching: line.range) else {
                out.unmatched += 1
                out.speaker.count(false)
                continue
            }
            out.speaker.count(SpeakerRule.isRight(speaker: m.system[s].speaker, source: referent))
        }
        return out
    }
}

/// The one-to-one matching of one article's system quotes to its gold quotes.
struct ArticleMatch {
    let article: QuoteArticle
    /// Sorted by start.
    let system: [SystemQuote]
    /// Gold index → system index.
    private(set) var systemOfGold: [Int: Int] = [:]
    private(set) var goldOfSystem: [Int: Int] = [:]
    /// Unmatched system quotes inside a gold quote or between single marks.
    private(set) var ignored: Set<Int> = []
    /// Unmatched system quotes that count.
    private(set) var falsePositives: [Int] = []
    private let strippedGold: [Range<Int>]
    private let strippedSystem: [Range<Int>]

    static let minimumOverlap = (numerator: 4, denominator: 5)

    init(article: QuoteArticle, system: [SystemQuote]) {
        self.article = article
        self.system = system
        let text = article.text
        strippedGold = article.gold.map { text.stripped($0.range) }
        strippedSystem = system.map { text.stripped($0.range) }
        let goldIndex = SpanIndex(strippedGold)

        // Candidate pairs: only gold quotes overlapping a system quote can reach 80%.
        var candidates: [(overlap: Int, longer: Int, gold: Int, system: Int)] = []
        for (s, sr) in strippedSystem.enumerated() where !sr.isEmpty {
            for g in goldIndex.overlapping(sr) {
                let gr = strippedGold[g]
                let overlap = min(sr.upperBound, gr.upperBound) - max(sr.lowerBound, gr.lowerBound)
                let longer = max(sr.count, gr.count)
                if overlap * ArticleMatch.minimumOverlap.denominator >= longer * ArticleMatch.minimumOverlap.numerator {
                    candidates.append((overlap, longer, g, s))
                }
            }
        }
        // Best ratio first (compared exactly); ties in text order.
        candidates.sort {
            let l = $0.overlap * $1.longer, r = $1.overlap * $0.longer
            if l != r { return l > r }
            return ($0.gold, $0.system) < ($1.gold, $1.system)
        }
        for c in candidates where systemOfGold[c.gold] == nil && goldOfSystem[c.system] == nil {
            systemOfGold[c.gold] = c.system
            goldOfSystem[c.system] = c.gold
        }

        let rawGold = SpanIndex(article.gold.map(\.range))
        for s in system.indices where goldOfSystem[s] == nil {
            let r = system[s].range
            if !rawGold.containing(r).isEmpty || betweenSingleMarks(r) {
                ignored.insert(s)
            } else {
                falsePositives.append(s)
            }
        }
    }

    /// True when `range` opens right after `'` or `‘` and closes right before `'` or `’`, neither
    /// being half of a `''` double mark.
    func betweenSingleMarks(_ range: Range<Int>) -> Bool {
        let text = article.text
        let a = range.lowerBound, b = range.upperBound
        guard a > 0, b < text.count else { return false }
        let open = text[a - 1], close = text[b]
        guard open == "'" || open == "\u{2018}", close == "'" || close == "\u{2019}" else { return false }
        if article.doubleApostrophes {
            if open == "'" && a > 1 && text[a - 2] == "'" { return false }
            if close == "'" && b + 1 < text.count && text[b + 1] == "'" { return false }
        }
        return true
    }

    /// Missed gold quotes, as `boundary` errors when unmatched system quotes overlap them
    /// (naming the one with the largest overlap), else `missed`; then the false positives that
    /// overlap no missed gold quote, as `spurious`.
    func boundaryAndMissErrors() -> [QuoteError] {
        var out: [QuoteError] = []
        var explained = Set<Int>()
        let unmatchedSystem = system.indices.filter { goldOfSystem[$0] == nil }
        let index = SpanIndex(unmatchedSystem.map { strippedSystem[$0] })
        for g in article.gold.indices where systemOfGold[g] == nil {
            let near = index.overlapping(strippedGold[g]).map { unmatchedSystem[$0] }
            if let s = near.max(by: { overlap(g, $0) < overlap(g, $1) }) {
                explained.formUnion(near)
                out.append(error(.boundary, gold: g, system: s))
            } else {
                out.append(error(.missed, gold: g, system: nil))
            }
        }
        for s in falsePositives where !explained.contains(s) {
            let r = system[s].range
            out.append(
                QuoteError(
                    kind: .spurious, article: article.id, start: r.lowerBound, end: r.upperBound,
                    text: oneLine(article.text.string(r)), systemStart: r.lowerBound, systemEnd: r.upperBound,
                    goldSource: nil, systemSpeaker: system[s].speaker))
        }
        return out
    }

    private func overlap(_ g: Int, _ s: Int) -> Int {
        let a = strippedGold[g], b = strippedSystem[s]
        return min(a.upperBound, b.upperBound) - max(a.lowerBound, b.lowerBound)
    }

    func error(_ kind: QuoteErrorKind, gold g: Int, system s: Int?) -> QuoteError {
        let gold = article.gold[g]
        let sq = s.map { system[$0] }
        return QuoteError(
            kind: kind, article: article.id, start: gold.range.lowerBound, end: gold.range.upperBound,
            text: oneLine(article.text.string(gold.range)), systemStart: sq?.range.lowerBound, systemEnd: sq?.range.upperBound,
            goldSource: gold.source, systemSpeaker: sq?.speaker)
    }

    /// The system quote matched to the gold quote with exactly this span; else the system quote
    /// overlapping `range` best, if by at least 80% of the longer span.
    func systemQuote(matching range: Range<Int>) -> Int? {
        if let g = article.gold.firstIndex(where: { $0.range == range }) { return systemOfGold[g] }
        let r = article.text.stripped(range)
        var best: (index: Int, overlap: Int, longer: Int)?
        for (s, sr) in strippedSystem.enumerated() {
            let overlap = min(sr.upperBound, r.upperBound) - max(sr.lowerBound, r.lowerBound)
            let longer = max(sr.count, r.count)
            guard longer > 0, overlap * ArticleMatch.minimumOverlap.denominator >= longer * ArticleMatch.minimumOverlap.numerator else { continue }
            if best.map({ overlap * $0.longer > $0.overlap * longer }) ?? true { best = (s, overlap, longer) }
        }
        return best?.index
    }
}
