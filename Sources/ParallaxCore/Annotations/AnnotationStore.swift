import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A store error with a one-line message that names the store file.
public enum AnnotationStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Corrupt, truncated, not SQLite, or an SQLite file that is not an annotation store. The file is left unchanged.
    case unreadable(path: String, reason: String)
    /// Written by a newer Parallax (schema `found` > `supported`). The file is left unchanged.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The file or its folder could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// A write was attempted on a store opened read-only.
    case readOnly(path: String)
    /// A write failed (disk full, I/O error, lock held too long); nothing of it was saved.
    case writeFailed(path: String, reason: String)
    /// A read failed after opening.
    case readFailed(path: String, reason: String)
    case notFound(path: String, id: String)
    case invalidRange(path: String, range: Range<Int>, length: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "parallax: cannot use annotation store \(path): \(reason); the file was left unchanged"
        case .newerSchema(let path, let found, let supported):
            return "parallax: annotation store \(path) was written by a newer Parallax (schema \(found), this version reads up to \(supported)); the file was left unchanged"
        case .cannotOpen(let path, let reason):
            return "parallax: cannot open annotation store \(path): \(reason)"
        case .readOnly(let path):
            return "parallax: annotation store \(path) is read-only; nothing was saved"
        case .writeFailed(let path, let reason):
            return "parallax: could not save to annotation store \(path): \(reason); nothing was lost, try again"
        case .readFailed(let path, let reason):
            return "parallax: could not read annotation store \(path): \(reason)"
        case .notFound(let path, let id):
            return "parallax: no annotation \(id) in \(path)"
        case .invalidRange(let path, let range, let length):
            return "parallax: range \(range.lowerBound)..<\(range.upperBound) is outside the article (\(length) characters) for \(path)"
        }
    }
}

/// Options for opening an annotation store.
public struct AnnotationStoreOptions: Sendable {
    /// Open read-only even when the file is writable.
    public var readOnly: Bool
    /// How long a write waits for another instance holding the write lock.
    public var busyTimeout: TimeInterval
    /// Run `PRAGMA quick_check` when opening an existing store (catches damage beyond the header).
    public var verifyOnOpen: Bool
    /// With `verifyOnOpen`, run that check (tens of milliseconds for a large store) on another
    /// thread: `init` returns after the cheap checks and reading can start, every write waits
    /// for the check, and `waitForVerification()` throws what `init` would have. For a caller
    /// with other work to do meanwhile; a corrupt file is still never written.
    public var verifyInBackground: Bool
    /// Read the file as one that cannot change (set when its folder is not writable, where a
    /// WAL store's side files cannot be made).
    var immutable = false

    /// How long the interactive reader's saves wait for another program's lock: long enough
    /// for another reader's save (one short transaction), short enough not to freeze the screen.
    /// A save that times out keeps its note in the form, which says so; Enter retries.
    public static let interactiveBusyTimeout: TimeInterval = 0.25

    public init(readOnly: Bool = false, busyTimeout: TimeInterval = 10, verifyOnOpen: Bool = true, verifyInBackground: Bool = false) {
        self.readOnly = readOnly
        self.busyTimeout = busyTimeout
        self.verifyOnOpen = verifyOnOpen
        self.verifyInBackground = verifyInBackground
    }
}

/// Annotations in an SQLite file (WAL, `synchronous = FULL`), through GRDB.
///
/// Rows are never changed: creating, editing, deleting, undoing and redoing each insert one
/// revision row in one transaction, committed durably before the call returns. The newest
/// revision of an annotation (largest `seq`) is its current state; a tombstone (`deleted = 1`)
/// means it is deleted. Several instances (threads or processes) may use one file at once.
///
/// Undo and redo are per (session, annotator) and are computed from the rows themselves, so they
/// survive restarts: replaying that pair's revisions in order, `create`/`edit`/`delete` push on
/// the undo stack and clear the redo stack; an `undo` row moves its target from the undo stack to
/// the redo stack and a `redo` row moves it back. `undo` takes the top action A and inserts a
/// revision restoring the state A replaced (a tombstone when A created the annotation); `redo`
/// takes the top of the redo stack and inserts a revision with A's state again. Both supersede
/// the annotation's newest revision, whoever wrote it (last writer wins).
///
/// One action may change several annotations (the visible pieces of one selection, every moved
/// annotation of an article confirmed at once): its `create`/`edit` rows after the first name
/// the first in `target`, so replay keeps them together, and one undo or redo inserts a row for
/// each of them in one transaction.
///
/// The gold layer of an adjudication is annotations whose `annotator` is `goldLayer`; the
/// adjudicator who wrote each revision is its `revised_by`. Adjudicating copies an annotator's
/// label into that layer, so the originals are never altered.
///
/// The store also keeps each annotated article text once per content hash, so annotations can
/// be re-anchored by diffing the old text against the new (`anchors(for:)`).
public final class AnnotationStore: @unchecked Sendable {
    public static let schemaVersion = 1
    /// The owner of adjudicated annotations (`parallax annotate --adjudicator NAME`).
    public static let goldLayer = "gold"
    public let path: String
    public let isReadOnly: Bool
    /// Set when the store opened read-only: a line for the status bar.
    public let openMessage: String?

