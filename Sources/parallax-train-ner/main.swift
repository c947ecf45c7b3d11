import Foundation
import ParallaxCore

// Trains, scores and times the named-entity tagger (see Sources/ParallaxCore/Resources/ner/README.md).
//
//   parallax-train-ner [--train FILE] [--dev FILE] [--out FILE] [--epochs N] [--seed S] [--min-count N] [--prune W]
//   parallax-train-ner --evaluate MODEL [--dev FILE]
//   parallax-train-ner --bench FILE_OR_DIR [--model MODEL] [--seconds S]

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("parallax-train-ner: \(message)\n".utf8))
    exit(1)
}

let usage = """
    usage: parallax-train-ner [--train FILE] [--dev FILE] [--out FILE] [--epochs N] [--seed S] [--min-count N] [--prune W]
           parallax-train-ner --evaluate MODEL [--dev FILE]
           parallax-train-ner --bench FILE_OR_DIR [--model MODEL] [--seconds S]
    """

var parsed: [String: String] = [
    "train": "../shared/data/conllpp/conllpp_train.txt",
    "dev": "../shared/data/conllpp/conllpp_dev.txt",
    "out": "Sources/ParallaxCore/Resources/ner/model.bin",
    "epochs": "20",
    "seed": "1",
    "min-count": "1",
    "prune": "0",
    "seconds": "3",
]
let known: Set<String> = ["train", "dev", "out", "epochs", "seed", "min-count", "prune", "evaluate", "bench", "model", "seconds"]
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "-h" || a == "--help" {
        print(usage)
        exit(0)
    }
    guard a.hasPrefix("--"), known.contains(String(a.dropFirst(2))) else { fail("unknown argument \(a)\n\(usage)") }
    guard let v = args.popFirst() else { fail("\(a) needs a value") }
    parsed[String(a.dropFirst(2))] = v
}
let options = parsed

func int(_ name: String) -> Int {
    guard let v = Int(options[name]!), v >= 0 else { fail("--\(name) needs a whole number, not \(options[name]!)") }
    return v
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func loadCoNLL(_ path: String) -> [CoNLLDocument] {
    guard FileManager.default.fileExists(atPath: path) else { fail("cannot read \(path)") }
    do { return try CoNLLReader.load(path: path) } catch { fail(error.message) }
}

func loadModel(_ path: String) -> (NERTagger, Double, Int) {
    guard let d = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    let bytes = [UInt8](d)
    let t0 = now()
    do {
        let tagger = try NERTagger(data: bytes)
        return (tagger, now() - t0, bytes.count)
    } catch { fail("\(path): \(error)") }
}

func f3(_ x: Double) -> String { String(format: "%.4f", x) }

func report(_ e: NEREvaluation) {
    print("type   precision  recall  F1      tp    fp    fn")
    for t in ["PER", "ORG", "LOC", "MISC"] {
        let p = e.perType[t]!
        print("\(t.padding(toLength: 6, withPad: " ", startingAt: 0)) \(f3(p.precision))     \(f3(p.recall))  \(f3(p.f1))  \(p.tp)  \(p.fp)  \(p.fn)")
    }
    let m = e.micro
    print("micro PER/ORG/LOC: P \(f3(m.precision)) R \(f3(m.recall)) F1 \(f3(m.f1))")
}

func evaluate(_ tagger: NERTagger, _ docs: [CoNLLDocument]) {
    let e = NEREvaluation.run(tagger, documents: docs)
    report(e)
    // The same figure through the project's scorer.
    let scorer = EntityScorer.score(documents: docs, system: NEREvaluation.systemMentions(tagger, documents: docs))
    print("EntityScorer micro PER/ORG/LOC F1: \(f3(scorer.micro.f1))")
}

if let bench = options["bench"] {
    var docs: [Doc] = []
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: bench, isDirectory: &isDir) else { fail("cannot read \(bench)") }
    if isDir.boolValue {
        do {
            let corpus = try CorpusLoader.load(paths: [bench])
            docs = corpus.articles.map { Doc($0) }
        } catch { fail("\(bench): \(error)") }
    } else {
        docs = loadCoNLL(bench).map { Doc(NERExample.article($0)) }
    }
    let tagger: NERTagger
    if let m = options["model"] {
        let (t, load, size) = loadModel(m)
        tagger = t
        print("model \(m): \(size) bytes, \(t.featureCount) features, loaded in \(String(format: "%.1f", load * 1000)) ms")
    } else {
        let t0 = now()
        guard let t = NERTagger.bundled else { fail("no bundled model") }
        tagger = t
        print("bundled model: \(t.featureCount) features, loaded in \(String(format: "%.1f", (now() - t0) * 1000)) ms")
    }
    let bytes = docs.reduce(0) { $0 + $1.text.bytes.count }
    let tokens = docs.reduce(0) { $0 + $1.tokens.count }
    guard bytes > 0 else { fail("no text in \(bench)") }
    _ = docs.first.map { tagger.tag($0) }  // warm up (gazetteer, lexicon)
    let seconds = Double(int("seconds"))
    var rounds = 0, spans = 0
    let t0 = now()
    repeat {
        for d in docs { spans += tagger.tag(d).count }
        rounds += 1
    } while now() - t0 < seconds
    let dt = now() - t0
    print("tagged \(docs.count) documents × \(rounds): \(bytes * rounds) bytes, \(tokens * rounds) tokens, \(spans) spans in \(String(format: "%.2f", dt)) s")
    print(String(format: "tagging: %.1f MB/s, %.2f M tokens/s (one core, tokenization excluded)", Double(bytes * rounds) / dt / 1e6, Double(tokens * rounds) / dt / 1e6))
    let t1 = now()
    var r2 = 0
    repeat {
        for d in docs { spans += tagger.tag(Doc(d.article)).count }
        r2 += 1
    } while now() - t1 < seconds
    let dt2 = now() - t1
    print(String(format: "tokenizing + tagging: %.1f MB/s", Double(bytes * r2) / dt2 / 1e6))
    exit(0)
}

