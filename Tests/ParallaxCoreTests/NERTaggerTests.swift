import Foundation
import XCTest

@testable import ParallaxCore

final class NERTaggerTests: XCTestCase {
    // MARK: Helpers

    private func doc(_ text: String) -> Doc {
        Doc(
            Article(
                id: "t", path: "t", format: .plainText, metadata: ArticleMetadata(), text: TextBuffer(text), bodyStart: 0,
                hiddenRanges: [], warnings: [], wordCount: 0))
    }

    private func spans(_ tagger: NERTagger, _ d: Doc) -> [String] {
        tagger.tag(d).map { "\($0.type.rawValue) \(d.string($0.tokens))" }
    }

    /// A synthetic corpus of invented names in a handful of sentence frames: each document a few
    /// sentences, entities marked by token ranges.
    private func syntheticCorpus(seed: UInt64, documents: Int) -> [NERExample] {
        var rng = SplitMix64(seed: seed)
        let first = ["Zorva", "Quillan", "Brettick", "Amarelle", "Tovin", "Ysolde", "Kermit", "Daviko"]
        let last = ["Plimwater", "Oskarrin", "Fendlow", "Mirabek", "Tusklin", "Vantreau"]
        let orgs = ["Blentor Corp", "Vexamin Group", "Hollow Reach Bank", "Tarsk Industries"]
        let locs = ["Trandor", "Pelluna", "East Morvale", "Quistan"]
        let frames = [
            "{PER} visited {LOC} on Monday .",
            "{PER} , chief executive of {ORG} , said sales rose .",
            "Shares of {ORG} fell in {LOC} after the report .",
            "The talks in {LOC} ended without a deal , {PER} said .",
            "{ORG} hired {PER} to run its office in {LOC} .",
        ]
        var out: [NERExample] = []
        for _ in 0..<documents {
            var text = ""
            var entities: [(Range<Int>, NERLabelType)] = []  // scalar ranges
            for _ in 0..<3 {
                let frame = frames[Int(rng.next() % UInt64(frames.count))]
                for part in frame.split(separator: " ") {
                    if !text.isEmpty && !text.hasSuffix("\n") { text += " " }
                    let start = text.unicodeScalars.count
                    switch part {
                    case "{PER}":
                        text += first[Int(rng.next() % UInt64(first.count))] + " " + last[Int(rng.next() % UInt64(last.count))]
                        entities.append((start..<text.unicodeScalars.count, .per))
                    case "{ORG}":
                        text += orgs[Int(rng.next() % UInt64(orgs.count))]
                        entities.append((start..<text.unicodeScalars.count, .org))
                    case "{LOC}":
                        text += locs[Int(rng.next() % UInt64(locs.count))]
                        entities.append((start..<text.unicodeScalars.count, .loc))
                    default: text += part
                    }
                }
                text += "\n"
            }
            let d = doc(text)
            out.append(NERExample(doc: d, entities: entities.map { (tokens: d.tokens(in: $0.0), type: $0.1) }))
        }
        return out
    }

    private func train(_ examples: [NERExample], epochs: Int, seed: UInt64) -> [UInt8] {
        let trainer = NERTrainer(examples: examples, options: .init(seed: seed))
        for _ in 0..<epochs { trainer.trainEpoch() }
        return trainer.modelData()
    }

    // MARK: Training

    func testSyntheticTrainingLearnsNamesAndIsReproducible() throws {
        let corpus = syntheticCorpus(seed: 7, documents: 120)
        let a = train(corpus, epochs: 4, seed: 3)
        let b = train(corpus, epochs: 4, seed: 3)
        XCTAssertEqual(a, b, "same data and seed must give the same model bytes")
        let c = train(corpus, epochs: 4, seed: 4)
        XCTAssertNotEqual(a, c, "the seed orders the documents")

        let tagger = try NERTagger(data: a)
        // A sentence in none of the frames, with names of the corpus.
        let d = doc("Ysolde Fendlow flew from Quistan to meet Tarsk Industries .\n")
        XCTAssertEqual(spans(tagger, d), ["PER Ysolde Fendlow", "LOC Quistan", "ORG Tarsk Industries"])
    }

    func testModelRoundTripGivesTheSamePredictions() throws {
        let corpus = syntheticCorpus(seed: 11, documents: 60)
        let data = train(corpus, epochs: 3, seed: 1)
        let folder = try makeTempFolder(self)
        let path = try write(data, to: folder, "model.bin")
        let back = try XCTUnwrap(FileManager.default.contents(atPath: path))
        let a = try NERTagger(data: data)
        let b = try NERTagger(data: [UInt8](back))
        XCTAssertGreaterThan(a.featureCount, 0)
        XCTAssertEqual(a.featureCount, b.featureCount)
        for e in syntheticCorpus(seed: 12, documents: 10) {
            XCTAssertEqual(a.tag(e.doc), b.tag(e.doc))
            XCTAssertFalse(a.tag(e.doc).isEmpty)
        }
        // Damaged files are refused, not misread.
        XCTAssertThrowsError(try NERTagger(data: Array(data.dropLast(3))))
        var wrongMagic = data
        wrongMagic[0] = 0x41
        XCTAssertThrowsError(try NERTagger(data: wrongMagic))
    }

