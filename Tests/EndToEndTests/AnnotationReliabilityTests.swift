import Foundation
import GRDB
import ParallaxCore
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The annotation store under the real `parallax annotate` in a terminal, when things go wrong:
/// SIGKILL at random moments, polite signals, two readers on one file, unusable and read-only
/// files, and a write the file system refuses.
final class AnnotationReliabilityTests: XCTestCase {
    var dir: URL!
    var sessions: [TmuxSession] = []

    override func setUpWithError() throws {
        try requireHarness()
        // A short folder name: the read-only message names the file and must fit the status line.
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pxrel-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for s in sessions { s.kill() }
        sessions = []
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    static var corpus: String { TmuxSession.packageRoot.appendingPathComponent("corpus").path }

    /// The shell words that run `parallax annotate` on `store` with one pane over the bundled corpus.
    static func annotate(store: String, session: String, annotator: String) -> String {
        "'\(TmuxSession.binary)' annotate --session \(session) --annotator \(annotator) --store '\(store)' --panes 1 '\(corpus)'"
    }

    /// A wide terminal, so status messages (which name notes and files) are never cut.
    func terminal(_ command: String, width: Int = 200, height: Int = 30) throws -> TmuxSession {
        let s = try TmuxSession(width: width, height: height, command: command, directory: TmuxSession.packageRoot.path)
        sessions.append(s)
        return s
    }

    /// Sends one action as a single tmux command line, so its keys reach the reader together.
    /// A group starting with "-l" is literal text.
    static func send(_ groups: [[String]], to s: TmuxSession) {
        var args: [String] = []
        for g in groups {
            if !args.isEmpty { args.append(";") }
            args += ["send-keys", "-t", s.name] + g
        }
        s.tmux(args)
    }

    /// Creates an annotation through the form on the next word and waits for the status line to confirm it.
    @discardableResult
    static func annotateNextWord(_ s: TmuxSession, label: Int, note: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        send([["w", "a", "\(label)"], ["-l", note], ["Enter"]], to: s)
        return s.wait(file: file, line: line, "\(note) confirmed") { TmuxSession.statusMessage($0).hasSuffix(": \(note)") }
    }

    /// Words that mean a save, delete or undo went wrong.
    static let errorWords = ["not saved", "not deleted", "failed", "cannot", "locked", "read-only", "corrupt"]

    /// The current annotations of a store as annotator → notes (sorted), after checking that
    /// `PRAGMA integrity_check` says ok.
    func contents(of path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: [String]] {
        let store = try AnnotationStore(path: path, options: AnnotationStoreOptions(readOnly: true))
        defer { try? store.close() }
        XCTAssertEqual(try store.integrityCheck(), ["ok"], "integrity of \(path)", file: file, line: line)
        var notes: [String: [String]] = [:]
        for a in try store.allAnnotations() { notes[a.annotator, default: []].append(a.note) }
        return notes.mapValues { $0.sorted() }
    }

    /// A store made through the library, with annotations on words of the first sentence the
    /// reader shows of the first article; closed, so the whole database is in the one file.
    func makeStore(_ name: String, notes: [String]) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let article = try CorpusLoader.loadDefault(paths: [Self.corpus]).articles[0]
        let text = article.text.string
        let store = try AnnotationStore(path: path)
        guard var from = text.range(of: "directly asked Georgia's top elections officials")?.lowerBound else {
            XCTFail("the first article no longer has the sentence the test annotates")
            throw CancellationError()
        }
        for note in notes {
            // Whole words, one after the other, from the start of the text.
            guard let word = text.range(of: "[A-Za-z]+", options: .regularExpression, range: from..<text.endIndex) else { break }
            let start = text.unicodeScalars.distance(from: text.startIndex, to: word.lowerBound)
            let end = text.unicodeScalars.distance(from: text.startIndex, to: word.upperBound)
            try store.create(AnnotationDraft(articleID: article.id, range: start..<end, label: "claim", note: note),
                             text: article.text, session: "setup", annotator: "setup")
            from = word.upperBound
        }
        try store.close()
        // The pool's reading connections are read-only and leave the write-ahead log behind: one
        // plain connection folds it into the file, and removes it when it closes.
        try DatabaseQueue(path: path).writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"), "closing the store leaves the database in one file")
        return path
    }

    // MARK: 1. SIGKILL

    /// One scripted action of the SIGKILL test: the keys, how the status line confirms it, and
    /// what it does to the set of this run's notes.
    struct Step {
        var keys: [[String]]
        var confirms: (String) -> Bool
        var apply: (inout [String]) -> Void
    }

