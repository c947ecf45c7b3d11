/// A quotation found by the scanner, before it is classified, attributed and clustered.
public struct RawQuote: Sendable, Equatable {
    /// Scalar range of the text between the marks.
    public var range: Range<Int>
    /// Token indices of the text between the marks.
    public var tokens: Range<Int>
    /// Token indices of the opening mark (two for `''` and ``` `` ```).
    public var openMark: Range<Int>
    /// Token indices of the closing mark; nil when the quotation runs on into the next paragraph.
    public var closeMark: Range<Int>?
    /// A quotation (`“…”`), as opposed to a quotation inside one or a headline quote (`‘…’`).
    public var isDouble: Bool
    /// Index (in the extractor's result) of the quotation this one is nested in.
    public var parent: Int?
    /// Continues the quotation left open by the previous paragraph.
    public var continues: Bool
    /// Left open at the end of its paragraph and continued by the next one.
    public var openEnded: Bool
    /// Word and number tokens inside.
    public var words: Int
}

/// Finds quotations in an article's tokens, with the conventions of `Lexicon.quoteConventions`
/// (`quote-marks.tsv`): which marks open and which close, at which level.
///
/// Marks are matched with a stack, so quotations nest (curly inside curly, single inside
/// double). A mark that both opens and closes (`"`, `'`, `''`) does what its neighbours say: a
/// space before and a word after opens, a word or mark before and no word after closes. Single
/// marks are never taken between two letters (don't, Georgia's), close only the innermost open
/// quotation, and open only before a letter ('90s is an apostrophe). Two apostrophes or two
/// backticks are one double mark. A paragraph (line) that leaves a double quotation open is
/// continued when the next paragraph opens with a double mark, the newswire convention. Values of
/// markup attributes (`author="…"`) are not quotations. Nesting deeper than `maxDepth` is
/// ignored (and counted, for a warning), so the output stays linear in the input: no character
/// is inside more than `maxDepth` quotations.
public struct ExtractQuotes: Sendable {
    public let lexicon: Lexicon
    public let maxDepth: Int
    /// What each mark does, keyed by its scalar value (`twoApostrophes`, `twoBackticks` for the
    /// marks of two characters).
    let marks: [UInt32: MarkInfo]

    public static let defaultMaxDepth = 8

    public init(lexicon: Lexicon = .english, maxDepth: Int = ExtractQuotes.defaultMaxDepth) {
        self.lexicon = lexicon
        self.maxDepth = maxDepth
        marks = Self.markTable(lexicon).reduce(into: [:]) { table, entry in
            let scalars = Array(entry.key.unicodeScalars)
            if scalars.count == 1 {
                table[scalars[0].value] = entry.value
            } else if entry.key == "''" {
                table[Self.twoApostrophes] = entry.value
            } else if entry.key == "``" {
                table[Self.twoBackticks] = entry.value
            }
        }
    }

    struct MarkInfo: Sendable {
        /// Conventions (indices) in which the mark opens / closes.
        var opens: [Int] = []
        var closes: [Int] = []
        var isDouble = false
        /// Opens and closes: its neighbours decide.
        var ambiguous: Bool { !opens.isEmpty && !closes.isEmpty }
    }

    /// Mark text → what it does, from the conventions. Straight marks (`"`, `'`) close any
    /// quotation of their level and any quotation closes with its straight mark too: texts mix
    /// them (`“no evidence" yet`).
    static func markTable(_ lexicon: Lexicon) -> [String: MarkInfo] {
        var table: [String: MarkInfo] = [:]
        let conventions = lexicon.quoteConventions
        for (k, c) in conventions.enumerated() {
            table[c.open, default: MarkInfo()].opens.append(k)
            table[c.close, default: MarkInfo()].closes.append(k)
            if c.isDouble {
                table[c.open]!.isDouble = true
                table[c.close]!.isDouble = true
            }
        }
        for (mark, isDouble) in [("\"", true), ("'", false)] where table[mark] != nil {
            for (k, c) in conventions.enumerated() where c.isDouble == isDouble && !table[mark]!.closes.contains(k) {
                table[mark]!.closes.append(k)
            }
            // What a straight mark opens, any closing mark of its level closes.
            let straight = table[mark]!.opens
            for (m, info) in table where m != mark && info.isDouble == isDouble && !info.closes.isEmpty {
                table[m]!.closes += straight.filter { !info.closes.contains($0) }
            }
        }
        return table
    }

