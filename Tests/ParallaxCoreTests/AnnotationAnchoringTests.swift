import Foundation
import XCTest

@testable import ParallaxCore

final class AnnotationAnchoringTests: XCTestCase {
    let para1 = "The minister said on Monday that the new rail plan was fully funded by the treasury."
    let para2 = "Critics at the UN said the figures did not add up, and the UN budget office agreed."
    let para3 = "A spokesman declined to comment further on the matter 😀 late in the evening."

    var original: String { [para1, para2, para3].joined(separator: "\n\n") }

    /// An annotation on the first occurrence of `exact` (after `after`, if given) in `text`.
    func annotate(_ text: String, _ exact: String, after: String? = nil) -> (Annotation, TextBuffer) {
        let buffer = TextBuffer(text)
        let scalars = Array(text.unicodeScalars)
        let q = Array(exact.unicodeScalars)
        var from = 0
        if let after { from = Anchoring.occurrences(of: Array(after.unicodeScalars), in: scalars)[0] }
        let start = Anchoring.occurrences(of: q, in: scalars).first { $0 >= from }!
        let range = start..<start + q.count
        let a = Annotation(
            annotator: "a", session: "s", articleID: "x", contentHash: buffer.contentHash, label: "claim", note: "",
            quote: QuoteSelector(range: range, in: buffer), position: PositionSelector(start: range.lowerBound, end: range.upperBound))
        XCTAssertEqual(buffer.string(range), exact)
        return (a, buffer)
    }

    func range(of exact: String, in text: String, occurrence: Int = 0) -> Range<Int> {
        let start = Anchoring.occurrences(of: Array(exact.unicodeScalars), in: Array(text.unicodeScalars))[occurrence]
        return start..<start + exact.unicodeScalars.count
    }

    func testSameHashUsesPosition() {
        let (a, old) = annotate(original, "fully funded")
        let anchor = Anchoring.anchor(a, in: old)
        XCTAssertEqual(anchor, Anchor(state: .anchored, range: a.range, method: .position, score: 1))
    }

    func testInsertionBeforeTheSpan() {
        let (a, old) = annotate(original, "fully funded")
        let changed = "UPDATED: " + original
        let anchor = Anchoring.anchor(a, in: TextBuffer(changed), previousText: old)
        XCTAssertEqual(anchor.state, .moved)
        XCTAssertEqual(anchor.method, .exact)
        XCTAssertEqual(anchor.range, a.position.start + 9..<a.position.end + 9)
    }

    func testEditInsideTheSpan() {
        let (a, old) = annotate(original, "the new rail plan was fully funded by the treasury")
        let changed = "Breaking. " + original.replacingOccurrences(of: "was fully funded", with: "was largely funded")
        let expected = range(of: "the new rail plan was largely funded by the treasury", in: changed)
        // With the old text: mapped through the diff.
        let viaDiff = Anchoring.anchor(a, in: TextBuffer(changed), previousText: old)
        XCTAssertEqual(viaDiff.state, .moved)
        XCTAssertEqual(viaDiff.method, .diff)
        XCTAssertEqual(viaDiff.range, expected)
        XCTAssertGreaterThan(viaDiff.score, 0.75)
        // Without it: the approximate match finds the same span.
        let viaFuzzy = Anchoring.anchor(a, in: TextBuffer(changed))
        XCTAssertEqual(viaFuzzy.state, .moved)
        XCTAssertEqual(viaFuzzy.method, .fuzzy)
        XCTAssertEqual(viaFuzzy.range, expected)
    }

    func testDeletedSpanIsOrphaned() {
        let (a, old) = annotate(original, "Critics at the UN said the figures did not add up")
        let changed = [para1, para3].joined(separator: "\n\n")
        XCTAssertEqual(Anchoring.anchor(a, in: TextBuffer(changed), previousText: old), Anchor.orphaned)
        XCTAssertEqual(Anchoring.anchor(a, in: TextBuffer(changed)).state, .orphaned)
        // Rewritten beyond recognition: orphaned too, not a weak guess.
        let rewritten = [para1, "Opponents disputed every number in it.", para3].joined(separator: "\n\n")
        XCTAssertEqual(Anchoring.anchor(a, in: TextBuffer(rewritten), previousText: old).state, .orphaned)
        XCTAssertEqual(Anchoring.anchor(a, in: TextBuffer(rewritten)).state, .orphaned)
    }

    func testDuplicatedSentence() {
        let sentence = para2
        let (a, old) = annotate(original, sentence)
        // The sentence repeated right after itself: each copy keeps one side of the old context,
        // so the context cannot tell them apart.
        let changed = original.replacingOccurrences(of: sentence, with: sentence + " " + sentence)
        let blind = Anchoring.anchor(a, in: TextBuffer(changed))
        XCTAssertEqual(blind.state, .ambiguous)
        XCTAssertEqual(blind.candidates.count, 2)
        XCTAssertNil(blind.range)
        // The kept old text decides through the diff.
        let decided = Anchoring.anchor(a, in: TextBuffer(changed), previousText: old)
        XCTAssertEqual(decided.method, .diff)
        XCTAssertNotNil(decided.range)
        XCTAssertTrue(blind.candidates.contains(decided.range!))
        // Repeated elsewhere with other context: the context decides.
        let elsewhere = original + "\n\nAs reported: " + sentence + " More soon."
        let byContext = Anchoring.anchor(a, in: TextBuffer(elsewhere))
        XCTAssertEqual(byContext.state, .anchored)
        XCTAssertEqual(byContext.range, a.range)
    }

