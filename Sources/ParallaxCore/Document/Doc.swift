/// One article tokenized once, as spaCy's `Doc`: tokens with scalar offsets, sentences,
/// paragraphs, and which tokens are the headline. Every stage of the analysis (entities, quotes,
/// speakers, clusters) and every consumer of words (cursor motions, word diff, anchoring, CoNLL
/// export, agreement) reads these tokens: there is one definition of a word (`Tokenizer`).
///
/// The reading view skips hidden ranges (related-link junk); `Doc(article, view: .original)`
/// tokenizes the text as it is, for the view that shows it.
public final class Doc: Sendable {
    public enum View: Sendable { case reading, original }

    public let article: Article
    public let view: View
    public let tokens: [Token]
    /// Token index ranges of the sentences, in order; every token is in one.
    public let sentences: [Range<Int>]
    /// Token index ranges of the paragraphs (blank-line separated), in order.
    public let paragraphs: [Range<Int>]
    /// Token indices of the headline, when the title was read from the text (else empty, at 0).
    public let headline: Range<Int>

    public var text: TextBuffer { article.text }

    public init(_ article: Article, view: View = .reading) {
        self.article = article
        self.view = view
        let hidden = view == .reading ? article.hiddenRanges : []
        var toks: [Token] = []
        toks.reserveCapacity(article.text.bytes.count / 5 + 8)
        var headEnd = 0
        if let h = article.headlineRange {
            Tokenizer.append(article.text, range: h, excluding: hidden, to: &toks)
            headEnd = toks.count
        }
        let bodyStart = max(article.bodyStart, article.headlineRange?.upperBound ?? 0)
        Tokenizer.append(article.text, range: bodyStart..<article.text.scalarCount, excluding: hidden, to: &toks)
        // The body starts a paragraph and a sentence of its own after a headline.
        if headEnd < toks.count {
            toks[headEnd].flags.formUnion([.paragraphStart, .sentenceStart, .lineStart])
        }
        tokens = toks
        headline = 0..<headEnd
        sentences = Doc.sentences(of: toks)
        var paragraphs: [Range<Int>] = []
        var start = 0
        for i in toks.indices.dropFirst() where toks[i].has(.paragraphStart) || i == headEnd {
            if i > start { paragraphs.append(start..<i) }
            start = i
        }
        if start < toks.count { paragraphs.append(start..<toks.count) }
        self.paragraphs = paragraphs
    }

    /// Sentence token ranges: a sentence starts at a token flagged `.sentenceStart`, together with
    /// the opening quotation marks and brackets right before it.
    static func sentences(of tokens: [Token]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        var openingRun = -1  // index of the first of the opening marks right before this token
        for (i, t) in tokens.enumerated() {
            if t.has(.sentenceStart) && i > 0 {
                let s = openingRun >= 0 ? openingRun : i
                if s > start { out.append(start..<s) }
                start = s
            }
            openingRun = t.kind == .punct && t.has(.opening) ? (openingRun >= 0 ? openingRun : i) : -1
        }
        if start < tokens.count { out.append(start..<tokens.count) }
        return out
    }

    // MARK: Lookups

    /// Sentence index of token `i`.
    public func sentence(ofToken i: Int) -> Int {
        var lo = 0, hi = sentences.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sentences[mid].upperBound <= i { lo = mid + 1 } else { hi = mid }
        }
        return min(lo, sentences.count - 1)
    }

    /// Index of the first token that ends after `offset` (the token containing it, or the next one).
    public func tokenIndex(atOrAfter offset: Int) -> Int {
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(tokens[mid].end) <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Index of the first token that starts at or after `offset`.
    public func firstToken(startingAtOrAfter offset: Int) -> Int {
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(tokens[mid].start) < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Token indices lying inside the scalar range `r`.
    public func tokens(in r: Range<Int>) -> Range<Int> {
        let a = firstToken(startingAtOrAfter: r.lowerBound)
        var b = a
        while b < tokens.count && Int(tokens[b].end) <= r.upperBound { b += 1 }
        return a..<b
    }

    /// Scalar range from the first to the last of the tokens `r` (empty at the text's end when `r` is).
    public func range(ofTokens r: Range<Int>) -> Range<Int> {
        guard !r.isEmpty else {
            let at = r.lowerBound < tokens.count ? Int(tokens[r.lowerBound].start) : text.scalarCount
            return at..<at
        }
        return Int(tokens[r.lowerBound].start)..<Int(tokens[r.upperBound - 1].end)
    }

    /// Scalar range of sentence `k`.
    public func sentenceRange(_ k: Int) -> Range<Int> { range(ofTokens: sentences[k]) }

    /// The text of token `i` as written.
    public func string(_ i: Int) -> String { text.string(tokens[i].range) }

    /// The text from the first to the last of tokens `r`, as written.
    public func string(_ r: Range<Int>) -> String { text.string(range(ofTokens: r)) }

    /// Token `i` lower-cased, straight apostrophes for curly ones.
    public func lowercased(_ i: Int) -> String {
        String(string(i).lowercased().map { $0 == "\u{2019}" ? "'" : $0 })
    }

    /// Whether token `i` is the word whose `TokenKey` is `key` (case-folded, ’ read as ').
    @inline(__always) public func token(_ i: Int, is key: UInt64) -> Bool { tokens[i].key == key }

    /// Whether token `i` ends with the lower-case ASCII `suffix`, ignoring case ("saying" ends with "ing").
    public func token(_ i: Int, endsWith suffix: StaticString) -> Bool {
        let r = tokens[i].byteRange
        let n = suffix.utf8CodeUnitCount
        guard r.count > n else { return false }
        return text.bytes.withUnsafeBufferPointer { buf in
            suffix.withUTF8Buffer { sfx in
                for k in 0..<n where buf[r.upperBound - n + k] | 0x20 != sfx[k] { return false }
                return true
            }
        }
    }

    @inline(__always) public func isWord(_ i: Int) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind != .punct }
    @inline(__always) public func key(_ i: Int) -> UInt64 { tokens[i].key }
    @inline(__always) public func isHeadline(_ i: Int) -> Bool { headline.contains(i) }
}
