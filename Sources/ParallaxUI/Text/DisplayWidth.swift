// PROVISIONAL: replaced by the full implementation (grapheme clusters, East Asian width tables).
public struct Glyph: Equatable, Sendable {
    public var text: String
    public var width: Int
    public init(text: String, width: Int) { self.text = text; self.width = width }
}

public enum DisplayWidth {
    public static func glyphs(of string: String) -> [Glyph] {
        string.map { Glyph(text: String($0), width: 1) }
    }
}
