import Foundation
import XCTest
import ParallaxCore
@testable import ParallaxUI

final class LayoutTests: XCTestCase {
    static let seedParagraph = """
        During the conversation, the president repeatedly asked Secretary of State Brad Raffensperger (R) to "find" more than 11,000 ballots needed to overcome the gap between Trump and Biden in the state, thereby flipping the state in his favor. "The people of Georgia are angry, the people in the country are angry. And there’s nothing wrong with saying, you know, that you’ve recalculated," Trump told Raffensperger — a well-known Republican — before questioning the secretary about a "rumor" that ballots were "shredded" in Fulton County.
        """

    private func layout(_ s: String, width: Int, hidden: [Range<Int>] = []) -> TextLayout {
        let buf = TextBuffer(s)
        return TextLayout(text: buf, range: 0..<buf.scalarCount, hidden: hidden, width: width)
    }

    /// Walks forward from the first line, checking that each step back returns to the previous start.
    @discardableResult
    private func walk(_ l: TextLayout, limit: Int = 100_000, file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        var starts = [l.firstLineStart]
        XCTAssertNil(l.lineStart(before: l.firstLineStart), file: file, line: line)
        while let n = l.lineStart(after: starts.last!), starts.count < limit {
            XCTAssertGreaterThan(n, starts.last!, file: file, line: line)
            XCTAssertEqual(l.lineStart(before: n), starts.last!, "before(after(x)) != x", file: file, line: line)
            starts.append(n)
        }
        return starts
    }

    private func texts(_ l: TextLayout) -> [String] {
        walk(l).map { l.line(at: $0).text }
    }

    func testSeedParagraphWrapsWithinWidthWithoutSplittingWords() {
        let words = Set(Self.seedParagraph.split(separator: " ").map(String.init))
        for width in [20, 40, 60] {
            let l = layout(Self.seedParagraph, width: width)
            let starts = walk(l)
            var rebuilt: [String] = []
            for s in starts {
                let line = l.line(at: s)
                XCTAssertLessThanOrEqual(line.width, width)
                XCTAssertEqual(line.width, line.glyphs.reduce(0) { $0 + $1.width })
                XCTAssertFalse(line.text.hasPrefix(" "), "consumed space at line start: \(line.text)")
                rebuilt.append(contentsOf: line.text.split(separator: " ").map(String.init))
            }
            // Every word on screen is a source word or a piece of one split at a hyphen or dash.
            for w in rebuilt where !words.contains(w) {
                XCTAssertTrue(w.hasSuffix("-") || words.contains { $0.hasPrefix(w) || $0.hasSuffix(w) }, "split word \(w) at width \(width)")
            }
            XCTAssertEqual(rebuilt.joined(), Self.seedParagraph.split(separator: " ").joined())
            // Greedy: the next line's first word would not have fitted.
            for (a, b) in zip(starts, starts.dropFirst()) {
                let la = l.line(at: a), lb = l.line(at: b)
                let firstWord = lb.text.prefix { $0 != " " && $0 != "-" && $0 != "—" }
                XCTAssertGreaterThan(la.width + 1 + firstWord.count, width, "\(la.text) | \(lb.text)")
            }
        }
    }

    func testExactWrapping() {
        let l = layout("The quick brown fox jumps over the lazy dog", width: 10)
        XCTAssertEqual(texts(l), ["The quick", "brown fox", "jumps over", "the lazy", "dog"])
        let h = layout("a well-known fact about long-winded speeches", width: 10)
        XCTAssertEqual(texts(h), ["a well-", "known fact", "about", "long-", "winded", "speeches"])
        XCTAssertEqual(texts(layout("a well-known fact", width: 12)), ["a well-known", "fact"])
        // No break at a hyphen that is not between letters.
        XCTAssertEqual(texts(layout("ab 2020-21x", width: 8)), ["ab", "2020-21x"])
        let d = layout("one—two–three", width: 5)
        XCTAssertEqual(texts(d), ["one—", "two–", "three"])
        XCTAssertEqual(texts(layout("abcde—f", width: 5)), ["abcde", "—f"])
        let nb = layout("Mr.\u{A0}Smith went", width: 6)
        XCTAssertEqual(texts(nb), ["Mr.\u{A0}Sm", "ith", "went"])
    }

