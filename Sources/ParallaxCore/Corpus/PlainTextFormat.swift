/// Plain-text articles. The whole file is the article text; the head may carry a date line
/// (` date 2021-01-04 ...`) or a headline, which become metadata and move `bodyStart` past them.
enum PlainTextFormat {
    struct Head: Equatable {
        var metadata = ArticleMetadata()
        /// Byte offset where the body starts.
        var bodyStartByte = 0
        /// Bytes of the headline line, when the first line is one.
        var headlineBytes: Range<Int>? = nil
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
                head.headlineBytes = first.content
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

    /// Most words a headline has; a longer first line is the lede.
    static let maxHeadlineWords = 20

    /// The headline, when `line` reads like one: one short line (at most `maxHeadlineWords`
    /// words) with a letter in it, not a byline. Its final punctuation does not matter: many
    /// outlets and archives end headlines with a period ("Outrage, but few options on the table.").
    static func headline(_ line: String) -> String? {
        let title = line.trimmingWhitespace()
        if title.isEmpty || title.unicodeScalars.count >= maxHeadlineLength { return nil }
        guard title.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { return nil }
        if title.hasPrefix("By "), title.unicodeScalars.count < 60 { return nil }
        let words = title.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }).count
        if words > maxHeadlineWords { return nil }
        return title
    }

}
