import Foundation

/// A problem with an evaluation input (a missing or malformed gold file), with a one-line message.
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A gold text as Unicode scalars: brat and CoNLL offsets count code points, exactly like
/// `TextBuffer` offsets and Python's `text[start:end]` (no newline translation).
public struct ScalarText: Sendable {
    public let scalars: [Unicode.Scalar]

    public init(_ string: String) { scalars = Array(string.unicodeScalars) }

    /// Reads a UTF-8 file (invalid bytes become U+FFFD, one per bad sequence, as elsewhere).
    public init(contentsOfFile path: String) throws(EvaluationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError("cannot read \(path)")
        }
        self.init(String(decoding: data, as: UTF8.self))
    }

    public var count: Int { scalars.count }

    public subscript(_ i: Int) -> Unicode.Scalar { scalars[i] }

    /// The text of `range`, clamped to the text.
    public func string(_ range: Range<Int>) -> String {
        let lo = max(0, min(range.lowerBound, count)), hi = max(lo, min(range.upperBound, count))
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[lo..<hi])
        return String(s)
    }

    /// `range` without whitespace and punctuation at either end (how quotes are compared).
    public func stripped(_ range: Range<Int>) -> Range<Int> {
        var lo = max(0, range.lowerBound), hi = min(count, range.upperBound)
        while lo < hi && ScalarText.isEdgeJunk(scalars[lo]) { lo += 1 }
        while hi > lo && ScalarText.isEdgeJunk(scalars[hi - 1]) { hi -= 1 }
        return lo..<max(lo, hi)
    }

    static func isEdgeJunk(_ c: Unicode.Scalar) -> Bool {
        if c.properties.isWhitespace { return true }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// True when every scalar of `range` is whitespace.
    func isBlank(_ range: Range<Int>) -> Bool {
        range.allSatisfy { scalars[$0].properties.isWhitespace }
    }
}

/// Precision, recall and F1 from counts.
public struct PRF: Sendable, Equatable, Codable {
    public var tp: Int
    public var fp: Int
    public var fn: Int

    public init(tp: Int = 0, fp: Int = 0, fn: Int = 0) {
        self.tp = tp
        self.fp = fp
        self.fn = fn
    }

    public var precision: Double { tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp) }
    public var recall: Double { tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn) }
    public var f1: Double {
        let p = precision, r = recall
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    enum CodingKeys: String, CodingKey { case tp, fp, fn, precision, recall, f1 }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tp, forKey: .tp)
        try c.encode(fp, forKey: .fp)
        try c.encode(fn, forKey: .fn)
        try c.encode(rounded(precision), forKey: .precision)
        try c.encode(rounded(recall), forKey: .recall)
        try c.encode(rounded(f1), forKey: .f1)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tp = try c.decode(Int.self, forKey: .tp)
        fp = try c.decode(Int.self, forKey: .fp)
        fn = try c.decode(Int.self, forKey: .fn)
    }

    public static func + (a: PRF, b: PRF) -> PRF { PRF(tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn) }
}

/// `right` out of `total`.
public struct Accuracy: Sendable, Equatable, Codable {
    public var right: Int
    public var total: Int

    public init(right: Int = 0, total: Int = 0) {
        self.right = right
        self.total = total
    }

    public var value: Double { total == 0 ? 0 : Double(right) / Double(total) }

    mutating func count(_ isRight: Bool) {
        total += 1
        if isRight { right += 1 }
    }

    enum CodingKeys: String, CodingKey { case right, total, accuracy }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(right, forKey: .right)
        try c.encode(total, forKey: .total)
        try c.encode(rounded(value), forKey: .accuracy)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        right = try c.decode(Int.self, forKey: .right)
        total = try c.decode(Int.self, forKey: .total)
    }
}

/// Figures in JSON carry four decimals, so output does not change with the last bit of a division.
func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

/// Spans sorted by start, for finding the ones that overlap a range without trying every pair.
struct SpanIndex {
    /// (range, payload index), sorted by start then end.
    private let spans: [(range: Range<Int>, index: Int)]
    private let longest: Int

    init(_ ranges: [Range<Int>]) {
        spans = ranges.enumerated().map { ($0.element, $0.offset) }
            .sorted { ($0.range.lowerBound, $0.range.upperBound, $0.index) < ($1.range.lowerBound, $1.range.upperBound, $1.index) }
        longest = ranges.map(\.count).max() ?? 0
    }

    /// Indices of the spans that share at least one position with `range` (empty spans never
    /// do), in order of start.
    func overlapping(_ range: Range<Int>) -> [Int] {
        // Only spans starting after range.lowerBound - longest can reach into range.
        let from = range.lowerBound - longest
        var lo = 0, hi = spans.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if spans[mid].range.lowerBound < from { lo = mid + 1 } else { hi = mid }
        }
        var out: [Int] = []
        var i = lo
        while i < spans.count && spans[i].range.lowerBound <= range.upperBound {
            let r = spans[i].range
            if !r.isEmpty && r.lowerBound < range.upperBound && r.upperBound > range.lowerBound { out.append(spans[i].index) }
            i += 1
        }
        return out
    }

    /// Indices of the spans that contain `range`.
    func containing(_ range: Range<Int>) -> [Int] {
        // A containing span starts at or before range.lowerBound, and no earlier than range.upperBound - longest.
        let from = range.upperBound - longest
        var lo = 0, hi = spans.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if spans[mid].range.lowerBound < from { lo = mid + 1 } else { hi = mid }
        }
        var out: [Int] = []
        var i = lo
        while i < spans.count && spans[i].range.lowerBound <= range.lowerBound {
            if spans[i].range.upperBound >= range.upperBound { out.append(spans[i].index) }
            i += 1
        }
        return out
    }
}

/// `text` on one line (line breaks and tabs as spaces, control characters as `?`), cut to
/// `limit` characters with an ellipsis.
func oneLine(_ text: String, limit: Int = 80) -> String {
    var out = ""
    var n = 0
    for ch in text {
        if n == limit {
            out += "…"
            break
        }
        if ch.isNewline || ch == "\t" {
            out += " "
        } else if ch.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            out += "?"
        } else {
            out.append(ch)
        }
        n += 1
    }
    return out
}

/// The lines of `text`, split at LF only (a CRLF's CR is dropped; `String.split` would keep
/// CRLF as one character and never split there).
func textLines(_ text: String) -> [Substring] {
    text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        var line = Substring(line)
        if line.unicodeScalars.last == "\r" { line = Substring(line.unicodeScalars.dropLast()) }
        return line
    }
}
