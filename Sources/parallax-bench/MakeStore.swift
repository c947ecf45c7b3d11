import Foundation
import ParallaxCore
import ParallaxUI

/// Writes a fresh annotation store of `count` annotations on the articles of a corpus, for timing
/// `parallax annotate --store FILE` from process start to the first frame
/// (`scripts/bench-startup.py --store FILE`).
///
/// `shownShare` of them go to the articles the reader shows first at `width`×`height` (so the
/// first frame re-anchors and underlines them), spread evenly over those articles' bodies; the
/// rest are spread over the other articles. The store keeps each article's text, so a copy of
/// the corpus with an article edited afterwards re-anchors through the diff, as in real use.
func makeStore(path: String, count: Int, corpusPath: String, width: Int, height: Int, shownShare: Double) throws {
    let fm = FileManager.default
    for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: path + suffix) {
        try fm.removeItem(atPath: path + suffix)
    }
    let corpus = try CorpusLoader.load(paths: [corpusPath])
    guard !corpus.articles.isEmpty else { throw CorpusError("no articles in \(corpusPath)") }
    let shown = Set(AppState(corpus: corpus, width: width, height: height).panes.map(\.article))
    let others = corpus.articles.indices.filter { !shown.contains($0) }
    let onShown = others.isEmpty ? count : Int((Double(count) * shownShare).rounded())

    /// `total` split as evenly as possible over `articles`.
    func share(_ total: Int, _ articles: [Int]) -> [(Int, Int)] {
        articles.enumerated().map { i, a in (a, total / articles.count + (i < total % articles.count ? 1 : 0)) }
    }
    let plan = share(onShown, shown.sorted()) + (others.isEmpty ? [] : share(count - onShown, others))

    let t0 = now()
    let store = try AnnotationStore(path: path)
    var texts: [String: TextBuffer] = [:]
    for article in corpus.articles { texts[article.id] = article.text }
    for (index, n) in plan {
        let article = corpus.articles[index]
        let all = benchAnnotations(
            articleID: article.id, text: article.text, hash: article.text.contentHash, count: n, from: article.bodyStart)
        var start = 0
        while start < all.count {
            let end = min(all.count, start + 10_000)
            try store.importAnnotations(Array(all[start..<end]), texts: texts, session: "bench", annotator: "bench")
            start = end
        }
    }
    let total = try store.allAnnotations().count
    try store.close()
    let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let perArticle = plan.map { "\(corpus.articles[$0.0].id)\(shown.contains($0.0) ? " (shown)" : ""): \($0.1)" }
    print(String(format: "wrote %d annotations to %@ in %.0f ms (%.1f MB)", total, path, now() - t0, Double(size) / 1_048_576))
    print("   " + perArticle.joined(separator: ", "))
}
