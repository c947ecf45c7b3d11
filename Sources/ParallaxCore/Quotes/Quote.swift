/// Who a quotation is attributed to, and the cue that says so.
public struct Speaker: Sendable, Equatable, Hashable {
    /// How the source is named at the cue.
    public enum Form: String, Sendable, Equatable, Hashable {
        /// A name ("Trump", "Sen. Jane Doe").
        case name
        /// A pronoun ("he", "she", "they"), resolved to the person it stands for where possible.
        case pronoun
        /// A description ("the president", "a source familiar with the call", "the report").
        case description
        /// No cue of its own: the speaker of the quotation it continues or sits in.
        case inherited
    }

    /// The entity the speaker is, when known.
    public var entity: EntityID?
    /// The entity's canonical name, or the phrase naming a speaker that is not an entity
    /// ("a source familiar with the conversation").
    public var name: String
    /// The words at the cue that name the speaker, as written ("he", "the New York businessman").
    public var mention: String
    public var form: Form
    /// The cue, for the status line: "'Hall said' after the quote".
    public var evidence: String

    public init(entity: EntityID?, name: String, mention: String? = nil, form: Form = .name, evidence: String) {
        self.entity = entity
        self.name = name
        self.mention = mention ?? name
        self.form = form
        self.evidence = evidence
    }
}

/// One quotation in one article.
public struct Quote: Sendable, Equatable {
    /// Its index in `QuoteAnalysis.quotes` ("q1", … in the output): in article order, then by offset.
    public var id: QuoteID
    /// `Article.id`.
    public var article: String
    /// Half-open scalar range of the text between the marks (marks excluded).
    public var range: Range<Int>
    public var text: String
    /// A short quoted term with no speaker ("rumor", "nut job"): a scare quote, not a quotation
    /// of what someone said.
    public var isFragment: Bool
    public var speaker: Speaker?
    /// The group of versions of the same utterance; nil for a quote seen once.
    public var cluster: ClusterID?
    /// The quotation this one is nested in (single marks inside double, or doubles inside doubles).
    public var parent: QuoteID?
    /// True for a paragraph that continues the quotation left open by the previous paragraph.
    public var continues: Bool

    public init(
        id: QuoteID, article: String, range: Range<Int>, text: String, isFragment: Bool,
        speaker: Speaker? = nil, cluster: ClusterID? = nil, parent: QuoteID? = nil, continues: Bool = false
    ) {
        self.id = id
        self.article = article
        self.range = range
        self.text = text
        self.isFragment = isFragment
        self.speaker = speaker
        self.cluster = cluster
        self.parent = parent
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
        /// The shorter one occurs inside the longer one (a truncation, a part of a split quote).
        case fragment
        /// The same speaker's words with a few of them replaced (a translation's word choices).
        case paraphrase
    }

    /// `a` is the shorter version, `b` the longer one it was matched against.
    public var a: QuoteID
    public var b: QuoteID
    public var kind: Kind
    /// 0...1.
    public var score: Double

    public init(a: QuoteID, b: QuoteID, kind: Kind, score: Double) {
        self.a = a
        self.b = b
        self.kind = kind
        self.score = score
    }
}

/// Versions of one utterance across the sources.
public struct QuoteCluster: Sendable, Equatable {
    public var id: ClusterID
    /// Quote ids in id order.
    public var quotes: [QuoteID]
    public var links: [QuoteLink]
    /// The longest version.
    public var root: QuoteID

    public init(id: ClusterID, quotes: [QuoteID], links: [QuoteLink], root: QuoteID) {
        self.id = id
        self.quotes = quotes
        self.links = links
        self.root = root
    }
}

public struct QuoteAnalysis: Sendable {
    public var quotes: [Quote]
    public var clusters: [QuoteCluster]
    /// Articles (by id) with opening marks nested deeper than `ExtractQuotes.maxDepth`, and how
    /// many: what they opened was not read as quotations.
    public var tooDeep: [String: Int] = [:]

    public init(quotes: [Quote], clusters: [QuoteCluster]) {
        self.quotes = quotes
        self.clusters = clusters
    }

    public subscript(id: QuoteID) -> Quote { quotes[id.rawValue] }
    public subscript(id: ClusterID) -> QuoteCluster { clusters[id.rawValue] }

    /// One warning line per article in `tooDeep`, by article id, naming the article's file.
    public func depthWarnings(corpus: Corpus, maxDepth: Int = ExtractQuotes.defaultMaxDepth) -> [String] {
        guard !tooDeep.isEmpty else { return [] }
        let paths = Dictionary(corpus.articles.map { ($0.id, $0.path) }, uniquingKeysWith: { first, _ in first })
        return tooDeep.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map {
            "\(paths[$0.key] ?? $0.key): \($0.value) quotation mark\($0.value == 1 ? "" : "s") nested deeper than \(maxDepth) levels not read as quotations"
        }
    }
}
