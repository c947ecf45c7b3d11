import Foundation
import ParallaxCore
import ParallaxTestSupport
import XCTest
@testable import ParallaxUI

/// The annotate form over a real store in a temporary directory.
final class AnnotationFormTests: XCTestCase {
    static let body = "First sentence here. Second one follows.\n\nNew paragraph starts. It ends.\n"

    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("annotation-form-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func store() throws -> AnnotationStore {
        try AnnotationStore(path: dir.appendingPathComponent("annotations.sqlite").path)
    }

    func driver(_ service: AnnotationService?) -> ScreenDriver {
        var d = ScreenDriver(corpus: TestCorpus.make([(id: "a", title: "A", body: Self.body)]), width: 80, height: 24)
        d.state.annotations = service
        return d
    }

    final class FailingService: AnnotationService {
        var failures = 1
        override func create(_ draft: AnnotationDraft, text: TextBuffer) throws(AnnotationStoreError) -> Annotation {
            if failures > 0 {
                failures -= 1
                throw AnnotationStoreError.writeFailed(path: store.path, reason: "disk full")
            }
            return try super.create(draft, text: text)
        }
    }

    /// A selection over hidden related-link junk is stored as what the reader showed: one
    /// annotation per visible piece (all saved together), never the junk; the form and the
    /// status line say so. Junk at one end only trims the span.
    func testSelectionOverHiddenTextStoresTheVisiblePieces() throws {
        let body = "President TrumpDonald TrumpWhite House denies it MORE directly asked officials.\n"
        func r(_ s: String) -> Range<Int> {
            let i = body.range(of: s)!
            let start = body.unicodeScalars.distance(from: body.startIndex, to: i.lowerBound)
            return start..<(start + s.unicodeScalars.count)
        }
        let junk = r("Donald TrumpWhite House denies it MORE")
        let article = Article(id: "a", path: "a.txt", format: .plainText, metadata: ArticleMetadata(title: "A"), text: TextBuffer(body),
                              bodyStart: 0, hiddenRanges: [junk], warnings: [], wordCount: 10)
        let service = AnnotationService(store: try store(), session: "s1", annotator: "ann")
        var d = ScreenDriver(corpus: Corpus(articles: [article], warnings: [], root: nil), width: 100, height: 24)
        d.state.annotations = service
        d.state.mode = .annotationForm(AnnotationFormState(article: 0, range: r("President").lowerBound..<r("asked").upperBound))
        XCTAssertTrue(d.screen.contains("in 2 pieces (hidden related-link text left out) “President Trump direct"), d.screen)
        d.send("1seen<CR>")
        XCTAssertEqual(d.state.mode, .normal)
        let saved = try store().annotations(article: "a")
        XCTAssertEqual(saved.map(\.quote.exact), ["President Trump", "directly asked"])
        XCTAssertEqual(saved.map(\.note), ["seen", "seen"])
        XCTAssertTrue(d.state.message?.text.contains("as claim: seen · in 2 pieces (hidden related-link text left out)") == true, d.state.message?.text ?? "")

        // Junk at the end only: one annotation, trimmed to the visible words.
        d.state.mode = .annotationForm(AnnotationFormState(article: 0, range: r("Trump").lowerBound..<junk.upperBound))
        d.send("2<CR>")
        let trimmed = try store().annotations(article: "a").filter { $0.label == "disputed" }
        XCTAssertEqual(trimmed.map(\.quote.exact), ["Trump"])
        XCTAssertTrue(d.state.message?.text.contains("(hidden related-link text left out)") == true, d.state.message?.text ?? "")
        // Three annotations in all: the two pieces and the trimmed one.
        XCTAssertEqual(try store().allAnnotations().count, 3)
        // The pieces were one action: the trimmed one goes with the first U, both pieces with the next.
        d.send("U")
        XCTAssertEqual(try store().allAnnotations().count, 2)
        d.send("U")
        XCTAssertEqual(try store().allAnnotations().count, 0, "one U removes every piece of a selection")
        XCTAssertEqual(d.state.message?.text, "undo: 2 annotations changed back at once")
        d.send("<C-r>")
        XCTAssertEqual(try store().allAnnotations().map(\.quote.exact).sorted(), ["President Trump", "directly asked"])
    }

