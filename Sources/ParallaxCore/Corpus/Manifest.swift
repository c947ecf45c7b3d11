import Foundation

/// `manifest.json` in a corpus folder: metadata per article id that overrides what the files say.
///
/// ```json
/// {"version": 1, "articles": {"000_f96229f3062a7620": {"title": "...", "source": null, "date": null}}}
/// ```
/// Only non-null values override; `null` (or a missing key) leaves the file's own value.
///
/// A corpus may also name the label set its annotators use (the project's coding scheme), which
/// the annotate form offers ahead of the user's config:
/// ```json
/// {"version": 1, "annotation": {"labels": ["claim", "disputed"]}, "articles": {...}}
/// ```
public struct CorpusManifest: Sendable, Equatable {
    public static let fileName = "manifest.json"
    public static let supportedVersion = 1

    public var articles: [String: ArticleMetadata]
    /// `annotation.labels`: the corpus's annotation labels, in order; nil when not given.
    public var labels: [String]?

    public init(articles: [String: ArticleMetadata] = [:], labels: [String]? = nil) {
        self.articles = articles
        self.labels = labels
    }

    public struct Invalid: Error, Sendable, Equatable {
        public let message: String
    }

    /// The file's shape, decoded straight into values: `JSONDecoder` holds a 15 MB manifest
    /// in a small multiple of its size, where a tree of Foundation objects took 18 times it.
    private struct File: Decodable {
        var version: Lenient?
        var articles: [String: Entry]?
        var annotation: Annotation?

        struct Entry: Decodable {
            var title: Lenient?
            var source: Lenient?
            var date: Lenient?
            var url: Lenient?
        }

        struct Annotation: Decodable {
            var labels: [Lenient]?
        }
    }

    /// Any JSON value; kept when it is a string (or an integer, for `version`). A field of the
    /// wrong type is ignored, as a missing one is.
    private struct Lenient: Decodable {
        var string: String?
        var integer: Int?
        var description: String

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                string = s
                description = s
            } else if let i = try? c.decode(Int.self) {
                integer = i
                description = String(i)
            } else if let d = try? c.decode(Double.self) {
                description = String(d)
            } else if let b = try? c.decode(Bool.self) {
                description = String(b)
            } else {
                description = c.decodeNil() ? "null" : "a list or object"
            }
        }
    }

    /// Parses manifest JSON bytes.
    public static func parse(_ bytes: [UInt8]) throws(Invalid) -> CorpusManifest {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch DecodingError.typeMismatch(_, let context) {
            throw Invalid(message: shapeError(context.codingPath))
        } catch DecodingError.valueNotFound(_, let context) {
            throw Invalid(message: shapeError(context.codingPath))
        } catch {
            throw Invalid(message: "invalid JSON")
        }
        if let version = file.version {
            guard version.integer == supportedVersion else {
                throw Invalid(message: "unsupported version \(version.description)")
            }
        }
        guard let entries = file.articles else {
            throw Invalid(message: "no \"articles\" object")
        }
        var articles: [String: ArticleMetadata] = [:]
        articles.reserveCapacity(entries.count)
        for (id, entry) in entries {
            func text(_ value: Lenient?) -> String? {
                guard let s = value?.string else { return nil }
                let t = s.trimmingWhitespace()
                return t.isEmpty ? nil : t
            }
            articles[id] = ArticleMetadata(
                title: text(entry.title), source: text(entry.source),
                date: text(entry.date).flatMap(TextScanning.isoDatePrefix), url: text(entry.url))
        }
        var labels: [String]?
        if let names = file.annotation?.labels {
            var seen: Set<String> = []
            var out: [String] = []
            for name in names {
                guard let s = name.string, !s.trimmingWhitespace().isEmpty else {
                    throw Invalid(message: "annotation.labels must hold non-empty strings")
                }
                let t = s.trimmingWhitespace()
                if seen.insert(t).inserted { out.append(t) }
            }
            guard !out.isEmpty else { throw Invalid(message: "annotation.labels is empty") }
            labels = out
        }
        return CorpusManifest(articles: articles, labels: labels)
    }

    /// What a value of the wrong kind at `path` means, in the manifest's words.
    private static func shapeError(_ path: [CodingKey]) -> String {
        let keys = path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        switch keys.count {
        case 0: return "not a JSON object"
        case 1 where keys[0] == "articles": return "no \"articles\" object"
        case 1 where keys[0] == "annotation": return "\"annotation\" is not an object"
        case 2 where keys[0] == "articles": return "entry \(keys[1]) is not an object"
        case 2 where keys[0] == "annotation" && keys[1] == "labels": return "annotation.labels is not a list"
        default: return "unexpected value at \(keys.joined(separator: "."))"
        }
    }

    /// `base` with every field the manifest gives for `id` replaced.
    public func apply(to base: ArticleMetadata, id: String) -> ArticleMetadata {
        guard let entry = articles[id] else { return base }
        var m = base
        if let v = entry.title { m.title = v }
        if let v = entry.source { m.source = v }
        if let v = entry.date { m.date = v }
        if let v = entry.url { m.url = v }
        return m
    }
}
