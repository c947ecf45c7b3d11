import ParallaxCore

// PROVISIONAL eager layout with the final API; replaced by Layout.swift.
public struct LayoutGlyph: Equatable, Sendable {
    public var text: String
    public var width: Int
    public var offset: Int
    public var length: Int
    public var isEscape: Bool
}

public struct VisualLine: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var glyphs: [LayoutGlyph]
    public var width: Int
}

public final class TextLayout {
    public let width: Int
    private var lines: [VisualLine] = []
    private var starts: [Int] = []

    public init(text: TextBuffer, range: Range<Int>, hidden: [Range<Int>], width: Int) {
        self.width = max(1, width)
        var paragraph: [LayoutGlyph] = []
        var paraStart = range.lowerBound
        func flush(_ end: Int) {
            var cur: [LayoutGlyph] = []
            var w = 0
            var start = paraStart
            var i = 0
            while i < paragraph.count {
                // word
                var j = i
                var ww = 0
                while j < paragraph.count && paragraph[j].text != " " { ww += paragraph[j].width; j += 1 }
                if w + ww > self.width && !cur.isEmpty {
                    lines.append(VisualLine(start: start, end: paragraph[i].offset, glyphs: cur, width: w))
                    cur = []; w = 0; start = paragraph[i].offset
                }
                for k in i..<j { cur.append(paragraph[k]); w += paragraph[k].width }
                i = j
                if i < paragraph.count {
                    if w + 1 <= self.width { cur.append(paragraph[i]); w += 1 }
                    i += 1
                }
            }
            lines.append(VisualLine(start: start, end: end, glyphs: cur, width: w))
            paragraph = []
        }
        text.forEachScalar(in: range) { s, off in
            if hidden.contains(where: { $0.contains(off) }) { return true }
            if s == "\n" { flush(off); paraStart = off + 1; return true }
            if s == "\r" { return true }
            paragraph.append(LayoutGlyph(text: String(Character(s)), width: 1, offset: off, length: 1, isEscape: false))
            return true
        }
        flush(range.upperBound)
        starts = lines.map(\.start)
    }

    public var firstLineStart: Int { starts[0] }
    private func index(_ s: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi { let m = (lo + hi + 1) / 2; if starts[m] <= s { lo = m } else { hi = m - 1 } }
        return lo
    }
    public func line(at lineStart: Int) -> VisualLine { lines[index(lineStart)] }
    public func lineStart(containing offset: Int) -> Int { starts[index(offset)] }
    public func lineStart(after lineStart: Int) -> Int? { let i = index(lineStart); return i + 1 < starts.count ? starts[i + 1] : nil }
    public func lineStart(before lineStart: Int) -> Int? { let i = index(lineStart); return i > 0 ? starts[i - 1] : nil }
    public func lastLineStart() -> Int { starts[starts.count - 1] }
    public func move(_ lineStart: Int, by n: Int) -> Int { starts[min(max(index(lineStart) + n, 0), starts.count - 1)] }
    public func fraction(of lineStart: Int) -> Double { Double(index(lineStart)) / Double(max(1, starts.count - 1)) }
}
