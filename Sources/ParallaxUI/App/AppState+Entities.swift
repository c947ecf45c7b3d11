import ParallaxCore

extension AppState {
    /// Takes the linker's entities, applies the user's corrections and arranges them here
    /// (`PreparedEntities` is cheaper built on the analysis thread: see `receive(_: PreparedEntities)`).
    public mutating func receive(_ analysis: EntityAnalysis) {
        receive(corrected(analysis))
    }

    public mutating func receive(_ prepared: PreparedEntities) {
        preparedEntities = prepared
        views.clear()
        currentMention = nil
        twinMentions = [:]
    }

    func mentions(article: Int) -> [EntityMention] {
        article < mentionsByArticle.count ? mentionsByArticle[article] : []
    }

    func visible(_ m: EntityMention) -> Bool { highlightTypes.contains(m.type) }

    /// The entity of the current mention, if it is in the focused pane's article.
    var currentEntity: EntityID? {
        guard let c = currentMention, c.article == panes[focus].article else { return nil }
        let list = mentions(article: c.article)
        return c.index < list.count ? list[c.index].entity : nil
    }

    mutating func requireEntities() -> Bool {
        if entities == nil {
            message = StatusMessage(text: analysisPending ? "entities are still being analysed…" : "no entity analysis loaded", isWarning: true)
            return false
        }
        return true
    }

    /// `]e` / `[e` (any mention) and `]E` / `[E` (the same entity) in the focused pane.
    mutating func moveMention(forward: Bool, sameEntity: Bool, times: Int) {
        guard requireEntities() else { return }
        let article = panes[focus].article
        let list = mentions(article: article)
        var entity: EntityID?
        if sameEntity {
            guard let e = currentEntity else {
                message = StatusMessage(text: "no current entity here: ]e moves to one first", isWarning: true)
                return
            }
            entity = e
        }
        func eligible(_ i: Int) -> Bool {
            visible(list[i]) && (entity == nil || list[i].entity == entity)
        }
        let candidates = list.indices.filter(eligible)
        guard !candidates.isEmpty else {
            message = StatusMessage(text: "no highlighted entity in this article", isWarning: true)
            return
        }
        let current = currentMention.flatMap { $0.article == article ? $0.index : nil }
        let (index, wrapped) = AppState.step(
            through: candidates, starts: list.map(\.range.lowerBound), current: current,
            top: panes[focus].top, forward: forward, times: times)
        finishMove(article, index, wrapped: wrapped)
    }

    /// Moves `times` steps through `candidates` (indices into spans sorted by `starts`), wrapping
    /// around. Without a current span, the first step lands on the first span at or after `top`
    /// (forward) or the last one before it (backward), like a search from the top of the screen.
    static func step(through candidates: [Int], starts: [Int], current: Int?, top: Int, forward: Bool, times: Int) -> (index: Int, wrapped: Bool) {
        var wrapped = false
        var remaining = times
        var index: Int
        if let current {
            index = current
        } else {
            if forward {
                if let i = candidates.first(where: { starts[$0] >= top }) { index = i } else { index = candidates[0]; wrapped = true }
            } else {
                if let i = candidates.last(where: { starts[$0] < top }) { index = i } else { index = candidates[candidates.count - 1]; wrapped = true }
            }
            remaining -= 1
        }
        for _ in 0..<max(0, remaining) {
            if forward {
                if let next = candidates.first(where: { $0 > index }) { index = next } else { index = candidates[0]; wrapped = true }
            } else {
                if let prev = candidates.last(where: { $0 < index }) { index = prev } else { index = candidates[candidates.count - 1]; wrapped = true }
            }
        }
        return (index, wrapped)
    }

    private mutating func finishMove(_ article: Int, _ index: Int, wrapped: Bool) {
        currentMention = CurrentMention(article: article, index: index)
        twinMentions = [:]
        let m = mentions(article: article)[index]
        reveal(offset: m.range.lowerBound, pane: focus)
        message = StatusMessage(text: describe(m, article: article) + (wrapped ? "  (wrapped)" : ""), isWarning: false)
    }

