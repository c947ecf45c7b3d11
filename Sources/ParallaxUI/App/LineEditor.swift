/// A one-line editor for prompts and filters: grapheme-aware, with the readline keys people expect
/// (arrows, Home/End, ^A/^E, ^U, ^K, ^W, Backspace, Delete).
public struct LineEditor: Equatable, Sendable {
    public private(set) var characters: [Character] = []
    public private(set) var cursor: Int = 0

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }

    public mutating func set(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    public mutating func insert(_ s: String) {
        let new = Array(s)
        characters.insert(contentsOf: new, at: cursor)
        cursor += new.count
        // Re-segment: a combining mark typed after a base joins it.
        let joined = String(characters)
        let before = String(characters[..<cursor]).count
        characters = Array(joined)
        cursor = min(before, characters.count)
    }

    public enum EditResult: Equatable { case edited, moved, ignored }

    /// Applies an editing key; returns `.ignored` for keys the editor does not handle.
    public mutating func handle(_ key: Key) -> EditResult {
        switch key {
        case .char(let c):
            insert(String(Character(c)))
            return .edited
        case .left, .ctrl("b"):
            cursor = max(0, cursor - 1)
            return .moved
        case .right, .ctrl("f"):
            cursor = min(characters.count, cursor + 1)
            return .moved
        case .home, .ctrl("a"):
            cursor = 0
            return .moved
        case .end, .ctrl("e"):
            cursor = characters.count
            return .moved
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { return .ignored }
            characters.remove(at: cursor - 1)
            cursor -= 1
            return .edited
        case .delete, .ctrl("d"):
            guard cursor < characters.count else { return .ignored }
            characters.remove(at: cursor)
            return .edited
        case .ctrl("u"):
            characters.removeSubrange(0..<cursor)
            cursor = 0
            return .edited
        case .ctrl("k"):
            characters.removeSubrange(cursor...)
            return .edited
        case .ctrl("w"):
            var i = cursor
            while i > 0 && characters[i - 1].isWhitespace { i -= 1 }
            while i > 0 && !characters[i - 1].isWhitespace { i -= 1 }
            characters.removeSubrange(i..<cursor)
            cursor = i
            return .edited
        default:
            return .ignored
        }
    }
}
