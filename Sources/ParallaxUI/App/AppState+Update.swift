import Foundation
import ParallaxCore

/// Side effects the runner performs after an update.
public enum Effect: Equatable, Sendable {
    case quit
    /// Repaint every cell (after ^L or when the screen may be garbled).
    case fullRedraw
}

extension AppState {
    /// The single entry point for change: an input event in, effects out.
    @discardableResult
    public mutating func update(_ event: InputEvent) -> [Effect] {
        switch event {
        case .resize(let w, let h):
            resize(width: w, height: h)
            return [.fullRedraw]
        case .mouse(let m):
            handleMouse(m)
            return []
        case .key(let key):
            return handleKey(key)
        case .hangup:
            // Everything confirmed is already in the store; leave rather than wait on a dead terminal.
            quit = true
            return [.quit]
        }
    }

    // MARK: - Resize

    mutating func resize(width w: Int, height h: Int) {
        width = max(0, w)
        height = max(0, h)
        reanchorPanes()
    }

    /// After anything that changes pane widths or the view: each pane's reading position is a text
    /// offset, so the new layout finds the line that shows it.
    mutating func reanchorPanes() {
        for i in panes.indices {
            panes[i].top = layout(for: i).lineStart(containing: panes[i].top)
            clampTop(i)
        }
    }

    // MARK: - Mouse

    mutating func handleMouse(_ m: MouseEvent) {
        guard case .normal = mode, !geometry.tooSmall, m.y < geometry.statusRow,
              let pane = geometry.pane(atColumn: m.x) else { return }
        switch m.action {
        case .press:
            focus = pane
        case .wheelUp:
            scroll(pane: pane, by: -3)
        case .wheelDown:
            scroll(pane: pane, by: 3)
        }
    }

    // MARK: - Keys

    mutating func handleKey(_ key: Key) -> [Effect] {
        switch mode {
        case .normal:
            return handleNormal(key)
        case .prompt(var prompt):
            return handlePrompt(key, &prompt)
        case .picker(var picker):
            handlePicker(key, &picker)
            return []
        case .overlay(var overlay):
            handleOverlay(key, &overlay)
            return []
        case .entityPanel(var panel):
            handleEntityPanel(key, &panel)
            return []
        case .quoteMap(var map):
            handleQuoteMap(key, &map)
            return []
        case .annotationForm(var form):
            handleAnnotationForm(key, &form)
            return []
        case .annotationPanel(var panel):
            handleAnnotationPanel(key, &panel)
            return []
        }
    }

    mutating func handleNormal(_ key: Key) -> [Effect] {
        if geometry.tooSmall {
            // Only quitting makes sense when nothing can be shown.
            if case .char("q") = key { return run(.quit, count: nil) }
        }
        // ^C (or Esc) after a count or the start of a sequence cancels it, as in vim.
        if (key == .ctrl("c") || key == .escape), !sequencer.display.isEmpty {
            sequencer.reset()
            return []
        }
        switch sequencer.feed(key, keymap: keymap) {
        case .pending:
            return []
        case .unbound(let keys):
            if keys != [.escape] {
                message = StatusMessage(text: "\(keys.map(\.notation).joined()) is not bound (h for help)", isWarning: false)
            }
            return []
        case .command(let command, let count):
            return run(command, count: count)
        }
    }

