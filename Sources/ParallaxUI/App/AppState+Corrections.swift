import ParallaxCore

/// The user's corrections of entities: merge, split, retype in the entity panel, `x` on a mention
/// in the text, undo and redo. A correction is appended to the log, saved, and the log applied
/// again to the linker's entities kept in `PreparedEntities.linked`; the analysis itself never
/// runs again, so a correction shows at once.
extension AppState {
    /// Who the corrections file says made a correction: the annotator's name.
    var corrector: String { annotations?.annotator ?? annotationSetup.annotator }

    /// The linker's entities with the corrections in force applied, arranged for the reader.
    func corrected(_ linked: EntityAnalysis) -> PreparedEntities {
        let log = entityCorrections.log
        guard !log.isEmpty else { return PreparedEntities(linked, corpus: corpus) }
        let applied = log.apply(to: linked, articles: corpus.articles.map(\.id))
        return PreparedEntities(applied, corpus: corpus, linked: linked)
    }

    /// Applies the log again, keeping the current mention where it still is, and points the
    /// quotes' speakers at the corrected entities (`QuoteAnalysis.remappingSpeakers`).
    private mutating func reapplyCorrections() {
        guard let prepared = preparedEntities else { return }
        let before = speakerEntities ?? prepared.analysis
        let current = currentMention.flatMap { c -> (Int, Range<Int>)? in
            let list = mentions(article: c.article)
            return c.index < list.count ? (c.article, list[c.index].range) : nil
        }
        receive(corrected(prepared.linked))
        if let quotes = preparedQuotes, let now = entities {
            // Set directly: receiving quotes would reset the quote cursor and the status line.
            preparedQuotes = PreparedQuotes(quotes.analysis.remappingSpeakers(from: before, to: now), corpus: corpus)
            speakerEntities = nil
        } else {
            speakerEntities = before
        }
        if let (article, range) = current, let i = mentions(article: article).firstIndex(where: { $0.range == range }) {
            currentMention = CurrentMention(article: article, index: i)
        }
    }

    /// Records a correction, saves it and shows its effect. `undoHint` says how to take it back
    /// from where it was made.
    mutating func correct(_ correction: EntityCorrection, undoHint: String) {
        let who = corrector
        let error = entityCorrections.update { $0.add(correction, by: who) }
        reapplyCorrections()
        report(correction.summary + " — " + undoHint, error: error)
    }

    /// Undoes (or redoes) the last correction in force.
    mutating func undoCorrection(redo: Bool) {
        guard preparedEntities != nil else {
            message = StatusMessage(text: analysisPending ? "entities are still being analysed…" : "no entity analysis loaded", isWarning: true)
            return
        }
        let who = corrector
        var done: EntityCorrection?
        let error = entityCorrections.update { done = redo ? $0.redo(by: who) : $0.undo(by: who) }
        guard let done else {
            message = StatusMessage(text: redo ? "no undone entity correction to redo" : "no entity correction to undo", isWarning: true)
            return
        }
        reapplyCorrections()
        report(redo ? "redid: \(done.summary) (u undoes)" : "undid: \(done.summary) (^R redoes)", error: error)
    }

    private mutating func report(_ text: String, error: EntityCorrectionsError?) {
        if let error {
            message = StatusMessage(text: "\(text); not saved: \(error)", isWarning: true)
        } else {
            message = StatusMessage(text: text, isWarning: false)
        }
    }

    /// `x` in the text: the mention under the reading cursor (else the current mention, `]e`)
    /// is not an entity.
    mutating func markNotEntity() {
        guard requireEntities() else { return }
        let article = panes[focus].article
        let list = mentions(article: article)
        var found: EntityMention?
        if let c = cursor, c.pane == focus, c.article == article {
            found = list.first { $0.range.contains(c.word.lowerBound) && visible($0) }
        }
        if found == nil, let c = currentMention, c.article == article, c.index < list.count {
            found = list[c.index]
        }
        guard let m = found else {
            message = StatusMessage(text: "no entity mention here: ]e moves to one, w places the cursor on one", isWarning: true)
            return
        }
        correct(.notEntity(article: corpus.articles[article].id, range: m.range, text: m.text), undoHint: ":entity-undo (or u in the E panel) undoes it")
    }