    func testAnnotateSavesAtOnceAndShowsUnderlineAndGutterMark() throws {
        let service = AnnotationService(store: try store(), session: "s1", annotator: "ann")
        var d = driver(service)
        d.send("wvwa")
        guard case .annotationForm = d.state.mode else { return XCTFail("form not open: \(d.state.mode)") }
        XCTAssertTrue(d.screen.contains("“First sentence”"), d.screen)
        XCTAssertTrue(d.screen.contains("loaded-language"))
        d.send("2Né à Zürich<Left><BS>h<CR>")
        XCTAssertEqual(d.state.mode, .normal)
        let saved = try store().annotations(article: "a")
        XCTAssertEqual(saved.count, 1)
        XCTAssertEqual(saved.first?.label, "disputed")
        XCTAssertEqual(saved.first?.note, "Né à Zürihh")
        XCTAssertEqual(saved.first?.quote.exact, "First sentence")
        XCTAssertEqual(saved.first?.annotator, "ann")
        d.send("<Esc>")
        XCTAssertNil(d.state.cursor)
        // Underlined in the text, with a gutter mark in the pane's left padding.
        let rows = d.styledRows { $0.attributes.contains(.underline) && !$0.attributes.contains(.reverse) }
        XCTAssertTrue(rows.contains { $0.contains("[First sentence]") }, rows.joined(separator: "\n"))
        XCTAssertTrue(d.lines.contains { $0.hasPrefix("┃First sentence") }, d.screen)
    }

    func testEscCancelsAndNothingIsSaved() throws {
        let service = AnnotationService(store: try store(), session: "s1", annotator: "ann")
        var d = driver(service)
        d.send("Vajust<Down>")
        guard case .annotationForm(let form) = d.state.mode else { return XCTFail("form not open") }
        XCTAssertEqual(form.note.text, "just", "letters typed on the label row go to the note")
        XCTAssertEqual(form.label, 1)
        d.send("<Esc>")
        XCTAssertEqual(d.state.mode, .normal)
        XCTAssertEqual(try store().annotations(article: "a").count, 0)
        // The cancelled note comes back when the same span is annotated again; ^C cancels too.
        XCTAssertTrue(d.state.message?.text.contains("brings the note back") ?? false, d.state.message?.text ?? "")
        d.send("a")
        guard case .annotationForm(let again) = d.state.mode else { return XCTFail("form not open") }
        XCTAssertEqual(again.note.text, "just")
        XCTAssertEqual(again.label, 1)
        d.send(" more<C-c>")
        XCTAssertEqual(d.state.mode, .normal)
        XCTAssertFalse(d.state.quit, "^C in a form cancels the form, not the reader")
        // Another span starts empty.
        d.send("wa")
        guard case .annotationForm(let other) = d.state.mode else { return XCTFail("form not open") }
        XCTAssertEqual(other.note.text, "")
        d.send("<Esc>(Va<CR>")
        XCTAssertEqual(try store().annotations(article: "a").map(\.note), ["just more"])
        // Saved: nothing is offered again.
        d.send("Va")
        guard case .annotationForm(let fresh) = d.state.mode else { return XCTFail("form not open") }
        XCTAssertEqual(fresh.note.text, "")
    }

    func testFailedWriteKeepsTheFormAndNote() throws {
        let service = FailingService(store: try store(), session: "s1", annotator: "ann")
        var d = driver(service)
        d.send("Va1keep me<CR>")
        guard case .annotationForm(let form) = d.state.mode else { return XCTFail("form closed after a failed write") }
        XCTAssertEqual(form.note.text, "keep me")
        XCTAssertEqual(d.state.message?.isWarning, true)
        XCTAssertTrue(d.state.message?.text.hasPrefix("not saved") ?? false)
        d.send("<CR>")
        XCTAssertEqual(d.state.mode, .normal)
        XCTAssertEqual(try store().annotations(article: "a").first?.note, "keep me")
    }

    func testAnnotateWithoutAStoreSaysHowToStart() {
        var d = driver(nil)
        d.send("wa")
        XCTAssertEqual(d.state.mode, .normal)
        XCTAssertTrue(d.state.message?.text.contains("annotation is off") ?? false)
    }

