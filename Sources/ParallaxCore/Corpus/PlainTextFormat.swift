/// Plain-text articles. The whole file is the article text; the head may carry a date line
/// (` date 2021-01-04 ...`) or a headline, which become metadata and move `bodyStart` past them.
enum PlainTextFormat {
    struct Head: Equatable {
        var metadata = ArticleMetadata()
        /// Byte offset where the body starts.
        var bodyStartByte = 0
    }

    /// Longest line (in scalars) still taken for a headline.
    static let maxHeadlineLength = 200

    static func parseHead(_ bytes: [UInt8]) -> Head {
        let bom = TextScanning.bomLength(bytes)
        var head = Head(bodyStartByte: bom)
        guard let first = TextScanning.line(in: bytes, from: bom) else { return head }
        // Only short prefixes are decoded: a 50 MB single line costs no extra copy here.
        let datePrefix = first.content.lowerBound..<min(first.content.upperBound, first.content.lowerBound + 64)
        if let date = dateLine(TextScanning.string(bytes, datePrefix)) {
            head.metadata.date = date
            head.bodyStartByte = TextScanning.skipBlankLines(in: bytes, from: first.next)
            return head
        }
        if first.content.count <= maxHeadlineLength * 4, let title = headline(TextScanning.string(bytes, first.content)),
            let second = TextScanning.line(in: bytes, from: first.next),
            TextScanning.isBlank(bytes, second.content)
        {
            let body = TextScanning.skipBlankLines(in: bytes, from: second.next)
            if body < bytes.count {
                head.metadata.title = title
                head.bodyStartByte = body
            }
        }
        return head
    }

    /// The date of a ` date YYYY-MM-DD ...` line (leading spaces optional, anything may follow the date).
    static func dateLine(_ line: String) -> String? {
        var rest = Substring(line)
        while let c = rest.first, c == " " || c == "\t" { rest = rest.dropFirst() }
        guard rest.hasPrefix("date") else { return nil }
        rest = rest.dropFirst(4)
        guard let c = rest.first, c == " " || c == "\t" else { return nil }
        while let c = rest.first, c == " " || c == "\t" { rest = rest.dropFirst() }
        return TextScanning.isoDatePrefix(String(rest.prefix(11)))
    }

    /// The headline, when `line` reads like one: one short line with a letter in it, not
    /// ending like a sentence (`.`, `…`, also before a closing quote or bracket), and not a byline.
    static func headline(_ line: String) -> String? {
        let title = line.trimmingWhitespace()
        if title.isEmpty || title.unicodeScalars.count >= maxHeadlineLength { return nil }
        guard title.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { return nil }
        let tail = title.unicodeScalars.reversed().drop { closers.contains($0) }
        guard let last = tail.first else { return nil }
        if sentenceTerminators.contains(last) { return nil }
        if title.hasPrefix("By "), title.unicodeScalars.count < 60 { return nil }
        return title
    }

    static let closers: Set<Unicode.Scalar> = ["\"", "'", "\u{201D}", "\u{2019}", "\u{00BB}", ")", "]"]
    static let sentenceTerminators: Set<Unicode.Scalar> = [".", "\u{2026}", "\u{3002}", "\u{FF0E}"]
}
