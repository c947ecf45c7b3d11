import ParallaxCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// One drawable glyph of a visual line: width 0 (draws nothing), 1 or 2 columns.
/// Escapes (`^[`, `<U+202E>`) and expanded tabs are split into one glyph per column; their first
/// glyph carries the source `length`, the following ones have length 0 and the same offset.
public struct LayoutGlyph: Equatable, Sendable {
    public var text: String
    public var width: Int
    /// Scalar offset of its first scalar in the article text.
    public var offset: Int
    /// Scalars of the source it stands for.
    public var length: Int
    public var isEscape: Bool

    public init(text: String, width: Int, offset: Int, length: Int, isEscape: Bool = false) {
        self.text = text
        self.width = width
        self.offset = offset
        self.length = length
        self.isEscape = isEscape
    }
}

/// One row of a wrapped pane.
public struct VisualLine: Equatable, Sendable {
    /// Scalar range covered, excluding the newline. Consecutive lines of a paragraph are contiguous:
    /// spaces consumed at a break and hidden text at a break belong to the following line.
    public var start: Int
    public var end: Int
    public var glyphs: [LayoutGlyph]
    /// Columns used (at most the layout width, unless a single glyph is wider than the pane).
    public var width: Int

    public init(start: Int, end: Int, glyphs: [LayoutGlyph], width: Int) {
        self.start = start
        self.end = end
        self.glyphs = glyphs
        self.width = width
    }

    /// The glyphs as text (escapes and tabs included as shown).
    public var text: String { glyphs.map(\.text).joined() }
}

/// Word-wrapped view of a range of an article, anchored on text offsets like `less`.
///
/// Nothing is laid out ahead of time: a visual line is identified by its start offset, and the
/// lines around an offset are computed on demand from the paragraph (source line) holding it.
/// Paragraphs longer than `TextLayout.longParagraph` scalars are split into blocks of about
/// `TextLayout.blockSize` scalars, each starting at a break opportunity near a fixed position
/// (or at a multiple of the width from the paragraph start when there is none), and each block is
/// wrapped on its own. The layout is therefore a pure function of the text and the width: moving
/// forward and back always agree, and memory and time depend on the screen, not the file.
/// The price is that a block start is always a line start, so in such paragraphs the line before
/// it may end a little short (once every few thousand words).
///
/// Not thread-safe (it caches); use from one thread.
public final class TextLayout {
    public let text: TextBuffer
    public let range: Range<Int>
    /// Sorted, merged hidden ranges clipped to `range`.
    public let hidden: [Range<Int>]
    public let width: Int
    public let options: WidthOptions

    /// Paragraphs longer than this many scalars are wrapped block by block.
    public static let longParagraph = 16_384
    /// Approximate block size for long paragraphs, in scalars.
    public static let blockSize = 8_192
    /// How far after a block's nominal start a break opportunity is looked for.
    static let anchorWindow = 1_024

    /// Block size used for long paragraphs: a multiple of the width, so that in a run with no break
    /// opportunity the hard breaks fall on block starts.
    let blockStride: Int

