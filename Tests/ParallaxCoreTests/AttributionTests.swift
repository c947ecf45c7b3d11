import XCTest

@testable import ParallaxCore

/// Quotes and speakers on invented news text: the shapes real outlets use, none taken from
/// the development data.
final class AttributionTests: XCTestCase {
    private func analyze(_ texts: [String]) -> Analysis {
        let articles = texts.enumerated().map { k, t in
            CorpusLoader.plainTextArticle(id: "a\(k)", path: "a\(k).txt", text: TextBuffer(t))
        }
        return Pipeline.standard.run(Corpus(articles: articles, warnings: [], root: nil))
    }

    private func speaker(_ a: Analysis, _ prefix: String, file: StaticString = #filePath, line: UInt = #line) -> Speaker? {
        guard let q = a.quotes.quotes.first(where: { $0.text.hasPrefix(prefix) }) else {
            XCTFail("no quote starting with \(prefix)", file: file, line: line)
            return nil
        }
        return q.speaker
    }

    func testCueShapesAfterTheQuote() {
        let a = analyze(["""
            Harbor vote splits the council

            Councilwoman Maria Ostrowski and Senator Tomas Lindqvist met on Monday.

            "We cannot keep dredging the harbor every spring," Ms. Ostrowski said.

            "The money is simply not there this year," said Sen. Tomas Lindqvist (D-Maine), a member of the appropriations committee.

            "Our client followed every rule," said the company's lawyer Grace Whitfield.

            "Nobody was told about the spill," says spokesman Victor Haldane, who joined the agency in May.

            "Fish stocks fell by a third," the report said.

            Catches will fall again next year, according to the survey.

            "The port will stay open," said a statement from the Harbor Authority.
            """])
        XCTAssertEqual(speaker(a, "We cannot keep")?.name, "Maria Ostrowski")
        XCTAssertEqual(speaker(a, "The money is")?.name, "Tomas Lindqvist")
        XCTAssertEqual(speaker(a, "Our client")?.name, "Grace Whitfield")
        XCTAssertEqual(speaker(a, "Nobody was told")?.name, "Victor Haldane")
        XCTAssertEqual(speaker(a, "Fish stocks")?.mention, "the report")
        XCTAssertNil(speaker(a, "Fish stocks")?.entity)
        XCTAssertEqual(speaker(a, "The port will")?.mention, "a statement from the Harbor Authority")
    }

    /// A sentence connective before the subject is not the speaker, nor part of its name.
    func testConnectivesBeforeTheSubjectAreNotSpeakers() {
        let a = analyze(["""
            Council budget dispute

            The council met on Monday to settle the harbor budget for next year.

            However, Ellen Brandt's office said that was not her view and dismissed the reports as "old and misread claims."

            Following a late meeting, the Harbor Board issued a statement calling the plan "a recipe for a shortfall" of funds.
            """])
        // Her office speaks for her: the speaker is the person whose office it is.
        XCTAssertEqual(speaker(a, "old and misread")?.name, "Ellen Brandt")
        XCTAssertNotEqual(speaker(a, "a recipe")?.mention, "Following")
    }

    /// A participle cue ("while chanting") speaks for the clause's subject, not for a name inside
    /// an aside between dashes.
    func testAsideBetweenDashesIsNotTheSubject() {
        let a = analyze(["""
            Marchers return to the harbor

            Small groups of dockworkers continued to call for answers about the closing of the port, looping the streets around Harbor Field - where the National Hockey League's Portland Gulls played the Salem Otters - while chanting, "Open the gates now."
            """])
        let s = speaker(a, "Open the gates")
        XCTAssertNotEqual(s?.name, "Portland Gulls")
        XCTAssertNotEqual(s?.name, "Salem Otters")
        // "Small" is capitalised only because it starts the sentence: it names nobody.
        XCTAssertNotEqual(s?.name, "Small")
    }

    func testReportingVerbsInAnyForm() {
        let verbs = ["implored", "fumed", "vowed", "joked", "boasted", "lamented", "reiterated", "retweeted", "recalls", "suggests", "dubbed"]
        var text = "Town hall\n\nMayor Nadia Fairbanks spoke at the town hall.\n\n"
        for (k, v) in verbs.enumerated() { text += "\"Sentence number \(k) is about the budget,\" Fairbanks \(v).\n\n" }
        let a = analyze([text])
        for k in verbs.indices {
            XCTAssertEqual(speaker(a, "Sentence number \(k) ")?.name, "Nadia Fairbanks", verbs[k])
        }
        // A verb the lexicon does not list is not a cue: adding one is a change to the data.
        XCTAssertNotNil(Lexicon.english.verb(TokenKey.hash("retweeted")))
        XCTAssertNil(Lexicon.english.verb(TokenKey.hash("ate")))
    }

