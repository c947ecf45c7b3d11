import ParallaxCore
import ParallaxTestSupport
import XCTest
@testable import ParallaxUI

/// The reader's quote features over a hand-made quote analysis (the analyzer has its own tests).
final class QuoteViewTests: XCTestCase {
    static let a = (1...30).map { "Line \($0) of a." }.joined(separator: "\n")
        + "\nHe said, \"I just want to find 11,780 votes.\"\n" + (31...60).map { "Line \($0) of a." }.joined(separator: "\n")
    static let b = (1...20).map { "Line \($0) of b." }.joined(separator: "\n")
        + "\nHe wanted to \"find 11,780 votes\" there.\n" + (21...50).map { "Line \($0) of b." }.joined(separator: "\n")
        + "\nAgain: \"find\" it.\n"

    func range(of needle: String, in text: String) -> Range<Int> {
        let s = Array(text.unicodeScalars), n = Array(needle.unicodeScalars)
        for i in 0...(s.count - n.count) where Array(s[i..<(i + n.count)]) == n { return i..<(i + n.count) }
        XCTFail("\(needle) not found in the test text")
        return 0..<0
    }

    func driver() -> ScreenDriver {
        let corpus = TestCorpus.make([(id: "a", title: "A", body: Self.a), (id: "b", title: "B", body: Self.b)])
        let trump = Speaker(entity: nil, name: "Donald Trump", evidence: "'He said' before the quote")
        let q1 = Quote(id: QuoteID(0), article: "a", range: range(of: "I just want to find 11,780 votes.", in: Self.a),
                       text: "I just want to find 11,780 votes.", isFragment: false, speaker: trump, cluster: ClusterID(0))
        let q2 = Quote(id: QuoteID(1), article: "b", range: range(of: "find 11,780 votes", in: Self.b),
                       text: "find 11,780 votes", isFragment: false, speaker: trump, cluster: ClusterID(0))
        let q3 = Quote(id: QuoteID(2), article: "b", range: range(of: "find\" it", in: Self.b).lowerBound..<(range(of: "find\" it", in: Self.b).lowerBound + 4),
                       text: "find", isFragment: true, speaker: trump, cluster: ClusterID(0))
        let cluster = QuoteCluster(id: ClusterID(0), quotes: [QuoteID(0), QuoteID(1), QuoteID(2)],
                                   links: [QuoteLink(a: QuoteID(1), b: QuoteID(0), kind: .fragment, score: 0.9), QuoteLink(a: QuoteID(2), b: QuoteID(0), kind: .fragment, score: 0.6)],
                                   root: QuoteID(0))
        var d = ScreenDriver(corpus: corpus, width: 120, height: 30)
        d.state.receive(QuoteAnalysis(quotes: [q1, q2, q3], clusters: [cluster]))
        return d
    }

    func testNextQuoteDescribesSpeakerAndCluster() {
        var d = driver()
        d.send("]q")
        XCTAssertEqual(d.state.message?.text,
                       "quote 1/1 · Donald Trump ('He said' before the quote) · same utterance in 2 of 2 sources · t twins")
        let current = d.styledRows { $0 == d.state.theme.currentQuote }
        XCTAssertTrue(current.contains { $0.contains("\"[I just want to find 11,780 votes.]\"") }, current.joined(separator: "\n"))
    }

    func testTwinsAlignOnTheSameRowCycleAndGoBack() {
        var d = driver()
        let topBefore = d.state.panes[1].top
        d.send("]q")
        d.send("t")
        XCTAssertTrue(d.state.message!.text.hasPrefix("twins: b fragment 1/2"), d.state.message!.text)
        let rowA = d.state.screenRow(of: d.state.quotesByArticle[0][0].range.lowerBound, pane: 0)
        let rowB = d.state.screenRow(of: d.state.twinQuotes[1]!.lowerBound, pane: 1)
        XCTAssertNotNil(rowA)
        XCTAssertEqual(rowA, rowB, "the twin sits on the same screen row")
        let twin = d.styledRows { $0 == d.state.theme.currentQuote }
        XCTAssertTrue(twin.contains { $0.contains("[find 11,780 votes]") }, twin.joined(separator: "\n"))
        d.send("t")
        XCTAssertTrue(d.state.message!.text.hasPrefix("twins: b fragment 2/2"), d.state.message!.text)
        XCTAssertEqual(d.state.twinQuotes[1]?.count, 4, "cycled to the one-word version")
        d.send("<C-o>")
        XCTAssertEqual(d.state.panes[1].top, topBefore, "back where the pane was")
    }