    func testShortSpans() {
        // "UN" occurs twice; the second one is annotated.
        let (a, old) = annotate(original, "UN", after: "the UN budget")
        let changed = "Note: " + original
        let anchor = Anchoring.anchor(a, in: TextBuffer(changed))
        XCTAssertEqual(anchor.state, .moved)
        XCTAssertEqual(anchor.range, range(of: "UN", in: changed, occurrence: 1))
        // One character.
        let (b, _) = annotate(original, "A", after: "A spokesman")
        let bAnchor = Anchoring.anchor(b, in: TextBuffer("x" + original))
        XCTAssertEqual(bAnchor.range, range(of: "A spokesman", in: "x" + original).lowerBound..<range(of: "A spokesman", in: "x" + original).lowerBound + 1)
        // Three characters whose context changed completely: never a confident guess.
        let (c, oldC) = annotate(original, "add", after: "did not")
        let other = "We add numbers. They add up. Nothing else to add."
        let cAnchor = Anchoring.anchor(c, in: TextBuffer(other))
        XCTAssertTrue([.ambiguous, .orphaned].contains(cAnchor.state), "\(cAnchor)")
        // Replaced: short quotes get no approximate match, and the diff finds too little of it.
        let edited = original.replacingOccurrences(of: "did not add up", with: "did not sum up")
        XCTAssertEqual(Anchoring.anchor(c, in: TextBuffer(edited)).state, .orphaned)
        XCTAssertEqual(Anchoring.anchor(c, in: TextBuffer(edited), previousText: oldC).state, .orphaned)
        // Repeated nearby: the surviving context picks the right one.
        let twice = original.replacingOccurrences(of: "did not add up", with: "did not add up, add up")
        XCTAssertEqual(Anchoring.anchor(c, in: TextBuffer(twice), previousText: old).range, c.range)
    }

    func testWhitespaceAndQuoteMarksOnly() {
        let text = "He called it “a total disgrace” — and left.\nThat was all."
        let (a, _) = annotate(text, "“a total disgrace” — and left")
        let changed = "He called it \"a  total\ndisgrace\" - and left.\r\nThat was all."
        let anchor = Anchoring.anchor(a, in: TextBuffer(changed))
        XCTAssertEqual(anchor.state, .moved)
        XCTAssertEqual(anchor.method, .normalized)
        XCTAssertEqual(TextBuffer(changed).string(anchor.range!), "\"a  total\ndisgrace\" - and left")
    }

    func testParagraphsReordered() {
        let (a, old) = annotate(original, "declined to comment further on the matter 😀")
        let changed = [para3, para1, para2].joined(separator: "\n\n")
        let anchor = Anchoring.anchor(a, in: TextBuffer(changed), previousText: old)
        XCTAssertEqual(anchor.state, .moved)
        XCTAssertEqual(anchor.range, range(of: "declined to comment further on the matter 😀", in: changed))
        // Offsets are scalars: the emoji counts as one.
        XCTAssertEqual(anchor.range?.count, 43)
    }

    func testDiffMapOffsets() {
        let old = TextBuffer("alpha beta gamma delta")
        let new = TextBuffer("alpha BETA gamma zeta delta!")
        let map = DiffMap(old: old, new: new)
        XCTAssertEqual(map.map(11..<16), 11..<16)  // gamma
        XCTAssertEqual(map.map(17..<22), 22..<27)  // delta
        XCTAssertNil(map.map(6..<10))  // beta replaced entirely
    }

    func testIndexedSearchFindsWhatTheScanFinds() {
        let text = Array((original + "\n\n" + original.uppercased() + " “the UN” — the UN, the UN…").unicodeScalars)
        for view in [Anchoring.Normalized(identity: text), Anchoring.Normalized(text)] {
            let searchable = Anchoring.Searchable(view)
            var quotes: [[Unicode.Scalar]] = [[], Array("😀".unicodeScalars), Array("zzz".unicodeScalars), Array(text.suffix(3))]
            for length in [1, 2, 3, 7, 40] {
                for start in stride(from: 0, to: view.scalars.count - length, by: 13) { quotes.append(Array(view.scalars[start..<start + length])) }
            }
            // The first few searches scan; the rest go through the index.
            for q in quotes { XCTAssertEqual(searchable.occurrences(of: q), Anchoring.occurrences(of: q, in: view.scalars), String(String.UnicodeScalarView(q))) }
        }
    }

