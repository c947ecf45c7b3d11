import ParallaxCore
import ParallaxTestSupport
import XCTest
@testable import ParallaxUI

/// The reader's entity features over a hand-made analysis (the recognizer has its own tests).
final class EntityViewTests: XCTestCase {
    /// Two articles; "Raffensperger" is entity 0 (PERSON), "Georgia" entity 1 (GPE).
    func driver(height: Int = 30) -> ScreenDriver {
        let filler = (1...40).map { "Filler line \($0)." }.joined(separator: "\n")
        let a = "Brad Raffensperger spoke in Georgia.\n" + filler + "\nLater Raffensperger left.\n"
        let b = filler + "\nIn Georgia, Raffensperger answered.\n"
        let corpus = TestCorpus.make([(id: "a", title: "A", body: a), (id: "b", title: "B", body: b)])
        func ranges(_ text: String, _ word: String) -> [Range<Int>] {
            let scalars = Array(text.unicodeScalars)
            let w = Array(word.unicodeScalars)
            var out: [Range<Int>] = []
            var i = 0
            while i + w.count <= scalars.count {
                if Array(scalars[i..<(i + w.count)]) == w { out.append(i..<(i + w.count)); i += w.count } else { i += 1 }
            }
            return out
        }
        func mention(_ article: String, _ text: String, _ r: Range<Int>, _ type: EntityType, _ e: Int) -> EntityMention {
            EntityMention(article: article, range: r, tokens: 0..<0, text: String(String.UnicodeScalarView(Array(text.unicodeScalars)[r])), type: type, entity: EntityID(e), evidence: "test")
        }
        var ma = [mention("a", a, 0..<18, .person, 0)]
        ma += ranges(a, "Raffensperger").dropFirst().map { mention("a", a, $0, .person, 0) }
        ma += ranges(a, "Georgia").map { mention("a", a, $0, .gpe, 1) }
        let mb = ranges(b, "Raffensperger").map { mention("b", b, $0, .person, 0) } + ranges(b, "Georgia").map { mention("b", b, $0, .gpe, 1) }
        let all = ma + mb
        let analysis = EntityAnalysis(
            entities: [
                Entity(id: EntityID(0), name: "Brad Raffensperger", type: .person, aliases: ["Brad Raffensperger", "Raffensperger"], mentions: all.filter { $0.entity == EntityID(0) }),
                Entity(id: EntityID(1), name: "Georgia", type: .gpe, aliases: ["Georgia"], mentions: all.filter { $0.entity == EntityID(1) }),
            ],
            mentionsByArticle: ["a": ma, "b": mb])
        var d = ScreenDriver(corpus: corpus, width: 120, height: height)
        d.state.receive(analysis)
        return d
    }

    func testMentionsAreStyledByType() {
        let d = driver()
        let person = d.styledRows { $0 == d.state.theme.entity(.person) }
        XCTAssertTrue(person.contains { $0.contains("[Brad Raffensperger] spoke") }, person.joined(separator: "\n"))
        let place = d.styledRows { $0 == d.state.theme.entity(.gpe) }
        XCTAssertTrue(place.contains { $0.contains("in [Georgia]") })
    }

    func testMonochromeTypesDifferWithoutColour() {
        let theme = Theme.make(.monochrome)
        let styles = EntityType.allCases.map { theme.entity($0) }
        XCTAssertEqual(Set(styles.map(\.attributes.rawValue)).count, EntityType.allCases.count, "each type has its own non-colour cue")
        XCTAssertTrue(styles.allSatisfy { $0.fg == .default && $0.bg == .default })
    }

