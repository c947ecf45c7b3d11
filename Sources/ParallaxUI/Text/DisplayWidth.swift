import ParallaxCore

/// How wide ambiguous characters are and where tab stops fall. A value type, so it is safe to share.
public struct WidthOptions: Hashable, Sendable {
    /// East Asian Ambiguous characters (Greek, Cyrillic and box drawing in CJK fonts) take two columns.
    public var ambiguousIsWide: Bool
    /// Columns between tab stops, counted from the start of the visual line.
    public var tabWidth: Int

    public init(ambiguousIsWide: Bool = false, tabWidth: Int = 8) {
        self.ambiguousIsWide = ambiguousIsWide
        self.tabWidth = max(1, tabWidth)
    }

    public static let standard = WidthOptions()
}

/// One drawable cell's worth of text: a grapheme cluster of width 1 or 2, or one character of
/// an escape or of an expanded tab (width 1). Width 0 means the glyph occupies no cell.
public struct Glyph: Equatable, Sendable {
    public var text: String
    public var width: Int
    /// Part of a visible escape such as `^[` or `<U+202E>`; renderers style it (reverse or dim).
    public var isEscape: Bool

    public init(text: String, width: Int, isEscape: Bool = false) {
        self.text = text
        self.width = width
        self.isEscape = isEscape
    }
}

/// Terminal display width per grapheme cluster, and the mapping of unsafe characters to visible escapes.
///
/// Article bytes are never sent raw to the terminal: C0 controls become caret notation (`^[`),
/// DEL becomes `^?`, C1 controls, bidi controls and line/paragraph separators become `<U+XXXX>`,
/// tabs become spaces up to the next tab stop.
public enum DisplayWidth {
    // MARK: Scalars

    /// The visible escape for a scalar that must not reach the terminal, or nil when it is safe.
    /// Newline and tab are escaped too: layout handles them before asking.
    public static func escape(for scalar: Unicode.Scalar) -> String? { TerminalText.escape(for: scalar) }

