import Foundation
import XCTest

@testable import ParallaxCore

/// Recall and precision of (entity, article) pairs by type, and how many alias pairs are merged.
struct EntityScore {
    var goldPairs: [String: Int] = [:]
    var foundPairs: [String: Int] = [:]
    var systemPairs: [String: Int] = [:]
    var correctPairs: [String: Int] = [:]
    var aliasPairs = 0
    var aliasPairsMerged = 0
    var wrongMerges: [String] = []
    var misses: [String] = []
    var extras: [String] = []

    func recall(_ t: String) -> Double { goldPairs[t].map { Double(foundPairs[t] ?? 0) / Double($0) } ?? 1 }
    func precision(_ t: String) -> Double { systemPairs[t].map { $0 == 0 ? 1 : Double(correctPairs[t] ?? 0) / Double($0) } ?? 1 }

    static func evaluate(_ analysis: EntityAnalysis, gold: [GoldEntity]) -> EntityScore {
        var s = EntityScore()
        func norm(_ x: String) -> String { x.replacingOccurrences(of: "\u{A0}", with: " ") }
        // article prefix -> mentions
        var byArticle: [String: [EntityMention]] = [:]
        for (id, ms) in analysis.mentionsByArticle { byArticle[String(id.prefix(3)), default: []] += ms }
        for g in gold {
            for (art, aliases) in g.aliases {
                s.goldPairs[g.type, default: 0] += 1
                let hit = (byArticle[art] ?? []).contains { $0.type.rawValue == g.type && aliases.contains(norm($0.text)) }
                if hit { s.foundPairs[g.type, default: 0] += 1 } else { s.misses.append("\(g.type) \(g.name) in \(art)") }
            }
        }
        for (art, ms) in byArticle {
            var entities: [EntityID?: [EntityMention]] = [:]
            for m in ms { entities[m.entity, default: []].append(m) }
            for (_, ems) in entities {
                let type = ems[0].type.rawValue
                s.systemPairs[type, default: 0] += 1
                let ok = gold.contains { g in
                    g.type == type && ems.contains { m in g.aliases[art]?.contains(norm(m.text)) ?? false }
                }
                if ok { s.correctPairs[type, default: 0] += 1 } else { s.extras.append("\(type) \(ems.map(\.text)) in \(art)") }
            }
        }
        // Alias pairs: every two (article, surface) forms of one gold entity should share an entity.
        func entityIDs(_ art: String, _ text: String, _ type: String) -> Set<EntityID?> {
            Set((byArticle[art] ?? []).filter { norm($0.text) == text && $0.type.rawValue == type }.map(\.entity))
        }
        for g in gold where g.type != "DATE" {
            let forms = g.aliases.flatMap { art, list in list.map { (art, $0) } }.sorted { $0.0 + $0.1 < $1.0 + $1.1 }
            for i in 0..<forms.count {
                for j in (i + 1)..<max(forms.count, i + 1) where forms[i].1 != forms[j].1 || forms[i].0 != forms[j].0 {
                    s.aliasPairs += 1
                    let a = entityIDs(forms[i].0, forms[i].1, g.type), b = entityIDs(forms[j].0, forms[j].1, g.type)
                    if !a.isEmpty && a == b && a.count == 1 { s.aliasPairsMerged += 1 }
                }
            }
        }
        // Wrong merges: one system entity holding forms of two gold entities.
        for e in analysis.entities where e.type != .date {
            var golds: Set<String> = []
            for m in e.mentions {
                let art = String(m.article.prefix(3))
                for g in gold where g.type == m.type.rawValue && (g.aliases[art]?.contains(norm(m.text)) ?? false) { golds.insert(g.name) }
            }
            if golds.count > 1 { s.wrongMerges.append("\(e.name): \(golds.sorted())") }
        }
        return s
    }

    func table() -> String {
        var out = "type       gold  found  recall   system correct precision\n"
        for t in EntityType.allCases.map(\.rawValue) {
            out += String(format: "%-9@ %5d %6d %7.3f %8d %7d %9.3f\n", t as NSString, goldPairs[t] ?? 0, foundPairs[t] ?? 0, recall(t), systemPairs[t] ?? 0, correctPairs[t] ?? 0, precision(t))
        }
        out += "alias pairs merged: \(aliasPairsMerged)/\(aliasPairs); wrong merges: \(wrongMerges.count)\n"
        return out
    }
}