    func testContinuationPronounsAndSex() {
        let a = analyze(["""
            A hearing in Albany

            Judge Samuel Moreau and Governor Linda Castellano clashed over the budget on Tuesday.

            "This budget cannot pass as it stands, and everyone in this room knows it," Castellano told reporters after the hearing.

            "We will keep working through the weekend until the numbers add up for every county."

            Moreau listened. "The court will not rule on politics," he said. Then Castellano spoke again. "She said it twice," an aide noted, "and she meant it."

            "I stand by every word of the ruling," she said.
            """])
        XCTAssertEqual(speaker(a, "This budget")?.name, "Linda Castellano")
        // A paragraph of quotation alone continues the attribution of the one before.
        XCTAssertEqual(speaker(a, "We will keep working")?.name, "Linda Castellano")
        XCTAssertEqual(speaker(a, "The court will")?.name, "Samuel Moreau")
        // "she" is the woman named last as a subject, not the man quoted in between.
        XCTAssertEqual(speaker(a, "I stand by")?.name, "Linda Castellano")
        XCTAssertEqual(speaker(a, "I stand by")?.form, .pronoun)
    }

    func testConventionsAndNesting() {
        let a = analyze(["""
            Conventions

            Olga Petrov said: «Nous resterons ici jusqu'à la fin du mois».

            Kenji Nakamura wrote: „Wir bleiben bis zum Ende des Monats hier“.

            The statement read ‹short one› in the margin, and Aisha Okafor said 「我们会留下来直到月底」.

            ``We will stay until the end of the month,'' Robert Brennan said.

            ''The fund is empty,'' Mr. Brennan said, ''and the banks know it.''

            "He told me 'never again' and walked out," Okafor said.
            """])
        let texts = a.quotes.quotes.map(\.text)
        XCTAssertTrue(texts.contains("Nous resterons ici jusqu'à la fin du mois"), "\(texts)")
        XCTAssertTrue(texts.contains("Wir bleiben bis zum Ende des Monats hier"), "\(texts)")
        XCTAssertTrue(texts.contains("我们会留下来直到月底"), "\(texts)")
        XCTAssertTrue(texts.contains("We will stay until the end of the month,"), "\(texts)")
        XCTAssertEqual(speaker(a, "Nous resterons")?.name, "Olga Petrov")
        XCTAssertEqual(speaker(a, "Wir bleiben")?.name, "Kenji Nakamura")
        XCTAssertEqual(speaker(a, "We will stay")?.name, "Robert Brennan")
        // Two apostrophes are one double mark, and the comma before them does not hide the cue.
        XCTAssertEqual(speaker(a, "The fund is empty")?.name, "Robert Brennan")
        XCTAssertEqual(speaker(a, "and the banks")?.name, "Robert Brennan")
        // A nested quotation is reported, inside its outer one and said by its speaker.
        let outer = a.quotes.quotes.first { $0.text.hasPrefix("He told me") }!
        let inner = a.quotes.quotes.first { $0.text == "never again" }
        XCTAssertEqual(inner?.parent, outer.id)
        XCTAssertEqual(inner?.speaker?.name, "Aisha Okafor")
        XCTAssertEqual(inner?.speaker?.form, .inherited)
    }

    func testMarkupTitlesAndScareQuotes() {
        let a = analyze(["""
            Notes

            <tweet tweet-author="Maria Lindqvist" data-id="7734001"> The vote is on Friday.

            On "Face the Nation," Senator Grace Haldane said the plan "will not survive the winter."

            The so-called "experts" disagreed.
            """])
        let texts = a.quotes.quotes.map(\.text)
        XCTAssertFalse(texts.contains("Maria Lindqvist"))
        XCTAssertFalse(texts.contains("7734001"))
        XCTAssertFalse(texts.contains("Face the Nation,"))
        XCTAssertEqual(speaker(a, "will not survive")?.name, "Grace Haldane")
        XCTAssertEqual(a.quotes.quotes.first { $0.text == "experts" }?.isFragment, true)
        XCTAssertNil(a.quotes.quotes.first { $0.text == "experts" }?.speaker)
    }

