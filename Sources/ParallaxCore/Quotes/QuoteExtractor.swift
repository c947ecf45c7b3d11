/// A quotation found by the scanner, before ids, speakers and clusters are given.
struct RawQuote: Sendable {
    /// Text between the marks.
    var range: Range<Int>
    /// From the opening mark to just after the closing mark (or the paragraph end when left open).
    var outer: Range<Int>
    /// The paragraph (line) the quote is in.
    var paragraph: Range<Int>
    var nested: [Range<Int>]
    var continues: Bool
    /// Left open at the end of its paragraph and continued by the next one.
    var openEnded: Bool
    var single: Bool
    var words: Int
}

/// Finds quotations in one pass over the UTF-8 bytes of an article.
///
/// Directional curly marks (“ ” ‘ ’) are matched with a stack, so curly doubles nest inside
/// curly doubles; a straight `"` opens or closes by what flanks it (a space before and a word
/// after opens), falling back to toggling. Single marks are quotation marks only when not
/// flanked by letters or digits on both sides (don’t, Georgia’s) and an opening one must be
/// followed by a letter ('90s is an apostrophe). A paragraph (line) that leaves a double
/// quotation open is continued when the next paragraph opens with a double mark.
/// Hidden ranges are skipped entirely.
enum QuoteExtractor {
    private enum Mark { case double, single }
    private struct Open {
        var mark: Mark
        var markStart: Int  // scalar offset of the opening mark
        var contentStart: Int  // scalar offset after the mark
    }
    private enum CharClass { case space, word, other }

    @inline(__always)
    private static func classify(_ s: Unicode.Scalar) -> CharClass {
        let v = s.value
        if v < 0x80 {
            let b = UInt8(v)
            if (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) { return .word }
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b < 0x20 { return .space }
            return .other
        }
        if v == 0xA0 || v == 0x2028 || v == 0x2029 || (v >= 0x2000 && v <= 0x200B) || v == 0x3000 { return .space }
        if s.properties.isAlphabetic || s.properties.numericType != nil { return .word }
        return .other
    }

