import ParallaxCore

/// The annotation panel (`A`): every annotation of the corpus, filtered by label and annotator.
public struct AnnotationPanelState: Equatable, Sendable {
    public var selected = 0
    /// Label shown only, or nil for all (`l` cycles).
    public var label: String?
    /// Annotator shown only, or nil for all (`n` cycles).
    public var annotator: String?
    public init() {}
}

/// One row of the panel.
public struct AnnotationRow: Equatable, Sendable {
    public var article: Int
    public var item: AnchoredAnnotation
}

extension AppState {
    /// All annotations in corpus order, unfiltered.
    func allAnnotationRows() -> [AnnotationRow] {
        guard let service = annotations else { return [] }
        return corpus.articles.indices.flatMap { i in
            service.anchored(corpus.articles[i]).map { AnnotationRow(article: i, item: $0) }
        }
    }

    func annotationRows(_ panel: AnnotationPanelState) -> [AnnotationRow] {
        allAnnotationRows().filter {
            (panel.label == nil || $0.item.annotation.label == panel.label)
                && (panel.annotator == nil || $0.item.annotation.annotator == panel.annotator)
        }
    }

    mutating func openAnnotationPanel() {
        guard annotations != nil else {
            message = StatusMessage(text: Self.annotationOffHint, isWarning: true)
            return
        }
        annotations?.refresh()
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
            if let a = changed {
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
        switch key {
        case .escape, .char("q"), .char("A"), .ctrl("c"):
            mode = .normal
            return
        case .char("j"), .down, .ctrl("n"):
            panel.selected = min(max(0, rows.count - 1), panel.selected + 1)
        case .char("k"), .up, .ctrl("p"):
            panel.selected = max(0, panel.selected - 1)
        case .char("l"):
            let labels = Array(Set(allAnnotationRows().map(\.item.annotation.label))).sorted()
            panel.label = Self.cycle(panel.label, in: labels)
            panel.selected = 0
        case .char("n"):
            let names = Array(Set(allAnnotationRows().map(\.item.annotation.annotator))).sorted()
            panel.annotator = Self.cycle(panel.annotator, in: names)
            panel.selected = 0
        case .enter:
            guard let row else { break }
            guard let range = row.item.anchor.range ?? row.item.anchor.candidates.first else {
                message = StatusMessage(text: "orphaned: “\(row.item.annotation.quote.exact.prefix(40))” is no longer in the text", isWarning: true)
                break
            }
            mode = .normal
            if panes[focus].article != row.article { show(article: row.article, inPane: focus) }
            reveal(offset: range.lowerBound, pane: focus)
            cursor = ReadingCursor(pane: focus, article: row.article, word: range)
            message = StatusMessage(text: "\(row.item.annotation.label) (\(row.item.anchor.state.rawValue)): \(row.item.annotation.note)", isWarning: false)
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
                  let range = row.item.anchor.range ?? row.item.anchor.candidates.first else {
                message = StatusMessage(text: "c confirms a moved or ambiguous annotation (this one is \(row.item.anchor.state.rawValue))", isWarning: true)
                break
            }
            do {
                try service.place(id: row.item.annotation.id, range: range, text: corpus.articles[row.article].text)
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
}
