import Foundation
import ParallaxCore

/// Entity recognition speed: gazetteer load time, MB/s of segmentation alone and of
/// segmentation + recognition + linking on a synthetic corpus, and linearity over 1×, 2×, 4×.
///
/// The corpus comes from `scripts/make-synthetic-corpus.py` (default `.bench-out/synthetic`).
func entityBenchmark(folder: String) throws {
    print("== entities (\(folder))")
    report("gazetteer load", measure(5) { _ = Gazetteer.loadBundled() }, target: 50)
    _ = Gazetteer.shared
    report("tagger model load (on the analysis thread)", measure(5) { _ = NERTagger.loadBundled() }, target: 100)

    guard FileManager.default.fileExists(atPath: folder) else {
        print("   no synthetic corpus: run scripts/make-synthetic-corpus.py first")
        return
    }
    let corpus = try CorpusLoader.load(paths: [folder])
    let all = corpus.articles
    let totalBytes = all.reduce(0) { $0 + $1.text.bytes.count }
    print(String(format: "   %d articles, %.1f MB", all.count, Double(totalBytes) / 1e6))

    func mbps(_ bytes: Int, _ ms: Double) -> Double { Double(bytes) / 1e6 / (ms / 1000) }

    // Segmentation alone on everything.
    let seg = measure(3) {
        for a in all { _ = Tokenizer.tokens(in: a.text, range: a.bodyRange, excluding: a.hiddenRanges) }
    }
    print(String(format: "   segmentation: %.1f ms, %.1f MB/s", seg, mbps(totalBytes, seg)))

    // Recognition per article without linking.
    let rec = measure(3) { for a in all { _ = EntityRecognizer.mentions(in: a) } }
    print(String(format: "   mentions(in:) per article: %.1f ms, %.1f MB/s", rec, mbps(totalBytes, rec)))

    // Full analysis on 1×, 2×, 4× of a quarter of the corpus.
    var base: Double = 0
    for factor in [1, 2, 4] {
        let count = max(1, all.count * factor / 4)
        let part = Corpus(articles: Array(all.prefix(count)), warnings: [], root: nil)
        let bytes = part.articles.reduce(0) { $0 + $1.text.bytes.count }
        var entities = 0
        let ms = measure(3) { entities = EntityRecognizer.analyze(part).entities.count }
        if factor == 1 { base = ms / Double(bytes) }
        let ratio = (ms / Double(bytes)) / base
        print(String(format: "   analyze %d×: %6.1f MB in %8.1f ms = %6.1f MB/s (time per byte %.2f× the 1× run), %d entities",
                     factor, Double(bytes) / 1e6, ms, mbps(bytes, ms), ratio, entities))
        if factor == 4 {
            // The whole stage against the rules alone, run in turns so that the machine's changing
            // speed falls on both alike; the best of five runs is the figure judged, and the median
            // is printed beside it.
            var rules = Pipeline()
            rules.recognize = RecognizeEntities(tagger: nil)
            var with: [Double] = [], without: [Double] = []
            for _ in 0..<5 {
                with.append(measure(1) { _ = EntityRecognizer.analyze(part) })
                without.append(measure(1) { _ = rules.entities(rules.tokenize(part)) })
            }
            let best = with.min()!, bestRules = without.min()!
            print(String(format: "   segmentation + tagging + linking: best of 5 %.1f ms = %.1f MB/s, median %.1f MB/s", best, mbps(bytes, best),
                         mbps(bytes, median(with))))
            print(String(format: "   rules alone: best %.1f MB/s, median %.1f MB/s; with the tagger each byte costs %.2f× as much (best), %.2f× (median)",
                         mbps(bytes, bestRules), mbps(bytes, median(without)), best / bestRules, median(with) / median(without)))
            // The stage the target names: recognition (rules and tagger) and linking, on documents
            // already segmented (segmentation is the shared first stage of every analysis).
            let standard = Pipeline()
            let docs = standard.tokenize(part)
            var stage: [Double] = []
            for _ in 0..<5 { stage.append(measure(1) { _ = standard.entities(docs) }) }
            let bestStage = stage.min()!
            let verdict = mbps(bytes, bestStage) >= 10 ? "ok" : "SLOW"
            print(String(format: "%-52@ %9.1f MB/s target ≥ 10 MB/s %@", "tagging + linking, best of 5 (one core)" as NSString, mbps(bytes, bestStage), verdict))
            print(String(format: "   median %.1f MB/s", mbps(bytes, median(stage))))
        }
    }
    // One long article: the same text as a single 4× file must also scale linearly.
    var joined: [UInt8] = []
    for a in all.prefix(max(1, all.count / 4)) { joined += a.text.bytes; joined.append(10) }
    for factor in [1, 2, 4] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(joined.count * factor)
        for _ in 0..<factor { bytes += joined }
        let a = CorpusLoader.plainTextArticle(id: "long", path: "long", text: TextBuffer(validUTF8: bytes))
        let ms = measure(3) { _ = EntityRecognizer.mentions(in: a) }
        print(String(format: "   one article %d×: %6.1f MB in %8.1f ms = %6.1f MB/s", factor, Double(bytes.count) / 1e6, ms, mbps(bytes.count, ms)))
    }
}
