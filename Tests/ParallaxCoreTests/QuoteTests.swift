import XCTest

@testable import ParallaxCore

private func article(_ id: String, _ text: String) -> Article {
    CorpusLoader.plainTextArticle(id: id, path: id + ".txt", text: TextBuffer(text))
}

private func analyze(_ articles: [Article]) -> QuoteAnalysis {
    Pipeline.standard.run(Corpus(articles: articles, warnings: [], root: nil)).quotes
}

/// What the extraction stage finds in one article: each quotation's text, the texts of the
/// quotations nested in it, and whether it continues the previous paragraph's.
private struct Extracted {
    var text: String
    var nested: [String]
    var continues: Bool
    var parent: Int?
}

private func extract(_ a: Article) -> [Extracted] {
    let doc = Doc(a)
    let raw = ExtractQuotes().run(doc)
    return raw.enumerated().map { k, r in
        Extracted(
            text: doc.text.string(r.range),
            nested: raw.filter { $0.parent == k }.map { doc.text.string($0.range) },
            continues: r.continues, parent: r.parent)
    }
}

final class QuoteTests: XCTestCase {
    // MARK: Quality on the seeds

    func testSeedQuality() throws {
        let corpus = try load([seedCorpusPath])
        let result = Pipeline.standard.run(corpus).quotes
        // Nested quotations are checked with their outer one (`GoldQuote.nested`).
        let predicted = result.quotes.filter { $0.parent == nil }

        // Match gold to predicted quotes by article and text, in order.
        var used = Set<Int>()
        var matchOfGold: [Int?] = []
        for g in quoteGold {
            let k = predicted.indices.first { !used.contains($0) && predicted[$0].article.hasPrefix(g.article) && predicted[$0].text == g.text }
            if let k { used.insert(k) }
            matchOfGold.append(k)
        }
        let matched = matchOfGold.compactMap { $0 }.count
        let precision = Double(matched) / Double(max(1, predicted.count))
        let recall = Double(matched) / Double(quoteGold.count)
        for (g, k) in zip(quoteGold, matchOfGold) where k == nil { print("missed: \(g.article) \(g.text)") }
        for k in predicted.indices where !used.contains(k) { print("spurious: \(predicted[k].article) \(predicted[k].text)") }

        var speakerRight = 0, speakerTotal = 0
        for (g, k) in zip(quoteGold, matchOfGold) {
            guard let k else { continue }
            speakerTotal += 1
            if predicted[k].speaker?.name == g.speaker { speakerRight += 1 } else {
                print("speaker: \(g.text.prefix(40)) gold \(g.speaker ?? "nil") got \(predicted[k].speaker?.name ?? "nil")")
            }
            if !g.nested.isEmpty {
                // Nested quotations are reported, inside their outer one and said by its speaker.
                let inner = result.quotes.filter { $0.parent == predicted[k].id }
                XCTAssertEqual(inner.map(\.text), g.nested)
                for q in inner { XCTAssertEqual(q.speaker?.name, predicted[k].speaker?.name) }
            }
        }
        let speakerAccuracy = Double(speakerRight) / Double(max(1, speakerTotal))

        // Pairwise cluster precision and recall over the matched quotes.
        var tp = 0, fp = 0, fn = 0
        let pairs = zip(quoteGold, matchOfGold).compactMap { g, k in k.map { (g, predicted[$0]) } }
        for i in pairs.indices {
            for j in pairs.indices where j > i {
                let gold = pairs[i].0.utterance != nil && pairs[i].0.utterance == pairs[j].0.utterance
                let got = pairs[i].1.cluster != nil && pairs[i].1.cluster == pairs[j].1.cluster
                if gold && got { tp += 1 } else if got { fp += 1; print("wrong pair: \(pairs[i].1.text.prefix(30)) | \(pairs[j].1.text.prefix(30))") }
                else if gold { fn += 1; print("missed pair: \(pairs[i].1.text.prefix(30)) | \(pairs[j].1.text.prefix(30))") }
            }
        }
        let clusterP = Double(tp) / Double(max(1, tp + fp))
        let clusterR = Double(tp) / Double(max(1, tp + fn))

        print("Quote quality on the seeds (\(quoteGold.count) gold quotations, \(predicted.count) found, \(tp + fn) gold same-utterance pairs)")
        print("  measure                         value")
        print(String(format: "  extraction precision            %.3f", precision))
        print(String(format: "  extraction recall               %.3f", recall))
        print(String(format: "  speaker accuracy                %.3f  (%d/%d)", speakerAccuracy, speakerRight, speakerTotal))
        print(String(format: "  cluster pairwise precision      %.3f", clusterP))
        print(String(format: "  cluster pairwise recall         %.3f", clusterR))
        XCTAssertGreaterThanOrEqual(precision, 0.97)
        XCTAssertGreaterThanOrEqual(recall, 0.97)
        XCTAssertGreaterThanOrEqual(speakerAccuracy, 0.95)
        XCTAssertGreaterThanOrEqual(clusterP, 0.95)
        XCTAssertGreaterThanOrEqual(clusterR, 0.9)

        // Ids are stable: article order, then offset.
        XCTAssertEqual(result.quotes.map(\.id), result.quotes.indices.map { QuoteID($0) })
        // Every cluster's root is its longest version, and singletons carry no cluster.
        for c in result.clusters {
            XCTAssertGreaterThanOrEqual(c.quotes.count, 2)
            XCTAssertTrue(c.quotes.contains(c.root))
        }
    }