    func testPanelListsFiltersJumpsEditsDeletesAndUndoes() throws {
        let service = AnnotationService(store: try store(), session: "s1", annotator: "ann")
        var d = driver(service)
        d.send("Va1one<CR>")
        d.send("})Va2two<CR>")
        d.send("<Esc><Esc>A")
        guard case .annotationPanel = d.state.mode else { return XCTFail("panel not open: \(d.state.mode)") }
        XCTAssertTrue(d.screen.contains("Annotations 2"), d.screen)
        XCTAssertTrue(d.screen.contains("anchored"), d.screen)
        XCTAssertTrue(d.screen.contains("“It ends.”"), d.screen)
        // l cycles the label filter: claim, disputed, all.
        d.send("l")
        XCTAssertTrue(d.screen.contains("Annotations 1"), d.screen)
        XCTAssertTrue(d.screen.contains("“First sentence"), d.screen)
        d.send("ll")
        XCTAssertTrue(d.screen.contains("Annotations 2"), d.screen)
        // e reopens the form with the note; the edit is saved.
        d.send("je<C-u>changed<CR>")
        XCTAssertEqual(d.state.mode, .normal)
        XCTAssertEqual(try store().annotations(article: "a").map(\.note).sorted(), ["changed", "one"])
        // d deletes, u undoes, <C-r> redoes.
        d.send("Ajd")
        XCTAssertTrue(d.screen.contains("Annotations 1"), d.screen)
        d.send("u")
        XCTAssertTrue(d.screen.contains("Annotations 2"), d.screen)
        d.send("<C-r>")
        XCTAssertTrue(d.screen.contains("Annotations 1"), d.screen)
        // Enter jumps to the annotation and puts the cursor on it.
        d.send("<CR>")
        XCTAssertEqual(d.state.mode, .normal)
        XCTAssertEqual(d.state.cursor.map { d.state.article(for: 0).text.string($0.word) }, "First sentence here.")
        // Undo in normal mode (U) works across a restart: a new service on the same store.
        var e = driver(AnnotationService(store: try store(), session: "s1", annotator: "ann"))
        e.send("U")
        XCTAssertEqual(try store().annotations(article: "a").count, 2, e.state.message?.text ?? "")
    }

    func testTwoInstancesSeeEachOthersWorkAfterARefresh() throws {
        var first = driver(AnnotationService(store: try store(), session: "s1", annotator: "ann"))
        var second = driver(AnnotationService(store: try store(), session: "s2", annotator: "bob", labels: ["fact", "opinion"]))
        _ = second.frame
        first.send("Va1<CR>")
        XCTAssertTrue(second.screen.contains("A"))
        second.send("A")
        XCTAssertTrue(second.screen.contains("Annotations 1"), second.screen)
        second.send("<Esc>w)Va")
        XCTAssertTrue(second.screen.contains("2 opinion"), second.screen)
        second.send("2<CR><C-l>")
        first.send("<C-l>A")
        XCTAssertTrue(first.screen.contains("Annotations 2"), first.screen)
        XCTAssertTrue(first.screen.contains("opinion"), first.screen)
    }

    func testMovedAnnotationIsShownAndConfirmed() throws {
        let old = TestCorpus.make([(id: "a", title: "A", body: Self.body)])
        let text = old.articles[0].text
        let start = Array(text.string.unicodeScalars).indices.first { text.string($0..<min(text.scalarCount, $0 + 6)) == "Second" }!
        try store().create(AnnotationDraft(articleID: "a", range: start..<(start + 10), label: "claim"), text: text, session: "s0", annotator: "ann")
        let changed = TestCorpus.make([(id: "a", title: "A", body: "Inserted words. " + Self.body)])
        var d = ScreenDriver(corpus: changed, width: 100, height: 24)
        d.state.annotations = AnnotationService(store: try store(), session: "s1", annotator: "ann")
        d.send("A")
        XCTAssertTrue(d.screen.contains("moved"), d.screen)
        d.send("c")
        XCTAssertTrue(d.screen.contains("anchored"), d.screen)
        XCTAssertEqual(try store().annotations(article: "a").first?.quote.exact, "Second one")
        d.send("<CR>")
        XCTAssertEqual(d.state.cursor.map { d.state.article(for: 0).text.string($0.word) }, "Second one")
    }
}
