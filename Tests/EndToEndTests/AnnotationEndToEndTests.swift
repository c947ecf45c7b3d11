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
        s.waitFor("annotating: session s1")
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
}
