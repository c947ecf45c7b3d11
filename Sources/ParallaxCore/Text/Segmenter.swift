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

/// Splits article text into tokens and sentences in one linear pass over the UTF-8 bytes.
///
/// Words keep inner apostrophes and hyphens ("don’t", "President-elect"); the possessive
/// "’s" is a token of its own. Known abbreviations keep their period and do not end a sentence
/// ("Mr.", "Gov.", "Sen.", "Jan.", "U.S.", initials). A sentence ends at `.`, `!` or `?`
/// (after any closing quotes) when the next token starts with a capital, a digit or a quote,
/// and at every line break. Hidden ranges are skipped; no token crosses one.
public enum Segmenter {
    /// Abbreviations that keep their period (case-folded, without the period).
    static let abbreviations: Set<UInt64> = {
        let words = """
            mr mrs ms dr prof gov govs sen sens rep reps gen lt col capt sgt adm maj rev st jr sr messrs \
            inc corp co ltd llc dept univ assn bros jan feb mar apr jun jul aug sep sept oct nov dec \
            mon tue tues wed thu thur thurs fri sat sun vs etc no nos ft mt ave blvd est approx fig \
            ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo \
            mont neb nev okla ore pa tenn tex va vt wash wis wyo
            """
        return Set(words.split(separator: " ").map { TokenKey.hash(String($0)) })
    }()
    /// Abbreviations that never end a sentence: titles and months.
    static let nonFinalAbbreviations: Set<UInt64> = {
        let words = """
            mr mrs ms dr prof gov govs sen sens rep reps gen lt col capt sgt adm maj rev st messrs \
            jan feb mar apr jun jul aug sep sept oct nov dec vs no nos ft mt
            """
        return Set(words.split(separator: " ").map { TokenKey.hash(String($0) + ".") })
    }()

    /// Tokens of `range`, skipping `hidden` ranges (sorted scalar ranges).
    public static func tokens(in text: TextBuffer, range: Range<Int>, excluding hidden: [Range<Int>] = []) -> [Token] {
        segment(text, range: range, excluding: hidden).tokens
    }

    /// Sentence ranges (scalar offsets, from the first to the last token of each sentence).
    public static func sentences(in text: TextBuffer, range: Range<Int>, excluding hidden: [Range<Int>] = []) -> [Range<Int>] {
        let toks = segment(text, range: range, excluding: hidden).tokens
        return sentences(of: toks)
    }

    /// Sentence ranges from tokens produced by `tokens(in:range:excluding:)`.
    public static func sentences(of tokens: [Token]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = -1
        var last = -1
        var openingRun = -1  // index of the first of the opening marks right before this token
        for (i, t) in tokens.enumerated() {
            if t.has(.sentenceStart) {
                // Opening quotes and brackets just before the first word belong to the new sentence.
                var s = i
                if openingRun >= 0 && openingRun > 0 { s = openingRun }
                if start >= 0 {
                    let end = s < i ? Int(tokens[s - 1].end) : last
                    if end > start { out.append(start..<end) }
                }
                start = Int(tokens[s].start)
            } else if start < 0 {
                start = Int(t.start)
            }
            openingRun = t.kind == .punct && t.has(.opening) ? (openingRun >= 0 ? openingRun : i) : -1
            last = Int(t.end)
        }
        if start >= 0 && last > start { out.append(start..<last) }
        return out
    }

    /// Tokens and sentence ranges of `range`.
    public static func segment(_ text: TextBuffer, range: Range<Int>, excluding hidden: [Range<Int>] = []) -> (tokens: [Token], sentences: [Range<Int>]) {
        let r = text.clamp(range)
        var toks: [Token] = []
        toks.reserveCapacity(r.count / 5 + 4)
        var cursor = r.lowerBound
        var state = State()
        for h in hidden where h.upperBound > cursor && h.lowerBound < r.upperBound {
            if h.lowerBound > cursor {
                scan(text, cursor..<h.lowerBound, into: &toks, state: &state)
            }
            state.gap = true
            cursor = max(cursor, h.upperBound)
        }
        if cursor < r.upperBound { scan(text, cursor..<r.upperBound, into: &toks, state: &state) }
        return (toks, sentences(of: toks))
    }