    /// Runs a command from a key, the prompt or a test.
    public mutating func run(_ command: Command, count: Int?, argument: String? = nil) -> [Effect] {
        if command != .clearSearch { message = nil }
        let n = max(1, count ?? 1)
        let body = geometry.bodyHeight
        switch command {
        case .scrollDown: scrollFocused(by: n)
        case .scrollUp: scrollFocused(by: -n)
        case .pageDown: scrollFocused(by: n * max(1, body - 1))
        case .pageUp: scrollFocused(by: -n * max(1, body - 1))
        case .halfPageDown: scrollFocused(by: n * max(1, body / 2))
        case .halfPageUp: scrollFocused(by: -n * max(1, body / 2))
        case .top: goTo(line: count ?? 1)
        case .bottom:
            if let count { goTo(line: count) } else { goToEnd() }
        case .focusNext: focus = (focus + 1) % panes.count
        case .focusPrevious: focus = (focus + panes.count - 1) % panes.count
        case .focusLeft: focus = max(0, focus - 1)
        case .focusRight: focus = min(panes.count - 1, focus + 1)
        case .addPane: addPane()
        case .closePane: closePane()
        case .openPicker:
            if let argument, !argument.isEmpty {
                openArticle(named: argument)
            } else {
                var picker = PickerState()
                picker.matches = filterArticles("")
                picker.selected = picker.matches.firstIndex(of: panes[focus].article) ?? 0
                mode = .picker(picker)
            }
        case .toggleSync:
            sync.toggle()
            message = StatusMessage(text: sync ? "synchronised scrolling on" : "synchronised scrolling off", isWarning: false)
        case .searchForward: mode = .prompt(PromptState(kind: .search(forward: true)))
        case .searchBackward: mode = .prompt(PromptState(kind: .search(forward: false)))
        case .nextMatch: repeatSearch(sameDirection: true, times: n)
        case .previousMatch: repeatSearch(sameDirection: false, times: n)
        case .clearSearch: clearSelectionOrSearch()
        case .nextWord, .previousWord, .nextSentence, .previousSentence, .nextParagraph, .previousParagraph:
            moveCursor(command, times: n)
        case .visual: toggleVisual()
        case .annotate:
            // `:annotate --session NAME …` starts a session, as `parallax annotate` does.
            if let argument, !argument.isEmpty { startSession(argument) } else { openAnnotationForm() }
        case .session: startSession(argument)
        case .annotationPanel: openAnnotationPanel()
        case .undoAnnotation: undoRedo(redo: false)
        case .redoAnnotation: undoRedo(redo: true)
        case .selectSentence, .selectMention, .selectQuote: selectAround(command)
        case .nextEntity: moveMention(forward: true, sameEntity: false, times: n)
        case .previousEntity: moveMention(forward: false, sameEntity: false, times: n)
        case .nextSameEntity: moveMention(forward: true, sameEntity: true, times: n)
        case .previousSameEntity: moveMention(forward: false, sameEntity: true, times: n)
        case .entityInOtherPanes: jumpOtherPanes(forward: true)
        case .entityInOtherPanesBack: jumpOtherPanes(forward: false)
        case .entityPanel:
            if entities == nil {
                message = StatusMessage(text: analysisPending ? "entities are still being analysed…" : "no entity analysis loaded", isWarning: true)
            } else {
                mode = .entityPanel(EntityPanelState())
            }
        case .highlight: toggleHighlights(argument)
        case .notEntity: markNotEntity()
        case .entityUndo: undoCorrection(redo: false)
        case .entityRedo: undoCorrection(redo: true)
        case .nextQuote: moveQuote(forward: true, times: n)
        case .previousQuote: moveQuote(forward: false, times: n)
        case .quoteTwins: alignTwins()
        case .jumpBack: jumpBackward()
        case .quoteMap:
            if quotes == nil {
                message = StatusMessage(text: analysisPending ? "quotes are still being analysed…" : "no quote analysis loaded", isWarning: true)
            } else {
                mode = .quoteMap(QuoteMapState())
            }
        case .toggleOriginal:
            showOriginal.toggle()
            reanchorPanes()
            message = StatusMessage(
                text: showOriginal ? "original text: related-link junk shown" : "reading view: related-link junk hidden",
                isWarning: false)
        case .commandPrompt: mode = .prompt(PromptState(kind: .command))
        case .help: mode = .overlay(OverlayState(kind: .help))
        case .messages: mode = .overlay(OverlayState(kind: .messages))
        case .redraw:
            // Also shows what other instances wrote to the annotation store.
            annotations?.refresh()
            return [.fullRedraw]
        case .quit:
            quit = true
            return [.quit]
        }
        return []
    }

    // MARK: - Scrolling

    func maxTop(_ pane: Int) -> Int {
        layout(for: pane).lastTop(height: geometry.bodyHeight)
    }

    mutating func clampTop(_ pane: Int) {
        let limit = maxTop(pane)
        if panes[pane].top > limit { panes[pane].top = limit }
    }

    mutating func scroll(pane: Int, by lines: Int) {
        let targets = sync ? Array(panes.indices) : [pane]
        for i in targets {
            let l = layout(for: i)
            let limit = maxTop(i)
            var next = l.move(panes[i].top, by: lines)
            if lines > 0 && next > limit { next = max(limit, panes[i].top) }
            panes[i].top = next
        }
    }

