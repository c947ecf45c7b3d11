import Foundation
import GRDB
import XCTest

@testable import ParallaxCore

final class AnnotationStoreTests: XCTestCase {
    let text = TextBuffer("The minister said the plan was “fully funded”. Critics disagreed 😀 strongly.\r\nSecond line.")

    func testSHA256KnownVectors() {
        // FIPS 180-4 / NIST CSRC example values.
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Incremental updates across block boundaries give the same digest.
        var h = SHA256()
        let bytes = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        h.update(bytes[0..<3]); h.update(bytes[3..<50]); h.update(bytes[50...])
        XCTAssertEqual(h.finalize().map { String(format: "%02x", $0) }.joined(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func makeStore(_ folder: URL, name: String = "annotations.sqlite") throws -> AnnotationStore {
        try AnnotationStore(path: folder.appendingPathComponent(name).path)
    }

    func testCreateStoresSelectorsAndHash() throws {
        let folder = try makeTempFolder(self)
        let store = try AnnotationStore(corpusRoot: folder.path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".parallax/annotations.sqlite").path))
        let a = try store.create(AnnotationDraft(articleID: "a1", range: 32..<44, label: "claim", note: "check"), text: text, session: "s", annotator: "ann")
        XCTAssertEqual(a.quote.exact, "fully funded")
        XCTAssertEqual(a.quote.prefix, "The minister said the plan was “")
        XCTAssertEqual(a.quote.suffix, "”. Critics disagreed 😀 strongly.")
        XCTAssertEqual(a.contentHash, SHA256.hex(text.bytes))
        XCTAssertEqual(a.position, PositionSelector(start: 32, end: 44))
        XCTAssertTrue(a.created.hasSuffix("Z"))
        XCTAssertEqual(try store.annotations(article: "a1"), [a])
        XCTAssertEqual(try store.annotations(article: "other"), [])
        XCTAssertEqual(try store.snapshot(contentHash: a.contentHash)?.bytes, text.bytes)
        let mode = try store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
        // FULL on the connection that commits: in WAL mode, NORMAL syncs only at checkpoints, so
        // a power cut could lose annotations the reader had confirmed.
        let sync = try store.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        XCTAssertEqual(sync, 2)  // FULL
        XCTAssertThrowsError(try store.create(AnnotationDraft(articleID: "a1", range: 5..<500, label: "x"), text: text, session: "s", annotator: "ann"))
    }

    func testEditDeleteSupersedeAndRowsAreImmutable() throws {
        let folder = try makeTempFolder(self)
        let store = try makeStore(folder)
        let a = try store.create(AnnotationDraft(articleID: "a1", range: 4..<12, label: "claim"), text: text, session: "s", annotator: "ann")
        let b = try store.edit(id: a.id, label: "disputed", note: "two sources", session: "s", annotator: "ann")
        XCTAssertEqual(b.supersedes, a.revision)
        XCTAssertEqual(b.label, "disputed")
        XCTAssertEqual(b.id, a.id)
        XCTAssertEqual(try store.annotations(article: "a1").map(\.label), ["disputed"])
        let moved = try store.edit(id: a.id, range: 0..<3, text: text, session: "s", annotator: "other")
        XCTAssertEqual(moved.quote.exact, "The")
        XCTAssertEqual(moved.revisedBy, "other")
        XCTAssertEqual(moved.annotator, "ann")
        let tomb = try store.delete(id: a.id, session: "s", annotator: "ann")
        XCTAssertTrue(tomb.isDeleted)
        XCTAssertEqual(try store.annotations(article: "a1"), [])
        XCTAssertEqual(try store.history(id: a.id).count, 4)
        XCTAssertThrowsError(try store.delete(id: a.id, session: "s", annotator: "ann"))
        XCTAssertThrowsError(try store.pool.write { try $0.execute(sql: "UPDATE revision SET label = 'x'") })
        XCTAssertThrowsError(try store.pool.write { try $0.execute(sql: "DELETE FROM revision") })
    }

    func testUndoRedoAcrossRestarts() throws {
        let folder = try makeTempFolder(self)
        var store = try makeStore(folder)
        let a = try store.create(AnnotationDraft(articleID: "a1", range: 4..<12, label: "claim"), text: text, session: "s", annotator: "ann")
        try store.edit(id: a.id, label: "disputed", session: "s", annotator: "ann")
        let b = try store.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "verified"), text: text, session: "s", annotator: "ann")
        // Another session's actions are not on this stack.
        let c = try store.create(AnnotationDraft(articleID: "a1", range: 13..<17, label: "claim"), text: text, session: "s2", annotator: "ann")
        try store.delete(id: b.id, session: "s", annotator: "ann")
        try store.close()

