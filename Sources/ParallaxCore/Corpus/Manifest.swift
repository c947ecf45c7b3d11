import Foundation

/// `manifest.json` in a corpus folder: metadata per article id that overrides what the files say.
///
/// ```json
/// {"version": 1, "articles": {"000_f96229f3062a7620": {"title": "...", "source": null, "date": null}}}
/// ```
/// Only non-null values override; `null` (or a missing key) leaves the file's own value.
public struct CorpusManifest: Sendable, Equatable {
    public static let fileName = "manifest.json"
    public static let supportedVersion = 1

    public var articles: [String: ArticleMetadata]

    public init(articles: [String: ArticleMetadata] = [:]) {
        self.articles = articles
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
        return CorpusManifest(articles: articles)
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
