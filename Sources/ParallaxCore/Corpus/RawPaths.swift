#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// File names that are not valid UTF-8 (`caf\xE9.txt`, written by an old Latin-1 system): a
/// Swift `String` cannot hold them, so each such path gets a display form, its bad bytes written
/// `\xE9`, and the exact bytes are kept here under that form. Every file-system call of the
/// loader goes through `withCString(_:_:)`, which passes the exact bytes, so the file opens.
public enum RawPaths {
    private static let table = Mutex<[String: [UInt8]]>([:])

    /// The display form of a path given as bytes, registered when it differs from the bytes.
    public static func name(_ bytes: [UInt8]) -> String {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        let shown = escaped(bytes)
        table.withLock { $0[shown] = bytes }
        return shown
    }

    /// The bytes a path stands for: the registered ones, else its UTF-8.
    public static func bytes(_ path: String) -> [UInt8] {
        table.withLock { $0[path] } ?? Array(path.utf8)
    }

    /// A child of a folder: its display form, registered when the folder's or the name's bytes
    /// are not UTF-8.
    static func child(of folder: String, name: [UInt8]) -> String {
        let parent = bytes(folder)
        let separator: [UInt8] = parent.last == 0x2F ? [] : [0x2F]
        return self.name(parent + separator + name)
    }

    /// Calls `body` with the path's exact bytes as a C string.
    static func withCString<T>(_ path: String, _ body: (UnsafePointer<CChar>) -> T) -> T {
        var b = bytes(path)
        b.append(0)
        return b.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// Valid UTF-8 sequences as they are, every other byte as `\xHH`.
    static func escaped(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = ""
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let n = b < 0x80 ? 1 : b >> 5 == 0x6 ? 2 : b >> 4 == 0xE ? 3 : b >> 3 == 0x1E ? 4 : 0
            if n > 0, i + n <= bytes.count, let s = String(validating: bytes[i..<(i + n)], as: UTF8.self) {
                out += s
                i += n
            } else {
                out += "\\x" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 0xF)])
                i += 1
            }
        }
        return out
    }

    /// The names in a folder (not "." and ".."), as bytes; nil when it cannot be read.
    static func names(inFolder folder: String) -> [[UInt8]]? {
        guard let dir = withCString(folder, { opendir($0) }) else { return nil }
        defer { closedir(dir) }
        var out: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            out.append(name)
        }
        return out
    }

    /// The path with links resolved (realpath(3)), for telling folders apart; nil when it
    /// cannot be resolved.
    static func resolved(_ path: String) -> String? {
        guard let r = withCString(path, { realpath($0, nil) }) else { return nil }
        defer { free(r) }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(r).assumingMemoryBound(to: UInt8.self), count: strlen(r)))
        return name(bytes)
    }
}