    @inline(__always)
    private static func isLetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) }
        return s.properties.isAlphabetic
    }

    /// The first index at or after `from` (and before `limit`) holding `"`, `'`, a line feed or a
    /// non-ASCII byte; `limit` when there is none. Eight bytes at a time.
    @inline(__always)
    private static func plainRunEnd(_ buf: UnsafeBufferPointer<UInt8>, from: Int, limit: Int) -> Int {
        var i = from
        if let base = buf.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= limit {
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                @inline(__always) func hasByte(_ c: UInt64) -> UInt64 {
                    let y = x ^ (c &* ones)
                    return (y &- ones) & ~y & highs
                }
                if (x & highs) | hasByte(0x22) | hasByte(0x27) | hasByte(0x0A) != 0 { break }
                i += 8
            }
        }
        while i < limit {
            let b = buf[i]
            if b >= 0x80 || b == 0x22 || b == 0x27 || b == 0x0A { return i }
            i += 1
        }
        return limit
    }

    static func scan(_ text: TextBuffer, hidden: [Range<Int>]) -> [RawQuote] {
        let hiddenBytes = hidden.map { text.byteRange(text.clamp($0)) }.filter { !$0.isEmpty }
        let hiddenScalars = hidden.map { text.clamp($0) }.filter { !$0.isEmpty }
        return text.bytes.withUnsafeBufferPointer { buf in
            scan(buf, scalarCount: text.scalarCount, hiddenBytes: hiddenBytes, hiddenScalars: hiddenScalars)
        }
    }

    private static func scan(
        _ buf: UnsafeBufferPointer<UInt8>, scalarCount: Int, hiddenBytes: [Range<Int>], hiddenScalars: [Range<Int>]
    ) -> [RawQuote] {
        var out: [RawQuote] = []
        let n = buf.count
        var i = 0  // byte
        var s = 0  // scalar
        var prev: CharClass = .space
        var stack: [Open] = []
        var nestedOfBottom: [Range<Int>] = []
        var paragraphStart = 0
        var pendingContinuation = false
        var paragraphFirstMark = true  // no non-space seen yet in this paragraph
        var continuesThisParagraph = false
        var lastNonSpaceEnd = 0  // scalar offset after the last non-space scalar in the paragraph
        var hiddenIndex = 0
        var firstMarkOffset = -1

        func endParagraph(at end: Int, nextByte: Int) {
            // Left-open double quotation at the bottom of the stack: continued if the next paragraph opens with a double mark.
            var continued = false
            if let bottom = stack.first, bottom.mark == .double {
                var j = nextByte
                while j < n, buf[j] == 0x20 || buf[j] == 0x0A || buf[j] == 0x0D || buf[j] == 0x09 { j += 1 }
                if j < n {
                    if buf[j] == 0x22 { continued = true }
                    if buf[j] == 0xE2 && j + 2 < n && buf[j + 1] == 0x80 && buf[j + 2] == 0x9C { continued = true }
                }
                if continued && lastNonSpaceEnd > bottom.contentStart {
                    out.append(
                        RawQuote(
                            range: bottom.contentStart..<lastNonSpaceEnd, outer: bottom.markStart..<lastNonSpaceEnd,
                            paragraph: paragraphStart..<end, nested: nestedOfBottom,
                            continues: continuesThisParagraph && bottom.markStart == firstMarkOffset,
                            openEnded: true, single: false, words: 0))
                } else {
                    continued = false
                }
            }
            if !continued && !stack.isEmpty {
                // Unclosed: keep the complete quotations found inside it as quotations of their own.
                for r in nestedOfBottom {
                    out.append(
                        RawQuote(
                            range: r, outer: (r.lowerBound - 1)..<(r.upperBound + 1), paragraph: paragraphStart..<end,
                            nested: [], continues: false, openEnded: false, single: false, words: 0))
                }
            }
            stack.removeAll(keepingCapacity: true)
            nestedOfBottom.removeAll(keepingCapacity: true)
            // A blank line between the paragraphs keeps the continuation pending.
            let blank = lastNonSpaceEnd <= paragraphStart
            pendingContinuation = continued || (blank && continuesThisParagraph)
        }

        func close(_ index: Int, markStart: Int, markEnd: Int) {
            let open = stack[index]
            let r = open.contentStart..<markStart
            if index == 0 {
                out.append(
                    RawQuote(
                        range: r, outer: open.markStart..<markEnd, paragraph: paragraphStart..<paragraphStart,
                        nested: nestedOfBottom,
                        continues: continuesThisParagraph && open.markStart == firstMarkOffset,
                        openEnded: false, single: open.mark == .single, words: 0))
                nestedOfBottom.removeAll(keepingCapacity: true)
            } else if !r.isEmpty {
                nestedOfBottom.append(r)
            }
            stack.removeSubrange(index...)
        }

        var paragraphFixStart = 0  // first index in `out` whose paragraph range needs its end
        while i < n {
            if hiddenIndex < hiddenBytes.count && i >= hiddenBytes[hiddenIndex].lowerBound {
                let h = hiddenBytes[hiddenIndex]
                if i < h.upperBound {
                    i = h.upperBound
                    s = hiddenScalars[hiddenIndex].upperBound
                }
                hiddenIndex += 1
                continue
            }
            let b = buf[i]
            // Fast path for runs of ASCII bytes that are not marks or line ends: only the run's last
            // byte and last non-space byte matter.
            if b < 0x80 && b != 0x22 && b != 0x27 && b != 0x0A {
                let limit = hiddenIndex < hiddenBytes.count ? min(n, hiddenBytes[hiddenIndex].lowerBound) : n
                let j = plainRunEnd(buf, from: i + 1, limit: limit)
                var k = j - 1
                while k > i && buf[k] <= 0x20 { k -= 1 }
                if buf[k] > 0x20 {
                    paragraphFirstMark = false
                    lastNonSpaceEnd = s + (k - i) + 1
                }
                let last = buf[j - 1]
                if (last >= 0x61 && last <= 0x7A) || (last >= 0x41 && last <= 0x5A) || (last >= 0x30 && last <= 0x39) {
                    prev = .word
                } else if last <= 0x20 {
                    prev = .space
                } else {
                    prev = .other
                }
                s += j - i
                i = j
                continue
            }
            if b == 0x0A {
                endParagraph(at: s, nextByte: i + 1)
                for k in paragraphFixStart..<out.count where out[k].paragraph.upperBound <= out[k].paragraph.lowerBound {
                    out[k].paragraph = paragraphStart..<s
                }
                paragraphFixStart = out.count
                i += 1
                s += 1
                paragraphStart = s
                lastNonSpaceEnd = s
                continuesThisParagraph = pendingContinuation
                pendingContinuation = false
                paragraphFirstMark = true
                firstMarkOffset = -1
                prev = .space
                continue
            }
            let (scalar, len) = TextBuffer.decodeScalar(buf, at: i)
            let v = scalar.value
            let isDoubleOpen = v == 0x201C
            let isDoubleClose = v == 0x201D
            let isStraightDouble = v == 0x22
            let isSingleOpen = v == 0x2018
            let isSingleClose = v == 0x2019
            let isStraightSingle = v == 0x27
            if isDoubleOpen || isDoubleClose || isStraightDouble || isSingleOpen || isSingleClose || isStraightSingle {
                // Look at the next scalar (not across a line end).
                var next: CharClass = .space
                var nextIsLetter = false
                let j = i + len
                if j < n && buf[j] != 0x0A {
                    let (ns, _) = TextBuffer.decodeScalar(buf, at: j)
                    next = classify(ns)
                    nextIsLetter = isLetter(ns)
                }
                let markStart = s
                let markEnd = s + 1
                if paragraphFirstMark { firstMarkOffset = s }
                if isDoubleOpen || isDoubleClose || isStraightDouble {
                    let nearestDouble = stack.lastIndex { $0.mark == .double }
                    var opens: Bool
                    if isDoubleOpen {
                        opens = true
                    } else if isDoubleClose {
                        opens = nearestDouble == nil && prev == .space && next != .space
                    } else {
                        let canOpen = prev != .word && next != .space
                        let canClose = prev != .space && (next != .word)
                        if nearestDouble != nil && canClose { opens = false }
                        else if canOpen { opens = true }
                        else { opens = nearestDouble == nil }
                    }
                    if opens {
                        stack.append(Open(mark: .double, markStart: markStart, contentStart: markEnd))
                    } else if let k = nearestDouble {
                        close(k, markStart: markStart, markEnd: markEnd)
                    }
                } else {
                    // Single marks: never between two letters or digits.
                    if !(prev == .word && next == .word) {
                        let canOpen = !isSingleClose && prev != .word && nextIsLetter
                        let canClose = !isSingleOpen && prev != .space && next != .word
                        if canClose, let top = stack.last, top.mark == .single {
                            close(stack.count - 1, markStart: markStart, markEnd: markEnd)
                        } else if canOpen {
                            stack.append(Open(mark: .single, markStart: markStart, contentStart: markEnd))
                        }
                    }
                }
                paragraphFirstMark = false
                lastNonSpaceEnd = s + 1
                prev = .other
                i += len
                s += 1
                continue
            }
            let c = classify(scalar)
            if c != .space {
                paragraphFirstMark = false
                lastNonSpaceEnd = s + 1
            }
            prev = c
            i += len
            s += 1
        }
        endParagraph(at: s, nextByte: n)
        for k in paragraphFixStart..<out.count where out[k].paragraph.upperBound <= out[k].paragraph.lowerBound {
            out[k].paragraph = paragraphStart..<s
        }
        _ = scalarCount
        out.sort { $0.range.lowerBound < $1.range.lowerBound }
        return out
    }
}