    mutating func scrollFocused(by lines: Int) { scroll(pane: focus, by: lines) }

    mutating func goTo(line: Int) {
        let targets = sync ? Array(panes.indices) : [focus]
        for i in targets {
            let l = layout(for: i)
            panes[i].top = min(l.move(l.firstLineStart, by: max(0, line - 1)), maxTop(i))
        }
    }

    mutating func goToEnd() {
        let targets = sync ? Array(panes.indices) : [focus]
        for i in targets { panes[i].top = maxTop(i) }
    }

    /// Scrolls the pane so that `offset` is visible, a third of the way down when it has to move.
    mutating func reveal(offset: Int, pane: Int) {
        let l = layout(for: pane)
        let line = l.lineStart(containing: offset)
        var bottom = panes[pane].top
        for _ in 0..<(geometry.bodyHeight - 1) {
            guard let next = l.lineStart(after: bottom) else { break }
            bottom = next
        }
        if line >= panes[pane].top && line <= bottom { return }
        panes[pane].top = min(l.move(line, by: -(geometry.bodyHeight / 3)), maxTop(pane))
    }

    // MARK: - Panes

    mutating func addPane() {
        guard panes.count < 4 else {
            message = StatusMessage(text: "at most 4 panes", isWarning: true)
            return
        }
        let shown = Set(panes.map(\.article))
        let next = corpus.articles.indices.first { !shown.contains($0) } ?? panes[focus].article
        panes.insert(PaneState(article: next, top: corpus.articles[next].bodyStart), at: focus + 1)
        focus += 1
        reanchorPanes()
    }

    mutating func closePane() {
        guard panes.count > 1 else {
            message = StatusMessage(text: "cannot close the last pane (q quits)", isWarning: true)
            return
        }
        panes.remove(at: focus)
        focus = min(focus, panes.count - 1)
        reanchorPanes()
    }

    mutating func show(article: Int, inPane pane: Int) {
        panes[pane] = PaneState(article: article, top: corpus.articles[article].bodyStart)
        panes[pane].top = layout(for: pane).lineStart(containing: panes[pane].top)
        if search?.currentArticle == article { search?.current = nil }
    }

    mutating func openArticle(named name: String) {
        let articles = corpus.articles
        if let i = articles.firstIndex(where: { $0.id == name }) ?? articles.firstIndex(where: { $0.id.hasPrefix(name) })
            ?? Int(name).flatMap({ $0 >= 1 && $0 <= articles.count ? $0 - 1 : nil }) {
            show(article: i, inPane: focus)
        } else {
            message = StatusMessage(text: "no article matches \(name)", isWarning: true)
        }
    }

    func filterArticles(_ query: String) -> [Int] {
        let words = query.lowercased().split(separator: " ").map { Array($0.utf8) }
        if words.isEmpty { return Array(corpus.articles.indices) }
        let haystacks = views.articleHaystacks {
            corpus.articles.map { a in
                Array([a.id, a.metadata.source ?? "", a.metadata.date ?? "", a.metadata.title ?? "", a.path]
                    .joined(separator: " ").lowercased().utf8)
            }
        }
        // Byte search over lowercased UTF-8: a keystroke filters 10,000 articles in a few milliseconds.
        return corpus.articles.indices.filter { i in
            words.allSatisfy { AppState.bytes(haystacks[i], contain: $0) }
        }
    }

