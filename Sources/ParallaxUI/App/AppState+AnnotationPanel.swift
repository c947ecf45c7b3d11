import ParallaxCore

/// The annotation panel (`A`): every annotation of the corpus, filtered by label and annotator.
public struct AnnotationPanelState: Equatable, Sendable {
    public var selected = 0
    /// Label shown only, or nil for all (`l` cycles).
    public var label: String?
    /// Annotator shown only, or nil for all (`n` cycles).
    public var annotator: String?
    /// Only annotations other annotators disagree with (`D` toggles): what an adjudicator decides.
    public var disputedOnly = false
    /// The candidate chosen (`[`/`]`) for the selected row when it is ambiguous.
    public var candidate = 0
    /// A change to another annotator's annotation asked for once (`d`, `c`, `e` or `p` and its
    /// id): the same key again on it goes ahead, any other key drops it.
    public var foreign: ForeignChange?
    public init() {}

    public struct ForeignChange: Equatable, Sendable {
        public var key: Character
        public var id: String
    }
}

/// An annotation being re-placed (`p` in the panel): the next `a` puts it on the selection.
public struct PlacingAnnotation: Equatable, Sendable {
    public var id: String
    public var article: Int
    public var exact: String
    public var label: String
}

/// One row of the panel.
public struct AnnotationRow: Equatable, Sendable {
    public var article: Int
    public var item: AnchoredAnnotation
}

extension AppState {
    /// All annotations in corpus order with their lookups (nil when annotation is off).
    func annotationIndex() -> AnnotationIndex? {
        annotations?.index(corpus)
    }

    func annotationRows(_ panel: AnnotationPanelState) -> AnnotationRows {
        guard let index = annotationIndex() else { return AnnotationRows(index: nil, positions: []) }
        return AnnotationRows(index: index, positions: index.positions(label: panel.label, annotator: panel.annotator, disputedOnly: panel.disputedOnly))
    }

    /// Where Enter jumps and `c` confirms: the found range, else the chosen candidate.
    static func chosenRange(_ item: AnchoredAnnotation, candidate: Int) -> Range<Int>? {
        if let r = item.anchor.range { return r }
        let c = item.anchor.candidates
        return c.isEmpty ? nil : c[min(max(0, candidate), c.count - 1)]
    }

    /// Other current annotations on the same span of the same article with another label or
    /// annotator: kept side by side, never merged.
    func conflicts(of row: AnnotationRow) -> [AnnotationRow] {
        (annotationIndex()?.sameSpan(as: row) ?? []).filter {
            $0.item.annotation.label != row.item.annotation.label || $0.item.annotation.annotator != row.item.annotation.annotator
        }
    }

    /// Annotations covering `offset` in an article, for the status line when the cursor is on them.
    func annotations(at offset: Int, article: Int) -> [AnchoredAnnotation] {
        guard let service = annotations else { return [] }
        return service.anchored(corpus.articles[article]).filter { $0.anchor.range?.contains(offset) == true }
    }

    /// "claim (ana): note ≠ disputed (ben)": the annotations under the cursor, side by side.
    static func summary(_ items: [AnchoredAnnotation]) -> String {
        let labels = Set(items.map(\.annotation.label))
        let parts = items.map { item -> String in
            let a = item.annotation
            let note = a.note.oneLine(limit: 50)
            return "\(a.label) (\(a.annotator))" + (note.isEmpty ? "" : ": \(note)")
        }
        return parts.joined(separator: labels.count > 1 ? " ≠ " : " · ")
    }

    mutating func openAnnotationPanel() {
        guard annotations != nil else {
            message = StatusMessage(text: Self.annotationOffHint, isWarning: true)
            return
        }
        _ = annotations?.refreshIfChanged()
        mode = .annotationPanel(AnnotationPanelState())
    }

    /// Undo or redo from normal mode or the panel, through the store.
    mutating func undoRedo(redo: Bool) {
        guard let service = annotations else {
            message = StatusMessage(text: Self.annotationOffHint, isWarning: true)
            return
        }
        do {
            let changed = redo ? try service.redo() : try service.undo()
            if changed.count > 1 {
                message = StatusMessage(text: "\(redo ? "redo" : "undo"): \(changed.count) annotations changed back at once", isWarning: false)
            } else if let a = changed.first {
                let what = a.isDeleted ? "removed" : "restored"
                message = StatusMessage(text: "\(redo ? "redo" : "undo"): \(a.label) “\(a.quote.exact.prefix(40))” \(what)", isWarning: false)
            } else {
                message = StatusMessage(text: redo ? "nothing to redo" : "nothing to undo", isWarning: false)
            }
        } catch {
            message = StatusMessage(text: "\(redo ? "redo" : "undo") failed: \(error.description)", isWarning: true)
        }
    }