    func describe(_ m: EntityMention, article: Int) -> String {
        guard let analysis = entities, let id = m.entity, id.rawValue < analysis.entities.count else {
            return "\(m.type.rawValue) \(m.text) — \(m.evidence)"
        }
        let e = analysis[id]
        let here = mentions(article: article).filter { $0.entity == m.entity }
        let position = (here.firstIndex { $0.range == m.range } ?? 0) + 1
        let sources = preparedEntities.map { id.rawValue < $0.sourceCount.count ? $0.sourceCount[id.rawValue] : 0 } ?? 0
        var text = "\(m.type.rawValue) \(e.name)"
        if let org = e.memberOf, org.rawValue < analysis.entities.count { text += " (members of \(analysis[org].name))" }
        text += " · \(position)/\(here.count) here · \(e.mentions.count) in \(sources) source\(sources == 1 ? "" : "s") · \(m.evidence)"
        if let d = m.resolvedDate { text += " · \(d)" }
        return text
    }

    /// `*` / `#`: every other pane scrolls to the next (previous) mention of the current entity,
    /// on the same screen row as the current mention where it can.
    mutating func jumpOtherPanes(forward: Bool) {
        guard requireEntities() else { return }
        guard let entity = currentEntity, let current = currentMention else {
            message = StatusMessage(text: "no current entity here: ]e moves to one first", isWarning: true)
            return
        }
        if twinMentions.isEmpty { pushJump() }
        let focusedMention = mentions(article: current.article)[current.index]
        let row = screenRow(of: focusedMention.range.lowerBound, pane: focus) ?? geometry.bodyHeight / 3
        var report: [String] = []
        for i in panes.indices where i != focus {
            let article = panes[i].article
            let list = mentions(article: article).filter { $0.entity == entity }
            let id = corpus.articles[article].id
            guard !list.isEmpty else {
                report.append("\(id) —")
                twinMentions[i] = nil
                continue
            }
            let from = twinMentions[i]?.lowerBound
            var pick: EntityMention
            if let from {
                pick = (forward ? list.first { $0.range.lowerBound > from } : list.last { $0.range.lowerBound < from })
                    ?? (forward ? list[0] : list[list.count - 1])
            } else {
                pick = forward ? list[0] : list[list.count - 1]
            }
            twinMentions[i] = pick.range
            align(pane: i, offset: pick.range.lowerBound, row: row)
            let n = (list.firstIndex { $0.range == pick.range } ?? 0) + 1
            report.append("\(id) \(n)/\(list.count)")
        }
        let name = entities?[entity].name ?? focusedMention.text
        message = StatusMessage(text: "\(name): " + report.joined(separator: " · "), isWarning: false)
    }

    /// The screen row (0-based in the body) showing `offset` in a pane, if it is on screen.
    func screenRow(of offset: Int, pane: Int) -> Int? {
        let l = layout(for: pane)
        let target = l.lineStart(containing: offset)
        var line: Int? = panes[pane].top
        for row in 0..<geometry.bodyHeight {
            guard let s = line else { return nil }
            if s == target { return row }
            line = l.lineStart(after: s)
        }
        return nil
    }

    /// Scrolls a pane so the line showing `offset` sits on body row `row` (clamped at the ends).
    mutating func align(pane: Int, offset: Int, row: Int) {
        let l = layout(for: pane)
        panes[pane].top = min(l.move(l.lineStart(containing: offset), by: -row), maxTop(pane))
    }

    // MARK: - Highlight toggles

