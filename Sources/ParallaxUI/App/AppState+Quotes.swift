import Foundation
import ParallaxCore

extension AppState {
    /// Takes the quote analysis, arranging it here (`PreparedQuotes` is cheaper built on the
    /// analysis thread: see `receive(_: PreparedQuotes)`).
    public mutating func receive(_ analysis: QuoteAnalysis) {
        receive(PreparedQuotes(analysis, corpus: corpus))
    }

    public mutating func receive(_ prepared: PreparedQuotes) {
        preparedQuotes = prepared
        if let old = speakerEntities, let now = entities {
            // Entities were corrected while the quotes were being attributed.
            preparedQuotes = PreparedQuotes(prepared.analysis.remappingSpeakers(from: old, to: now), corpus: corpus)
            speakerEntities = nil
        }
        analysisPending = false
        views.clear()
        currentQuote = nil
        twinQuotes = [:]
        // What the analysis capped is said, as load warnings are (unless one is up already).
        let warnings = analysisWarnings
        if let first = warnings.first, message?.isWarning != true {
            let more = warnings.count > 1 ? " (+\(warnings.count - 1) more, :messages)" : " (:messages)"
            message = StatusMessage(text: first + more, isWarning: true)
        }
    }

    /// Warnings from the analysis, one line each naming the article's file: quotation marks
    /// nested too deep to be read.
    var analysisWarnings: [String] {
        quotes?.depthWarnings(corpus: corpus) ?? []
    }

    func quotes(article: Int) -> [Quote] {
        article < quotesByArticle.count ? quotesByArticle[article] : []
    }

    func cluster(_ id: ClusterID?) -> QuoteCluster? {
        guard let id, let q = quotes, id.rawValue < q.clusters.count else { return nil }
        return q[id]
    }

    func quote(id: QuoteID) -> Quote? {
        guard let q = quotes, id.rawValue < q.quotes.count else { return nil }
        return q[id]
    }

    /// The quote under focus: the one `]q` moved to, if it is in the focused pane's article.
    var focusedQuote: Quote? {
        guard let c = currentQuote, c.article == panes[focus].article else { return nil }
        let list = quotes(article: c.article)
        return c.index < list.count ? list[c.index] : nil
    }

    private mutating func requireQuotes() -> Bool {
        if quotes == nil {
            message = StatusMessage(text: analysisPending ? "quotes are still being analysed…" : "no quote analysis loaded", isWarning: true)
            return false
        }
        return true
    }

    /// `]q` / `[q`: next / previous quotation in the focused pane.
    mutating func moveQuote(forward: Bool, times: Int) {
        guard requireQuotes() else { return }
        let article = panes[focus].article
        let list = quotes(article: article)
        guard !list.isEmpty else {
            message = StatusMessage(text: "no quotation in this article", isWarning: true)
            return
        }
        let current = currentQuote.flatMap { $0.article == article ? $0.index : nil }
        let (index, wrapped) = AppState.step(
            through: Array(list.indices), starts: list.map(\.range.lowerBound), current: current,
            top: panes[focus].top, forward: forward, times: times)
        currentQuote = CurrentMention(article: article, index: index)
        twinQuotes = [:]
        reveal(offset: list[index].range.lowerBound, pane: focus)
        message = StatusMessage(text: describe(list[index], position: index + 1, of: list.count) + (wrapped ? "  (wrapped)" : ""), isWarning: false)
    }

    func describe(_ q: Quote, position: Int, of count: Int) -> String {
        var text = "quote \(position)/\(count)"
        text += " · " + (q.speaker.map { "\($0.name) (\($0.evidence))" } ?? "speaker unknown")
        if let c = cluster(q.cluster) {
            let sources = preparedQuotes?.spread[c.id.rawValue] ?? 0
            text += " · same utterance in \(sources) of \(corpus.articles.count) sources · t twins"
        } else {
            text += " · in no other source"
        }
        if q.isFragment { text += " · fragment" }
        return text
    }

