import Foundation

/// The annotations an export writes: each where it lands in its article's text as it is now.
///
/// Annotations that anchor (in place, or moved by an edit of the text) are written at their
/// current place, with the quote and content hash of the current text, so every position
/// selector slices the text to exactly its quote. Orphaned annotations and ambiguous ones not
/// yet placed by the user are left out and counted, unless `includeUnanchored` asks for them:
/// they are then written with their stored quote and no position. An article that is not
/// loaded is exported on the store's copy of the text its latest annotations were made on.
public struct ExportSet: Sendable {
    /// By article id, then position, then id.
    public var annotations: [Annotation]
    /// Anchor state by annotation id: `anchored`, `moved`, `ambiguous`, `orphaned`, or `stored`
    /// (an article that is not loaded, exported on the stored copy of its text).
    public var states: [String: String]
    /// Ids written with their stored quote and no position.
    public var unplaced: Set<String>
    /// The text of every article exported (current, or the stored copy).
    public var texts: [String: TextBuffer]
    /// One line each: what was left out or exported on a stored copy.
    public var warnings: [String]

    /// Whether `a` is written with a position.
    public func isPlaced(_ a: Annotation) -> Bool { !unplaced.contains(a.id) }
}

extension AnnotationStore {
    /// Every current annotation anchored on `corpus` (article id → current text), for export.
    public func exportSet(corpus: [String: TextBuffer], includeUnanchored: Bool = false) throws(AnnotationStoreError) -> ExportSet {
        var out = ExportSet(annotations: [], states: [:], unplaced: [], texts: [:], warnings: [])
        var leftOut = 0
        var notLoaded: [Annotation] = []
        // Each article's annotations are read once, by the anchoring itself.
        for article in try annotatedArticleIDs().sorted() {
            guard let text = corpus[article] else {
                notLoaded += try annotations(article: article)
                continue
            }
            out.texts[article] = text
            let hash = text.contentHash
            for item in try anchors(articleID: article, text: text) {
                var a = item.annotation
                out.states[a.id] = item.anchor.state.rawValue
                if let r = item.anchor.range, item.anchor.state == .anchored || item.anchor.state == .moved {
                    a.position = PositionSelector(start: r.lowerBound, end: r.upperBound)
                    a.quote = QuoteSelector(range: r, in: text)
                    a.contentHash = hash
                    out.annotations.append(a)
                } else if includeUnanchored {
                    out.unplaced.insert(a.id)
                    out.annotations.append(a)
                } else {
                    leftOut += 1
                }
            }
        }
        if !notLoaded.isEmpty {
            let found = AnnotationExport.textsForExport(notLoaded, corpus: [:]) { hash in try? self.snapshot(contentHash: hash) }
            out.warnings += found.warnings
            for (id, text) in found.texts { out.texts[id] = text }
            for a in found.annotations {
                out.states[a.id] = "stored"
                out.annotations.append(a)
            }
        }
        if leftOut > 0 {
            out.warnings.append("\(leftOut) orphaned or ambiguous annotation(s) left out: their text is gone or could be in several places "
                + "(confirm them in the reader's panel, or --include-unanchored writes them without a position)")
        }
        out.annotations.sort {
            ($0.articleID, $0.position.start, $0.position.end, $0.id) < ($1.articleID, $1.position.start, $1.position.end, $1.id)
        }
        return out
    }
}