    mutating func toggleHighlights(_ argument: String?) {
        let arg = (argument ?? "").uppercased()
        if arg.isEmpty {
            highlightTypes = highlightTypes.isEmpty ? Set(EntityType.allCases) : []
        } else if arg == "ALL" {
            highlightTypes = Set(EntityType.allCases)
        } else if arg == "NONE" {
            highlightTypes = []
        } else if let t = EntityType(rawValue: arg) ?? EntityType.allCases.first(where: { $0.rawValue.hasPrefix(arg) }) {
            if highlightTypes.contains(t) { highlightTypes.remove(t) } else { highlightTypes.insert(t) }
        } else {
            message = StatusMessage(text: "unknown entity type \(arg) (PERSON ORG GPE LOC NORP DATE CARDINAL, all, none)", isWarning: true)
            return
        }
        let shown = EntityType.allCases.filter { highlightTypes.contains($0) }.map(\.rawValue)
        message = StatusMessage(text: "highlighting: " + (shown.isEmpty ? "none" : shown.joined(separator: " ")), isWarning: false)
    }

    // MARK: - Entity panel

    /// The panel's rows: entity indices, filtered and sorted.
    func entityRows(_ panel: EntityPanelState) -> [Int] {
        entityRowIDs(panel).map(\.rawValue)
    }

    /// Sorted once per analysis; a filter is applied once per change of its text.
    func entityRowIDs(_ panel: EntityPanelState) -> [EntityID] {
        guard let prepared = preparedEntities else { return [] }
        let query = panel.filter.text.lowercased()
        return views.entityRows(sort: panel.sort, query: query) { prepared.rows(sort: panel.sort, query: query) }
            .map { EntityID($0) }
    }

    mutating func handleEntityPanel(_ key: Key, _ panel: inout EntityPanelState) {
        if panel.editingFilter {
            switch key {
            case .enter, .escape:
                panel.editingFilter = false
            default:
                if panel.filter.handle(key) == .edited { panel.selected = 0 }
            }
            mode = .entityPanel(panel)
            return
        }
        if handleCorrectionKey(key, &panel) {
            mode = .entityPanel(panel)
            return
        }
        let rows = entityRowIDs(panel)
        let page = max(1, geometry.height - 8)
        switch key {
        case .escape, .char("q"), .char("E"), .ctrl("c"):
            mode = .normal
            return
        case .char("j"), .down: panel.selected += 1
        case .char("k"), .up: panel.selected -= 1
        case .char(" "), .pageDown, .ctrl("f"), .ctrl("d"): panel.selected += page
        case .char("b"), .pageUp, .ctrl("b"), .ctrl("u"): panel.selected -= page
        case .char("g"), .home: panel.selected = 0
        case .char("G"), .end: panel.selected = rows.count - 1
        case .char("s"):
            let all = EntityPanelState.Sort.allCases
            panel.sort = all[(all.firstIndex(of: panel.sort)! + 1) % all.count]
            panel.selected = 0
        case .char("/"):
            panel.editingFilter = true
        case .enter:
            mode = .normal
            if rows.indices.contains(panel.selected) { jumpToFirstMention(entity: rows[panel.selected]) }
            return
        default: break
        }
        panel.selected = max(0, min(panel.selected, rows.count - 1))
        mode = .entityPanel(panel)
    }

    /// Enter in the panel: the focused pane's first mention of the entity, else the first article
    /// that mentions it (focusing a pane that shows it, or opening it in the focused pane).
    mutating func jumpToFirstMention(entity: EntityID) {
        var article = panes[focus].article
        if !mentions(article: article).contains(where: { $0.entity == entity }) {
            guard let first = corpus.articles.indices.first(where: { a in mentions(article: a).contains { $0.entity == entity } }) else { return }
            if let pane = panes.firstIndex(where: { $0.article == first }) {
                focus = pane
            } else {
                show(article: first, inPane: focus)
            }
            article = first
        }
        let list = mentions(article: article)
        guard let index = list.firstIndex(where: { $0.entity == entity }) else { return }
        highlightTypes.insert(list[index].type)
        finishMove(article, index, wrapped: false)
    }
}
