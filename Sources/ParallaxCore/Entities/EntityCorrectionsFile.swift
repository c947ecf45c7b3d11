import Foundation

/// Why the corrections file could not be read or written, in one line.
public enum EntityCorrectionsError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case corrupt(path: String, reason: String)
    case newerVersion(path: String, version: Int)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read entity corrections \(path): \(reason)"
        case .corrupt(let path, let reason): return "entity corrections \(path) are not readable JSON (\(reason)); left untouched"
        case .newerVersion(let path, let version): return "entity corrections \(path) are version \(version), newer than this parallax reads; left untouched"
        case .cannotWrite(let path, let reason): return "cannot save entity corrections to \(path): \(reason)"
        }
    }
}

/// The corrections of one corpus on disk: `<corpus>/.parallax/entities.json`, beside the
/// annotation store. A JSON object with a `version` and a `corrections` array, one entry per
/// correction, undo or redo, each saying who made it and when:
///
///     {"version": 1, "corrections": [
///       {"action": "merge", "from": {"name": "Raffensperger", "type": "PERSON"},
///        "into": {"name": "Brad Raffensperger", "type": "PERSON"}, "by": "ana", "at": "2026-03-01T10:00:00Z"},
///       {"action": "undo", "by": "ana", "at": "2026-03-01T10:00:05Z"}]}
///
/// Saving re-reads the file and appends this instance's new entries to what is there, then
/// writes a temporary file and renames it over the old one: a crash leaves the old file or the
/// new one, and corrections another instance saved meanwhile are kept. A file that cannot be
/// read is never written over; the corrections made then live until the reader quits.
public struct EntityCorrectionsFile: Sendable {
    public static let version = 1

    public let path: String
    public private(set) var log: EntityCorrections
    /// How many entries of `log` are on disk.
    private var saved: Int
    /// Why the file is not used (unreadable, corrupt, newer): set once, and nothing is written then.
    public private(set) var problem: EntityCorrectionsError?

    /// The file at `path`; a missing file is an empty log. A file that cannot be used leaves an
    /// empty log and `problem` set, and is never written.
    public init(path: String) {
        self.path = path
        do {
            log = try EntityCorrectionsFile.read(path: path) ?? EntityCorrections()
            problem = nil
        } catch {
            log = EntityCorrections()
            problem = error
        }
        saved = log.entries.count
    }

    /// A file in memory only (tests, a corpus with nowhere to keep one).
    public init(path: String, log: EntityCorrections) {
        self.path = path
        self.log = log
        saved = 0
        problem = nil
    }

    /// A log kept in memory only (no corpus folder and no home folder, or tests): never written.
    public static func memory() -> EntityCorrectionsFile {
        EntityCorrectionsFile(path: "", log: EntityCorrections())
    }

    /// Whether the log is kept in memory only.
    public var inMemory: Bool { path.isEmpty }

    /// `<corpus>/.parallax/entities.json` for a corpus folder, else (the built-in corpus, files
    /// named one by one) `$XDG_DATA_HOME/parallax/entities.json`, by default under
    /// `~/.local/share`, as the annotation store does. Nil with neither.
    public static func defaultPath(corpusRoot: String?, environment: [String: String]) -> String? {
        guard let store = AnnotationStore.defaultPath(corpusRoot: corpusRoot, environment: environment) else { return nil }
        return ((store as NSString).deletingLastPathComponent as NSString).appendingPathComponent("entities.json")
    }

    /// Records a change made to `log` (by `change`) and saves it. Returns the error when it could
    /// not be saved: the change stays in force for this run.
    @discardableResult
    public mutating func update(_ change: (inout EntityCorrections) -> Void) -> EntityCorrectionsError? {
        change(&log)
        return save()
    }

    /// Writes the entries not yet on disk after those the file holds now.
    public mutating func save() -> EntityCorrectionsError? {
        if let problem { return problem }
        guard !inMemory, saved < log.entries.count else { return nil }
        let fresh = log.entries[saved...]
        var merged: EntityCorrections
        do {
            merged = try EntityCorrectionsFile.read(path: path) ?? EntityCorrections()
        } catch {
            return error
        }
        // Entries another instance saved since we read the file (or anything put there by hand)
        // stay first; ours follow.
        merged.append(contentsOf: fresh)
        do {
            try EntityCorrectionsFile.write(merged, path: path)
        } catch {
            return error
        }
        log = merged
        saved = merged.entries.count
        return nil
    }

    // MARK: Reading and writing