    func testLongWordBrokenAtGraphemes() {
        let l = layout("supercalifragilistic e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}", width: 6)
        XCTAssertEqual(texts(l), ["superc", "alifra", "gilist", "ic", "e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}"])
        XCTAssertEqual(l.line(at: l.lastLineStart()).width, 5)
    }

    func testCJKWrapping() {
        let s = "中文文本没有空格但是可以在任意两个汉字之间换行。"
        let l = layout(s, width: 10)
        let lines = walk(l).map { l.line(at: $0) }
        XCTAssertEqual(lines.map(\.text).joined(), s)
        for line in lines { XCTAssertLessThanOrEqual(line.width, 10) }
        XCTAssertEqual(lines[0].text, "中文文本没")
        // No line starts with the closing full stop.
        XCTAssertFalse(lines.contains { $0.text.hasPrefix("。") })
        // Odd width: a wide glyph never splits.
        let odd = layout("中文中文中文", width: 5)
        XCTAssertEqual(texts(odd), ["中文", "中文", "中文"])
    }

    func testEmojiAtEdge() {
        let l = layout("abcd😀ef", width: 5)
        XCTAssertEqual(texts(l), ["abcd", "😀ef"])
        let z = layout("abc 👩\u{200D}💻 🇫🇷 x", width: 6)
        let lines = walk(z).map { z.line(at: $0) }
        XCTAssertEqual(lines.map(\.text), ["abc 👩\u{200D}💻", "🇫🇷 x"])
        XCTAssertEqual(lines.map(\.width), [6, 4])
    }

    func testHiddenRangeSkipped() {
        let s = "President TrumpDonald TrumpWhite House denies MORE directly asked"
        let hs = s.unicodeScalars.map { $0 }
        let start = 15
        let end = String(String.UnicodeScalarView(hs[..<start])).count + "Donald TrumpWhite House denies MORE".count
        let l = layout(s, width: 80, hidden: [start..<end])
        XCTAssertEqual(texts(l), ["President Trump directly asked"])
        // Hidden offsets map to the line showing the following text.
        XCTAssertEqual(l.lineStart(containing: start + 3), 0)
        let shown = layout(s, width: 80, hidden: [])
        XCTAssertEqual(texts(shown), [s])
        // Wrapping where the hidden text sits: it belongs to the next line.
        let narrow = layout(s, width: 16, hidden: [start..<end])
        XCTAssertEqual(texts(narrow), ["President Trump", "directly asked"])
        XCTAssertEqual(narrow.lineStart(containing: start + 1), narrow.lineStart(after: 0))
    }