final class EntityRecognizerTests: XCTestCase {
    static let seedAnalysis: (Corpus, EntityAnalysis) = {
        let corpus = try! CorpusLoader.load(paths: [seedCorpusPath])
        return (corpus, EntityRecognizer.analyze(corpus))
    }()

    var corpus: Corpus { Self.seedAnalysis.0 }
    var analysis: EntityAnalysis { Self.seedAnalysis.1 }

    func mentions(_ prefix: String) -> [EntityMention] {
        analysis.mentionsByArticle.first { $0.key.hasPrefix(prefix) }?.value ?? []
    }

    func entity(named name: String) -> Entity? { analysis.entities.first { $0.name == name } }

    func testSeedQualityTable() {
        let score = EntityScore.evaluate(analysis, gold: EntityGold.seeds)
        print(score.table())
        if !score.misses.isEmpty { print("missed:", score.misses.sorted().joined(separator: "; ")) }
        if !score.extras.isEmpty { print("extra:", score.extras.sorted().joined(separator: "; ")) }
        if !score.wrongMerges.isEmpty { print("wrong merges:", score.wrongMerges) }
        // The entities issue's targets: precision and recall ≥ 0.95, every alias pair merged.
        for t in ["PERSON", "GPE", "ORG", "NORP", "DATE", "CARDINAL"] {
            XCTAssertGreaterThanOrEqual(score.recall(t), 0.95, "\(t) recall")
            XCTAssertGreaterThanOrEqual(score.precision(t), 0.95, "\(t) precision")
        }
        XCTAssertEqual(score.aliasPairsMerged, score.aliasPairs)
        XCTAssertTrue(score.wrongMerges.isEmpty, "\(score.wrongMerges)")
    }

