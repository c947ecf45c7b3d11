import ParallaxCore

/// The annotate form: a label from the session's set and a note.
public struct AnnotationFormState: Equatable, Sendable {
    public enum Field: Equatable, Sendable { case label, note }
    public var article: Int
    public var range: Range<Int>
    public var label = 0
    public var note = LineEditor()
    public var field: Field = .label
    /// The annotation being edited, or nil for a new one.
    public var editing: String?
    /// Why the last save failed; the form stays open with the note kept.
    public var error: String?

    public init(article: Int, range: Range<Int>) {
        self.article = article
        self.range = range
    }
}

extension AppState {
    /// Ranges of the annotations shown in a pane, sorted, for underlining and gutter marks.
    func annotationRanges(pane: Int) -> [Range<Int>] {
        guard let service = annotations else { return [] }
        return service.ranges(article(for: pane))
    }

    /// `a`: opens the form on the selection, or on the word under the cursor.
    mutating func openAnnotationForm() {
        guard let service = annotations else {
            message = StatusMessage(text: Self.annotationOffHint, isWarning: true)
            return
        }
        if service.store.isReadOnly {
            message = StatusMessage(text: "the annotation store is read-only: \(service.store.path)", isWarning: true)
            return
        }
        guard let c = activeCursor else {
            message = StatusMessage(text: "nothing selected (w places the cursor, v selects, V takes the sentence)", isWarning: true)
            return
        }
        mode = .annotationForm(AnnotationFormState(article: c.article, range: c.selection ?? c.word))
    }

    mutating func handleAnnotationForm(_ key: Key, _ form: inout AnnotationFormState) {
        let labels = annotations?.labels ?? AnnotationLabels.defaults
        switch key {
        case .escape, .ctrl("c"), .ctrl("g"):
            mode = .normal
            message = StatusMessage(text: "annotation cancelled", isWarning: false)
            return
        case .enter:
            saveAnnotation(&form, labels: labels)
            return
        case .tab, .backTab:
            form.field = form.field == .label ? .note : .label
        case .down, .ctrl("n"):
            form.label = (form.label + 1) % labels.count
        case .up, .ctrl("p"):
            form.label = (form.label + labels.count - 1) % labels.count
        case .char(let c) where form.field == .label:
            if let digit = Int(String(c)), digit >= 1, digit <= min(9, labels.count) {
                form.label = digit - 1
                form.field = .note
            } else {
                // Typing text goes to the note.
                form.field = .note
                _ = form.note.handle(key)
            }
        default:
            if form.field == .note { _ = form.note.handle(key) }
        }
        mode = .annotationForm(form)
    }

    private mutating func saveAnnotation(_ form: inout AnnotationFormState, labels: [String]) {
        guard let service = annotations else {
            mode = .normal
            return
        }
        let label = labels[min(form.label, labels.count - 1)]
        let a = corpus.articles[form.article]
        do {
            if let id = form.editing {
                try service.edit(id: id, label: label, note: form.note.text)
            } else {
                try service.create(AnnotationDraft(articleID: a.id, range: form.range, label: label, note: form.note.text), text: a.text)
            }
        } catch {
            form.error = error.description
            message = StatusMessage(text: "not saved: \(error.description) (Enter retries, Esc cancels)", isWarning: true)
            mode = .annotationForm(form)
            return
        }
        mode = .normal
        if var c = cursor { c.anchor = nil; cursor = c }
        var exact = a.text.string(form.range).split(whereSeparator: \.isNewline).joined(separator: " ")
        if exact.count > 40 { exact = String(exact.prefix(39)) + "…" }
        var note = form.note.text.split(whereSeparator: \.isNewline).joined(separator: " ")
        if note.count > 60 { note = String(note.prefix(59)) + "…" }
        message = StatusMessage(
            text: "\(form.editing == nil ? "annotated" : "updated") “\(exact)” as \(label)" + (note.isEmpty ? "" : ": \(note)"),
            isWarning: false)
    }
}
