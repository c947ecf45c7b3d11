import ParallaxCore

/// The reading cursor of the focused pane: the word it is on and, during a selection, where the
/// selection started. Both are scalar ranges of the article text.
public struct ReadingCursor: Equatable, Sendable {
    public var pane: Int
    public var article: Int
    /// The range the cursor highlights (a word, or a whole mention or quote just selected).
    public var word: Range<Int>
    /// Where the selection started, or nil when nothing is selected.
    public var anchor: Range<Int>?

    public init(pane: Int, article: Int, word: Range<Int>, anchor: Range<Int>? = nil) {
        self.pane = pane
        self.article = article
        self.word = word
        self.anchor = anchor
    }

    /// The selected range: from the start of the earlier of anchor and cursor to the end of the later.
    public var selection: Range<Int>? {
        guard let anchor else { return nil }
        return min(anchor.lowerBound, word.lowerBound)..<max(anchor.upperBound, word.upperBound)
    }
}

/// Words, sentences and paragraph starts of an article's reading view, computed once per article.
public final class TextIndexCache {
    public struct Index {
        /// Word and number tokens (punctuation skipped), in text order.
        public var words: [Range<Int>]
        public var sentences: [Range<Int>]
        /// Index into `words` of each paragraph's first word.
        public var paragraphStarts: [Int]
    }
    private struct Key: Hashable {
        let article: Int
        let original: Bool
    }
    private var indexes: [Key: Index] = [:]
    private let corpus: Corpus

    public init(corpus: Corpus) { self.corpus = corpus }

    public func index(article: Int, original: Bool) -> Index {
        let key = Key(article: article, original: original)
        if let i = indexes[key] { return i }
        if indexes.count > 8 { indexes = [:] }
        let a = corpus.articles[article]
        // The document model's tokens of the view on screen (hidden junk skipped, or not),
        // from where the reading body starts.
        let doc = Doc(a, view: original ? .original : .reading)
        let first = doc.firstToken(startingAtOrAfter: a.bodyStart)
        var words: [Range<Int>] = []
        var starts: [Int] = []
        var paragraphPending = true
        for i in first..<doc.tokens.count {
            let t = doc.tokens[i]
            if t.has(.paragraphStart) { paragraphPending = true }
            guard t.kind != .punct else { continue }
            if paragraphPending { starts.append(words.count); paragraphPending = false }
            words.append(t.range)
        }
        let sentences = doc.sentences.filter { $0.lowerBound >= first }.map { doc.range(ofTokens: $0) }
        let index = Index(words: words, sentences: sentences, paragraphStarts: starts)
        indexes[key] = index
        return index
    }
}

extension AppState {
    /// The cursor when it belongs to the focused pane and the article it shows.
    public var activeCursor: ReadingCursor? {
        guard let c = cursor, c.pane == focus, panes.indices.contains(focus), panes[focus].article == c.article else { return nil }
        return c
    }

    func textIndex(pane: Int) -> TextIndexCache.Index {
        textIndexes.index(article: panes[pane].article, original: showOriginal)
    }