    /// The committed JSON copy of the gold list (read by scripts/compare-spacy.py) matches this file.
    func testGoldJSONIsCurrent() throws {
        let url = URL(fileURLWithPath: seedCorpusPath).deletingLastPathComponent().appendingPathComponent("Tests/gold/entities.json")
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try enc.encode(EntityGold.seeds)
        if ProcessInfo.processInfo.environment["PARALLAX_WRITE_GOLD"] != nil {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        let committed = try JSONDecoder().decode([GoldEntity].self, from: Data(contentsOf: url))
        XCTAssertEqual(committed, EntityGold.seeds)
    }

    func testJunkYieldsNoEntities() {
        let a = corpus.articles.first { $0.id.hasPrefix("000") }!
        for m in mentions("000") {
            for h in a.hiddenRanges { XCTAssertFalse(m.range.overlaps(h), "\(m.text) overlaps junk") }
        }
        let names = Set(analysis.entities.flatMap { $0.mentions.map(\.text) })
        for junk in ["TrumpDonald", "Obama", "McConnell", "Warnock", "Ukraine", "Denver", "Tulsa", "Juneteenth", "Pentagon", "Smartmatic", "Giuliani, Bartiromo"] {
            XCTAssertFalse(names.contains { $0.contains(junk) }, junk)
        }
    }

    func testSecretaryOfStateIsATitle() {
        XCTAssertFalse(analysis.entities.contains { $0.type == .org && $0.mentions.contains { $0.text == "State" } })
        XCTAssertFalse(analysis.entities.contains { $0.mentions.contains { $0.text.contains("Secretary") } })
        let raff = entity(named: "Brad Raffensperger")
        XCTAssertEqual(raff?.type, .person)
        XCTAssertTrue(raff?.mentions.first?.evidence.contains("Secretary of State") ?? false)
    }

    func testKeyTraps() {
        XCTAssertEqual(entity(named: "Twitter")?.type, .org)
        XCTAssertEqual(entity(named: "Ryan Germany")?.type, .person)
        XCTAssertTrue(entity(named: "Ryan Germany")?.aliases.contains("Ryan") ?? false)
        XCTAssertFalse(analysis.entities.contains { $0.type == .gpe && $0.mentions.contains { $0.text == "Germany" } })
        let georgia = entity(named: "Georgia")
        XCTAssertEqual(georgia?.type, .gpe)
        XCTAssertEqual(Set(georgia?.mentions.map { String($0.article.prefix(3)) } ?? []).count, 5)
        XCTAssertTrue(georgia?.mentions.first?.evidence.contains("US state") ?? false)
        for (name, type) in [
            ("Fulton County", EntityType.gpe), ("Cobb County", .gpe), ("Atlanta", .gpe), ("Moscow", .gpe), ("Valdosta", .gpe),
            ("Republican", .norp), ("Democrat", .norp), ("American", .norp), ("Georgian", .norp), ("Republican Party", .org),
            ("Electoral College", .org), ("Congress", .org), ("Senate", .org), ("White House", .org),
            ("The Washington Post", .org), ("CNN", .org), ("Fox News", .org), ("UrduPoint News", .org), ("Sputnik", .org),
            ("Dominion Voting Systems", .org), ("Georgia Bureau of Investigation", .org),
        ] {
            XCTAssertEqual(entity(named: name)?.type, type, name)
        }
        // GOP is an ORG everywhere: the Republican Party (language/en/entity-aliases.tsv).
        XCTAssertFalse(analysis.entities.contains { $0.type != .org && $0.mentions.contains { $0.text == "GOP" } })
        XCTAssertTrue(entity(named: "Republican Party")?.aliases.contains("GOP") ?? false)
        XCTAssertEqual(Set(entity(named: "Moscow")?.aliases ?? []), ["MOSCOW"])
        XCTAssertEqual(Set(entity(named: "Republican")?.aliases ?? []), ["Republican", "Republicans"])
        // Republicans are members of the Republican Party (also "GOP"): linked, not merged.
        let party = entity(named: "Republican Party")
        XCTAssertNotNil(party?.id)
        XCTAssertEqual(entity(named: "Republican")?.memberOf, party?.id)
        XCTAssertEqual(entity(named: "Republican")?.type, .norp)
        // No Democratic Party is named in the seeds: Democrats stay unlinked.
        XCTAssertNil(entity(named: "Democrat")?.memberOf)
    }

    func testPossessivesAreNotPartOfNames() {
        for m in analysis.entities.flatMap(\.mentions) {
            XCTAssertFalse(m.text.hasSuffix("’s") || m.text.hasSuffix("'s") || m.text.hasSuffix("’"), m.text)
        }
        // "Georgia’s secretary of state" opens seed 001.
        XCTAssertEqual(mentions("001").first { $0.text.hasPrefix("Georgia") }?.text, "Georgia")
    }

    func testIdentityAcrossSources() {
        let trump = analysis.entities[0]
        XCTAssertEqual(trump.id.label, "e1")
        XCTAssertEqual(trump.name, "Donald Trump")
        XCTAssertEqual(Set(trump.aliases), ["Trump", "Donald Trump"])
        XCTAssertEqual(Set(trump.mentions.map { String($0.article.prefix(3)) }), ["000", "001", "002", "003", "004"])
        let raff = entity(named: "Brad Raffensperger")!
        XCTAssertTrue(raff.aliases.contains("Raffensberger (spelling)"))
        XCTAssertTrue(raff.aliases.contains("Raffensperger"))
        XCTAssertEqual(Set(entity(named: "Joe Biden")!.aliases), ["Joe Biden", "Biden"])
        XCTAssertEqual(Set(entity(named: "Brian Kemp")!.aliases), ["Brian Kemp", "Kemp"])
        XCTAssertTrue(entity(named: "The Washington Post")!.aliases.contains("Post"))
        XCTAssertEqual(Set(entity(named: "Cody Hall")!.aliases), ["Cody Hall", "Hall"])
        // Ids follow first appearance.
        for (i, e) in analysis.entities.enumerated() { XCTAssertEqual(e.id.label, "e\(i + 1)") }
        var lastOrder = (-1, -1)
        let order = Dictionary(uniqueKeysWithValues: corpus.articles.enumerated().map { ($1.id, $0) })
        for e in analysis.entities {
            let first = e.mentions.map { (order[$0.article]!, $0.range.lowerBound) }.min { $0 < $1 }!
            XCTAssertTrue(first > lastOrder, e.name)
            lastOrder = first
        }
        // Every mention points at its entity.
        for (i, e) in analysis.entities.enumerated() { for m in e.mentions { XCTAssertEqual(m.entity, EntityID(i)) } }
    }

    func testDatesResolveAgainstTheArticleDate() {
        func date(_ art: String, _ text: String) -> EntityMention? { mentions(art).first { $0.type == .date && $0.text == text } }
        XCTAssertEqual(date("003", "Saturday")?.resolvedDate, "2021-01-02")
        XCTAssertEqual(date("003", "Sunday")?.resolvedDate, "2021-01-03")
        XCTAssertEqual(date("003", "04th January, 2021")?.resolvedDate, "2021-01-04")
        XCTAssertEqual(date("003", "November 3")?.resolvedDate, "2020-11-03")
        XCTAssertEqual(date("003", "January 20")?.resolvedDate, "2021-01-20")
        XCTAssertEqual(date("004", "Saturday")?.resolvedDate, "2020-12-05")
        XCTAssertEqual(date("004", "Saturday night")?.resolvedDate, "2020-12-05")
        XCTAssertEqual(date("004", "November 20")?.resolvedDate, "2020-11-20")
        XCTAssertNotNil(date("000", "Saturday"))
        XCTAssertNil(date("000", "Saturday")?.resolvedDate)
        XCTAssertNil(date("001", "Tuesday")?.resolvedDate)
    }

    func testCardinals() {
        let texts = Set(mentions("000").filter { $0.type == .cardinal }.map(\.text))
        XCTAssertEqual(texts, ["11.7k", "11,000", "11,780"])
        XCTAssertTrue(mentions("001").contains { $0.type == .cardinal && $0.text == "11,779" })
        XCTAssertFalse(mentions("001").contains { $0.text.contains("99.9") })
    }

    func testEvidenceIsExplained() {
        for m in analysis.entities.flatMap(\.mentions) { XCTAssertFalse(m.evidence.isEmpty) }
        XCTAssertTrue(mentions("004").contains { $0.text == "Hall" && $0.evidence.contains("consistency") })
    }

    func testPerArticleMentionsAreUnlinked() {
        let a = corpus.articles[0]
        let ms = EntityRecognizer.mentions(in: a)
        XCTAssertFalse(ms.isEmpty)
        XCTAssertTrue(ms.allSatisfy { $0.entity == nil })
        for m in ms { XCTAssertEqual(a.text.string(m.range), m.text) }
    }

    // MARK: New text

    func analyze(_ texts: [String: String], dates: [String: String] = [:]) -> EntityAnalysis {
        let articles = texts.keys.sorted().map { id -> Article in
            let buf = TextBuffer(texts[id]!)
            let a = CorpusLoader.plainTextArticle(id: id, path: id, text: buf)
            return Article(
                id: a.id, path: a.path, format: a.format, metadata: ArticleMetadata(date: dates[id]), text: a.text,
                bodyStart: 0, hiddenRanges: a.hiddenRanges, warnings: [], wordCount: a.wordCount)
        }
        return EntityRecognizer.analyze(Corpus(articles: articles, warnings: [], root: nil))
    }

    func testNewParagraphs() {
        let a = analyze([
            "a": "Gov. Gretchen Whitmer of Michigan signed the budget on Friday, according to the Detroit Free Press. Whitmer said the Michigan Department of Health would hire 300 nurses. Sen. Gary Peters, a Democrat, praised the plan.\n",
            "b": "TULSA (Reuters) - Mayor Sarah Lindqvist told reporters on Tuesday that the city council had approved 1,250 new homes. Lindquist, a Republican, said Canadian investors and the Tulsa Housing Authority would pay for them.\n",
            "c": "Italian Prime Minister Mario Draghi met French President Emmanuel Macron in Rome on March 3, 2021. Draghi and Macron discussed the European Union budget with officials from Germany and Spain. Still, the talks ended early.\n",
        ], dates: ["b": "2021-06-10"])
        func type(_ name: String) -> EntityType? { a.entities.first { $0.name == name }?.type }
        let expected: [(String, EntityType)] = [
            ("Gretchen Whitmer", .person), ("Michigan", .gpe), ("Detroit Free Press", .org), ("Michigan Department of Health", .org),
            ("Gary Peters", .person), ("Democrat", .norp), ("Tulsa", .gpe), ("Reuters", .org), ("Sarah Lindqvist", .person),
            ("Republican", .norp), ("Canadian", .norp), ("Tulsa Housing Authority", .org), ("Italian", .norp),
            ("Mario Draghi", .person), ("French", .norp), ("Emmanuel Macron", .person), ("Rome", .gpe),
            ("European Union", .org), ("Germany", .gpe), ("Spain", .gpe), ("Friday", .date), ("300", .cardinal), ("1,250", .cardinal),
        ]
        for (name, t) in expected { XCTAssertEqual(type(name), t, name) }
        XCTAssertEqual(Set(a.entities.first { $0.name == "Gretchen Whitmer" }?.aliases ?? []), ["Gretchen Whitmer", "Whitmer"])
        XCTAssertEqual(Set(a.entities.first { $0.name == "Mario Draghi" }?.aliases ?? []), ["Mario Draghi", "Draghi"])
        XCTAssertEqual(Set(a.entities.first { $0.name == "Sarah Lindqvist" }?.aliases ?? []), ["Sarah Lindqvist", "Lindquist (spelling)"])
        XCTAssertEqual(a.mentionsByArticle["b"]?.first { $0.text == "Tuesday" }?.resolvedDate, "2021-06-08")
        XCTAssertEqual(a.mentionsByArticle["c"]?.first { $0.type == .date }?.resolvedDate, "2021-03-03")
        XCTAssertFalse(a.entities.contains { $0.name == "Still" || $0.name == "Prime Minister" || $0.name == "Mayor" })
    }

    /// The trained tagger with the rules: names the rules split or mistyped come out whole, a
    /// first name that is also a city stays in the name, brothers stay apart, party tags are
    /// not names; without the tagger the rules' old mistakes are back (so the test sees it).
    func testTaggerAndRulesTogether() {
        let text = "Former Florida governor Jeb Bush said on Monday that his brother, former President George W. Bush, would join him. "
            + "Rep. Maxine Waters, D-Calif., criticized Jeb Bush. ISIS and Hamas were mentioned, and Mayor Bill de Blasio spoke.\n"
        let a = analyze(["a": text])
        func type(_ name: String) -> EntityType? { a.entities.first { $0.name == name }?.type }
        XCTAssertEqual(type("George W. Bush"), .person)
        XCTAssertEqual(type("Jeb Bush"), .person)
        XCTAssertNotEqual(a.entities.first { $0.name == "Jeb Bush" }?.id, a.entities.first { $0.name == "George W. Bush" }?.id)
        XCTAssertFalse(a.entities.contains { $0.name == "George" || $0.name.hasPrefix("D-Calif") }, "\(a.entities.map(\.name))")
        XCTAssertEqual(type("Islamic State"), .org, "ISIS, under the name of entity-aliases.tsv")
        XCTAssertEqual(type("Hamas"), .org)
        XCTAssertEqual(type("Bill de Blasio"), .person)
        XCTAssertTrue(a.mentionsByArticle["a"]!.filter { $0.text == "George W. Bush" }.allSatisfy { $0.evidence.hasPrefix("tagger: ") })

        var rulesOnly = Pipeline()
        rulesOnly.recognize = RecognizeEntities(tagger: nil)
        let article = CorpusLoader.plainTextArticle(id: "a", path: "a", text: TextBuffer(text))
        let old = rulesOnly.entities(rulesOnly.tokenize(Corpus(articles: [article], warnings: [], root: nil)))
        XCTAssertEqual(old.entities.first { $0.name == "George" }?.type, .gpe, "the rules alone read the first name as a city")
    }

    func testMoreNewText() {
        let a = analyze([
            "a": "Amazon founder Jeff Bezos told The New York Times last week that the Federal Reserve should act. Fed Chair Jerome Powell declined to comment. Bezos, who lives in Seattle, sold 2.5 million shares on Sept. 11, 2001, according to the Securities and Exchange Commission.\n",
            "b": "KYIV, Ukraine (AP) — Ukrainian President Volodymyr Zelensky met German Chancellor Olaf Scholz in Kyiv on Thursday. Zelensky thanked NATO and the European Union. \"We will win,\" Zelensky said. Scholz later flew to Warsaw.\n",
            "c": "Los Angeles Mayor Karen Bass and Rep. Maxine Waters, D-Calif., visited New York City in March. The Los Angeles Police Department said 14 officers were injured. Apple Inc. and Microsoft Corp. shares rose 3 percent. Nobody expected Bass to win.\n",
        ], dates: ["b": "2023-05-10"])
        let expected: [(String, EntityType)] = [
            ("Amazon", .org), ("Jeff Bezos", .person), ("The New York Times", .org), ("last week", .date), ("Federal Reserve", .org),
            ("Jerome Powell", .person), ("Seattle", .gpe), ("2.5 million", .cardinal), ("Sept. 11, 2001", .date),
            ("Securities and Exchange Commission", .org), ("Kyiv", .gpe), ("Ukraine", .gpe), ("The Associated Press", .org),
            ("Ukrainian", .norp), ("Volodymyr Zelensky", .person), ("German", .norp), ("Olaf Scholz", .person), ("Thursday", .date),
            ("NATO", .org), ("European Union", .org), ("Warsaw", .gpe), ("Los Angeles", .gpe), ("Karen Bass", .person),
            ("Maxine Waters", .person), ("New York City", .gpe), ("March", .date), ("Los Angeles Police Department", .org),
            // CoNLL's convention: the company's legal form is part of its name.
            ("14", .cardinal), ("Apple Inc.", .org), ("Microsoft Corp.", .org),
        ]
        XCTAssertEqual(Set(a.entities.map(\.name)), Set(expected.map(\.0)))
        for (name, t) in expected { XCTAssertEqual(a.entities.first { $0.name == name }?.type, t, name) }
        XCTAssertEqual(Set(a.entities.first { $0.name == "Kyiv" }!.aliases), ["KYIV", "Kyiv"])
        XCTAssertEqual(a.mentionsByArticle["b"]?.first { $0.text == "Thursday" }?.resolvedDate, "2023-05-04")
        XCTAssertEqual(a.mentionsByArticle["a"]?.first { $0.text == "Sept. 11, 2001" }?.resolvedDate, "2001-09-11")
    }

    func testTitleCaseHeadline() {
        let text = "Trump Asks Georgia Official To Find Votes In Fulton County\n\nPresident Trump called the official on Saturday.\n"
        let a = CorpusLoader.plainTextArticle(id: "h", path: "h", text: TextBuffer(text))
        XCTAssertNotNil(a.metadata.title)
        let ms = EntityRecognizer.mentions(in: a)
        XCTAssertEqual(ms.map(\.text), ["Trump", "Georgia", "Fulton County", "Trump", "Saturday"])
        XCTAssertEqual(ms.map(\.type), [.person, .gpe, .gpe, .person, .date])
    }

    func testGeorgiaTheCountryOnlyWhenTheTextSaysSo() {
        let a = analyze([
            "a": "Protesters gathered in Tbilisi on Monday. Georgia has applied to join the European Union.\n",
            "b": "Voters in Georgia lined up in Atlanta. Georgia certified its results.\n",
            "c": "He lived in the Republic of Georgia for years.\n",
        ])
        let georgias = a.entities.filter { $0.name.hasPrefix("Georgia") }
        XCTAssertEqual(Set(georgias.map(\.name)), ["Georgia", "Georgia (country)"])
        XCTAssertEqual(Set(georgias.first { $0.name == "Georgia (country)" }!.mentions.map(\.article)), ["a", "c"])
        XCTAssertTrue(georgias.allSatisfy { $0.type == .gpe })
        XCTAssertTrue(entity(named: "Georgia")!.mentions.allSatisfy { $0.evidence.contains("US state") })
    }

    // MARK: Robustness (no crash, sane output)

    func runOn(_ text: String) -> [EntityMention] {
        let a = CorpusLoader.plainTextArticle(id: "x", path: "x", text: TextBuffer(text))
        let ms = EntityRecognizer.mentions(in: a)
        for m in ms { XCTAssertTrue(m.range.upperBound <= a.text.scalarCount && !m.range.isEmpty) }
        return ms
    }

    func testNoCapitals() {
        XCTAssertTrue(runOn(String(repeating: "the people in the country are angry and want to find votes. ", count: 3000)).isEmpty)
    }

    func testAllCapsText() {
        let ms = runOn(String(repeating: "PRESIDENT TRUMP CALLED GEORGIA OFFICIALS ON SATURDAY ABOUT THE VOTE. ", count: 2000))
        XCTAssertTrue(ms.contains { $0.text == "GEORGIA" && $0.type == .gpe })
    }

    func testLongCapitalisedRun() {
        var s = ""
        let words = ["Aaa", "Bbb", "Ccc", "Ddd", "Eee"]
        while s.utf8.count < 200_000 { s += words[s.utf8.count % 5] + " " }
        _ = runOn(s)
    }

    func testSingleHugeToken() {
        _ = runOn(String(repeating: "a", count: 200_000))
        _ = runOn("A" + String(repeating: "b", count: 200_000))
        _ = runOn(String(repeating: "9", count: 200_000))
    }

    func testControlCharacters() {
        var bytes: [UInt8] = []
        for i in 0..<100_000 { bytes.append(UInt8(i % 32)); if i % 7 == 0 { bytes += Array("Trump ".utf8) } }
        _ = runOn(String(decoding: bytes, as: UTF8.self))
        _ = runOn("\u{FEFF}\u{0}\u{1B}[31mGov. \u{7}Brian\u{0}Kemp\r\n’s “” ' \" - — 1,,,2...3 ,")
    }
}

final class TokenizerTests: XCTestCase {
    func words(_ s: String) -> [String] {
        let b = TextBuffer(s)
        return Tokenizer.tokens(in: b, range: 0..<b.scalarCount).map { b.string($0.range) }
    }

