import Foundation
import ParallaxCore

extension AppState {
    /// Takes the quote analysis: quotes sorted per article, by corpus index.
    public mutating func receive(_ analysis: QuoteAnalysis) {
        quotes = analysis
        analysisPending = false
        var byID: [String: Int] = [:]
        for (i, a) in corpus.articles.enumerated() { byID[a.id] = i }
        var lists = [[Quote]](repeating: [], count: corpus.articles.count)
        for q in analysis.quotes {
            if let i = byID[q.article] { lists[i].append(q) }
        }
        for i in lists.indices { lists[i].sort { $0.range.lowerBound < $1.range.lowerBound } }
        quotesByArticle = lists
        currentQuote = nil
        twinQuotes = [:]
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
            let sources = Set(c.quotes.compactMap { quote(id: $0)?.article }).count
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
            let versions = c.quotes.compactMap { quote(id: $0) }.filter { $0.article == corpus.articles[article].id }
                .sorted { $0.range.lowerBound < $1.range.lowerBound }
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
        return c.links.first { $0.a == id || $0.b == id }?.kind
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
    func mapRows() -> [QuoteCluster] {
        guard let q = quotes else { return [] }
        let spread = q.clusters.map { c in Set(c.quotes.map { q[$0].article }).count }
        return q.clusters.sorted {
            (-spread[$0.id.rawValue], $0.root.rawValue) < (-spread[$1.id.rawValue], $1.root.rawValue)
        }
    }

    mutating func handleQuoteMap(_ key: Key, _ map: inout QuoteMapState) {
        let rows = mapRows()
        if map.versionsOf != nil {
            switch key {
            case .escape, .char("q"), .backspace, .char("h"), .left:
                map.versionsOf = nil
                map.scroll = 0
            case .char("j"), .down: map.scroll += 1
            case .char("k"), .up: map.scroll = max(0, map.scroll - 1)
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
            if rows.indices.contains(map.selected) { map.versionsOf = rows[map.selected].id }
        case .char("o"):
            // Jump to the longest version in the focused pane's article, or open its article.
            mode = .normal
            if rows.indices.contains(map.selected) { jumpToQuote(rows[map.selected].root) }
            return
        default: break
        }
        map.selected = max(0, min(map.selected, rows.count - 1))
        mode = .quoteMap(map)
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
