import ParallaxCore

/// A terminal colour, resolved by the theme tier before it reaches the grid.
public enum Color: Hashable, Sendable {
    case `default`
    /// One of the 256 xterm palette entries (0–15 are the 16 ANSI colours).
    case palette(UInt8)
}

/// Non-colour attributes; every theme tier can show these.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1 << 0)
    public static let underline = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let dim = Attributes(rawValue: 1 << 3)
    public static let italic = Attributes(rawValue: 1 << 4)
}

public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public static let plain = Style()

    /// Lays `other` over `self`: set colours of `other` win, attributes add up.
    public func merged(with other: Style) -> Style {
        Style(
            fg: other.fg == .default ? fg : other.fg,
            bg: other.bg == .default ? bg : other.bg,
            attributes: attributes.union(other.attributes))
    }
}

/// One terminal cell. A wide glyph occupies its cell (width 2) and a continuation cell (width 0).
public struct Cell: Equatable, Sendable {
    /// One grapheme cluster, already made safe for the terminal (no control characters).
    public var text: String
    /// 1 for a normal cell, 2 for the first half of a wide glyph, 0 for its continuation.
    public var width: UInt8
    public var style: Style

    public init(text: String = " ", width: UInt8 = 1, style: Style = .plain) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell()
    public static func continuation(_ style: Style) -> Cell { Cell(text: "", width: 0, style: style) }
}

/// The frame a view draws into; the backend diffs two of these and writes only changed cells.
public struct CellGrid: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Puts one glyph of display width `glyphWidth` (1 or 2) at (x, y). A wide glyph that does not
    /// fit before `limit` is replaced by a space, as terminals do. Returns the columns used.
    @discardableResult
    public mutating func put(glyph: String, width glyphWidth: Int, x: Int, y: Int, style: Style, limit: Int? = nil) -> Int {
        let end = min(limit ?? width, width)
        guard y >= 0, y < height, x >= 0, x < end else { return 0 }
        // Overwriting half of a wide glyph blanks its other half.
        clearWideNeighbours(x: x, y: y)
        if glyphWidth >= 2 {
            if x + 1 >= end {
                self[x, y] = Cell(text: " ", width: 1, style: style)
                return 1
            }
            clearWideNeighbours(x: x + 1, y: y)
            self[x, y] = Cell(text: glyph, width: 2, style: style)
            self[x + 1, y] = .continuation(style)
            return 2
        }
        self[x, y] = Cell(text: glyph, width: 1, style: style)
        return 1
    }

    private mutating func clearWideNeighbours(x: Int, y: Int) {
        let c = self[x, y]
        if c.width == 0, x > 0 {
            self[x - 1, y] = Cell(text: " ", width: 1, style: self[x - 1, y].style)
        } else if c.width == 2, x + 1 < width {
            self[x + 1, y] = Cell(text: " ", width: 1, style: self[x + 1, y].style)
        }
    }

    /// Writes a UI string (already safe: labels, headers) clipped to `maxWidth` columns; an ellipsis
    /// marks a cut when `ellipsis` is true. Returns the columns used.
    @discardableResult
    public mutating func put(string: String, x: Int, y: Int, style: Style, maxWidth: Int? = nil, ellipsis: Bool = true) -> Int {
        let avail = min(maxWidth ?? (width - x), width - x)
        guard avail > 0, y >= 0, y < height else { return 0 }
        let glyphs = DisplayWidth.glyphs(of: string)
        let total = glyphs.reduce(0) { $0 + $1.width }
        var col = x
        if total <= avail {
            for g in glyphs { col += put(glyph: g.text, width: g.width, x: col, y: y, style: style) }
            return col - x
        }
        let budget = ellipsis ? avail - 1 : avail
        for g in glyphs {
            if col - x + g.width > budget { break }
            col += put(glyph: g.text, width: g.width, x: col, y: y, style: style)
        }
        if ellipsis { col += put(glyph: "…", width: 1, x: col, y: y, style: style) }
        return col - x
    }

    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, cell: Cell) {
        for row in max(0, y)..<min(height, y + h) {
            for col in max(0, x)..<min(width, x + w) { self[col, row] = cell }
        }
    }

    public mutating func applyStyle(x: Int, y: Int, width w: Int, _ style: Style) {
        guard y >= 0, y < height else { return }
        for col in max(0, x)..<min(width, x + w) { self[col, y].style = self[col, y].style.merged(with: style) }
    }

    /// Indices of the cells a backend must write to turn `previous` into this grid: changed
    /// cells, and both halves' owner when a wide glyph or its continuation changed. Continuation
    /// cells are never listed (writing the wide glyph fills them). Everything when sizes differ.
    public func changedCells(since previous: CellGrid?) -> [Int] {
        var out: [Int] = []
        guard let previous, previous.width == width, previous.height == height else {
            out.reserveCapacity(cells.count)
            for i in cells.indices where cells[i].width != 0 { out.append(i) }
            return out
        }
        cells.withUnsafeBufferPointer { now in
            previous.cells.withUnsafeBufferPointer { before in
                var i = 0
                let n = now.count
                while i < n {
                    let c = now[i]
                    if c.width == 0 { i += 1; continue }
                    var changed = c != before[i]
                    if !changed && c.width == 2 && i + 1 < n { changed = now[i + 1] != before[i + 1] }
                    if changed { out.append(i) }
                    i += 1
                }
            }
        }
        return out
    }

    /// The rows as plain text (continuation cells omitted), trailing spaces trimmed.
    public var textLines: [String] {
        (0..<height).map { row in
            var s = ""
            for col in 0..<width {
                let c = self[col, row]
                if c.width != 0 { s += c.text }
            }
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
    }

    public var text: String { textLines.joined(separator: "\n") }
}