    func testTokens() {
        XCTAssertEqual(words("Georgia’s President-elect Joe Biden's 11,780 votes (11.7k)."),
            ["Georgia", "’s", "President-elect", "Joe", "Biden", "'s", "11,780", "votes", "(", "11.7k", ")", "."])
        XCTAssertEqual(words("don’t U.S. Mr. Smith"), ["don’t", "U.S.", "Mr.", "Smith"])
        XCTAssertEqual(words("NBC News' Audio"), ["NBC", "News", "'", "Audio"])
    }

    func testSentences() {
        let s = "Mr. Smith met Gov. Kemp on Jan. 6 in the U.S. capital. He left. “Yes,” she said! Then\nNew line"
        let doc = Doc(CorpusLoader.plainTextArticle(id: "s", path: "s", text: TextBuffer("Title\n\n" + s)))
        let sents = doc.sentences.dropFirst().map { doc.string($0) }
        XCTAssertEqual(sents, ["Mr. Smith met Gov. Kemp on Jan. 6 in the U.S. capital.", "He left.", "“Yes,” she said!", "Then", "New line"])
    }

    func testFlagsAndOffsets() {
        let s = "Ünïcode “Quote” Ñame ALLCAPS"
        let b = TextBuffer(s)
        let t = Tokenizer.tokens(in: b, range: 0..<b.scalarCount)
        XCTAssertEqual(t.map { b.string($0.range) }, ["Ünïcode", "“", "Quote", "”", "Ñame", "ALLCAPS"])
        XCTAssertTrue(t[0].has(.sentenceStart) && t[0].has(.capitalised))
        XCTAssertTrue(t[2].has(.quoteStart))
        XCTAssertTrue(t[5].has(.allCaps))
        XCTAssertEqual(t[4].range, 16..<20)
    }