    /// The log at `path`, or nil when there is no file.
    public static func read(path: String) throws(EntityCorrectionsError) -> EntityCorrections? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? "permission denied or not a file")
        }
        // An empty file is what an interrupted first write could leave: no corrections yet.
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) { return EntityCorrections() }
        return try decode(data, path: path)
    }

    static func decode(_ data: Data, path: String) throws(EntityCorrectionsError) -> EntityCorrections {
        let file: FileBody
        do {
            file = try JSONDecoder.corrections.decode(FileBody.self, from: data)
        } catch {
            throw .corrupt(path: path, reason: describe(error))
        }
        if file.version > version { throw .newerVersion(path: path, version: file.version) }
        return EntityCorrections(entries: file.corrections)
    }

    /// The log as the file holds it: pretty-printed, one entry per correction.
    public static func encode(_ log: EntityCorrections) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain strings, numbers and dates cannot fail.
        return (try? encoder.encode(FileBody(version: version, corrections: log.entries))) ?? Data()
    }

    /// Writes a temporary file beside `path` and renames it over `path`.
    static func write(_ log: EntityCorrections, path: String) throws(EntityCorrectionsError) {
        let fm = FileManager.default
        guard let folder = makeFolder(for: path) else {
            throw .cannotWrite(path: path, reason: "cannot create folder \((path as NSString).deletingLastPathComponent)")
        }
        let temp = (folder.isEmpty ? "." : folder) + "/.entities.json.\(getpid()).tmp"
        var data = encode(log)
        data.append(0x0A)
        guard fm.createFile(atPath: temp, contents: data) else {
            throw .cannotWrite(path: path, reason: "the folder is not writable")
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw .cannotWrite(path: path, reason: reason)
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return c.codingPath.isEmpty ? "not JSON" : "bad value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.keyNotFound(let k, _): return "missing \"\(k.stringValue)\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "wrong kind of value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "not JSON"
        }
    }

    struct FileBody: Codable {
        var version: Int
        var corrections: [EntityCorrections.Entry]
    }
}

extension JSONDecoder {
    fileprivate static var corrections: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}

extension EntityCorrections.Entry: Codable {
    private enum CodingKeys: String, CodingKey {
        case action, by, at, from, into, alias, of, entity, to, article, start, end, text
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .action)
        let action: EntityCorrections.Action
        switch name {
        case "merge":
            action = .correct(.merge(from: try c.decode(EntityKey.self, forKey: .from), into: try c.decode(EntityKey.self, forKey: .into)))
        case "split":
            action = .correct(.split(alias: try c.decode(String.self, forKey: .alias), of: try c.decode(EntityKey.self, forKey: .of)))
        case "retype":
            action = .correct(.retype(try c.decode(EntityKey.self, forKey: .entity), to: try c.decode(EntityType.self, forKey: .to)))
        case "not-entity":
            let start = try c.decode(Int.self, forKey: .start), end = try c.decode(Int.self, forKey: .end)
            guard start >= 0, end >= start else {
                throw DecodingError.dataCorruptedError(forKey: .end, in: c, debugDescription: "end before start")
            }
            action = .correct(.notEntity(article: try c.decode(String.self, forKey: .article), range: start..<end, text: try c.decode(String.self, forKey: .text)))
        case "undo": action = .undo
        case "redo": action = .redo
        default:
            throw DecodingError.dataCorruptedError(forKey: .action, in: c, debugDescription: "unknown action \(name)")
        }
        self.init(action, by: try c.decodeIfPresent(String.self, forKey: .by) ?? "", at: try c.decodeIfPresent(Date.self, forKey: .at) ?? Date(timeIntervalSince1970: 0))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch action {
        case .correct(.merge(let from, let into)):
            try c.encode("merge", forKey: .action)
            try c.encode(from, forKey: .from)
            try c.encode(into, forKey: .into)
        case .correct(.split(let alias, let of)):
            try c.encode("split", forKey: .action)
            try c.encode(alias, forKey: .alias)
            try c.encode(of, forKey: .of)
        case .correct(.retype(let key, let to)):
            try c.encode("retype", forKey: .action)
            try c.encode(key, forKey: .entity)
            try c.encode(to, forKey: .to)
        case .correct(.notEntity(let article, let range, let text)):
            try c.encode("not-entity", forKey: .action)
            try c.encode(article, forKey: .article)
            try c.encode(range.lowerBound, forKey: .start)
            try c.encode(range.upperBound, forKey: .end)
            try c.encode(text, forKey: .text)
        case .undo: try c.encode("undo", forKey: .action)
        case .redo: try c.encode("redo", forKey: .action)
        }
        try c.encode(by, forKey: .by)
        try c.encode(at, forKey: .at)
    }
}
