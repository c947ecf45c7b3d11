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
    private var rangeCache: [String: [AnchoredSpan]] = [:]
    private var panelIndex: AnnotationIndex?
    /// Articles whose rows in `panelIndex` are out of date (written since it was built).
    private var stalePanelArticles: Set<String> = []
    /// The panel index being built a little at a time while the reader is idle: the annotated
    /// articles (corpus indices) to anchor, how many are done, and their rows so far.
    private var pendingArticles: [Int]?
    private var pendingNext = 0
    private var pendingRows: [AnnotationRow] = []

    public init(store: AnnotationStore, session: String, annotator: String, labels: [String] = AnnotationLabels.defaults) {
        self.store = store
        self.session = session
        self.annotator = annotator
        self.labels = labels.isEmpty ? AnnotationLabels.defaults : labels
    }

    @discardableResult
    open func create(_ draft: AnnotationDraft, text: TextBuffer) throws(AnnotationStoreError) -> Annotation {
        defer { invalidate(article: draft.articleID) }
        return try store.create(draft, text: text, session: session, annotator: annotator)
    }

    /// Several annotations at once, all or none (the visible pieces of one selection).
    @discardableResult
    open func create(_ drafts: [AnnotationDraft], text: TextBuffer) throws(AnnotationStoreError) -> [Annotation] {
        defer { for id in Set(drafts.map(\.articleID)) { invalidate(article: id) } }
        return try store.create(drafts, text: text, session: session, annotator: annotator)
    }

    @discardableResult
    open func edit(id: String, label: String, note: String) throws(AnnotationStoreError) -> Annotation {
        try changed(store.edit(id: id, label: label, note: note, session: session, annotator: annotator))
    }

    /// Forgets what a write changed: the article of the annotation it returns.
    func changed(_ a: Annotation) -> Annotation {
        invalidate(article: a.articleID)
        return a
    }

    /// The current annotations of an article where they land in its text now (empty when the
    /// store cannot be read).
    public func anchored(_ article: Article) -> [AnchoredAnnotation] {
        if let cached = cache[article.id] { return cached }
        let list = AnnotationService.byStart((try? store.anchors(for: article)) ?? [])
        cache[article.id] = list
        return list
    }

    /// Where the current annotations of an article land in its text now, by start, each with
    /// its state, and the places ambiguous ones could be (empty when the store cannot be read):
    /// what a frame underlines and marks in the margin. Cheaper than `anchored`, which builds
    /// every annotation; kept until the next write, like it.
    public func spans(_ article: Article) -> [AnchoredSpan] {
        if let cached = rangeCache[article.id] { return cached }
        let list = (try? store.anchoredSpans(for: article)) ?? []
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

    /// Forgets every re-anchored list.
    public func invalidate() {
        cache = [:]
        rangeCache = [:]
        panelIndex = nil
        stalePanelArticles = []
        pendingArticles = nil
        pendingNext = 0
        pendingRows = []
    }

    /// Forgets one article's re-anchored lists (after a write to it); the panel re-anchors that
    /// article alone the next time it is shown.
    public func invalidate(article: String) {
        cache[article] = nil
        rangeCache[article] = nil
        if panelIndex != nil || pendingArticles != nil { stalePanelArticles.insert(article) }
    }

    /// Every annotation of the corpus for the panel, with what its keys and frames look up
    /// (spans, label and annotator lists, filtered views), built once, then brought up to date
    /// article by article: with 100,000 annotations a key press in the panel must not redo it,
    /// and after a save only the article saved to is anchored again.
    public func index(_ corpus: Corpus) -> AnnotationIndex {
        // Without a time limit the build always finishes.
        prepareIndex(corpus, budget: nil)!
    }

    /// Builds the panel index for at most `budget` (nil: to the end), carrying on from where the
    /// last call stopped; the index once it is complete, else nil. The reader calls this while
    /// it waits for keys, so opening the panel on a large corpus finds the work done.
    @discardableResult
    public func prepareIndex(_ corpus: Corpus, budget: Duration?) -> AnnotationIndex? {
        if let i = panelIndex, stalePanelArticles.isEmpty { return i }
        if panelIndex == nil {
            // Only articles with annotations are anchored: a folder of 10,000 articles with a few
            // annotations opens the panel as fast as one of ten.
            if pendingArticles == nil {
                let annotated = (try? store.annotatedArticleIDs()) ?? []
                pendingArticles = corpus.articles.indices.filter { annotated.contains(corpus.articles[$0].id) }
                pendingNext = 0
                pendingRows = []
            }
            let clock = ContinuousClock()
            let start = clock.now
            let pending = pendingArticles ?? []
            // At least one article per call, so every call makes progress.
            while pendingNext < pending.count {
                let i = pending[pendingNext]
                pendingRows += anchored(corpus.articles[i]).map { AnnotationRow(article: i, item: $0) }
                pendingNext += 1
                if let budget, pendingNext < pending.count, clock.now - start > budget { return nil }
            }
            panelIndex = AnnotationIndex(rows: pendingRows)
            pendingArticles = nil
            pendingRows = []
        }
        guard let old = panelIndex, !stalePanelArticles.isEmpty else { return panelIndex }
        let stale = stalePanelArticles
        var fresh: [AnnotationRow] = []
        for (i, a) in corpus.articles.enumerated() where stale.contains(a.id) {
            fresh += anchored(a).map { AnnotationRow(article: i, item: $0) }
        }
        // Both lists are in corpus order: merge them.
        var rows: [AnnotationRow] = []
        rows.reserveCapacity(old.rows.count + fresh.count)
        var k = 0
        for row in old.rows where !stale.contains(corpus.articles[row.article].id) {
            while k < fresh.count && fresh[k].article < row.article {
                rows.append(fresh[k])
                k += 1
            }
            rows.append(row)
        }
        rows += fresh[k...]
        let index = AnnotationIndex(rows: rows)
        panelIndex = index
        stalePanelArticles = []
        return index
    }

    /// Picks up what another instance wrote to the same store since the last look.
    public func refresh() {
        _ = refreshIfChanged()
    }

    /// Forgets the re-anchored lists of the articles another instance changed since the last
    /// look; true when there were any (the caller redraws). Cheap enough to call whenever the
    /// reader is idle.
    public func refreshIfChanged() -> Bool {
        switch (try? store.changes()) ?? .none {
        case .none:
            return false
        case .articles(let ids):
            for id in ids { invalidate(article: id) }
            return true
        case .everything:
            invalidate()
            return true
        }
    }
}

