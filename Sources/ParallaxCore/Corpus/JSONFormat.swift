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

    /// One object or an array of objects.
    static func parseDocument(_ bytes: [UInt8]) -> Result {
        var result = Result()
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(
                with: Data(bytes[TextScanning.bomLength(bytes)...]), options: [.fragmentsAllowed])
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
                value = try JSONSerialization.jsonObject(with: Data(bytes[line.content]), options: [.fragmentsAllowed])
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
