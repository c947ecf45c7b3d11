/// A key press, independent of any terminal library.
public enum Key: Hashable, Sendable {
    case char(Unicode.Scalar)
    /// Control + a letter or one of `@[\]^_` (`<C-w>`), stored lower-case.
    case ctrl(Unicode.Scalar)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, insert
    case function(Int)

    /// Vim-style notation: `j`, `<C-w>`, `<Space>`, `<S-Tab>`, `<PageDown>`, `<F1>`.
    public var notation: String {
        switch self {
        case .char(" "): return "<Space>"
        case .char("<"): return "<lt>"
        case .char(let c): return String(Character(c))
        case .ctrl(let c): return "<C-\(Character(c))>"
        case .up: return "<Up>"
        case .down: return "<Down>"
        case .left: return "<Left>"
        case .right: return "<Right>"
        case .pageUp: return "<PageUp>"
        case .pageDown: return "<PageDown>"
        case .home: return "<Home>"
        case .end: return "<End>"
        case .enter: return "<CR>"
        case .escape: return "<Esc>"
        case .tab: return "<Tab>"
        case .backTab: return "<S-Tab>"
        case .backspace: return "<BS>"
        case .delete: return "<Del>"
        case .insert: return "<Insert>"
        case .function(let n): return "<F\(n)>"
        }
    }

    /// Parses a sequence in vim notation (`"<C-w>l"`, `"]q"`, `"5j"`) into keys.
    public static func parseSequence(_ text: String) throws(KeyParseError) -> [Key] {
        var keys: [Key] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "<", let close = scalars[(i + 1)...].firstIndex(of: ">"), close > i + 1 {
                let name = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                if let key = Key.named(name) {
                    keys.append(key)
                    i = close + 1
                    continue
                }
                throw KeyParseError(text: text, message: "unknown key name <\(name)>")
            }
            keys.append(.char(c))
            i += 1
        }
        if keys.isEmpty { throw KeyParseError(text: text, message: "empty key sequence") }
        return keys
    }

    static func named(_ raw: String) -> Key? {
        let lower = raw.lowercased()
        switch lower {
        case "space": return .char(" ")
        case "lt": return .char("<")
        case "gt": return .char(">")
        case "bar": return .char("|")
        case "bslash": return .char("\\")
        case "up": return .up
        case "down": return .down
        case "left": return .left
        case "right": return .right
        case "pageup", "pgup": return .pageUp
        case "pagedown", "pgdn": return .pageDown
        case "home": return .home
        case "end": return .end
        case "cr", "enter", "return": return .enter
        case "esc", "escape": return .escape
        case "tab": return .tab
        case "s-tab", "backtab": return .backTab
        case "bs", "backspace": return .backspace
        case "del", "delete": return .delete
        case "insert", "ins": return .insert
        default: break
        }
        if lower.hasPrefix("c-"), lower.unicodeScalars.count == 3, let c = lower.unicodeScalars.last {
            if ("a"..."z").contains(c) || "@[\\]^_".unicodeScalars.contains(c) { return .ctrl(c) }
            return nil
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) { return .function(n) }
        return nil
    }
}

public struct KeyParseError: Error, Sendable, Equatable {
    public let text: String
    public let message: String
}

public enum MouseAction: Equatable, Sendable {
    case press
    case wheelUp
    case wheelDown
}

public struct MouseEvent: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var action: MouseAction
    public init(x: Int, y: Int, action: MouseAction) {
        self.x = x
        self.y = y
        self.action = action
    }
}

/// Everything the backend can report.
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    /// The terminal went away (its input hung up or closed): nothing more can be read or shown.
    case hangup
}