    // MARK: - Entity panel

    /// The panel's row showing the entity `key` names, if any.
    private func row(of key: EntityKey, _ panel: EntityPanelState) -> Int? {
        guard let analysis = entities else { return nil }
        return entityRowIDs(panel).firstIndex { EntityKey(analysis[$0]) == key }
    }

    /// Keys of the panel that correct entities (`m` `M` `t` `S` `u` `^R`) and the footer choices
    /// they open. Returns false for any other key.
    mutating func handleCorrectionKey(_ key: Key, _ panel: inout EntityPanelState) -> Bool {
        guard let analysis = entities else { return false }
        let rows = entityRowIDs(panel)
        let selected = rows.indices.contains(panel.selected) ? analysis[rows[panel.selected]] : nil
        if let choosing = panel.choosing {
            handleChoice(key, choosing, selected, &panel)
            return true
        }
        switch key {
        case .char("m"), .char("M"):
            guard let e = selected else { return true }
            let key = EntityKey(e)
            if let from = panel.marked, from != key {
                panel.marked = nil
                correct(.merge(from: from, into: key), undoHint: "u undoes")
                panel.selected = row(of: key, panel) ?? panel.selected
            } else if panel.marked == key {
                panel.marked = nil
                message = StatusMessage(text: "unmarked \(e.name)", isWarning: false)
            } else {
                panel.marked = key
                message = StatusMessage(text: "marked \(e.name): m on another entity merges it into that one (m again unmarks)", isWarning: false)
            }
        case .char("t"):
            guard let e = selected else { return true }
            panel.choosing = .type(EntityType.allCases.firstIndex(of: e.type) ?? 0)
        case .char("S"):
            guard let e = selected else { return true }
            if e.aliases.count < 2 {
                message = StatusMessage(text: "\(e.name) has one alias: nothing to split off", isWarning: true)
            } else {
                panel.choosing = .alias(e.aliases.firstIndex { EntityCorrections.plainAlias($0) != e.name } ?? 0)
            }
        case .char("u"): undoCorrection(redo: false)
        case .ctrl("r"): undoCorrection(redo: true)
        default: return false
        }
        panel.selected = max(0, min(panel.selected, entityRowIDs(panel).count - 1))
        return true
    }

    /// The footer's alias or type choice: ←/→ (h/l, Tab, j/k) move, Enter applies, Esc cancels.
    private mutating func handleChoice(_ key: Key, _ choosing: EntityPanelState.Choosing, _ selected: Entity?, _ panel: inout EntityPanelState) {
        guard let e = selected else {
            panel.choosing = nil
            return
        }
        let count: Int
        var index: Int
        switch choosing {
        case .alias(let i): (count, index) = (e.aliases.count, i)
        case .type(let i): (count, index) = (EntityType.allCases.count, i)
        }
        func set(_ i: Int) {
            switch choosing {
            case .alias: panel.choosing = .alias(i)
            case .type: panel.choosing = .type(i)
            }
        }
        switch key {
        case .char("l"), .right, .tab, .char("j"), .down:
            index = (index + 1) % max(1, count)
            set(index)
        case .char("h"), .left, .backTab, .char("k"), .up:
            index = (index + max(1, count) - 1) % max(1, count)
            set(index)
        case .escape, .char("q"), .ctrl("c"):
            panel.choosing = nil
        case .enter:
            panel.choosing = nil
            switch choosing {
            case .alias:
                guard index < e.aliases.count else { return }
                let alias = EntityCorrections.plainAlias(e.aliases[index])
                correct(.split(alias: alias, of: EntityKey(e)), undoHint: "u undoes")
                panel.selected = row(of: EntityKey(name: alias, type: e.type), panel) ?? panel.selected
            case .type:
                let type = EntityType.allCases[index]
                guard type != e.type else {
                    message = StatusMessage(text: "\(e.name) is already \(type.rawValue)", isWarning: false)
                    return
                }
                correct(.retype(EntityKey(e), to: type), undoHint: "u undoes")
                panel.selected = row(of: EntityKey(name: e.name, type: type), panel) ?? panel.selected
            }
            panel.selected = max(0, min(panel.selected, entityRowIDs(panel).count - 1))
        default: break
        }
    }
}