    /// The twins key: every other pane shows a version of the current quote on the same screen
    /// row where it can; pressed again, panes with several versions cycle through them.
    mutating func alignTwins() {
        guard requireQuotes() else { return }
        guard let q = focusedQuote else {
            message = StatusMessage(text: "no current quote here: ]q moves to one first", isWarning: true)
            return
        }
        guard let c = cluster(q.cluster) else {
            message = StatusMessage(text: "this quote appears in no other source", isWarning: false)
            return
        }
        let cycling = !twinQuotes.isEmpty
        if !cycling { pushJump() }
        let row = screenRow(of: q.range.lowerBound, pane: focus) ?? geometry.bodyHeight / 3
        var report: [String] = []
        for i in panes.indices where i != focus {
            let article = panes[i].article
            let versions = (preparedQuotes?.versions(c.id, article: corpus.articles[article].id) ?? []).compactMap { quote(id: $0) }
            let id = corpus.articles[article].id
            guard !versions.isEmpty else {
                twinQuotes[i] = nil
                report.append("\(id) —")
                continue
            }
            var pick = versions[0]
            if cycling, let shown = twinQuotes[i], let k = versions.firstIndex(where: { $0.range == shown }) {
                pick = versions[(k + 1) % versions.count]
            }
            twinQuotes[i] = pick.range
            align(pane: i, offset: pick.range.lowerBound, row: row)
            let kind = linkKind(pick.id, in: c).map { " \($0.rawValue)" } ?? ""
            let n = (versions.firstIndex { $0.range == pick.range } ?? 0) + 1
            report.append("\(id)\(kind)" + (versions.count > 1 ? " \(n)/\(versions.count)" : ""))
        }
        message = StatusMessage(text: "twins: " + report.joined(separator: " · ") + " · <C-o> back", isWarning: false)
    }

    /// How a quote relates to its cluster's longest version.
    func linkKind(_ id: QuoteID, in c: QuoteCluster) -> QuoteLink.Kind? {
        if id == c.root { return nil }
        return preparedQuotes?.kind(id)
    }

    mutating func pushJump() {
        jumpBack.append(JumpPoint(panes: panes, focus: focus))
        if jumpBack.count > 50 { jumpBack.removeFirst() }
    }

    /// `<C-o>`: back to where the panes were before the last jump.
    mutating func jumpBackward() {
        guard let point = jumpBack.popLast() else {
            message = StatusMessage(text: "no earlier position", isWarning: true)
            return
        }
        // The corpus and panes may have changed since; restore what still fits.
        if point.panes.count == panes.count {
            panes = point.panes
            focus = min(point.focus, panes.count - 1)
            reanchorPanes()
        }
        twinQuotes = [:]
        twinMentions = [:]
        message = StatusMessage(text: "back", isWarning: false)
    }

    // MARK: - Quote map

    /// Clusters in the map: largest spread first, then by first appearance.
    func mapRows() -> [ClusterID] {
        preparedQuotes?.mapRows ?? []
    }

    mutating func handleQuoteMap(_ key: Key, _ map: inout QuoteMapState) {
        let rows = mapRows()
        if let open = map.versionsOf {
            let page = max(1, versionsRows - 1)
            switch key {
            case .escape, .char("q"), .backspace, .char("h"), .left:
                map.versionsOf = nil
                map.scroll = 0
                map.scrollLine = 0
            case .char("j"), .down: scrollVersions(&map, open, by: 1)
            case .char("k"), .up: scrollVersions(&map, open, by: -1)
            case .pageDown, .char(" "), .ctrl("f"): scrollVersions(&map, open, by: page)
            case .pageUp, .char("b"), .ctrl("b"): scrollVersions(&map, open, by: -page)
            case .char("g"), .home:
                map.scroll = 0
                map.scrollLine = 0
            case .char("G"), .end: scrollVersions(&map, open, by: Int.max)
            default: break
            }
            mode = .quoteMap(map)
            return
        }
        switch key {
        case .escape, .char("q"), .char("Q"), .ctrl("c"):
            mode = .normal
            return
        case .char("j"), .down: map.selected += 1
        case .char("k"), .up: map.selected -= 1
        case .char("g"), .home: map.selected = 0
        case .char("G"), .end: map.selected = rows.count - 1
        case .pageDown, .char(" "): map.selected += 10
        case .pageUp, .char("b"): map.selected -= 10
        case .enter, .char("l"), .right:
            if rows.indices.contains(map.selected) {
                map.versionsOf = rows[map.selected]
                map.scroll = 0
                map.scrollLine = 0
            }
        case .char("o"):
            // Jump to the longest version in the focused pane's article, or open its article.
            mode = .normal
            if rows.indices.contains(map.selected), let c = cluster(rows[map.selected]) { jumpToQuote(c.root) }
            return
        default: break
        }
        map.selected = max(0, min(map.selected, rows.count - 1))
        mode = .quoteMap(map)
    }

