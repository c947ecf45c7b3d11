/// The one escaping of text that leaves the program toward a terminal: the reader's cells,
/// `analyze --format text`, warnings and error messages. Nothing from an article, a file name or
/// a config file reaches the terminal raw: C0 controls become caret notation (`^[`), DEL `^?`,
/// C1 controls, bidi controls and line/paragraph separators `<U+XXXX>`.
public enum TerminalText {
    /// The visible escape for a scalar that must not reach the terminal, or nil when it is safe.
    /// Newline and tab are escaped too; callers that lay text out handle them first.
    public static func escape(for scalar: Unicode.Scalar) -> String? {
        let v = scalar.value
        if v < 0x20 { return "^" + String(Unicode.Scalar(UInt8(v + 0x40))) }
        if v < 0x7F { return nil }
        if v == 0x7F { return "^?" }
        if v < 0xA0 { return hexEscape(v) }
        if v < 0x061C { return nil }
        switch v {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
            return hexEscape(v)
        default:
            return nil
        }
    }

    static func hexEscape(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    /// `s` with every unsafe scalar escaped; with `keepingNewlines`, "\n" stays a line break
    /// (for multi-line output the program itself lays out).
    public static func escaped(_ s: String, keepingNewlines: Bool = false) -> String {
        guard s.unicodeScalars.contains(where: { escape(for: $0) != nil && !(keepingNewlines && $0 == "\n") }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for u in s.unicodeScalars {
            if keepingNewlines && u == "\n" {
                out.unicodeScalars.append(u)
            } else if let e = escape(for: u) {
                out += e
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
