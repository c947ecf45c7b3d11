import Foundation
import ParallaxCore
import ParallaxTestSupport
import XCTest
@testable import ParallaxUI

/// Correcting entities in the reader: the entity panel's keys, `x` on a mention, undo and redo,
/// and corrections read back by a reader started again on the same file.
final class EntityCorrectionTests: XCTestCase {
    static let filler = (1...40).map { "Filler line \($0)." }.joined(separator: "\n")
    static let a = "Brad Raffensperger spoke in Georgia.\n" + filler + "\nLater Raffensperger left.\n"
    static let b = filler + "\nIn Georgia, Raffensperger answered. Kemp agreed.\n"
    static let corpus = TestCorpus.make([(id: "a", title: "A", body: a), (id: "b", title: "B", body: b)])

    /// The linker's entities, as the analysis thread would deliver them: e0 Brad Raffensperger
    /// (3 mentions in 2 articles), e1 Georgia (2 in 2), e2 Kemp (1 in 1) — the panel's order.
    static func linked() -> EntityAnalysis {
        func ranges(_ text: String, _ word: String) -> [Range<Int>] {
            let scalars = Array(text.unicodeScalars), w = Array(word.unicodeScalars)
            var out: [Range<Int>] = []
            var i = 0
            while i + w.count <= scalars.count {
                if Array(scalars[i..<(i + w.count)]) == w { out.append(i..<(i + w.count)); i += w.count } else { i += 1 }
            }
            return out
        }
        func m(_ article: String, _ text: String, _ r: Range<Int>, _ type: EntityType, _ e: Int) -> EntityMention {
            EntityMention(article: article, range: r, tokens: 0..<0, text: String(String.UnicodeScalarView(Array(text.unicodeScalars)[r])),
                          type: type, entity: EntityID(e), evidence: "test")
        }
        var ma = [m("a", a, 0..<18, .person, 0)] + ranges(a, "Raffensperger").dropFirst().map { m("a", a, $0, .person, 0) }
        ma += ranges(a, "Georgia").map { m("a", a, $0, .gpe, 1) }
        var mb = ranges(b, "Raffensperger").map { m("b", b, $0, .person, 0) } + ranges(b, "Georgia").map { m("b", b, $0, .gpe, 1) }
        mb += ranges(b, "Kemp").map { m("b", b, $0, .person, 2) }
        ma.sort { $0.range.lowerBound < $1.range.lowerBound }
        mb.sort { $0.range.lowerBound < $1.range.lowerBound }
        let all = ma + mb
        func mentions(_ e: Int) -> [EntityMention] { all.filter { $0.entity == EntityID(e) } }
        return EntityAnalysis(
            entities: [
                Entity(id: EntityID(0), name: "Brad Raffensperger", type: .person, aliases: ["Brad Raffensperger", "Raffensperger"], mentions: mentions(0)),
                Entity(id: EntityID(1), name: "Georgia", type: .gpe, aliases: ["Georgia"], mentions: mentions(1)),
                Entity(id: EntityID(2), name: "Kemp", type: .person, aliases: ["Kemp"], mentions: mentions(2)),
            ],
            mentionsByArticle: ["a": ma, "b": mb])
    }

    var path = ""

