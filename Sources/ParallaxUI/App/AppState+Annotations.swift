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
    /// Spans of the annotations shown in a pane, sorted, with each one's state, and the places
    /// ambiguous annotations could be: for underlining and the margin marks.
    func annotationSpans(pane: Int) -> [AnchoredSpan] {
        guard let service = annotations else { return [] }
        return service.spans(article(for: pane))
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
        if let p = placing {
            place(p, at: c)
            return
        }
        var form = AnnotationFormState(article: c.article, range: c.selection ?? c.word)
        // A note cancelled on this very span comes back.
        if let kept = cancelledForm, kept.article == form.article, kept.range == form.range {
            form = kept
            form.error = nil
        }
        mode = .annotationForm(form)
    }

    /// Re-places an annotation (orphaned, ambiguous, or simply wrong) on the selection.
    private mutating func place(_ p: PlacingAnnotation, at c: ReadingCursor) {
        guard let service = annotations else { return }
        guard c.article == p.article else {
            message = StatusMessage(text: "re-place it in \(corpus.articles[p.article].id) (the article it belongs to); Esc cancels", isWarning: true)
            return
        }
        let range = c.selection ?? c.word
        do {
            try service.place(id: p.id, range: range, text: corpus.articles[p.article].text)
        } catch {
            message = StatusMessage(text: "not re-placed: \(error.description) (a retries, Esc cancels)", isWarning: true)
            return
        }
        placing = nil
        if var c = cursor { c.anchor = nil; cursor = c }
        let exact = shownText(range, article: p.article)
        message = StatusMessage(text: "re-placed \(p.label) on “\(exact)” (U undoes)", isWarning: false)
    }

    mutating func handleAnnotationForm(_ key: Key, _ form: inout AnnotationFormState) {
        let labels = annotations?.labels ?? AnnotationLabels.defaults
        switch key {
        case .escape, .ctrl("c"), .ctrl("g"):
            mode = .normal
            if form.editing == nil && !form.note.text.isEmpty {
                cancelledForm = form
                message = StatusMessage(text: "annotation cancelled (a on the same text brings the note back)", isWarning: false)
            } else {
                message = StatusMessage(text: "annotation cancelled", isWarning: false)
            }
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
        // What the user saw: hidden related-link junk is never stored as part of a span.
        let pieces = visibleSegments(form.range, article: form.article)
        do {
            if let id = form.editing {
                try service.edit(id: id, label: label, note: form.note.text)
            } else if pieces.count > 1 {
                try service.create(pieces.map { AnnotationDraft(articleID: a.id, range: $0, label: label, note: form.note.text) }, text: a.text)
            } else {
                try service.create(AnnotationDraft(articleID: a.id, range: pieces.first ?? form.range, label: label, note: form.note.text), text: a.text)
            }
        } catch {
            form.error = error.description
            message = StatusMessage(text: "not saved: \(error.description) (Enter retries, Esc cancels)", isWarning: true)
            mode = .annotationForm(form)
            return
        }
        mode = .normal
        cancelledForm = nil
        if var c = cursor { c.anchor = nil; cursor = c }
        let exact = shownText(form.range, article: form.article)
        let note = form.note.text.oneLine(limit: 60)
        // The note first (it is what was just typed), then how the span was stored.
        let hidden = form.editing == nil ? hiddenNote(form.range, article: form.article) : ""
        message = StatusMessage(
            text: "\(form.editing == nil ? "annotated" : "updated") “\(exact)” as \(label)" + (note.isEmpty ? "" : ": \(note)")
                + (hidden.isEmpty ? "" : " ·" + hidden),
            isWarning: false)
    }

    /// The parts of `range` the reading view shows: hidden related-link junk taken out, each
    /// part without white space at its ends, empty parts dropped. With the original text shown
    /// (`r`), the whole range.
    func visibleSegments(_ range: Range<Int>, article: Int) -> [Range<Int>] {
        let a = corpus.articles[article]
        let hidden = showOriginal ? [] : a.hiddenRanges.filter { $0.overlaps(range) }.sorted { $0.lowerBound < $1.lowerBound }
        var parts: [Range<Int>] = []
        var at = range.lowerBound
        for h in hidden {
            if h.lowerBound > at { parts.append(at..<h.lowerBound) }
            at = max(at, h.upperBound)
        }
        if at < range.upperBound { parts.append(at..<range.upperBound) }
        return parts.compactMap { r in
            let scalars = Array(a.text.string(r).unicodeScalars)
            let lead = scalars.prefix { $0.properties.isWhitespace }.count
            let trail = scalars.reversed().prefix { $0.properties.isWhitespace }.count
            return lead + trail >= scalars.count ? nil : (r.lowerBound + lead)..<(r.upperBound - trail)
        }
    }

    /// "in 2 pieces (hidden related-link text left out)" when a selection spans hidden text,
    /// else "".
    func hiddenNote(_ range: Range<Int>, article: Int) -> String {
        let pieces = visibleSegments(range, article: article)
        let a = corpus.articles[article]
        guard !showOriginal, a.hiddenRanges.contains(where: { $0.overlaps(range) }) else { return "" }
        return pieces.count > 1 ? " in \(pieces.count) pieces (hidden related-link text left out)" : " (hidden related-link text left out)"
    }
}

extension AppState {
    /// A span as the reading view shows it, on one line and cut to `limit` characters: hidden
    /// related-link junk left out (it stays in the stored quote, which must match the offsets).
    func shownText(_ range: Range<Int>, article: Int, limit: Int = 40) -> String {
        let a = corpus.articles[article]
        var parts: [String] = []
        var at = range.lowerBound
        let hidden = showOriginal ? [] : a.hiddenRanges.filter { $0.overlaps(range) }.sorted { $0.lowerBound < $1.lowerBound }
        for h in hidden {
            if h.lowerBound > at { parts.append(a.text.string(at..<h.lowerBound)) }
            at = max(at, h.upperBound)
        }
        if at < range.upperBound { parts.append(a.text.string(at..<range.upperBound)) }
        return parts.joined().oneLine(limit: limit)
    }
}

extension String {
    /// On one line (each run of line breaks becomes one space, so words on either side stay
    /// apart), cut to `limit` characters with an ellipsis.
    func oneLine(limit: Int = .max) -> String {
        var out = ""
        var inBreak = false
        for c in self {
            if c.isNewline {
                if !inBreak { out.append(" ") }
                inBreak = true
            } else {
                out.append(c)
                inBreak = false
            }
        }
        return out.count > limit ? String(out.prefix(limit - 1)) + "…" : out
    }
}