    private static func cycle(_ current: String?, in values: [String]) -> String? {
        guard !values.isEmpty else { return nil }
        guard let current, let i = values.firstIndex(of: current) else { return values[0] }
        return i + 1 < values.count ? values[i + 1] : nil
    }

    mutating func handleAnnotationPanel(_ key: Key, _ panel: inout AnnotationPanelState) {
        let rows = annotationRows(panel)
        let row = rows.indices.contains(panel.selected) ? rows[panel.selected] : nil
        // An annotator changes only their own work without asking: deleting, confirming,
        // editing or re-placing someone else's takes the same key twice (the store records
        // who did it), so an agreement study is not corrupted by a stray key.
        let asked = panel.foreign
        panel.foreign = nil
        if case .char(let c) = key, "dcep".unicodeScalars.contains(c), let row, let service = annotations,
           !service.owns(row.item.annotation),
           asked != AnnotationPanelState.ForeignChange(key: Character(c), id: row.item.annotation.id)
        {
            let verb = ["d": "delete", "c": "confirm", "e": "edit", "p": "re-place"][Character(c)] ?? "change"
            panel.foreign = AnnotationPanelState.ForeignChange(key: Character(c), id: row.item.annotation.id)
            message = StatusMessage(
                text: "this is \(row.item.annotation.annotator)'s annotation: \(c) again to \(verb) it anyway (recorded as \(service.annotator)'s change), any other key leaves it",
                isWarning: true)
            mode = .annotationPanel(panel)
            return
        }
        switch key {
        case .escape, .char("q"), .char("A"), .ctrl("c"):
            mode = .normal
            return
        case .char("j"), .down, .ctrl("n"):
            panel.selected = min(max(0, rows.count - 1), panel.selected + 1)
            panel.candidate = 0
        case .char("k"), .up, .ctrl("p"):
            panel.selected = max(0, panel.selected - 1)
            panel.candidate = 0
        case .char("g"), .home:
            panel.selected = 0
            panel.candidate = 0
        case .char("G"), .end:
            panel.selected = max(0, rows.count - 1)
            panel.candidate = 0
        case .char("]"), .right, .char("["), .left:
            guard let row else { break }
            let n = row.item.anchor.candidates.count
            guard row.item.anchor.range == nil, n > 1 else {
                message = StatusMessage(text: "[ ] choose among the places of an ambiguous annotation (this one is \(row.item.anchor.state.rawValue))", isWarning: true)
                break
            }
            let step = (key == .char("]") || key == .right) ? 1 : n - 1
            panel.candidate = (panel.candidate + step) % n
            message = StatusMessage(text: "place \(panel.candidate + 1) of \(n): Enter shows it, c confirms it", isWarning: false)
        case .char("l"):
            let labels = annotationIndex()?.labels ?? []
            panel.label = Self.cycle(panel.label, in: labels)
            panel.selected = 0
        case .char("n"):
            let names = annotationIndex()?.annotators ?? []
            panel.annotator = Self.cycle(panel.annotator, in: names)
            panel.selected = 0
        case .char("D"):
            panel.disputedOnly.toggle()
            panel.selected = 0
            let n = annotationRows(panel).count
            message = StatusMessage(
                text: panel.disputedOnly ? "disputed only: \(n) annotations other annotators label or bound differently (D shows all)" : "all annotations",
                isWarning: false)
        case .char("C"):
            guard let row else { break }
            confirmAllMoved(article: row.article)
        case .char("y"):
            guard let row else { break }
            adopt(row, candidate: panel.candidate)
        case .enter:
            guard let row else { break }
            guard let range = Self.chosenRange(row.item, candidate: panel.candidate) else {
                message = StatusMessage(text: "orphaned: “\(row.item.annotation.quote.exact.prefix(40))” is no longer in the text (p re-places it)", isWarning: true)
                break
            }
            mode = .normal
            if panes[focus].article != row.article { show(article: row.article, inPane: focus) }
            reveal(offset: range.lowerBound, pane: focus)
            cursor = ReadingCursor(pane: focus, article: row.article, word: range)
            let others = conflicts(of: row).map(\.item)
            message = StatusMessage(text: "\(row.item.anchor.state.rawValue): " + Self.summary([row.item] + others), isWarning: false)
            return
        case .char("p"):
            guard let row else { break }
            guard annotations?.store.isReadOnly == false else {
                message = StatusMessage(text: "the annotation store is read-only", isWarning: true)
                break
            }
            let a = row.item.annotation
            placing = PlacingAnnotation(id: a.id, article: row.article, exact: a.quote.exact, label: a.label)
            mode = .normal
            if panes[focus].article != row.article { show(article: row.article, inPane: focus) }
            // Start near where it was (or one of its candidate places).
            let text = corpus.articles[row.article]
            let near = Self.chosenRange(row.item, candidate: panel.candidate)?.lowerBound
                ?? min(max(text.bodyStart, a.position.start), max(text.bodyStart, text.text.scalarCount - 1))
            reveal(offset: near, pane: focus)
            cursor = nil
            message = StatusMessage(text: "re-place \(a.label) “\(a.quote.exact.oneLine(limit: 30))”: select its new place (w, v…), then a; Esc cancels", isWarning: false)
            return
        case .char("e"):
            guard let row, let range = row.item.anchor.range else { break }
            let labels = annotations?.labels ?? AnnotationLabels.defaults
            var form = AnnotationFormState(article: row.article, range: range)
            form.editing = row.item.annotation.id
            form.label = labels.firstIndex(of: row.item.annotation.label) ?? 0
            form.note = LineEditor(row.item.annotation.note)
            form.field = .note
            mode = .annotationForm(form)
            return
        case .char("d"):
            guard let row, let service = annotations else { break }
            do {
                try service.delete(id: row.item.annotation.id)
                message = StatusMessage(text: "deleted \(row.item.annotation.label) “\(row.item.annotation.quote.exact.prefix(40))” (u undoes)", isWarning: false)
            } catch {
                message = StatusMessage(text: "not deleted: \(error.description)", isWarning: true)
            }
        case .char("c"):
            // Confirm a moved annotation where it was found, or an ambiguous one at its first candidate.
            guard let row, let service = annotations else { break }
            guard row.item.anchor.state == .moved || row.item.anchor.state == .ambiguous,
                  let range = Self.chosenRange(row.item, candidate: panel.candidate) else {
                let hint = row.item.anchor.state == .orphaned ? " (p re-places it)" : ""
                message = StatusMessage(text: "c confirms a moved or ambiguous annotation (this one is \(row.item.anchor.state.rawValue))\(hint)", isWarning: true)
                break
            }
            do {
                try service.place(id: row.item.annotation.id, range: range, text: corpus.articles[row.article].text)
                panel.candidate = 0
                message = StatusMessage(text: "confirmed at its new place", isWarning: false)
            } catch {
                message = StatusMessage(text: "not confirmed: \(error.description)", isWarning: true)
            }
        case .char("u"), .char("U"):
            undoRedo(redo: false)
        case .ctrl("r"):
            undoRedo(redo: true)
        default:
            break
        }
        panel.selected = max(0, min(panel.selected, annotationRows(panel).count - 1))
        mode = .annotationPanel(panel)
    }