    func testHiddenRangesAreSkipped() {
        let s = "President TrumpDonald TrumpJunk MORE directly asked"
        let b = TextBuffer(s)
        let toks = Tokenizer.tokens(in: b, range: 0..<b.scalarCount, excluding: [15..<36])
        XCTAssertEqual(toks.map { b.string($0.range) }, ["President", "Trump", "directly", "asked"])
        XCTAssertTrue(toks[2].has(.afterGap))
    }
}

/// Entities that must not poison speakers, and names that must join, on invented text.
final class EntityIdentityTests: XCTestCase {
    private func analyze(_ texts: [String]) -> EntityAnalysis {
        let articles = texts.enumerated().map { k, t in
            CorpusLoader.plainTextArticle(id: "a\(k)", path: "a\(k).txt", text: TextBuffer(t))
        }
        return EntityRecognizer.analyze(Corpus(articles: articles, warnings: [], root: nil))
    }

    private func people(_ a: EntityAnalysis) -> [String] { a.entities.filter { $0.type == .person }.map(\.name) }

    /// A first name that is also a place, after a title ("President Vladimir Putin": Vladimir is
    /// a Russian city) stays in the person's name; an organisation word before "of" makes an
    /// organisation of a gazetteer place ("University of Texas" is also a town), with the tagger
    /// and with the rules alone.
    func testPlaceWordsInsidePersonAndInstitutionNames() {
        let text = "Putin and Texas.\n\nRussian President Vladimir Putin said on Friday he would call. Officials at the University of Texas declined to comment, and Putin left.\n"
        let a = analyze([text])
        XCTAssertEqual(a.entities.first { $0.name == "Vladimir Putin" }?.type, .person)
        XCTAssertFalse(a.entities.contains { $0.name == "Vladimir" }, "\(a.entities.map(\.name))")
        XCTAssertEqual(a.entities.first { $0.name == "University of Texas" }?.type, .org)
        var rules = Pipeline()
        rules.recognize = RecognizeEntities(tagger: nil)
        let article = CorpusLoader.plainTextArticle(id: "r", path: "r.txt", text: TextBuffer(text))
        let alone = rules.entities(rules.tokenize(Corpus(articles: [article], warnings: [], root: nil)))
        XCTAssertEqual(alone.entities.first { $0.name == "University of Texas" }?.type, .org)
    }