    func testStoreAnchorsMatchAnchoringOneByOne() throws {
        let folder = try makeTempFolder(self)
        let store = try AnnotationStore(path: folder.appendingPathComponent("a.sqlite").path)
        let old = TextBuffer(original)
        let scalars = Array(original.unicodeScalars)
        for start in stride(from: 0, to: scalars.count - 12, by: 5) {
            try store.create(AnnotationDraft(articleID: "x", range: start..<start + 3 + start % 10, label: "claim"), text: old, session: "s", annotator: "a")
        }
        let changes = [
            original, "UPDATED: " + original, [para3, para1, para2].joined(separator: "\n\n"),
            original.replacingOccurrences(of: para2, with: para2 + " " + para2),
            original.replacingOccurrences(of: "fully funded", with: "largely funded").replacingOccurrences(of: "\n\n", with: "\n"),
        ]
        for changed in changes.map(TextBuffer.init) {
            let anchors = try store.anchors(articleID: "x", text: changed)
            XCTAssertEqual(anchors.count, (scalars.count - 12 + 4) / 5)
            for a in anchors {
                XCTAssertEqual(a.anchor, Anchoring.anchor(a.annotation, in: changed, previousText: old), "\(a.annotation.quote.exact)")
            }
        }
    }

    func testAnchoredRangesAreTheRangesOfTheAnchors() throws {
        let folder = try makeTempFolder(self)
        let store = try AnnotationStore(path: folder.appendingPathComponent("a.sqlite").path)
        let old = TextBuffer(original)
        let updated = TextBuffer("UPDATED: " + original.replacingOccurrences(of: "fully funded", with: "largely funded"))
        var ids: [String] = []
        for start in stride(from: 0, to: old.scalarCount - 12, by: 7) {
            ids.append(try store.create(AnnotationDraft(articleID: "x", range: start..<start + 2 + start % 11, label: "claim"), text: old, session: "s", annotator: "a").id)
        }
        for start in stride(from: 3, to: updated.scalarCount - 12, by: 17) {
            try store.create(AnnotationDraft(articleID: "x", range: start..<start + 9, label: "claim"), text: updated, session: "s", annotator: "a")
        }
        try store.create(AnnotationDraft(articleID: "y", range: 0..<5, label: "claim"), text: old, session: "s", annotator: "a")
        try store.edit(id: ids[1], label: "disputed", session: "s", annotator: "a")
        try store.edit(id: ids[2], range: 30..<41, text: updated, session: "s", annotator: "a")
        try store.delete(id: ids[3], session: "s", annotator: "a")
        // Said to be made on the updated text, but not where its quote is there, and one with a
        // quote found nowhere: both go through full anchoring.
        let misplaced = Annotation(
            annotator: "b", session: "s", articleID: "x", contentHash: updated.contentHash, label: "claim", note: "",
            quote: QuoteSelector(exact: "the UN budget", prefix: "and ", suffix: " office"), position: PositionSelector(start: 2, end: 15))
        let lost = Annotation(
            annotator: "b", session: "s", articleID: "x", contentHash: "unknown", label: "claim", note: "",
            quote: QuoteSelector(exact: "nothing like this", prefix: "", suffix: ""), position: PositionSelector(start: 0, end: 17))
        XCTAssertEqual(try store.importAnnotations([misplaced, lost], session: "s", annotator: "b"), 2)
        let texts = [old, updated, TextBuffer([para3, para1, para2].joined(separator: "\n\n")), TextBuffer("")]
        for text in texts {
            let anchors = try store.anchors(articleID: "x", text: text)
            let expected = anchors.compactMap(\.anchor.range).filter { !$0.isEmpty }.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
            XCTAssertEqual(try store.anchoredRanges(articleID: "x", text: text), expected)
        }
        // The misplaced one lands on its quote.
        let budget = range(of: "the UN budget", in: updated.string)
        XCTAssertTrue(try store.anchoredRanges(articleID: "x", text: updated).contains(budget))
        XCTAssertFalse(try store.anchoredRanges(articleID: "x", text: updated).contains(2..<15))
        XCTAssertEqual(try store.anchoredRanges(articleID: "none", text: old), [])
    }

    func testStoreAnchorsUseKeptTexts() throws {
        let folder = try makeTempFolder(self)
        let store = try AnnotationStore(path: folder.appendingPathComponent("a.sqlite").path)
        let old = TextBuffer(original)
        let sentence = para1
        let r = range(of: sentence, in: original)
        let a = try store.create(AnnotationDraft(articleID: "x", range: r, label: "claim"), text: old, session: "s", annotator: "a")
        let changed = TextBuffer(original.replacingOccurrences(of: sentence, with: sentence + " " + sentence))
        let anchors = try store.anchors(articleID: "x", text: changed)
        XCTAssertEqual(anchors.count, 1)
        XCTAssertEqual(anchors[0].annotation.id, a.id)
        XCTAssertNotEqual(anchors[0].anchor.state, .ambiguous)
        // Confirming the new place updates the selectors and the hash.
        let confirmed = try store.edit(id: a.id, range: anchors[0].anchor.range!, text: changed, session: "s", annotator: "a")
        XCTAssertEqual(confirmed.contentHash, changed.contentHash)
        XCTAssertEqual(try store.anchors(articleID: "x", text: changed)[0].anchor.state, .anchored)
    }
}
