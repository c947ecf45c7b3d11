import Foundation

/// One token of an article: a word, a number or a punctuation mark.
///
/// Offsets are stored as 32-bit values to keep token arrays small; `range` is the half-open
/// range of Unicode scalar offsets into the article text, `byteRange` the same in UTF-8 bytes.
public struct Token: Sendable, Equatable, Hashable {
    public enum Kind: UInt8, Sendable { case word, number, punct }

    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// First letter is upper case.
        public static let capitalised = Flags(rawValue: 1 << 0)
        /// At least two letters, all upper case.
        public static let allCaps = Flags(rawValue: 1 << 1)
        /// First word or number of a sentence.
        public static let sentenceStart = Flags(rawValue: 1 << 2)
        /// A word that keeps its final period ("Mr.", "Gov.", "U.S.", an initial "J.").
        public static let abbreviation = Flags(rawValue: 1 << 3)
        /// The possessive ending "'s", "’s" or a lone apostrophe after a plural ("News'").
        public static let possessive = Flags(rawValue: 1 << 4)
        /// First token of a line.
        public static let lineStart = Flags(rawValue: 1 << 5)
        /// First word after an opening quotation mark.
        public static let quoteStart = Flags(rawValue: 1 << 6)
        /// First letter is lower case.
        public static let lowercase = Flags(rawValue: 1 << 7)
        /// Follows a hidden range (related-link junk) directly.
        public static let afterGap = Flags(rawValue: 1 << 8)
        /// An opening quotation mark or bracket.
        public static let opening = Flags(rawValue: 1 << 9)
        /// A closing quotation mark or bracket.
        public static let closing = Flags(rawValue: 1 << 10)
        /// Contains a hyphen ("President-elect").
        public static let hyphenated = Flags(rawValue: 1 << 11)
        /// First token after a blank line (or of the text): a paragraph starts here.
        public static let paragraphStart = Flags(rawValue: 1 << 12)
        /// Preceded directly by the previous token, with no space between them.
        public static let attached = Flags(rawValue: 1 << 13)
    }

    var start: Int32
    var end: Int32
    var byteStart: Int32
    var byteEnd: Int32
    /// Case-folded hash of the token's text (ASCII letters folded, ’ read as '): the lookup key
    /// for gazetteers, computed without building a `String`.
    public var key: UInt64
    public var kind: Kind
    public var flags: Flags

    public var range: Range<Int> { Int(start)..<Int(end) }
    public var byteRange: Range<Int> { Int(byteStart)..<Int(byteEnd) }
    public var length: Int { Int(end - start) }

    public init(range: Range<Int>, byteRange: Range<Int>, key: UInt64, kind: Kind, flags: Flags) {
        start = Int32(truncatingIfNeeded: range.lowerBound)
        end = Int32(truncatingIfNeeded: range.upperBound)
        byteStart = Int32(truncatingIfNeeded: byteRange.lowerBound)
        byteEnd = Int32(truncatingIfNeeded: byteRange.upperBound)
        self.key = key
        self.kind = kind
        self.flags = flags
    }

    @inline(__always) public func has(_ f: Flags) -> Bool { flags.contains(f) }
}

/// Case-folded FNV-1a hashing shared by the segmenter and the gazetteers.
public enum TokenKey {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    @inline(__always) static func mix(_ h: UInt64, _ b: UInt8) -> UInt64 {
        (h ^ UInt64(b)) &* prime
    }

    /// Hash of bytes, ASCII letters folded to lower case and U+2019 read as an apostrophe.
    public static func hash(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var h = offset
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = buf[i]
            if b < 0x80 {
                h = mix(h, (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b)
                i += 1
            } else if b == 0xE2 && i + 2 < end && buf[i + 1] == 0x80 && buf[i + 2] == 0x99 {
                h = mix(h, 0x27)
                i += 3
            } else {
                h = mix(h, b)
                i += 1
            }
        }
        return h
    }

    /// Hash of a string's bytes exactly as they are (no case folding): tells surface forms apart.
    public static func exact(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { buf in buf.reduce(offset) { mix($0, $1) } }
    }

    public static func hash(_ s: String) -> UInt64 {
        var u = Array(s.utf8)
        return u.withUnsafeMutableBufferPointer { hash(UnsafeBufferPointer($0), 0..<$0.count) }
    }

    /// Key of a phrase from the keys of its tokens.
    @inline(__always) public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &+ 0x632B_E59B_D9B4_E019)
    }

    /// Key of a phrase written with single spaces between tokens ("Secretary of State").
    public static func phrase(_ s: String) -> UInt64 {
        var k: UInt64 = 0
        var first = true
        for part in s.split(separator: " ") {
            let h = hash(String(part))
            k = first ? h : combine(k, h)
            first = false
        }
        return k
    }
}
