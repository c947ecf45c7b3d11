import Foundation
import ParallaxCore

/// Synthetic news articles made from the seed paragraphs: each article mixes paragraphs of
/// several seeds, and one in three quotations is varied (a word dropped, a number changed, a
/// word swapped for a near-synonym), so the corpus holds exact copies, variants and fragments.
func syntheticQuoteArticles(seeds: [Article], count: Int, seed: UInt64 = 7) -> [Article] {
    var rng = SplitMix64(seed: seed)
    let paragraphs: [String] = seeds.flatMap { a in
        a.text.string(a.bodyRange).split(separator: "\n").map(String.init).filter { $0.count > 40 && !$0.contains(" MORE ") }
    }
    let swaps = [("big", "great"), ("clue", "idea"), ("angry", "upset"), ("wrong", "incorrect"), ("state", "nation")]
    var out: [Article] = []
    out.reserveCapacity(count)
    for n in 0..<count {
        var text = "Synthetic story \(n)\n\n"
        let k = 6 + Int(rng.next() % 8)
        for _ in 0..<k {
            var p = paragraphs[Int(rng.next() % UInt64(paragraphs.count))]
            switch rng.next() % 6 {
            case 0: p = p.replacingOccurrences(of: "11,780", with: String(10_000 + Int(rng.next() % 5_000)))
            case 1:
                let (a, b) = swaps[Int(rng.next() % UInt64(swaps.count))]
                p = p.replacingOccurrences(of: " \(a) ", with: " \(b) ")
            case 2: p = p.replacingOccurrences(of: " the ", with: " ")
            default: break
            }
            text += p + "\n\n"
        }
        out.append(CorpusLoader.plainTextArticle(id: "syn\(n)", path: "syn\(n).txt", text: TextBuffer(text)))
    }
    return out
}

func quoteBenchmark(corpusPath: String) throws {
    print("== quotes (extraction, attribution, clustering)")
    let seeds = try CorpusLoader.load(paths: [corpusPath]).articles
    let all = syntheticQuoteArticles(seeds: seeds, count: 10_000)
    func bytes(_ xs: [Article]) -> Int { xs.reduce(0) { $0 + $1.text.bytes.count } }
    func mbps(_ b: Int, _ ms: Double) -> Double { Double(b) / 1e6 / (ms / 1000) }
    let total = bytes(all)
    print(String(format: "   %d synthetic articles, %.1f MB", all.count, Double(total) / 1e6))

    let docs = all.map { Doc($0) }
    let ext = measure(3) { for d in docs { _ = ExtractQuotes().run(d) } }
    print(String(format: "   extraction alone: %.1f ms, %.1f MB/s", ext, mbps(total, ext)))

    // Entities are the other analysis's cost; computed once per size, outside the timing.
    var times: [Int: Double] = [:]
    var quoteCounts: [Int: (Int, Int)] = [:]
    for size in [1_000, 10_000] {
        let corpus = Corpus(articles: Array(all.prefix(size)), warnings: [], root: nil)
        let t0 = now()
        let partDocs = Array(docs.prefix(size))
        let entities = Pipeline.standard.entities(partDocs)
        let tEnt = now() - t0
        var result: QuoteAnalysis? = nil
        let ms = measure(size >= 10_000 ? 1 : 3) { result = Pipeline.standard.quotes(partDocs, entities: entities) }
        times[size] = ms
        quoteCounts[size] = (result!.quotes.count, result!.clusters.count)
        let b = bytes(corpus.articles)
        print(String(format: "   %5d articles (%.1f MB): entities %.0f ms; quotes (extract + attribute + cluster) %.0f ms = %.1f MB/s; %d quotes, %d clusters",
                     size, Double(b) / 1e6, tEnt, ms, mbps(b, ms), quoteCounts[size]!.0, quoteCounts[size]!.1))
    }
    let entities = Pipeline.standard.entities(docs)
    let attr = measure(3) {
        let facts = PersonFacts(docs: docs, entities: entities)
        for d in docs { _ = AttributeSpeakers().run(doc: d, raw: ExtractQuotes().run(d), entities: entities, facts: facts) }
    }
    let attrRate = mbps(total, attr)
    print(String(format: "   extraction + attribution, 10,000 articles: %.0f ms = %.1f MB/s on one core (target ≥ 20) %@", attr, attrRate, attrRate >= 20 ? "ok" : "SLOW"))
    let ratio = times[10_000]! / max(0.001, times[1_000]!)
    report("quotes: 10,000 articles analysed", times[10_000]!, target: 10_000)
    print(String(format: "   10× the articles took %.1f× the time (target ≤ 15×) %@", ratio, ratio <= 15 ? "ok" : "SLOW"))
    let mb = mbps(total, times[10_000]!)
    print(String(format: "   quotes end to end (with clustering): %.1f MB/s on one core", mb))
}