    /// Three annotations, then an edit, a delete, its undo, an undo of the edit and its redo, all
    /// through the panel or the undo keys. `tag` makes the notes unique to one run.
    static func script(_ tag: String) -> [Step] {
        let n0 = tag + "n0", n1 = tag + "n1", n2 = tag + "n2", n0e = tag + "n0e"
        func create(_ digit: String, _ label: String, _ note: String) -> Step {
            Step(keys: [["w", "a", digit], ["-l", note], ["Enter"]],
                 confirms: { $0.hasPrefix("annotated “") && $0.hasSuffix("” as \(label): \(note)") },
                 apply: { $0.append(note) })
        }
        func replace(_ notes: inout [String], _ old: String, _ new: String) {
            notes.removeAll { $0 == old }
            notes.append(new)
        }
        return [
            create("1", "claim", n0),
            create("2", "disputed", n1),
            create("3", "verified", n2),
            // The panel, filtered (n) to the first annotator by name, which is this run's: its
            // rows are n0, n1, n2 in text order. `e` edits the first; typing appends to its note.
            Step(keys: [["A", "n", "e"], ["-l", "e"], ["Enter"]],
                 confirms: { $0.hasPrefix("updated “") && $0.hasSuffix("” as claim: \(n0e)") },
                 apply: { replace(&$0, n0, n0e) }),
            Step(keys: [["A", "n", "j", "d"]],
                 confirms: { $0.hasPrefix("deleted disputed “") && $0.hasSuffix("” (u undoes)") },
                 apply: { $0.removeAll { $0 == n1 } }),
            Step(keys: [["u"]],
                 confirms: { $0.hasPrefix("undo: disputed “") && $0.hasSuffix("” restored") },
                 apply: { $0.append(n1) }),
            // q closes the panel; U undoes the edit (the undone delete is on the redo stack).
            Step(keys: [["q", "U"]],
                 confirms: { $0.hasPrefix("undo: claim “") && $0.hasSuffix("” restored") },
                 apply: { replace(&$0, n0e, n0) }),
            Step(keys: [["C-r"]],
                 confirms: { $0.hasPrefix("redo: claim “") && $0.hasSuffix("” restored") },
                 apply: { replace(&$0, n0, n0e) }),
        ]
    }

    static func state(after count: Int, of steps: [Step]) -> [String] {
        var notes: [String] = []
        for step in steps.prefix(count) { step.apply(&notes) }
        return notes.sorted()
    }

