import Foundation
import XCTest

@testable import ParallaxCore

final class AnnotationExportTests: XCTestCase {
    // CRLF line ends, an emoji (one scalar, four UTF-8 bytes), a combining accent, quotes and a tab.
    let crlfText = TextBuffer("Headline 😀 here\r\n\r\nThe \"minister\" said, e\u{301}tait \tfully funded.\r\nNext 👩‍👩‍👧 line, end.")

    func annotation(_ text: TextBuffer, _ range: Range<Int>, label: String, note: String = "", annotator: String = "ann", article: String = "art/1") -> Annotation {
        Annotation(
            id: "id-\(range.lowerBound)", annotator: annotator, session: "s1", created: "2025-03-01T09:30:00.000Z", articleID: article, contentHash: text.contentHash,
            label: label, note: note, quote: QuoteSelector(range: range, in: text), position: PositionSelector(start: range.lowerBound, end: range.upperBound))
    }

    var samples: [Annotation] {
        [
            annotation(crlfText, 9..<10, label: "emoji"),
            annotation(crlfText, 23..<33, label: "claim", note: "says \"who\",\nline two"),
            annotation(crlfText, 48..<67, label: "loaded language", note: "tab\there"),  // crosses CRLF
            annotation(crlfText, 68..<73, label: "family", annotator: "bob"),  // ZWJ emoji sequence
        ]
    }

    func check(_ imported: [Annotation], against original: [Annotation], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(imported.count, original.count, file: file, line: line)
        for (x, y) in zip(imported, original) {
            XCTAssertEqual(x.position, y.position, file: file, line: line)
            XCTAssertEqual(x.quote, y.quote, file: file, line: line)
            XCTAssertEqual(x.articleID, y.articleID, file: file, line: line)
            XCTAssertEqual(x.contentHash, y.contentHash, file: file, line: line)
        }
    }

    func testSampleOffsetsAreCodePoints() {
        XCTAssertEqual(crlfText.string(9..<10), "😀")
        XCTAssertEqual(crlfText.string(68..<73), "👩‍👩‍👧")
        XCTAssertEqual(crlfText.string(23..<33), "\"minister\"")
        XCTAssertEqual(crlfText.string(48..<67), "fully funded.\r\nNext")
    }

    func testW3CRoundTrip() throws {
        let json = AnnotationExport.w3c(samples)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        XCTAssertEqual(object["type"] as? String, "AnnotationPage")
        let first = (object["items"] as! [[String: Any]])[1]
        XCTAssertEqual(first["@context"] as? String, "http://www.w3.org/ns/anno.jsonld")
        XCTAssertEqual(first["type"] as? String, "Annotation")
        XCTAssertEqual((first["creator"] as? [String: Any])?["nickname"] as? String, "ann")
        let bodies = first["body"] as! [[String: Any]]
        XCTAssertEqual(bodies.map { $0["purpose"] as? String }, ["tagging", "commenting"])
        let selectors = (first["target"] as! [String: Any])["selector"] as! [[String: Any]]
        XCTAssertEqual(selectors.map { $0["type"] as? String }, ["TextQuoteSelector", "TextPositionSelector"])
        XCTAssertEqual(selectors[1]["start"] as? Int, 23)

        let back = try AnnotationExport.importW3C(Data(json.utf8), session: "imp", annotator: "me")
        XCTAssertEqual(back.warnings, [])
        check(back.annotations, against: samples)
        for (x, y) in zip(back.annotations, samples) {
            XCTAssertEqual(x.id, y.id)
            XCTAssertEqual(x.label, y.label)
            XCTAssertEqual(x.note, y.note)
            XCTAssertEqual(x.annotator, y.annotator)
            XCTAssertEqual(x.session, y.session)
            XCTAssertEqual(x.created, y.created)
        }
        // A single annotation with only a quote is placed on the text.
        let single = """
            {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "creator": "eve",
             "body": {"type": "TextualBody", "purpose": "tagging", "value": "claim"},
             "target": {"source": "art/1", "selector": {"type": "TextQuoteSelector", "exact": "fully funded"}}}
            """
        let placed = try AnnotationExport.importW3C(Data(single.utf8), texts: ["art/1": crlfText], session: "s", annotator: "me")
        XCTAssertEqual(placed.annotations.first.map { crlfText.string($0.range) }, "fully funded")
        XCTAssertEqual(placed.annotations.first?.annotator, "eve")
        XCTAssertThrowsError(try AnnotationExport.importW3C(Data("{oops".utf8), session: "s", annotator: "me"))
    }

