import Foundation
import XCTest

@testable import ParallaxCore

final class RelatedLinkJunkTests: XCTestCase {
    func seed(_ prefix: String) throws -> Article {
        let corpus = try load([seedCorpusPath])
        return try XCTUnwrap(corpus.articles.first { $0.id.hasPrefix(prefix) })
    }

    func testSeed000ReadingViewIsClean() throws {
        let a = try seed("000")
        let view = a.visibleBody
        for expected in [
            "President Trump directly asked",
            "President-elect Joe Biden in the state",
            "Kelly Loeffler and David Perdue would hold",
            "Gov. Brian Kemp (R)",
            "Rudy Giuliani, has also",
        ] {
            XCTAssertTrue(view.contains(expected), "missing: \(expected)")
        }
        for junk in ["MORE", "Juneteenth", "Obama", "Warnock", "Denver", "Swalwell"] {
            XCTAssertFalse(view.contains(junk), "junk left: \(junk)")
        }
        // Story text around the widgets is untouched.
        XCTAssertTrue(view.contains("He has also publicly called for Kemp to resign."))
        XCTAssertTrue(view.contains("one more than we have"))
    }

    func testSeed000HasSixJunkSpansEachFromTheSecondNameThroughMORE() throws {
        let a = try seed("000")
        XCTAssertEqual(a.hiddenRanges.count, 6)
        let spans = a.hiddenRanges.map { a.text.string($0) }
        let starts = ["Donald Trump", "Joe Biden", "Kelly Loeffler", "David Perdue", "Brian Kemp", "Rudy Giuliani"]
        for (span, start) in zip(spans, starts) {
            XCTAssertTrue(span.hasPrefix(start), span)
            XCTAssertTrue(span.hasSuffix(" MORE"), span)
        }
        // Python: text.index("TrumpDonald") + len("Trump")
        let scalars = Array(a.text.string.unicodeScalars)
        let firstSpan = a.hiddenRanges[0]
        XCTAssertEqual(String(String.UnicodeScalarView(scalars[(firstSpan.lowerBound - 5)..<firstSpan.lowerBound])), "Trump")
        XCTAssertEqual(scalars[firstSpan.upperBound], " ")
    }

    func testOtherSeedsHaveNoJunk() throws {
        let corpus = try load([seedCorpusPath])
        for a in corpus.articles where !a.id.hasPrefix("000") {
            XCTAssertEqual(a.hiddenRanges, [], a.id)
            XCTAssertEqual(RelatedLinkJunk.ranges(in: a.text, range: 0..<a.text.scalarCount), [], a.id)
        }
    }

    func junk(_ s: String) -> [String] {
        let t = TextBuffer(s)
        return RelatedLinkJunk.ranges(in: t, range: 0..<t.scalarCount).map { t.string($0) }
    }

    func testGeneralPatterns() {
        // Before a no-break space, after non-ASCII text, with a nickname in parentheses.
        XCTAssertEqual(
            junk("Señor Sen. Mitch McConnellAddison (Mitch) Mitchell McConnellSenate passes bill MORE\u{00A0}said"),
            ["Addison (Mitch) Mitchell McConnellSenate passes bill MORE"])
        XCTAssertEqual(junk("Rep. Alexandria Ocasio-CortezAlexandria Ocasio-CortezOcasio-Cortez wins MORE."),
            ["Alexandria Ocasio-CortezOcasio-Cortez wins MORE"])
        XCTAssertEqual(junk("Zoë MüllerZoë MüllerÉlection rapide MORE"), ["Zoë MüllerÉlection rapide MORE"])
        XCTAssertEqual(junk("said TrumpDonald TrumpA headline MORE"), ["Donald TrumpA headline MORE"])
        // MORE at the very end of the text.
        XCTAssertEqual(junk("x TrumpDonald TrumpHeadline MORE"), ["Donald TrumpHeadline MORE"])
    }

    func testNoFalsePositives() {
        // No MORE terminator.
        XCTAssertEqual(junk("President TrumpDonald TrumpWhite House denies it. He left."), [])
        // MORE too far away.
        XCTAssertEqual(junk("TrumpDonald TrumpWhite " + String(repeating: "word ", count: 200) + "MORE x"), [])
        // MORE on another line.
        XCTAssertEqual(junk("TrumpDonald TrumpWhite House\nMORE people"), [])
        // MORE inside a word or in lower case.
        XCTAssertEqual(junk("TrumpDonald TrumpWhite MOREOVER said"), [])
        XCTAssertEqual(junk("TrumpDonald TrumpWhite more said"), [])
        // A glue without the repeated surname.
        XCTAssertEqual(junk("the iPhone and JavaScript MORE fans"), [])
        XCTAssertEqual(junk("TrumpDonald Duck headline MORE"), [])
        XCTAssertEqual(junk("TrumpDonald Trumpet headline MORE"), [])
        // Spaced repetition is prose, not glue.
        XCTAssertEqual(junk("Trump Donald Trump said MORE"), [])
        // No headline between the name and MORE.
        XCTAssertEqual(junk("TrumpDonald Trump MORE"), [])
    }

    func testRangeLimitsTheSearch() throws {
        let a = try seed("000")
        let all = RelatedLinkJunk.ranges(in: a.text, range: 0..<a.text.scalarCount)
        XCTAssertEqual(all, a.hiddenRanges)
        let cut = all[1].upperBound
        XCTAssertEqual(RelatedLinkJunk.ranges(in: a.text, range: cut..<a.text.scalarCount), Array(all[2...]))
        XCTAssertEqual(RelatedLinkJunk.ranges(in: a.text, range: 0..<cut), Array(all[..<2]))
    }

    /// Linear time: a big text made of near-miss glue points and many MOREs finishes.
    func testLargeTextWithManyCandidates() {
        var s = ""
        let chunk = "aB TrumpDonald Duck x MORE, TrumpDonald TrumpNews item MORE ok. "
        for _ in 0..<20_000 { s += chunk }
        let t = TextBuffer(s)
        let r = RelatedLinkJunk.ranges(in: t, range: 0..<t.scalarCount)
        XCTAssertEqual(r.count, 20_000)
        XCTAssertEqual(t.string(r[0]), "Donald TrumpNews item MORE")
    }
}
