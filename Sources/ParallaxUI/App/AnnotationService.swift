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

    /// An adjudication session: what it annotates goes to the gold layer
    /// (`AnnotationStore.goldLayer`), and `adopt` copies an annotator's label there.
    public let isAdjudicator: Bool

    public init(
        store: AnnotationStore, session: String, annotator: String, labels: [String] = AnnotationLabels.defaults, adjudicator: Bool = false
    ) {
        self.store = store
        self.session = session
        self.annotator = annotator
        self.labels = labels.isEmpty ? AnnotationLabels.defaults : labels
        self.isAdjudicator = adjudicator
    }

    /// Whose annotations this session writes: its annotator's, or the gold layer's.
    public var owner: String { isAdjudicator ? AnnotationStore.goldLayer : annotator }

    /// Whether `a` is this session's own to change without asking.
    public func owns(_ a: Annotation) -> Bool { a.annotator == owner }

    @discardableResult
    open func create(_ draft: AnnotationDraft, text: TextBuffer) throws(AnnotationStoreError) -> Annotation {
        defer { invalidate(article: draft.articleID) }
        return try store.create(draft, text: text, session: session, annotator: annotator, owner: owner)
    }

    /// Several annotations at once, all or none (the visible pieces of one selection).
    @discardableResult
    open func create(_ drafts: [AnnotationDraft], text: TextBuffer) throws(AnnotationStoreError) -> [Annotation] {
        defer { for id in Set(drafts.map(\.articleID)) { invalidate(article: id) } }
        return try store.create(drafts, text: text, session: session, annotator: annotator, owner: owner)
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

    /// Confirms several annotations at their places in `text` as one action (one undo).
    @discardableResult
    public func place(_ places: [(id: String, range: Range<Int>)], text: TextBuffer) throws(AnnotationStoreError) -> [Annotation] {
        try store.place(places, text: text, session: session, annotator: annotator).map(changed)
    }

    /// Adjudication: puts `a`'s label and note, at `range` of `text`, into the gold layer,
    /// replacing the gold annotation already on exactly that span (if any). `a` itself is not changed.
    @discardableResult
    public func adopt(_ a: Annotation, range: Range<Int>, text: TextBuffer, gold existing: Annotation?) throws(AnnotationStoreError) -> Annotation {
        let note = a.note.isEmpty ? "from \(a.annotator)" : "from \(a.annotator): \(a.note)"
        if let existing {
            return try changed(store.edit(id: existing.id, label: a.label, note: note, session: session, annotator: annotator))
        }
        let draft = AnnotationDraft(articleID: a.articleID, range: range, label: a.label, note: note)
        return try changed(store.create(draft, text: text, session: session, annotator: annotator, owner: AnnotationStore.goldLayer))
    }

    /// Undoes this session's and annotator's latest action whole (kept in the store, so across
    /// restarts): every annotation it changed, restored.
    @discardableResult
    public func undo() throws(AnnotationStoreError) -> [Annotation] {
        try store.undoAction(session: session, annotator: annotator).map(changed)
    }

    @discardableResult
    public func redo() throws(AnnotationStoreError) -> [Annotation] {
        try store.redoAction(session: session, annotator: annotator).map(changed)
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

    /// Positions in `rows` passing the label and annotator filters (nil: any), and with
    /// `disputedOnly` the disputed rows only.
    public func positions(label: String?, annotator: String?, disputedOnly: Bool = false) -> [Int] {
        if label == nil && annotator == nil && !disputedOnly { return Array(rows.indices) }
        let key = "\(label ?? "")\u{0}\(annotator ?? "")\u{0}\(label == nil)\(annotator == nil)\(disputedOnly)"
        if let cached = filtered[key] { return cached }
        let flags = disputedOnly ? disputed : []
        let list = rows.indices.filter {
            (label == nil || rows[$0].item.annotation.label == label)
                && (annotator == nil || rows[$0].item.annotation.annotator == annotator)
                && (!disputedOnly || flags[$0])
        }
        filtered[key] = list
        return list
    }

    /// Per row: whether another annotator (not the gold layer) has an annotation overlapping it
    /// with another label or other bounds — what an adjudicator has to decide.
    public private(set) lazy var disputed: [Bool] = {
        var flags = [Bool](repeating: false, count: rows.count)
        let gold = AnnotationStore.goldLayer
        var byArticle: [Int: [Int]] = [:]
        for (i, row) in rows.enumerated() where row.item.anchor.range != nil && row.item.annotation.annotator != gold {
            byArticle[row.article, default: []].append(i)
        }
        for (_, list) in byArticle {
            // A sweep in start order: each row against the earlier ones still open.
            let sorted = list.sorted { rows[$0].item.anchor.range!.lowerBound < rows[$1].item.anchor.range!.lowerBound }
            var open: [Int] = []
            for i in sorted {
                let r = rows[i].item.anchor.range!
                open.removeAll { rows[$0].item.anchor.range!.upperBound <= r.lowerBound }
                let a = rows[i].item.annotation
                for j in open {
                    let b = rows[j].item.annotation
                    if b.annotator != a.annotator && (b.label != a.label || rows[j].item.anchor.range! != r) {
                        flags[i] = true
                        flags[j] = true
                    }
                }
                open.append(i)
            }
        }
        return flags
    }()

    /// The gold-layer annotations overlapping `row`'s span.
    public func gold(over row: AnnotationRow) -> [AnnotationRow] {
        guard let r = row.item.anchor.range else { return [] }
        return goldRows.filter { $0.article == row.article && $0.item.anchor.range.map { $0.overlaps(r) } == true }
    }

    private lazy var goldRows: [AnnotationRow] = rows.filter { $0.item.annotation.annotator == AnnotationStore.goldLayer }

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