    func testQuoteMapAndVersionsWithWordDiff() {
        var d = driver()
        d.send("Q")
        XCTAssertEqual(d.state.mode.name, "QUOTES")
        let map = d.screen
        XCTAssertTrue(map.contains("Donald Trump"), map)
        XCTAssertTrue(map.contains("“I just want to find 11,780 votes.”"), map)
        XCTAssertTrue(map.contains("●    ◔"), map)
        d.send("<CR>")
        XCTAssertEqual(d.state.mode.name, "VERSIONS")
        let versions = d.screen
        XCTAssertTrue(versions.contains("a longest"), versions)
        XCTAssertTrue(versions.contains("[-I just want to-] find 11,780 votes"), versions)
        d.send("q")
        XCTAssertEqual(d.state.mode.name, "QUOTES")
        d.send("q")
        XCTAssertEqual(d.state.mode, .normal)
    }

    /// A cluster of 60 versions in 60 articles: the map shows the spread, and the versions view
    /// scrolls line by line, pages, jumps to the end (the last version's last line on the last
    /// row, no further) and back to the top.
    func testVersionsOfALargeClusterScrollToTheEndAndBack() {
        let n = 60
        let bodies = (0..<n).map { i in "Intro \(i).\nShe said \"we counted version \(i) of the ballots twice\" today.\n" }
        let corpus = TestCorpus.make((0..<n).map { (id: String(format: "a%02d", $0), title: "T\($0)", body: bodies[$0]) })
        let speaker = Speaker(entity: nil, name: "Ann Lee", evidence: "test")
        let quotes = (0..<n).map { i in
            Quote(id: QuoteID(i), article: String(format: "a%02d", i), range: range(of: "we counted version \(i) of the ballots twice", in: bodies[i]),
                  text: "we counted version \(i) of the ballots twice", isFragment: false, speaker: speaker, cluster: ClusterID(0))
        }
        let links = (1..<n).map { QuoteLink(a: QuoteID($0), b: QuoteID(0), kind: .variant, score: 0.9) }
        var d = ScreenDriver(corpus: corpus, width: 100, height: 20)
        d.state.receive(QuoteAnalysis(quotes: quotes, clusters: [QuoteCluster(id: ClusterID(0), quotes: quotes.map(\.id), links: links, root: QuoteID(0))]))
        d.send("Q")
        XCTAssertTrue(d.screen.contains("1 clusters across 60 sources"), d.screen)
        d.send("<CR>")
        XCTAssertTrue(d.screen.contains("60 versions"), d.screen)
        XCTAssertTrue(d.screen.contains("a00 longest"), d.screen)
        d.send("j")
        d.send("j")
        XCTAssertFalse(d.screen.contains("a00 longest"), "two lines down, the first version (one line and a blank) is gone:\n\(d.screen)")
        XCTAssertTrue(d.screen.contains("a01 variant"), d.screen)
        d.send("G")
        let end = d.screen
        XCTAssertTrue(end.contains("a59 variant"), end)
        XCTAssertFalse(end.contains("a40 variant"), end)
        let rows = end.components(separatedBy: "\n")
        let last = rows.lastIndex { $0.contains("a59 variant") }!
        XCTAssertEqual(last, 20 - 4, "the last version sits on the last text row (its blank line below it):\n\(end)")
        d.send("j")
        XCTAssertEqual(d.screen, end, "no scrolling past the end")
        d.send("k")
        XCTAssertNotEqual(d.screen, end)
        d.send("g")
        XCTAssertTrue(d.screen.contains("a00 longest"), d.screen)
        d.send("<Space>")
        XCTAssertFalse(d.screen.contains("a05 variant"), d.screen)
        XCTAssertTrue(d.screen.contains("a10 variant"), d.screen)
    }

    func testWordDiff() {
        XCTAssertEqual(WordDiff.diff(version: "find 11,780 votes", longest: "I just want to find 11,780 votes."),
                       [.omitted("I just want to"), .same("find 11,780 votes")])
        XCTAssertEqual(WordDiff.diff(version: "there’s nothing wrong with saying, you know, um, that",
                                     longest: "there's nothing wrong with saying, you know, that"),
                       [.same("there’s nothing wrong with saying, you know,"), .inserted("um,"), .same("that")])
        XCTAssertEqual(WordDiff.diff(version: "I just want to find 11,780 votes", longest: "So look. All I want to do is this. I just want to find 11,780 votes"),
                       [.omitted("So look. All I want to do is this."), .same("I just want to find 11,780 votes")],
                       "a truncated version matches as one stretch")
        XCTAssertEqual(WordDiff.diff(version: "He has no idea.", longest: "He has no clue!"),
                       [.same("He has no"), .omitted("clue!"), .inserted("idea.")])
    }
}