    /// SIGKILL at random moments of scripted annotation runs on one store: after every kill the
    /// store is intact, holds every action the screen had confirmed (and at most the actions sent
    /// after it), no earlier run's annotation changes, and the reader starts again on it.
    func testSIGKILLAtRandomMomentsLosesNoConfirmedAnnotation() throws {
        let env = ProcessInfo.processInfo.environment
        let seed = env["PARALLAX_TEST_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        var rng = SplitMix64(seed: seed)
        print("SIGKILL test seed \(seed) (PARALLAX_TEST_SEED=\(seed) replays it)")
        let kills = 80
        let store = dir.appendingPathComponent("kill.sqlite").path
        let pane = try terminal("exec sleep 600")
        // annotator → notes of each finished run, as found in the store after its kill.
        var recorded: [String: [String]] = [:]
        var readerStartedOnce = false
        var confirmedSteps = 0, runsWithConfirmation = 0, waitedRuns = 0, killsBeforeFirstFrame = 0, killsWithUnconfirmedSteps = 0
        let started = Date()
        runs: for run in 0..<kills {
            let context = "seed \(seed), run \(run)"
            let tag = "k\(run)"
            // Each run its own session and an annotator that sorts before every earlier one.
            let annotator = String(format: "a%03d", 999 - run)
            let steps = Self.script(tag)
            pane.respawn("exec " + Self.annotate(store: store, session: tag, annotator: annotator))
            var sent = 0
            var confirmed = 0
            // Every eighth run (the first on a store that does not exist yet) dies while starting.
            if run % 8 == 0 {
                usleep(UInt32.random(in: 0..<60_000, using: &rng))
                killsBeforeFirstFrame += 1
            } else {
                let first = pane.wait(timeout: 15, "\(context): first frame") { $0.contains("annotating: session \(tag),") }
                guard first.contains("annotating: session \(tag),") else {
                    XCTFail("\(context): the reader did not start on the store the previous kill left")
                    break runs
                }
                readerStartedOnce = true
                XCTAssertEqual(TmuxSession.processName(pane.panePID), "parallax", "\(context): the pane runs the reader itself")
                sent = Int.random(in: 1...steps.count, using: &rng)
                for step in steps.prefix(sent) {
                    Self.send(step.keys, to: pane)
                    usleep(UInt32.random(in: 0..<12_000, using: &rng))
                }
                // Each action shows its own message: the one on screen says how far the run got.
                func confirmedOnScreen() -> Int {
                    let message = TmuxSession.statusMessage(pane.capture())
                    return steps.prefix(sent).lastIndex(where: { $0.confirms(message) }).map { $0 + 1 } ?? 0
                }
                // Every other run waits until the screen has confirmed something, so that kills
                // after confirmed actions happen however slow the machine is; the others are
                // killed at a random moment, often in the middle of writing.
                if run % 2 == 1 {
                    waitedRuns += 1
                    pane.wait(timeout: 15, "\(context): an action confirmed on screen") { _ in confirmedOnScreen() > 0 }
                    confirmed = confirmedOnScreen()
                }
                usleep(UInt32.random(in: 0..<50_000, using: &rng))
                let message = TmuxSession.statusMessage(pane.capture())
                if let i = steps.prefix(sent).lastIndex(where: { $0.confirms(message) }) { confirmed = max(confirmed, i + 1) }
                for word in Self.errorWords where message.contains(word) {
                    XCTFail("\(context): error on the status line before the kill: \(message)")
                }
            }
            let pid = pane.panePID
            XCTAssertEqual(kill(pid, SIGKILL), 0, "\(context): kill -9 \(pid)")
            let deadline = Date().addingTimeInterval(10)
            while !pane.paneDead {
                guard Date() < deadline else {
                    XCTFail("\(context): the reader survived SIGKILL")
                    break runs
                }
                usleep(5_000)
            }
            confirmedSteps += confirmed
            if confirmed > 0 { runsWithConfirmation += 1 }
            if confirmed < sent { killsWithUnconfirmedSteps += 1 }

            // The store after the kill.
            guard FileManager.default.fileExists(atPath: store) else {
                XCTAssertFalse(readerStartedOnce, "\(context): the store file is gone")
                continue
            }
            let reader: AnnotationStore
            do {
                reader = try AnnotationStore(path: store, options: AnnotationStoreOptions(readOnly: true))
            } catch {
                // Only a kill during the very first start may leave a file that is not a store yet;
                // the next start makes it one.
                if readerStartedOnce { XCTFail("\(context): the store does not open after the kill: \(error)") ; break runs }
                continue
            }
            defer { try? reader.close() }
            let all: [Annotation]
            do {
                XCTAssertEqual(try reader.integrityCheck(), ["ok"], "\(context): integrity_check after the kill")
                all = try reader.allAnnotations()
            } catch {
                if readerStartedOnce { XCTFail("\(context): the store cannot be read after the kill: \(error)"); break runs }
                continue
            }
            var found: [String: [String]] = [:]
            for a in all { found[a.annotator, default: []].append(a.note) }
            found = found.mapValues { $0.sorted() }
            let mine = found[annotator] ?? []
            // At least the confirmed actions, at most the ones sent, and nothing else.
            let allowed = (confirmed...sent).map { Self.state(after: $0, of: steps) }
            if !allowed.contains(mine) {
                XCTFail("\(context): the store holds \(mine) for this run; with \(confirmed) of \(sent) actions confirmed on screen it must hold one of \(allowed)")
            }
            recorded[annotator] = mine.isEmpty ? nil : mine
            if found != recorded {
                XCTFail("\(context): earlier runs' annotations changed: store \(found.sorted { $0.key < $1.key }), expected \(recorded.sorted { $0.key < $1.key })")
                recorded = found
            }
        }

        // The reader still starts, and quits cleanly, on the store all those kills left. (Its exit
        // line may scroll into the history: the dead pane's screen is kept across respawns.)
        pane.respawn(Self.annotate(store: store, session: "after", annotator: "after") + "; echo EXIT=$?")
        pane.waitFor("annotating: session after,", timeout: 15)
        pane.send("q")
        pane.wait(history: true, "seed \(seed): the reader quits with status 0") { $0.contains("EXIT=0") }
        let final = try contents(of: store)
        XCTAssertEqual(final, recorded, "seed \(seed): the store at the end")
        let total = final.values.reduce(0) { $0 + $1.count }
        // The screen must have confirmed actions in most runs: otherwise this test proves little.
        XCTAssertGreaterThanOrEqual(runsWithConfirmation, waitedRuns, "seed \(seed): too few runs confirmed anything before the kill")
        XCTAssertGreaterThanOrEqual(waitedRuns, kills / 3, "seed \(seed): too few runs reached the reader")
        print("SIGKILL test: \(kills) kills (\(killsBeforeFirstFrame) while starting, \(killsWithUnconfirmedSteps) with actions sent but not yet confirmed), \(confirmedSteps) confirmed actions, \(total) annotations, \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    // MARK: 2. Signals

    /// SIGINT, SIGTERM and SIGHUP with the form open on an unsaved note: the terminal comes back
    /// (normal screen, cursor shown, mouse and keypad modes off), the exit status is 128+signal,
    /// and the confirmed annotation is in an intact store.
    func testSignalsRestoreTheTerminalAndKeepConfirmedAnnotations() throws {
        let store = dir.appendingPathComponent("signals.sqlite").path
        var expected: [String] = []
        for (sig, name) in [(SIGINT, "INT"), (SIGTERM, "TERM"), (SIGHUP, "HUP")] {
            let s = try terminal(Self.annotate(store: store, session: "sig\(name)", annotator: "tester") + "; echo EXIT=$?; sleep 60")
            s.waitFor("annotating: session sig\(name),")
            guard let pid = s.waitForProcess(named: "parallax") else { return }
            Self.annotateNextWord(s, label: 1, note: "saved\(name)")
            expected.append("saved\(name)")
            Self.send([["w", "a", "2"], ["-l", "unsaved\(name)"]], to: s)
            s.waitFor("note▸ unsaved\(name)")
            XCTAssertEqual(s.display("#{alternate_on}"), "1", "the reader uses the alternate screen")
            XCTAssertEqual(kill(pid, sig), 0)
            let screen = s.waitFor("EXIT=\(128 + sig)")
            XCTAssertEqual(s.display("#{alternate_on}"), "0", "SIG\(name): still on the alternate screen:\n\(screen)")
            XCTAssertEqual(s.display("#{cursor_flag}"), "1", "SIG\(name): cursor left hidden")
            XCTAssertEqual(s.display("#{mouse_any_flag}"), "0", "SIG\(name): mouse reporting left on")
            XCTAssertEqual(s.display("#{keypad_flag}") + s.display("#{keypad_cursor_flag}"), "00", "SIG\(name): keypad mode left on")
            XCTAssertFalse(screen.contains("note▸") || screen.contains("ANNOTATE"), "SIG\(name): the reader's screen is still shown:\n\(screen)")
            XCTAssertEqual(try contents(of: store), ["tester": expected.sorted()], "SIG\(name)")
            s.kill()
        }
    }

    // MARK: 3. Two readers on one store

    /// Two readers on one store, as two annotators: both save, neither reports an error, each
    /// shows the other's annotations (the panel, and the idle refresh with no key pressed), also
    /// when both save at the same moment.
    func testTwoReadersOnOneStoreSeeEachOther() throws {
        let store = dir.appendingPathComponent("shared.sqlite").path
        // Tall enough for the panel to list all 23 annotations. Bob starts once alice has made the store.
        let alice = try terminal(Self.annotate(store: store, session: "pair", annotator: "alice") + "; echo EXIT=$?; sleep 60", height: 40)
        alice.waitFor("annotating: session pair, annotator alice")
        let bob = try terminal(Self.annotate(store: store, session: "pair", annotator: "bob") + "; echo EXIT=$?; sleep 60", height: 40)
        bob.waitFor("annotating: session pair, annotator bob")
        Self.annotateNextWord(alice, label: 1, note: "alice-one")
        Self.send([["w"]], to: bob)
        Self.annotateNextWord(bob, label: 2, note: "bob-one")

        alice.send("A")
        alice.wait("alice's panel shows bob's annotation") { $0.contains("Annotations 2 —") && $0.contains("bob-one") }
        bob.send("A")
        bob.wait("bob's panel shows alice's annotation") { $0.contains("Annotations 2 —") && $0.contains("alice-one") }

        // Bob saves while alice's panel stays open and she presses nothing: the idle refresh shows it.
        bob.send("q")
        Self.annotateNextWord(bob, label: 3, note: "bob-two")
        alice.wait(timeout: 5, "alice's open panel picks up bob-two by itself") {
            $0.contains("Annotations 3 —") && $0.contains("bob-two")
        }

        // Both save ten annotations at the same moment: every one is confirmed, none fails on the lock.
        alice.send("q")
        for i in 1...10 {
            Self.send([["w", "a", "1"], ["-l", "alice-b\(i)"], ["Enter"]], to: alice)
            Self.send([["w", "a", "2"], ["-l", "bob-b\(i)"], ["Enter"]], to: bob)
        }
        for (s, who) in [(alice, "alice"), (bob, "bob")] {
            s.wait("\(who)'s last save") { TmuxSession.statusMessage($0).hasSuffix(": \(who)-b10") }
            s.send("A")
            let panel = s.wait("\(who)'s panel lists all 23") { $0.contains("Annotations 23 —") }
            for note in ["alice-one", "bob-one", "bob-two"] + (1...10).flatMap({ ["alice-b\($0)", "bob-b\($0)"] }) {
                XCTAssertTrue(panel.contains(note), "\(who)'s panel lacks \(note):\n\(panel)")
            }
            for word in Self.errorWords {
                XCTAssertFalse(panel.contains(word), "\(who)'s screen shows an error:\n\(panel)")
            }
            s.send("q", "q")
            s.waitFor("EXIT=0")
        }
        XCTAssertEqual(try contents(of: store), [
            "alice": (["alice-one"] + (1...10).map { "alice-b\($0)" }).sorted(),
            "bob": (["bob-one", "bob-two"] + (1...10).map { "bob-b\($0)" }).sorted(),
        ])
    }

    /// Three readers started at the same moment on a store that does not exist yet: they create
    /// it together and all start (none loses the race for its first set-up).
    func testReadersCreatingOneNewStoreTogetherAllStart() throws {
        let s = try terminal("exec sleep 600")
        s.tmux(["new-window", "-d", "-t", "\(s.name):1", "exec sleep 600"])
        s.tmux(["new-window", "-d", "-t", "\(s.name):2", "exec sleep 600"])
        let panes = ["\(s.name):0", "\(s.name):1", "\(s.name):2"]
        for round in 0..<30 {
            let store = dir.appendingPathComponent("new\(round).sqlite").path
            // One tmux command line starts both, so they open the store within a millisecond or two.
            var args: [String] = []
            for (i, pane) in panes.enumerated() {
                if i > 0 { args.append(";") }
                args += ["respawn-pane", "-k", "-t", pane,
                         Self.annotate(store: store, session: "new", annotator: "r\(i)") + "; echo EXIT=$?; sleep 60"]
            }
            s.tmux(args)
            for (i, pane) in panes.enumerated() {
                let deadline = Date().addingTimeInterval(10)
                var screen = ""
                repeat {
                    screen = s.tmux(["capture-pane", "-p", "-t", pane]).output
                    if screen.contains("annotating: session new, annotator r\(i)") || screen.contains("EXIT=") { break }
                    usleep(20_000)
                } while Date() < deadline
                XCTAssertTrue(screen.contains("annotating: session new, annotator r\(i)"),
                              "round \(round): reader \(i) did not start on the new store:\n\(screen)")
            }
            XCTAssertEqual(try contents(of: store), [:], "round \(round)")
        }
    }

    /// What a crash in the very first transaction of a new store leaves (the SIGKILL test hits it
    /// now and then when it kills a reader that is creating the store): a one-page database and
    /// the hot rollback journal of a transaction that began on an empty file. The next start
    /// recovers it and makes the store.
    func testStoreWhoseCreationWasInterruptedOpens() throws {
        let path = dir.appendingPathComponent("interrupted.sqlite").path
        try DatabaseQueue(path: path).writeWithoutTransaction { _ = try String.fetchOne($0, sql: "PRAGMA journal_mode = WAL") }
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int), 4096)
        // Journal header: magic, 0 records, nonce, 0 pages before the transaction, sector and page size.
        var journal: [UInt8] = [0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78,
                                0, 0, 0, 0, 0, 0, 0x02, 0x00, 0, 0, 0x10, 0x00]
        journal += [UInt8](repeating: 0, count: 512 - journal.count)
        try Data(journal).write(to: URL(fileURLWithPath: path + "-journal"))

        let s = try terminal(Self.annotate(store: path, session: "again", annotator: "tester") + "; echo EXIT=$?; sleep 60")
        s.waitFor("annotating: session again,")
        Self.annotateNextWord(s, label: 1, note: "after-the-crash")
        s.send("q")
        s.waitFor("EXIT=0")
        XCTAssertEqual(try contents(of: path), ["tester": ["after-the-crash"]])
    }

    // MARK: 4. Unusable and read-only stores

    /// Files that are not usable annotation stores: `parallax annotate` prints one line naming
    /// the file on standard error, exits 1, and leaves the file as it was.
    func testUnusableStoresAreOneLineAndLeftUnchanged() throws {
        let real = try makeStore("real.sqlite", notes: ["one", "two", "three", "four"])
        let realBytes = try Data(contentsOf: URL(fileURLWithPath: real))
        XCTAssertGreaterThanOrEqual(realBytes.count, 4 * 4096, "the real store spans several pages")
        // Each file, and a word of the reason the message gives.
        var cases: [(name: String, bytes: Data, reason: String)] = []

        cases.append(("text.sqlite", Data("this is not a database, only a line of text long enough to be mistaken for one\n".utf8), "not an SQLite database"))
        var rng = SplitMix64(seed: 7)
        cases.append(("noise.sqlite", Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &rng) }), "not an SQLite database"))
        cases.append(("truncated.sqlite", realBytes.prefix(realBytes.count / 2), "truncated"))
        // The header is intact; every page after the first is overwritten.
        var corrupt = realBytes
        for i in 4096..<corrupt.count { corrupt[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
        cases.append(("corrupt.sqlite", corrupt, "corrupt"))
        // A newer schema: a copy of the real store with user_version 99.
        let newer = dir.appendingPathComponent("newer.sqlite").path
        try realBytes.write(to: URL(fileURLWithPath: newer))
        try DatabaseQueue(path: newer).write { try $0.execute(sql: "PRAGMA user_version = 99") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: newer + "-wal"))
        cases.append(("newer.sqlite", try Data(contentsOf: URL(fileURLWithPath: newer)), "newer Parallax"))
        // Another application's database.
        let other = dir.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: other).write {
            try $0.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')")
        }
        cases.append(("other.sqlite", try Data(contentsOf: URL(fileURLWithPath: other)), "not a Parallax annotation store"))

        for (name, bytes, reason) in cases {
            let path = dir.appendingPathComponent(name).path
            try bytes.write(to: URL(fileURLWithPath: path))
            let r = TmuxSession.runSplit([TmuxSession.binary, "annotate", "--session", "s", "--store", path, Self.corpus])
            XCTAssertEqual(r.status, 1, "\(name): \(r.errors)")
            XCTAssertEqual(r.output, "", name)
            let lines = r.errors.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertTrue(lines.count == 2 && lines[1].isEmpty && lines[0].contains(path),
                          "\(name): one line naming the file on standard error, got:\n\(r.errors)")
            XCTAssertTrue(r.errors.contains(reason), "\(name): the message should say \(reason): \(r.errors)")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes, "\(name) was changed")
        }
        // --verbose adds what SQLite says, indented under the one line; the file stays as it was.
        let path = dir.appendingPathComponent("corrupt.sqlite").path
        for args in [["annotate", "--session", "s", "--verbose", "--store", path, Self.corpus],
                     ["annotations", "export", "--format", "jsonl", "--verbose", "--store", path, Self.corpus]] {
            let r = TmuxSession.runSplit([TmuxSession.binary] + args)
            XCTAssertEqual(r.status, 1, r.errors)
            let lines = r.errors.split(separator: "\n").map(String.init)
            XCTAssertGreaterThan(lines.count, 1, "\(args[0]): no details:\n\(r.errors)")
            XCTAssertTrue(lines[0].contains(path) && lines[0].contains("corrupt"), r.errors)
            XCTAssertTrue(lines.dropFirst().allSatisfy { $0.hasPrefix("  integrity_check: ") || $0.hasPrefix("  SQLite: ") }, r.errors)
            XCTAssertFalse(lines.dropFirst().contains { $0.hasSuffix(": ok") }, "a corrupt file passed the check:\n\(r.errors)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), corrupt, "--verbose changed the file")
    }

    /// A store file without write permission opens read-only: the reader says so, shows the
    /// annotations in it, refuses to open the form, and leaves the file as it was.
    func testReadOnlyStoreShowsAnnotationsAndRefusesChanges() throws {
        let path = try makeStore("ro.sqlite", notes: ["ro-first-note"])
        XCTAssertEqual(chmod(path, 0o444), 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let s = try terminal(Self.annotate(store: path, session: "ro", annotator: "tester") + "; echo EXIT=$?; sleep 60", width: 400)
        let screen = s.waitFor("annotation store \(path) is read-only: annotations are shown but cannot be changed")
        // The annotated first word carries the gutter mark.
        XCTAssertTrue(screen.contains("┃"), "no gutter mark:\n\(screen)")
        s.send("A")
        s.wait("the panel lists the stored annotation") { $0.contains("Annotations 1 —") && $0.contains("ro-first-note") }
        s.send("q")
        s.send("w", "a")
        let refused = s.waitFor("the annotation store is read-only: \(path)")
        XCTAssertFalse(refused.contains("Annotate —") || refused.contains("ANNOTATE"), "the form opened on a read-only store:\n\(refused)")
        s.send("q")
        s.waitFor("EXIT=0")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the read-only store was changed")
        XCTAssertEqual(try contents(of: path), ["setup": ["ro-first-note"]])
    }

    /// A store in a folder the user cannot write (a shared, read-only copy of a project):
    /// SQLite cannot make its journal beside it, yet the reader opens it read-only, says so and
    /// lists its annotations, and `annotations export` writes them; nothing appears in the folder.
    func testStoreInAReadOnlyFolderOpensReadOnlyAndExports() throws {
        let folder = dir.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try makeStore("rof.sqlite", notes: ["rof-note"])
        let path = folder.appendingPathComponent("rof.sqlite").path
        try FileManager.default.moveItem(atPath: made, toPath: path)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: made + suffix) }
        // The file itself is writable: only the folder is not.
        XCTAssertEqual(chmod(path, 0o666), 0)
        // Root writes to any folder: as root, the reader runs as nobody, from copies of the binary
        // and the corpus that user can reach.
        var binary = TmuxSession.binary, corpus = Self.corpus, asUser: [String] = []
        if getuid() == 0 {
            binary = dir.appendingPathComponent("parallax").path
            corpus = dir.appendingPathComponent("corpus").path
            try FileManager.default.copyItem(atPath: TmuxSession.binary, toPath: binary)
            try FileManager.default.copyItem(atPath: Self.corpus, toPath: corpus)
            XCTAssertEqual(chmod(dir.path, 0o755), 0)
            asUser = ["runuser", "-u", "nobody", "--"]
        }
        XCTAssertEqual(chmod(folder.path, 0o555), 0)
        defer { chmod(folder.path, 0o755) }
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()

        let export = TmuxSession.runSplit(asUser + [binary, "annotations", "export", "--format", "csv", "--store", path, corpus])
        XCTAssertEqual(export.status, 0, export.errors)
        XCTAssertTrue(export.output.contains("rof-note"), export.output)

        let quoted = asUser.joined(separator: " ") + " '\(binary)' annotate --session ro --annotator tester --store '\(path)' --panes 1 '\(corpus)'"
        let s = try terminal(quoted + "; echo EXIT=$?; sleep 60", width: 400)
        s.waitFor("annotation store \(path) is in a read-only folder: annotations are shown but cannot be changed")
        s.send("A")
        s.wait("the panel lists the stored annotation") { $0.contains("Annotations 1 —") && $0.contains("rof-note") }
        s.send("q")
        s.send("q")
        s.waitFor("EXIT=0")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), before, "files appeared in the read-only folder")
    }

    // MARK: 5. A write the file system refuses

    /// Raises the soft file-size limit of another process to its (unlimited) hard limit with
    /// prlimit(2), looked up at run time (Glibc's module does not export it).
    static func liftFileSizeLimit(_ pid: pid_t) -> Bool {
        typealias Prlimit = @convention(c) (pid_t, Int32, UnsafePointer<rlimit>?, UnsafeMutablePointer<rlimit>?) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "prlimit") else { return false }
        var unlimited = rlimit(rlim_cur: rlim_t.max, rlim_max: rlim_t.max)  // RLIM_INFINITY
        return unsafeBitCast(symbol, to: Prlimit.self)(pid, Int32(RLIMIT_FSIZE.rawValue), &unlimited, nil) == 0
    }

    /// The reader runs with a file-size limit (SIGXFSZ ignored, so the write fails with EFBIG
    /// rather than killing it): the store opens and the first saves work, then one fails. The
    /// form stays open with the typed note and says `not saved:`; once the limit is lifted,
    /// Enter saves it, and every confirmed annotation is in the intact store.
    func testFailedWriteKeepsTheNoteAndEnterRetries() throws {
        let path = try makeStore("full.sqlite", notes: ["existing"])
        // 80 blocks of 512 bytes (POSIX units for `ulimit -f`): room for the 32 KiB WAL index and
        // for a first commit to the write-ahead log, not for many more. Only the soft limit, so
        // the test can lift it again without privileges.
        let limit = 80
        let command = "/bin/sh -c \"trap '' XFSZ; ulimit -S -f \(limit); exec \(Self.annotate(store: path, session: "full", annotator: "tester"))\"; echo EXIT=$?; sleep 60"
        let s = try terminal(command, width: 400)
        s.waitFor("annotating: session full,")
        guard let pid = s.waitForProcess(named: "parallax") else { return }
        var saved: [String] = []
        var failed: String?
        for i in 1...8 {
            let note = "fz\(i)"
            Self.send([["w", "a", "1"], ["-l", note], ["Enter"]], to: s)
            let screen = s.wait("\(note) saved or refused") {
                let m = TmuxSession.statusMessage($0)
                return m.hasSuffix(": \(note)") || m.hasPrefix("not saved:")
            }
            if TmuxSession.statusMessage(screen).hasPrefix("not saved:") {
                failed = note
                XCTAssertTrue(screen.contains("note▸ \(note)"), "the form lost the note:\n\(screen)")
                XCTAssertTrue(screen.contains("Annotate —"), "the form closed:\n\(screen)")
                let message = TmuxSession.statusMessage(screen)
                XCTAssertTrue(message.hasPrefix("not saved: parallax: could not save to annotation store \(path): ")
                              && message.hasSuffix("(Enter retries, Esc cancels)"), message)
                break
            }
            saved.append(note)
        }
        XCTAssertFalse(saved.isEmpty, "no save worked under the limit: the test needs a larger one")
        guard let failed else {
            XCTFail("every save worked under a \(limit)-block file-size limit: the test needs a smaller one")
            return
        }
        // Lift the limit of the running reader; Enter retries the kept note.
        XCTAssertTrue(Self.liftFileSizeLimit(pid), "prlimit failed: errno \(errno)")
        s.send("Enter")
        s.wait("the kept note is saved on retry") { TmuxSession.statusMessage($0).hasSuffix(": \(failed)") && !$0.contains("Annotate —") }
        s.send("q")
        s.waitFor("EXIT=0")
        XCTAssertEqual(try contents(of: path), ["setup": ["existing"], "tester": (saved + [failed]).sorted()])
    }

    /// Another program holds the store's write lock (a long import, a database tool): a save
    /// gives up within a fraction of a second instead of freezing the screen, the form keeps
    /// the note and says why; the reader answers keys meanwhile; once the lock is gone, Enter
    /// saves it.
    func testSaveWhileAnotherProgramHoldsTheLockDoesNotFreeze() throws {
        let path = try makeStore("locked.sqlite", notes: ["existing"])
        let s = try terminal(Self.annotate(store: path, session: "lock", annotator: "tester") + "; echo EXIT=$?; sleep 60", width: 400)
        s.waitFor("annotating: session lock,")
        var config = Configuration()
        config.allowsUnsafeTransactions = true  // the lock is held across calls on purpose
        let holder = try DatabaseQueue(path: path, configuration: config)
        try holder.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        Self.send([["w", "a", "1"], ["-l", "held"], ["Enter"]], to: s)
        let start = Date()
        let screen = s.wait("the save gives up") { TmuxSession.statusMessage($0).hasPrefix("not saved:") }
        XCTAssertLessThan(Date().timeIntervalSince(start), 3, "the save waited for the lock")
        XCTAssertTrue(TmuxSession.statusMessage(screen).contains("another program holds the store locked"), screen)
        XCTAssertTrue(screen.contains("note▸ held"), "the form lost the note:\n\(screen)")
        // Still answering: the note can be edited while the lock is held.
        s.send("-l", "!")
        s.waitFor("note▸ held!")
        try holder.inDatabase { try $0.execute(sql: "ROLLBACK") }
        try holder.close()
        s.send("Enter")
        s.wait("saved once the lock is gone") { TmuxSession.statusMessage($0).hasSuffix(": held!") && !$0.contains("Annotate —") }
        s.send("q")
        s.waitFor("EXIT=0")
        XCTAssertEqual(try contents(of: path), ["setup": ["existing"], "tester": ["held!"]])
    }
}
