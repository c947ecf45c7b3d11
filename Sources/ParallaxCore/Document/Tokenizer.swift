import Foundation

/// Splits article text into tokens in one linear pass over the UTF-8 bytes: the one definition
/// of a word in Parallax (see `Doc`).
///
/// Words keep inner apostrophes and hyphens ("don’t", "President-elect"); the possessive
/// "’s" is a token of its own. Abbreviations of the lexicon keep their period, and those that
/// never end a sentence ("Mr.", "Gov.", "Jan.") do not end one; initials ("J.") and dotted forms
/// ("U.S.") keep theirs too. A sentence ends at `.`, `!` or `?` (after any closing quotes) when
/// the next token starts with a capital, a digit or a quote, and at every line break. Hidden
/// ranges are skipped; no token crosses one.
public enum Tokenizer {
    /// Tokens of `range`, skipping `hidden` ranges (sorted scalar ranges).
    public static func tokens(in text: TextBuffer, range: Range<Int>, excluding hidden: [Range<Int>] = []) -> [Token] {
        var toks: [Token] = []
        append(text, range: range, excluding: hidden, to: &toks)
        return toks
    }

    /// Appends the tokens of `range` (hidden ranges skipped) to `toks`.
    public static func append(_ text: TextBuffer, range: Range<Int>, excluding hidden: [Range<Int>] = [], to toks: inout [Token]) {
        let r = text.clamp(range)
        toks.reserveCapacity(toks.count + r.count / 5 + 4)
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
    }

    /// Tokens of a short text on its own (a quotation compared with its versions).
    public static func tokens(of string: String) -> (TextBuffer, [Token]) {
        let text = TextBuffer(string)
        return (text, tokens(in: text, range: 0..<text.scalarCount))
    }

    struct State {
        var sentenceStart = true
        var lineStart = true
        var paragraphStart = true
        /// Line feeds since the last token.
        var newlines = 0
        /// Byte offset just after the last token, to tell attached tokens.
        var lastEnd = -1
        var pendingEnd = false
        var quoteStart = false
        var gap = false

        /// Flags every token takes from the state (line, paragraph, gap, attachment), then resets it.
        @inline(__always) mutating func mark(_ flags: inout Token.Flags, startByte: Int) {
            if lineStart { flags.insert(.lineStart); lineStart = false }
            if paragraphStart { flags.insert(.paragraphStart); paragraphStart = false }
            if gap { flags.insert(.afterGap); gap = false }
            if lastEnd == startByte { flags.insert(.attached) }
            newlines = 0
        }
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
        let lexicon = Lexicon.english
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
                    st.newlines += 1
                    if st.newlines >= 2 { st.paragraphStart = true }
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
                    case 0x201C, 0x2018, 0x28, 0x5B, 0xAB, 0x201E, 0x201A, 0x2039, 0x300C, 0x300E, 0xFE41, 0x60: opening = true
                    case 0x22, 0x27:
                        // Straight quote: opening when followed by a letter and not preceded by one.
                        let prevIsWord = toks.last.map { $0.byteEnd == Int32(startByte) && $0.kind != .punct } ?? false
                        let nextIsWord = i + 1 < end && (isASCIILetter(buf[i + 1]) || isDigit(buf[i + 1]) || buf[i + 1] >= 0x80)
                        opening = !prevIsWord && nextIsWord
                    default: break
                    }
                    let closing = cp == 0x201D || cp == 0x2019 || cp == 0x29 || cp == 0x5D || cp == 0xBB || cp == 0x203A
                        || cp == 0x300D || cp == 0x300F || cp == 0xFE42 || ((cp == 0x22 || cp == 0x27) && !opening)
                    if opening { flags.insert(.opening) }
                    if closing { flags.insert(.closing) }
                    // A lone apostrophe after a word ending in s: plural possessive ("News'").
                    if (cp == 0x27 || cp == 0x2019), let last = toks.last, last.byteEnd == Int32(startByte), last.kind == .word,
                        buf[Int(last.byteEnd) - 1] | 0x20 == 0x73,
                        !(i + firstLen < end && isASCIILetter(buf[i + firstLen]))
                    {
                        flags.insert(.possessive)
                    }
                    st.mark(&flags, startByte: startByte)
                    st.lastEnd = i + firstLen
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
                    let known = lexicon.abbreviationStems.contains(wordKey)
                        && (firstUpper || !lexicon.capitalisedAbbreviations.contains(TokenKey.hash(buf, startByte..<(i + 1))))
                    if dotted || single || known {
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
                if st.quoteStart { flags.insert(.quoteStart); st.quoteStart = false }
                st.mark(&flags, startByte: startByte)
                st.lastEnd = endByte
                toks.append(Token(range: startScalar..<endScalar, byteRange: startByte..<endByte, key: key, kind: kind, flags: flags))
                // An abbreviation that may end a sentence ("U.S.", "Inc.") acts like a period.
                if flags.contains(.abbreviation) && !lexicon.nonFinalAbbreviations.contains(key) && !(upper == 1 && lower == 0 && endByte - startByte == 2) {
                    st.pendingEnd = true
                }
                // A possessive 's directly after the word.
                if i < end, buf[i] == 0x27 || buf[i] == 0xE2 {
                    let alen = buf[i] == 0x27 ? 1 : 3
                    if i + alen < end && buf[i + alen] | 0x20 == 0x73 && (alen == 1 || (buf[i + 1] == 0x80 && buf[i + 2] == 0x99)) {
                        let pEnd = i + alen + 1
                        var pflags: Token.Flags = [.possessive]
                        if alen == 3 { pflags.insert(.closing) }
                        pflags.insert(.attached)
                        toks.append(Token(range: scalar..<(scalar + 2), byteRange: i..<pEnd, key: TokenKey.hash(buf, i..<pEnd), kind: .punct, flags: pflags))
                        st.lastEnd = pEnd
                        i = pEnd
                        scalar += 2
                    }
                }
            }
        }
    }
}
