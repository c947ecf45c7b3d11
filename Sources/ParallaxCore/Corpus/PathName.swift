import Foundation

/// File name parts of a path, as `NSString`'s `lastPathComponent`, `pathExtension` and
/// `deletingPathExtension` give them for the paths the loader sees, computed on the UTF-8 bytes:
/// Foundation's versions normalise the whole path character by character on every call, which
/// cost more than reading a small article.
enum PathName {
    /// The absolute form of a file path, "." and ".." segments resolved (links are not), as
    /// `URL(fileURLWithPath:).standardizedFileURL.path`; a plain path skips Foundation's work.
    static func standardized(_ path: String, in folder: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (folder.hasSuffix("/") ? folder : folder + "/") + path
        let plain = !absolute.contains("//") && !absolute.contains("/./") && !absolute.contains("/../")
            && !absolute.hasSuffix("/.") && !absolute.hasSuffix("/..") && !absolute.hasSuffix("/")
        return plain ? absolute : URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The last component: what follows the last "/", trailing slashes ignored ("a/b/" → "b").
    static func last(_ path: String) -> String {
        let u = Array(path.utf8)
        var end = u.count
        while end > 1 && u[end - 1] == 0x2F { end -= 1 }
        var start = end
        while start > 0 && u[start - 1] != 0x2F { start -= 1 }
        if start == end { return end == 1 && u.first == 0x2F ? "/" : "" }
        return String(decoding: u[start..<end], as: UTF8.self)
    }

    /// The extension of the last component without its dot, "" when it has none (a leading dot,
    /// as in ".hidden", starts a name rather than an extension).
    static func ext(_ path: String) -> String {
        let name = Array(last(path).utf8)
        guard let dot = name.lastIndex(of: 0x2E), dot > 0, dot < name.count - 1 else { return "" }
        return String(decoding: name[(dot + 1)...], as: UTF8.self)
    }

    /// The last component without its extension ("a/b.txt" → "b").
    /// A final dot goes too ("file." → "file"), as in Foundation.
    static func stem(_ path: String) -> String {
        let name = Array(last(path).utf8)
        guard let dot = name.lastIndex(of: 0x2E), dot > 0 else { return String(decoding: name, as: UTF8.self) }
        return String(decoding: name[..<dot], as: UTF8.self)
    }
}