    /// Groups named by their members link to the party the corpus names, and follow corrections.
    func testPartyMembersLinkToTheirParty() throws {
        let a = analyze([
            "Democrats Rally.\n\nThe Democratic Party said on Monday that Democrats in Ohio would vote. Republicans disagreed.\n",
            "The vote.\n\nThe GOP leader said Republicans in Congress would wait, and Democrats said no.\n",
        ])
        func named(_ n: String, in a: EntityAnalysis) -> Entity? { a.entities.first { $0.name == n } }
        let democrats = try XCTUnwrap(a.entities.first { $0.type == .norp && $0.aliases.contains("Democrats") })
        let republicans = try XCTUnwrap(a.entities.first { $0.type == .norp && $0.aliases.contains("Republicans") })
        XCTAssertEqual(democrats.memberOf.map { a.entities[$0.rawValue].name.hasSuffix("Democratic Party") }, true)
        XCTAssertNotNil(democrats.memberOf)
        XCTAssertEqual(republicans.memberOf, named("Republican Party", in: a)?.id)
        XCTAssertNotNil(republicans.memberOf)
        // Corrections renumber entities: the link follows; with the party retyped it is gone.
        let key = EntityKey(name: try XCTUnwrap(a.entities.first { $0.type == .org && $0.name.hasSuffix("Democratic Party") }).name, type: .org)
        let retyped = EntityCorrections.apply([.retype(key, to: .person)], to: a).analysis
        XCTAssertNil(retyped.entities.first { $0.type == .norp && $0.aliases.contains("Democrats") }?.memberOf)
        XCTAssertEqual(retyped.entities.first { $0.type == .norp && $0.aliases.contains("Republicans") }?.memberOf,
                       named("Republican Party", in: retyped)?.id)
    }

