import XCTest
@testable import ParallaxUI

final class DisplayWidthTests: XCTestCase {
    private func w(_ s: String, _ options: WidthOptions = .standard) -> Int {
        DisplayWidth.width(of: s, options: options)
    }

    func testBasicWidths() {
        XCTAssertEqual(w("a"), 1)
        XCTAssertEqual(w("\u{E9}"), 1)            // é precomposed
        XCTAssertEqual(w("e\u{301}"), 1)          // e + combining acute
        XCTAssertEqual(w("中"), 2)
        XCTAssertEqual(w("中文abc"), 7)
        XCTAssertEqual(w("한국어"), 6)
        XCTAssertEqual(w("\u{1100}\u{1161}\u{11A8}"), 2)  // conjoining jamo
        XCTAssertEqual(w("ＡＢ"), 4)               // fullwidth
        XCTAssertEqual(w("\u{FFFD}"), 1)
    }

    func testEmojiWidths() {
        XCTAssertEqual(w("😀"), 2)
        XCTAssertEqual(w("👩\u{200D}💻"), 2)     // ZWJ sequence
        XCTAssertEqual(w("👨\u{200D}👩\u{200D}👧\u{200D}👦"), 2)
        XCTAssertEqual(w("🇫🇷"), 2)               // flag
        XCTAssertEqual(w("🇫🇷🇩🇪"), 4)
        XCTAssertEqual(w("☺\u{FE0E}"), 1)        // text presentation
        XCTAssertEqual(w("☺\u{FE0F}"), 2)        // emoji presentation
        XCTAssertEqual(w("☺"), 1)
        XCTAssertEqual(w("👍🏽"), 2)               // skin tone
        XCTAssertEqual(w("1\u{FE0F}\u{20E3}"), 2) // keycap
    }

    func testZeroWidth() {
        XCTAssertEqual(w("\u{301}"), 0)           // combining alone
        XCTAssertEqual(w("\u{20DD}"), 0)          // enclosing mark alone
        XCTAssertEqual(w("\u{200B}"), 0)
        XCTAssertEqual(w("\u{200D}"), 0)
        XCTAssertEqual(w("\u{200C}"), 0)
        XCTAssertEqual(w("\u{AD}"), 0)
        XCTAssertEqual(w("\u{FE0F}"), 0)
        XCTAssertEqual(w("a\u{AD}b"), 2)
        XCTAssertEqual(DisplayWidth.glyphs(of: "\u{301}x").map(\.text), ["x"])
    }

    func testAmbiguous() {
        let wide = WidthOptions(ambiguousIsWide: true)
        XCTAssertEqual(w("α"), 1)
        XCTAssertEqual(w("α", wide), 2)
        XCTAssertEqual(w("─"), 1)
        XCTAssertEqual(w("─", wide), 2)
        XCTAssertEqual(w("a", wide), 1)
        XCTAssertEqual(w("中", wide), 2)
    }

    func testTableLookup() {
        XCTAssertTrue(DisplayWidth.inTable(0x4E00, WidthTables.wideRanges))
        XCTAssertTrue(DisplayWidth.inTable(0x20000, WidthTables.wideRanges))
        XCTAssertFalse(DisplayWidth.inTable(0x41, WidthTables.wideRanges))
        XCTAssertFalse(DisplayWidth.inTable(0x10FFFF, WidthTables.wideRanges))
        XCTAssertTrue(DisplayWidth.inTable(0xA1, WidthTables.ambiguousRanges))
    }

    private func shown(_ s: String, startColumn: Int = 0) -> String {
        DisplayWidth.displayGlyphs(of: s, startColumn: startColumn).map(\.text).joined()
    }

    func testEscapes() {
        XCTAssertEqual(shown("a\u{1B}[31mb"), "a^[[31mb")
        XCTAssertEqual(shown("\u{07}"), "^G")
        XCTAssertEqual(shown("\u{08}"), "^H")
        XCTAssertEqual(shown("\u{00}"), "^@")
        XCTAssertEqual(shown("\u{7F}"), "^?")
        XCTAssertEqual(shown("\u{85}"), "<U+0085>")
        XCTAssertEqual(shown("\u{9B}"), "<U+009B>")
        XCTAssertEqual(shown("x\u{202E}y"), "x<U+202E>y")
        XCTAssertEqual(shown("\u{2066}\u{200F}\u{61C}"), "<U+2066><U+200F><U+061C>")
        XCTAssertEqual(shown("\u{FFFD}"), "\u{FFFD}")
        let g = DisplayWidth.displayGlyphs(of: "a\u{1B}b")
        XCTAssertEqual(g.map(\.isEscape), [false, true, true, false])
        XCTAssertTrue(g.allSatisfy { $0.width == 1 })
        XCTAssertEqual(w("\u{1B}"), 2)
        XCTAssertEqual(w("\u{202E}"), 8)
        // Nothing below U+0020 survives, nor DEL or C1.
        for v in Array(0..<0x20) + Array(0x7F...0x9F) {
            let text = shown(String(Unicode.Scalar(UInt8(v))))
            XCTAssertTrue(text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }, "\(v)")
        }
    }

    func testTabExpansion() {
        XCTAssertEqual(shown("\tx"), "        x")
        XCTAssertEqual(shown("ab\tx"), "ab      x")
        XCTAssertEqual(shown("abcdefgh\tx"), "abcdefgh        x")
        XCTAssertEqual(shown("\tx", startColumn: 5), "   x")
        XCTAssertEqual(shown("中\tx"), "中      x")
        XCTAssertEqual(w("a\tb"), 9)
        XCTAssertEqual(shown("\tx").count, 9)
    }

    func testGlyphsForGrid() {
        let g = DisplayWidth.glyphs(of: "a中😀")
        XCTAssertEqual(g, [Glyph(text: "a", width: 1), Glyph(text: "中", width: 2), Glyph(text: "😀", width: 2)])
        var grid = CellGrid(width: 10, height: 1)
        grid.put(string: "x\u{1B}[1m中", x: 0, y: 0, style: .plain)
        XCTAssertEqual(grid.text, "x^[[1m中")
    }
}