    /// The frequent-type sums in the model are a cache: a model without them tags the same.
    func testFrequentTypeSumsDoNotChangePredictions() throws {
        let corpus = syntheticCorpus(seed: 21, documents: 80)
        func model(_ types: Int) throws -> NERTagger {
            let trainer = NERTrainer(examples: corpus, options: .init(seed: 2, frequentTypes: types))
            for _ in 0..<3 { trainer.trainEpoch() }
            return try NERTagger(data: trainer.modelData())
        }
        let cached = try model(40), plain = try model(0)
        XCTAssertGreaterThan(cached.typeCount, 0)
        XCTAssertEqual(plain.typeCount, 0)
        for e in syntheticCorpus(seed: 22, documents: 10) { XCTAssertEqual(cached.tag(e.doc), plain.tag(e.doc)) }
    }

    // MARK: Decoding

    /// A tagger trained one epoch on a small synthetic corpus: weights to decode with.
    private func smallTagger(seed: UInt64) throws -> NERTagger {
        try NERTagger(data: train(syntheticCorpus(seed: seed, documents: 20), epochs: 1, seed: 1))
    }

    /// Random emission scores of `m` tokens, all labels.
    private func randomEmissions(_ rng: inout SplitMix64, tokens m: Int) -> [Int32] {
        (0..<(m * NERLabels.count)).map { _ in Int32(truncatingIfNeeded: rng.next() % 200_000) - 100_000 }
    }

    /// Whatever the scores, Viterbi returns a BIO-consistent sequence: no `I-X` after `O`, after
    /// another type or at the start of a unit.
    func testViterbiOutputIsBIOConsistent() throws {
        let tagger = try smallTagger(seed: 5)
        var rng = SplitMix64(seed: 99)
        let L = NERLabels.count
        let scratch = NERTagger.ViterbiScratch(capacity: 30)
        for round in 0..<200 {
            let m = 1 + Int(rng.next() % 30)
            var em = randomEmissions(&rng, tokens: m)
            // Push the inside labels hard in half the rounds.
            if round % 2 == 0 { for k in 0..<m { for l in stride(from: 2, to: L, by: 2) { em[k * L + l] += 1_000_000 } } }
            var labels = [UInt8](repeating: 0, count: m)
            em.withUnsafeMutableBufferPointer { e in
                labels.withUnsafeMutableBufferPointer { lab in tagger.viterbi(e, 0..<m, .sentence, scratch, lab) }
            }
            for k in 0..<m where NERLabels.isInside(labels[k]) {
                XCTAssertGreaterThan(k, 0, "an inside label starts the sequence: \(labels)")
                if k > 0 { XCTAssertEqual(NERLabels.type(labels[k - 1]), NERLabels.type(labels[k]), "\(labels)") }
            }
        }
    }

    /// Decoding the runs between pinned tokens on their own (from the sentence start or an O,
    /// into an O or the sentence end) gives the labels and margins of decoding the whole unit
    /// with the pinned tokens held to O.
    func testRunsBetweenPinnedTokensDecodeAsTheWholeUnit() throws {
        let tagger = try smallTagger(seed: 6)
        var rng = SplitMix64(seed: 7)
        let L = NERLabels.count
        let scratch = NERTagger.ViterbiScratch(capacity: 40)
        for _ in 0..<300 {
            let m = 1 + Int(rng.next() % 40)
            var em = randomEmissions(&rng, tokens: m)
            let pinned = (0..<m).map { _ in rng.next() % 3 == 0 }
            // The whole unit, with pinned tokens held to O by their scores.
            var held = em
            for k in 0..<m where pinned[k] { for l in 0..<L { held[k * L + l] = l == 0 ? 10_000_000 : -10_000_000 } }
            var whole = [UInt8](repeating: 0, count: m)
            var wholeGaps: [Int64] = []
            held.withUnsafeMutableBufferPointer { e in
                whole.withUnsafeMutableBufferPointer { lab in
                    tagger.viterbi(e, 0..<m, .sentence, scratch, lab)
                    wholeGaps = tagger.marginGaps(e, 0..<m, .sentence, scratch, lab)
                }
            }
            // The runs alone.
            var runs = [UInt8](repeating: 0, count: m)
            var a = 0
            em.withUnsafeMutableBufferPointer { e in
                runs.withUnsafeMutableBufferPointer { lab in
                    while a < m {
                        if pinned[a] { a += 1; continue }
                        var b = a + 1
                        while b < m && !pinned[b] { b += 1 }
                        let ends = NERTagger.Ends(afterStart: a == 0, beforeO: b < m)
                        tagger.viterbi(e, a..<b, ends, scratch, lab)
                        let gaps = tagger.marginGaps(e, a..<b, ends, scratch, lab)
                        for k in a..<b { XCTAssertEqual(gaps[k - a], wholeGaps[k], "margin at \(k) of \(pinned)") }
                        a = b
                    }
                }
            }
            XCTAssertEqual(runs, whole, "pinned \(pinned)")
        }
    }

