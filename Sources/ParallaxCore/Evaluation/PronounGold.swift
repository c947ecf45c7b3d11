import Foundation

/// Referents written down for gold quotes whose source is a pronoun: a TSV with `#` comment
/// lines, then `file<TAB>start<TAB>end<TAB>pronoun<TAB>referent<TAB>note` (a header line starting
/// with `file` is skipped; `?` as referent means unknown).
public struct PronounGold: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// Article id (a trailing `.txt` is dropped).
        public var article: String
        public var range: Range<Int>
        public var pronoun: String
        /// Nil for `?`.
        public var referent: String?
        public var note: String
    }

    /// The file name as given, for the report.
    public var file: String
    public var lines: [Line]

    public init(file: String, lines: [Line]) {
        self.file = file
        self.lines = lines
    }

    public static func load(path: String) throws(EvaluationError) -> PronounGold {
        guard let data = FileManager.default.contents(atPath: path) else { throw EvaluationError("cannot read \(path)") }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ tsv: String, file: String) throws(EvaluationError) -> PronounGold {
        var lines: [Line] = []
        for (n, raw) in textLines(tsv).enumerated() {
            if raw.trimmingCharacters(in: .whitespaces).isEmpty || raw.hasPrefix("#") { continue }
            let cells = raw.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if lines.isEmpty && cells.first?.lowercased() == "file" { continue }
            guard cells.count >= 5, let start = Int(cells[1]), let end = Int(cells[2]), 0 <= start, start <= end else {
                throw EvaluationError("\(file):\(n + 1): expected file, start, end, pronoun, referent[, note] separated by tabs")
            }
            var article = cells[0]
            if article.hasSuffix(".txt") { article.removeLast(4) }
            let referent = cells[4]
            lines.append(
                Line(
                    article: article, range: start..<end, pronoun: cells[3],
                    referent: referent == "?" || referent.isEmpty ? nil : referent,
                    note: cells.count > 5 ? cells[5...].joined(separator: "\t") : ""))
        }
        return PronounGold(file: file, lines: lines)
    }
}