    /// True when the scalar takes no column on its own (combining marks, joiners, variation
    /// selectors, soft hyphen, zero-width space and other default-ignorable format characters).
    public static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x300 { return v == 0xAD }
        switch v {
        case 0x200B...0x200D, 0x2060...0x2064, 0xFEFF, 0xFE00...0xFE0F, 0xE0000...0xE0FFF:
            return true
        case 0x1160...0x11FF, 0xD7B0...0xD7FF:
            // Hangul medial vowels and final consonants: they join the preceding leading consonant.
            return true
        default:
            break
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark:
            return true
        case .format:
            return true
        default:
            return false
        }
    }

    /// Columns for a scalar standing alone (no emoji or variation sequence context).
    /// Controls report the width of their escape.
    public static func width(of scalar: Unicode.Scalar, options: WidthOptions = .standard) -> Int {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return 1 }
        if let e = escape(for: scalar) { return e.utf8.count }
        if isZeroWidth(scalar) { return 0 }
        if v < 0x1100 {
            return options.ambiguousIsWide && inTable(v, WidthTables.ambiguousRanges) ? 2 : 1
        }
        if inTable(v, WidthTables.wideRanges) { return 2 }
        if scalar.properties.isEmojiPresentation { return 2 }
        if options.ambiguousIsWide && inTable(v, WidthTables.ambiguousRanges) { return 2 }
        return 1
    }

    static func inTable(_ v: UInt32, _ table: [UInt32]) -> Bool {
        // Binary search over pairs of closed ranges.
        var lo = 0
        var hi = table.count / 2 - 1
        if hi < 0 || v < table[0] || v > table[table.count - 1] { return false }
        while lo <= hi {
            let mid = (lo + hi) >> 1
            if v < table[2 * mid] {
                hi = mid - 1
            } else if v > table[2 * mid + 1] {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    // MARK: Grapheme clusters

    /// Columns for one grapheme cluster: the width of its first scalar, widened to 2 by emoji
    /// presentation (VS16 after an emoji base, a ZWJ sequence of emoji, a regional-indicator pair)
    /// and narrowed to 1 by VS15 text presentation. Controls report the width of their escape;
    /// a tab counts as one column here (its real width depends on the column it starts at).
    public static func width(of character: Character, options: WidthOptions = .standard) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first == "\t" { return 1 }
        if first == "\r" && scalars.count == 2 { return 0 }  // CR LF: a line break, handled by layout
        var width = width(of: first, options: options)
        if scalars.count == 1 || escape(for: first) != nil { return width }
        let props = first.properties
        let isEmojiBase = props.isEmoji
        if width == 0 {
            // Starts with a zero-width scalar (a combining mark with no base): stays zero width.
            return 0
        }
        var sawZWJ = false
        for s in scalars.dropFirst() {
            switch s.value {
            case 0xFE0F where isEmojiBase:
                width = 2
            case 0xFE0E where isEmojiBase:
                width = 1
            case 0x200D:
                sawZWJ = true
            case 0x1F1E6...0x1F1FF where first.value >= 0x1F1E6 && first.value <= 0x1F1FF:
                width = 2
            case 0x1F3FB...0x1F3FF where isEmojiBase:
                width = 2  // skin tone modifier
            default:
                break
            }
        }
        if sawZWJ && isEmojiBase && first.value >= 0x80 { width = 2 }
        return width
    }

    /// Safe display glyphs for a string, starting at column `startColumn` (for tab stops).
    /// Every glyph has width 0, 1 or 2; escapes and tabs are split into one glyph per column,
    /// zero-width clusters are kept with width 0.
    public static func displayGlyphs(of string: String, startColumn: Int = 0, options: WidthOptions = .standard) -> [Glyph] {
        var out: [Glyph] = []
        out.reserveCapacity(string.utf8.count)
        var column = startColumn
        for ch in string {
            appendGlyphs(of: ch, column: &column, options: options, into: &out)
        }
        return out
    }

    /// Glyphs of a UI string (a label, a title) ready for the cell grid: made safe like
    /// `displayGlyphs`, with zero-width clusters dropped since they occupy no cell.
    public static func glyphs(of string: String, options: WidthOptions = .standard) -> [Glyph] {
        displayGlyphs(of: string, options: options).filter { $0.width > 0 }
    }

    /// Total columns of a string as `displayGlyphs` would show it from column 0.
    public static func width(of string: String, options: WidthOptions = .standard) -> Int {
        var column = 0
        var total = 0
        for ch in string {
            let w = columns(of: ch, atColumn: column, options: options)
            column += w
            total += w
        }
        return total
    }

    /// Columns a cluster takes when it starts at `column` (tabs run to the next tab stop).
    static func columns(of ch: Character, atColumn column: Int, options: WidthOptions) -> Int {
        if ch == "\t" { return options.tabWidth - column % options.tabWidth }
        if ch.unicodeScalars.count == 1, let e = escape(for: ch.unicodeScalars.first!) { return e.utf8.count }
        if ch == "\r\n" { return 4 }
        return width(of: ch, options: options)
    }

    /// Appends the glyphs that show `ch` at `column`, advancing the column.
    static func appendGlyphs(of ch: Character, column: inout Int, options: WidthOptions, into out: inout [Glyph]) {
        let scalars = ch.unicodeScalars
        let first = scalars.first!
        if first == "\t" {
            let n = options.tabWidth - column % options.tabWidth
            for _ in 0..<n { out.append(Glyph(text: " ", width: 1)) }
            column += n
            return
        }
        if scalars.count == 1, let e = escape(for: first) {
            for c in e.unicodeScalars { out.append(Glyph(text: String(c), width: 1, isEscape: true)) }
            column += e.utf8.count
            return
        }
        if ch == "\r\n" {
            // Only UI strings reach here: layout strips line breaks.
            for c in "^M^J".unicodeScalars { out.append(Glyph(text: String(c), width: 1, isEscape: true)) }
            column += 4
            return
        }
        let w = width(of: ch, options: options)
        out.append(Glyph(text: String(ch), width: w))
        column += w
    }
}
