import Foundation
import ParallaxCore
import ParallaxTestSupport
import XCTest
@testable import ParallaxUI

/// Sessions started inside the reader, re-placing and choosing among candidates in the panel,
/// and conflicting labels shown side by side.
final class AnnotationSessionTests: XCTestCase {
    static let body = "First sentence here. Second one follows.\n\nNew paragraph starts. It ends.\n"

    var dir: URL!
    var storePath: String { dir.appendingPathComponent("annotations.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("annotation-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func store() throws -> AnnotationStore { try AnnotationStore(path: storePath) }

    func driver(body: String = AnnotationSessionTests.body, labels: [String] = AnnotationLabels.defaults) -> ScreenDriver {
        var d = ScreenDriver(corpus: TestCorpus.make([(id: "a", title: "A", body: body)]), width: 100, height: 24)
        d.state.annotationSetup = AnnotationSetup(storePath: storePath, annotator: "ann", labels: labels)
        return d
    }

    /// The scalar range of the first `needle` in `text`.
    func range(_ needle: String, in text: TextBuffer) -> Range<Int> {
        let scalars = Array(text.string.unicodeScalars)
        let n = Array(needle.unicodeScalars)
        let start = scalars.indices.first { i in i + n.count <= scalars.count && Array(scalars[i..<(i + n.count)]) == n }!
        return start..<(start + n.count)
    }

    // MARK: The panel's index

    /// The panel's index is brought up to date article by article: after this instance's saves
    /// and another instance's, it lists every annotation in corpus order, as a fresh build would;
    /// built a slice at a time (as the reader does when idle) it comes out the same.
    func testPanelIndexFollowsWritesArticleByArticle() throws {
        let corpus = TestCorpus.make(["a", "b", "c", "d"].map { (id: $0, title: $0.uppercased(), body: Self.body) })
        let service = AnnotationService(store: try store(), session: "s", annotator: "ann")
        func save(_ id: String, _ word: String, via s: AnnotationService) throws {
            let a = corpus.articles.first { $0.id == id }!
            try s.create(AnnotationDraft(articleID: id, range: range(word, in: a.text), label: "claim", note: "\(id) \(word)"), text: a.text)
        }
        func listed(_ i: AnnotationIndex) -> [String] { i.rows.map(\.item.annotation.note) }
        try save("c", "Second", via: service)
        XCTAssertEqual(listed(service.index(corpus)), ["c Second"])
        try save("a", "First", via: service)
        try save("d", "It", via: service)
        XCTAssertEqual(listed(service.index(corpus)), ["a First", "c Second", "d It"])
        // Another reader on the same store saves to b and deletes from c.
        let other = AnnotationService(store: try store(), session: "s2", annotator: "bob")
        try save("b", "New", via: other)
        try other.delete(id: try other.store.allAnnotations().first { $0.note == "c Second" }!.id)
        XCTAssertTrue(service.refreshIfChanged())
        XCTAssertEqual(listed(service.index(corpus)), ["a First", "b New", "d It"])
        XCTAssertFalse(service.refreshIfChanged(), "nothing new since")
        // A build in slices gives the same rows.
        let fresh = AnnotationService(store: try store(), session: "s", annotator: "ann")
        var slices = 1
        while fresh.prepareIndex(corpus, budget: .zero) == nil && slices < 10 { slices += 1 }
        XCTAssertEqual(slices, 4, "a zero budget anchors one article per call, of the four that have or had annotations")
        XCTAssertEqual(listed(fresh.index(corpus)), ["a First", "b New", "d It"])
    }

    // MARK: Sessions

    func testSessionStartsAndSwitchesInsideTheReader() throws {
        var d = driver(labels: ["fact", "spin", "mistranslated"])
        d.send("wa")
        XCTAssertTrue(d.state.message?.text.contains(":session NAME") ?? false, d.state.message?.text ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: storePath), "nothing is created before a session starts")

        d.send(":session first<CR>")
        XCTAssertEqual(d.state.annotationSession, "first")
        XCTAssertEqual(d.state.annotator, "ann")
        XCTAssertTrue(d.screen.contains("session first, annotator ann"), d.screen)
        // The status line keeps saying who annotates after the message is gone.
        d.send("jjk")
        XCTAssertTrue(d.lines.last?.contains("· ✎ first/ann") == true, d.lines.last ?? "")
        // The form offers the setup's labels (the corpus manifest's, else the config's).
        d.send("wVa")
        XCTAssertTrue(d.screen.contains("3 mistranslated"), d.screen)
        d.send("3saved<CR>")
        var saved = try store().allAnnotations()
        XCTAssertEqual(saved.map(\.label), ["mistranslated"])
        XCTAssertEqual(saved.map(\.session), ["first"])

        // Switching keeps the store; --annotator changes who writes.
        d.send("<Esc><Esc>:annotate --session \"second round\" --annotator bob<CR>")
        XCTAssertEqual(d.state.annotationSession, "second round")
        XCTAssertEqual(d.state.annotator, "bob")
        d.send("w)Va1<CR>")
        saved = try store().allAnnotations()
        XCTAssertEqual(Set(saved.map(\.session)), ["first", "second round"])
        XCTAssertEqual(saved.first { $0.session == "second round" }?.annotator, "bob")
        // Undo belongs to the session and annotator: bob's undo removes bob's annotation only.
        d.send("U")
        XCTAssertEqual(try store().allAnnotations().map(\.session), ["first"])

        // No argument: says which session is on. Completion offers the store's sessions.
        d.send(":session<CR>")
        XCTAssertTrue(d.state.message?.text.hasPrefix("session second round · annotator bob") ?? false, d.state.message?.text ?? "")
        d.send(":session f<Tab>")
        guard case .prompt(let prompt) = d.state.mode else { return XCTFail("prompt closed") }
        XCTAssertEqual(prompt.editor.text, "session first")
        d.send("<CR>")
        XCTAssertEqual(d.state.annotationSession, "first")
        XCTAssertEqual(d.state.annotator, "bob", "the annotator stays until changed")
    }

    func testBadSessionArgumentsAndStoresAreMessagesNotCrashes() throws {
        var d = driver()
        d.send(":session --annotator bob<CR>")
        XCTAssertNil(d.state.annotations)
        XCTAssertEqual(d.state.message?.isWarning, true)
        d.send(":session s --colour red<CR>")
        XCTAssertTrue(d.state.message?.text.contains("unknown option --colour") ?? false, d.state.message?.text ?? "")
        d.send(":session \"unclosed<CR>")
        XCTAssertTrue(d.state.message?.text.contains("unclosed quote") ?? false, d.state.message?.text ?? "")
        // A file that is not a store: named, left alone, and the reader goes on without a session.
        let junk = dir.appendingPathComponent("junk.sqlite").path
        let bytes = Data("not a database at all, just text\n".utf8)
        try bytes.write(to: URL(fileURLWithPath: junk))
        d.send(":session s --store \(junk)<CR>")
        XCTAssertNil(d.state.annotations)
        XCTAssertEqual(d.state.message?.isWarning, true)
        XCTAssertTrue(d.state.message?.text.contains(junk) ?? false, d.state.message?.text ?? "")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: junk)), bytes)
        // No store known at all (built-in articles, no home): says how to give one.
        d.state.annotationSetup.storePath = nil
        d.send(":session s<CR>")
        XCTAssertTrue(d.state.message?.text.contains("--store PATH") ?? false, d.state.message?.text ?? "")
    }

    func testSessionArgumentParsing() throws {
        XCTAssertEqual(try SessionArguments.parse("s1"), SessionArguments(session: "s1"))
        XCTAssertEqual(try SessionArguments.parse("--session 'two words' -a \"Zoë K\" --store x.sqlite"),
                       SessionArguments(session: "two words", annotator: "Zoë K", store: "x.sqlite"))
        XCTAssertEqual(try SessionArguments.parse(""), SessionArguments())
        XCTAssertThrowsError(try SessionArguments.parse("a b"))
        XCTAssertThrowsError(try SessionArguments.parse("--store"))
        XCTAssertThrowsError(try SessionArguments.parse("''"))
    }

    // MARK: Re-anchoring in the panel

    func testAmbiguousAnnotationPlaceIsChosenAndConfirmed() throws {
        let sentence = "The key claim stands here."
        let oldBody = "Alpha beta gamma. \(sentence) Delta epsilon.\n"
        let old = TestCorpus.make([(id: "a", title: "A", body: oldBody)]).articles[0].text
        let r = range(sentence, in: old)
        // Imported without its text, so only the quote and its context can place it.
        let a = Annotation(annotator: "ann", session: "s0", articleID: "a", contentHash: old.contentHash, label: "claim", note: "n",
                           quote: QuoteSelector(range: r, in: old), position: PositionSelector(start: r.lowerBound, end: r.upperBound))
        XCTAssertEqual(try store().importAnnotations([a], session: "s0", annotator: "ann"), 1)

        // Rewritten around it, and now twice: neither copy keeps more of the old context.
        var d = driver(body: "Zulu yankee xray. \(sentence) Whiskey victor. Uniform tango. \(sentence) Sierra romeo.\n")
        d.send(":session s1<CR>")
        // Both places it could be are marked ┆ in the margin, and neither is underlined.
        XCTAssertTrue(d.lines.contains { $0.hasPrefix("┆") && $0.contains("Zulu") }, d.screen)
        XCTAssertTrue(d.styledRows { $0.attributes.contains(.underline) }.allSatisfy { !$0.contains("[") }, "nothing underlined")
        d.send("A")
        XCTAssertTrue(d.screen.contains("ambiguous ×2"), d.screen)
        XCTAssertTrue(d.screen.contains("2 places fit equally: place 1 shown"), d.screen)
        let text = d.state.article(for: 0).text
        let first = range(sentence, in: text)
        let gap = " Whiskey victor. Uniform tango. ".unicodeScalars.count
        let second = (first.upperBound + gap)..<(first.upperBound + gap + first.count)
        XCTAssertEqual(text.string(second), sentence)
        // ] picks the second place; Enter shows it with the cursor on it.
        d.send("]")
        XCTAssertTrue(d.screen.contains("place 2 shown"), d.screen)
        d.send("<CR>")
        XCTAssertEqual(d.state.cursor?.word, second)
        // c confirms the chosen place: the annotation is anchored there from now on.
        d.send("A]c")
        XCTAssertTrue(d.screen.contains("anchored"), d.screen)
        let placed = try store().allAnnotations()
        XCTAssertEqual(placed.count, 1)
        XCTAssertEqual(placed[0].position.range, second)
        XCTAssertEqual(placed[0].note, "n", "confirming keeps the label and note")
    }

    func testOrphanedAnnotationIsRePlacedOnASelection() throws {
        let oldText = TestCorpus.make([(id: "a", title: "A", body: Self.body)]).articles[0].text
        try store().create(AnnotationDraft(articleID: "a", range: range("Second one follows.", in: oldText), label: "disputed", note: "keep"),
                           text: oldText, session: "s0", annotator: "ann")
        var d = driver(body: "First sentence here.\n\nNew paragraph starts. It ends.\n")
        d.send(":session s1<CR>A")
        XCTAssertTrue(d.screen.contains("orphaned"), d.screen)
        XCTAssertTrue(d.screen.contains("“Second one follows.”"), d.screen)
        // c cannot confirm what was not found; p starts re-placing.
        d.send("c")
        XCTAssertTrue(d.state.message?.text.contains("p re-places") ?? false, d.state.message?.text ?? "")
        d.send("p")
        XCTAssertEqual(d.state.mode, .normal)
        XCTAssertTrue(d.screen.contains(" RE-PLACE "), d.screen)
        // Esc cancels; nothing changes.
        d.send("<Esc>")
        XCTAssertNil(d.state.placing)
        XCTAssertEqual(try store().allAnnotations()[0].quote.exact, "Second one follows.")
        // Again, and this time select the new place and press a: no form, it moves there.
        d.send("A")
        d.send("pw}Va")
        XCTAssertEqual(d.state.mode, .normal)
        XCTAssertNil(d.state.placing)
        let moved = try store().allAnnotations()
        XCTAssertEqual(moved.count, 1)
        XCTAssertEqual(moved[0].quote.exact, "New paragraph starts.")
        XCTAssertEqual(moved[0].label, "disputed")
        XCTAssertEqual(moved[0].note, "keep")
        d.send("A")
        XCTAssertTrue(d.screen.contains("anchored"), d.screen)
        // And U undoes the re-placing.
        d.send("<Esc>U")
        XCTAssertEqual(try store().allAnnotations()[0].quote.exact, "Second one follows.")
    }

    // MARK: Several annotators

    func testConflictingLabelsOnOneSpanAreShownSideBySide() throws {
        let text = TestCorpus.make([(id: "a", title: "A", body: Self.body)]).articles[0].text
        let span = range("Second one follows.", in: text)
        try store().create(AnnotationDraft(articleID: "a", range: span, label: "claim", note: "checkable"), text: text, session: "s", annotator: "ann")
        try store().create(AnnotationDraft(articleID: "a", range: span, label: "disputed", note: ""), text: text, session: "s", annotator: "bob")
        try store().create(AnnotationDraft(articleID: "a", range: range("It ends.", in: text), label: "claim", note: ""), text: text, session: "s", annotator: "bob")
        var d = driver()
        d.send(":session s<CR>A")
        XCTAssertTrue(d.screen.contains("Annotations 3"), d.screen)
        let conflictRows = d.lines.filter { $0.contains("≠ a ") }
        XCTAssertEqual(conflictRows.count, 2, d.screen)
        XCTAssertTrue(d.screen.contains("same span: claim (ann): checkable ≠ disputed (bob)"), d.screen)
        // Both are kept in the store: nothing merged or overwritten.
        XCTAssertEqual(try store().allAnnotations().count, 3)
        // In the text, the cursor on the span shows both.
        d.send("<Esc>wwww")
        XCTAssertEqual(d.state.message?.text, "claim (ann): checkable ≠ disputed (bob)")
        d.send("ww")
        XCTAssertEqual(d.state.message?.text, "claim (ann): checkable ≠ disputed (bob)")
        // Moving off takes the description away.
        d.send("w")
        XCTAssertNil(d.state.message)
    }

    /// After the text changed under annotations, the reader says so by itself once the idle
    /// work has anchored them all: how many moved and how many are orphaned.
    func testStartUpSaysHowManyAnnotationsTheTextMovedUnder() throws {
        let old = TestCorpus.make([(id: "a", title: "A", body: Self.body)]).articles[0].text
        try store().create(AnnotationDraft(articleID: "a", range: range("Second one", in: old), label: "claim", note: ""), text: old, session: "s", annotator: "ann")
        try store().create(AnnotationDraft(articleID: "a", range: range("It ends.", in: old), label: "claim", note: ""), text: old, session: "s", annotator: "ann")
        let changed = "A new first line was added.\n\n" + Self.body.replacingOccurrences(of: "It ends.", with: "")
        var d = ScreenDriver(corpus: TestCorpus.make([(id: "a", title: "A", body: changed)]), width: 120, height: 24)
        d.state.annotationSetup = AnnotationSetup(storePath: storePath, annotator: "ann", labels: AnnotationLabels.defaults)
        d.send(":session s<CR>")
        for _ in 0..<10 { d.state.idle() }
        XCTAssertEqual(d.state.message?.text, "annotations since the text changed: 1 moved, 1 orphaned (A reviews them)")
        // The moved one is marked ╏ in the margin, not ┃ like one in place.
        XCTAssertTrue(d.lines.contains { $0.hasPrefix("╏") && $0.contains("Second one") }, d.screen)
        XCTAssertFalse(d.lines.contains { $0.hasPrefix("┃") }, d.screen)
        try store().create(AnnotationDraft(articleID: "a", range: range("New paragraph", in: d.state.article(for: 0).text), label: "claim", note: ""),
                           text: d.state.article(for: 0).text, session: "s", annotator: "ann")
        d.state.annotations?.invalidate()
        XCTAssertTrue(d.lines.contains { $0.hasPrefix("┃") && $0.contains("New paragraph") }, d.screen)
        d.send("j")
        for _ in 0..<3 { d.state.idle() }
        XCTAssertNil(d.state.message, "said once")
    }

    /// Annotator ann deletes her own annotation at once, but bob's only with `d` pressed twice
    /// on it (a warning names bob first; another key in between drops the request); the store
    /// records ann as the one who deleted it.
    func testChangingAnotherAnnotatorsWorkAsksFirst() throws {
        let text = TestCorpus.make([(id: "a", title: "A", body: Self.body)]).articles[0].text
        try store().create(AnnotationDraft(articleID: "a", range: range("First", in: text), label: "claim", note: "mine"), text: text, session: "s", annotator: "ann")
        try store().create(AnnotationDraft(articleID: "a", range: range("Second", in: text), label: "disputed", note: "his"), text: text, session: "s", annotator: "bob")
        let bobs = try XCTUnwrap(try store().allAnnotations().first { $0.annotator == "bob" }).id
        var d = driver()
        d.send(":session s<CR>A")
        XCTAssertTrue(d.screen.contains("Annotations 2"), d.screen)
        d.send("j")  // bob's
        d.send("d")
        XCTAssertEqual(try store().allAnnotations().count, 2, "nothing deleted on the first d")
        XCTAssertEqual(d.state.message?.text.hasPrefix("this is bob's annotation: d again to delete it anyway (recorded as ann's change)"), true, d.state.message?.text ?? "")
        d.send("j")  // another key: the request is dropped
        d.send("d")
        XCTAssertEqual(try store().allAnnotations().count, 2, "a key in between drops the request")
        d.send("d")
        XCTAssertEqual(try store().allAnnotations().map(\.note), ["mine"])
        let last = try XCTUnwrap(try store().history(id: bobs).max { $0.revision < $1.revision })
        XCTAssertTrue(last.isDeleted)
        XCTAssertEqual(last.revisedBy, "ann", "the log says who deleted bob's annotation")
        XCTAssertEqual(last.annotator, "bob", "it stays bob's annotation")
        d.send("k")
        d.send("c")  // her own, not moved: no question, the usual hint
        XCTAssertFalse(d.state.message?.text.hasPrefix("this is") ?? true, d.state.message?.text ?? "")
        d.send("d")  // her own: at once
        XCTAssertEqual(try store().allAnnotations().count, 0)
    }

    /// `C` in the panel confirms every moved annotation of the reader's own in that article at
    /// once; another annotator's moved one is left and counted; one `u` puts them all back.
    func testConfirmAllMovedIsOneUndoableAction() throws {
        let old = TestCorpus.make([(id: "a", title: "A", body: Self.body)]).articles[0].text
        for (needle, who) in [("First sentence", "ann"), ("Second one", "ann"), ("It ends.", "bob")] {
            try store().create(AnnotationDraft(articleID: "a", range: range(needle, in: old), label: "claim", note: ""), text: old, session: "s", annotator: who)
        }
        var d = ScreenDriver(corpus: TestCorpus.make([(id: "a", title: "A", body: "A new first line.\n\n" + Self.body)]), width: 120, height: 24)
        d.state.annotationSetup = AnnotationSetup(storePath: storePath, annotator: "ann", labels: AnnotationLabels.defaults)
        d.send(":session s<CR>A")
        XCTAssertEqual(d.state.annotations?.anchored(d.state.article(for: 0)).map(\.anchor.state), [.moved, .moved, .moved])
        d.send("C")
        XCTAssertEqual(d.state.message?.text, "confirmed 2 moved annotations in a at their new places (u undoes all); 1 of other annotators left (c on each asks first)")
        let newHash = d.state.article(for: 0).text.contentHash
        XCTAssertEqual(try store().allAnnotations().filter { $0.contentHash == newHash }.map(\.annotator), ["ann", "ann"])
        XCTAssertEqual(d.state.annotations?.anchored(d.state.article(for: 0)).map(\.anchor.state), [.anchored, .anchored, .moved])
        d.send("u")
        XCTAssertEqual(d.state.message?.text, "undo: 2 annotations changed back at once")
        XCTAssertTrue(try store().allAnnotations().allSatisfy { $0.contentHash == old.contentHash })
    }

    /// An adjudication session: `D` lists what annotators disagree on, `y` copies the chosen
    /// annotator's label into the gold layer (replacing the gold one on that span), and the
    /// annotators' own annotations are never changed.
    func testAdjudicatorAdoptsLabelsIntoTheGoldLayer() throws {
        let text = TestCorpus.make([(id: "a", title: "A", body: Self.body)]).articles[0].text
        try store().create(AnnotationDraft(articleID: "a", range: range("First sentence", in: text), label: "claim", note: "ann says"), text: text, session: "s", annotator: "ann")
        try store().create(AnnotationDraft(articleID: "a", range: range("First sentence", in: text), label: "disputed", note: ""), text: text, session: "s", annotator: "bob")
        try store().create(AnnotationDraft(articleID: "a", range: range("It ends.", in: text), label: "claim", note: ""), text: text, session: "s", annotator: "ann")
        try store().create(AnnotationDraft(articleID: "a", range: range("It ends.", in: text), label: "claim", note: ""), text: text, session: "s", annotator: "bob")
        let originals = try store().allAnnotations()
        var d = driver()
        d.send(":session review --adjudicator judy<CR>")
        XCTAssertTrue(d.state.message?.text.hasPrefix("session review, adjudicator judy") == true, d.state.message?.text ?? "")
        d.send("j")
        XCTAssertTrue(d.lines.last?.contains("✎ review/judy → gold") == true, d.lines.last ?? "")
        d.send("AD")
        XCTAssertTrue(d.screen.contains("Annotations 2 — label: all (l) · annotator: all (n) · disputed (D)"), d.screen)
        XCTAssertTrue(d.screen.contains("disputed, no gold yet"), d.screen)
        d.send("j")  // bob's "disputed"
        d.send("y")
        var gold = try store().allAnnotations().filter { $0.annotator == AnnotationStore.goldLayer }
        XCTAssertEqual(gold.map(\.label), ["disputed"])
        XCTAssertEqual(gold.map(\.note), ["from bob"])
        XCTAssertEqual(gold.map(\.revisedBy), ["judy"])
        XCTAssertTrue(d.screen.contains("gold: disputed"), d.screen)
        d.send("k")  // ann's "claim" replaces it: still one gold annotation on the span
        d.send("y")
        gold = try store().allAnnotations().filter { $0.annotator == AnnotationStore.goldLayer }
        XCTAssertEqual(gold.map(\.label), ["claim"])
        XCTAssertEqual(gold.map(\.note), ["from ann: ann says"])
        XCTAssertEqual(d.state.message?.text.hasPrefix("gold: claim “First sentence” replaced in the gold layer, from ann"), true, d.state.message?.text ?? "")
        d.send("u")
        XCTAssertEqual(try store().allAnnotations().filter { $0.annotator == AnnotationStore.goldLayer }.map(\.label), ["disputed"])
        // The annotators' work is as it was; deleting theirs still asks first.
        XCTAssertEqual(try store().allAnnotations().filter { $0.annotator != AnnotationStore.goldLayer }, originals)
        d.send("d")
        XCTAssertEqual(d.state.message?.text.hasPrefix("this is ann's annotation"), true, d.state.message?.text ?? "")
        // Outside an adjudication, y only says what it is for.
        d.send("<Esc>:session s --annotator ann<CR>Ay")
        XCTAssertEqual(d.state.message?.text.hasPrefix("y adopts a label into the gold layer in an adjudication session"), true, d.state.message?.text ?? "")
    }

    // MARK: Without colour

    func testMonochromeSelectionIsNotASearchMatch() {
        let mono = Theme.make(.monochrome)
        XCTAssertNotEqual(mono.selection, mono.searchMatch)
        XCTAssertNotEqual(mono.selection, mono.currentQuote)
        XCTAssertNotEqual(mono.selection, mono.cursor)
        var d = driver()
        d.send("wv")
        XCTAssertTrue(d.screen.contains(" VISUAL "), d.screen)
        d.send("<Esc>")
        XCTAssertFalse(d.screen.contains(" VISUAL "), d.screen)
    }
}
