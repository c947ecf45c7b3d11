import Foundation
import XCTest

@testable import ParallaxCore

/// User corrections of entities: each kind applied to a hand-made analysis, undo and redo, the
/// file's round trip and its failures, and the pipeline with corrections.
final class EntityCorrectionsTests: XCTestCase {
    static func m(_ article: String, _ range: Range<Int>, _ text: String, _ type: EntityType, _ e: Int) -> EntityMention {
        EntityMention(article: article, range: range, tokens: 0..<0, text: text, type: type, entity: EntityID(e), evidence: "test")
    }

    /// e0 Brad Raffensperger (3 mentions, 2 aliases), e1 Georgia (GPE), e2 Brad (a separate PERSON).
    func analysis() -> EntityAnalysis {
        let brad = [Self.m("a", 0..<18, "Brad Raffensperger", .person, 0), Self.m("a", 50..<63, "Raffensperger", .person, 0), Self.m("b", 10..<23, "Raffensperger", .person, 0)]
        let georgia = [Self.m("a", 30..<37, "Georgia", .gpe, 1), Self.m("b", 40..<47, "Georgia", .gpe, 1)]
        let other = [Self.m("b", 60..<64, "Brad", .person, 2)]
        let all = brad + georgia + other
        return EntityAnalysis(
            entities: [
                Entity(id: EntityID(0), name: "Brad Raffensperger", type: .person, aliases: ["Brad Raffensperger", "Raffensperger"], mentions: brad),
                Entity(id: EntityID(1), name: "Georgia", type: .gpe, aliases: ["Georgia"], mentions: georgia),
                Entity(id: EntityID(2), name: "Brad", type: .person, aliases: ["Brad"], mentions: other),
            ],
            mentionsByArticle: [
                "a": all.filter { $0.article == "a" }.sorted { $0.range.lowerBound < $1.range.lowerBound },
                "b": all.filter { $0.article == "b" }.sorted { $0.range.lowerBound < $1.range.lowerBound },
            ])
    }

    let brad = EntityKey(name: "Brad Raffensperger", type: .person)

    /// Ids are dense, every mention names the entity that holds it, and the per-article lists
    /// hold exactly the entities' mentions.
    func assertConsistent(_ a: EntityAnalysis, file: StaticString = #filePath, line: UInt = #line) {
        for (i, e) in a.entities.enumerated() {
            XCTAssertEqual(e.id.rawValue, i, file: file, line: line)
            XCTAssertTrue(e.mentions.allSatisfy { $0.entity == e.id }, "mentions of \(e.name)", file: file, line: line)
        }
        let fromEntities = a.entities.flatMap(\.mentions).map { "\($0.article)\($0.range)" }.sorted()
        let fromArticles = a.mentionsByArticle.values.flatMap { $0 }.map { "\($0.article)\($0.range)" }.sorted()
        XCTAssertEqual(fromEntities, fromArticles, file: file, line: line)
    }

    func testMergeMovesMentionsAndRenumbers() {
        let out = EntityCorrections.apply([.merge(from: EntityKey(name: "Brad", type: .person), into: brad)], to: analysis(), articles: ["a", "b"])
        XCTAssertEqual(out.skipped, 0)
        let a = out.analysis
        XCTAssertEqual(a.entities.map(\.name), ["Brad Raffensperger", "Georgia"])
        XCTAssertEqual(a.entities[0].mentions.count, 4)
        XCTAssertEqual(a.entities[0].aliases, ["Brad Raffensperger", "Raffensperger", "Brad"])
        let moved = a.mentionsByArticle["b"]!.first { $0.text == "Brad" }!
        XCTAssertEqual(moved.entity, EntityID(0))
        XCTAssertTrue(moved.evidence.contains("corrected by user: merged into Brad Raffensperger"), moved.evidence)
        // Mentions of the merged entity stay in corpus order.
        XCTAssertEqual(a.entities[0].mentions.map(\.article), ["a", "a", "b", "b"])
        assertConsistent(a)
    }