    func testBratRoundTripWithExactText() throws {
        let folder = try makeTempFolder(self)
        let written = try AnnotationExport.writeBrat(samples, texts: ["art/1": crlfText], to: folder)
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent }, ["art_1.ann"])
        let txt = try Data(contentsOf: folder.appendingPathComponent("art_1.txt"))
        XCTAssertEqual([UInt8](txt), crlfText.bytes)
        let ann = try String(contentsOf: folder.appendingPathComponent("art_1.ann"), encoding: .utf8)
        let lines = ann.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "T1\temoji 9 10\t😀")
        XCTAssertEqual(lines[2], "#1\tAnnotatorNotes T2\tsays \"who\", line two")
        XCTAssertEqual(lines[3], "T3\tloaded_language 48 61;63 67\tfully funded. Next")

        let back = AnnotationExport.importBrat(ann: ann, text: TextBuffer(validUTF8: [UInt8](txt)), articleID: "art/1", session: "s", annotator: "ann")
        XCTAssertEqual(back.warnings, [])
        check(back.annotations, against: samples)
        XCTAssertEqual(back.annotations.map(\.label), ["emoji", "claim", "loaded_language", "family"])
        XCTAssertEqual(back.annotations[1].note, "says \"who\", line two")
    }

    func testJSONLRoundTrip() throws {
        let jsonl = try AnnotationExport.jsonl(samples, texts: ["art/1": crlfText])
        let lines = jsonl.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)  // ann and bob
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        XCTAssertEqual(first["text"] as? String, crlfText.string)
        XCTAssertEqual((first["spans"] as! [[String: Any]]).map { $0["label"] as? String }, ["emoji", "claim", "loaded language"])
        let back = AnnotationExport.importJSONL(Data(jsonl.utf8), session: "s", annotator: "me")
        XCTAssertEqual(back.warnings, [])
        XCTAssertEqual(back.texts["art/1"]?.bytes, crlfText.bytes)
        check(back.annotations, against: samples)
        XCTAssertEqual(back.annotations.map(\.annotator), ["ann", "ann", "ann", "bob"])
        XCTAssertEqual(back.annotations.map(\.note), samples.map(\.note))
        // Plain spaCy lines work too.
        let plain = AnnotationExport.importJSONL(Data("{\"text\": \"a 😀 b\", \"spans\": [{\"start\": 2, \"end\": 3, \"label\": \"X\"}]}\n".utf8), session: "s", annotator: "me")
        XCTAssertEqual(plain.annotations.first?.quote.exact, "😀")
        XCTAssertEqual(plain.annotations.first?.articleID, "line 1")
        XCTAssertThrowsError(try AnnotationExport.jsonl(samples, texts: [:]))
    }

    /// Imported offsets must be whole numbers inside the text: JSONL `1.9` is refused, not
    /// truncated; W3C positions beyond the text, or not matching their quote when the text is
    /// unknown, are refused with the item's number.
    func testImportedOffsetsAreValidated() throws {
        let jsonl = "{\"text\": \"abcdef\", \"spans\": [{\"start\": 1.9, \"end\": 3}, {\"start\": 1, \"end\": 3}, {\"start\": 4, \"end\": 60}]}\n"
        let j = AnnotationExport.importJSONL(Data(jsonl.utf8), session: "s", annotator: "me")
        XCTAssertEqual(j.annotations.map(\.quote.exact), ["bc"])
        XCTAssertEqual(j.warnings, ["line 1: span offsets are not whole numbers", "line 1: span outside the text"])

        func item(_ source: String, _ start: Any, _ end: Any, exact: String? = nil) -> [String: Any] {
            var selectors: [[String: Any]] = [["type": "TextPositionSelector", "start": start, "end": end]]
            if let exact { selectors.append(["type": "TextQuoteSelector", "exact": exact]) }
            return ["type": "Annotation", "target": ["source": source, "selector": selectors]]
        }
        let page: [String: Any] = ["type": "AnnotationPage", "items": [
            item("known", 0, 3),
            item("known", 2, 9_000_000_000),
            item("unknown", 0, 4_611_686_018_427_387_904, exact: "xyz"),
            item("unknown", 10, 13, exact: "xyz"),
        ]]
        let w = try AnnotationExport.importW3C(
            JSONSerialization.data(withJSONObject: page), texts: ["known": TextBuffer("abcdef")], session: "s", annotator: "me")
        XCTAssertEqual(w.annotations.map(\.quote.exact), ["abc", "xyz"])
        XCTAssertEqual(w.warnings, [
            "item 2: position 2-9000000000 beyond the text of known (6 characters)",
            "item 3: no usable selector",
        ])
    }

    /// An article file that went missing does not block the export of the others: its
    /// annotations are exported on the store's copy of the text, or left out with a warning.
    func testMissingArticleUsesTheStoredTextOrIsLeftOut() throws {
        let other = TextBuffer("Another article, still here.")
        let kept = annotation(other, 0..<7, label: "claim", article: "art/2")
        let gone = samples  // art/1, whose file is missing
        let withCopy = AnnotationExport.textsForExport(gone + [kept], corpus: ["art/2": other]) { hash in
            hash == self.crlfText.contentHash ? self.crlfText : nil
        }
        XCTAssertEqual(withCopy.annotations.map(\.articleID), ["art/1", "art/1", "art/1", "art/1", "art/2"])
        XCTAssertEqual(withCopy.texts["art/1"]?.bytes, crlfText.bytes)
        XCTAssertEqual(withCopy.warnings, ["article art/1 is not loaded: exported on the store's copy of its text"])
        XCTAssertNoThrow(try AnnotationExport.jsonl(withCopy.annotations, texts: withCopy.texts))

        let noCopy = AnnotationExport.textsForExport(gone + [kept], corpus: ["art/2": other]) { _ in nil }
        XCTAssertEqual(noCopy.annotations.map(\.articleID), ["art/2"])
        XCTAssertEqual(noCopy.warnings, ["article art/1 is not loaded and the store keeps no copy of its text: 4 annotation(s) left out"])
        XCTAssertNoThrow(try AnnotationExport.conll(noCopy.annotations, texts: noCopy.texts))
    }

    func testCSVQuoting() {
        let csv = AnnotationExport.csv(Array(samples.prefix(2)))
        let rows = csv.components(separatedBy: "\r\n")
        XCTAssertEqual(rows[0], "article,hash,start,end,exact,label,note,annotator,session,created")
        XCTAssertEqual(rows[1], "art/1,\(crlfText.contentHash),9,10,😀,emoji,,ann,s1,2025-03-01T09:30:00.000Z")
        XCTAssertTrue(csv.contains(",claim,\"says \"\"who\"\",\nline two\",ann,"), csv)
        XCTAssertTrue(csv.hasSuffix("\r\n"))
    }

    /// Tokens are the shared tokenizer's: punctuation is a token of its own, outside a span
    /// that ends before it.
    func testCoNLLBIO() throws {
        let text = TextBuffer("The plan was fully funded.\n\nCritics 😀 disagreed.")
        let a = annotation(text, 13..<25, label: "claim", article: "x")  // fully funded
        let b = annotation(text, 28..<37, label: "loaded language", article: "x")  // Critics 😀
        let conll = try AnnotationExport.conll([b, a], texts: ["x": text])
        XCTAssertEqual(
            conll,
            """
            -DOCSTART-\tO

            The\tO
            plan\tO
            was\tO
            fully\tB-claim
            funded\tI-claim
            .\tO

            Critics\tB-loaded_language
            😀\tI-loaded_language
            disagreed\tO
            .\tO


            """)
    }
}

