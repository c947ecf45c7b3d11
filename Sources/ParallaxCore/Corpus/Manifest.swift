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

    /// Parses manifest JSON bytes.
    public static func parse(_ bytes: [UInt8]) throws(Invalid) -> CorpusManifest {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw Invalid(message: "invalid JSON")
        }
        guard let root = value as? [String: Any] else { throw Invalid(message: "not a JSON object") }
        if let version = root["version"] {
            guard let v = version as? Int, v == supportedVersion else {
                throw Invalid(message: "unsupported version \(version)")
            }
        }
        guard let entries = root["articles"] as? [String: Any] else {
            throw Invalid(message: "no \"articles\" object")
        }
        var articles: [String: ArticleMetadata] = [:]
        for (id, entry) in entries {
            guard let fields = entry as? [String: Any] else { throw Invalid(message: "entry \(id) is not an object") }
            func text(_ key: String) -> String? {
                guard let s = fields[key] as? String else { return nil }
                let t = s.trimmingWhitespace()
                return t.isEmpty ? nil : t
            }
            articles[id] = ArticleMetadata(
                title: text("title"), source: text("source"),
                date: text("date").flatMap(TextScanning.isoDatePrefix), url: text("url"))
        }
        var labels: [String]?
        if let annotation = root["annotation"] {
            guard let table = annotation as? [String: Any] else { throw Invalid(message: "\"annotation\" is not an object") }
            if let list = table["labels"] {
                guard let names = list as? [Any] else { throw Invalid(message: "annotation.labels is not a list") }
                var seen: Set<String> = []
                var out: [String] = []
                for name in names {
                    guard let s = name as? String, !s.trimmingWhitespace().isEmpty else {
                        throw Invalid(message: "annotation.labels must hold non-empty strings")
                    }
                    let t = s.trimmingWhitespace()
                    if seen.insert(t).inserted { out.append(t) }
                }
                guard !out.isEmpty else { throw Invalid(message: "annotation.labels is empty") }
                labels = out
            }
        }
        return CorpusManifest(articles: articles, labels: labels)
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