    let pool: DatabasePool
    /// The check of the file still running on another thread (`verifyInBackground`).
    private let verification: Verification?
    private let lock = NSLock()
    private var lastSeenSeq: Int64 = 0

    /// `<corpus>/.parallax/annotations.sqlite`.
    public static func defaultPath(corpusRoot: String) -> String {
        (corpusRoot as NSString).appendingPathComponent(".parallax/annotations.sqlite")
    }

    /// Where the annotations of a corpus live: `<corpus>/.parallax/annotations.sqlite` when the
    /// corpus is one folder, else (the built-in corpus, files named one by one)
    /// `$XDG_DATA_HOME/parallax/annotations.sqlite`, by default under `~/.local/share`. Nil when
    /// neither a corpus folder nor a home folder is known.
    public static func defaultPath(corpusRoot: String?, environment: [String: String]) -> String? {
        if let corpusRoot { return defaultPath(corpusRoot: corpusRoot) }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return (data as NSString).appendingPathComponent("parallax/annotations.sqlite")
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return (home as NSString).appendingPathComponent(".local/share/parallax/annotations.sqlite")
    }

    /// Opens the store of a corpus folder, creating `.parallax/` when needed.
    public convenience init(corpusRoot: String, options: AnnotationStoreOptions = .init()) throws(AnnotationStoreError) {
        try self.init(path: AnnotationStore.defaultPath(corpusRoot: corpusRoot), options: options)
    }

    /// Opens or creates the store at `path`.
    ///
    /// An existing file is checked read-only first; if it is not a usable store (not SQLite,
    /// truncated, corrupt, another application's database, newer schema) the error names it and
    /// the file is not written. A zero-length file counts as a new store (it is what an
    /// interrupted first open leaves behind). A file without write permission opens read-only.
    public init(path: String, options: AnnotationStoreOptions = .init()) throws(AnnotationStoreError) {
        self.path = path
        guard let folder = makeFolder(for: path) else {
            throw .cannotOpen(path: path, reason: "cannot create folder \((path as NSString).deletingLastPathComponent)")
        }
        var st = stat()
        let exists = stat(path, &st) == 0
        var readOnly = options.readOnly
        var message: String? = nil
        var checkLater = false
        // SQLite keeps a WAL store's journal and shared-memory index beside it: in a folder this
        // process cannot write, a store with no pending journal is read as immutable (nothing
        // can be written beside it). With a journal there, SQLite reads it as usual, if it can.
        let folderWritable = access(folder.isEmpty ? "." : folder, W_OK) == 0
        var walStat = stat()
        let pendingJournal = stat(path + "-wal", &walStat) == 0 && walStat.st_size > 0
        var adjusted = options
        adjusted.immutable = exists && !folderWritable && !pendingJournal
        let options = adjusted
        if exists {
            if (st.st_mode & S_IFMT) != S_IFREG {
                throw .unreadable(path: path, reason: "not a regular file")
            }
            if st.st_size > 0 {
                let background = options.verifyOnOpen && options.verifyInBackground
                let found = try AnnotationStore.validate(path: path, size: Int(st.st_size), options: options, quickCheck: !background)
                // Opening writes to a store that is not in WAL mode or not fully migrated yet:
                // that waits for the check.
                if background && (!found.isWAL || !found.isMigrated) {
                    try AnnotationStore.quickCheck(path: path, options: options)
                } else {
                    checkLater = background
                }
            }
            if !readOnly && (access(path, W_OK) != 0 || st.st_mode & 0o222 == 0) {
                readOnly = true
                message = "annotation store \(path) is read-only: annotations are shown but cannot be changed"
            } else if !readOnly && !folderWritable {
                readOnly = true
                message = "annotation store \(path) is in a read-only folder: annotations are shown but cannot be changed"
            }
        } else if options.readOnly {
            throw .cannotOpen(path: path, reason: "no such file")
        }
        if options.readOnly && message == nil {
            message = "annotation store \(path) opened read-only"
        }
        isReadOnly = readOnly
        openMessage = message

        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(options.busyTimeout)
        config.label = "annotations"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try AnnotationStore.openPool(
            path: AnnotationStore.connectionPath(path, options), configuration: config, writable: !readOnly,
            patience: max(options.busyTimeout, 10))
        if checkLater {
            let check = Verification()
            verification = check
            Thread.detachNewThread {
                do throws(AnnotationStoreError) {
                    try AnnotationStore.quickCheck(path: path, options: options)
                    check.finish(nil)
                } catch {
                    check.finish(error)
                }
            }
        } else {
            verification = nil
        }
        lastSeenSeq = (try? pool.read { try Int64.fetchOne($0, sql: "SELECT max(seq) FROM revision") ?? 0 }) ?? 0
    }

