import ParallaxCore
import ParallaxTestSupport
import XCTest
@testable import ParallaxUI

/// The reading cursor and visual selection: motions by word, sentence and paragraph.
final class CursorSelectionTests: XCTestCase {
    static let body = "First sentence here. Second one follows.\n\nNew paragraph starts. It ends.\n\n"
        + (1...60).map { "Filler line \($0)." }.joined(separator: "\n")

    func driver() -> ScreenDriver {
        ScreenDriver(corpus: TestCorpus.make([(id: "a", title: "A", body: Self.body)]), width: 80, height: 24)
    }

    func text(_ d: ScreenDriver, _ r: Range<Int>?) -> String? {
        r.map { d.state.article(for: 0).text.string($0) }
    }

    func testWordMotions() {
        var d = driver()
        d.send("w")
        XCTAssertEqual(text(d, d.state.cursor?.word), "First")
        d.send("w")
        XCTAssertEqual(text(d, d.state.cursor?.word), "sentence")
        d.send("2w")
        XCTAssertEqual(text(d, d.state.cursor?.word), "Second")
        d.send("B")
        XCTAssertEqual(text(d, d.state.cursor?.word), "here")
        // The cursor is drawn reverse and underlined.
        let rows = d.styledRows { $0.attributes.contains(.reverse) && $0.attributes.contains(.underline) }
        XCTAssertTrue(rows.contains { $0.contains("[here]") }, rows.joined(separator: "\n"))
    }

    func testSentenceAndParagraphMotions() {
        var d = driver()
        d.send("w)")
        XCTAssertEqual(text(d, d.state.cursor?.word), "Second")
        d.send("w(")
        XCTAssertEqual(text(d, d.state.cursor?.word), "Second")
        d.send("(")
        XCTAssertEqual(text(d, d.state.cursor?.word), "First")
        d.send("}")
        XCTAssertEqual(text(d, d.state.cursor?.word), "New")
        d.send("}")
        XCTAssertEqual(text(d, d.state.cursor?.word), "Filler")
        d.send("{")
        XCTAssertEqual(text(d, d.state.cursor?.word), "New")
    }

    func testVisualSelectionExtendsAndEscClears() {
        var d = driver()
        d.send("wvww")
        XCTAssertEqual(text(d, d.state.cursor?.selection), "First sentence here")
        let rows = d.styledRows { $0 == d.state.theme.selection.merged(with: d.state.theme.selection) || $0.bg == d.state.theme.selection.bg }
        XCTAssertTrue(rows.contains { $0.contains("[First sentence here]") }, rows.joined(separator: "\n"))
        d.send("<Esc>")
        XCTAssertNil(d.state.cursor?.selection)
        XCTAssertNotNil(d.state.cursor)
        d.send("V")
        XCTAssertEqual(text(d, d.state.cursor?.selection), "First sentence here.")
        d.send("<Esc><Esc>")
        XCTAssertNil(d.state.cursor)
    }

    func testCursorScrollsIntoView() {
        var d = driver()
        d.send("w30}")
        XCTAssertEqual(text(d, d.state.cursor?.word), "Filler")
        d.send("60w")
        XCTAssertTrue(d.screen.contains("Filler line 21."), d.screen)
        XCTAssertGreaterThan(d.state.panes[0].top, 0)
    }

    func testMentionAndQuoteSelectionNeedAnalysis() {
        var d = driver()
        d.send("wm")
        XCTAssertEqual(d.state.message?.isWarning, true)
        XCTAssertNil(d.state.cursor?.selection)
    }

    func testCursorScrolledAwayRestartsOnScreen() {
        var d = driver()
        d.send("ww")
        XCTAssertEqual(text(d, d.state.cursor?.word), "sentence")
        d.send("<C-f>w")
        XCTAssertEqual(text(d, d.state.cursor?.word), "Filler")
        XCTAssertGreaterThanOrEqual(d.state.cursor?.word.lowerBound ?? 0, d.state.panes[0].top)
    }

    func testQuoteUnderTheCursorIsSelected() {
        var d = driver()
        let body = d.state.article(for: 0).text.string
        let scalars = Array(body.unicodeScalars)
        let needle = Array("Second one follows.".unicodeScalars)
        let start = (0...(scalars.count - needle.count)).first { Array(scalars[$0..<($0 + needle.count)]) == needle }!
        let q = Quote(id: QuoteID(0), article: "a", range: start..<(start + needle.count), text: "Second one follows.", isFragment: false,
                      speaker: Speaker(entity: nil, name: "Someone", evidence: "test"), cluster: ClusterID(0))
        d.state.receive(QuoteAnalysis(quotes: [q], clusters: [QuoteCluster(id: ClusterID(0), quotes: [QuoteID(0)], links: [], root: QuoteID(0))]))
        d.send("w)wM")
        XCTAssertEqual(text(d, d.state.cursor?.selection), "Second one follows.")
    }
}