    struct State {
        var sentenceStart = true
        var lineStart = true
        var pendingEnd = false
        var quoteStart = false
        var gap = false
    }

    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Letter test for the scalar at byte `i` (ASCII fast path).
    @inline(__always) static func letterAt(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (Bool, Int) {
        let b = buf[i]
        if b < 0x80 { return (isASCIILetter(b) || isDigit(b), 1) }
        let (s, len) = TextBuffer.decodeScalar(buf, at: i)
        if i + len > end { return (false, len) }
        return (s.properties.isAlphabetic || s.properties.numericType != nil, len)
    }

    static func scan(_ text: TextBuffer, _ range: Range<Int>, into toks: inout [Token], state st: inout State) {
        let br = text.byteRange(range)
        text.bytes.withUnsafeBufferPointer { buf in
            var i = br.lowerBound
            let end = br.upperBound
            var scalar = range.lowerBound
            while i < end {
                let b = buf[i]
                // Whitespace.
                if b == 0x20 || b == 0x09 || b == 0x0D {
                    i += 1; scalar += 1; continue
                }
                if b == 0x0A {
                    st.lineStart = true
                    st.sentenceStart = true
                    st.pendingEnd = false
                    st.quoteStart = false
                    i += 1; scalar += 1; continue
                }
                if b < 0x20 || b == 0x7F {
                    i += 1; scalar += 1; continue
                }
                var isWordStart = false
                var firstLen = 1
                var cp: UInt32 = UInt32(b)
                if b < 0x80 {
                    isWordStart = isASCIILetter(b) || isDigit(b)
                } else {
                    let (s, len) = TextBuffer.decodeScalar(buf, at: i)
                    firstLen = len
                    cp = s.value
                    if s.properties.isWhitespace || cp == 0xA0 || cp == 0x200B || cp == 0xFEFF {
                        i += len; scalar += 1; continue
                    }
                    isWordStart = s.properties.isAlphabetic || s.properties.numericType != nil
                }
                let startByte = i
                let startScalar = scalar
                if !isWordStart {
                    // Punctuation: one scalar per token.
                    var flags: Token.Flags = []
                    var opening = false
                    switch cp {
                    case 0x201C, 0x2018, 0x28, 0x5B, 0xAB: opening = true
                    case 0x22, 0x27:
                        // Straight quote: opening when followed by a letter and not preceded by one.
                        let prevIsWord = toks.last.map { $0.byteEnd == Int32(startByte) && $0.kind != .punct } ?? false
                        let nextIsWord = i + 1 < end && (isASCIILetter(buf[i + 1]) || isDigit(buf[i + 1]) || buf[i + 1] >= 0x80)
                        opening = !prevIsWord && nextIsWord
                    default: break
                    }
                    let closing = cp == 0x201D || cp == 0x2019 || cp == 0x29 || cp == 0x5D || cp == 0xBB || ((cp == 0x22 || cp == 0x27) && !opening)
                    if opening { flags.insert(.opening) }
                    if closing { flags.insert(.closing) }
                    // A lone apostrophe after a word ending in s: plural possessive ("News'").
                    if (cp == 0x27 || cp == 0x2019), let last = toks.last, last.byteEnd == Int32(startByte), last.kind == .word,
                        buf[Int(last.byteEnd) - 1] | 0x20 == 0x73,
                        !(i + firstLen < end && isASCIILetter(buf[i + firstLen]))
                    {
                        flags.insert(.possessive)
                    }
                    if st.lineStart { flags.insert(.lineStart); st.lineStart = false }
                    if st.gap { flags.insert(.afterGap); st.gap = false }
                    let k = TokenKey.hash(buf, startByte..<(i + firstLen))
                    toks.append(Token(range: startScalar..<(startScalar + 1), byteRange: startByte..<(i + firstLen), key: k, kind: .punct, flags: flags))
                    i += firstLen
                    scalar += 1
                    if cp == 0x2E || cp == 0x21 || cp == 0x3F { st.pendingEnd = true }
                    if opening { st.quoteStart = true }
                    continue
                }
                // Word or number.
                let isNumber = b < 0x80 && isDigit(b)
                i += firstLen
                scalar += 1
                var upper = 0, lower = 0
                if b < 0x80 {
                    if b >= 0x41 && b <= 0x5A { upper += 1 } else if b >= 0x61 && b <= 0x7A { lower += 1 }
                } else if let s = Unicode.Scalar(cp) {
                    if s.properties.isUppercase { upper += 1 } else if s.properties.isLowercase { lower += 1 }
                }
                let firstUpper = upper == 1
                let firstLower = lower == 1
                var hyphen = false
                var dotted = false
                while i < end {
                    let c = buf[i]
                    if c < 0x80 {
                        if isASCIILetter(c) || isDigit(c) {
                            if c >= 0x41 && c <= 0x5A { upper += 1 } else if c >= 0x61 { lower += 1 }
                            i += 1; scalar += 1; continue
                        }
                        if isNumber && (c == 0x2C || c == 0x2E) && i + 1 < end && isDigit(buf[i + 1]) {
                            i += 1; scalar += 1; continue
                        }
                        if c == 0x2D && !isNumber && i + 1 < end && (isASCIILetter(buf[i + 1]) || isDigit(buf[i + 1])) {
                            hyphen = true
                            i += 1; scalar += 1; continue
                        }
                        if c == 0x27 && i + 1 < end && isASCIILetter(buf[i + 1]) {
                            // Possessive 's stays a separate token.
                            if buf[i + 1] | 0x20 == 0x73 && (i + 2 >= end || !(isASCIILetter(buf[i + 2]) || buf[i + 2] >= 0x80)) { break }
                            i += 1; scalar += 1; continue
                        }
                        // Dotted abbreviation "U.S.": letter, period, letter.
                        if c == 0x2E && !isNumber && i + 2 < end && isASCIILetter(buf[i + 1]) && buf[i + 2] == 0x2E && i - startByte <= 2 {
                            dotted = true
                            i += 1; scalar += 1; continue
                        }
                        break
                    }
                    // Non-ASCII inside a word.
                    if c == 0xE2 && i + 2 < end && buf[i + 1] == 0x80 && buf[i + 2] == 0x99 && i + 3 < end && isASCIILetter(buf[i + 3]) {
                        if buf[i + 3] | 0x20 == 0x73 && (i + 4 >= end || !(isASCIILetter(buf[i + 4]) || buf[i + 4] >= 0x80)) { break }
                        i += 3; scalar += 1; continue
                    }
                    let (s, len) = TextBuffer.decodeScalar(buf, at: i)
                    if s.properties.isAlphabetic || (s.properties.numericType != nil && !s.properties.isWhitespace) {
                        if s.properties.isUppercase { upper += 1 } else if s.properties.isLowercase { lower += 1 }
                        i += len; scalar += 1; continue
                    }
                    break
                }
                var flags: Token.Flags = []
                var endByte = i
                var endScalar = scalar
                var kind: Token.Kind = isNumber ? .number : .word
                // Keep the period of an abbreviation, an initial or a dotted form.
                if !isNumber && i < end && buf[i] == 0x2E {
                    let wordKey = TokenKey.hash(buf, startByte..<i)
                    let single = upper == 1 && lower == 0 && i - startByte == firstLen
                    if dotted || single || abbreviations.contains(wordKey) {
                        endByte = i + 1
                        endScalar = scalar + 1
                        i += 1; scalar += 1
                        flags.insert(.abbreviation)
                    }
                }
                if isNumber && lower + upper > 0 { kind = .number }
                if firstUpper { flags.insert(.capitalised) }
                if firstLower { flags.insert(.lowercase) }
                if upper >= 2 && lower == 0 { flags.insert(.allCaps) }
                if hyphen { flags.insert(.hyphenated) }
                let key = TokenKey.hash(buf, startByte..<endByte)
                // Sentence boundary decision.
                if st.pendingEnd {
                    if firstUpper || isNumber || st.quoteStart { st.sentenceStart = true }
                    st.pendingEnd = false
                }
                if st.sentenceStart { flags.insert(.sentenceStart); st.sentenceStart = false }
                if st.lineStart { flags.insert(.lineStart); st.lineStart = false }
                if st.quoteStart { flags.insert(.quoteStart); st.quoteStart = false }
                if st.gap { flags.insert(.afterGap); st.gap = false }
                toks.append(Token(range: startScalar..<endScalar, byteRange: startByte..<endByte, key: key, kind: kind, flags: flags))
                // An abbreviation that may end a sentence ("U.S.", "Inc.") acts like a period.
                if flags.contains(.abbreviation) && !nonFinalAbbreviations.contains(key) && !(upper == 1 && lower == 0 && endByte - startByte == 2) {
                    st.pendingEnd = true
                }
                // A possessive 's directly after the word.
                if i < end, buf[i] == 0x27 || buf[i] == 0xE2 {
                    let alen = buf[i] == 0x27 ? 1 : 3
                    if i + alen < end && buf[i + alen] | 0x20 == 0x73 && (alen == 1 || (buf[i + 1] == 0x80 && buf[i + 2] == 0x99)) {
                        let pEnd = i + alen + 1
                        var pflags: Token.Flags = [.possessive]
                        if alen == 3 { pflags.insert(.closing) }
                        toks.append(Token(range: scalar..<(scalar + 2), byteRange: i..<pEnd, key: TokenKey.hash(buf, i..<pEnd), kind: .punct, flags: pflags))
                        i = pEnd
                        scalar += 2
                    }
                }
            }
        }
    }
}