    func testClosedClassWordsAndTitleCaseHeadlinesAreNotNames() {
        let a = analyze([
            "Senator Rips Budget As A Disgrace Before The Vote.\n\nIn Ohio, Senator Maria Okafor said the budget was wrong. When asked, she left.\n",
            "Presumptive Nominee Speaks.\n\nPresumptive nominees rarely speak. This week An Lindqvist, a farmer, spoke instead. After the vote, Lindqvist left.\n",
        ])
        let names = people(a)
        for bad in ["In", "When", "This", "After", "An", "Presumptive", "Budget As A Disgrace", "Rips Budget"] {
            XCTAssertFalse(names.contains(bad), "\(bad) in \(names)")
        }
        XCTAssertTrue(names.contains("Maria Okafor"), "\(names)")
        // The headline is the article's title, not body text.
        XCTAssertEqual(a.mentionsByArticle["a0"]?.first { $0.text == "Ohio" }?.type, .gpe)
    }

    func testBareSurnameJoinsTheDominantFullName() {
        let a = analyze([
            "Rally\n\nDonald Trump spoke. Donald Trump waved. Trump left with Melania Trump.\n",
            "Debate\n\nDonald Trump arrived late.\n",
            "Tweets\n\nTrump tweeted again on Sunday.\n",
        ])
        let trump = a.entities.first { $0.name == "Donald Trump" }
        XCTAssertNotNil(trump)
        // The article that says only "Trump" means the Trump the corpus names most.
        XCTAssertEqual(a.mentionsByArticle["a2"]?.first { $0.text == "Trump" }?.entity, trump?.id)
        XCTAssertNotEqual(a.entities.first { $0.name == "Melania Trump" }?.id, trump?.id)
    }

    func testAccentsFoldAndRelativesStayApart() {
        let a = analyze([
            "Mexico\n\nFormer minister Ana Núñez spoke in Monterrey. Bill Clinton and Hillary Clinton listened.\n",
            "Visit\n\nNunez thanked the crowd. Mrs. Clinton smiled, and Mr. Clinton waved.\n",
        ])
        // A name too short for a spelling match joins through its folded accents.
        let nunez = a.mentionsByArticle["a1"]?.first { $0.text == "Nunez" }?.entity
        XCTAssertNotNil(nunez)
        XCTAssertEqual(nunez, a.mentionsByArticle["a0"]?.first { $0.text == "Ana Núñez" }?.entity)
        let hillary = a.entities.first { $0.name == "Hillary Clinton" }?.id
        let bill = a.entities.first { $0.name == "Bill Clinton" }?.id
        XCTAssertNotEqual(hillary, bill)
        let bare = (a.mentionsByArticle["a1"] ?? []).filter { $0.text == "Clinton" }
        XCTAssertEqual(bare.map(\.entity), [hillary, bill], "Mrs. Clinton is Hillary, Mr. Clinton is Bill")
    }
}