    func testEscapesInLayout() {
        let l = layout("a\u{1B}[31mred\u{7}\u{202E}x\u{85}\tz", width: 80)
        let line = l.line(at: 0)
        XCTAssertEqual(line.text, "a^[[31mred^G<U+202E>x<U+0085>   z")
        XCTAssertTrue(line.glyphs.allSatisfy { $0.width <= 2 })
        XCTAssertTrue(line.glyphs.allSatisfy { $0.text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F } })
        XCTAssertEqual(line.glyphs.filter(\.isEscape).map(\.text).joined(), "^[^G<U+202E><U+0085>")
        XCTAssertEqual(line.glyphs.reduce(0) { $0 + $1.length }, TextBuffer("a\u{1B}[31mred\u{7}\u{202E}x\u{85}\tz").scalarCount)
        let tabs = layout("ab\tc\td", width: 80)
        XCTAssertEqual(tabs.line(at: 0).text, "ab      c       d")
    }

    func testCRLFLooksLikeLF() {
        let lf = "First paragraph with some words.\n\nSecond one, a little longer than the first.\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = layout(lf, width: 15), b = layout(crlf, width: 15)
        XCTAssertEqual(texts(a), texts(b))
        XCTAssertEqual(texts(a), ["First paragraph", "with some", "words.", "", "Second one, a", "little longer", "than the first."])
        XCTAssertEqual(b.line(at: 0).end, 15)
    }

    func testEmptyLinesAndEdges() {
        XCTAssertEqual(texts(layout("", width: 10)), [""])
        XCTAssertEqual(texts(layout("\n", width: 10)), [""])
        XCTAssertEqual(texts(layout("a\n\n\nb", width: 10)), ["a", "", "", "b"])
        XCTAssertEqual(texts(layout("  indented\n", width: 10)), ["  indented"])
        XCTAssertEqual(texts(layout("word      ", width: 6)), ["word"])
        let l = layout("one two\nthree", width: 80)
        XCTAssertEqual(l.lastLineStart(), 8)
        XCTAssertEqual(l.move(0, by: 5), 8)
        XCTAssertEqual(l.move(8, by: -5), 0)
        XCTAssertEqual(l.fraction(of: 0), 0)
        XCTAssertEqual(l.fraction(of: 13), 1)
    }

    func testLineStartContainingEveryOffset() {
        let s = Self.seedParagraph + "\n\n中文文本😀 e\u{301}x\r\nlast  line\tend"
        let buf = TextBuffer(s)
        let hidden = [30..<45]
        let l = TextLayout(text: buf, range: 0..<buf.scalarCount, hidden: hidden, width: 17)
        let starts = Set(walk(l))
        var newlineOffsets = Set<Int>()
        buf.forEachScalar(in: 0..<buf.scalarCount) { s, o in
            if s == "\n" || s == "\r" { newlineOffsets.insert(o) }
            return true
        }
        for o in 0..<buf.scalarCount {
            let x = l.lineStart(containing: o)
            XCTAssertTrue(starts.contains(x), "offset \(o) -> \(x) is not a line start")
            let line = l.line(at: x)
            if hidden.contains(where: { $0.contains(o) }) {
                XCTAssertTrue(line.glyphs.contains { $0.offset >= 45 } || line.end >= 45)
            } else if newlineOffsets.contains(o) {
                XCTAssertLessThanOrEqual(line.end, o)
                XCTAssertEqual(l.lineStart(after: x).map { $0 > o } ?? true, true)
            } else {
                XCTAssertTrue(line.start <= o && o < line.end, "offset \(o) not in \(line.start)..<\(line.end)")
            }
        }
        XCTAssertEqual(l.lineStart(containing: buf.scalarCount), l.lastLineStart())
    }

    func testWalkForwardThenBackward() {
        let text = (0..<40).map { i in i % 7 == 0 ? "" : Self.seedParagraph.prefix(50 + i * 13) }.joined(separator: "\n")
        let l = layout(String(text), width: 33)
        let forward = walk(l)
        var backward = [l.lastLineStart()]
        while let p = l.lineStart(before: backward.last!) { backward.append(p) }
        XCTAssertEqual(forward, backward.reversed())
        XCTAssertEqual(forward.last, l.lastLineStart())
        XCTAssertEqual(l.move(l.firstLineStart, by: forward.count + 10), l.lastLineStart())
    }

    // MARK: Huge texts (kept to a few megabytes so the suite stays quick in debug builds)

    private func hugeChecks(_ l: TextLayout, file: StaticString = #filePath, line: UInt = #line) {
        // First screen.
        var x = l.firstLineStart
        for _ in 0..<70 {
            let v = l.line(at: x)
            XCTAssertLessThanOrEqual(v.width, l.width, file: file, line: line)
            guard let n = l.lineStart(after: x) else { break }
            XCTAssertEqual(l.lineStart(before: n), x, file: file, line: line)
            x = n
        }
        // Last screen, walked back and forth.
        let last = l.lastLineStart()
        XCTAssertNil(l.lineStart(after: last), file: file, line: line)
        XCTAssertEqual(l.line(at: last).end, l.range.upperBound, file: file, line: line)
        var back = [last]
        for _ in 0..<300 { back.append(l.lineStart(before: back.last!)!) }
        for (later, earlier) in zip(back, back.dropFirst()) {
            XCTAssertEqual(l.lineStart(after: earlier), later, file: file, line: line)
            XCTAssertLessThanOrEqual(l.line(at: earlier).width, l.width, file: file, line: line)
        }
        // Consistent around block boundaries in the middle: walk across a few blocks.
        var y = l.lineStart(containing: l.range.count / 2)
        for _ in 0..<500 {
            guard let n = l.lineStart(after: y) else { break }
            XCTAssertEqual(l.lineStart(before: n), y, file: file, line: line)
            XCTAssertEqual(l.line(at: y).end, n, file: file, line: line)
            y = n
        }
        XCTAssertEqual(l.move(last, by: -300), back.last!, file: file, line: line)
    }

    func testHugeSingleLineWithSpaces() {
        var bytes: [UInt8] = []
        let sentence = Array("The quick brown fox jumps over the lazy dog, said the well-known reporter. ".utf8)
        while bytes.count < 5_000_000 { bytes.append(contentsOf: sentence) }
        let buf = TextBuffer(validUTF8: bytes)
        let l = TextLayout(text: buf, range: 0..<buf.scalarCount, hidden: [], width: 60)
        hugeChecks(l)
    }

    func testHugeSingleLineWithoutSpaces() {
        let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 5_000_000)
        let buf = TextBuffer(validUTF8: bytes)
        let l = TextLayout(text: buf, range: 0..<buf.scalarCount, hidden: [], width: 60)
        hugeChecks(l)
        // Hard breaks stay aligned to the width from the start of the run.
        XCTAssertEqual(l.lineStart(containing: 1_234_567), 1_234_567 / 60 * 60)
        XCTAssertEqual(l.lastLineStart(), (5_000_000 - 1) / 60 * 60)
    }

    func testHugeNonASCIIWithoutBreaks() {
        var s = ""
        for i in 0..<200_000 { s += i % 3 == 0 ? "e\u{301}" : "ж" }
        s += "\n" + String(repeating: "中文", count: 100_000)
        let l = layout(s, width: 41)
        hugeChecks(l)
        let v = l.line(at: l.lineStart(containing: 100_000))
        XCTAssertEqual(v.width, 41)
    }
}

