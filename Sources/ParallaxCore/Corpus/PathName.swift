import Foundation

/// File name parts of a path, as `NSString`'s `lastPathComponent`, `pathExtension` and
/// `deletingPathExtension` give them for the paths the loader sees, computed on the UTF-8 bytes:
/// Foundation's versions normalise the whole path character by character on every call, which
/// cost more than reading a small article.
enum PathName {
    /// The absolute form of a file path, "." and ".." segments resolved (links are not), as
    /// `URL(fileURLWithPath:).standardizedFileURL.path`; a plain path skips Foundation's work.
    static func standardized(_ path: String, in folder: String) -> String {
        let absolute = path.utf8.first == 0x2F ? path : (folder.utf8.last == 0x2F ? folder : folder + "/") + path
        // Plain: no empty, "." or ".." segment and no trailing slash.
        var plain = true
        var segment = 0  // bytes of the current segment so far
        var dots = 0  // how many of them are dots
        for b in absolute.utf8.dropFirst() {
            if b == 0x2F {
                if segment == 0 || (segment > 0 && dots == segment && dots <= 2) { plain = false; break }
                segment = 0; dots = 0
            } else {
                segment += 1
                if b == 0x2E { dots += 1 }
            }
        }
        if plain && (segment == 0 || (dots == segment && dots <= 2)) { plain = false }
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
