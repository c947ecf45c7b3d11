#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import Foundation

/// The folder a file will be written in: created (with its parents) when missing. Returns that
/// folder's path (empty for the current one), or nil when it cannot be made.
func makeFolder(for path: String) -> String? {
    let folder = (path as NSString).deletingLastPathComponent
    guard !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) else { return folder }
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    } catch {
        return nil
    }
}

/// Reading whole files into one `[UInt8]` with read(2): one allocation sized from fstat,
/// no intermediate `Data`, so a 50 MB file costs 50 MB.
enum FileBytes {
    struct ReadError: Error {
        let message: String
    }

    /// Largest file read (README, "Input formats"): larger files are refused with a message
    /// instead of filling memory.
    static let maxSize = 512 << 20

    /// The file type bits of what `path` names, links followed; nil when it does not exist
    /// (a dangling link) or cannot be examined.
    static func fileType(_ path: String) -> mode_t? {
        var st = stat()
        guard RawPaths.withCString(path, { stat($0, &st) }) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }

    /// Whether `path` itself is a symbolic link.
    static func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return RawPaths.withCString(path, { lstat($0, &st) }) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// What a path that is not a regular file is, in words, or nil for a regular file.
    static func specialKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// Reads a regular file whole. FIFOs, devices and sockets are refused before any read (the
    /// open does not wait for a FIFO's writer), and so are files over `maxSize`.
    static func read(path: String) throws(ReadError) -> [UInt8] {
        let fd = RawPaths.withCString(path) { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        if fd < 0 { throw ReadError(message: errnoMessage()) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw ReadError(message: errnoMessage()) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw ReadError(message: "is a directory") }
        if let kind = specialKind(st.st_mode) { throw ReadError(message: "\(kind), not a regular file: skipped") }
        if Int(st.st_size) > maxSize { throw ReadError(message: "larger than \(maxSize >> 20) MB (\(Int(st.st_size) >> 20) MB): skipped") }
        let expected = max(Int(st.st_size), 0)

        var failure: String? = nil
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buf, count in
            count = 0
            while count < expected {
                let n = Glue.read(fd, buf.baseAddress! + count, expected - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errnoMessage()
                    return
                }
                if n == 0 { break }  // The file shrank while we read it.
                count += n
            }
        }
        if let failure { throw ReadError(message: failure) }
        // Pipes, /proc files and files that grew: read the rest in chunks. A regular file is at
        // its end here; a small probe says so without clearing a large buffer for every file.
        var probe: (UInt64, UInt64) = (0, 0)
        while true {
            let n = withUnsafeMutableBytes(of: &probe) { Glue.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(message: errnoMessage())
            }
            if n == 0 { return bytes }
            withUnsafeBytes(of: &probe) { bytes.append(contentsOf: $0.prefix(n)) }
            break
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glue.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(message: errnoMessage())
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maxSize { throw ReadError(message: "grew past \(maxSize >> 20) MB while being read: skipped") }
        }
        return bytes
    }

    static func errnoMessage() -> String {
        String(cString: strerror(errno)).lowercased()
    }

    /// Classification of a file's first bytes, like `less` does before showing a file.
    enum Content: Equatable {
        case text
        case empty
        case binary
        case utf16
    }

    /// `binary` when the first 8 KB hold a NUL byte or many control bytes other than the
    /// usual text ones (tab, line feed, carriage return, form feed, vertical tab, backspace and
    /// escape, which terminal text legitimately carries); `empty` when only whitespace or a
    /// byte order mark is present.
    static func classify(_ bytes: [UInt8]) -> Content {
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            return .utf16
        }
        let sample = min(bytes.count, 8192)
        var control = 0
        for i in 0..<sample {
            let b = bytes[i]
            if b == 0 { return .binary }
            if b < 0x20 {
                switch b {
                case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x08, 0x1B: break
                default: control += 1
                }
            } else if b == 0x7F {
                control += 1
            }
        }
        if control > 8 && control * 20 > sample { return .binary }  // more than 5 %
        return isBlank(bytes) ? .empty : .text
    }

    /// True when the bytes are only whitespace (ASCII or the common Unicode spaces) or a BOM.
    static func isBlank(_ bytes: [UInt8]) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            switch b {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                i += 1
            case 0xC2 where i + 1 < n && (bytes[i + 1] == 0xA0 || bytes[i + 1] == 0x85):
                i += 2
            case 0xEF where i + 2 < n && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF:
                i += 3
            case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80
                && ((0x80...0x8A).contains(bytes[i + 2]) || [0xA8, 0xA9, 0xAF].contains(bytes[i + 2])):
                i += 3
            case 0xE3 where i + 2 < n && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80:
                i += 3
            default:
                return false
            }
        }
        return true
    }
}

/// The C library's read(2), spelled out so it is not confused with `FileBytes.read`.
private enum Glue {
    static func read(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.read(fd, buf, count)
        #elseif canImport(Musl)
        return Musl.read(fd, buf, count)
        #else
        return Darwin.read(fd, buf, count)
        #endif
    }
}
