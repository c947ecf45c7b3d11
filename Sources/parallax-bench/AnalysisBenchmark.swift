import Foundation
import Glibc
import ParallaxCore

/// `parallax-bench --analysis FOLDER`: where the time of `parallax analyze --format json` goes,
/// stage by stage, on one core (this process runs everything on its main thread). Each figure is
/// the thread's CPU time, best of three runs: the machine is shared, and CPU time is what other
/// tenants disturb least.
func analysisBenchmark(folder: String, runs: Int = 3) throws {
    print("== analysis stages (\(folder)), best of \(runs)")
    let t0 = now()
    let pipeline = Pipeline.standard
    _ = Gazetteer.shared
    _ = Lexicon.english
    _ = Synonyms.english
    let resources = now() - t0
    var best: [(String, Double)] = []
    var summary = ""
    var bytes = 0
    for run in 0..<runs {
        var times: [(String, Double)] = []
        func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let t = cpuNow()
            let r = try body()
            times.append((name, cpuNow() - t))
            return r
        }
        let corpus = try time("load") { try CorpusLoader.load(paths: [folder]) }
        bytes = corpus.articles.reduce(0) { $0 + $1.text.bytes.count }
        let docs = time("tokenize") { pipeline.tokenize(corpus) }
        let mentions = time("recognise entities") { pipeline.recognize.run(docs) }
        let entities = time("link entities") { pipeline.link.run(docs: docs, mentions: mentions) }
        let quotes = time("quotes (extract, attribute, cluster)") { pipeline.quotes(docs, entities: entities) }
        let analysis = Analysis(docs: docs, entities: entities, quotes: quotes)
        _ = try time("JSON") { try AnalysisJSON.encode(corpus: corpus, analysis: analysis) }
        best = run == 0 ? times : zip(best, times).map { ($0.0, min($0.1, $1.1)) }
        summary = "\(corpus.articles.count) articles, \(entities.entities.count) entities, \(quotes.quotes.count) quotes, \(quotes.clusters.count) clusters"
    }
    func mbps(_ ms: Double) -> Double { Double(bytes) / 1e6 / (ms / 1000) }
    print(String(format: "   %@, %.1f MB", summary, Double(bytes) / 1e6))
    print(String(format: "   %-38@ %8.1f ms", "language data and gazetteers (once)" as NSString, resources))
    for (name, ms) in best {
        print(String(format: "   %-38@ %8.1f ms  %7.1f MB/s", name as NSString, ms, mbps(ms)))
    }
    let total = best.reduce(0) { $0 + $1.1 }
    print(String(format: "   %-38@ %8.1f ms  %7.1f MB/s", "all stages" as NSString, total, mbps(total)))
}

/// CPU time of the calling thread, in milliseconds.
func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
}
