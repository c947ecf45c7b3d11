import Foundation
import ParallaxCore
import ParallaxTestSupport
import XCTest
@testable import ParallaxUI

final class AppStateTests: XCTestCase {
    /// Three articles of numbered lines, so positions are easy to read off the screen.
    func corpus(lines: Int = 100) -> Corpus {
        TestCorpus.make((0..<3).map { a in
            (id: "a\(a)", title: "Article \(a)", body: (1...lines).map { "a\(a) line \($0)" }.joined(separator: "\n"))
        })
    }

    func firstBodyLine(_ d: ScreenDriver, pane: Int = 0) -> String {
        let g = d.frame.grid
        let rect = d.state.geometry.rect(pane: pane)!
        var s = ""
        for x in rect.x..<(rect.x + rect.width) where g[x, d.state.geometry.bodyTop].width != 0 { s += g[x, d.state.geometry.bodyTop].text }
        return s.trimmingCharacters(in: .whitespaces)
    }

    func testControlCCancelsACountOrSequenceThenQuits() {
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 30)
        d.send("5<C-c>j")
        XCTAssertEqual(firstBodyLine(d), "a0 line 2", "the count was cancelled")
        d.send("<C-w><C-c>")
        XCTAssertNil(d.state.message, "a cancelled sequence is not reported as unbound")
        XCTAssertFalse(d.state.quit)
        d.send("l")
        XCTAssertEqual(d.state.focus, 0, "the window sequence was cancelled")
        d.send("<C-w>l")
        XCTAssertEqual(d.state.focus, 1)
        d.send("<Esc>")
        d.send("]<Esc>")
        XCTAssertNil(d.state.message)
        XCTAssertFalse(d.state.quit)
        d.send("<C-c>")
        XCTAssertTrue(d.state.quit)
    }

    func testScrollingCountsPagesAndEnds() {
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 30)
        XCTAssertEqual(d.state.panes.count, 2)
        XCTAssertEqual(firstBodyLine(d), "a0 line 1")
        d.send("j")
        XCTAssertEqual(firstBodyLine(d), "a0 line 2")
        d.send("10j")
        XCTAssertEqual(firstBodyLine(d), "a0 line 12")
        d.send("k")
        XCTAssertEqual(firstBodyLine(d), "a0 line 11")
        let body = d.state.geometry.bodyHeight
        d.send("<Space>")
        XCTAssertEqual(firstBodyLine(d), "a0 line \(11 + body - 1)")
        d.send("b")
        XCTAssertEqual(firstBodyLine(d), "a0 line 11")
        d.send("<C-d>")
        XCTAssertEqual(firstBodyLine(d), "a0 line \(11 + body / 2)")
        d.send("G")
        XCTAssertEqual(firstBodyLine(d), "a0 line \(100 - body + 1)", "the last line sits at the bottom, like less")
        d.send("j")
        XCTAssertEqual(firstBodyLine(d), "a0 line \(100 - body + 1)", "no scrolling past the end")
        d.send("g")
        XCTAssertEqual(firstBodyLine(d), "a0 line 1")
        d.send("42G")
        XCTAssertEqual(firstBodyLine(d), "a0 line 42")
        XCTAssertEqual(firstBodyLine(d, pane: 1), "a1 line 1", "other panes do not move without sync")
    }

    func testSyncScrollsEveryPane() {
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 30)
        d.send("s")
        d.send("5j")
        XCTAssertEqual(firstBodyLine(d), "a0 line 6")
        XCTAssertEqual(firstBodyLine(d, pane: 1), "a1 line 6")
        d.send("s5j")
        XCTAssertEqual(firstBodyLine(d), "a0 line 11")
        XCTAssertEqual(firstBodyLine(d, pane: 1), "a1 line 6")
    }

    func testFocusAddAndClosePanes() {
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 30)
        d.send("<Tab>")
        XCTAssertEqual(d.state.focus, 1)
        d.send("<Tab>")
        XCTAssertEqual(d.state.focus, 0, "focus wraps")
        d.send("<S-Tab>")
        XCTAssertEqual(d.state.focus, 1)
        d.send("<C-w>h")
        XCTAssertEqual(d.state.focus, 0)
        d.send("<C-w>v")
        XCTAssertEqual(d.state.panes.map(\.article), [0, 2, 1])
        XCTAssertEqual(d.state.focus, 1)
        d.send("<C-w>c")
        XCTAssertEqual(d.state.panes.map(\.article), [0, 1])
        d.send("<C-w>c")
        d.send("<C-w>c")
        XCTAssertEqual(d.state.panes.count, 1)
        XCTAssertEqual(d.state.message?.isWarning, true)
    }

    func testResizeKeepsReadingPositionAndHidesPanes() {
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 30)
        d.send("30j")
        XCTAssertEqual(firstBodyLine(d), "a0 line 31")
        d.resize(40, 20)
        XCTAssertEqual(d.state.geometry.rects.count, 1, "only one pane fits in 40 columns")
        XCTAssertEqual(firstBodyLine(d), "a0 line 31")
        d.send("<Tab>")
        XCTAssertEqual(d.state.geometry.rects.first?.pane, 1, "the focused pane stays visible")
        d.resize(12, 4)
        XCTAssertTrue(d.screen.contains("too small"), d.screen)
        d.resize(120, 30)
        d.send("<Tab>")
        XCTAssertEqual(firstBodyLine(d), "a0 line 31")
    }

    func testSearchSmartCaseWrapAndHighlights() {
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 30)
        d.send("/LINE 5<CR>")
        XCTAssertEqual(d.state.message?.text, "Pattern not found: LINE 5", "a capital makes the search case-sensitive")
        d.send("/line 5<CR>")
        XCTAssertEqual(d.state.message?.text, "/line 5  match 1 of 11")
        d.send("n")
        XCTAssertEqual(d.state.message?.text, "/line 5  match 2 of 11")
        let highlighted = d.styledRows { $0 == d.state.theme.searchMatch || $0 == d.state.theme.currentMatch }
        XCTAssertTrue(highlighted.contains { $0.contains("a1 [line 5]") }, "matches show in the other pane too:\n" + highlighted.joined(separator: "\n"))
        d.send("N")
        XCTAssertEqual(d.state.message?.text, "/line 5  match 1 of 11")
        d.send("N")
        XCTAssertTrue(d.state.message!.text.contains("search hit TOP"), d.state.message!.text)
        d.send("<Esc>")
        XCTAssertNil(d.state.search)
    }

    func testPickerFiltersAndOpens() {
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 30)
        d.send("o")
        XCTAssertEqual(d.state.mode.name, "PICKER")
        XCTAssertTrue(d.screen.contains("Open article in pane 1"))
        d.send("a2")
        guard case .picker(let p) = d.state.mode else { return XCTFail() }
        XCTAssertEqual(p.matches, [2])
        d.send("<CR>")
        XCTAssertEqual(d.state.panes[0].article, 2)
        XCTAssertEqual(d.state.mode, .normal)
        d.send("o<Esc>")
        XCTAssertEqual(d.state.mode, .normal)
    }

    func testCommandPromptCompletionAndErrors() {
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 30)
        d.send(":sy<Tab>")
        guard case .prompt(let p) = d.state.mode else { return XCTFail() }
        XCTAssertEqual(p.editor.text, "sync ")
        d.send("<CR>")
        XCTAssertTrue(d.state.sync)
        d.send(":nope<CR>")
        XCTAssertEqual(d.state.message?.isWarning, true)
        d.send(":25<CR>")
        XCTAssertEqual(firstBodyLine(d), "a0 line 25")
        d.send(":open a1<CR>")
        XCTAssertEqual(d.state.panes[0].article, 1)
        let effects = d.send(":q<CR>")
        XCTAssertEqual(effects, [.quit])
    }

    func testHelpIsGeneratedFromTheRegistryAndKeymap() throws {
        var map = Keymap.defaults
        map.bind(try Key.parseSequence("<C-j>"), to: .scrollDown)
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 60, keymap: map)
        d.send("h")
        // The help may be longer than one screen: read it page by page.
        var screen = d.screen
        for _ in 0..<3 {
            d.send("<Space>")
            screen += d.screen
        }
        for c in Command.allCases { XCTAssertTrue(screen.contains(":\(c.rawValue) "), "help lists \(c.rawValue)") }
        XCTAssertTrue(screen.contains("<C-j>"), "rebound keys show in help")
        d.send("q")
        XCTAssertEqual(d.state.mode, .normal)
    }

    func testMouseFocusAndWheel() {
        var d = ScreenDriver(corpus: corpus(), width: 120, height: 30)
        d.click(x: 100, y: 10)
        XCTAssertEqual(d.state.focus, 1)
        d.state.update(.mouse(MouseEvent(x: 10, y: 10, action: .wheelDown)))
        XCTAssertEqual(firstBodyLine(d), "a0 line 4")
        XCTAssertEqual(d.state.focus, 1, "the wheel scrolls the pane under the pointer without focusing it")
    }

    func testLoadWarningsShowInTheStatusLineAndMessages() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-ui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data([0x00, 0x01, 0x02, 0xFF, 0x00]).write(to: dir.appendingPathComponent("blob.txt"))
        try Data([0x61, 0xFF, 0x62, 0x0A]).write(to: dir.appendingPathComponent("bad.txt"))
        try Data("A sentence.\n".utf8).write(to: dir.appendingPathComponent("good.txt"))
        let corpus = try CorpusLoader.load(paths: [dir.path])
        var d = ScreenDriver(corpus: corpus, width: 160, height: 30)
        let status = d.lines.last ?? ""
        XCTAssertTrue(status.contains("bad.txt: invalid UTF-8"), status)
        XCTAssertTrue(status.contains("+1 more, :messages"), status)
        XCTAssertTrue(d.screen.contains("a\u{FFFD}b"), "invalid UTF-8 shows as U+FFFD")
        d.send(":messages<CR>")
        XCTAssertTrue(d.screen.contains("blob.txt: binary file, skipped"), d.screen)
        XCTAssertEqual(d.state.mode.name, "MESSAGES")
    }

    func testHugeSingleLineArticleOpensAndEndsQuickly() {
        // 5 MB on one line: the first frame and G need only the lines on screen.
        let unit = "The quick brown fox jumps over the lazy dog, and keeps running. "
        let body = String(repeating: unit, count: 5_000_000 / unit.utf8.count)
        let corpus = TestCorpus.make([(id: "huge", title: "Huge", body: body)])
        var d = ScreenDriver(corpus: corpus, width: 100, height: 30)
        XCTAssertTrue(d.lines[4].hasPrefix(" The quick brown fox"), d.lines[4])
        d.send("G")
        XCTAssertTrue(d.lines[0].contains("Bot"), d.lines[0])
        let last = d.lines[d.lines.count - 2]
        XCTAssertTrue(last.contains("keeps running."), last)
        d.send("g")
        XCTAssertTrue(d.lines[0].contains("Top"))
    }
}
