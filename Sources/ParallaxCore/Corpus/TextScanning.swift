import Foundation

/// Small byte-level helpers shared by the format readers. All work on valid UTF-8 bytes and
/// byte offsets; callers convert to scalar offsets with `TextBuffer.scalarOffset(ofByte:)`.
enum TextScanning {
    /// A line: `content` excludes the line break (`\n` or `\r\n`); `next` is where the next line starts.
    struct Line {
        let content: Range<Int>
        let next: Int
    }

    /// The line starting at byte `start`, or nil at the end of the text.
    static func line(in bytes: [UInt8], from start: Int) -> Line? {
        let n = bytes.count
        if start >= n { return nil }
        // memchr: a 50 MB single line is found in a few milliseconds.
        let i = bytes.withUnsafeBufferPointer { buf -> Int in
            guard let base = buf.baseAddress, let hit = memchr(base + start, 0x0A, n - start) else { return n }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        var contentEnd = i
        if contentEnd > start && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        return Line(content: start..<contentEnd, next: min(i + 1, n))
    }

    /// Length of a UTF-8 byte order mark at the start of `bytes` (3 or 0).
    static func bomLength(_ bytes: [UInt8]) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// True when the bytes in `range` are only spaces and tabs (ASCII or no-break space).
    static func isBlank(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            switch bytes[i] {
            case 0x20, 0x09, 0x0B, 0x0C, 0x0D: i += 1
            case 0xC2 where i + 1 < range.upperBound && bytes[i + 1] == 0xA0: i += 2
            default: return false
            }
        }
        return true
    }

    /// Skips blank lines starting at byte `start`; returns the start of the first non-blank line.
    static func skipBlankLines(in bytes: [UInt8], from start: Int) -> Int {
        var p = start
        while let line = line(in: bytes, from: p), isBlank(bytes, line.content) {
            if line.next == p { break }
            p = line.next
        }
        return p
    }

    static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// `YYYY-MM-DD` from the start of a date or date-time string ("2021-01-04",
    /// "2021-01-04 10:00:00", "2021-01-04T10:00:00Z"); nil when it does not start with a valid date.
    static func isoDatePrefix(_ value: String) -> String? {
        let trimmed = value.trimmingWhitespace()
        let u = Array(trimmed.utf8.prefix(11))
        guard u.count >= 10 else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            return v
        }
        guard u[4] == 0x2D, u[7] == 0x2D, let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10)
        else { return nil }
        guard year > 0, (1...12).contains(month), (1...31).contains(day) else { return nil }
        // A date must not run on into more digits ("2021-01-045").
        if u.count == 11 && u[10] >= 0x30 && u[10] <= 0x39 { return nil }
        return String(decoding: u[0..<10], as: UTF8.self)
    }

    /// Whitespace-separated tokens in `range` of `text`, not counting scalars in `hidden`
    /// (sorted, non-overlapping): hidden text is read as absent, as the reading view shows it.
    static func wordCount(_ text: TextBuffer, range: Range<Int>, hidden: [Range<Int>]) -> Int {
        let r = text.clamp(range)
        var visible: [Range<Int>] = []
        var p = r.lowerBound
        for h in hidden where h.upperBound > p && h.lowerBound < r.upperBound {
            if h.lowerBound > p { visible.append(p..<h.lowerBound) }
            p = max(p, h.upperBound)
        }
        if p < r.upperBound { visible.append(p..<r.upperBound) }

        var count = 0
        var inWord = false
        text.bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            for v in visible {
                let br = text.byteRange(v)
                var i = br.lowerBound
                let end = br.upperBound
                while i < end {
                    // Eight ASCII bytes at a time: a bit 7 per byte marks white space, and a word
                    // starts at each non-space byte whose previous byte is a space.
                    if i + 8 <= end {
                        // Byte k of the text in bits 8k…8k+7, whatever the machine's byte order.
                        let x = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                        let highs: UInt64 = 0x8080_8080_8080_8080, lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
                        if x & highs == 0 {
                            let t = x ^ 0x2020_2020_2020_2020
                            let blank = ~(((t & lows) &+ lows) | t) & highs  // byte == 0x20
                            let atLeast9 = (x &+ 0x7777_7777_7777_7777) & highs
                            let atLeast14 = (x &+ 0x7272_7272_7272_7272) & highs
                            let space = blank | (atLeast9 & ~atLeast14)  // or 0x09…0x0D
                            let word = ~space & highs
                            let before = (space << 8) | (inWord ? 0 : 0x80)
                            count += (word & before).nonzeroBitCount
                            inWord = word >> 63 != 0
                            i += 8
                            continue
                        }
                    }
                    let b = base[i]
                    if b < 0x80 {
                        // Branch-light ASCII path: a word starts where a non-space follows a space.
                        let space = b == 0x20 || (b &- 0x09) <= 0x04
                        if !space && !inWord { count += 1 }
                        inWord = !space
                        i += 1
                        continue
                    }
                    let (s, len) = TextBuffer.decodeScalar(buf, at: i)
                    let space = isNonASCIIWhitespace(s.value)
                    if !space && !inWord { count += 1 }
                    inWord = !space
                    i += len
                }
            }
        }
        return count
    }

    /// Unicode White_Space above ASCII, spelled out: the property lookup is slow in hot loops.
    @inline(__always)
    static func isNonASCIIWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Sorts and merges overlapping or touching ranges.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        let sorted = ranges.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        var out: [Range<Int>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}

extension String {
    /// The string without leading and trailing whitespace (Unicode-aware, no Foundation needed).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