    /// Rows of text the versions view shows (inside its box).
    var versionsRows: Int { max(1, height - 4) }

    /// Columns the versions view wraps each version's words into.
    var versionsTextWidth: Int { max(8, min(width - 2, 170) - 4 - 24) }

    /// Scrolls the versions view by `lines` wrapped lines (`Int.max`: to the end). Only the
    /// versions passed over and the last screenful are laid out, so a cluster of thousands of
    /// versions scrolls as fast as one of three; the view stops when the last version's end is
    /// on the last row.
    mutating func scrollVersions(_ map: inout QuoteMapState, _ cluster: ClusterID, by lines: Int) {
        guard let prepared = preparedQuotes, cluster.rawValue < prepared.versionOrder.count else { return }
        let order = prepared.versionOrder[cluster.rawValue]
        guard !order.isEmpty else { return }
        let width = versionsTextWidth
        func count(_ v: Int) -> Int { versionLines(order[v], in: cluster, textWidth: width).count }
        var v = min(map.scroll, order.count - 1), line = min(map.scrollLine, count(v) - 1)
        if lines > 0 {
            // The last start that still fills the screen, found walking back from the end.
            var last = order.count - 1, total = count(last)
            while total < versionsRows && last > 0 {
                last -= 1
                total += count(last)
            }
            let end = (v: last, line: max(0, total - versionsRows))
            // `Int.max` goes straight to the end, laying out nothing on the way.
            var left = lines
            if lines == Int.max { (v, line) = end }
            while left > 0 && (v, line) < (end.v, end.line) {
                let step = min(left, count(v) - line)
                line += step
                left -= step
                if line >= count(v) { v += 1; line = 0 }
            }
            if (v, line) > (end.v, end.line) { (v, line) = end }
        } else {
            var left = -lines
            while left > 0 && (v > 0 || line > 0) {
                if line == 0 { v -= 1; line = count(v) }
                let step = min(left, line)
                line -= step
                left -= step
            }
        }
        map.scroll = v
        map.scrollLine = line
    }

    /// One version in the versions view, wrapped to `textWidth`: its article and kind, then its
    /// words diffed against the longest version, and a blank line after it. Kept between frames.
    func versionLines(_ id: QuoteID, in cluster: ClusterID, textWidth: Int) -> [[(String, Style)]] {
        views.versionLines(id, width: textWidth) {
            guard let c = self.cluster(cluster), let v = quote(id: id) else { return [[]] }
            let root = quote(id: c.root)
            let kind = v.id == c.root ? "longest" : (linkKind(v.id, in: c)?.rawValue ?? "variant")
            var pieces: [(String, Style)] = []
            if v.id == c.root {
                pieces = [(v.text, theme.overlay.merged(with: theme.quote))]
            } else {
                for p in WordDiff.diff(version: v.text, longest: root?.text ?? v.text) {
                    switch p {
                    case .same(let t): pieces.append((t, theme.overlay))
                    case .omitted(let t): pieces.append(("[-" + t + "-]", theme.overlay.merged(with: theme.dim)))
                    case .inserted(let t): pieces.append(("{+" + t + "+}", theme.overlay.merged(with: theme.currentQuote)))
                    }
                }
            }
            // Wrap the pieces word by word into the text column.
            var lines: [[(String, Style)]] = []
            var row: [(String, Style)] = [("\(v.article.prefix(12)) \(kind)", theme.overlayKey)]
            var col = 0
            for (text, style) in pieces {
                for word in text.split(separator: " ") {
                    let wlen = DisplayWidth.glyphs(of: String(word)).reduce(0) { $0 + $1.width }
                    if col > 0 && col + 1 + wlen > textWidth {
                        lines.append(row)
                        row = [("", theme.overlay)]
                        col = 0
                    }
                    row.append(((col > 0 ? " " : "") + word, style))
                    col += wlen + (col > 0 ? 1 : 0)
                }
            }
            lines.append(row)
            lines.append([])
            return lines
        }
    }