    func testSplitMakesTheAliasItsOwnEntity() {
        let a = EntityCorrections.apply([.split(alias: "Raffensperger", of: brad)], to: analysis()).analysis
        XCTAssertEqual(a.entities.map(\.name), ["Brad Raffensperger", "Georgia", "Brad", "Raffensperger"])
        XCTAssertEqual(a.entities[0].mentions.map(\.text), ["Brad Raffensperger"])
        XCTAssertEqual(a.entities[0].aliases, ["Brad Raffensperger"])
        XCTAssertEqual(a.entities[3].type, .person)
        XCTAssertEqual(a.entities[3].mentions.count, 2)
        XCTAssertTrue(a.entities[3].mentions.allSatisfy { $0.evidence.contains("split off from Brad Raffensperger") })
        assertConsistent(a)
        // The panel lists a variant spelling with a note; the note is not part of the text.
        let noted = EntityCorrections.apply([.split(alias: "Raffensperger (spelling)", of: brad)], to: analysis()).analysis
        XCTAssertEqual(noted.entities.last?.name, "Raffensperger")
    }

    func testRetypeChangesEntityAndMentions() {
        let a = EntityCorrections.apply([.retype(EntityKey(name: "Georgia", type: .gpe), to: .org)], to: analysis()).analysis
        XCTAssertEqual(a.entities[1].type, .org)
        XCTAssertTrue(a.entities[1].mentions.allSatisfy { $0.type == .org && $0.evidence.contains("type GPE → ORG") })
        XCTAssertTrue(a.mentionsByArticle["a"]!.filter { $0.text == "Georgia" }.allSatisfy { $0.type == .org })
        // Later corrections name it by its new type.
        let b = EntityCorrections.apply([.retype(EntityKey(name: "Georgia", type: .gpe), to: .org), .retype(EntityKey(name: "Georgia", type: .org), to: .loc)], to: analysis()).analysis
        XCTAssertEqual(b.entities[1].type, .loc)
    }

    func testNotEntityDropsOneMentionFoundByTextWhenOffsetsShift() {
        // At the stored place.
        var a = EntityCorrections.apply([.notEntity(article: "b", range: 40..<47, text: "Georgia")], to: analysis()).analysis
        XCTAssertEqual(a.entities[1].mentions.map(\.article), ["a"])
        XCTAssertFalse(a.mentionsByArticle["b"]!.contains { $0.text == "Georgia" })
        assertConsistent(a)
        // The text moved by a few characters: the nearest mention of the same text goes.
        a = EntityCorrections.apply([.notEntity(article: "a", range: 45..<58, text: "Raffensperger")], to: analysis()).analysis
        XCTAssertEqual(a.entities[0].mentions.map(\.range), [0..<18, 10..<23])
        // Text that no mention has any more: skipped, nothing dropped.
        let out = EntityCorrections.apply([.notEntity(article: "a", range: 30..<37, text: "Atlanta")], to: analysis())
        XCTAssertEqual(out.skipped, 1)
        XCTAssertEqual(out.analysis.entities.flatMap(\.mentions).count, 6)
        // The last mention of an entity dropped: the entity goes, ids stay dense.
        a = EntityCorrections.apply([.notEntity(article: "b", range: 60..<64, text: "Brad")], to: analysis()).analysis
        XCTAssertEqual(a.entities.map(\.name), ["Brad Raffensperger", "Georgia"])
        assertConsistent(a)
    }

    func testStaleKeysAreSkippedGracefully() {
        let out = EntityCorrections.apply([
            .merge(from: EntityKey(name: "Nobody", type: .person), into: brad),
            .split(alias: "Raff", of: brad),
            .retype(EntityKey(name: "Georgia", type: .person), to: .org),
            .merge(from: EntityKey(name: "brad", type: .person), into: brad),  // folded match still applies
        ], to: analysis())
        XCTAssertEqual(out.skipped, 3)
        XCTAssertEqual(out.analysis.entities.map(\.name), ["Brad Raffensperger", "Georgia"])
    }

