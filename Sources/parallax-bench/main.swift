import Foundation
import Glibc
import ParallaxCore
import ParallaxTerminal
import ParallaxUI

// Benchmarks for the reader's speed targets. Run with `make bench` (release build).
// Each figure is a median over repeated runs; ratios to the target are printed too.

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[s.count / 2]
}

func measure(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let t0 = now()
        try body()
        times.append(now() - t0)
    }
    return median(times)
}

func report(_ name: String, _ ms: Double, target: Double) {
    let verdict = ms <= target ? "ok" : "SLOW"
    print(String(format: "%-52@ %9.3f ms   target ≤ %7.2f ms   (%.2f of target) %@", name as NSString, ms, target, ms / target, verdict))
}

func peakRSSBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return kb * 1024
    }
    return 0
}

/// A headless curses screen on /dev/null, so the diff and curses writes are measured too.
func headlessBackend(width: Int, height: Int) throws -> NcursesBackend {
    let out = fopen("/dev/null", "w")!
    let inp = fopen("/dev/null", "r")!
    let backend = try NcursesBackend(terminalType: "xterm-256color", output: out, input: inp)
    backend.resize(width: width, height: height)
    return backend
}

func corpusBenchmarks(corpusPath: String) throws {
    print("== seed corpus (\(corpusPath))")
    // Load + layout + first frame, in process.
    let first = try measure(30) {
        let corpus = try CorpusLoader.load(paths: [corpusPath])
        let state = AppState(corpus: corpus, width: 160, height: 45)
        _ = state.render()
    }
    report("load + layout + first frame (160×45, 3 panes)", first, target: 30)

    // One frame with 4 panes at 240×70: render + diff + curses writes, scrolling every frame.
    let corpus = try CorpusLoader.load(paths: [corpusPath])
    var state = AppState(corpus: corpus, width: 240, height: 70, panes: 4)
    _ = state.update(.key(.char("s")))  // scroll all panes together, so every frame changes
    let backend = try headlessBackend(width: 240, height: 70)
    defer { backend.restore() }
    backend.draw(state.render(), full: true)
    var times: [Double] = []
    for i in 0..<400 {
        _ = state.update(.key(i % 40 < 20 ? .char("j") : .char("k")))
        let t0 = now()
        let frame = state.render()
        backend.draw(frame, full: false)
        times.append(now() - t0)
    }
    print(String(format: "%-52@ %9.3f ms   (no target: includes curses output)", "frame, 4 panes 240×70: render + diff + curses write" as NSString, median(times)))
    var renderOnly: [Double] = []
    var renderDiff: [Double] = []
    var previous = state.render().grid
    for i in 0..<400 {
        _ = state.update(.key(i % 40 < 20 ? .char("j") : .char("k")))
        let t0 = now()
        let grid = state.render().grid
        let t1 = now()
        let changes = grid.changedCells(since: previous)
        let t2 = now()
        precondition(!changes.isEmpty)
        previous = grid
        renderOnly.append(t1 - t0)
        renderDiff.append(t2 - t0)
    }
    report("frame, 4 panes 240×70: render + diff", median(renderDiff), target: 1)

    // Entity highlighting: the same frames with and without the analysis, interleaved.
    var plain = AppState(corpus: corpus, width: 240, height: 70, panes: 4)
    var highlighted = plain
    highlighted.receive(EntityRecognizer.analyze(corpus))
    _ = plain.update(.key(.char("s")))
    _ = highlighted.update(.key(.char("s")))
    var without: [Double] = []
    var with: [Double] = []
    for i in 0..<400 {
        let key = InputEvent.key(i % 40 < 20 ? .char("j") : .char("k"))
        _ = plain.update(key)
        _ = highlighted.update(key)
        var t0 = now()
        _ = plain.render()
        without.append(now() - t0)
        t0 = now()
        _ = highlighted.render()
        with.append(now() - t0)
    }
    let overhead = median(with) / median(without) - 1
    print(String(format: "%-52@ %9.3f ms vs %.3f ms: +%.1f%%   target ≤ +10%% %@", "render with entity highlighting vs without" as NSString,
                 median(with), median(without), overhead * 100, overhead <= 0.10 ? "ok" : "SLOW"))
    print(String(format: "   (render alone: %.3f ms median; the rest is curses writing the changed cells)", median(renderOnly)))

    // Quote twins: from the key press to the aligned frame (update + render + diff), 3 panes 160×45.
    var reader = AppState(corpus: corpus, width: 160, height: 45)
    let analysis = Pipeline.standard.run(corpus)
    reader.receive(analysis.entities)
    reader.receive(analysis.quotes)
    _ = reader.update(.key(.tab))
    var twinTimes: [Double] = []
    var previousGrid = reader.render().grid
    for i in 0..<300 {
        // Move to the next quote, then time the twins key and the frame that shows it.
        _ = reader.update(.key(.char("]")))
        _ = reader.update(.key(.char("q")))
        if i % 2 == 1 { _ = reader.update(.key(.ctrl("o"))) }
        previousGrid = reader.render().grid
        let t0 = now()
        _ = reader.update(.key(.char("t")))
        let grid = reader.render().grid
        _ = grid.changedCells(since: previousGrid)
        twinTimes.append(now() - t0)
    }
    report("quote twins: key press to aligned frame", median(twinTimes), target: 5)
    let sorted = twinTimes.sorted()
    print(String(format: "   (p99 %.3f ms)", sorted[Int(Double(sorted.count - 1) * 0.99)]))
}

