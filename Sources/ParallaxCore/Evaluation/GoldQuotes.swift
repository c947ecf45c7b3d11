/// When two apostrophes `''` count as a double quote mark.
public enum DoubleApostrophes: String, Sendable, CaseIterable, Codable {
    /// In New York Times texts (publisher `nyt`), whose export writes quotes as `''…''`.
    case auto
    case always
    case never

    public func applies(toPublisher publisher: String) -> Bool {
        switch self {
        case .auto: return publisher.lowercased() == "nyt"
        case .always: return true
        case .never: return false
        }
    }
}

/// A gold direct quotation: the text between double marks inside an attribution's content.
public struct GoldQuote: Sendable, Equatable {
    public var article: String
    /// Code points, marks excluded.
    public var range: Range<Int>
    /// The attribution's Source text (segments joined by a space); nil for an attribution without one.
    public var source: String?
    /// Length of the attribution's Content, to keep the innermost of several attributions.
    public var contentLength: Int

    public init(article: String, range: Range<Int>, source: String?, contentLength: Int) {
        self.article = article
        self.range = range
        self.source = source
        self.contentLength = contentLength
    }

    /// True when the source is a bare pronoun ("he", "she", "they", …): PolNeAR marks the
    /// pronoun itself, and a system that resolves it to a name is not wrong.
    public var hasPronounSource: Bool { source.map(SpeakerRule.isBarePronoun) ?? false }
}

/// Direct quotations from attribution contents, by the rules of the data README:
/// - a content's segments are joined when only whitespace or one character separates them;
/// - each joined segment is widened over an adjacent double mark on either side;
/// - every stretch between double marks is one quote, marks excluded; a quote left open at a
///   line end closes there (and one left open at the content's end closes there);
/// - double marks are `"`, `“`, `”`, and `''` where `doubleApostrophes` is on; single marks do not count;
/// - when several attributions yield the same span, the one with the smallest content wins
///   (the innermost; the first in file order on a tie).
public enum GoldQuotes {
    public static func extract(
        article: String, text: ScalarText, annotations: BratDocument, doubleApostrophes: Bool
    ) -> [GoldQuote] {
        var best: [Range<Int>: GoldQuote] = [:]
        for attribution in annotations.attributions {
            let source = attribution.source.flatMap { annotations.surface($0, in: text) }
            for contentID in attribution.contents {
                guard let content = annotations.textBounds[contentID] else { continue }
                for piece in joinedSegments(content.segments, in: text) {
                    let widened = widen(piece, in: text, doubleApostrophes: doubleApostrophes)
                    for range in quotes(in: widened, text: text, doubleApostrophes: doubleApostrophes) {
                        let candidate = GoldQuote(article: article, range: range, source: source, contentLength: content.length)
                        if let kept = best[range], kept.contentLength <= candidate.contentLength { continue }
                        best[range] = candidate
                    }
                }
            }
        }
        return best.values.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
    }

    /// Segments sorted and joined when they overlap, touch, or only whitespace or one character
    /// separates them; clamped to the text.
    static func joinedSegments(_ segments: [Range<Int>], in text: ScalarText) -> [Range<Int>] {
        let clamped = segments.map { min($0.lowerBound, text.count)..<min($0.upperBound, text.count) }
        var out: [Range<Int>] = []
        for s in clamped.sorted(by: { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }) {
            if let last = out.last,
                s.lowerBound - last.upperBound <= 1 || text.isBlank(last.upperBound..<s.lowerBound)
            {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, s.upperBound)
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// Length of the double mark at `i` (1, 2 for `''`), or 0.
    static func markLength(at i: Int, in text: ScalarText, doubleApostrophes: Bool) -> Int {
        guard i >= 0 && i < text.count else { return 0 }
        switch text[i] {
        case "\"", "\u{201C}", "\u{201D}": return 1
        case "'" where doubleApostrophes && i + 1 < text.count && text[i + 1] == "'": return 2
        default: return 0
        }
    }

    /// `range` widened over a double mark just before and just after it.
    static func widen(_ range: Range<Int>, in text: ScalarText, doubleApostrophes: Bool) -> Range<Int> {
        var a = range.lowerBound, b = range.upperBound
        if a > 0 && markLength(at: a - 1, in: text, doubleApostrophes: false) == 1 {
            a -= 1
        } else if doubleApostrophes && a > 1 && text[a - 2] == "'" && text[a - 1] == "'" {
            a -= 2
        }
        b += markLength(at: b, in: text, doubleApostrophes: doubleApostrophes)
        return a..<min(b, text.count)
    }

    /// The non-empty stretches between double marks inside `range`.
    static func quotes(in range: Range<Int>, text: ScalarText, doubleApostrophes: Bool) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var open: Int?
        var i = range.lowerBound
        while i < range.upperBound {
            if text[i] == "\n", let o = open {
                if i > o { out.append(o..<i) }
                open = nil
            }
            let m = markLength(at: i, in: text, doubleApostrophes: doubleApostrophes)
            if m > 0 {
                if let o = open {
                    if i > o { out.append(o..<i) }
                    open = nil
                } else {
                    open = i + m
                }
                i += m
            } else {
                i += 1
            }
        }
        if let o = open, range.upperBound > o { out.append(o..<range.upperBound) }
        return out
    }
}