extension AnnotationService {
    @discardableResult
    public func delete(id: String) throws(AnnotationStoreError) -> Annotation {
        try changed(store.delete(id: id, session: session, annotator: annotator))
    }

    /// Confirms a moved or ambiguous annotation at `range` of the current text (re-places it).
    @discardableResult
    public func place(id: String, range: Range<Int>, text: TextBuffer) throws(AnnotationStoreError) -> Annotation {
        try changed(store.edit(id: id, range: range, text: text, session: session, annotator: annotator))
    }

    /// Undoes this session's and annotator's latest action (kept in the store, so across restarts).
    @discardableResult
    public func undo() throws(AnnotationStoreError) -> Annotation? {
        try store.undo(session: session, annotator: annotator).map(changed)
    }

    @discardableResult
    public func redo() throws(AnnotationStoreError) -> Annotation? {
        try store.redo(session: session, annotator: annotator).map(changed)
    }
}

/// The panel's rows and lookups over them. A class so filtered views are cached in place.
public final class AnnotationIndex {
    public let rows: [AnnotationRow]
    public let labels: [String]
    public let annotators: [String]
    private struct Span: Hashable {
        let article: Int
        let range: Range<Int>
    }
    private let bySpan: [Span: [Int]]
    private var filtered: [String: [Int]] = [:]

    init(rows: [AnnotationRow]) {
        self.rows = rows
        var spans: [Span: [Int]] = [:]
        var labels: Set<String> = []
        var annotators: Set<String> = []
        for (i, row) in rows.enumerated() {
            labels.insert(row.item.annotation.label)
            annotators.insert(row.item.annotation.annotator)
            if let r = row.item.anchor.range { spans[Span(article: row.article, range: r), default: []].append(i) }
        }
        bySpan = spans
        self.labels = labels.sorted()
        self.annotators = annotators.sorted()
    }

    /// Positions in `rows` passing the label and annotator filters (nil: any).
    public func positions(label: String?, annotator: String?) -> [Int] {
        if label == nil && annotator == nil { return Array(rows.indices) }
        let key = "\(label ?? "")\u{0}\(annotator ?? "")\u{0}\(label == nil)\(annotator == nil)"
        if let cached = filtered[key] { return cached }
        let list = rows.indices.filter {
            (label == nil || rows[$0].item.annotation.label == label)
                && (annotator == nil || rows[$0].item.annotation.annotator == annotator)
        }
        filtered[key] = list
        return list
    }

    /// The other rows on exactly the same span of the same article.
    public func sameSpan(as row: AnnotationRow) -> [AnnotationRow] {
        guard let r = row.item.anchor.range else { return [] }
        return (bySpan[Span(article: row.article, range: r)] ?? []).map { rows[$0] }
            .filter { $0.item.annotation.id != row.item.annotation.id }
    }
}

/// The panel's rows after filtering: positions into the index's rows, read without copying them.
public struct AnnotationRows: RandomAccessCollection {
    let index: AnnotationIndex?
    let positions: [Int]
    public var startIndex: Int { 0 }
    public var endIndex: Int { positions.count }
    public subscript(i: Int) -> AnnotationRow { index!.rows[positions[i]] }
}
