import Foundation

/// What a file or the manifest says about an article. Unknown stays `nil`: nothing is invented.
public struct ArticleMetadata: Sendable, Equatable, Codable {
    public var title: String?
    public var source: String?
    /// `YYYY-MM-DD`.
    public var date: String?
    public var url: String?

    public init(title: String? = nil, source: String? = nil, date: String? = nil, url: String? = nil) {
        self.title = title
        self.source = source
        self.date = date
        self.url = url
    }
}

public enum ArticleFormat: String, Sendable, Codable {
    case plainText = "text"
    case markdown
    case json
    case jsonLines = "jsonl"
    case builtIn = "builtin"
}

/// A problem met while loading that did not stop the load (shown in the status line, like `less`).
public struct LoadWarning: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

/// One article: the original text untouched, its metadata, and the cleaned reading view on top.
public final class Article: Sendable, Identifiable {
    /// File name without extension (`file#N` for the N-th record of a JSON Lines file, from 1).
    public let id: String
    /// Path as given or found while walking a folder.
    public let path: String
    public let format: ArticleFormat
    public let metadata: ArticleMetadata
    /// The article text all offsets refer to: the whole file for plain text and Markdown
    /// (front matter included), the `maintext`/`text` field for JSON records.
    public let text: TextBuffer
    /// Scalar offset where the reading body starts (after a plain-text headline or date line,
    /// or after Markdown front matter).
    public let bodyStart: Int
    /// Scalar range of the headline line, when the title was read from the text itself.
    public let headlineRange: Range<Int>?
    /// Sorted, non-overlapping scalar ranges hidden in the cleaned reading view
    /// (related-link junk glued into names, a byte order mark).
    public let hiddenRanges: [Range<Int>]
    public let warnings: [LoadWarning]
    public let wordCount: Int

    public init(
        id: String, path: String, format: ArticleFormat, metadata: ArticleMetadata,
        text: TextBuffer, bodyStart: Int, headlineRange: Range<Int>? = nil, hiddenRanges: [Range<Int>],
        warnings: [LoadWarning], wordCount: Int
    ) {
        self.id = id
        self.path = path
        self.format = format
        self.metadata = metadata
        self.text = text
        self.bodyStart = bodyStart
        self.headlineRange = headlineRange
        self.hiddenRanges = hiddenRanges
        self.warnings = warnings
        self.wordCount = wordCount
    }

    /// The range shown in the reading view.
    public var bodyRange: Range<Int> { bodyStart..<text.scalarCount }
}

/// A loaded set of articles plus the warnings for files that were skipped or repaired.
public struct Corpus: Sendable {
    public let articles: [Article]
    public let warnings: [LoadWarning]
    /// Folder the corpus was loaded from, when it was one folder (for the manifest and stores).
    public let root: String?
    /// The annotation labels the corpus manifest names (`annotation.labels`), if any.
    public let annotationLabels: [String]?

    public init(articles: [Article], warnings: [LoadWarning], root: String?, annotationLabels: [String]? = nil) {
        self.articles = articles
        self.warnings = warnings
        self.root = root
        self.annotationLabels = annotationLabels
    }
}

/// A fatal loading error with a one-line, user-facing message.
public struct CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
