import Foundation
import XCTest

/// `parallax annotate` in a real terminal: select, annotate, quit, restart, and the annotation is there.
final class AnnotationEndToEndTests: XCTestCase {
    var session: TmuxSession?
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-annotate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        session?.kill()
        session = nil
        try? FileManager.default.removeItem(at: dir)
    }

    private func start(_ store: String) throws -> TmuxSession {
        try requireHarness()
        session?.kill()
        let corpus = TmuxSession.packageRoot.appendingPathComponent("corpus").path
        let cmd = "'\(TmuxSession.binary)' annotate --session s1 --annotator tester --store '\(store)' --panes 1 '\(corpus)'; echo EXIT=$?; sleep 60"
        let s = try TmuxSession(width: 100, height: 30, command: cmd, directory: TmuxSession.packageRoot.path)
        session = s
        // The status line says whose session it is (the longer start-up message is cut at 100 columns).
        s.waitFor("✎ s1/tester")
        return s
    }

    func testAnnotationSurvivesARestart() throws {
        let store = dir.appendingPathComponent("a.sqlite").path
        var s = try start(store)
        s.send("w", "v", "w", "a")
        s.waitFor("ANNOTATE")
        s.send("3")
        s.send("checked", literal: true)
        s.send("Enter")
        s.wait("saved and marked") { $0.contains("┃") && !$0.contains("ANNOTATE") }
        s.send("q")
        s.waitFor("EXIT=0")
        s = try start(store)
        // The annotated line carries the gutter mark.
        s.wait("gutter mark") { $0.contains("┃") }

        // The same annotation through the command line, in every export format.
        let corpus = TmuxSession.packageRoot.appendingPathComponent("corpus").path
        func export(_ format: String) -> (status: Int32, output: String) {
            TmuxSession.run([TmuxSession.binary, "annotations", "export", "--format", format, "--store", store, corpus])
        }
        let csv = export("csv")
        XCTAssertEqual(csv.status, 0, csv.output)
        XCTAssertTrue(csv.output.contains("verified"), csv.output)
        XCTAssertTrue(csv.output.contains("checked"), csv.output)
        XCTAssertTrue(csv.output.contains("tester"), csv.output)
        let w3c = export("w3c")
        XCTAssertTrue(w3c.output.contains("TextQuoteSelector") && w3c.output.contains("TextPositionSelector"), w3c.output)
        let jsonl = export("jsonl")
        XCTAssertTrue(jsonl.output.contains("\"spans\""), jsonl.output)
        let conll = export("conll")
        XCTAssertTrue(conll.output.contains("B-verified"), conll.output)
        let bratDir = dir.appendingPathComponent("brat").path
        let brat = TmuxSession.run([TmuxSession.binary, "annotations", "export", "--format", "brat", "--out", bratDir, "--store", store, corpus])
        XCTAssertEqual(brat.status, 0, brat.output)
        // One folder per annotator, with the labels declared for brat.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: bratDir), ["tester"])
        let annotatorDir = bratDir + "/tester"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: annotatorDir)) ?? []
        XCTAssertTrue(files.contains { $0.hasSuffix(".ann") } && files.contains { $0.hasSuffix(".txt") } && files.contains("annotation.conf"), "\(files)")
        let agreement = TmuxSession.run([TmuxSession.binary, "annotations", "agreement", "--store", store, corpus])
        XCTAssertEqual(agreement.status, 0, agreement.output)
        XCTAssertTrue(agreement.output.contains("annotators: tester"), agreement.output)
        // Import into a fresh store: the annotation comes back.
        let out = dir.appendingPathComponent("export.jsonl")
        try Data(jsonl.output.utf8).write(to: out)
        let fresh = dir.appendingPathComponent("fresh.sqlite").path
        let imported = TmuxSession.run([TmuxSession.binary, "annotations", "import", "--format", "jsonl", "--file", out.path, "--store", fresh, corpus])
        XCTAssertEqual(imported.status, 0, imported.output)
        XCTAssertTrue(imported.output.contains("imported 1 of 1"), imported.output)
        // brat: the .ann beside its .txt comes back under the article's id.
        if let ann = files.first(where: { $0.hasSuffix(".ann") }) {
            let fromBrat = dir.appendingPathComponent("brat.sqlite").path
            let r = TmuxSession.run([TmuxSession.binary, "annotations", "import", "--format", "brat", "--file", annotatorDir + "/" + ann, "--store", fromBrat, corpus])
            XCTAssertEqual(r.status, 0, r.output)
            XCTAssertTrue(r.output.contains("imported 1 of 1"), r.output)
            let back = TmuxSession.run([TmuxSession.binary, "annotations", "export", "--format", "csv", "--store", fromBrat, corpus])
            XCTAssertTrue(back.output.contains("000_f96229f3062a7620"), back.output)
            XCTAssertTrue(back.output.contains("verified"), back.output)
        }
    }

    func testExportFromACorruptStoreIsOneLine() throws {
        try requireHarness()
        let store = dir.appendingPathComponent("bad.sqlite")
        try Data("not a database, some text long enough to look like one".utf8).write(to: store)
        let corpus = TmuxSession.packageRoot.appendingPathComponent("corpus").path
        let r = TmuxSession.run([TmuxSession.binary, "annotations", "export", "--format", "csv", "--store", store.path, corpus])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.output.contains(store.path), r.output)
        XCTAssertEqual(r.output.split(separator: "\n").count, 1, r.output)
    }

    func testCorruptStoreIsOneLineNamingTheFile() throws {
        try requireHarness()
        let store = dir.appendingPathComponent("bad.sqlite")
        try Data("this is not a database, just some text that is long enough".utf8).write(to: store)
        let corpus = TmuxSession.packageRoot.appendingPathComponent("corpus").path
        let r = TmuxSession.run([TmuxSession.binary, "annotate", "--session", "s", "--store", store.path, corpus])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.output.contains(store.path), r.output)
        XCTAssertEqual(r.output.split(separator: "\n").count, 1, r.output)
        XCTAssertEqual(try Data(contentsOf: store), Data("this is not a database, just some text that is long enough".utf8))
    }

    /// Plain `parallax`, then `:session` inside the reader: the corpus's own store and label set.
    func testSessionStartedInsideTheReaderUsesTheCorpusStoreAndLabels() throws {
        try requireHarness()
        let copy = dir.appendingPathComponent("corpus")
        try FileManager.default.copyItem(at: TmuxSession.packageRoot.appendingPathComponent("corpus"), to: copy)
        let cmd = "'\(TmuxSession.binary)' --panes 1 '\(copy.path)'; echo EXIT=$?; sleep 60"
        let s = try TmuxSession(width: 160, height: 30, command: cmd, directory: dir.path)
        session = s
        s.waitFor("h help")
        s.send(":")
        s.send("session first --annotator tester", literal: true)
        s.send("Enter")
        s.waitFor("session first, annotator tester")
        s.send("w", "V", "a")
        // The manifest's sixth label is offered.
        s.waitFor("6 mistranslated")
        s.send("6")
        s.send("paraphrase", literal: true)
        s.send("Enter")
        s.waitFor("annotated “")
        s.send("q")
        s.waitFor("EXIT=0")
        let store = copy.appendingPathComponent(".parallax/annotations.sqlite").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: store))
        let csv = TmuxSession.run([TmuxSession.binary, "annotations", "export", "--format", "csv", copy.path])
        XCTAssertEqual(csv.status, 0, csv.output)
        XCTAssertTrue(csv.output.contains("mistranslated,paraphrase,tester,first"), csv.output)
    }

    /// ^C in the annotate form cancels the form (the note comes back on the same span) instead of
    /// killing the reader; in normal mode it quits, and the shell gets its ^C back.
    func testControlCCancelsTheFormAndKeepsTheNote() throws {
        try requireHarness()
        let store = dir.appendingPathComponent("c.sqlite").path
        let corpus = TmuxSession.packageRoot.appendingPathComponent("corpus").path
        let cmd = "'\(TmuxSession.binary)' annotate --session s1 --annotator tester --store '\(store)' --panes 1 '\(corpus)'; "
            + "echo EXIT=$?; stty -a | tr ';' '\\n' | grep -o 'intr = ^C'; sleep 60"
        let s = try TmuxSession(width: 200, height: 30, command: cmd, directory: dir.path)
        session = s
        s.waitFor("annotating: session s1")
        s.send("w", "V", "a")
        s.waitFor("Annotate —")
        s.send("2")
        s.send("half a thought", literal: true)
        s.send("C-c")
        s.waitFor("brings the note back")
        s.send("a")
        s.waitFor("half a thought")
        s.send(", finished", literal: true)
        s.send("Enter")
        s.waitFor("as disputed: half a thought, finished")
        s.send("C-c")
        s.waitFor("EXIT=0")
        s.waitFor("intr = ^C")
        let csv = TmuxSession.run([TmuxSession.binary, "annotations", "export", "--format", "csv", "--store", store, corpus])
        XCTAssertTrue(csv.output.contains("disputed,\"half a thought, finished\",tester,s1"), csv.output)
    }
}
