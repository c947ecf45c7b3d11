import Foundation
import ParallaxCore
import ParallaxUI

/// Annotation store figures: durable confirm latency, opening a store of 100,000 annotations and
/// loading one article's, and exporting all of them.
func annotationBenchmark() throws {
    print("== annotations")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-annotation-bench-\(getpid())")
    try? FileManager.default.removeItem(at: folder)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("annotations.sqlite").path

    let paragraph = "The minister said on Monday that the new rail plan was “fully funded” by the treasury, while critics at the UN said the figures did not add up. "
    func text(_ article: Int) -> TextBuffer { TextBuffer("Article \(article)\n\n" + String(repeating: paragraph, count: 12)) }

    // Confirming: one durable transaction per annotation.
    var store = try AnnotationStore(path: path)
    let sample = text(0)
    var confirms: [Double] = []
    for i in 0..<1000 {
        let start = (i * 13) % (sample.scalarCount - 40)
        let t0 = now()
        try store.create(AnnotationDraft(articleID: "article-0", range: start..<start + 30, label: "claim", note: "note \(i)"), text: sample, session: "bench", annotator: "a")
        confirms.append(now() - t0)
    }
    confirms.sort()
    report("confirm annotation (durable commit), median", confirms[confirms.count / 2], target: 5)
    report("confirm annotation (durable commit), p99", confirms[confirms.count * 99 / 100], target: 5)

    // 100,000 annotations over 1,000 articles, written in bulk.
    let articles = 1000
    var texts: [String: TextBuffer] = [:]
    var batch: [Annotation] = []
    let t0 = now()
    for k in 0..<articles {
        let t = text(k)
        let hash = t.contentHash
        texts["article-\(k)"] = t
        batch += benchAnnotations(articleID: "article-\(k)", text: t, hash: hash, count: k == 0 ? 0 : 100)
        if batch.count >= 10_000 {
            try store.importAnnotations(batch, texts: texts, session: "bench", annotator: "a")
            batch.removeAll()
        }
    }
    try store.importAnnotations(batch, texts: texts, session: "bench", annotator: "a")
    let total = try store.allAnnotations().count
    print(String(format: "   (wrote %d annotations in %.0f ms)", total, now() - t0))
    try store.close()
    if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int {
        print(String(format: "   (store file %.1f MB)", Double(size) / 1_048_576))
    }

    // Opening (with the read-only check of the file) and loading one article's annotations, re-anchored.
    let target = texts["article-500"]!
    let open = try measure(5) {
        let s = try AnnotationStore(path: path)
        let anchored = try s.anchors(articleID: "article-500", text: target)
        precondition(anchored.count == 100)
        try s.close()
    }
    report("open 100k store + load and anchor one article", open, target: 200)
    let openFast = try measure(5) {
        let s = try AnnotationStore(path: path, options: .init(verifyOnOpen: false))
        _ = try s.annotations(article: "article-500")
        try s.close()
    }
    report("  same without quick_check on open", openFast, target: 200)
    let openRanges = try measure(5) {
        let s = try AnnotationStore(path: path)
        let ranges = try s.anchoredRanges(articleID: "article-500", text: target)
        precondition(ranges.count == 100)
        try s.close()
    }
    report("open 100k store + ranges to underline in one article", openRanges, target: 200)

    store = try AnnotationStore(path: path)
    let all = try store.allAnnotations()
    let load = try measure(3) { _ = try store.allAnnotations() }
    report("load all \(all.count) annotations", load, target: 2000)
    // What `annotations export` does: load, anchor every annotation on the current texts, write.
    // One article in ten was edited since it was annotated (a sentence inserted at its start),
    // so its annotations are re-anchored through the diff, not in place.
    var current = texts
    for k in stride(from: 0, to: articles, by: 10) {
        current["article-\(k)"] = TextBuffer("Editor's note: updated with new figures. " + texts["article-\(k)"]!.string)
    }
    let anchoring = try measure(3) { _ = try store.exportSet(corpus: current) }
    report("export 100k: load + anchor on current texts (1 in 10 edited)", anchoring, target: 2000)
    report("export 100k: W3C JSON-LD (anchor + write)", try measure(3) { _ = AnnotationExport.w3c(try store.exportSet(corpus: current)) }, target: 2000)
    report("export 100k: JSONL (anchor + write)", try measure(3) { _ = try AnnotationExport.jsonl(try store.exportSet(corpus: current)) }, target: 2000)
    report("export 100k: CSV (anchor + write)", try measure(3) { _ = AnnotationExport.csv(try store.exportSet(corpus: current)) }, target: 2000)
    report("export 100k: CoNLL BIO (anchor + write)", try measure(3) { _ = try AnnotationExport.conll(try store.exportSet(corpus: current).annotations, texts: current) }, target: 2000)
    report("agreement over 1,000 articles (2 annotators)", measure(3) { _ = Agreement.report(all, texts: texts) }, target: 2000)

    // The panel (`A`) over all of them in the reader: the first opening re-anchors every
    // annotation of the corpus; keys after that use the index (no stated target: a frame's
    // budget of 50 ms is used as the bar).
    let corpus = Corpus(
        articles: (0..<articles).map { CorpusLoader.plainTextArticle(id: "article-\($0)", path: "article-\($0).txt", text: texts["article-\($0)"]!) },
        warnings: [], root: nil)
    var firstOpen: [Double] = []
    var keys: [Double] = []
    for _ in 0..<3 {
        var state = AppState(corpus: corpus, width: 160, height: 45)
        state.annotations = AnnotationService(store: store, session: "bench", annotator: "a")
        var t = now()
        _ = state.update(.key(.char("A")))
        _ = state.render()
        firstOpen.append(now() - t)
        for key in [Key.char("j"), .char("j"), .char("l"), .char("G"), .char("k"), .char("n")] {
            t = now()
            _ = state.update(.key(key))
            _ = state.render()
            keys.append(now() - t)
        }
    }
    firstOpen.sort()
    keys.sort()
    report("panel over 100k: first opening (anchor all + frame)", firstOpen[firstOpen.count / 2], target: 1000)
    report("panel over 100k: a key (move, filter) + frame", keys[keys.count / 2], target: 50)
    report("panel over 100k: a key + frame, p90", keys[keys.count * 9 / 10], target: 50)
    try store.close()
}

/// `count` annotations of 25 scalars on one article, at offsets stepping by 17 through
/// `from..<end - 40` (so they cover it evenly and overlap when there are many), by two annotators.
func benchAnnotations(articleID: String, text t: TextBuffer, hash: String, count: Int, from: Int = 0) -> [Annotation] {
    let span = max(1, t.scalarCount - 40 - from)
    return (0..<count).map { j in
        let start = from + (j * 17) % span
        let r = start..<min(t.scalarCount, start + 25)
        return Annotation(
            annotator: j % 2 == 0 ? "ann" : "bob", session: "bench", articleID: articleID, contentHash: hash,
            label: AnnotationLabels.defaults[j % 5], note: j % 3 == 0 ? "a note, with \"quotes\"" : "",
            quote: QuoteSelector(range: r, in: t), position: PositionSelector(start: r.lowerBound, end: r.upperBound))
    }
}