func hugeBenchmark(path: String) throws {
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let t0 = now()
    let corpus = try CorpusLoader.load(paths: [path])
    let tLoad = now()
    var state = AppState(corpus: corpus, width: 160, height: 45, panes: 1)
    _ = state.render()
    let tFirst = now()
    _ = state.update(.key(.char("G")))
    _ = state.render()
    let tEnd = now()
    _ = state.update(.key(.char("g")))
    _ = state.render()
    let rss = peakRSSBytes()
    print(String(format: "   load %.1f ms, layout + first frame %.1f ms", tLoad - t0, tFirst - tLoad))
    report("\((path as NSString).lastPathComponent): first frame", tFirst - t0, target: 300)
    report("\((path as NSString).lastPathComponent): G to the end + frame", tEnd - tFirst, target: 50)
    let ratio = Double(rss) / Double(max(1, size))
    print(String(format: "%-52@ %9.1f MB   target ≤ %.1f MB    (%.2f× the file) %@",
                 "\((path as NSString).lastPathComponent): peak memory" as NSString, Double(rss) / 1e6,
                 4 * Double(size) / 1e6, ratio, ratio <= 4 ? "ok" : "HIGH"))
}

/// Writes the 50 MB test articles once: prose paragraphs, one 50 MB line, one 50 MB token.
func makeHugeFiles(in dir: String) throws -> [String] {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let seedText = try String(contentsOfFile: "corpus/001_8f2effccef7adb49.txt", encoding: .utf8)
    let target = 50 * 1024 * 1024
    func write(_ name: String, _ make: () -> [UInt8]) throws -> String {
        let path = dir + "/" + name
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size >= target { return path }
        guard FileManager.default.createFile(atPath: path, contents: Data(make())) else {
            throw CorpusError("cannot write \(path)")
        }
        return path
    }
    let prose = try write("huge-prose.txt") {
        var out: [UInt8] = []
        out.reserveCapacity(target + seedText.utf8.count)
        while out.count < target { out += Array(seedText.utf8) }
        return out
    }
    let line = try write("huge-line.txt") {
        let flat = Array(seedText.replacingOccurrences(of: "\n", with: " ").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(target + flat.count)
        while out.count < target { out += flat }
        return out
    }
    let token = try write("huge-token.txt") { [UInt8](repeating: UInt8(ascii: "x"), count: target) }
    return [prose, line, token]
}

let args = CommandLine.arguments
if args.count >= 3 && args[1] == "--huge" {
    // Child mode: one huge file per process, so peak memory is its own.
    try hugeBenchmark(path: args[2])
    exit(0)
}
if args.count >= 2 && args[1] == "--entities" {
    try entityBenchmark(folder: args.count >= 3 ? args[2] : ".bench-out/synthetic")
    exit(0)
}
if args.count >= 3 && args[1] == "--make-store" {
    // parallax-bench --make-store FILE [--count N] [--corpus DIR] [--size COLSxROWS] [--shown-share F]
    func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
    let size = (option("--size") ?? "160x45").split(separator: "x").compactMap { Int($0) }
    guard let count = Int(option("--count") ?? "100000"), size.count == 2,
        let shownShare = Double(option("--shown-share") ?? "0.9"), (0...1).contains(shownShare)
    else {
        FileHandle.standardError.write(Data("parallax-bench: bad --count, --size or --shown-share\n".utf8))
        exit(2)
    }
    try makeStore(
        path: args[2], count: count, corpusPath: option("--corpus") ?? "corpus", width: size[0], height: size[1],
        shownShare: shownShare)
    exit(0)
}
if args.contains("--annotations") {
    try annotationBenchmark()
    exit(0)
}
if args.count >= 2 && args[1] == "--analysis" {
    try analysisBenchmark(folder: args.count >= 3 ? args[2] : "../shared/data/polnear-dev/text")
    exit(0)
}
if args.count >= 3 && args[1] == "--ui-scale" {
    // parallax-bench --ui-scale ARTICLES [SHARED_QUOTES]
    try uiScaleBenchmark(articles: Int(args[2]) ?? 1000, shared: args.count >= 4 ? Int(args[3]) ?? 20 : 20)
    exit(0)
}
if args.count >= 2 && args[1] == "--quotes" {
    try quoteBenchmark(corpusPath: "corpus")
    exit(0)
}
try corpusBenchmarks(corpusPath: "corpus")
if args.contains("--corpus-only") { exit(0) }
try entityBenchmark(folder: ".bench-out/synthetic")
print("== layout alone on 50 MB texts (width 60, 70 rows)")
for result in LayoutBenchmark.run() { print("   \(result)") }
print("== 50 MB articles (each in its own process)")
for path in try makeHugeFiles(in: ".bench-out") {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    p.arguments = ["--huge", path]
    try p.run()
    p.waitUntilExit()
}
try quoteBenchmark(corpusPath: "corpus")
