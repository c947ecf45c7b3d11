import Foundation

/// JSON and JSON Lines articles, with the field names news-please and similar scrapers write:
/// `title`, `maintext` or `text`, `date_publish` or `date`, `source_domain` or `source`, `url`.
/// The article text is the `maintext`/`text` string value exactly as decoded from the JSON.
enum JSONFormat {
    struct Record {
        /// Position of the record in the file, from 1 (skipped records keep their number).
        let number: Int
        let metadata: ArticleMetadata
        let text: String
    }

    struct Result {
        var records: [Record] = []
        /// How many records the file holds, readable or not (decides between `name` and `name#N`).
        var recordCount = 0
        var warnings: [String] = []
    }

    /// `\uD800`-style escapes of a lone surrogate (which JSON allows and news scrapers write,
    /// but Foundation's parser rejects as "unexpected end of file") become `\uFFFD`; pairs are kept.
    /// Returns the new bytes and how many escapes were replaced, or nil when there were none.
    static func replacingLoneSurrogates(_ b: ArraySlice<UInt8>) -> (bytes: [UInt8], replaced: Int)? {
        func hex(_ i: Int) -> Int? {
            guard i + 4 <= b.endIndex else { return nil }
            var v = 0
            for c in b[i..<(i + 4)] {
                switch c {
                case 0x30...0x39: v = v * 16 + Int(c - 0x30)
                case 0x41...0x46: v = v * 16 + Int(c - 0x41 + 10)
                case 0x61...0x66: v = v * 16 + Int(c - 0x61 + 10)
                default: return nil
                }
            }
            return v
        }
        var out: [UInt8] = []
        var replaced = 0
        var inString = false
        var i = b.startIndex
        var copied = b.startIndex
        while i < b.endIndex {
            let c = b[i]
            if c == 0x22 { inString.toggle(); i += 1; continue }
            // Outside strings, and inside them at anything but an escape, nothing to do.
            guard inString, c == 0x5C, i + 1 < b.endIndex else { i += 1; continue }
            guard b[i + 1] == 0x75, let v = hex(i + 2), (0xD800...0xDFFF).contains(v) else { i += 2; continue }
            if v <= 0xDBFF, i + 12 <= b.endIndex, b[i + 6] == 0x5C, b[i + 7] == 0x75, let low = hex(i + 8), (0xDC00...0xDFFF).contains(low) {
                i += 12  // a pair
                continue
            }
            out += b[copied..<i]
            out += Array("\\ufffd".utf8)
            replaced += 1
            i += 6
            copied = i
        }
        guard replaced > 0 else { return nil }
        out += b[copied...]
        return (out, replaced)
    }

    /// One object or an array of objects.
    static func parseDocument(_ bytes: [UInt8]) -> Result {
        var result = Result()
        let value: Any
        var json = bytes[TextScanning.bomLength(bytes)...]
        if let cleaned = replacingLoneSurrogates(json) {
            result.warnings.append("\(cleaned.replaced) lone surrogate escape\(cleaned.replaced == 1 ? "" : "s") (\\uD800…\\uDFFF) shown as U+FFFD")
            json = cleaned.bytes[...]
        }
        do {
            value = try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
        } catch {
            result.warnings.append("invalid JSON (\(describe(error)))")
            return result
        }
        if let array = value as? [Any] {
            result.recordCount = array.count
            for (i, element) in array.enumerated() {
                add(element, number: i + 1, label: "record \(i + 1)", to: &result)
            }
        } else if value is [String: Any] {
            result.recordCount = 1
            add(value, number: 1, label: "record", to: &result)
        } else {
            result.warnings.append("JSON is neither an object nor an array of objects")
        }
        return result
    }

    /// One object per line; blank lines are skipped, a bad line is skipped with a warning.
    static func parseLines(_ bytes: [UInt8]) -> Result {
        var result = Result()
        var p = TextScanning.bomLength(bytes)
        var lineNumber = 0
        while let line = TextScanning.line(in: bytes, from: p) {
            lineNumber += 1
            p = line.next
            if TextScanning.isBlank(bytes, line.content) { continue }
            result.recordCount += 1
            let number = result.recordCount
            let value: Any
            do {
                var json = bytes[line.content]
                if let cleaned = replacingLoneSurrogates(json) {
                    result.warnings.append("line \(lineNumber): \(cleaned.replaced) lone surrogate escape\(cleaned.replaced == 1 ? "" : "s") shown as U+FFFD")
                    json = cleaned.bytes[...]
                }
                value = try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
            } catch {
                result.warnings.append("line \(lineNumber): invalid JSON, skipped")
                continue
            }
            add(value, number: number, label: "line \(lineNumber)", to: &result)
        }
        return result
    }

    private static func add(_ value: Any, number: Int, label: String, to result: inout Result) {
        guard let object = value as? [String: Any] else {
            result.warnings.append("\(label): not a JSON object, skipped")
            return
        }
        guard let text = nonEmptyString(object["maintext"]) ?? nonEmptyString(object["text"]) else {
            result.warnings.append("\(label): no text (maintext or text), skipped")
            return
        }
        let date = (string(object["date_publish"]) ?? string(object["date"])).flatMap(TextScanning.isoDatePrefix)
        let metadata = ArticleMetadata(
            title: string(object["title"]),
            source: string(object["source_domain"]) ?? string(object["source"]),
            date: date,
            url: string(object["url"]))
        result.records.append(Record(number: number, metadata: metadata, text: text))
    }

    /// A trimmed, non-empty string value (nil for null, numbers and blank strings).
    private static func string(_ value: Any?) -> String? {
        guard let s = value as? String else { return nil }
        let t = s.trimmingWhitespace()
        return t.isEmpty ? nil : t
    }

    /// The string value untouched, when it holds more than whitespace.
    private static func nonEmptyString(_ value: Any?) -> String? {
        guard let s = value as? String, s.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            return nil
        }
        return s
    }

    /// A one-line description of a JSON parsing error.
    private static func describe(_ error: Error) -> String {
        let ns = error as NSError
        let detail = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
        return detail.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
    }
}
