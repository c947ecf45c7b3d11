import Foundation
import GRDB
import ParallaxCore
import XCTest

/// Annotators' work kept apart in a real terminal: changing another annotator's annotation asks
/// first and is recorded; an adjudicator copies labels into the gold layer without touching
/// the originals; after the text changed, the reader says how many annotations moved.
final class AdjudicationEndToEndTests: XCTestCase {
    var sessions: [TmuxSession] = []
    var dir: URL!
    var corpus: URL { dir.appendingPathComponent("corpus") }
    var store: String { dir.appendingPathComponent("a.sqlite").path }

    static let article = """
        Officials spoke about the call

        Brad Raffensperger said the count was accurate. Trump said it was not.

        The state certified the result. Lawyers met again on Friday.

        """

    override func setUpWithError() throws {
        try requireHarness()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-adjudicate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try Data(Self.article.utf8).write(to: corpus.appendingPathComponent("call.txt"))
    }

    override func tearDown() {
        for s in sessions { s.kill() }
        sessions = []
        try? FileManager.default.removeItem(at: dir)
    }

    /// The article as the reader loads it.
    func loaded() throws -> Article { try CorpusLoader.load(paths: [corpus.path]).articles[0] }

    func range(_ needle: String, in text: TextBuffer) -> Range<Int> {
        let scalars = Array(text.string.unicodeScalars)
        let n = Array(needle.unicodeScalars)
        let start = scalars.indices.first { i in i + n.count <= scalars.count && Array(scalars[i..<(i + n.count)]) == n }!
        return start..<(start + n.count)
    }

    func annotate(_ needle: String, _ label: String, by who: String, note: String = "") throws {
        let a = try loaded()
        let s = try AnnotationStore(path: store)
        try s.create(AnnotationDraft(articleID: a.id, range: range(needle, in: a.text), label: label, note: note), text: a.text, session: "s", annotator: who)
        try s.close()
    }

    func reader(_ options: String) throws -> TmuxSession {
        let cmd = "'\(TmuxSession.binary)' annotate \(options) --store '\(store)' --panes 1 '\(corpus.path)'; echo EXIT=$?; sleep 60"
        let s = try TmuxSession(width: 160, height: 30, command: cmd, directory: TmuxSession.packageRoot.path)
        sessions.append(s)
        return s
    }

    func current() throws -> [Annotation] { try AnnotationStore(path: store, options: AnnotationStoreOptions(readOnly: true)).allAnnotations() }

    func testOwnershipAndAdjudicationInTheReader() throws {
        try annotate("Brad Raffensperger said the count was accurate.", "claim", by: "ann", note: "his words")
        try annotate("Brad Raffensperger said the count was accurate.", "disputed", by: "bob")
        try annotate("The state certified the result.", "verified", by: "ann")
        try annotate("The state certified the result.", "verified", by: "bob")

        let annsClaim = try XCTUnwrap(try current().first { $0.annotator == "ann" && $0.label == "claim" }).id
        // Bob deletes ann's annotation: the first d asks, naming her; the second goes ahead.
        var s = try reader("--session s2 --annotator bob")
        s.waitFor("✎ s2/bob")
        s.send("A")
        s.waitFor("Annotations 4 —")
        s.send("n")  // ann's only
        s.waitFor("annotator: ann (n)")
        s.send("d")
        s.waitFor("this is ann's annotation: d again to delete it anyway (recorded as bob's change)")
        XCTAssertEqual(try current().count, 4, "nothing deleted on the first d")
        s.send("d")
        s.waitFor("deleted claim")
        XCTAssertNil(try current().first { $0.annotator == "ann" && $0.label == "claim" })
        let deleted = try XCTUnwrap(try AnnotationStore(path: store).history(id: annsClaim).last)
        XCTAssertTrue(deleted.isDeleted)
        XCTAssertEqual(deleted.annotator, "ann")
        XCTAssertEqual(deleted.revisedBy, "bob", "the log says bob did it")
        s.send("u")
        s.waitFor("undo: claim")
        XCTAssertEqual(try current().count, 4)
        s.send("q", "q")
        s.waitFor("EXIT=0")
        let originals = try current()

        // Judy adjudicates: D shows the disputed pair only, y copies ann's label into gold.
        s = try reader("--session review --adjudicator judy")
        s.waitFor("✎ review/judy → gold")
        s.send("A")
        s.waitFor("Annotations 4 —")
        s.send("D")
        s.waitFor("Annotations 2 — label: all (l) · annotator: all (n) · disputed (D)")
        s.send("n")
        s.waitFor("annotator: ann (n)")
        s.send("y")
        s.waitFor("gold: claim “Brad Raffensperger said the c…” added to the gold layer, from ann")
        s.wait("the details line shows the gold label") { $0.contains("gold: claim") }
        s.send("q", "q")
        s.waitFor("EXIT=0")
        let after = try current()
        XCTAssertEqual(after.filter { $0.annotator != AnnotationStore.goldLayer }, originals, "the annotators' work is unchanged")
        let gold = after.filter { $0.annotator == AnnotationStore.goldLayer }
        XCTAssertEqual(gold.map(\.label), ["claim"])
        XCTAssertEqual(gold.map(\.revisedBy), ["judy"])

        // The gold layer exports like an annotator; agreement leaves it out unless asked.
        let csv = TmuxSession.run([TmuxSession.binary, "annotations", "export", "--format", "csv", "--annotator", "gold", "--store", store, corpus.path])
        XCTAssertEqual(csv.status, 0, csv.output)
        XCTAssertEqual(csv.output.unicodeScalars.split(separator: "\n").count, 2, "a header and the gold row:\n\(csv.output)")
        XCTAssertTrue(csv.output.contains("from ann: his words"), csv.output)
        let agreement = TmuxSession.run([TmuxSession.binary, "annotations", "agreement", "--store", store, corpus.path])
        XCTAssertTrue(agreement.output.contains("annotators: ann, bob\n"), agreement.output)
        let withGold = TmuxSession.run([TmuxSession.binary, "annotations", "agreement", "--include-gold", "--store", store, corpus.path])
        XCTAssertTrue(withGold.output.contains("annotators: ann, bob, gold"), withGold.output)
    }

    /// The text changed under the annotations: at start-up the reader says how many moved and
    /// how many are orphaned, and the margin tells moved from anchored.
    func testStartUpSaysWhatMovedAfterTheTextChanged() throws {
        try annotate("Trump said it was not.", "claim", by: "ann")
        try annotate("Lawyers met again on Friday.", "claim", by: "ann")
        let changed = Self.article
            .replacingOccurrences(of: "Officials spoke about the call\n\n", with: "Officials spoke about the call\n\nA paragraph was added at the top.\n\n")
            .replacingOccurrences(of: " Lawyers met again on Friday.", with: "")
        try Data(changed.utf8).write(to: corpus.appendingPathComponent("call.txt"))
        let s = try reader("--session s --annotator ann")
        s.waitFor("annotations since the text changed: 1 moved, 1 orphaned (A reviews them)")
        s.wait("the moved one is marked ╏") { $0.contains("╏") && !$0.contains("┃") }
        s.send("A")
        s.waitFor("Annotations 2 —")
        s.send("C")
        s.waitFor("confirmed 1 moved annotation in call at their new places (u undoes all)")
        s.send("q")
        s.wait("now in place: ┃") { $0.contains("┃") && !$0.contains("╏") }
        s.send("q")
        s.waitFor("EXIT=0")
    }
}