    func testNextMentionAndSameEntity() {
        var d = driver()
        d.send("]e")
        XCTAssertTrue(d.state.message!.text.hasPrefix("PERSON Brad Raffensperger · 1/2 here · 3 in 2 sources"), d.state.message!.text)
        d.send("]e")
        XCTAssertTrue(d.state.message!.text.hasPrefix("GPE Georgia"))
        d.send("[e]E")
        XCTAssertTrue(d.state.message!.text.hasPrefix("PERSON Brad Raffensperger · 2/2 here"), d.state.message!.text)
        let current = d.styledRows { $0.attributes.contains(.reverse) && $0 != d.state.theme.header && $0 != d.state.theme.status }
        XCTAssertTrue(current.contains { $0.contains("Later [Raffensperger] left") }, current.joined(separator: "\n"))
        d.send("]E")
        XCTAssertTrue(d.state.message!.text.contains("1/2 here"), "wraps to the first mention")
        XCTAssertTrue(d.state.message!.text.contains("(wrapped)"))
    }

    func testStarAlignsOtherPanesOnTheSameRow() {
        var d = driver()
        d.send("]e")
        d.send("*")
        XCTAssertEqual(d.state.message?.text, "Brad Raffensperger: b 1/1")
        let rowA = d.state.screenRow(of: d.state.mentionsByArticle[0][0].range.lowerBound, pane: 0)
        let rowB = d.state.screenRow(of: d.state.twinMentions[1]!.lowerBound, pane: 1)
        XCTAssertNotNil(rowB, "the other pane scrolled to show its mention")
        XCTAssertEqual(rowA, 0)
        // The first mention sits on the first row of pane 0; the twin is as high as pane 1 can put it.
        d.send("]E")  // "Later Raffensperger", near the bottom of article a
        d.send("*")
        XCTAssertEqual(d.state.screenRow(of: d.state.currentMentionRange!.lowerBound, pane: 0),
                       d.state.screenRow(of: d.state.twinMentions[1]!.lowerBound, pane: 1), "same screen row")
    }

    func testEntityPanelSortsFiltersAndJumps() {
        var d = driver(height: 40)
        d.send("E")
        XCTAssertEqual(d.state.mode.name, "ENTITIES")
        let screen = d.screen
        XCTAssertTrue(screen.contains("[P] Brad Raffensperger"), screen)
        XCTAssertTrue(screen.lines.contains { $0.contains("Brad Raffensperger") && $0.contains("   2    1") }, screen)
        d.send("s")  // by mentions
        d.send("s")  // by name
        guard case .entityPanel(let p) = d.state.mode else { return XCTFail() }
        XCTAssertEqual(p.sort, .name)
        XCTAssertEqual(d.state.entityRows(p), [0, 1])
        d.send("/geo<CR>")
        guard case .entityPanel(let p2) = d.state.mode else { return XCTFail() }
        XCTAssertEqual(d.state.entityRows(p2), [1])
        d.send("<CR>")
        XCTAssertEqual(d.state.mode, .normal)
        XCTAssertTrue(d.state.message!.text.hasPrefix("GPE Georgia"))
    }

    func testHighlightToggles() {
        var d = driver()
        d.send("T")
        XCTAssertTrue(d.state.highlightTypes.isEmpty)
        XCTAssertFalse(d.styledRows { $0 == d.state.theme.entity(.person) }.joined().contains("["))
        d.send("T")
        d.send(":highlight person<CR>")
        XCTAssertFalse(d.state.highlightTypes.contains(.person))
        XCTAssertTrue(d.state.highlightTypes.contains(.gpe))
        d.send(":highlight bogus<CR>")
        XCTAssertEqual(d.state.message?.isWarning, true)
    }

    func testBeforeAnalysisKeysSaySo() {
        let corpus = TestCorpus.make([(id: "a", title: "A", body: "Text.")])
        var d = ScreenDriver(corpus: corpus, width: 80, height: 20)
        d.state.analysisPending = true
        d.send("]e")
        XCTAssertEqual(d.state.message?.text, "entities are still being analysed…")
        XCTAssertTrue(d.screen.contains("analysing entities…"))
    }
}

extension AppState {
    var currentMentionRange: Range<Int>? {
        guard let c = currentMention else { return nil }
        return mentionsByArticle[c.article][c.index].range
    }
}

extension String {
    var lines: [Substring] { split(separator: "\n") }
}