    /// Which tokens are pinned to O: what cannot be inside a name. Words written together with a
    /// capital ("al-Aqsa"), lower-case words between capitals ("Bank of America"), name particles
    /// ("de Blasio") and numbers beside a capital are decoded.
    func testPinnedTokens() {
        let d = doc("the mayor of the city , Bill de Blasio , met al-Aqsa guards at the Bank of America on 5 May and left .")
        let ctx = NERContext(d)
        let pinned = Set((0..<d.tokens.count).filter { ctx.pinned[$0] }.map { d.string($0..<($0 + 1)) })
        let free = Set((0..<d.tokens.count).filter { !ctx.pinned[$0] }.map { d.string($0..<($0 + 1)) })
        // A lower-case word with a capital on one side only ("guards", "and") is pinned; between
        // two names ("Blasio, met al-Aqsa") it is not.
        for w in ["mayor", "city", "at", "left", "guards", "and"] { XCTAssertTrue(pinned.contains(w), w) }
        for w in ["Bill", "de", "Blasio", "al-Aqsa", "of", "America", "5", "May", "on", "met"] { XCTAssertTrue(free.contains(w), w) }
    }

    /// The cache kept across the documents of one run changes no result.
    func testTypeCacheAcrossDocumentsChangesNothing() throws {
        let tagger = try XCTUnwrap(NERTagger.bundled)
        let texts = [
            "Brad Raffensperger, Georgia's secretary of state, spoke to Reuters in Atlanta.",
            "Raffensperger told Reuters that the Fulton County count stood; Gabriel Sterling agreed in Atlanta.",
            "In Tokyo, Toyota Motor Corp said Angela Merkel and Raffensperger had not called.",
        ]
        let cache = NERTagger.TypeCache()
        for _ in 0..<2 {
            for t in texts {
                let d = doc(t)
                let hints = RecognizeEntities.ruleHints([d])[0]
                XCTAssertEqual(tagger.tag(d, hints: hints, cache: cache), tagger.tag(d, hints: hints), t)
            }
        }
        XCTAssertGreaterThan(cache.ids.count, 0, "unknown word types were kept")
    }

    func testSpansAreOrderedAndDisjoint() throws {
        let tagger = try XCTUnwrap(NERTagger.bundled)
        let d = doc(
            "WASHINGTON (Reuters) - Senator Mitch McConnell met officials of the European Union and Toyota Motor Corp in Tokyo.\nAngela Merkel said Germany would wait.\n"
        )
        let found = tagger.tag(d)
        XCTAssertFalse(found.isEmpty)
        var last = 0
        for s in found {
            XCTAssertFalse(s.tokens.isEmpty)
            XCTAssertGreaterThanOrEqual(s.tokens.lowerBound, last)
            XCTAssertLessThanOrEqual(s.tokens.upperBound, d.tokens.count)
            XCTAssertGreaterThanOrEqual(s.margin, 0)
            XCTAssertTrue(s.evidence.hasPrefix("tagger: "), s.evidence)
            last = s.tokens.upperBound
        }
    }

    // MARK: The bundled model

    func testBundledModelTagsASentence() throws {
        let tagger = try XCTUnwrap(NERTagger.bundled, "the bundled model loads")
        let d = doc("Brad Raffensperger, Georgia's secretary of state, spoke to Reuters in Atlanta.")
        // As the recognition stage runs it: on top of what the rules say of each token.
        let found = tagger.tag(d, hints: RecognizeEntities.ruleHints([d])[0]).map { "\($0.type.rawValue) \(d.string($0.tokens))" }
        XCTAssertEqual(found, ["PER Brad Raffensperger", "LOC Georgia", "ORG Reuters", "LOC Atlanta"])
    }

    /// `../shared/data` (from the package root), or `PARALLAX_EVAL_DATA`; skipped when absent.
    func testBundledModelScoresOnCoNLLppDev() throws {
        let root = ProcessInfo.processInfo.environment["PARALLAX_EVAL_DATA"] ?? "../shared/data"
        let path = root + "/conllpp/conllpp_dev.txt"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no \(path)") }
        let tagger = try XCTUnwrap(NERTagger.bundled)
        let dev = try CoNLLReader.load(path: path)
        let e = NEREvaluation.run(tagger, documents: dev)
        XCTAssertGreaterThanOrEqual(e.micro.f1, 0.86, "PER/ORG/LOC micro F1 \(e.micro.f1)")
        // The project's scorer agrees.
        let scored = EntityScorer.score(documents: dev, system: NEREvaluation.systemMentions(tagger, documents: dev))
        XCTAssertEqual(scored.micro.f1, e.micro.f1, accuracy: 1e-9)
    }
}