    /// Confirms every moved annotation of this session's own in an article where it was found,
    /// as one action (`u` puts them all back). Others' moved annotations are left and counted.
    mutating func confirmAllMoved(article: Int) {
        guard let service = annotations else { return }
        let a = corpus.articles[article]
        let moved = service.anchored(a).filter { $0.anchor.state == .moved && $0.anchor.range != nil }
        let mine = moved.filter { service.owns($0.annotation) }
        let others = moved.count - mine.count
        let left = others > 0 ? "; \(others) of other annotators left (c on each asks first)" : ""
        guard !mine.isEmpty else {
            message = StatusMessage(text: "no moved annotation of yours in \(a.id)\(left)", isWarning: others > 0)
            return
        }
        do {
            try service.place(mine.map { (id: $0.annotation.id, range: $0.anchor.range!) }, text: a.text)
            message = StatusMessage(text: "confirmed \(mine.count) moved annotation\(mine.count == 1 ? "" : "s") in \(a.id) at their new places (u undoes all)\(left)", isWarning: false)
        } catch {
            message = StatusMessage(text: "not confirmed: \(error.description)", isWarning: true)
        }
    }

    /// Adjudication (`y`): the selected annotator's label becomes the gold layer's on that span.
    mutating func adopt(_ row: AnnotationRow, candidate: Int) {
        guard let service = annotations else { return }
        guard service.isAdjudicator else {
            message = StatusMessage(text: "y adopts a label into the gold layer in an adjudication session (parallax annotate --adjudicator NAME)", isWarning: true)
            return
        }
        let a = row.item.annotation
        guard a.annotator != AnnotationStore.goldLayer else {
            message = StatusMessage(text: "this is already in the gold layer", isWarning: false)
            return
        }
        guard let range = Self.chosenRange(row.item, candidate: candidate) else {
            message = StatusMessage(text: "orphaned: this annotation has no place in the text to adopt", isWarning: true)
            return
        }
        let existing = annotationIndex()?.gold(over: row).first { $0.item.anchor.range == range }?.item.annotation
        do {
            try service.adopt(a, range: range, text: corpus.articles[row.article].text, gold: existing)
            let verb = existing == nil ? "added to" : "replaced in"
            message = StatusMessage(text: "gold: \(a.label) “\(a.quote.exact.oneLine(limit: 30))” \(verb) the gold layer, from \(a.annotator) (u undoes)", isWarning: false)
        } catch {
            message = StatusMessage(text: "not adopted: \(error.description)", isWarning: true)
        }
    }
}