final class AnnotationAgreementTests: XCTestCase {
    func testKrippendorffNominalWorkedExample() {
        // Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. University of
        // Pennsylvania, section C: nominal data, 4 observers, 12 units, missing values; α = 0.743.
        let rows: [[Int?]] = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
            [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
        ]
        let alpha = Agreement.krippendorffAlpha(rows.map { $0.map { $0.map(String.init) } })
        XCTAssertEqual(alpha!, 0.743, accuracy: 0.0005)
        // Perfect agreement is 1; a single value everywhere is undefined.
        XCTAssertEqual(Agreement.krippendorffAlpha([["a", "b", nil], ["a", "b", "c"]]), 1)
        XCTAssertNil(Agreement.krippendorffAlpha([["a", "a"], ["a", "a"]]))
    }

    func testCohensKappaTextbookExamples() {
        // Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, two readers;
        // yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = 0.7, p_e = 0.5, κ = 0.4.
        func pairs(_ yy: Int, _ yn: Int, _ ny: Int, _ nn: Int) -> ([String], [String]) {
            var a: [String] = [], b: [String] = []
            for (n, x, y) in [(yy, "y", "y"), (yn, "y", "n"), (ny, "n", "y"), (nn, "n", "n")] {
                a += Array(repeating: x, count: n)
                b += Array(repeating: y, count: n)
            }
            return (a, b)
        }
        let (a, b) = pairs(20, 5, 10, 15)
        XCTAssertEqual(Agreement.cohensKappa(a, b)!, 0.4, accuracy: 1e-12)
        // Same article, "same percentages but different numbers": 45/15/25/15 → κ = 0.1304,
        // 25/35/5/35 → κ = 0.2593.
        let (c, d) = pairs(45, 15, 25, 15)
        XCTAssertEqual(Agreement.cohensKappa(c, d)!, 0.1304, accuracy: 0.00005)
        let (e, f) = pairs(25, 35, 5, 35)
        XCTAssertEqual(Agreement.cohensKappa(e, f)!, 0.2593, accuracy: 0.00005)
    }