    struct Open {
        var conventions: [Int]
        var mark: Range<Int>
        var isDouble: Bool
        /// An attribute value of markup: neither it nor what it holds is a quotation.
        var attribute: Bool
        /// Opened a paragraph that continues the quotation left open by the previous one.
        var continues: Bool
        /// Indices in the output of quotations closed inside it.
        var children: [Int] = []
    }

    static let twoApostrophes: UInt32 = 0x11_0000, twoBackticks: UInt32 = 0x11_0001
    static let equals = TokenKey.hash("=")

    public func run(_ doc: Doc) -> [RawQuote] {
        counting(doc).quotes
    }

    /// The quotations of `doc`, and how many opening marks were ignored because they would have
    /// nested deeper than `maxDepth` (reported as a warning: text was not read as quotations).
    public func counting(_ doc: Doc) -> (quotes: [RawQuote], tooDeep: Int) {
        var tooDeep = 0
        let table = marks
        let tokens = doc.tokens
        let n = tokens.count
        var out: [RawQuote] = []
        var stack: [Open] = []
        var pendingContinuation = false
        var lineContinues = false
        var lineFirst = 0
        /// Parts of a quotation running over paragraphs, kept only if a later paragraph closes it.
        var chain: [Int] = []
        var dropped = Set<Int>()

        func emit(_ open: Open, closeMark: Range<Int>?, contentEnd: Int, endToken: Int, openEnded: Bool) -> Int? {
            let first = open.mark.upperBound
            let start = Int(tokens[open.mark.upperBound - 1].end)
            let toks = first..<max(first, endToken)
            var w = 0
            for k in toks where tokens[k].kind != .punct { w += 1 }
            guard !open.attribute, w > 0 else { return nil }
            out.append(RawQuote(
                range: start..<max(start, contentEnd), tokens: toks, openMark: open.mark, closeMark: closeMark,
                isDouble: open.isDouble, parent: nil, continues: open.continues, openEnded: openEnded, words: w))
            let index = out.count - 1
            for c in open.children { out[c].parent = index }
            return index
        }

        /// Ends the line whose last token is `last`: a double quotation left open is continued when
        /// the next line opens with a double mark; anything else left open is dropped (the
        /// quotations closed inside it stay, as quotations of their own).
        func endLine(last: Int) {
            var continued = false
            if let bottom = stack.first, bottom.isDouble, !bottom.attribute, last + 1 < n {
                let next = last + 1
                let (mark, _) = markKey(next)
                if let info = table[mark], info.isDouble, !info.opens.isEmpty {
                    continued = emit(bottom, closeMark: nil, contentEnd: Int(tokens[last].end), endToken: last + 1, openEnded: true) != nil
                }
            }
            // A quotation running over paragraphs must close in its last one: when the chain ends
            // open, none of its parts was a quotation (a transcript that opens every paragraph
            // with a mark and never closes, say).
            if continued {
                chain.append(out.count - 1)
            } else {
                if let bottom = stack.first, bottom.continues { dropped.formUnion(chain) }
                chain.removeAll()
            }
            stack.removeAll(keepingCapacity: true)
            pendingContinuation = continued
        }

        /// The mark at token `i`: its scalar (or `twoApostrophes`, `twoBackticks`), and the
        /// tokens it takes (two for `''` and ``` `` ```); 0 for a token that is no mark.
        let bytes = doc.text.bytes
        func markKey(_ i: Int) -> (UInt32, Range<Int>) {
            let t = tokens[i]
            guard t.kind == .punct, t.length == 1 else { return (0, i..<(i + 1)) }
            let b = bytes[t.byteRange.lowerBound]
            let scalar: UInt32 = b < 0x80 ? UInt32(b) : bytes.withUnsafeBufferPointer { TextBuffer.decodeScalar($0, at: t.byteRange.lowerBound).0.value }
            if b == 0x27 || b == 0x60, i + 1 < n, tokens[i + 1].has(.attached), !tokens[i + 1].has(.lineStart),
                tokens[i + 1].kind == .punct, tokens[i + 1].length == 1, bytes[tokens[i + 1].byteRange.lowerBound] == b
            {
                return (b == 0x27 ? Self.twoApostrophes : Self.twoBackticks, i..<(i + 2))
            }
            return (scalar, i..<(i + 1))
        }

        var i = 0
        while i < n {
            let t = tokens[i]
            if t.has(.lineStart) && i > 0 {
                endLine(last: i - 1)
                lineContinues = pendingContinuation
                pendingContinuation = false
                lineFirst = i
            }
            guard t.kind == .punct else { i += 1; continue }
            let (mark, span) = markKey(i)
            guard let info = table[mark] else { i += 1; continue }
            let j = span.upperBound
            let prevAttached = t.has(.attached) && !t.has(.lineStart) && i > 0
            let prevIsWord = prevAttached && tokens[i - 1].kind != .punct
            let nextAttached = j < n && tokens[j].has(.attached) && !tokens[j].has(.lineStart)
            let nextIsWord = nextAttached && tokens[j].kind != .punct
            let canOpen = !prevIsWord && nextAttached
            let canClose = prevAttached && !nextIsWord
            defer { i = j }
            if !info.isDouble && prevIsWord && nextIsWord { continue }  // an apostrophe

            // The open quotation this mark can close: the nearest one of a convention it closes
            // (only the innermost for single marks).
            var closable: Int? = nil
            if !info.closes.isEmpty {
                for k in stack.indices.reversed() {
                    if stack[k].conventions.contains(where: { info.closes.contains($0) }) { closable = k; break }
                    if !info.isDouble { break }
                }
            }
            // A double mark in a closing position (after a word, before a space) closes the
            // nearest open quotation even when it is the wrong way round (`51 percent.“`).
            if closable == nil, info.isDouble, canClose, !canOpen, !nextAttached {
                closable = stack.lastIndex { $0.isDouble }
            }
            let stackHasDouble = stack.contains { $0.isDouble }
            var closes = false
            if closable != nil {
                // A single mark closes only where its neighbours allow; a double one also when it
                // could not open (a mark must pair with something).
                closes = info.isDouble ? (!info.ambiguous || canClose || !canOpen) : canClose
            }
            if closes, let k = closable {
                let open = stack[k]
                let index = emit(open, closeMark: span, contentEnd: Int(t.start), endToken: i, openEnded: false)
                if k == 0 && open.continues { chain.removeAll() }
                stack.removeSubrange(k...)
                if let index, k > 0 { stack[k - 1].children.append(index) }
                continue
            }
            guard !info.opens.isEmpty else { continue }
            // A single mark opens only before a letter ('90s is an apostrophe).
            let opens = info.isDouble ? (canOpen || !stackHasDouble || !info.ambiguous) : (canOpen && nextIsWord && tokens[j].kind == .word)
            guard opens else { continue }
            guard stack.count < maxDepth else {
                tooDeep += 1
                continue
            }
            let attribute = (prevAttached && tokens[i - 1].key == Self.equals) || (stack.last?.attribute ?? false)
            stack.append(Open(
                conventions: info.opens, mark: span, isDouble: info.isDouble, attribute: attribute,
                continues: lineContinues && i == lineFirst))
        }
        if n > 0 {
            endLine(last: n - 1)
        }
        if !dropped.isEmpty {
            for k in out.indices where out[k].parent.map({ dropped.contains($0) }) ?? false { out[k].parent = nil }
        }
        // In text order; parents follow their quotations to their new places.
        let order = out.indices.filter { !dropped.contains($0) }.sorted { (out[$0].range.lowerBound, out[$0].range.upperBound, $0) < (out[$1].range.lowerBound, out[$1].range.upperBound, $1) }
        var place = [Int](repeating: -1, count: out.count)
        for (k, old) in order.enumerated() { place[old] = k }
        let quotes = order.map { old in
            var q = out[old]
            q.parent = q.parent.flatMap { place[$0] >= 0 ? place[$0] : nil }
            return q
        }
        return (quotes, tooDeep)
    }
}
