import Foundation

/// Markdown articles. The whole file is the article text (front matter included);
/// metadata comes from YAML-style front matter or, without it, from the first `# Heading`.
///
/// Front matter is read as simple `key: value` lines (values optionally in single or double
/// quotes). That covers what scrapers and static-site tools write for `title`, `source`,
/// `date` and `url`, so no YAML library is needed; other keys and nested YAML are ignored.
enum MarkdownFormat {
    struct Head {
        var metadata = ArticleMetadata()
        var bodyStartByte = 0
        var warnings: [String] = []
    }

    /// Front matter and the title heading are looked for in the first lines only.
    static let maxHeadLines = 200

    static func parseHead(_ bytes: [UInt8]) -> Head {
        let bom = TextScanning.bomLength(bytes)
        var head = Head(bodyStartByte: bom)
        if let first = TextScanning.line(in: bytes, from: bom), isFence(bytes, first.content, closing: false) {
            var p = first.next
            var fields: [String: String] = [:]
            var lines = 0
            while lines < maxHeadLines, let line = TextScanning.line(in: bytes, from: p) {
                lines += 1
                if isFence(bytes, line.content, closing: true) {
                    head.metadata = ArticleMetadata(
                        title: fields["title"], source: fields["source"],
                        date: fields["date"].flatMap(TextScanning.isoDatePrefix), url: fields["url"])
                    head.bodyStartByte = TextScanning.skipBlankLines(in: bytes, from: line.next)
                    if head.metadata.title == nil, let (title, _) = firstHeading(bytes, from: head.bodyStartByte) {
                        head.metadata.title = title
                    }
                    return head
                }
                if let (key, value) = field(TextScanning.string(bytes, line.content)), fields[key] == nil {
                    fields[key] = value
                }
                p = line.next
            }
            head.warnings.append("front matter not closed with ---, read as text")
        }
        // No front matter: the first `# Heading` is the title; when it opens the file, the body follows it.
        let start = TextScanning.skipBlankLines(in: bytes, from: bom)
        if let (title, line) = firstHeading(bytes, from: bom) {
            head.metadata.title = title
            if line.content.lowerBound == start {
                head.bodyStartByte = TextScanning.skipBlankLines(in: bytes, from: line.next)
            }
        }
        return head
    }

    /// `---` (also `...` to close), trailing spaces allowed.
    static func isFence(_ bytes: [UInt8], _ range: Range<Int>, closing: Bool) -> Bool {
        var end = range.upperBound
        while end > range.lowerBound && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        guard end - range.lowerBound == 3 else { return false }
        let s = bytes[range.lowerBound..<end]
        return s.elementsEqual("---".utf8) || (closing && s.elementsEqual("...".utf8))
    }

    /// A `key: value` line with a known key; nil for other lines, unknown keys, empty or `null` values.
    static func field(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = String(line[..<colon]).trimmingWhitespace().lowercased()
        guard ["title", "source", "date", "url"].contains(key) else { return nil }
        var value = String(line[line.index(after: colon)...]).trimmingWhitespace()
        if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
            value = String(value.dropFirst().dropLast())
            if q == "'" {
                value = value.replacingOccurrences(of: "''", with: "'")
            } else {
                value = value.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
        } else if value == "null" || value == "~" {
            return nil
        }
        if value.isEmpty { return nil }
        return (key, value)
    }

    /// The first ATX level-1 heading (`# Title`) at or after byte `start`.
    static func firstHeading(_ bytes: [UInt8], from start: Int) -> (String, TextScanning.Line)? {
        var p = start
        var inFence = false
        var lines = 0
        while lines < maxHeadLines, let line = TextScanning.line(in: bytes, from: p) {
            lines += 1
            var i = line.content.lowerBound
            while i < line.content.upperBound && bytes[i] == 0x20 { i += 1 }
            let indent = i - line.content.lowerBound
            let rest = bytes[i..<line.content.upperBound]
            if rest.starts(with: "```".utf8) || rest.starts(with: "~~~".utf8) {
                inFence.toggle()
            } else if !inFence, indent <= 3, rest.starts(with: "# ".utf8) || rest.elementsEqual("#".utf8) {
                var title = TextScanning.string(bytes, (i + 1)..<line.content.upperBound).trimmingWhitespace()
                // Optional closing hashes: "# Title #".
                while title.hasSuffix("#") { title = String(title.dropLast()) }
                title = title.trimmingWhitespace()
                if !title.isEmpty { return (title, line) }
            }
            p = line.next
        }
        return nil
    }
}