    func testReportOverTokensWithMissingAnnotators() {
        let text = TextBuffer("one two three four five six")
        let other = TextBuffer("seven eight")
        func a(_ who: String, _ article: String, _ t: TextBuffer, _ r: Range<Int>, _ label: String) -> Annotation {
            Annotation(
                annotator: who, session: "s", articleID: article, contentHash: t.contentHash, label: label, note: "",
                quote: QuoteSelector(range: r, in: t), position: PositionSelector(start: r.lowerBound, end: r.upperBound))
        }
        let annotations = [
            a("ann", "x", text, 0..<7, "claim"),  // one two
            a("bob", "x", text, 4..<13, "claim"),  // two three
            a("cat", "y", other, 0..<5, "claim"),  // only cat saw y
        ]
        let report = Agreement.report(annotations, texts: ["x": text, "y": other])
        XCTAssertEqual(report.annotators, ["ann", "bob", "cat"])
        XCTAssertEqual(report.tokens, 8)
        let ab = report.pairwise.first { $0.first == "ann" && $0.second == "bob" }!
        XCTAssertEqual(ab.tokens, 6)
        // ann: C C O O O O; bob: O C C O O O → p_o = 4/6, p_e = (2·2 + 4·4)/36.
        XCTAssertEqual(ab.kappa!, (4.0 / 6 - 20.0 / 36) / (1 - 20.0 / 36), accuracy: 1e-12)
        XCTAssertNil(report.kappa)  // three annotators
        // Units only cat coded are not pairable, so α is the two-coder α on x.
        let expected = Agreement.krippendorffAlpha([["claim", "claim", "O", "O", "O", "O"], ["O", "claim", "claim", "O", "O", "O"]])
        XCTAssertEqual(report.alpha!, expected!, accuracy: 1e-12)
    }
}