    public init(text: TextBuffer, range: Range<Int>, hidden: [Range<Int>], width: Int, options: WidthOptions = .standard) {
        self.text = text
        let r = text.clamp(range)
        self.range = r
        self.width = max(1, width)
        self.options = options
        self.blockStride = max(self.width, (TextLayout.blockSize / self.width) * self.width)
        var merged: [Range<Int>] = []
        for h in hidden.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let lo = max(h.lowerBound, r.lowerBound), hi = min(h.upperBound, r.upperBound)
            guard lo < hi else { continue }
            if let last = merged.last, lo <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, hi)
            } else {
                merged.append(lo..<hi)
            }
        }
        self.hidden = merged
    }

    /// The reading view of an article: its body minus its hidden ranges, or the original text
    /// of the body when `showHidden` is true.
    public convenience init(article: Article, width: Int, showHidden: Bool = false, options: WidthOptions = .standard) {
        self.init(
            text: article.text, range: article.bodyRange, hidden: showHidden ? [] : article.hiddenRanges,
            width: width, options: options)
    }

    // MARK: Public navigation

    public var firstLineStart: Int { range.lowerBound }

    public func line(at lineStart: Int) -> VisualLine {
        // Frames redraw the same lines again and again: keep the glyphs of recent lines.
        if let cached = lineCache[lineStart] { return cached }
        let p = paragraph(containing: clampOffset(lineStart))
        let seg = segment(containing: lineStart, in: p)
        let start = min(max(lineStart, seg.start), seg.end)
        let line = wrapLine(from: start, limit: seg.end, continuation: start != p.start, buildGlyphs: true).line
        if lineCache.count >= TextLayout.lineCacheSize { lineCache.removeAll(keepingCapacity: true) }
        lineCache[lineStart] = line
        return line
    }

    private var lineCache: [Int: VisualLine] = [:]
    static let lineCacheSize = 1024
    private var lastTopCache: [Int: Int] = [:]

    /// The top line that shows the last line at the bottom of a window `height` lines tall.
    public func lastTop(height: Int) -> Int {
        if let t = lastTopCache[height] { return t }
        let t = move(lastLineStart(), by: -(max(1, height) - 1))
        lastTopCache[height] = t
        return t
    }

    /// The start of the visual line that shows `offset`. Hidden offsets map to the line showing the
    /// next visible text; a newline maps to the last line of its paragraph.
    public func lineStart(containing offset: Int) -> Int {
        let o = visibleForward(clampOffset(offset))
        if o >= range.upperBound { return lastLineStart() }
        let p = paragraph(containing: o)
        let seg = segment(containing: o, in: p)
        let starts = lineStarts(of: seg, paragraphStart: p.start)
        return starts[TextLayout.lastIndex(in: starts, atOrBefore: o)]
    }

    public func lineStart(after lineStart: Int) -> Int? {
        let x = clampOffset(lineStart)
        let p = paragraph(containing: x)
        let seg = segment(containing: x, in: p)
        let starts = lineStarts(of: seg, paragraphStart: p.start)
        let i = TextLayout.lastIndex(in: starts, atOrBefore: x)
        if i + 1 < starts.count { return starts[i + 1] }
        if seg.end < p.contentEnd { return seg.end }
        if p.hasNewline && p.end < range.upperBound { return p.end }
        return nil
    }

    public func lineStart(before lineStart: Int) -> Int? {
        let x = clampOffset(lineStart)
        let p = paragraph(containing: x)
        let seg = segment(containing: x, in: p)
        let starts = lineStarts(of: seg, paragraphStart: p.start)
        let i = TextLayout.lastIndex(in: starts, atOrBefore: x)
        if starts[i] < x { return starts[i] }
        if i > 0 { return starts[i - 1] }
        if seg.start > p.start {
            let prev = segment(containing: seg.start - 1, in: p)
            return lineStarts(of: prev, paragraphStart: p.start).last!
        }
        if p.start > range.lowerBound {
            return lastLineStart(ofParagraph: paragraph(containing: p.start - 1))
        }
        return nil
    }

    public func lastLineStart() -> Int {
        let hi = range.upperBound
        var p = paragraph(containing: hi)
        if p.start == hi && hi > range.lowerBound && !p.hasNewline {
            // The text ends with a newline: no empty line after it.
            p = paragraph(containing: hi - 1)
        }
        return lastLineStart(ofParagraph: p)
    }

    /// Moves `by` lines forward (positive) or back (negative), stopping at the first or last line.
    public func move(_ lineStart: Int, by lines: Int) -> Int {
        var x = lineStart
        if lines > 0 {
            for _ in 0..<lines {
                guard let n = self.lineStart(after: x) else { break }
                x = n
            }
        } else if lines < 0 {
            for _ in 0..<(-lines) {
                guard let p = self.lineStart(before: x) else { break }
                x = p
            }
        }
        return x
    }

    /// Progress through the text, 0...1, by offset (for the position indicator, like less's percent).
    public func fraction(of lineStart: Int) -> Double {
        let n = range.count
        guard n > 0 else { return 1 }
        let x = min(max(lineStart, range.lowerBound), range.upperBound)
        return Double(x - range.lowerBound) / Double(n)
    }

    // MARK: Paragraphs

    struct Paragraph: Equatable {
        /// First scalar of the source line (or of the range).
        var start: Int
        /// End of its content: before "\n" or "\r\n", or the range end.
        var contentEnd: Int
        /// After the newline, or the range end.
        var end: Int
        var hasNewline: Bool
    }

    private var paragraphCache: [Paragraph] = []

    func clampOffset(_ o: Int) -> Int { min(max(o, range.lowerBound), range.upperBound) }

    func paragraph(containing o: Int) -> Paragraph {
        for p in paragraphCache where p.start <= o && (o < p.end || (o == p.end && !p.hasNewline)) {
            return p
        }
        let start = previousNewline(before: o).map { $0 + 1 } ?? range.lowerBound
        let p: Paragraph
        if let nl = nextNewline(from: o) {
            var contentEnd = nl
            if nl > start {
                let b = text.byteOffset(ofScalar: nl)
                if b > 0 && text.bytes[b - 1] == 0x0D { contentEnd = nl - 1 }
            }
            p = Paragraph(start: start, contentEnd: contentEnd, end: nl + 1, hasNewline: true)
        } else {
            p = Paragraph(start: start, contentEnd: range.upperBound, end: range.upperBound, hasNewline: false)
        }
        if paragraphCache.count >= 8 { paragraphCache.removeFirst() }
        paragraphCache.append(p)
        return p
    }

    private func lastLineStart(ofParagraph p: Paragraph) -> Int {
        let seg = segment(containing: p.contentEnd, in: p)
        return lineStarts(of: seg, paragraphStart: p.start).last!
    }

    /// The first visible "\n" at or after `o` within the range.
    func nextNewline(from o: Int) -> Int? {
        var from = text.byteOffset(ofScalar: o)
        let limit = text.byteOffset(ofScalar: range.upperBound)
        return text.bytes.withUnsafeBufferPointer { buf -> Int? in
            guard let base = buf.baseAddress else { return nil }
            while from < limit {
                guard let hit = memchr(base + from, 0x0A, limit - from) else { return nil }
                let b = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let s = text.scalarOffset(ofByte: b)
                if !isHidden(s) { return s }
                from = b + 1
            }
            return nil
        }
    }

    /// The last visible "\n" before `o` within the range.
    func previousNewline(before o: Int) -> Int? {
        let lower = text.byteOffset(ofScalar: range.lowerBound)
        var to = text.byteOffset(ofScalar: o)
        return text.bytes.withUnsafeBufferPointer { buf -> Int? in
            guard let base = buf.baseAddress else { return nil }
            while to > lower {
                guard let hit = TextLayout.lastNewline(base, from: lower, to: to) else { return nil }
                let s = text.scalarOffset(ofByte: hit)
                if !isHidden(s) { return s }
                to = hit
            }
            return nil
        }
    }

    /// Index of the last 0x0A byte in `[from, to)`, scanning eight bytes at a time.
    static func lastNewline(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = to
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let pattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        while i > from {
            while i - from >= 8 {
                let word = UnsafeRawPointer(base + i - 8).loadUnaligned(as: UInt64.self) ^ pattern
                if (word &- ones) & ~word & highs != 0 { break }  // some byte of the word is 0x0A
                i -= 8
            }
            let stop = max(from, i - 8)
            while i > stop {
                i -= 1
                if base[i] == 0x0A { return i }
            }
        }
        return nil
    }

    // MARK: Hidden ranges

    /// Index of the first hidden range ending after `o`.
    func hiddenIndex(after o: Int) -> Int {
        var lo = 0, hi = hidden.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if hidden[mid].upperBound <= o { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func isHidden(_ o: Int) -> Bool {
        let i = hiddenIndex(after: o)
        return i < hidden.count && hidden[i].lowerBound <= o
    }

    /// `o`, or the end of the hidden range holding it.
    func visibleForward(_ o: Int) -> Int {
        let i = hiddenIndex(after: o)
        if i < hidden.count && hidden[i].lowerBound <= o { return hidden[i].upperBound }
        return o
    }

    // MARK: Segments (blocks of long paragraphs)

    struct Segment: Equatable {
        var start: Int
        var end: Int
    }

    private var anchorCache: [Int: Int] = [:]

    /// The segment of paragraph `p` holding `o` (clamped to the paragraph content).
    func segment(containing o: Int, in p: Paragraph) -> Segment {
        if p.contentEnd - p.start <= TextLayout.longParagraph {
            return Segment(start: p.start, end: p.contentEnd)
        }
        let x = min(max(o, p.start), p.contentEnd)
        var k = (x - p.start) / blockStride
        var a = anchor(k, in: p)
        while k > 0 && (a == nil || x < a!) {
            k -= 1
            a = anchor(k, in: p)
        }
        return Segment(start: a ?? p.start, end: anchor(k + 1, in: p) ?? p.contentEnd)
    }

    /// Start of block `k` of a long paragraph: the first break opportunity in a short window after
    /// its nominal start, else the first safe grapheme boundary there, else the nominal start.
    func anchor(_ k: Int, in p: Paragraph) -> Int? {
        if k == 0 { return p.start }
        let t = p.start + k * blockStride
        if t >= p.contentEnd { return nil }
        if let a = anchorCache[t] { return a }
        let windowEnd = min(t + TextLayout.anchorWindow, p.contentEnd)
        var soft: Int?
        var hard: Int?
        var prev: Unicode.Scalar = " "
        var havePrev = false
        text.forEachScalar(in: (t - 1)..<windowEnd) { s, o in
            defer { prev = s; havePrev = true }
            guard havePrev, o >= t else { return true }
            if isHidden(o) || isHidden(o - 1) { return true }
            let v = s.value, pv = prev.value
            if (pv == 0x20 || pv == 0x09) && v > 0x20 && v < 0x7F {
                soft = o
                return false
            }
            if TextLayout.isIdeograph(prev) && TextLayout.isIdeograph(s)
                && !TextLayout.noBreakBefore.contains(v) && !TextLayout.noBreakAfter.contains(pv) {
                soft = o
                return false
            }
            if hard == nil {
                if v >= 0x20 && v < 0x7F && pv < 0x7F && pv != 0x0D {
                    hard = o
                } else if TextLayout.isIdeograph(s) && pv != 0x200D {
                    hard = o
                }
            }
            return true
        }
        let a = soft ?? hard ?? t
        if anchorCache.count > 4096 { anchorCache.removeAll() }
        anchorCache[t] = a
        return a
    }

    static func isIdeograph(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v >= 0x2E80 && DisplayWidth.inTable(v, WidthTables.wideRanges) && !s.properties.isEmojiPresentation
    }

    // MARK: Line starts of a segment (cached)

    private var segmentCache: [Int: [Int]] = [:]
    private var segmentOrder: [Int] = []
    static let segmentCacheSize = 32

    func lineStarts(of seg: Segment, paragraphStart: Int) -> [Int] {
        if let s = segmentCache[seg.start] { return s }
        var starts = [seg.start]
        var x = seg.start
        while true {
            let r = wrapLine(from: x, limit: seg.end, continuation: x != paragraphStart, buildGlyphs: false)
            guard let n = r.next, n < seg.end, n > x else { break }
            starts.append(n)
            x = n
        }
        if segmentOrder.count >= TextLayout.segmentCacheSize {
            segmentCache[segmentOrder.removeFirst()] = nil
        }
        segmentCache[seg.start] = starts
        segmentOrder.append(seg.start)
        return starts
    }

    static func lastIndex(in starts: [Int], atOrBefore x: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if starts[mid] <= x { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    // MARK: Clusters

    enum Kind: Equatable {
        case space, tab, hyphen, dash, letter, wide, escape, other
    }

    struct Cluster {
        var offset: Int
        var length: Int
        var width: Int
        var kind: Kind
        /// The byte for a one-byte ASCII cluster.
        var ascii: UInt8
        /// The cluster text (non-ASCII) or the escape text.
        var text: String?
        var value: UInt32
        var end: Int { offset + length }
    }

    static let asciiStrings: [String] = (0..<128).map { String(Unicode.Scalar(UInt8($0))) }

    static let noBreakBefore: Set<UInt32> = Set("、。，．：；？！）］｝〉》」』】〕〗〙〛ー・々〜ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ…‥".unicodeScalars.map(\.value))
    static let noBreakAfter: Set<UInt32> = Set("（［｛〈《「『【〔〖〘〚".unicodeScalars.map(\.value))

    /// Walks the visible grapheme clusters of `[start, limit)`, skipping hidden ranges.
    struct Cursor {
        let layout: TextLayout
        let buf: UnsafeBufferPointer<UInt8>
        let limit: Int
        var offset: Int
        var byte: Int
        var hiddenIndex: Int
        var pieceEnd: Int = -1
        var pieceEndByte: Int = -1
        var pending: [Cluster] = []
        var pendingIndex = 0

        static let chunkBytes = 256

        init(layout: TextLayout, buf: UnsafeBufferPointer<UInt8>, start: Int, limit: Int) {
            self.layout = layout
            self.buf = buf
            self.limit = limit
            self.offset = start
            self.byte = layout.text.byteOffset(ofScalar: start)
            self.hiddenIndex = layout.hiddenIndex(after: start)
        }

        mutating func next() -> Cluster? {
            if pendingIndex < pending.count {
                pendingIndex += 1
                return pending[pendingIndex - 1]
            }
            let hidden = layout.hidden
            while hiddenIndex < hidden.count && hidden[hiddenIndex].upperBound <= offset { hiddenIndex += 1 }
            if hiddenIndex < hidden.count && hidden[hiddenIndex].lowerBound <= offset {
                offset = hidden[hiddenIndex].upperBound
                byte = layout.text.byteOffset(ofScalar: offset)
                hiddenIndex += 1
                pieceEnd = -1
                return next()
            }
            if offset >= limit { return nil }
            if pieceEnd <= offset {
                pieceEnd = min(limit, hiddenIndex < hidden.count ? hidden[hiddenIndex].lowerBound : limit)
                pieceEndByte = layout.text.byteOffset(ofScalar: pieceEnd)
            }
            let b0 = buf[byte]
            if b0 < 0x80 && (byte + 1 == pieceEndByte || buf[byte + 1] < 0x80) {
                let c = TextLayout.asciiCluster(b0, offset: offset)
                offset += 1
                byte += 1
                return c
            }
            // Non-ASCII (or ASCII followed by combining marks): segment a chunk ending before the
            // next ASCII byte (always a grapheme boundary here), or at a size cap.
            var p = byte + 1
            let cap = byte + Cursor.chunkBytes
            while p < pieceEndByte && buf[p] >= 0x80 && p < cap { p += 1 }
            while p < pieceEndByte && buf[p] & 0xC0 == 0x80 { p += 1 }
            let natural = p == pieceEndByte || buf[p] < 0x80
            let chunk = String(decoding: UnsafeBufferPointer(rebasing: buf[byte..<p]), as: UTF8.self)
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            var o = offset, b = byte
            var iterator = chunk.makeIterator()
            var current = iterator.next()
            while let ch = current {
                let following = iterator.next()
                if following == nil && !natural && !pending.isEmpty { break }  // may continue past the cap
                let n = ch.unicodeScalars.count
                pending.append(TextLayout.cluster(ch, offset: o, length: n, options: layout.options))
                o += n
                b += ch.utf8.count
                current = following
            }
            offset = o
            byte = b
            pendingIndex = 1
            return pending[0]
        }
    }

    static func asciiCluster(_ b: UInt8, offset: Int) -> Cluster {
        switch b {
        case 0x20:
            return Cluster(offset: offset, length: 1, width: 1, kind: .space, ascii: b, text: nil, value: 0x20)
        case 0x09:
            return Cluster(offset: offset, length: 1, width: 1, kind: .tab, ascii: b, text: nil, value: 0x09)
        case 0..<0x20, 0x7F:
            let e = DisplayWidth.escape(for: Unicode.Scalar(b))!
            return Cluster(offset: offset, length: 1, width: e.utf8.count, kind: .escape, ascii: b, text: e, value: UInt32(b))
        case 0x2D:
            return Cluster(offset: offset, length: 1, width: 1, kind: .hyphen, ascii: b, text: nil, value: 0x2D)
        case 0x41...0x5A, 0x61...0x7A:
            return Cluster(offset: offset, length: 1, width: 1, kind: .letter, ascii: b, text: nil, value: UInt32(b))
        default:
            return Cluster(offset: offset, length: 1, width: 1, kind: .other, ascii: b, text: nil, value: UInt32(b))
        }
    }

    static func cluster(_ ch: Character, offset: Int, length: Int, options: WidthOptions) -> Cluster {
        let first = ch.unicodeScalars.first!
        let v = first.value
        if length == 1 {
            if v < 0x80 { return asciiCluster(UInt8(v), offset: offset) }
            if let e = DisplayWidth.escape(for: first) {
                return Cluster(offset: offset, length: 1, width: e.utf8.count, kind: .escape, ascii: 0, text: e, value: v)
            }
        }
        let w = DisplayWidth.width(of: ch, options: options)
        let kind: Kind
        switch v {
        case 0x2013, 0x2014: kind = .dash
        case 0x2010: kind = .hyphen
        default:
            if w == 2 { kind = .wide } else if first.properties.isAlphabetic { kind = .letter } else { kind = .other }
        }
        return Cluster(offset: offset, length: length, width: w, kind: kind, ascii: 0, text: String(ch), value: v)
    }

    // MARK: Greedy wrapping of one line

    /// Lays out the line starting at `start`. `next` is nil when the segment ends with this line.
    /// Continuation lines skip leading spaces (consumed at the break).
    func wrapLine(from start: Int, limit: Int, continuation: Bool, buildGlyphs: Bool) -> (line: VisualLine, next: Int?) {
        text.bytes.withUnsafeBufferPointer { buf in
            var cursor = Cursor(layout: self, buf: buf, start: start, limit: limit)
            var glyphs: [LayoutGlyph] = []
            var count = 0          // glyph count (tracked even when glyphs are not built)
            var col = 0
            var keptCount = 0, keptEnd = start, keptCol = 0  // through the last non-space cluster
            var lastEnd = start
            var breakPoint: (count: Int, end: Int, col: Int)?
            var prevKind: Kind?
            var prevPrevKind: Kind?
            var prevValue: UInt32 = 0
            var sawContent = false

            func finish(count n: Int, end: Int, col: Int, more: Bool) -> (line: VisualLine, next: Int?) {
                if buildGlyphs && glyphs.count > n { glyphs.removeSubrange(n...) }
                let next: Int? = more ? end : nil
                return (VisualLine(start: start, end: next ?? limit, glyphs: glyphs, width: col), next)
            }
            /// True when a non-space visible cluster follows before the limit.
            func hasMoreContent(_ cursor: inout Cursor) -> Bool {
                while let c = cursor.next() {
                    if c.kind != .space && c.kind != .tab { return true }
                }
                return false
            }

            while let c = cursor.next() {
                if c.kind == .space || c.kind == .tab {
                    if continuation && !sawContent { lastEnd = c.end; continue }
                    if col >= width {
                        // Break at the space: trailing spaces are consumed.
                        if keptCount == 0 {
                            return finish(count: count, end: c.offset, col: col, more: hasMoreContent(&cursor))
                        }
                        return finish(count: keptCount, end: keptEnd, col: keptCol, more: hasMoreContent(&cursor))
                    }
                    var w = 1
                    if c.kind == .tab { w = min(options.tabWidth - col % options.tabWidth, width - col) }
                    if buildGlyphs {
                        for i in 0..<w {
                            glyphs.append(LayoutGlyph(text: " ", width: 1, offset: c.offset, length: i == 0 ? 1 : 0))
                        }
                    }
                    count += w
                    col += w
                    lastEnd = c.end
                    prevPrevKind = prevKind
                    prevKind = .space
                    prevValue = c.value
                    continue
                }
                // A break opportunity before this cluster?
                if let p = prevKind {
                    var opportunity = false
                    if p == .space {
                        opportunity = keptCount > 0
                    } else if p == .hyphen {
                        opportunity = prevPrevKind == .letter && c.kind == .letter
                    } else if p == .dash || c.kind == .dash {
                        opportunity = true
                    } else if p == .wide && c.kind == .wide {
                        opportunity = !TextLayout.noBreakBefore.contains(c.value) && !TextLayout.noBreakAfter.contains(prevValue)
                    }
                    if opportunity { breakPoint = (keptCount, keptEnd, keptCol) }
                }
                if col + c.width > width && col > 0 {
                    if let b = breakPoint, b.count > 0 {
                        return finish(count: b.count, end: b.end, col: b.col, more: true)
                    }
                    return finish(count: count, end: lastEnd, col: col, more: true)
                }
                if buildGlyphs {
                    TextLayout.appendGlyphs(of: c, to: &glyphs)
                }
                count += c.kind == .escape ? c.width : 1
                col += c.width
                sawContent = true
                keptCount = count
                keptEnd = c.end
                keptCol = col
                lastEnd = c.end
                prevPrevKind = prevKind
                prevKind = c.kind
                prevValue = c.value
            }
            return finish(count: count, end: limit, col: col, more: false)
        }
    }

    static func appendGlyphs(of c: Cluster, to glyphs: inout [LayoutGlyph]) {
        if c.kind == .escape, let e = c.text {
            var first = true
            for s in e.unicodeScalars {
                glyphs.append(LayoutGlyph(text: asciiStrings[Int(s.value)], width: 1, offset: c.offset, length: first ? c.length : 0, isEscape: true))
                first = false
            }
            return
        }
        let t = c.text ?? asciiStrings[Int(c.ascii)]
        glyphs.append(LayoutGlyph(text: t, width: c.width, offset: c.offset, length: c.length))
    }
}