    func testUndoRedoReplay() {
        var log = EntityCorrections()
        let merge = EntityCorrection.merge(from: EntityKey(name: "Brad", type: .person), into: brad)
        let retype = EntityCorrection.retype(EntityKey(name: "Georgia", type: .gpe), to: .loc)
        log.add(merge, by: "ana")
        log.add(retype, by: "ana")
        XCTAssertEqual(log.undo(by: "ana"), retype)
        XCTAssertEqual(log.effective, [merge])
        XCTAssertEqual(log.apply(to: analysis()).entities[1].type, .gpe)
        XCTAssertEqual(log.redo(by: "ana"), retype)
        XCTAssertEqual(log.apply(to: analysis()).entities[1].type, .loc)
        XCTAssertNil(log.redo(by: "ana"), "nothing left to redo")
        log.undo(by: "ana")
        log.undo(by: "ana")
        XCTAssertNil(log.undo(by: "ana"))
        XCTAssertEqual(log.effective, [])
        XCTAssertEqual(log.apply(to: analysis()).entities.count, 3)
        // A new correction after an undo drops what could have been redone.
        log.add(retype, by: "ana")
        XCTAssertNil(log.redo(by: "ana"))
        XCTAssertEqual(log.effective, [retype])
        // The log only grows: undo and redo are entries too.
        XCTAssertEqual(log.entries.count, 7)
    }