    static func bytes(_ h: [UInt8], contain w: [UInt8]) -> Bool {
        guard let first = w.first, w.count <= h.count else { return w.isEmpty }
        return h.withUnsafeBufferPointer { h in
            w.withUnsafeBufferPointer { w in
                var i = 0
                let last = h.count - w.count
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < w.count && h[i + k] == w[k] { k += 1 }
                        if k == w.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    // MARK: - Search

    mutating func startSearch(_ raw: String, forward: Bool) {
        let text = raw.isEmpty ? (search?.pattern.raw ?? "") : raw
        guard let pattern = SearchPattern(text) else {
            message = StatusMessage(text: "no previous search pattern", isWarning: true)
            return
        }
        if !raw.isEmpty {
            searchHistory.removeAll { $0 == raw }
            searchHistory.append(raw)
        }
        search = SearchState(pattern: pattern, forward: forward, current: nil, currentArticle: nil)
        let a = article(for: focus)
        let hidden = showOriginal ? [] : a.hiddenRanges
        // Like less: the search starts at the top of the screen.
        let from = panes[focus].top
        jump(to: findMatch(pattern, a, hidden, from: from, forward: forward), forward: forward)
    }

    private func findMatch(_ p: SearchPattern, _ a: Article, _ hidden: [Range<Int>], from: Int, forward: Bool) -> (Range<Int>, wrapped: Bool)? {
        if let m = TextSearch.find(p, in: a.text, range: a.bodyRange, hidden: hidden, from: from, forward: forward) {
            return (m, false)
        }
        let restart = forward ? a.bodyStart : a.text.scalarCount
        if let m = TextSearch.find(p, in: a.text, range: a.bodyRange, hidden: hidden, from: restart, forward: forward) {
            return (m, true)
        }
        return nil
    }

    private mutating func jump(to result: (Range<Int>, wrapped: Bool)?, forward: Bool) {
        guard var s = search else { return }
        guard let (match, wrapped) = result else {
            message = StatusMessage(text: "Pattern not found: \(s.pattern.raw)", isWarning: true)
            s.current = nil
            search = s
            return
        }
        s.current = match
        s.currentArticle = panes[focus].article
        search = s
        reveal(offset: match.lowerBound, pane: focus)
        let total = TextSearch.matches(of: s.pattern, in: article(for: focus).text, range: article(for: focus).bodyRange,
                                       hidden: showOriginal ? [] : article(for: focus).hiddenRanges, limit: 10_000)
        let index = (total.firstIndex(of: match) ?? 0) + 1
        let count = total.count >= 10_000 ? "10000+" : String(total.count)
        var text = "/\(s.pattern.raw)  match \(index) of \(count)"
        if wrapped { text += forward ? "  (search hit BOTTOM, continued at TOP)" : "  (search hit TOP, continued at BOTTOM)" }
        message = StatusMessage(text: text, isWarning: false)
    }

    mutating func repeatSearch(sameDirection: Bool, times: Int) {
        guard let s = search else {
            message = StatusMessage(text: "no previous search pattern", isWarning: true)
            return
        }
        let forward = sameDirection ? s.forward : !s.forward
        let a = article(for: focus)
        let hidden = showOriginal ? [] : a.hiddenRanges
        for _ in 0..<times {
            let cur = (search?.currentArticle == panes[focus].article) ? search?.current : nil
            let from: Int
            if let cur {
                from = forward ? cur.lowerBound + 1 : cur.lowerBound
            } else {
                from = panes[focus].top
            }
            jump(to: findMatch(s.pattern, a, hidden, from: from, forward: forward), forward: forward)
        }
    }

    // MARK: - Prompt

    mutating func handlePrompt(_ key: Key, _ prompt: inout PromptState) -> [Effect] {
        switch key {
        case .escape, .ctrl("c"), .ctrl("g"):
            mode = .normal
            return []
        case .backspace where prompt.editor.text.isEmpty:
            mode = .normal
            return []
        case .enter:
            let text = prompt.editor.text
            mode = .normal
            switch prompt.kind {
            case .search(let forward):
                startSearch(text, forward: forward)
                return []
            case .command:
                return execute(commandLine: text)
            }
        case .tab where prompt.kind == .command:
            complete(&prompt)
        case .up, .down:
            let history = prompt.kind == .command ? commandHistory : searchHistory
            if !history.isEmpty {
                let current = history.firstIndex(of: prompt.editor.text)
                let next: Int
                if key == .up {
                    next = max(0, (current ?? history.count) - 1)
                } else {
                    next = min(history.count - 1, (current ?? history.count - 1) + 1)
                }
                prompt.editor.set(history[next])
            }
        default:
            if prompt.editor.handle(key) == .edited {
                prompt.completions = []
                prompt.completionIndex = nil
            }
        }
        mode = .prompt(prompt)
        return []
    }

    /// All names the `:` prompt accepts, for completion.
    public static var commandNames: [String] {
        (Command.allCases.map(\.rawValue) + Array(Command.aliases.keys)).sorted()
    }

    mutating func complete(_ prompt: inout PromptState) {
        if prompt.completions.isEmpty {
            let typed = prompt.editor.text
            if typed.contains(" ") {
                // Complete the argument: an article id, a session name, an entity type.
                let parts = typed.split(separator: " ", maxSplits: 1).map(String.init)
                let word = parts.count > 1 ? parts[1] : ""
                switch Command.named(parts[0]) {
                case .openPicker:
                    prompt.completions = corpus.articles.map(\.id).filter { $0.hasPrefix(word) }.map { parts[0] + " " + $0 }
                case .session:
                    prompt.completions = knownSessions().filter { $0.hasPrefix(word) && !$0.contains(" ") }.map { parts[0] + " " + $0 }
                case .highlight:
                    prompt.completions = (EntityType.allCases.map(\.rawValue) + ["all", "none"])
                        .filter { $0.lowercased().hasPrefix(word.lowercased()) }.map { parts[0] + " " + $0 }
                default:
                    return
                }
            } else {
                prompt.completions = Command.allCases.map(\.rawValue).filter { $0.hasPrefix(typed) }
            }
            if prompt.completions.isEmpty {
                message = StatusMessage(text: "no completion for \(typed)", isWarning: true)
                return
            }
            if prompt.completions.count == 1 {
                prompt.editor.set(prompt.completions[0] + (prompt.completions[0].contains(" ") ? "" : " "))
                prompt.completions = []
                return
            }
            prompt.completionIndex = 0
        } else {
            prompt.completionIndex = ((prompt.completionIndex ?? -1) + 1) % prompt.completions.count
        }
        prompt.editor.set(prompt.completions[prompt.completionIndex ?? 0])
    }

    /// Runs a `:` command line: a command name with an optional argument, or a line number.
    public mutating func execute(commandLine raw: String) -> [Effect] {
        let line = raw.trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty else { return [] }
        commandHistory.removeAll { $0 == line }
        commandHistory.append(line)
        if let n = Int(line) {
            goTo(line: n)
            return []
        }
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard let command = Command.named(parts[0]) else {
            message = StatusMessage(text: "Not a command: \(parts[0]) (Tab completes, h for help)", isWarning: true)
            return []
        }
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
        var count: Int?
        if let argument, !command.takesTextArgument {
            guard let n = Int(argument) else {
                message = StatusMessage(text: "\(command.rawValue) takes no argument but a count", isWarning: true)
                return []
            }
            count = n
        }
        return run(command, count: count, argument: argument)
    }

    // MARK: - Picker

    mutating func handlePicker(_ key: Key, _ picker: inout PickerState) {
        switch key {
        case .escape, .ctrl("c"), .ctrl("g"):
            mode = .normal
            return
        case .enter:
            mode = .normal
            if picker.matches.indices.contains(picker.selected) {
                show(article: picker.matches[picker.selected], inPane: focus)
            }
            return
        case .down, .ctrl("n"), .tab:
            if !picker.matches.isEmpty { picker.selected = (picker.selected + 1) % picker.matches.count }
        case .up, .ctrl("p"), .backTab:
            if !picker.matches.isEmpty { picker.selected = (picker.selected + picker.matches.count - 1) % picker.matches.count }
        case .pageDown:
            picker.selected = min(max(0, picker.matches.count - 1), picker.selected + 10)
        case .pageUp:
            picker.selected = max(0, picker.selected - 10)
        default:
            if picker.editor.handle(key) == .edited {
                picker.matches = filterArticles(picker.editor.text)
                picker.selected = 0
            }
        }
        mode = .picker(picker)
    }

    // MARK: - Overlays

    mutating func handleOverlay(_ key: Key, _ overlay: inout OverlayState) {
        let page = max(1, geometry.height - 4)
        switch key {
        case .escape, .char("q"), .char("h"), .char("H"), .function(1), .ctrl("c"):
            mode = .normal
            return
        case .char("j"), .down, .enter: overlay.scroll += 1
        case .char("k"), .up: overlay.scroll -= 1
        case .char(" "), .pageDown, .char("f"), .ctrl("f"), .ctrl("d"): overlay.scroll += page
        case .char("b"), .pageUp, .ctrl("b"), .ctrl("u"): overlay.scroll -= page
        case .char("g"), .home: overlay.scroll = 0
        case .char("G"), .end: overlay.scroll = Int.max / 2
        default: break
        }
        overlay.scroll = max(0, overlay.scroll)
        mode = .overlay(overlay)
    }
}