    mutating func jumpToQuote(_ id: QuoteID) {
        guard let q = quote(id: id), let article = corpus.articles.firstIndex(where: { $0.id == q.article }) else { return }
        pushJump()
        if let pane = panes.firstIndex(where: { $0.article == article }) {
            focus = pane
        } else {
            show(article: article, inPane: focus)
        }
        let list = quotes(article: article)
        guard let index = list.firstIndex(where: { $0.id == id }) else { return }
        currentQuote = CurrentMention(article: article, index: index)
        twinQuotes = [:]
        reveal(offset: q.range.lowerBound, pane: focus)
        message = StatusMessage(text: describe(q, position: index + 1, of: list.count), isWarning: false)
    }
}

/// A word-level comparison of one version of a quote against the longest version.
public enum WordDiff {
    public enum Piece: Equatable, Sendable {
        case same(String)
        /// Words of the longest version this version leaves out.
        case omitted(String)
        /// Words this version has that the longest does not.
        case inserted(String)
    }

    /// Words (the shared tokenizer's) compared case-insensitively, with curly and straight
    /// apostrophes alike and punctuation ignored; the pieces keep the version's own spelling,
    /// punctuation included. Longest common subsequence over words.
    public static func diff(version: String, longest: String) -> [Piece] {
        let (a, ka) = words(version), (b, kb) = words(longest)
        let n = ka.count, m = kb.count
        // Quotes are short; a full LCS table is fine (bounded to keep worst cases cheap).
        guard n * m <= 4_000_000 else { return [.same(version)] }
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = ka[i] == kb[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [Piece] = []
        func add(_ p: Piece) {
            switch (out.last, p) {
            case (.same(let x)?, .same(let y)): out[out.count - 1] = .same(x + " " + y)
            case (.omitted(let x)?, .omitted(let y)): out[out.count - 1] = .omitted(x + " " + y)
            case (.inserted(let x)?, .inserted(let y)): out[out.count - 1] = .inserted(x + " " + y)
            default: out.append(p)
            }
        }
        var i = 0, j = 0
        while i < n || j < m {
            // On a tie, pass over the longest version's word and match later: a shorter version is
            // usually one contiguous stretch of the longest, so its words should match together.
            if i < n && j < m && ka[i] == kb[j] {
                if table[i][j + 1] == table[i][j] {
                    add(.omitted(b[j])); j += 1
                } else {
                    add(.same(a[i])); i += 1; j += 1
                }
            } else if j < m && (i == n || table[i][j + 1] >= table[i + 1][j]) {
                add(.omitted(b[j])); j += 1
            } else {
                add(.inserted(a[i])); i += 1
            }
        }
        return out
    }

    /// The words of `s` as shown (each with the punctuation around it up to the next word) and
    /// their token keys.
    static func words(_ s: String) -> ([String], [UInt64]) {
        let (text, tokens) = Tokenizer.tokens(of: s)
        let words = tokens.filter { $0.kind != .punct }
        var shown: [String] = []
        for (k, t) in words.enumerated() {
            let start = k == 0 ? 0 : t.range.lowerBound
            let end = k + 1 < words.count ? words[k + 1].range.lowerBound : text.scalarCount
            shown.append(text.string(start..<end).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (shown, words.map(\.key))
    }
}
