import Foundation
import ParallaxCore
import ParallaxUI

/// How long the reader's corpus-wide screens take to answer a key on large folders: the quote
/// map (`Q`) with quotations shared by every article, its versions view, the article picker
/// (`o`), the entity panel (`E`) and the annotation panel (`A`). Each figure is one key: the
/// update and the frame it draws. The target is one frame at 30 Hz (about 33 ms).
func uiScaleBenchmark(articles: Int, shared: Int) throws {
    print("== corpus-wide screens on \(articles) articles sharing \(shared) quotations")
    let folder = ".bench-out/ui-scale-\(articles)-\(shared)"
    try makeSharedQuoteCorpus(folder: folder, articles: articles, shared: shared)
    let corpus = try CorpusLoader.load(paths: [folder])
    let t0 = now()
    let pipeline = Pipeline.standard
    let docs = pipeline.tokenize(corpus)
    let entities = pipeline.entities(docs)
    let quotes = pipeline.quotes(docs, entities: entities)
    print(String(format: "   (analysis off the input loop: %.0f ms; %d quotes, %d clusters)",
                 now() - t0, quotes.quotes.count, quotes.clusters.count))

    let storeFolder = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-ui-bench-\(getpid())")
    try? FileManager.default.removeItem(at: storeFolder)
    try FileManager.default.createDirectory(at: storeFolder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: storeFolder) }
    let store = try AnnotationStore(path: storeFolder.appendingPathComponent("a.sqlite").path)
    // One annotation in every tenth article.
    for i in stride(from: 0, to: corpus.articles.count, by: 10) {
        let a = corpus.articles[i]
        let start = a.bodyStart
        try store.create(AnnotationDraft(articleID: a.id, range: start..<min(a.text.scalarCount, start + 20), label: "claim", note: ""),
                         text: a.text, session: "bench", annotator: "a")
    }

    var state = AppState(corpus: corpus, width: 160, height: 45)
    state.annotations = AnnotationService(store: store, session: "bench", annotator: "a")
    var t = now()
    let prepared = (PreparedEntities(entities, corpus: corpus), PreparedQuotes(quotes, corpus: corpus))
    print(String(format: "   (arranging it for the reader, also off the input loop: %.0f ms)", now() - t))
    t = now()
    state.receive(prepared.0)
    state.receive(prepared.1)
    report("receive the analysis", now() - t, target: 33)

    func key(_ name: String, _ keys: [Key], target: Double = 33) {
        var times: [Double] = []
        for k in keys {
            let t0 = now()
            _ = state.update(.key(k))
            _ = state.render()
            times.append(now() - t0)
        }
        report(name, times.max() ?? 0, target: target)
    }
    key("Q: open the quote map", [.char("Q")])
    key("j in the quote map (slowest of 5)", Array(repeating: .char("j"), count: 5))
    key("Enter: versions of a cluster", [.enter])
    key("j in the versions (slowest of 5)", Array(repeating: .char("j"), count: 5))
    key("G: the last versions", [.char("G")], target: 100)
    key("k in the versions (slowest of 5)", Array(repeating: .char("k"), count: 5))
    key("q back, q close", [.char("q"), .char("q")])
    key("o: open the article picker", [.char("o")])
    key("type the first filter letter", [.char("1")])
    key("type more filter letters (slowest of 2)", [.char("2"), .char("3")])
    key("Esc", [.escape])
    key("E: open the entity panel", [.char("E")])
    key("j in the entity panel (slowest of 5)", Array(repeating: .char("j"), count: 5))
    key("Esc", [.escape])
    key("A: open the annotation panel, nothing prepared", [.char("A")], target: 33 * 10)
    key("j in the annotation panel (slowest of 5)", Array(repeating: .char("j"), count: 5))
    key("Esc", [.escape])
    // A save invalidates one article: the panel re-anchors that one only.
    let a = corpus.articles[5]
    try state.annotations!.create(AnnotationDraft(articleID: a.id, range: a.bodyStart..<a.bodyStart + 10, label: "claim", note: ""), text: a.text)
    key("A after a save elsewhere", [.char("A")])
    key("Esc", [.escape])
    // Another instance's write forgets everything it touched; the idle ticks (every 250 ms
    // without a key, 15 ms of work each) rebuild the index before the panel is asked for.
    state.annotations!.invalidate()
    var ticks = 0
    while state.annotations!.prepareIndex(corpus, budget: .milliseconds(15)) == nil { ticks += 1 }
    print("   (index rebuilt in \(ticks + 1) idle ticks of 15 ms)")
    key("A after the reader was idle", [.char("A")])
    key("Esc", [.escape])
    try store.close()
}

/// `articles` short articles, each reporting the same `shared` quotations (as variants: some
/// truncated, some with a word changed) among its own prose; written once and reused.
func makeSharedQuoteCorpus(folder: String, articles: Int, shared: Int) throws {
    let fm = FileManager.default
    if fm.fileExists(atPath: folder + "/done") { return }
    try? fm.removeItem(atPath: folder)
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let speakers = ["Maria Okafor", "James Lindqvist", "Aisha Moreau", "Tomas Castellano", "Linda Whitfield"]
    let words = ["ballots", "county", "election", "people", "votes", "state", "count", "audit", "machines", "result",
                 "court", "judge", "officials", "week", "numbers", "claims", "board", "office", "process", "night"]
    func quote(_ k: Int) -> [String] {
        (0..<14).map { words[($0 * 7 + k * 3) % words.count] }
    }
    for i in 0..<articles {
        var body = "Report \(i) on the recount\n\nsource: Outlet \(i % 37)\ndate: 2021-01-0\(1 + i % 9)\n\n"
        for k in 0..<shared {
            var q = quote(k)
            if (i + k) % 3 == 1 { q.removeLast(3) }
            if (i + k) % 5 == 2 { q[4] = "um" }
            let s = speakers[k % speakers.count]
            body += "“The " + q.joined(separator: " ") + ",” \(s) said on Tuesday in the capital city of the state. "
            body += "Officials in county \(i) met again on Monday to review the figures from precinct \(k).\n\n"
        }
        try body.write(toFile: "\(folder)/\(String(format: "%05d", i)).txt", atomically: false, encoding: .utf8)
    }
    _ = fm.createFile(atPath: folder + "/done", contents: Data())
}