    /// A quotation's cue is looked for within a window of tokens around it, not in its whole
    /// sentence: in a sentence of thousands of quotations each one reads a bounded context, so
    /// attribution stays linear.
    func testCueContextIsBoundedInHugeSentences() {
        let text = "Title\n\nTrump said “x " + String(repeating: "“w “w core”” ", count: 3_000) + "he said.\n"
        let article = CorpusLoader.plainTextArticle(id: "a", path: "a.txt", text: TextBuffer(text))
        let doc = Doc(article)
        let pipeline = Pipeline.standard
        let entities = pipeline.entities([doc])
        let raw = pipeline.extract.run(doc)
        XCTAssertGreaterThan(raw.count, 100)
        let worker = DocAttribution(
            doc: doc, raw: raw, mentions: entities.mentionsByArticle["a"] ?? [], entities: entities,
            facts: PersonFacts(docs: [doc], entities: entities), lexicon: .english, gazetteer: .shared)
        for q in raw where q.tokens.count < 20 {
            XCTAssertLessThanOrEqual(worker.context(q).count, 2 * DocAttribution.contextWindow + 30)
        }
    }

    func testNestedQuotesStayLinear() {
        // An unclosed mark holding many complete nested quotations: depth is capped, output linear.
        let n = 2_000
        let text = "Title\n\nHe said “x " + String(repeating: "“w ", count: n) + "core" + String(repeating: "”", count: n) + " and went on.\n"
        let a = analyze([text])
        XCTAssertLessThan(a.quotes.quotes.reduce(0) { $0 + $1.text.count }, text.count * 10)
    }
}

/// Versions of one utterance across articles, on invented text.
final class ClusterRuleTests: XCTestCase {
    private func quotes(_ texts: [String]) -> QuoteAnalysis {
        let articles = texts.enumerated().map { k, t in
            CorpusLoader.plainTextArticle(id: "a\(k)", path: "a\(k).txt", text: TextBuffer(t))
        }
        return Pipeline.standard.run(Corpus(articles: articles, warnings: [], root: nil)).quotes
    }

    private func cluster(_ q: QuoteAnalysis, _ article: String, _ prefix: String) -> ClusterID? {
        q.quotes.first { $0.article == article && $0.text.hasPrefix(prefix) }?.cluster
    }

    func testLongIdenticalQuotesLinkWhateverTheSpeakers() {
        let q = quotes([
            "One\n\n\"We are going to win this state by a lot of votes, believe me,\" Trump said on Sunday.\n",
            "Two\n\nAt the rally the crowd cheered when the candidate shouted: \"We are going to win this state by a lot of votes, believe me.\"\n",
            "Three\n\nDonald Trump repeated it: \"We are going to win this state by a lot of votes.\"\n",
        ])
        let c = cluster(q, "a0", "We are going")
        XCTAssertNotNil(c)
        XCTAssertEqual(cluster(q, "a1", "We are going"), c)
        // Contained in the longer versions: a truncation is the same utterance.
        XCTAssertEqual(cluster(q, "a2", "We are going"), c)
    }

    func testDifferentSentencesOfOneArticleNeverJoin() {
        let q = quotes([
            "One\n\n\"The plan is dead,\" Smith said. \"The plan is dead and buried for good,\" Smith added later.\n",
            "Two\n\nNobody else commented on the plan.\n",
        ])
        XCTAssertTrue(q.clusters.isEmpty, "\(q.clusters)")
    }

    func testParaphraseNeedsTheSameSpeakerAndNearSynonyms() {
        let q = quotes([
            "One\n\nSenator Grace Whitfield met the mayor. \"This is a big risk for the whole city and for you,\" Whitfield told him.\n",
            "Two\n\nSenator Grace Whitfield warned: \"This is a great risk for the whole city and for you.\"\n",
            "Three\n\nMayor Victor Haldane replied: \"This is a great chance for the whole city and for you.\"\n",
        ])
        let c = cluster(q, "a0", "This is a big risk")
        XCTAssertNotNil(c)
        XCTAssertEqual(cluster(q, "a1", "This is a great risk"), c)
        XCTAssertNotEqual(cluster(q, "a2", "This is a great chance"), c)
        let kinds = q.clusters.flatMap(\.links).map(\.kind)
        XCTAssertTrue(kinds.contains(.paraphrase), "\(kinds)")
    }
}