    func testFileRoundTripAndAppend() throws {
        let folder = try makeTempFolder(self)
        let path = folder.appendingPathComponent(".parallax/entities.json").path
        var file = EntityCorrectionsFile(path: path)
        XCTAssertNil(file.problem)
        XCTAssertTrue(file.log.isEmpty)
        let all: [EntityCorrection] = [
            .merge(from: EntityKey(name: "Brad", type: .person), into: brad),
            .split(alias: "Raffensperger", of: brad),
            .retype(EntityKey(name: "Georgia", type: .gpe), to: .loc),
            .notEntity(article: "b", range: 40..<47, text: "Georgia"),
        ]
        for c in all { XCTAssertNil(file.update { $0.add(c, by: "ana") }) }
        XCTAssertNil(file.update { $0.undo(by: "bo") })
        let reread = EntityCorrectionsFile(path: path)
        XCTAssertNil(reread.problem)
        XCTAssertEqual(reread.log, file.log)
        XCTAssertEqual(reread.log.effective, Array(all.dropLast()))
        XCTAssertEqual(reread.log.entries.last?.by, "bo")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("\"version\" : 1"), text)
        XCTAssertTrue(text.contains("\"action\" : \"not-entity\""), text)
        // Another instance saved meanwhile: both its entries and ours are kept.
        var other = EntityCorrectionsFile(path: path)
        XCTAssertNil(other.update { $0.add(.retype(EntityKey(name: "Brad", type: .person), to: .org), by: "cy") })
        XCTAssertNil(file.update { $0.redo(by: "ana") })
        let merged = try XCTUnwrap(EntityCorrectionsFile.read(path: path))
        XCTAssertEqual(merged.entries.count, 7)
        XCTAssertEqual(merged.entries.map(\.by).suffix(2), ["cy", "ana"])
        // No temporary file left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(".parallax").path), ["entities.json"])
    }

    func testCorruptFileIsReportedAndNeverOverwritten() throws {
        let folder = try makeTempFolder(self)
        let path = try write("{\"version\": 1, \"corrections\": [{\"action\": \"merge\"", to: folder, "entities.json")
        var file = EntityCorrectionsFile(path: path)
        let problem = try XCTUnwrap(file.problem)
        XCTAssertTrue(problem.description.contains("not readable JSON"), problem.description)
        XCTAssertFalse(problem.description.contains("\n"))
        XCTAssertTrue(file.log.isEmpty)
        // A correction stays in force in memory, and the file is left as it was.
        XCTAssertNotNil(file.update { $0.add(.retype(EntityKey(name: "Georgia", type: .gpe), to: .loc), by: "ana") })
        XCTAssertEqual(file.log.effective.count, 1)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{\"version\": 1, \"corrections\": [{\"action\": \"merge\"")
        // A newer version is refused the same way.
        let newer = try write("{\"version\": 99, \"corrections\": []}", to: folder, "newer.json")
        XCTAssertEqual(EntityCorrectionsFile(path: newer).problem, .newerVersion(path: newer, version: 99))
    }

    /// A folder that cannot be made (a file stands where it should be): a message, no crash.
    func testUnwritablePlaceIsAMessage() throws {
        let folder = try makeTempFolder(self)
        let blocker = try write("a file", to: folder, "blocker")
        var file = EntityCorrectionsFile(path: blocker + "/.parallax/entities.json")
        XCTAssertNil(file.problem, "nothing to read yet")
        let error = file.update { $0.add(.retype(EntityKey(name: "Georgia", type: .gpe), to: .loc), by: "ana") }
        guard case .cannotWrite = error else { return XCTFail("expected cannotWrite, got \(String(describing: error))") }
        XCTAssertFalse(error!.description.contains("\n"))
        XCTAssertEqual(file.log.effective.count, 1, "kept for this run")
    }

    /// A folder that refuses the write: read-only, or (for root, whom mode bits do not stop) one
    /// where the temporary file's name is already taken by a folder.
    func testReadOnlyFolderIsAMessage() throws {
        let folder = try makeTempFolder(self)
        let locked = folder.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        if getuid() == 0 {
            try FileManager.default.createDirectory(
                at: locked.appendingPathComponent(".entities.json.\(getpid()).tmp"), withIntermediateDirectories: true)
        } else {
            chmod(locked.path, 0o555)
            addTeardownBlock { chmod(locked.path, 0o755) }
        }
        var file = EntityCorrectionsFile(path: locked.appendingPathComponent("entities.json").path)
        let error = file.update { $0.add(.retype(EntityKey(name: "Georgia", type: .gpe), to: .loc), by: "ana") }
        guard case .cannotWrite = error else { return XCTFail("expected cannotWrite, got \(String(describing: error))") }
        XCTAssertEqual(file.log.effective.count, 1, "kept for this run")
    }

    func testDefaultPathBesideTheAnnotationStore() {
        XCTAssertEqual(EntityCorrectionsFile.defaultPath(corpusRoot: "/c", environment: [:]), "/c/.parallax/entities.json")
        XCTAssertEqual(EntityCorrectionsFile.defaultPath(corpusRoot: nil, environment: ["XDG_DATA_HOME": "/d"]), "/d/parallax/entities.json")
        XCTAssertNil(EntityCorrectionsFile.defaultPath(corpusRoot: nil, environment: [:]))
    }

    /// The pipeline applies corrections before quotes: speakers and mentions name valid,
    /// corrected entities.
    func testPipelineAppliesCorrectionsBeforeQuotes() throws {
        let corpus = try load([seedCorpusPath])
        let plain = Pipeline.standard.run(corpus)
        let top = plain.entities.entities.filter { $0.type == .person }.max { $0.mentions.count < $1.mentions.count }!
        let second = plain.entities.entities.filter { $0.type == .person && $0.id != top.id }.max { $0.mentions.count < $1.mentions.count }!
        var log = EntityCorrections()
        log.add(.merge(from: EntityKey(second), into: EntityKey(top)), by: "test")
        let corrected = Pipeline.standard.run(corpus, corrections: log)
        XCTAssertEqual(corrected.entities.entities.count, plain.entities.entities.count - 1)
        let merged = try XCTUnwrap(corrected.entities.entities.first { $0.name == top.name && $0.type == .person })
        XCTAssertEqual(merged.mentions.count, top.mentions.count + second.mentions.count)
        assertConsistent(corrected.entities)
        if EntityKey(second) != EntityKey(top) {
            XCTAssertFalse(corrected.entities.entities.contains { EntityKey($0) == EntityKey(second) }, "the merged-away entity is gone")
        }
        for q in corrected.quotes.quotes {
            guard let id = q.speaker?.entity else { continue }
            XCTAssertLessThan(id.rawValue, corrected.entities.entities.count)
        }
        XCTAssertTrue(corrected.quotes.quotes.contains { $0.speaker?.entity.map { corrected.entities[$0].name == top.name } ?? false },
                      "quotes are attributed to the merged entity")
    }
}
