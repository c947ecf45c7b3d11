import Foundation

/// W3C `TextQuoteSelector`: the annotated text with up to 32 Unicode scalars of context each side.
public struct QuoteSelector: Sendable, Equatable, Hashable, Codable {
    public var exact: String
    public var prefix: String
    public var suffix: String

    public init(exact: String, prefix: String, suffix: String) {
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
    }

    /// Context length in Unicode scalars.
    public static let contextLength = 32

    /// The selector for `range` (clamped) in `text`.
    public init(range: Range<Int>, in text: TextBuffer) {
        let r = text.clamp(range)
        exact = text.string(r)
        prefix = text.string(max(0, r.lowerBound - QuoteSelector.contextLength)..<r.lowerBound)
        suffix = text.string(r.upperBound..<min(text.scalarCount, r.upperBound + QuoteSelector.contextLength))
    }
}

/// W3C `TextPositionSelector`: a half-open range of Unicode scalar offsets (`start` inclusive, `end` exclusive).
public struct PositionSelector: Sendable, Equatable, Hashable, Codable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
    public var range: Range<Int> { start..<max(start, end) }
}

/// One revision of an annotation as stored: the current state of an annotation is its newest revision.
///
/// `id` is stable across edits; `revision` identifies this row. A deleted annotation's newest
/// revision is a tombstone (`isDeleted`), which keeps the last content for history and undo.
public struct Annotation: Sendable, Equatable, Identifiable, Codable {
    /// UUID string, the same for every revision of one annotation.
    public var id: String
    /// Row number of this revision in its store (0 for annotations that are not stored yet, such as imported ones).
    public var revision: Int64
    /// The revision this one replaced (nil for the first).
    public var supersedes: Int64?
    /// Who made the annotation and in which session (kept through edits).
    public var annotator: String
    public var session: String
    /// ISO 8601 UTC time the annotation was made.
    public var created: String
    /// Who made this revision, in which session, and when.
    public var revisedBy: String
    public var revisedInSession: String
    public var revised: String
    public var articleID: String
    /// SHA-256 hex of the article's UTF-8 bytes when the selectors were taken.
    public var contentHash: String
    public var label: String
    public var note: String
    public var quote: QuoteSelector
    public var position: PositionSelector
    public var isDeleted: Bool

    public init(
        id: String = UUID().uuidString.lowercased(), revision: Int64 = 0, supersedes: Int64? = nil,
        annotator: String, session: String, created: String = ISOTime.now(),
        revisedBy: String? = nil, revisedInSession: String? = nil, revised: String? = nil,
        articleID: String, contentHash: String, label: String, note: String,
        quote: QuoteSelector, position: PositionSelector, isDeleted: Bool = false
    ) {
        self.id = id
        self.revision = revision
        self.supersedes = supersedes
        self.annotator = annotator
        self.session = session
        self.created = created
        self.revisedBy = revisedBy ?? annotator
        self.revisedInSession = revisedInSession ?? session
        self.revised = revised ?? created
        self.articleID = articleID
        self.contentHash = contentHash
        self.label = label
        self.note = note
        self.quote = quote
        self.position = position
        self.isDeleted = isDeleted
    }

    public var range: Range<Int> { position.range }
}

/// What the user confirmed in the annotate form: kept by the caller until the store accepts it.
public struct AnnotationDraft: Sendable, Equatable {
    public var articleID: String
    public var range: Range<Int>
    public var label: String
    public var note: String

    public init(articleID: String, range: Range<Int>, label: String, note: String = "") {
        self.articleID = articleID
        self.range = range
        self.label = label
        self.note = note
    }
}

/// ISO 8601 UTC timestamps with milliseconds (`2025-03-01T09:30:00.000Z`).
public enum ISOTime {
    public static func now() -> String { string(Date()) }

    public static func string(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        var seconds = time_t(floor(t))
        let millis = min(999, Int(((t - floor(t)) * 1000).rounded(.down)))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }
}

/// The default label set for a session, used when the corpus manifest or config gives none.
public enum AnnotationLabels {
    public static let defaults = ["claim", "disputed", "verified", "misattributed", "loaded-language"]

    /// The label set of the annotate form: the corpus manifest's (the project's coding scheme,
    /// shared by everyone annotating the corpus), else the user's config, else the defaults.
    public static func resolve(manifest: [String]?, config: [String]?) -> [String] {
        if let m = manifest, !m.isEmpty { return m }
        if let c = config, !c.isEmpty { return c }
        return defaults
    }
}
