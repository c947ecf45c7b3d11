/// Who a quotation is attributed to, and the cue that says so.
public struct Speaker: Sendable, Equatable, Hashable {
    /// Index into `EntityAnalysis.entities`, when the speaker is a known entity.
    public var entity: Int?
    /// The entity's canonical name, or the phrase naming a speaker that is not an entity
    /// ("a source familiar with the conversation").
    public var name: String
    /// The cue, for the status line: "'Hall said' after the quote".
    public var evidence: String

    public init(entity: Int?, name: String, evidence: String) {
        self.entity = entity
        self.name = name
        self.evidence = evidence
    }
}

/// One quotation in one article.
public struct Quote: Sendable, Equatable {
    /// "q1", "q2", ...: stable, in article order and then by offset.
    public var id: String
    /// `Article.id`.
    public var article: String
    /// Half-open scalar range of the text between the marks (marks excluded).
    public var range: Range<Int>
    public var text: String
    /// A one- or two-word scare quote ("rumor", "nut job").
    public var isFragment: Bool
    public var speaker: Speaker?
    /// "c1", ...: the group of versions of the same utterance; `nil` for a quote seen once.
    public var cluster: String?
    /// Quotations inside this one (single marks inside double, or doubles inside doubles).
    public var nested: [Range<Int>]
    /// True for a paragraph that continues the quotation left open by the previous paragraph.
    public var continues: Bool

    public init(
        id: String, article: String, range: Range<Int>, text: String, isFragment: Bool,
        speaker: Speaker? = nil, cluster: String? = nil, nested: [Range<Int>] = [], continues: Bool = false
    ) {
        self.id = id
        self.article = article
        self.range = range
        self.text = text
        self.isFragment = isFragment
        self.speaker = speaker
        self.cluster = cluster
        self.nested = nested
        self.continues = continues
    }
}

/// Why two quotations are taken as versions of one utterance.
public struct QuoteLink: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The same words once case, punctuation, quote marks, apostrophes and fillers are ignored.
        case exact
        /// Nearly the same words: a few words added, dropped or changed.
        case variant
        /// The shorter one occurs inside the longer one (a truncation, a scare quote, a part of a split quote).
        case fragment
        /// Matches only through near-synonyms typical of translations ("no clue" / "no idea").
        case paraphrase
    }

    /// Quote ids: `a` is the shorter version, `b` the longer one it was matched against.
    public var a: String
    public var b: String
    public var kind: Kind
    /// 0...1.
    public var score: Double

    public init(a: String, b: String, kind: Kind, score: Double) {
        self.a = a
        self.b = b
        self.kind = kind
        self.score = score
    }
}

/// Versions of one utterance across the sources.
public struct QuoteCluster: Sendable, Equatable {
    public var id: String
    /// Quote ids in id order.
    public var quotes: [String]
    public var links: [QuoteLink]
    /// The longest version.
    public var root: String

    public init(id: String, quotes: [String], links: [QuoteLink], root: String) {
        self.id = id
        self.quotes = quotes
        self.links = links
        self.root = root
    }
}

public struct QuoteAnalysis: Sendable {
    public var quotes: [Quote]
    public var clusters: [QuoteCluster]

    public init(quotes: [Quote], clusters: [QuoteCluster]) {
        self.quotes = quotes
        self.clusters = clusters
    }
}