    override func setUpWithError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-ui-corrections-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        path = folder.appendingPathComponent(".parallax/entities.json").path
    }

    /// A reader on the corpus whose corrections live at `path`, given the linker's entities.
    func reader() -> ScreenDriver {
        var d = ScreenDriver(corpus: Self.corpus, width: 120, height: 30)
        d.state.entityCorrections = EntityCorrectionsFile(path: path)
        d.state.receive(Self.linked())
        return d
    }

    func names(_ d: ScreenDriver) -> [String] { d.state.entities?.entities.map(\.name) ?? [] }

    /// The panel's row naming `name` (the name column follows the type badge).
    func row(_ d: ScreenDriver, _ name: String) -> String? {
        d.lines.first { $0.contains("] \(name) ") || $0.contains("] \(name)│") }
    }

    func testMergeMarkedIntoSelectedAndUndoRedo() throws {
        var d = reader()
        d.send("E")
        XCTAssertTrue(d.lines[1].contains("m merge"), d.lines[1])
        d.send("G")  // Kemp
        d.send("m")
        XCTAssertTrue(d.state.message?.text.contains("marked Kemp") ?? false)
        XCTAssertTrue(try XCTUnwrap(row(d, "Kemp")).contains("»"), "the marked row shows it")
        d.send("gm")  // into Brad Raffensperger
        XCTAssertEqual(names(d), ["Brad Raffensperger", "Georgia"])
        let text = try XCTUnwrap(d.state.message?.text)
        XCTAssertTrue(text.contains("merged Kemp into Brad Raffensperger") && text.contains("u undoes"), text)
        XCTAssertNil(row(d, "Kemp"))
        XCTAssertTrue(try XCTUnwrap(row(d, "Brad Raffensperger")).contains("Kemp"), "Kemp is an alias now")
        XCTAssertEqual(d.state.entities?.entities[0].mentions.count, 4)
        // The text follows: ]E from Brad goes on to Kemp in article b.
        XCTAssertTrue(d.state.mentionsByArticle[1].first { $0.text == "Kemp" }?.evidence.contains("merged into Brad Raffensperger") ?? false)

        d.send("u")
        XCTAssertEqual(names(d), ["Brad Raffensperger", "Georgia", "Kemp"])
        XCTAssertTrue(d.state.message?.text.contains("undid: merged Kemp") ?? false, d.state.message?.text ?? "")
        d.send("<C-r>")
        XCTAssertEqual(names(d), ["Brad Raffensperger", "Georgia"])
        XCTAssertTrue(d.state.message?.text.contains("redid") ?? false)
        if case .entityPanel = d.state.mode {} else { XCTFail("the panel stays open") }
    }

    func testSplitAliasOff() throws {
        var d = reader()
        d.send("ES")
        let footer = d.lines[27]
        XCTAssertTrue(footer.contains("split off Brad Raffensperger:") && footer.contains("Raffensperger"), footer)
        d.send("<CR>")
        XCTAssertEqual(names(d), ["Brad Raffensperger", "Georgia", "Kemp", "Raffensperger"])
        let split = try XCTUnwrap(d.state.entities?.entities[3])
        XCTAssertEqual(split.mentions.count, 2)
        XCTAssertEqual(d.state.entities?.entities[0].mentions.map(\.text), ["Brad Raffensperger"])
        XCTAssertTrue(d.state.message?.text.contains("split Raffensperger off Brad Raffensperger") ?? false)
        // The selection follows the new entity.
        guard case .entityPanel(let panel) = d.state.mode else { return XCTFail("panel closed") }
        XCTAssertEqual(d.state.entityRowIDs(panel)[panel.selected].rawValue, 3)
        XCTAssertNotNil(row(d, "Raffensperger"))
        d.send("u")
        XCTAssertEqual(names(d), ["Brad Raffensperger", "Georgia", "Kemp"])
    }

    func testSplitNeedsTwoAliasesAndEscCancels() {
        var d = reader()
        d.send("EjS")  // Georgia: one alias
        XCTAssertTrue(d.state.message?.isWarning ?? false)
        d.send("gS<Esc>")
        XCTAssertEqual(names(d).count, 3)
        if case .entityPanel(let p) = d.state.mode { XCTAssertNil(p.choosing) } else { XCTFail("Esc cancels the choice, not the panel") }
    }

    func testRetypeWithTypeChooser() throws {
        var d = reader()
        d.send("Ejt")
        XCTAssertTrue(d.lines[27].contains("type of Georgia:"), d.lines[27])
        d.send("l<CR>")  // GPE → LOC
        let georgia = try XCTUnwrap(d.state.entities?.entities.first { $0.name == "Georgia" })
        XCTAssertEqual(georgia.type, .loc)
        XCTAssertTrue(try XCTUnwrap(row(d, "Georgia")).contains("[\(Theme.badge(.loc))]"))
        d.send("q")
        // The text's highlight follows the new type.
        let loc = d.styledRows { $0 == d.state.theme.entity(.loc) }
        XCTAssertTrue(loc.contains { $0.contains("in [Georgia]") }, loc.joined(separator: "\n"))
    }

    func testNotAnEntityInTheTextAndUndoFromPrompt() throws {
        var d = reader()
        d.send("]e")  // Brad Raffensperger, article a
        d.send("x")
        let text = try XCTUnwrap(d.state.message?.text)
        XCTAssertTrue(text.contains("Brad Raffensperger in a is not an entity") && text.contains("undoes"), text)
        XCTAssertEqual(d.state.entities?.entities[0].mentions.count, 2)
        XCTAssertFalse(d.state.mentionsByArticle[0].contains { $0.range == 0..<18 })
        let person = d.styledRows { $0 == d.state.theme.entity(.person) }
        XCTAssertFalse(person.contains { $0.contains("[Brad Raffensperger]") }, "no longer highlighted")
        d.send(":entity-undo<CR>")
        XCTAssertTrue(d.state.mentionsByArticle[0].contains { $0.range == 0..<18 })
        d.send(":entity-redo<CR>")
        XCTAssertFalse(d.state.mentionsByArticle[0].contains { $0.range == 0..<18 })
    }

    func testCorrectionsSurviveARestart() throws {
        var d = reader()
        d.send("EGmgm")  // merge Kemp into Brad Raffensperger
        d.send("jt<Right><CR>")  // Georgia → LOC
        d.send("q]ex")  // Brad Raffensperger in a is not an entity
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("\"merge\"") && text.contains("\"retype\"") && text.contains("\"not-entity\""), text)

        var again = reader()
        XCTAssertEqual(names(again), ["Brad Raffensperger", "Georgia"])
        XCTAssertEqual(again.state.entities?.entities[1].type, .loc)
        XCTAssertEqual(again.state.entities?.entities[0].mentions.count, 3)
        // Undo works across the restart: the last correction (the dropped mention) comes back.
        again.send("Eu")
        XCTAssertEqual(again.state.entities?.entities[0].mentions.count, 4)
        XCTAssertEqual(EntityCorrectionsFile(path: path).log.effective.count, 2)
    }

    func testCorruptFileLeavesEntitiesUncorrectedAndUntouched() throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        var d = reader()
        XCTAssertNotNil(d.state.entityCorrections.problem)
        XCTAssertEqual(names(d).count, 3)
        d.send("EGmgm")
        XCTAssertEqual(names(d).count, 2, "the correction holds for this run")
        XCTAssertTrue(d.state.message?.isWarning ?? false)
        XCTAssertTrue(d.state.message?.text.contains("not saved") ?? false, d.state.message?.text ?? "")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "not json")
    }

    /// Selects the entity `id` in the open panel by filtering on its name.
    func select(_ d: inout ScreenDriver, _ id: EntityID) throws {
        let name = try XCTUnwrap(d.state.entities?[id].name)
        d.send("/<C-u>\(name)<CR>")
        guard case .entityPanel(let panel) = d.state.mode else { return XCTFail("panel closed") }
        let row = try XCTUnwrap(d.state.entityRowIDs(panel).firstIndex(of: id))
        if row > 0 { d.send(String(repeating: "j", count: row)) }
    }

    /// Speakers follow a merge made in the reader: the quote map names the entity merged into,
    /// without the analysis running again.
    func testSpeakersFollowAMerge() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var d = ScreenDriver(corpus: try CorpusLoader.load(paths: [root.appendingPathComponent("corpus").path]), analyze: true)
        d.state.entityCorrections = EntityCorrectionsFile(path: path)
        let entities = try XCTUnwrap(d.state.entities)
        let quotes = try XCTUnwrap(d.state.quotes)
        let speaker = try XCTUnwrap(quotes.quotes.compactMap { $0.speaker?.entity }.first { entities[$0].type == .person })
        let from = entities[speaker]
        let into = try XCTUnwrap(entities.entities.first { $0.type == .person && $0.name != from.name && $0.name.contains(" ") })
        let spoken = quotes.quotes.filter { $0.speaker?.entity == speaker && $0.speaker?.name == from.name }.count
        XCTAssertGreaterThan(spoken, 0)

        d.send("E")
        try select(&d, speaker)
        d.send("m")
        try select(&d, into.id)
        d.send("m")
        XCTAssertTrue(d.state.message?.text.contains("merged \(from.name) into \(into.name)") ?? false, d.state.message?.text ?? "")
        let now = try XCTUnwrap(d.state.entities)
        let merged = try XCTUnwrap(now.entities.firstIndex { $0.name == into.name && $0.type == .person })
        let after = try XCTUnwrap(d.state.quotes)
        XCTAssertFalse(after.quotes.contains { $0.speaker?.name == from.name && $0.speaker?.entity != nil }, "no speaker keeps the merged-away name")
        for q in after.quotes { if let e = q.speaker?.entity { XCTAssertLessThan(e.rawValue, now.entities.count) } }
        let before = quotes.quotes.filter { $0.speaker?.entity == into.id }.count
        XCTAssertEqual(after.quotes.filter { $0.speaker?.entity == EntityID(merged) }.count, before + quotes.quotes.filter { $0.speaker?.entity == speaker }.count)
        d.send("q")
        d.send("Q")
        XCTAssertFalse(d.lines.contains { $0.contains("│ " + from.name + "  ") }, "the quote map names the merged entity")
    }

    /// The same when the merge is made before the quotes arrive from the analysis thread.
    func testSpeakersFollowAMergeMadeBeforeQuotesArrive() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let corpus = try CorpusLoader.load(paths: [root.appendingPathComponent("corpus").path])
        let analysis = Pipeline.standard.run(corpus)
        var d = ScreenDriver(corpus: corpus)
        d.state.entityCorrections = EntityCorrectionsFile(path: path)
        d.state.receive(analysis.entities)
        let speaker = try XCTUnwrap(analysis.quotes.quotes.compactMap { $0.speaker?.entity }.first { analysis.entities[$0].type == .person })
        let from = analysis.entities[speaker]
        let into = try XCTUnwrap(analysis.entities.entities.first { $0.type == .person && $0.name != from.name && $0.name.contains(" ") })
        d.send("E")
        try select(&d, speaker)
        d.send("m")
        try select(&d, into.id)
        d.send("m")
        d.state.receive(analysis.quotes)
        let now = try XCTUnwrap(d.state.entities)
        let after = try XCTUnwrap(d.state.quotes)
        XCTAssertFalse(after.quotes.contains { $0.speaker?.name == from.name && $0.speaker?.entity != nil })
        for q in after.quotes {
            guard let e = q.speaker?.entity else { continue }
            XCTAssertLessThan(e.rawValue, now.entities.count)
        }
    }
}
