import Foundation

/// Finds "related link" widgets that some news sites glue into the article text next to a name.
///
/// The scraped text reads `President TrumpDonald TrumpWhite House denies ... report MORE directly asked`:
/// a name as the sentence uses it ("Trump"), then, with no space, the name again in full
/// ("Donald Trump"), then one or more headlines glued together, then the word `MORE`.
/// Everything from the second copy of the name through `MORE` is junk; hiding it leaves
/// "President Trump directly asked".
///
/// A candidate must pass every guard, so ordinary prose is left alone:
/// - a lowercase letter directly followed by an uppercase letter (the glue, no space);
/// - the word ending at the glue is capitalised, and a capitalised full name starting at the
///   glue (at most a few words) ends with that same word;
/// - the all-caps word `MORE` follows on the same line within `maxJunkLength` scalars, with
///   at least one letter of headline before it.
///
/// The scan is linear: the next `MORE` and the next line break are found by forward-only
/// cursors, and each candidate does a bounded amount of work.
public enum RelatedLinkJunk {
    /// Longest junk span accepted, in scalars, from the second copy of the name through `MORE`.
    public static let maxJunkLength = 600

    /// Junk ranges (scalar offsets, sorted, non-overlapping) inside `range` of `text`.
    public static func ranges(in text: TextBuffer, range: Range<Int>) -> [Range<Int>] {
        let r = text.clamp(range)
        if r.isEmpty { return [] }
        let byteRange = text.byteRange(r)
        // Junk always ends with `MORE`: a text without it needs no scan at all.
        let hasMore = text.bytes.withUnsafeBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress else { return false }
            var p = byteRange.lowerBound
            let end = byteRange.upperBound
            while p + 4 <= end, let hit = memchr(base + p, 0x4D, end - p - 3) {  // "M"
                let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if base[i + 1] == 0x4F && base[i + 2] == 0x52 && base[i + 3] == 0x45 { return true }  // "ORE"
                p = i + 1
            }
            return false
        }
        if !hasMore { return [] }
        return text.bytes.withUnsafeBufferPointer { buf -> [Range<Int>] in
            var scanner = Scanner(buf: buf, start: byteRange.lowerBound, end: byteRange.upperBound)
            return scanner.run(firstScalar: r.lowerBound)
        }
    }

    private struct Scanner {
        let buf: UnsafeBufferPointer<UInt8>
        let start: Int
        let end: Int

        // Forward-only cursor over whole-word `MORE` occurrences.
        var moreByte = -1
        var moreScalar = -1
        var moreExhausted = false
        var moreCursorByte: Int
        var moreCursorScalar = 0
        // Forward-only cursor over line feeds.
        var newlineByte = -1
        var newlineExhausted = false
        var newlineCursor: Int

        init(buf: UnsafeBufferPointer<UInt8>, start: Int, end: Int) {
            self.buf = buf
            self.start = start
            self.end = end
            self.moreCursorByte = start
            self.newlineCursor = start
        }

        mutating func run(firstScalar: Int) -> [Range<Int>] {
            moreCursorScalar = firstScalar
            var found: [Range<Int>] = []
            var b = start
            var scalar = firstScalar
            var prevLower = false
            while b < end {
                let byte = buf[b]
                if byte < 0x80 {
                    let isUpper = byte >= 0x41 && byte <= 0x5A
                    if isUpper && prevLower, let junk = match(at: b, scalar: scalar) {
                        found.append(junk.scalars)
                        b = junk.endByte
                        scalar = junk.scalars.upperBound
                        prevLower = false
                        continue
                    }
                    prevLower = byte >= 0x61 && byte <= 0x7A
                    b += 1
                    scalar += 1
                } else {
                    let (s, len) = TextBuffer.decodeScalar(buf, at: b)
                    let props = s.properties
                    if props.isUppercase && prevLower, let junk = match(at: b, scalar: scalar) {
                        found.append(junk.scalars)
                        b = junk.endByte
                        scalar = junk.scalars.upperBound
                        prevLower = false
                        continue
                    }
                    prevLower = props.isLowercase && props.isAlphabetic
                    b += len
                    scalar += 1
                }
            }
            return found
        }

        /// Tries a glue point at byte `b` (scalar `scalar`): an uppercase letter right after a lowercase one.
        mutating func match(at b: Int, scalar: Int) -> (scalars: Range<Int>, endByte: Int)? {
            // Cheap guards first: a `MORE` on the same line, close enough.
            advanceMore(to: b)
            if moreExhausted { return nil }
            guard moreScalar + 4 - scalar <= RelatedLinkJunk.maxJunkLength else { return nil }
            advanceNewline(to: b)
            if !newlineExhausted && newlineByte < moreByte { return nil }

            // The word that ends at the glue: the name as the sentence uses it.
            guard let surname = wordBefore(b), surname.count >= 2 else { return nil }
            // The second copy: a capitalised full name starting at the glue, ending with that word.
            guard let copyEnd = fullNameEnd(from: b, surname: surname) else { return nil }
            guard copyEnd < moreByte, containsLetter(copyEnd..<moreByte) else { return nil }
            let endByte = moreByte + 4
            return (scalar..<(moreScalar + 4), endByte)
        }

        // MARK: MORE and line cursors

        /// Moves the `MORE` cursor to the first whole-word `MORE` at or after byte `b`.
        mutating func advanceMore(to b: Int) {
            if moreByte >= b || moreExhausted { return }
            var i = moreCursorByte
            var s = moreCursorScalar
            while i + 4 <= end {
                if i >= b && buf[i] == 0x4D && buf[i + 1] == 0x4F && buf[i + 2] == 0x52 && buf[i + 3] == 0x45
                    && !isWordScalar(before: i) && !isWordScalar(at: i + 4)
                {
                    moreByte = i
                    moreScalar = s
                    moreCursorByte = i
                    moreCursorScalar = s
                    return
                }
                if buf[i] & 0xC0 != 0x80 { s += 1 }
                i += 1
            }
            moreCursorByte = end
            moreExhausted = true
        }

        /// Moves the line cursor to the first line feed at or after byte `b`.
        mutating func advanceNewline(to b: Int) {
            if newlineByte >= b || newlineExhausted { return }
            var i = max(newlineCursor, b)
            while i < end {
                if buf[i] == 0x0A {
                    newlineByte = i
                    newlineCursor = i + 1
                    return
                }
                i += 1
            }
            newlineCursor = end
            newlineExhausted = true
        }

        // MARK: Words

        /// Bytes of the word ending at `b` (letters, apostrophes, hyphens), which must start with
        /// an uppercase letter (a leading quote mark is left out).
        func wordBefore(_ b: Int) -> [UInt8]? {
            var i = b
            var count = 0
            while i > start && count < 40 {
                var j = i - 1
                while j > start && buf[j] & 0xC0 == 0x80 { j -= 1 }
                let (s, _) = TextBuffer.decodeScalar(buf, at: j)
                guard s.properties.isAlphabetic || isNameJoiner(s) else { break }
                i = j
                count += 1
            }
            while i < b {
                let (s, len) = TextBuffer.decodeScalar(buf, at: i)
                if s.properties.isAlphabetic { break }
                i += len
            }
            guard i < b else { return nil }
            let (s, _) = TextBuffer.decodeScalar(buf, at: i)
            guard s.properties.isUppercase else { return nil }
            return Array(buf[i..<b])
        }

        func isNameJoiner(_ s: Unicode.Scalar) -> Bool {
            s == "'" || s == "\u{2019}" || s == "-"
        }

        /// Where a capitalised full name starting at `b` ends, if its last word is `surname`.
        func fullNameEnd(from b: Int, surname: [UInt8]) -> Int? {
            var p = b
            var words = 0
            while words <= 5 && p < end && p - b < 120 {
                if startsWith(surname, at: p) {
                    let after = p + surname.count
                    if after >= end { return nil }
                    let (s, _) = TextBuffer.decodeScalar(buf, at: after)
                    // The copy must end there: not the start of a longer word ("Trumpet").
                    if !(s.properties.isLowercase && s.properties.isAlphabetic) && !isNameJoiner(s) {
                        return after
                    }
                }
                // Otherwise skip one capitalised name word (or a parenthesised or quoted nickname)
                // and the single space after it.
                guard let next = skipNameWord(at: p) else { return nil }
                p = next
                words += 1
            }
            return nil
        }

        /// Skips `Word `, `J. `, `(Mitch) `, `"Chuck" ` and returns the start of the next word.
        func skipNameWord(at p: Int) -> Int? {
            var i = p
            var (s, len) = TextBuffer.decodeScalar(buf, at: i)
            var opener: Unicode.Scalar? = nil
            if s == "(" || s == "\"" || s == "\u{201C}" {
                opener = s
                i += len
                guard i < end else { return nil }
                (s, len) = TextBuffer.decodeScalar(buf, at: i)
            }
            guard s.properties.isUppercase else { return nil }
            i += len
            var prevLower = false
            var lettersInPart = 1
            while i < end {
                (s, len) = TextBuffer.decodeScalar(buf, at: i)
                if s.properties.isAlphabetic {
                    if prevLower && s.properties.isUppercase {
                        // A lowercase-to-uppercase step after a short prefix is part of the name
                        // ("McCarthy", "LeBron", "DeSantis"); after a longer run a headline is glued
                        // on and the name ended without matching.
                        if lettersInPart > 3 { return nil }
                        lettersInPart = 0
                    }
                    prevLower = s.properties.isLowercase
                    lettersInPart += 1
                    i += len
                } else if isNameJoiner(s) || s == "." {
                    lettersInPart = 0
                    prevLower = false
                    i += len
                } else {
                    break
                }
            }
            if let opener {
                let closer: Unicode.Scalar = opener == "(" ? ")" : (opener == "\"" ? "\"" : "\u{201D}")
                guard i < end else { return nil }
                (s, len) = TextBuffer.decodeScalar(buf, at: i)
                guard s == closer else { return nil }
                i += len
            }
            guard i < end else { return nil }
            (s, len) = TextBuffer.decodeScalar(buf, at: i)
            guard s == " " || s == "\u{00A0}" else { return nil }
            i += len
            guard i < end else { return nil }
            return i
        }

        func startsWith(_ word: [UInt8], at p: Int) -> Bool {
            if p + word.count > end { return false }
            for k in 0..<word.count where buf[p + k] != word[k] { return false }
            return true
        }

        func containsLetter(_ r: Range<Int>) -> Bool {
            var i = r.lowerBound
            while i < r.upperBound {
                let (s, len) = TextBuffer.decodeScalar(buf, at: i)
                if s.properties.isAlphabetic { return true }
                i += len
            }
            return false
        }

        /// Is the scalar ending just before byte `i` a letter or digit?
        func isWordScalar(before i: Int) -> Bool {
            if i <= start { return false }
            var j = i - 1
            while j > start && buf[j] & 0xC0 == 0x80 { j -= 1 }
            let (s, _) = TextBuffer.decodeScalar(buf, at: j)
            return s.properties.isAlphabetic || s.properties.numericType != nil
        }

        /// Is the scalar starting at byte `i` a letter or digit?
        func isWordScalar(at i: Int) -> Bool {
            if i >= end { return false }
            let (s, _) = TextBuffer.decodeScalar(buf, at: i)
            return s.properties.isAlphabetic || s.properties.numericType != nil
        }
    }
}