final class LayoutPropertyTests: XCTestCase {
    /// A small deterministic generator so failures reproduce.
    struct LCG {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static let pieces = [
        "the", "president", "said", "well-known", "e\u{301}te\u{301}", "中文", "文本。", "（注）", "😀", "👩\u{200D}💻",
        "🇫🇷", "—", "–", "a-b", "\u{A0}", "\t", "\u{1B}[0m", "\u{202E}", "\u{85}", "\u{AD}", "\u{200B}",
        "supercalifragilisticexpialidocious", "\u{301}", "x", "  ", "\r\n", "\n", "\n\n",
    ]

    static func randomText(_ rng: inout LCG, pieces count: Int) -> String {
        var s = ""
        for _ in 0..<count {
            s += pieces[rng.next(pieces.count)]
            if rng.next(3) != 0 { s += " " }
        }
        return s
    }

    private func check(_ l: TextLayout, minWidth: Int, file: StaticString = #filePath, line: UInt = #line) {
        var starts = [l.firstLineStart]
        while let n = l.lineStart(after: starts.last!) {
            XCTAssertGreaterThan(n, starts.last!, file: file, line: line)
            XCTAssertEqual(l.lineStart(before: n), starts.last!, file: file, line: line)
            starts.append(n)
            if starts.count > 200_000 { XCTFail("runaway", file: file, line: line); return }
        }
        XCTAssertEqual(starts.last, l.lastLineStart(), file: file, line: line)
        var back = [l.lastLineStart()]
        while let p = l.lineStart(before: back.last!) { back.append(p) }
        XCTAssertEqual(starts, back.reversed(), file: file, line: line)
        for (i, s) in starts.enumerated() {
            let v = l.line(at: s)
            XCTAssertEqual(v.start, s, file: file, line: line)
            if l.width >= minWidth { XCTAssertLessThanOrEqual(v.width, l.width, file: file, line: line) }
            XCTAssertEqual(v.width, v.glyphs.reduce(0) { $0 + $1.width }, file: file, line: line)
            for g in v.glyphs {
                XCTAssertTrue(g.width >= 0 && g.width <= 2, file: file, line: line)
                XCTAssertTrue(g.offset >= v.start && g.offset + g.length <= v.end, file: file, line: line)
                XCTAssertFalse(g.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, file: file, line: line)
                XCTAssertFalse(l.hidden.contains { $0.contains(g.offset) }, file: file, line: line)
            }
            if i + 1 < starts.count {
                XCTAssertLessThanOrEqual(v.end, starts[i + 1], file: file, line: line)
            }
            XCTAssertEqual(l.lineStart(containing: s), s, file: file, line: line)
        }
        // Every visible scalar other than spaces and line breaks is shown exactly once.
        var shown = [Int](repeating: 0, count: l.text.scalarCount)
        for s in starts {
            for g in l.line(at: s).glyphs { for o in g.offset..<(g.offset + g.length) { shown[o] += 1 } }
        }
        l.text.forEachScalar(in: l.range) { scalar, o in
            let isHidden = l.hidden.contains { $0.contains(o) }
            let isBlankOrBreak = scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
            if isHidden {
                XCTAssertEqual(shown[o], 0, "hidden \(o) shown", file: file, line: line)
            } else if !isBlankOrBreak {
                XCTAssertEqual(shown[o], 1, "offset \(o) (\(scalar.debugDescription)) shown \(shown[o]) times", file: file, line: line)
            } else {
                XCTAssertLessThanOrEqual(shown[o], 1, file: file, line: line)
            }
            return true
        }
    }