    func testSeedTraps() throws {
        let corpus = try load([seedCorpusPath])
        let result = Pipeline.standard.run(corpus).quotes
        let q = result.quotes
        func quote(_ a: String, _ prefix: String) -> Quote { q.first { $0.article.hasPrefix(a) && $0.text.hasPrefix(prefix) }! }
        // Raffensperger's "wrong" never joins Trump's "nothing wrong with saying".
        XCTAssertNotEqual(quote("000", "wrong").cluster, quote("001", "There’s nothing wrong").cluster)
        // The addressee of "told" is not the speaker; the subject of a that-clause is not either.
        XCTAssertEqual(quote("000", "The people of Georgia").speaker?.name, "Donald Trump")
        XCTAssertEqual(quote("003", "can't let").speaker?.name, "Donald Trump")
        // Seed 004 (a different call) keeps to itself.
        let other = Set(q.filter { !$0.article.hasPrefix("004") }.compactMap(\.cluster))
        for x in q where x.article.hasPrefix("004") { if let c = x.cluster { XCTAssertFalse(other.contains(c)) } }
        // Related-link junk yields no quotation; the headline's single-quoted 'find' does.
        let a0 = corpus.articles[0]
        for x in q where x.article == a0.id {
            XCTAssertFalse(a0.hiddenRanges.contains { $0.overlaps(x.range) })
        }
        XCTAssertEqual(q.first { $0.article == a0.id }?.text, "find")
        // Link kinds.
        let kinds = Set(result.clusters.flatMap(\.links).map(\.kind))
        XCTAssertTrue(kinds.isSuperset(of: [.exact, .variant, .fragment, .paraphrase]))
    }

    // MARK: Extraction rules

    func testApostrophesAreNotQuotes() {
        let a = article("t", "Headline\n\nGeorgia’s governor didn’t talk about the '90s or Loeffler’s race, and the News' view.\n")
        XCTAssertEqual(extract(a).map(\.text), [])
    }

    /// Marks nested deeper than the cap open nothing, and are counted for a warning: ten levels
    /// give eight quotations (one per level kept), two marks ignored, and the article named.
    func testNestingDeeperThanTheCapIsCountedAndReported() {
        let opens = (1...10).map { "“level\($0) " }.joined()
        let text = "Ann said " + opens + "core" + String(repeating: "”", count: 10) + " today.\n"
        let a = article("deep", text)
        let (raw, tooDeep) = ExtractQuotes().counting(Doc(a))
        XCTAssertEqual(tooDeep, 2)
        XCTAssertEqual(raw.count, ExtractQuotes.defaultMaxDepth)
        let both = [a, article("flat", "Bo said “plain words” here.\n")]
        let analysis = analyze(both)
        XCTAssertEqual(analysis.tooDeep, ["deep": 2])
        XCTAssertEqual(analysis.depthWarnings(corpus: Corpus(articles: both, warnings: [], root: nil)),
                       ["deep.txt: 2 quotation marks nested deeper than 8 levels not read as quotations"])
    }

    func testMixedMarksNestedAndFragments() {
        let text = """
            Headline with a 'scare' word

            She said "one 'inner' two" and then “three “four” five”, calling it a "hoax".
            """
        let q = extract(article("t", text)).filter { $0.parent == nil }
        XCTAssertEqual(q.map(\.text), ["scare", "one 'inner' two", "three “four” five", "hoax"])
        XCTAssertEqual(q[1].nested, ["inner"])
        XCTAssertEqual(q[2].nested, ["four"])
        // A short quoted term with no cue is a scare quote; one a verb puts in someone's mouth is not.
        let analysed = analyze([article("t", text)]).quotes
        XCTAssertEqual(analysed.filter { $0.parent == nil }.map(\.isFragment), [true, false, false, false])
        XCTAssertEqual(analysed.first { $0.text == "hoax" }?.speaker?.mention, "She")
    }

