/// Word-level checks on the UTF-8 bytes of an article, for the attribution hot paths.
///
/// The attributor's rules were written against `String` and `Character` (split on spaces,
/// first and last character, `lowercased()`). These helpers give the same answers straight
/// from the bytes for ASCII text and the common non-ASCII punctuation, and fall back to the
/// `String` operations wherever a `Character` could span more than one scalar.
enum WordBytes {
    typealias Buffer = UnsafeBufferPointer<UInt8>

    /// A non-ASCII scalar that always forms a `Character` of its own next to a space or an
    /// ASCII character: Latin-1 and Latin Extended letters, spacing modifiers, and the dashes,
    /// quotation marks and bullets of General Punctuation (no combining marks, joiners or
    /// prepended marks).
    @inline(__always) static func isStandalone(_ v: UInt32) -> Bool {
        (v >= 0xA0 && v <= 0x2FF) || (v >= 0x2010 && v <= 0x2027) || (v >= 0x2030 && v <= 0x205E)
    }

    /// True when splitting `bytes` at ASCII space, tab and line-feed bytes gives the same words as
    /// splitting its `String` at those `Character`s: no carriage return (CR LF is one
    /// `Character`), and no space next to a scalar that could join it into one `Character`.
    static func splitsLikeCharacters(_ buf: Buffer, _ bytes: Range<Int>) -> Bool {
        var i = bytes.lowerBound
        var prevSpace = false
        var prevJoins = false
        while i < bytes.upperBound {
            let b = buf[i]
            if b < 0x80 {
                if b == 0x0D { return false }
                let space = b == 0x20
                if space && prevJoins { return false }
                prevSpace = space
                prevJoins = false
                i += 1
            } else {
                let (s, len) = TextBuffer.decodeScalar(buf, at: i)
                let joins = !isStandalone(s.value)
                if joins && prevSpace { return false }
                prevJoins = joins
                prevSpace = false
                i += len
            }
        }
        return true
    }

    /// The word (maximal run of non-separator bytes) that ends at or before `end`, searching back
    /// to `start`; `nil` when there is none.
    @inline(__always)
    static func wordBefore(_ buf: Buffer, _ end: Int, start: Int, _ isSeparator: (UInt8) -> Bool) -> Range<Int>? {
        var hi = end
        while hi > start && isSeparator(buf[hi - 1]) { hi -= 1 }
        if hi == start { return nil }
        var lo = hi - 1
        while lo > start && !isSeparator(buf[lo - 1]) { lo -= 1 }
        return lo..<hi
    }

    @inline(__always) static func string(_ buf: Buffer, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self)
    }

    /// `word.first!.isUppercase` for a non-empty word.
    @inline(__always) static func firstIsUppercase(_ buf: Buffer, _ w: Range<Int>) -> Bool {
        let b0 = buf[w.lowerBound]
        if b0 < 0x80 && (w.count == 1 || buf[w.lowerBound + 1] < 0x80) { return b0 >= 0x41 && b0 <= 0x5A }
        return string(buf, w).first!.isUppercase
    }

    /// The last `Character` of a non-empty word when it is a single ASCII scalar, else `nil`.
    @inline(__always) static func lastASCII(_ buf: Buffer, _ w: Range<Int>) -> UInt8? {
        let b = buf[w.upperBound - 1]
        if b < 0x80 && (w.count == 1 || buf[w.upperBound - 2] < 0x80) { return b }
        return nil
    }

    @inline(__always) static func isOf(_ buf: Buffer, _ w: Range<Int>) -> Bool {
        w.count == 2 && buf[w.lowerBound] == 0x6F && buf[w.lowerBound + 1] == 0x66
    }

    /// True when every scalar of `w` is ASCII or U+2019 (’): each scalar is then a `Character`
    /// of its own, and lower-casing maps A–Z only.
    @inline(__always) static func isSimple(_ buf: Buffer, _ w: Range<Int>) -> Bool {
        var i = w.lowerBound
        while i < w.upperBound {
            let b = buf[i]
            if b < 0x80 { i += 1; continue }
            if b == 0xE2 && i + 2 < w.upperBound && buf[i + 1] == 0x80 && buf[i + 2] == 0x99 { i += 3; continue }
            return false
        }
        return true
    }

    /// `String(word).lowercased()` for a word that `isSimple`.
    @inline(__always) static func simpleLowercased(_ buf: Buffer, _ w: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: w.count) { out in
            var k = 0
            for i in w {
                let c = buf[i]
                out[k] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
                k += 1
            }
            return k
        }
    }

    /// `String(word).lowercased()`.
    @inline(__always) static func lowercased(_ buf: Buffer, _ w: Range<Int>) -> String {
        isSimple(buf, w) ? simpleLowercased(buf, w) : string(buf, w).lowercased()
    }

    /// `Unicode.Scalar.Properties.isWhitespace` for a non-ASCII scalar value.
    @inline(__always) static func isNonASCIIWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Byte length of the UTF-8 sequence that starts with `b`.
    @inline(__always) static func sequenceLength(_ b: UInt8) -> Int {
        b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
    }
}
