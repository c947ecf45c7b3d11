import ParallaxCore

/// The annotation store as the reader uses it: one session and annotator, the label set, and
/// each article's annotations re-anchored once and kept until the next write. A class held by
/// reference outside the value state, so frames stay cheap and writes go straight to the store.
open class AnnotationService {
    public let store: AnnotationStore
    public let session: String
    public let annotator: String
    public var labels: [String]
    private var cache: [String: [AnchoredAnnotation]] = [:]
    private var rangeCache: [String: [Range<Int>]] = [:]

    public init(store: AnnotationStore, session: String, annotator: String, labels: [String] = AnnotationLabels.defaults) {
        self.store = store
        self.session = session
        self.annotator = annotator
        self.labels = labels.isEmpty ? AnnotationLabels.defaults : labels
    }

    @discardableResult
    open func create(_ draft: AnnotationDraft, text: TextBuffer) throws(AnnotationStoreError) -> Annotation {
        defer { invalidate() }
        return try store.create(draft, text: text, session: session, annotator: annotator)
    }

    @discardableResult
    open func edit(id: String, label: String, note: String) throws(AnnotationStoreError) -> Annotation {
        defer { invalidate() }
        return try store.edit(id: id, label: label, note: note, session: session, annotator: annotator)
    }

    /// The current annotations of an article where they land in its text now (empty when the
    /// store cannot be read).
    public func anchored(_ article: Article) -> [AnchoredAnnotation] {
        if let cached = cache[article.id] { return cached }
        let list = AnnotationService.byStart((try? store.anchors(for: article)) ?? [])
        cache[article.id] = list
        return list
    }

    /// Where the current annotations of an article land in its text now, by start (empty when
    /// the store cannot be read): what a frame underlines. Cheaper than `anchored`, which builds
    /// every annotation; kept until the next write, like it.
    public func ranges(_ article: Article) -> [Range<Int>] {
        if let cached = rangeCache[article.id] { return cached }
        let list = (try? store.anchoredRanges(for: article)) ?? []
        rangeCache[article.id] = list
        return list
    }

    /// Sorted by where each lands (unplaced ones last), keeping the store's order among equals.
    /// The store's order is usually already right (by stored position, unchanged text), so
    /// that is checked first; otherwise an index permutation is sorted, not the large values.
    static func byStart(_ list: [AnchoredAnnotation]) -> [AnchoredAnnotation] {
        let keys = list.map { $0.anchor.range?.lowerBound ?? Int.max }
        var isSorted = true
        for i in keys.indices.dropFirst() where keys[i - 1] > keys[i] {
            isSorted = false
            break
        }
        if isSorted { return list }
        return keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }.map { list[$0] }
    }

    /// Forgets re-anchored lists (after a write, or another instance's).
    public func invalidate() {
        cache = [:]
        rangeCache = [:]
    }

    /// Picks up what another instance wrote to the same store since the last look.
    public func refresh() {
        _ = try? store.refresh()
        invalidate()
    }

    /// Like `refresh()`, but only forgets the re-anchored lists when the store changed; true
    /// when it did (the caller redraws). Cheap enough to call whenever the reader is idle.
    public func refreshIfChanged() -> Bool {
        guard (try? store.refresh()) == true else { return false }
        invalidate()
        return true
    }
}

extension AnnotationService {
    @discardableResult
    public func delete(id: String) throws(AnnotationStoreError) -> Annotation {
        defer { invalidate() }
        return try store.delete(id: id, session: session, annotator: annotator)
    }

    /// Confirms a moved or ambiguous annotation at `range` of the current text (re-places it).
    @discardableResult
    public func place(id: String, range: Range<Int>, text: TextBuffer) throws(AnnotationStoreError) -> Annotation {
        defer { invalidate() }
        return try store.edit(id: id, range: range, text: text, session: session, annotator: annotator)
    }

    /// Undoes this session's and annotator's latest action (kept in the store, so across restarts).
    @discardableResult
    public func undo() throws(AnnotationStoreError) -> Annotation? {
        defer { invalidate() }
        return try store.undo(session: session, annotator: annotator)
    }

    @discardableResult
    public func redo() throws(AnnotationStoreError) -> Annotation? {
        defer { invalidate() }
        return try store.redo(session: session, annotator: annotator)
    }
}