    func testRandomMixedTexts() {
        var rng = LCG(state: 42)
        for round in 0..<40 {
            let s = Self.randomText(&rng, pieces: 20 + rng.next(120))
            let buf = TextBuffer(s)
            var hidden: [Range<Int>] = []
            if round % 2 == 0 && buf.scalarCount > 10 {
                var o = rng.next(10)
                while o < buf.scalarCount - 3 {
                    let len = 1 + rng.next(6)
                    hidden.append(o..<min(o + len, buf.scalarCount))
                    o += len + 1 + rng.next(30)
                }
            }
            for width in [3, 9, 17, 40] {
                let l = TextLayout(text: buf, range: 0..<buf.scalarCount, hidden: hidden, width: width)
                check(l, minWidth: 8)
            }
        }
    }

    func testRandomTextRangeInsideBuffer() {
        var rng = LCG(state: 7)
        let s = Self.randomText(&rng, pieces: 200)
        let buf = TextBuffer(s)
        let l = TextLayout(text: buf, range: 37..<(buf.scalarCount - 11), hidden: [50..<60], width: 21)
        check(l, minWidth: 8)
        XCTAssertEqual(l.firstLineStart, 37)
    }

    /// A long mixed paragraph crosses several blocks: anchors must keep both directions consistent.
    func testLongMixedParagraphAcrossBlocks() {
        var rng = LCG(state: 99)
        var s = ""
        let words = Self.pieces.filter { !$0.contains("\n") && !$0.contains("\r") }
        while s.unicodeScalars.count < 2 * TextLayout.longParagraph + 5_000 {
            s += words[rng.next(words.count)]
            if rng.next(4) != 0 { s += " " }
        }
        let buf = TextBuffer(s)
        for width in [13, 60] {
            let l = TextLayout(text: buf, range: 0..<buf.scalarCount, hidden: [100..<120, 20_000..<20_050], width: width)
            check(l, minWidth: 8)
        }
    }
}

final class SeedLayoutTests: XCTestCase {
    static var seedsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ParallaxCore/Resources/seeds")
    }

    func testSeedsWrapCleanly() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.seedsFolder.path).filter { $0.hasSuffix(".txt") }.sorted()
        XCTAssertFalse(files.isEmpty)
        for name in files {
            let data = try Data(contentsOf: Self.seedsFolder.appendingPathComponent(name))
            let buf = UTF8Decoding.decode([UInt8](data)).buffer
            for width in [20, 40, 60] {
                let l = TextLayout(text: buf, range: 0..<buf.scalarCount, hidden: [], width: width)
                var x = l.firstLineStart
                var count = 1
                while let n = l.lineStart(after: x) {
                    let v = l.line(at: x)
                    XCTAssertLessThanOrEqual(v.width, width, "\(name) at \(width): \(v.text)")
                    XCTAssertEqual(l.lineStart(before: n), x)
                    x = n
                    count += 1
                }
                XCTAssertEqual(x, l.lastLineStart())
                XCTAssertGreaterThan(count, 10)
            }
        }
    }
}