    func testMultiParagraphQuote() {
        let text = """
            Title

            “We will rebuild the bridge,” the mayor said. “It will take two years and cost a great deal.

            “But the city cannot wait any longer.”

            Residents agreed.
            """
        let q = extract(article("t", text))
        XCTAssertEqual(q.map(\.text), ["We will rebuild the bridge,", "It will take two years and cost a great deal.", "But the city cannot wait any longer."])
        XCTAssertEqual(q.map(\.continues), [false, false, true])
    }

    // MARK: New texts (another story)

    func testNewStoryAttributionAndClusters() {
        let a = article("n1", """
            Mayor Anne Dupont pledges a new bridge

            Mayor Anne Dupont spoke to reporters on Monday about the collapsed bridge.

            "We will rebuild the bridge before winter, and we will do it right," Dupont said. "Nobody should have to drive two hours to work."

            Councilman Raj Patel told reporters the plan was "reckless." He added: "The budget simply does not allow it."

            A source close to the council said: "The vote will be tight."

            “The engineers warned us in 2019,” said Patel. “They called the deck ‘unsafe’ and nobody listened.

            “Now we pay for it.”
            """)
        let b = article("n2", """
            City vows to rebuild

            The mayor told the council that the city "will rebuild the bridge before winter." Patel replied that the budget "simply does not allow it."
            """)
        let result = analyze([a, b])
        let q = result.quotes
        func s(_ prefix: String) -> String? { q.first { $0.text.hasPrefix(prefix) }?.speaker?.name }
        XCTAssertEqual(s("We will rebuild"), "Anne Dupont")
        XCTAssertEqual(s("Nobody should"), "Anne Dupont")
        XCTAssertEqual(s("reckless"), "Raj Patel")
        XCTAssertEqual(s("The budget"), "Raj Patel")
        XCTAssertEqual(s("The vote will"), "A source close to the council")
        XCTAssertNil(q.first { $0.text.hasPrefix("The vote will") }?.speaker?.entity)
        XCTAssertEqual(s("The engineers"), "Raj Patel")
        XCTAssertEqual(s("Now we pay"), "Raj Patel")
        let outer = q.first { $0.text.hasPrefix("They called") }
        XCTAssertEqual(q.filter { $0.parent == outer?.id }.map(\.text), ["unsafe"])
        XCTAssertEqual(s("will rebuild the bridge before"), "Anne Dupont")
        XCTAssertEqual(s("simply does not"), "Raj Patel")
        func c(_ prefix: String) -> ClusterID? { q.first { $0.text.hasPrefix(prefix) }?.cluster }
        XCTAssertNotNil(c("will rebuild the bridge before"))
        XCTAssertEqual(c("will rebuild the bridge before"), c("We will rebuild"))
        XCTAssertEqual(c("simply does not"), c("The budget"))
        XCTAssertNotEqual(c("simply does not"), c("We will rebuild"))
        XCTAssertNil(c("The vote will"))
    }

    // MARK: Robustness

    func testBadInputsDoNotCrash() {
        let huge = String(repeating: "word ", count: 200_000)
        let texts = [
            "T\n\n\"unbalanced \"quotes\" here \" and “ more “ open ‘ ’ ” \" '",
            "T\n\n\"" + huge + "\" he said.\n\n\"" + huge + "\" said Smith.",
            "T\n\n" + String(repeating: "\"", count: 100_000),
            "T\n\n" + String(repeating: "“", count: 50_000) + String(repeating: "”", count: 50_000),
            "T\n\n" + String(repeating: "' ", count: 50_000),
            "T\n\n\u{0}\u{1}\"a\u{7}b\"\u{1B}[31m “c\u{0}” \r\n\"d\r\n",
            "",
            "\"",
        ]
        let articles = texts.enumerated().map { article("r\($0.offset)", $0.element) }
        for a in articles { _ = extract(a) }
        let result = analyze(articles)
        XCTAssertFalse(result.quotes.isEmpty)
        let big = result.quotes.filter { $0.text.count > 900_000 }
        XCTAssertEqual(big.count, 2)
        XCTAssertEqual(big.first?.cluster, big.last?.cluster)
    }
}
