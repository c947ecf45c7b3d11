import Foundation
import ParallaxCore
import ParallaxTestSupport
import SnapshotTesting
import XCTest
@testable import ParallaxUI

/// Screens rendered into the in-memory grid and compared with text snapshots in
/// `__Snapshots__/`. Re-record after an intended UI change with `SNAPSHOT_TESTING_RECORD=all swift test`.
final class ScreenSnapshotTests: XCTestCase {
    static let corpusPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("corpus").path

    func seeds() throws -> Corpus { try CorpusLoader.load(paths: [Self.corpusPath]) }

    func testReaderThreePanes() throws {
        let d = ScreenDriver(corpus: try seeds(), width: 160, height: 45)
        assertSnapshot(of: d.screen, as: .lines)
    }

    func testReaderScrolledWithSearch() throws {
        var d = ScreenDriver(corpus: try seeds(), width: 160, height: 45)
        d.send("s4j/find<CR>")
        let marked = d.styledRows { $0.bg != .default && ($0 == d.state.theme.searchMatch || $0 == d.state.theme.currentMatch) }
        assertSnapshot(of: marked.joined(separator: "\n"), as: .lines)
    }

    func testNarrowTwoPanesShortTerminal() throws {
        let d = ScreenDriver(corpus: try seeds(), width: 100, height: 14)
        assertSnapshot(of: d.screen, as: .lines)
    }

    func testPicker() throws {
        var d = ScreenDriver(corpus: try seeds(), width: 120, height: 30)
        d.send("o")
        assertSnapshot(of: d.screen, as: .lines)
    }

    func testHelpOverlay() throws {
        var d = ScreenDriver(corpus: try seeds(), width: 110, height: 50)
        d.send("h")
        assertSnapshot(of: d.screen, as: .lines)
    }

    func testEntityPanelOnSeeds() throws {
        var d = ScreenDriver(corpus: try seeds(), width: 160, height: 45, analyze: true)
        d.send("E")
        assertSnapshot(of: d.screen, as: .lines)
    }

    func testEntityHighlightsOnSeeds() throws {
        let d = ScreenDriver(corpus: try seeds(), width: 160, height: 45, analyze: true)
        let marked = d.styledRows { s in EntityType.allCases.contains { d.state.theme.entity($0) == s } }
        assertSnapshot(of: marked.joined(separator: "\n"), as: .lines)
    }

    func testTooSmall() throws {
        let d = ScreenDriver(corpus: try seeds(), width: 19, height: 5)
        assertSnapshot(of: d.screen, as: .lines)
    }

    func testOriginalViewShowsRelatedLinkJunk() throws {
        var d = ScreenDriver(corpus: try seeds(), width: 160, height: 45, panes: 1)
        XCTAssertTrue(d.screen.contains("President Trump directly asked"))
        d.send("r")
        XCTAssertTrue(d.screen.contains("TrumpDonald TrumpWhite House"))
        XCTAssertTrue(d.screen.contains("ORIGINAL"))
    }

    func testMonochromeUsesNoColour() throws {
        let d = ScreenDriver(corpus: try seeds(), width: 160, height: 45, tier: .monochrome)
        for cell in d.frame.grid.cells {
            XCTAssertEqual(cell.style.fg, .default)
            XCTAssertEqual(cell.style.bg, .default)
        }
        // Focus is still visible without colour.
        XCTAssertTrue(d.frame.grid[1, 0].style.attributes.contains(.bold))
    }

    func testControlCharactersAreEscapedNeverRaw() throws {
        let corpus = TestCorpus.make([(id: "esc", title: "Escapes", body: "red \u{1B}[31mtext\u{07} and \u{9B}2J bidi \u{202E}abc")])
        let d = ScreenDriver(corpus: corpus, width: 80, height: 10)
        for cell in d.frame.grid.cells {
            for s in cell.text.unicodeScalars {
                XCTAssertFalse(s.value < 0x20 || (0x7F..<0xA0).contains(s.value) || s.value == 0x202E, "raw control U+\(String(s.value, radix: 16)) in a cell")
            }
        }
        XCTAssertTrue(d.screen.contains("red ^[[31mtext^G and <U+009B>2J bidi <U+202E>abc"), d.screen)
    }
}