        store = try makeStore(folder)
        XCTAssertEqual(try store.undo(session: "s", annotator: "ann")?.isDeleted, false)  // undelete b
        XCTAssertEqual(Set(try store.annotations(article: "a1").map(\.id)), [a.id, b.id, c.id])
        XCTAssertEqual(try store.undo(session: "s", annotator: "ann")?.isDeleted, true)  // uncreate b
        XCTAssertEqual(try store.undo(session: "s", annotator: "ann")?.label, "claim")  // unedit a
        XCTAssertEqual(try store.annotation(id: a.id)?.label, "claim")
        try store.close()

        store = try makeStore(folder)
        XCTAssertTrue(try store.canRedo(session: "s", annotator: "ann"))
        XCTAssertEqual(try store.redo(session: "s", annotator: "ann")?.label, "disputed")
        XCTAssertEqual(try store.redo(session: "s", annotator: "ann")?.id, b.id)
        XCTAssertEqual(try store.annotation(id: b.id)?.isDeleted, false)
        // A new action clears the redo stack.
        try store.edit(id: c.id, note: "n", session: "s", annotator: "ann")
        XCTAssertNil(try store.redo(session: "s", annotator: "ann"))
        // Undo everything of this session: the edit of c, create b, edit a, create a.
        for _ in 0..<4 { XCTAssertNotNil(try store.undo(session: "s", annotator: "ann")) }
        XCTAssertNil(try store.undo(session: "s", annotator: "ann"))
        XCTAssertEqual(try store.annotations(article: "a1").map(\.id), [c.id])
        XCTAssertEqual(try store.annotation(id: c.id)?.note, "")
        // Every step is a row; nothing was changed in place.
        XCTAssertEqual(try store.revisionCount(), 15)
    }

    /// An action on several annotations (the pieces of one selection, every moved annotation
    /// confirmed at once) is undone and redone whole, also after a restart; single actions
    /// around it keep their own steps.
    func testSeveralAnnotationActionIsUndoneWhole() throws {
        let folder = try makeTempFolder(self)
        var store = try makeStore(folder)
        let single = try store.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "ann")
        let pieces = try store.create(
            [0, 10, 20].map { AnnotationDraft(articleID: "a1", range: $0 + 4..<$0 + 8, label: "disputed") }, text: text, session: "s", annotator: "ann")
        XCTAssertEqual(try store.annotations(article: "a1").count, 4)
        XCTAssertEqual(try store.undoAction(session: "s", annotator: "ann").map(\.id), pieces.map(\.id))
        XCTAssertEqual(try store.annotations(article: "a1").map(\.id), [single.id], "one undo removes every piece")
        try store.close()
        store = try makeStore(folder)
        XCTAssertEqual(try store.redoAction(session: "s", annotator: "ann").count, 3)
        XCTAssertEqual(try store.annotations(article: "a1").count, 4)

        // Confirming several at new places: one action.
        let placed = try store.place(pieces.map { (id: $0.id, range: $0.range.lowerBound + 1..<$0.range.upperBound + 1) }, text: text, session: "s", annotator: "ann")
        XCTAssertEqual(placed.map(\.position.start), pieces.map { $0.position.start + 1 })
        try store.close()
        store = try makeStore(folder)
        XCTAssertEqual(try store.undoAction(session: "s", annotator: "ann").count, 3)
        XCTAssertEqual(try pieces.map { try store.annotation(id: $0.id)?.position.start }, pieces.map(\.position.start))
        // Then the creation of the pieces, then the single one: one step each.
        XCTAssertEqual(try store.undoAction(session: "s", annotator: "ann").count, 3)
        XCTAssertEqual(try store.undoAction(session: "s", annotator: "ann").map(\.id), [single.id])
        XCTAssertEqual(try store.undoAction(session: "s", annotator: "ann"), [])
        XCTAssertTrue(try store.annotations(article: "a1").isEmpty)
    }

    /// An adjudicator writes the gold layer: annotations owned by `goldLayer`, the adjudicator
    /// recorded as the one who wrote them; the annotators' own rows are untouched.
    func testAdjudicatorWritesTheGoldLayer() throws {
        let folder = try makeTempFolder(self)
        let store = try makeStore(folder)
        let ann = try store.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "ann")
        let gold = try store.create(
            AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim", note: "from ann"), text: text, session: "adj", annotator: "judy",
            owner: AnnotationStore.goldLayer)
        XCTAssertEqual(gold.annotator, AnnotationStore.goldLayer)
        XCTAssertEqual(gold.revisedBy, "judy")
        XCTAssertEqual(try store.history(id: ann.id).count, 1, "the original has one revision still")
        XCTAssertEqual(try store.undo(session: "adj", annotator: "judy")?.isDeleted, true, "the adjudicator's undo covers the gold layer")
    }

    func testArticleAnnotationsMatchTheNewestRevisionOfEach() throws {
        let folder = try makeTempFolder(self)
        let store = try makeStore(folder)
        // Out of position order, over two articles, then edited, moved, deleted, undone and redone.
        var ids: [String] = []
        for (i, start) in [40, 3, 20, 3, 60, 11, 33].enumerated() {
            let article = i % 3 == 2 ? "a2" : "a1"
            ids.append(try store.create(AnnotationDraft(articleID: article, range: start..<start + 5, label: "claim"), text: text, session: "s", annotator: "ann").id)
        }
        try store.edit(id: ids[0], label: "disputed", session: "s", annotator: "ann")
        try store.edit(id: ids[0], note: "twice", session: "s", annotator: "bob")
        try store.edit(id: ids[1], range: 50..<57, text: text, session: "s", annotator: "ann")
        try store.delete(id: ids[3], session: "s", annotator: "ann")
        try store.delete(id: ids[4], session: "s", annotator: "ann")
        try store.undo(session: "s", annotator: "ann")  // the delete of ids[4]
        try store.undo(session: "s", annotator: "ann")  // the delete of ids[3]
        try store.redo(session: "s", annotator: "ann")  // deletes ids[3] again
        // The reference: each annotation's newest revision, as one query with a lookup per row.
        func reference(_ article: String) throws -> [Annotation] {
            try store.pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.* FROM revision r WHERE r.article_id = ?
                        AND r.seq = (SELECT max(seq) FROM revision WHERE annotation_id = r.annotation_id)
                        AND r.deleted = 0 ORDER BY r.start_offset, r.end_offset, r.seq
                        """, arguments: [article]
                ).map(AnnotationStore.annotation)
            }
        }
        for article in ["a1", "a2", "none"] {
            XCTAssertEqual(try store.annotations(article: article), try reference(article), article)
        }
        XCTAssertEqual(try store.annotations(article: "a1").map(\.position.start), [33, 40, 50, 60])
        XCTAssertEqual(try store.annotation(id: ids[0])?.note, "twice")
    }

    func testTwoInstancesWriteAndSeeEachOther() throws {
        let folder = try makeTempFolder(self)
        let one = try makeStore(folder)
        let two = try makeStore(folder)
        let group = DispatchGroup()
        let failures = LockedCounter()
        let text = self.text
        for store in [one, two] {
            group.enter()
            DispatchQueue.global().async {
                for i in 0..<50 {
                    do {
                        try store.create(AnnotationDraft(articleID: "a1", range: i % 20..<(i % 20 + 3), label: "claim"), text: text, session: "s", annotator: store === one ? "one" : "two")
                    } catch { failures.add() }
                }
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(failures.value, 0)
        XCTAssertTrue(try one.refresh())
        XCTAssertFalse(try one.refresh())
        XCTAssertTrue(try two.refresh())
        XCTAssertEqual(try one.annotations(article: "a1").count, 100)
        XCTAssertEqual(try two.annotations(article: "a1").count, 100)
        let x = try two.create(AnnotationDraft(articleID: "a2", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "two")
        XCTAssertFalse(try two.refresh())
        XCTAssertTrue(try one.refresh())
        XCTAssertEqual(try one.annotations(article: "a2"), [x])
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func assertUnreadable(_ path: String, contains fragment: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try bytes(path)
        XCTAssertThrowsError(try AnnotationStore(path: path), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(path), message, file: file, line: line)
            XCTAssertTrue(message.contains(fragment), message, file: file, line: line)
        }
        XCTAssertEqual(try bytes(path), before, "file changed", file: file, line: line)
    }

    func testBadFilesAreReportedAndLeftUnchanged() throws {
        let folder = try makeTempFolder(self)
        // Not SQLite at all.
        let junk = try write("hello, this is not a database\n", to: folder, "junk.sqlite")
        try assertUnreadable(junk, contains: "not an SQLite database")
        // A real store, truncated.
        let good = folder.appendingPathComponent("good.sqlite").path
        let store = try AnnotationStore(path: good)
        for i in 0..<300 {
            try store.create(AnnotationDraft(articleID: "a\(i)", range: 0..<10, label: "claim", note: String(repeating: "n", count: 200)), text: text, session: "s", annotator: "a")
        }
        try store.close()
        let full = try bytes(good)
        let truncated = folder.appendingPathComponent("truncated.sqlite").path
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: truncated))
        try assertUnreadable(truncated, contains: "truncated")
        // Corrupted pages in the middle (header intact).
        var damaged = full
        for i in 4096..<min(full.count, 4096 * 6) { damaged[i] = UInt8(truncatingIfNeeded: i &* 31) }
        let corrupt = folder.appendingPathComponent("corrupt.sqlite").path
        try damaged.write(to: URL(fileURLWithPath: corrupt))
        try assertUnreadable(corrupt, contains: "corrupt")
        // Another application's SQLite database.
        let other = folder.appendingPathComponent("other.sqlite").path
        let queue = try DatabaseQueue(path: other)
        try queue.write { try $0.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        try queue.close()
        try assertUnreadable(other, contains: "not a Parallax annotation store")
        // The intact store still opens.
        XCTAssertEqual(try AnnotationStore(path: good).annotations(article: "a1").count, 1)
    }

    func testCheckInBackgroundGivesTheSameVerdictAndNeverWritesACorruptFile() throws {
        let folder = try makeTempFolder(self)
        let good = folder.appendingPathComponent("good.sqlite").path
        let store = try AnnotationStore(path: good)
        for i in 0..<300 {
            try store.create(AnnotationDraft(articleID: "a\(i)", range: 0..<10, label: "claim", note: String(repeating: "n", count: 200)), text: text, session: "s", annotator: "a")
        }
        try store.close()
        let background = AnnotationStoreOptions(verifyInBackground: true)
        // Intact: readable at once, writable, and the check passes.
        let intact = try AnnotationStore(path: good, options: background)
        XCTAssertEqual(try intact.annotations(article: "a7").count, 1)
        XCTAssertNoThrow(try intact.waitForVerification())
        XCTAssertNoThrow(try intact.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "a"))
        try intact.close()
        // Damaged beyond the header: the check fails, on opening or when waited for, and no write gets through.
        var damaged = try bytes(good)
        for i in 4096 * 3..<min(damaged.count, 4096 * 8) { damaged[i] = UInt8(truncatingIfNeeded: i &* 31) }
        let corrupt = folder.appendingPathComponent("corrupt.sqlite").path
        try damaged.write(to: URL(fileURLWithPath: corrupt))
        do {
            let opened = try AnnotationStore(path: corrupt, options: background)
            XCTAssertThrowsError(try opened.waitForVerification()) { XCTAssertTrue("\($0)".contains("corrupt"), "\($0)") }
            XCTAssertThrowsError(try opened.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "a")) {
                XCTAssertTrue("\($0)".contains("corrupt"), "\($0)")
            }
            try? opened.close()
        } catch {
            XCTAssertTrue("\(error)".contains(corrupt), "\(error)")
        }
        XCTAssertEqual(try bytes(corrupt), damaged, "file changed")
    }

    func testNewerSchemaIsRefusedAndLeftUnchanged() throws {
        let folder = try makeTempFolder(self)
        let path = folder.appendingPathComponent("newer.sqlite").path
        let store = try AnnotationStore(path: path)
        try store.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "a")
        try store.pool.write { db in
            try db.execute(sql: "PRAGMA user_version = 7")
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v7')")
        }
        try store.close()
        try assertUnreadable(path, contains: "newer Parallax (schema 7")
        // A migration unknown to this version is refused too, whatever user_version says.
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "PRAGMA user_version = 1") }
        try queue.close()
        try assertUnreadable(path, contains: "newer Parallax")
    }

    func testZeroLengthFileIsANewStore() throws {
        let folder = try makeTempFolder(self)
        let path = try write("", to: folder, "empty.sqlite")
        let store = try AnnotationStore(path: path)
        try store.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "a")
        XCTAssertEqual(try store.annotations(article: "a1").count, 1)
    }

    func testReadOnlyFileOpensReadOnly() throws {
        let folder = try makeTempFolder(self)
        let path = folder.appendingPathComponent("ro.sqlite").path
        let store = try AnnotationStore(path: path)
        let a = try store.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "a")
        try store.close()
        chmod(path, 0o444)
        defer { chmod(path, 0o644) }
        let before = try bytes(path)
        let ro = try AnnotationStore(path: path)
        XCTAssertTrue(ro.isReadOnly)
        XCTAssertTrue(ro.openMessage?.contains("read-only") == true)
        XCTAssertTrue(ro.openMessage?.contains(path) == true)
        XCTAssertEqual(try ro.annotations(article: "a1"), [a])
        XCTAssertThrowsError(try ro.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "a")) { error in
            XCTAssertEqual(error as? AnnotationStoreError, .readOnly(path: path))
        }
        try ro.close()
        XCTAssertEqual(try bytes(path), before)
        // Asked for explicitly.
        chmod(path, 0o644)
        let asked = try AnnotationStore(path: path, options: .init(readOnly: true))
        XCTAssertTrue(asked.isReadOnly)
    }

    func testFailedWriteIsReportedAndTheDraftCanBeRetried() throws {
        let folder = try makeTempFolder(self)
        let store = try makeStore(folder)
        try store.create(AnnotationDraft(articleID: "a1", range: 0..<3, label: "claim"), text: text, session: "s", annotator: "a")
        // Simulate a full disk: the store may not grow.
        try store.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        let draft = AnnotationDraft(articleID: "a1", range: 4..<12, label: "disputed", note: String(repeating: "a long unsaved note ", count: 2000))
        var failure: AnnotationStoreError?
        for _ in 0..<5 where failure == nil {
            do { try store.create(draft, text: text, session: "s", annotator: "a") } catch { failure = error }
        }
        guard case .writeFailed(let path, let reason)? = failure else { return XCTFail("expected writeFailed, got \(String(describing: failure))") }
        XCTAssertEqual(path, store.path)
        XCTAssertTrue(reason.contains("full"), reason)
        XCTAssertTrue("\(failure!)".contains(store.path))
        // Space again: the same draft saves.
        try store.pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA max_page_count = 1073741823") }
        let saved = try store.create(draft, text: text, session: "s", annotator: "a")
        XCTAssertEqual(try store.annotation(id: saved.id)?.note, draft.note)
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