    /// Index of the first word starting at or after `offset`.
    static func firstWord(_ words: [Range<Int>], atOrAfter offset: Int) -> Int {
        var lo = 0, hi = words.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if words[mid].lowerBound < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Places the cursor on the first word on screen when there is none; returns false when the
    /// pane has no words.
    mutating func ensureCursor() -> Bool {
        // A cursor scrolled out of sight starts again where the reader is looking.
        if let c = activeCursor, isOnScreen(c.word.lowerBound, pane: focus) { return true }
        let words = textIndex(pane: focus).words
        guard !words.isEmpty else {
            message = StatusMessage(text: "no words to put the cursor on", isWarning: true)
            return false
        }
        let i = min(words.count - 1, Self.firstWord(words, atOrAfter: panes[focus].top))
        cursor = ReadingCursor(pane: focus, article: panes[focus].article, word: words[i])
        return true
    }

    /// True when `offset` is on one of the pane's visible lines.
    func isOnScreen(_ offset: Int, pane: Int) -> Bool {
        let l = layout(for: pane)
        let top = panes[pane].top
        if offset < top { return false }
        var bottom = top
        for _ in 0..<max(0, geometry.bodyHeight - 1) {
            guard let next = l.lineStart(after: bottom) else { return true }
            bottom = next
        }
        return l.lineStart(containing: offset) <= bottom
    }

    mutating func moveCursor(_ command: Command, times: Int) {
        let hadCursor = activeCursor.map { isOnScreen($0.word.lowerBound, pane: focus) } ?? false
        guard ensureCursor(), var c = cursor else { return }
        defer {
            cursor = c
            reveal(offset: c.word.lowerBound, pane: focus)
            // On an annotated word, the status line says what is there (conflicts side by side).
            if c.anchor == nil {
                let here = annotations(at: c.word.lowerBound, article: c.article)
                if !here.isEmpty {
                    message = StatusMessage(text: Self.summary(here), isWarning: false)
                    cursorSummary = message?.text
                } else if let shown = cursorSummary, message?.text == shown {
                    // Moving off an annotation takes its description away.
                    message = nil
                }
            }
        }
        // The first key only shows the cursor where reading is.
        if !hadCursor { return }
        let index = textIndex(pane: focus)
        let words = index.words
        // The word the cursor starts from (its first word when it covers a mention or quote).
        var at = min(words.count - 1, Self.firstWord(words, atOrAfter: c.word.lowerBound))
        for _ in 0..<times {
            switch command {
            case .nextWord:
                at = min(words.count - 1, Self.firstWord(words, atOrAfter: c.word.upperBound))
            case .previousWord:
                at = max(0, Self.firstWord(words, atOrAfter: c.word.lowerBound) - 1)
            case .nextSentence, .previousSentence:
                let sentences = index.sentences
                guard !sentences.isEmpty else { break }
                let offset = c.word.lowerBound
                // The sentence holding the cursor, or the last one starting before it.
                var s = sentences.lastIndex { $0.lowerBound <= offset } ?? 0
                if command == .nextSentence {
                    s = min(sentences.count - 1, s + 1)
                    if sentences[s].lowerBound <= offset { break }
                } else if sentences[s].lowerBound >= offset || Self.firstWord(words, atOrAfter: sentences[s].lowerBound) == at {
                    s = max(0, s - 1)
                }
                at = min(words.count - 1, Self.firstWord(words, atOrAfter: sentences[s].lowerBound))
            case .nextParagraph:
                if let p = index.paragraphStarts.first(where: { $0 > at }) { at = p }
            case .previousParagraph:
                at = index.paragraphStarts.last(where: { $0 < at }) ?? 0
            default:
                break
            }
            c.word = words[at]
        }
    }

    mutating func toggleVisual() {
        let had = activeCursor.map { isOnScreen($0.word.lowerBound, pane: focus) } ?? false
        guard ensureCursor(), var c = cursor else { return }
        if had && c.anchor != nil {
            c.anchor = nil
            message = StatusMessage(text: "selection dropped", isWarning: false)
        } else {
            c.anchor = c.word
            message = StatusMessage(text: "-- VISUAL -- (motions extend, a annotates, Esc drops)", isWarning: false)
        }
        cursor = c
    }

    /// Selects a whole range around the cursor: its sentence, entity mention or quotation.
    mutating func selectAround(_ command: Command) {
        guard ensureCursor(), var c = cursor else { return }
        let offset = c.word.lowerBound
        let found: Range<Int>?
        let what: String
        switch command {
        case .selectSentence:
            what = "sentence"
            found = textIndex(pane: focus).sentences.first { $0.contains(offset) || $0.lowerBound == offset }
        case .selectMention:
            what = "entity mention"
            if entities == nil {
                message = StatusMessage(text: analysisPending ? "entities are still being analysed…" : "no entity analysis loaded", isWarning: true)
                return
            }
            found = mentions(article: c.article).first { $0.range.contains(offset) }?.range
        default:
            what = "quotation"
            if quotes == nil {
                message = StatusMessage(text: analysisPending ? "quotes are still being analysed…" : "no quote analysis loaded", isWarning: true)
                return
            }
            found = quotes(article: c.article).first { $0.range.contains(offset) }?.range
        }
        guard let range = found else {
            message = StatusMessage(text: "no \(what) under the cursor", isWarning: true)
            return
        }
        c.anchor = range
        c.word = range
        cursor = c
        message = StatusMessage(text: "\(what) selected (a annotates, Esc drops)", isWarning: false)
    }

    /// Esc: the selection first, then search highlighting, then the cursor.
    mutating func clearSelectionOrSearch() {
        if var c = activeCursor, c.anchor != nil {
            c.anchor = nil
            cursor = c
            message = nil
        } else if placing != nil {
            placing = nil
            message = StatusMessage(text: "re-placing cancelled", isWarning: false)
        } else if search != nil {
            search = nil
            message = nil
        } else if cursor != nil {
            cursor = nil
            message = nil
        }
    }
}