    /// Opens the pool and, when writable, makes its commits durable and brings the schema up to date.
    ///
    /// Instances that create the same new store at the same moment race on its first set-up:
    /// switching it to WAL can fail at once with SQLITE_BUSY (SQLite's deadlock avoidance, which
    /// skips the busy timeout), and two may both find the first migration missing, the second then
    /// failing on `table revision already exists`. Neither changed anything, so the loser tries
    /// again (a few times, within `patience`) and finds the work done.
    private static func openPool(path: String, configuration: Configuration, writable: Bool, patience: TimeInterval) throws(AnnotationStoreError) -> DatabasePool {
        let deadline = Date().addingTimeInterval(max(patience, 1))
        var attempt = 0
        while true {
            attempt += 1
            var migrating = false
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                if writable {
                    // GRDB sets `synchronous = NORMAL` on the writing connection when it turns WAL
                    // on, after `prepareDatabase` ran: in WAL mode that syncs only at checkpoints,
                    // so a power cut could lose saves the reader had confirmed. FULL syncs each commit.
                    try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
                    migrating = true
                    try migrator.migrate(pool)
                }
                return pool
            } catch {
                let code = (error as? DatabaseError)?.resultCode
                let race = code == .SQLITE_BUSY || code == .SQLITE_LOCKED || (migrating && code == .SQLITE_ERROR)
                if race && attempt < 10 && Date() < deadline {
                    usleep(useconds_t(10_000 * attempt))
                    continue
                }
                throw migrating ? .writeFailed(path: path, reason: reason(error)) : .cannotOpen(path: path, reason: reason(error))
            }
        }
    }

    /// Waits for the check of a store opened with `verifyInBackground` (at once otherwise) and
    /// throws the error opening would have thrown without that option.
    public func waitForVerification() throws(AnnotationStoreError) {
        try verification?.wait()
    }

    /// The verdict of a check running on another thread.
    private final class Verification: @unchecked Sendable {
        private let condition = NSCondition()
        private var finished = false
        private var failure: AnnotationStoreError?

        func finish(_ error: AnnotationStoreError?) {
            condition.lock()
            failure = error
            finished = true
            condition.broadcast()
            condition.unlock()
        }

        func wait() throws(AnnotationStoreError) {
            condition.lock()
            while !finished { condition.wait() }
            let error = failure
            condition.unlock()
            if let error { throw error }
        }
    }

    // MARK: Schema

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE revision (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        annotation_id TEXT NOT NULL,
                        supersedes INTEGER REFERENCES revision(seq),
                        action TEXT NOT NULL CHECK (action IN ('create', 'edit', 'delete', 'undo', 'redo', 'import')),
                        target INTEGER REFERENCES revision(seq),
                        deleted INTEGER NOT NULL DEFAULT 0,
                        annotator TEXT NOT NULL,
                        session TEXT NOT NULL,
                        created TEXT NOT NULL,
                        revised_by TEXT NOT NULL,
                        revised_session TEXT NOT NULL,
                        revised TEXT NOT NULL,
                        article_id TEXT NOT NULL,
                        content_hash TEXT NOT NULL,
                        label TEXT NOT NULL,
                        note TEXT NOT NULL,
                        exact TEXT NOT NULL,
                        prefix TEXT NOT NULL,
                        suffix TEXT NOT NULL,
                        start_offset INTEGER NOT NULL,
                        end_offset INTEGER NOT NULL
                    );
                    CREATE INDEX revision_annotation ON revision(annotation_id, seq);
                    CREATE INDEX revision_article ON revision(article_id);
                    CREATE INDEX revision_author ON revision(revised_by, revised_session, seq);
                    CREATE TABLE text_snapshot (
                        content_hash TEXT PRIMARY KEY NOT NULL,
                        text BLOB NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TRIGGER revision_immutable BEFORE UPDATE ON revision
                    BEGIN SELECT RAISE(ABORT, 'annotation revisions are immutable'); END;
                    CREATE TRIGGER revision_undeletable BEFORE DELETE ON revision
                    BEGIN SELECT RAISE(ABORT, 'annotation revisions are immutable'); END;
                    PRAGMA user_version = 1;
                    """)
        }
        return migrator
    }

    /// Checks an existing file without writing to it; `quickCheck` adds `PRAGMA quick_check`
    /// when `verifyOnOpen` asks for it. Says whether the file is in WAL mode and fully migrated
    /// (opening it writes nothing).
    private static func validate(
        path: String, size: Int, options: AnnotationStoreOptions, quickCheck: Bool
    ) throws(AnnotationStoreError) -> (isWAL: Bool, isMigrated: Bool) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .cannotOpen(path: path, reason: "cannot read the file")
        }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        try? handle.close()
        guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw .unreadable(path: path, reason: "not an SQLite database")
        }
        let rawPageSize = Int(header[16]) << 8 | Int(header[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0 else {
            throw .unreadable(path: path, reason: "corrupt database header")
        }
        func be32(_ at: Int) -> Int { header[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        let pages = be32(28)
        let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        if walSize == 0 && be32(24) == be32(92) && pages > 0 && size < pages * pageSize {
            throw .unreadable(path: path, reason: "the file is truncated (\(size) of \(pages * pageSize) bytes)")
        }
        // Bytes 18 and 19 (file format write and read versions) are 2 in WAL mode.
        let isWAL = header[18] == 2 && header[19] == 2
        do {
            let queue = try readOnlyQueue(path, options)
            defer { try? queue.close() }
            return try queue.read { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if version > schemaVersion {
                    throw AnnotationStoreError.newerSchema(path: path, found: version, supported: schemaVersion)
                }
                let tables = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if !tables.isEmpty && !tables.contains("revision") && !tables.contains("grdb_migrations") {
                    throw AnnotationStoreError.unreadable(path: path, reason: "an SQLite database that is not a Parallax annotation store")
                }
                if tables.contains("grdb_migrations"), try migrator.hasBeenSuperseded(db) {
                    throw AnnotationStoreError.newerSchema(path: path, found: max(version, schemaVersion + 1), supported: schemaVersion)
                }
                if options.verifyOnOpen && quickCheck {
                    try runQuickCheck(db, path: path)
                }
                let isMigrated = try tables.contains("grdb_migrations") && migrator.hasCompletedMigrations(db)
                return (isWAL, isMigrated)
            }
        } catch let error as DatabaseError
            where error.extendedResultCode == .SQLITE_READONLY_ROLLBACK && !options.readOnly && interruptedCreation(path)
        {
            // The store's creation was cut short (a crash in its very first transaction): its
            // journal must be rolled back, which a read-only connection cannot do. A writable one
            // does, as SQLite's own recovery, leaving the empty file that becomes a new store.
            var writable = Configuration()
            writable.busyMode = .timeout(options.busyTimeout)
            do {
                let queue = try DatabaseQueue(path: path, configuration: writable)
                try queue.read { _ = try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
                try queue.close()
            } catch {
                throw .unreadable(path: path, reason: reason(error))
            }
            // What is left is an empty database: a new store, set up (and checked) before use.
            return (isWAL: false, isMigrated: false)
        } catch let error as AnnotationStoreError {
            throw error
        } catch {
            throw .unreadable(path: path, reason: reason(error))
        }
    }

    /// True when `path-journal` is the rollback journal of a transaction that began on an empty
    /// database (its header gives the size before it as 0 pages): the file's first set-up, which
    /// holds no annotation.
    private static func interruptedCreation(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path + "-journal") else { return false }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 20)) ?? Data())
        let magic: [UInt8] = [0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7]
        return header.count == 20 && header.starts(with: magic) && header[16..<20].allSatisfy { $0 == 0 }
    }

    /// A connection that cannot write, for looking at a file before trusting it.
    private static func readOnlyQueue(_ path: String, _ options: AnnotationStoreOptions) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(options.busyTimeout)
        return try DatabaseQueue(path: connectionPath(path, options), configuration: config)
    }

    /// The name SQLite opens: the path, or for an immutable store an SQLite URI
    /// (`file:…?immutable=1`; Debian's SQLite accepts URIs), the path percent-encoded.
    static func connectionPath(_ path: String, _ options: AnnotationStoreOptions) -> String {
        guard options.immutable else { return path }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: AnnotationExport.unreserved.union(CharacterSet(charactersIn: "/"))) ?? absolute
        return "file:" + encoded + "?immutable=1"
    }

    /// `PRAGMA quick_check` on its own read-only connection.
    private static func quickCheck(path: String, options: AnnotationStoreOptions) throws(AnnotationStoreError) {
        do {
            let queue = try readOnlyQueue(path, options)
            defer { try? queue.close() }
            try queue.read { db in try runQuickCheck(db, path: path) }
        } catch let error as AnnotationStoreError {
            throw error
        } catch {
            throw .unreadable(path: path, reason: reason(error))
        }
    }

    private static func runQuickCheck(_ db: Database, path: String) throws {
        let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
        if check != ["ok"] {
            throw AnnotationStoreError.unreadable(path: path, reason: "the database is corrupt (\(check.first ?? "quick_check failed"))")
        }
    }

    static func reason(_ error: any Error) -> String {
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_FULL: return "the disk or the store is full"
            case .SQLITE_NOTADB: return "not an SQLite database"
            case .SQLITE_CORRUPT: return "the database is corrupt"
            case .SQLITE_BUSY, .SQLITE_LOCKED: return "another program holds the store locked"
            case .SQLITE_READONLY: return "the store is read-only"
            case .SQLITE_IOERR: return "input/output error"
            default: return db.message ?? "\(db.resultCode)"
            }
        }
        return "\(error)"
    }

    /// Closes the connections (the store cannot be used afterwards).
    public func close() throws(AnnotationStoreError) {
        do { try pool.close() } catch { throw .writeFailed(path: path, reason: AnnotationStore.reason(error)) }
    }

    // MARK: Writing

    /// Saves several new annotations on `text` in one transaction (all or none): the pieces
    /// of a selection that spans hidden text.
    @discardableResult
    /// `owner` is whose annotations they are when not the writer's own (`goldLayer` for an
    /// adjudicator); the writer is recorded as `revisedBy` either way. One undo removes them all.
    public func create(
        _ drafts: [AnnotationDraft], text: TextBuffer, session: String, annotator: String, owner: String? = nil
    ) throws(AnnotationStoreError) -> [Annotation] {
        for d in drafts { try checkRange(d.range, text) }
        let hash = text.contentHash
        let time = ISOTime.now()
        let annotations = drafts.map { draft in
            Annotation(
                annotator: owner ?? annotator, session: session, created: time, revisedBy: annotator,
                articleID: draft.articleID, contentHash: hash,
                label: draft.label, note: draft.note, quote: QuoteSelector(range: draft.range, in: text),
                position: PositionSelector(start: draft.range.lowerBound, end: draft.range.upperBound))
        }
        // All or none: one transaction, one action.
        return try write { db in
            try Self.saveSnapshot(db, hash: hash, text: text)
            var group: Int64?
            return try annotations.map { a in
                let saved = try Self.insert(db, a, action: "create", target: group)
                group = group ?? saved.revision
                return saved
            }
        }
    }

    /// Saves a new annotation on `text` (the article's text now) and returns it.
    ///
    /// On failure nothing is saved and the draft stays with the caller for a retry.
    @discardableResult
    public func create(
        _ draft: AnnotationDraft, text: TextBuffer, session: String, annotator: String, owner: String? = nil
    ) throws(AnnotationStoreError) -> Annotation {
        try create([draft], text: text, session: session, annotator: annotator, owner: owner)[0]
    }

    /// Changes the label, the note, or the place (`range` on `text`, which also updates the
    /// content hash: how a moved or orphaned annotation is confirmed or re-placed).
    @discardableResult
    public func edit(
        id: String, label: String? = nil, note: String? = nil, range: Range<Int>? = nil, text: TextBuffer? = nil,
        session: String, annotator: String
    ) throws(AnnotationStoreError) -> Annotation {
        var hash: String? = nil
        if let range {
            guard let text else { throw .invalidRange(path: path, range: range, length: 0) }
            try checkRange(range, text)
            hash = text.contentHash
        }
        let time = ISOTime.now()
        return try write { db in
            var next = try self.successor(db, id: id, session: session, annotator: annotator, time: time)
            if let label { next.label = label }
            if let note { next.note = note }
            if let range, let text, let hash {
                next.quote = QuoteSelector(range: range, in: text)
                next.position = PositionSelector(start: range.lowerBound, end: range.upperBound)
                next.contentHash = hash
                try Self.saveSnapshot(db, hash: hash, text: text)
            }
            return try Self.insert(db, next, action: "edit", target: nil)
        }
    }

    /// Confirms several annotations at their places in `text` (the article's text now) as one
    /// action: all or none, and one undo puts them all back.
    @discardableResult
    public func place(_ places: [(id: String, range: Range<Int>)], text: TextBuffer, session: String, annotator: String) throws(AnnotationStoreError) -> [Annotation] {
        for p in places { try checkRange(p.range, text) }
        let hash = text.contentHash
        let time = ISOTime.now()
        return try write { db in
            try Self.saveSnapshot(db, hash: hash, text: text)
            var group: Int64?
            return try places.map { p in
                var next = try self.successor(db, id: p.id, session: session, annotator: annotator, time: time)
                next.quote = QuoteSelector(range: p.range, in: text)
                next.position = PositionSelector(start: p.range.lowerBound, end: p.range.upperBound)
                next.contentHash = hash
                let saved = try Self.insert(db, next, action: "edit", target: group)
                group = group ?? saved.revision
                return saved
            }
        }
    }

    /// A copy of the live head of `id` that will supersede it, stamped with who revises it and when.
    private func successor(_ db: Database, id: String, session: String, annotator: String, time: String) throws -> Annotation {
        guard var next = try Self.head(db, id: id), !next.isDeleted else {
            throw AnnotationStoreError.notFound(path: path, id: id)
        }
        next.supersedes = next.revision
        next.revisedBy = annotator
        next.revisedInSession = session
        next.revised = time
        return next
    }

    /// Deletes an annotation (inserts a tombstone); returns the tombstone.
    @discardableResult
    public func delete(id: String, session: String, annotator: String) throws(AnnotationStoreError) -> Annotation {
        let time = ISOTime.now()
        return try write { db in
            var next = try self.successor(db, id: id, session: session, annotator: annotator, time: time)
            next.isDeleted = true
            return try Self.insert(db, next, action: "delete", target: nil)
        }
    }

    /// Undoes the latest not-yet-undone action of this session and annotator; returns the
    /// annotation's restored state (a tombstone when a creation was undone), or nil when there is
    /// nothing to undo. An action on several annotations is undone whole (`undoAction`).
    @discardableResult
    public func undo(session: String, annotator: String) throws(AnnotationStoreError) -> Annotation? {
        try undoRedo(session: session, annotator: annotator, redo: false).first
    }

    /// Redoes the latest undone action (cleared by any new action of the same session and annotator).
    @discardableResult
    public func redo(session: String, annotator: String) throws(AnnotationStoreError) -> Annotation? {
        try undoRedo(session: session, annotator: annotator, redo: true).first
    }

    /// Undoes the latest action whole: the restored state of every annotation it changed (empty
    /// when there is nothing to undo).
    @discardableResult
    public func undoAction(session: String, annotator: String) throws(AnnotationStoreError) -> [Annotation] {
        try undoRedo(session: session, annotator: annotator, redo: false)
    }

    @discardableResult
    public func redoAction(session: String, annotator: String) throws(AnnotationStoreError) -> [Annotation] {
        try undoRedo(session: session, annotator: annotator, redo: true)
    }

    public func canUndo(session: String, annotator: String) throws(AnnotationStoreError) -> Bool {
        try read { db in try !Self.stacks(db, session: session, annotator: annotator).undo.isEmpty }
    }

    public func canRedo(session: String, annotator: String) throws(AnnotationStoreError) -> Bool {
        try read { db in try !Self.stacks(db, session: session, annotator: annotator).redo.isEmpty }
    }

    private func undoRedo(session: String, annotator: String, redo: Bool) throws(AnnotationStoreError) -> [Annotation] {
        let time = ISOTime.now()
        return try write { db -> [Annotation] in
            let stacks = try Self.stacks(db, session: session, annotator: annotator)
            guard let group = redo ? stacks.redo.last : stacks.undo.last else { return [] }
            var restored: [Annotation] = []
            // Undo walks the action's rows backwards, redo forwards.
            for target in redo ? group.entries : group.entries.reversed() {
                guard let action = try Self.revision(db, seq: target.seq), let head = try Self.head(db, id: action.id) else { continue }
                var next: Annotation
                if redo {
                    next = action
                } else if target.action == "create" {
                    next = action
                    next.isDeleted = true
                } else if let before = action.supersedes, let previous = try Self.revision(db, seq: before) {
                    next = previous
                } else {
                    continue
                }
                next.supersedes = head.revision
                next.annotator = head.annotator
                next.session = head.session
                next.created = head.created
                next.revisedBy = annotator
                next.revisedInSession = session
                next.revised = time
                restored.append(try Self.insert(db, next, action: redo ? "redo" : "undo", target: target.seq))
            }
            return redo ? restored : restored.reversed()
        }
    }

    /// Adds annotations made elsewhere (import): each keeps its id, annotator, session and time;
    /// ids already in the store are skipped. One transaction; returns how many were added.
    /// `texts` gives article texts by id, saved for later re-anchoring when present.
    @discardableResult
    public func importAnnotations(_ annotations: [Annotation], texts: [String: TextBuffer] = [:], session: String, annotator: String) throws(AnnotationStoreError) -> Int {
        let time = ISOTime.now()
        return try write { db in
            var added = 0
            var saved = Set<String>()
            for var a in annotations {
                if try Self.head(db, id: a.id) != nil { continue }
                a.supersedes = nil
                a.revisedBy = annotator
                a.revisedInSession = session
                // The time the annotation was last changed where it comes from (its creation when
                // never changed): an import is not an edit, and a re-export must not say it was.
                if a.revised.isEmpty { a.revised = time }
                if let text = texts[a.articleID], !saved.contains(a.articleID) {
                    saved.insert(a.articleID)
                    try Self.saveSnapshot(db, hash: text.contentHash, text: text)
                }
                _ = try Self.insert(db, a, action: "import", target: nil)
                added += 1
            }
            return added
        }
    }

    // MARK: Reading

    /// Current (not deleted) annotations of one article, by position.
    ///
    /// Read in one pass over the article index, without a lookup per row: every revision of an
    /// annotation keeps its article (edits, deletes, undo and redo copy it; imports skip ids
    /// already stored), and every revision after the first names the one it supersedes, so only
    /// ids seen on a superseding row can have older rows here, and the newest of those is current.
    /// This matters when one article holds tens of thousands of annotations.
    public func annotations(article: String) throws(AnnotationStoreError) -> [Annotation] {
        try read { db in
            var rows: [Annotation] = []
            var revised = Set<String>()
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM revision WHERE article_id = ?", arguments: [article])
            while let row = try cursor.next() {
                let a = Self.annotation(row)
                if a.supersedes != nil { revised.insert(a.id) }
                rows.append(a)
            }
            var newest: [String: Int64] = [:]
            for a in rows where revised.contains(a.id) { newest[a.id] = max(newest[a.id] ?? 0, a.revision) }
            var keyed: [(start: Int, end: Int, seq: Int64, index: Int)] = []
            keyed.reserveCapacity(rows.count)
            for (i, a) in rows.enumerated() where !a.isDeleted && (newest.isEmpty || newest[a.id].map { $0 == a.revision } ?? true) {
                keyed.append((a.position.start, a.position.end, a.revision, i))
            }
            keyed.sort { ($0.start, $0.end, $0.seq) < ($1.start, $1.end, $1.seq) }
            return keyed.map { rows[$0.index] }
        }
    }

    /// The articles that have (or had) annotations: the only ones worth anchoring for a
    /// corpus-wide view.
    public func annotatedArticleIDs() throws(AnnotationStoreError) -> Set<String> {
        try read { db in try String.fetchSet(db, sql: "SELECT DISTINCT article_id FROM revision") }
    }

    /// All current annotations, by article and position.
    public func allAnnotations() throws(AnnotationStoreError) -> [Annotation] {
        try read { db in
            var out: [Annotation] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.* FROM revision r
                    JOIN (SELECT max(seq) AS m FROM revision GROUP BY annotation_id) h ON r.seq = h.m
                    WHERE r.deleted = 0 ORDER BY r.article_id, r.start_offset, r.end_offset, r.seq
                    """)
            while let row = try rows.next() { out.append(Self.annotation(row)) }
            return out
        }
    }

    /// Every session name that wrote to the store, most recently used first.
    public func sessions() throws(AnnotationStoreError) -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT revised_session FROM revision GROUP BY revised_session ORDER BY max(seq) DESC")
        }
    }

    /// The current state of one annotation (a tombstone if deleted), or nil.
    public func annotation(id: String) throws(AnnotationStoreError) -> Annotation? {
        try read { db in try Self.head(db, id: id) }
    }

    /// Every revision of one annotation, oldest first.
    public func history(id: String) throws(AnnotationStoreError) -> [Annotation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM revision WHERE annotation_id = ? ORDER BY seq", arguments: [id]).map(Self.annotation)
        }
    }

    /// Number of revision rows.
    public func revisionCount() throws(AnnotationStoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM revision") ?? 0 }
    }

    /// The article text a content hash was taken from, when the store kept it.
    public func snapshot(contentHash: String) throws(AnnotationStoreError) -> TextBuffer? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT text FROM text_snapshot WHERE content_hash = ?", arguments: [contentHash])
                .map { TextBuffer(validUTF8: [UInt8]($0)) }
        }
    }

    /// True when another instance saved something since the last `refresh()` (or this instance's own last write):
    /// the caller reloads what it shows.
    @discardableResult
    public func refresh() throws(AnnotationStoreError) -> Bool {
        let newest = try read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM revision") ?? 0 }
        return lock.withLock {
            defer { lastSeenSeq = newest }
            return newest != lastSeenSeq
        }
    }

    /// What another instance changed since the last look.
    public enum Change: Sendable, Equatable {
        case none
        /// Annotations of these articles changed.
        case articles(Set<String>)
        /// The store was replaced or rolled back: anything may have changed.
        case everything
    }

    /// Like `refresh()`, naming the articles whose annotations changed, so a caller re-anchors
    /// only those.
    public func changes() throws(AnnotationStoreError) -> Change {
        let since = lock.withLock { lastSeenSeq }
        let (newest, ids) = try read { db -> (Int64, Set<String>) in
            let newest = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM revision") ?? 0
            guard newest > since else { return (newest, []) }
            return (newest, try String.fetchSet(db, sql: "SELECT DISTINCT article_id FROM revision WHERE seq > ?", arguments: [since]))
        }
        lock.withLock { lastSeenSeq = newest }
        if newest == since { return .none }
        return newest < since ? .everything : .articles(ids)
    }

    /// What SQLite itself says about a store file that could not be used, for `--verbose`: the
    /// first 20 lines of `PRAGMA integrity_check`, or the error opening it raised. Read-only.
    public static func diagnostics(path: String) -> [String] {
        do {
            let queue = try readOnlyQueue(path, AnnotationStoreOptions(busyTimeout: 1))
            defer { try? queue.close() }
            return try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check(20)") }.map { "integrity_check: " + $0 }
        } catch let error as DatabaseError {
            return ["SQLite: error \(error.extendedResultCode.rawValue): \(error.message ?? "no message")"]
        } catch {
            return ["\(error)"]
        }
    }

    /// `PRAGMA integrity_check` result lines (`["ok"]` when intact).
    public func integrityCheck() throws(AnnotationStoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    // MARK: Internals

    private func checkRange(_ range: Range<Int>, _ text: TextBuffer) throws(AnnotationStoreError) {
        guard range.lowerBound >= 0, range.upperBound <= text.scalarCount, !range.isEmpty else {
            throw .invalidRange(path: path, range: range, length: text.scalarCount)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(AnnotationStoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as AnnotationStoreError {
            throw error
        } catch {
            throw .readFailed(path: path, reason: Self.reason(error))
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(AnnotationStoreError) -> T {
        guard !isReadOnly else { throw .readOnly(path: path) }
        try waitForVerification()
        do {
            var seq: Int64 = 0
            let result = try pool.write { db -> T in
                let value = try body(db)
                seq = db.lastInsertedRowID
                return value
            }
            lock.withLock {
                // Our own write is not news; anything between is found by the next refresh.
                if seq == lastSeenSeq + 1 { lastSeenSeq = seq }
            }
            return result
        } catch let error as AnnotationStoreError {
            throw error
        } catch {
            throw .writeFailed(path: path, reason: Self.reason(error))
        }
    }

    private static func saveSnapshot(_ db: Database, hash: String, text: TextBuffer) throws {
        let known = try Bool.fetchOne(db, sql: "SELECT 1 FROM text_snapshot WHERE content_hash = ?", arguments: [hash]) ?? false
        if !known {
            try db.execute(sql: "INSERT INTO text_snapshot (content_hash, text) VALUES (?, ?)", arguments: [hash, Data(text.bytes)])
        }
    }

    private static func insert(_ db: Database, _ a: Annotation, action: String, target: Int64?) throws -> Annotation {
        try db.execute(
            sql: """
                INSERT INTO revision (annotation_id, supersedes, action, target, deleted, annotator, session, created,
                    revised_by, revised_session, revised, article_id, content_hash, label, note, exact, prefix, suffix,
                    start_offset, end_offset)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                a.id, a.supersedes, action, target, a.isDeleted ? 1 : 0, a.annotator, a.session, a.created,
                a.revisedBy, a.revisedInSession, a.revised, a.articleID, a.contentHash, a.label, a.note,
                a.quote.exact, a.quote.prefix, a.quote.suffix, a.position.start, a.position.end,
            ])
        var saved = a
        saved.revision = db.lastInsertedRowID
        return saved
    }

    static func head(_ db: Database, id: String) throws -> Annotation? {
        try Row.fetchOne(db, sql: "SELECT * FROM revision WHERE annotation_id = ? ORDER BY seq DESC LIMIT 1", arguments: [id])
            .map(annotation)
    }

    static func revision(_ db: Database, seq: Int64) throws -> Annotation? {
        try Row.fetchOne(db, sql: "SELECT * FROM revision WHERE seq = ?", arguments: [seq]).map(annotation)
    }

    struct StackEntry { let seq: Int64; let action: String }
    /// One action: the rows it inserted, in order.
    struct StackGroup { var entries: [StackEntry] }

    static func stacks(_ db: Database, session: String, annotator: String) throws -> (undo: [StackGroup], redo: [StackGroup]) {
        var undo: [StackGroup] = []
        var redo: [StackGroup] = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT seq, action, target FROM revision WHERE revised_by = ? AND revised_session = ? ORDER BY seq",
            arguments: [annotator, session])
        func holds(_ g: StackGroup, _ seq: Int64?) -> Bool { g.entries.contains { $0.seq == seq } }
        while let row = try rows.next() {
            let action: String = row["action"]
            let target: Int64? = row["target"]
            switch action {
            case "create", "edit", "delete":
                let entry = StackEntry(seq: row["seq"], action: action)
                // A later row of a several-annotation action names the action's first row.
                if let target, let last = undo.indices.last, undo[last].entries.first?.seq == target {
                    undo[last].entries.append(entry)
                } else {
                    undo.append(StackGroup(entries: [entry]))
                    redo.removeAll()
                }
            case "undo":
                // The first row of an undone action moves it; its other rows find it moved.
                if let i = undo.lastIndex(where: { holds($0, target) }) { redo.append(undo.remove(at: i)) }
            case "redo":
                if let i = redo.lastIndex(where: { holds($0, target) }) { undo.append(redo.remove(at: i)) }
            default:
                break
            }
        }
        return (undo, redo)
    }

    /// Decodes a `SELECT *` row of `revision` by column position (table order), which is much
    /// faster than by name when loading 100,000 rows.
    static func annotation(_ row: Row) -> Annotation {
        Annotation(
            id: row[1], revision: row[0], supersedes: row[2],
            annotator: row[6], session: row[7], created: row[8],
            revisedBy: row[9], revisedInSession: row[10], revised: row[11],
            articleID: row[12], contentHash: row[13], label: row[14], note: row[15],
            quote: QuoteSelector(exact: row[16], prefix: row[17], suffix: row[18]),
            position: PositionSelector(start: row[19], end: row[20]),
            isDeleted: (row[5] as Int) != 0)
    }
}
