import Foundation
import XCTest

/// The binary's behaviour on bad input and without a usable terminal: one clear line, non-zero exit.
final class CommandLineTests: XCTestCase {
    private func runBinary(_ args: [String], env: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try requireHarness()
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        return TmuxSession.run([TmuxSession.binary] + args, environment: environment)
    }

    func testNoTerminalNamesBatchCommand() throws {
        let r = try runBinary([TmuxSession.packageRoot.appendingPathComponent("corpus").path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.output.contains("must be a terminal"), r.output)
        XCTAssertTrue(r.output.contains("parallax analyze"), r.output)
        XCTAssertEqual(r.output.split(separator: "\n").count, 1, "one line: \(r.output)")
    }

    func testMissingPath() throws {
        let r = try runBinary(["/nonexistent/articles"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.output.contains("no such file or directory: /nonexistent/articles"), r.output)
        XCTAssertEqual(r.output.split(separator: "\n").count, 1)
    }

    func testEmptyFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runBinary([dir.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.output.split(separator: "\n").count, 1, r.output)
        XCTAssertTrue(r.output.contains("no articles"), r.output)
    }

    func testBadConfigNamesTheLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("parallax"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "theme = \"auto\"\n[keys]\nx = \"fly-away\"\n".write(to: dir.appendingPathComponent("parallax/config.toml"), atomically: true, encoding: .utf8)
        let r = try runBinary([TmuxSession.packageRoot.appendingPathComponent("corpus").path], env: ["XDG_CONFIG_HOME": dir.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.output.contains("config.toml:3: unknown command 'fly-away'"), r.output)
    }

    func testDumbAndUnknownTerminals() throws {
        try requireHarness()
        for term in ["dumb", "no-such-terminal-xyz"] {
            let cmd = "'\(TmuxSession.binary)' corpus; echo EXIT=$?; sleep 60"
            let s = try TmuxSession(width: 160, height: 20, command: "TERM=\(term) " + cmd, directory: TmuxSession.packageRoot.path)
            defer { s.kill() }
            let screen = s.waitFor("EXIT=1")
            XCTAssertTrue(screen.contains("parallax analyze"), screen)
        }
    }

    func testListCommands() throws {
        let r = try runBinary(["--list-commands"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.output.contains("scroll-down"))
        XCTAssertTrue(r.output.contains("search-back"))
    }

    func testNoPathOpensTheBuiltInCorpusFromAnyFolder() throws {
        try requireHarness()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-nocorpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try TmuxSession(width: 160, height: 45, command: "'\(TmuxSession.binary)'; sleep 60", directory: dir.path)
        defer { s.kill() }
        let screen = s.waitFor("NORMAL")
        XCTAssertTrue(screen.contains("000_f96229f3062a7620"), screen)
        XCTAssertTrue(screen.contains("002_f40aeade3fbf9a8e · CNBC"), screen)
    }

    func testEscapeSequencesInAnArticleAreShownNotObeyed() throws {
        try requireHarness()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-esc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let evil = "Headline\n\nBefore \u{1B}[2J\u{1B}[31mRED\u{1B}[0m \u{1B}]0;pwned\u{07} after. Bidi \u{202E}txet.\n"
        try Data(evil.utf8).write(to: dir.appendingPathComponent("evil.txt"))
        let s = try TmuxSession(width: 120, height: 20, command: "'\(TmuxSession.binary)' '\(dir.path)'; sleep 60")
        defer { s.kill() }
        let screen = s.waitFor("NORMAL")
        XCTAssertTrue(screen.contains("Before ^[[2J^[[31mRED^[[0m ^[]0;pwned^G after."), screen)
        XCTAssertTrue(screen.contains("<U+202E>txet"), screen)
        XCTAssertNotEqual(s.display("#{pane_title}"), "pwned", "an OSC title sequence must not reach the terminal")
        XCTAssertFalse(s.capture(escapes: true).contains("\u{1B}[31mRED"), "no raw colour from the article")
    }

    func testAnalyzeJSONOffsetsNameTheTextAndJunkYieldsNothing() throws {
        let corpusPath = TmuxSession.packageRoot.appendingPathComponent("corpus").path
        let r = try runBinary(["analyze", "--format", "json", corpusPath])
        XCTAssertEqual(r.status, 0, r.output)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any])
        XCTAssertEqual(doc["version"] as? Int, 1)
        let articles = try XCTUnwrap(doc["articles"] as? [[String: Any]])
        XCTAssertEqual(articles.count, 5)
        XCTAssertTrue(articles[0]["source"] is NSNull, "unknown fields are null")
        XCTAssertEqual(articles[3]["date"] as? String, "2021-01-04")
        var texts: [String: [Unicode.Scalar]] = [:]
        for a in articles {
            let path = try XCTUnwrap(a["path"] as? String)
            texts[a["id"] as! String] = Array(try String(contentsOfFile: path, encoding: .utf8).unicodeScalars)
        }
        let entities = try XCTUnwrap(doc["entities"] as? [[String: Any]])
        XCTAssertGreaterThan(entities.count, 20)
        var names: [String: String] = [:]
        for e in entities {
            names[e["name"] as! String] = e["type"] as? String
            for m in try XCTUnwrap(e["mentions"] as? [[String: Any]]) {
                let text = try XCTUnwrap(texts[m["article"] as! String])
                let start = m["start"] as! Int, end = m["end"] as! Int
                XCTAssertEqual(String(String.UnicodeScalarView(text[start..<end])), m["text"] as? String, "offsets are scalar offsets")
            }
        }
        XCTAssertEqual(names["Brad Raffensperger"], "PERSON")
        XCTAssertEqual(names["Twitter"], "ORG")
        XCTAssertNil(names["State"])
        XCTAssertNil(names["Obama"], "related-link junk yields no entities")
        let quotes = try XCTUnwrap(doc["quotes"] as? [[String: Any]])
        XCTAssertGreaterThan(quotes.count, 30)
        for q in quotes {
            let text = try XCTUnwrap(texts[q["article"] as! String])
            let start = q["start"] as! Int, end = q["end"] as! Int
            XCTAssertEqual(String(String.UnicodeScalarView(text[start..<end])), q["text"] as? String, "quote spans exclude the marks")
        }
        let clusters = try XCTUnwrap(doc["quoteClusters"] as? [[String: Any]])
        XCTAssertFalse(clusters.isEmpty)
        let kinds = Set(clusters.flatMap { ($0["links"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } })
        XCTAssertTrue(kinds.isSubset(of: ["exact", "variant", "fragment", "paraphrase"]), "\(kinds)")
        // The text format is a readable summary.
        let t = try runBinary(["analyze", corpusPath])
        XCTAssertEqual(t.status, 0)
        XCTAssertTrue(t.output.contains("Brad Raffensperger"), t.output)
    }

    /// Escape sequences in a headline, a file name or a config value never reach the terminal
    /// from `analyze --format text`, its warnings or an error line: they are shown escaped.
    func testBatchOutputAndMessagesAreEscaped() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-esc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A headline that would set the window title and ring the bell, and an empty file whose
        // name holds a newline and an escape.
        try "Title \u{1B}]0;pwned\u{7}here\n\nBody text, said Ann Lee.\n".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent("b\n\u{1B}[31mred.txt"), atomically: true, encoding: .utf8)
        let r = try runBinary(["analyze", "--format", "text", dir.path])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertFalse(r.output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" }, r.output)
        XCTAssertTrue(r.output.contains("Title ^[]0;pwned^Ghere"), r.output)
        XCTAssertTrue(r.output.contains("b^J^[[31mred.txt: empty file"), r.output)

        let cfg = dir.appendingPathComponent("cfg")
        try FileManager.default.createDirectory(at: cfg.appendingPathComponent("parallax"), withIntermediateDirectories: true)
        try "theme = \"\\u001b]52;c;eA==\\u0007\"\n".write(to: cfg.appendingPathComponent("parallax/config.toml"), atomically: true, encoding: .utf8)
        let c = try runBinary([TmuxSession.packageRoot.appendingPathComponent("corpus").path], env: ["XDG_CONFIG_HOME": cfg.path])
        XCTAssertEqual(c.status, 1, c.output)
        XCTAssertFalse(c.output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" }, c.output)
        XCTAssertEqual(c.output.split(separator: "\n").count, 1, c.output)
    }

    /// analyze keeps the reader's size guard: a huge article is listed, not analysed, with a
    /// warning saying how to lift the limit.
    func testAnalyzeListsHugeArticlesWithoutAnalysis() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-huge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "Small one\n\n\"We will win,\" said Ann Lee.\n".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let paragraph = "\"Nothing changes here,\" said Bob Stone on Monday in Springfield.\n\n"
        try ("Big one\n\n" + String(repeating: paragraph, count: 20_000)).write(to: dir.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let r = try runBinary(["analyze", "--format", "json", "--max-article-mb", "1", dir.path])
        XCTAssertEqual(r.status, 0, String(r.output.prefix(500)))
        XCTAssertTrue(r.output.contains("b.txt: over 1 MB: listed without analysis (--max-article-mb 0 analyses it)"), String(r.output.prefix(500)))
        let json = try XCTUnwrap(r.output.split(separator: "\n").last { $0.hasPrefix("{") })
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual((object["articles"] as? [Any])?.count, 2)
        XCTAssertEqual((object["quotes"] as? [[String: Any]])?.map { $0["article"] as? String }, ["a"])
    }

    /// A file whose name is not UTF-8 (`caf\xE9.txt`, Latin-1): found in a folder and opened
    /// when named, shown with the bad byte escaped, never "broken link" or "no such file".
    func testFileNamesThatAreNotUTF8Load() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-latin1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = Array((dir.path + "/caf").utf8) + [0xE9] + Array(".txt".utf8) + [0]
        let fd = name.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
        }
        XCTAssertGreaterThanOrEqual(fd, 0)
        let text = Array("Café opens\n\nThe owner said \"we open at nine\" on Monday.\n".utf8)
        XCTAssertEqual(write(fd, text, text.count), text.count)
        close(fd)

        let folder = try runBinary(["analyze", "--format", "json", dir.path])
        XCTAssertEqual(folder.status, 0, folder.output)
        XCTAssertTrue(folder.output.contains("\"id\":\"caf\\\\xE9\""), folder.output)
        XCTAssertTrue(folder.output.contains("we open at nine"), folder.output)
        XCTAssertFalse(folder.output.contains("broken link"), folder.output)

        // Named on the command line, its bytes made by the shell.
        let named = TmuxSession.run(["/bin/sh", "-c", "exec \"$0\" analyze --format text \"$1/$(printf 'caf\\351.txt')\"", TmuxSession.binary, dir.path])
        XCTAssertEqual(named.status, 0, named.output)
        XCTAssertTrue(named.output.contains("caf\\xE9") && named.output.contains("Café opens"), named.output)
    }

    func testAnalyzeNeedsNoTerminalAndReportsBadPaths() throws {
        let r = try runBinary(["analyze", "/nonexistent/x"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.output.split(separator: "\n").count, 1, r.output)
    }
}