if let modelPath = options["evaluate"] {
    let (tagger, load, size) = loadModel(modelPath)
    print("model \(modelPath): \(size) bytes, \(tagger.featureCount) features, loaded in \(String(format: "%.1f", load * 1000)) ms")
    evaluate(tagger, loadCoNLL(options["dev"]!))
    exit(0)
}

// Training.
let trainPath = options["train"]!, devPath = options["dev"]!
let train = loadCoNLL(trainPath)
let dev = loadCoNLL(devPath)
let epochs = int("epochs")
guard epochs >= 1 else { fail("--epochs must be at least 1") }
guard let seed = UInt64(options["seed"]!) else { fail("--seed needs a whole number") }
guard let prune = Double(options["prune"]!) else { fail("--prune needs a number") }
let start = now()
var projection = NERExample.Projection()
var examples = train.map { NERExample.conll($0, projection: &projection) }
// The tagger learns on top of the rules: what they say of each token is a feature (the training
// file is one corpus to them, as a folder of articles is in the reader).
for (k, h) in RecognizeEntities.ruleHints(examples.map(\.doc)).enumerated() { examples[k].hints = h }
var devProjection = NERExample.Projection()
for d in dev { _ = NERExample.conll(d, projection: &devProjection) }
print("train: \(train.count) documents, \(projection.tokens) CoNLL tokens, \(projection.mentions) mentions")
print("projection on Doc tokens: train \(projection.mismatchedMentions) mentions mismatched, \(projection.splitTokens) tokens split; dev \(devProjection.mismatchedMentions) mentions mismatched, \(devProjection.splitTokens) tokens split")
let trainer = NERTrainer(examples: examples, options: .init(seed: seed, minCount: int("min-count")))
print("features: \(trainer.featureCount) (min count \(int("min-count"))), prepared in \(String(format: "%.1f", now() - start)) s")

var best: (f1: Double, epoch: Int, data: [UInt8])? = nil
for epoch in 1...epochs {
    let t0 = now()
    let (mistakes, units) = trainer.trainEpoch()
    let data = trainer.modelData(prune: prune)
    let tagger: NERTagger
    do { tagger = try NERTagger(data: data) } catch { fail("model does not read back: \(error)") }
    let e = NEREvaluation.run(tagger, documents: dev)
    let all = e.perType.values.reduce(PRF()) { $0 + $1 }
    print("epoch \(epoch): \(mistakes)/\(units) units wrong, dev micro PER/ORG/LOC F1 \(f3(e.micro.f1)) (all types \(f3(all.f1))), \(data.count) bytes, \(String(format: "%.1f", now() - t0)) s")
    if best == nil || e.micro.f1 > best!.f1 { best = (e.micro.f1, epoch, data) }
}
let chosen = best!
let (tagger, load, _) = {
    let t0 = now()
    let t = try! NERTagger(data: chosen.data)
    return (t, now() - t0, 0)
}()
print("chosen: epoch \(chosen.epoch) of \(epochs), seed \(seed), \(tagger.featureCount) features, \(chosen.data.count) bytes, loads in \(String(format: "%.1f", load * 1000)) ms")
evaluate(tagger, dev)
do {
    try Data(chosen.data).write(to: URL(fileURLWithPath: options["out"]!))
} catch { fail("cannot write \(options["out"]!): \(error)") }
print("wrote \(options["out"]!); training took \(String(format: "%.1f", now() - start)) s")
