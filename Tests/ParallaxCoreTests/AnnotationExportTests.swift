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

    /// The properties the W3C Web Annotation Data Model says MUST be there, checked on an export
    /// with a placed, an unplaced and a noted annotation: the page's `@context`, IRI `id`, `type`
    /// and `items`; each annotation's `@context`, IRI `id`, `type`, `target` with an IRI `source`;
    /// bodies with `type` and `value`; selectors with their required fields; `created` as an
    /// xsd:dateTime. The page id is stable: the same annotations give the same page.
    func testW3CExportHasTheModelsRequiredProperties() throws {
        func isIRI(_ v: Any?) -> Bool {
            guard let s = v as? String else { return false }
            return s.range(of: "^[A-Za-z][A-Za-z0-9+.-]*:[^\\s\"<>{}|^`\\\\]+$", options: .regularExpression) != nil
        }
        let set = ExportSet(annotations: samples, states: [samples[0].id: "anchored", samples[1].id: "orphaned"], unplaced: [samples[1].id], texts: [:], warnings: [])
        let json = AnnotationExport.w3c(set, sources: ["art/1": "https://example.com/news/1"])
        let page = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        XCTAssertEqual(page["@context"] as? String, "http://www.w3.org/ns/anno.jsonld")
        XCTAssertTrue(isIRI(page["id"]), "page id \(page["id"] ?? "none")")
        // A name-based UUID (version 5, RFC 4122 variant).
        XCTAssertNotNil((page["id"] as? String)?.range(of: "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression), "\(page["id"] ?? "")")
        XCTAssertEqual(page["type"] as? String, "AnnotationPage")
        let items = try XCTUnwrap(page["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, samples.count)
        for item in items {
            XCTAssertEqual(item["@context"] as? String, "http://www.w3.org/ns/anno.jsonld")
            XCTAssertTrue(isIRI(item["id"]), "annotation id \(item["id"] ?? "none")")
            XCTAssertEqual(item["type"] as? String, "Annotation")
            let created = try XCTUnwrap(item["created"] as? String)
            XCTAssertNotNil(created.range(of: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$", options: .regularExpression), created)
            for body in try XCTUnwrap(item["body"] as? [[String: Any]]) {
                XCTAssertEqual(body["type"] as? String, "TextualBody")
                XCTAssertNotNil(body["value"] as? String)
            }
            let target = try XCTUnwrap(item["target"] as? [String: Any])
            XCTAssertEqual(target["source"] as? String, "https://example.com/news/1")
            let selectors = try XCTUnwrap(target["selector"] as? [[String: Any]])
            for selector in selectors {
                switch selector["type"] as? String {
                case "TextQuoteSelector": XCTAssertNotNil(selector["exact"] as? String)
                case "TextPositionSelector":
                    let start = try XCTUnwrap(selector["start"] as? Int), end = try XCTUnwrap(selector["end"] as? Int)
                    XCTAssertTrue(start >= 0 && end >= start)
                default: XCTFail("unknown selector \(selector)")
                }
            }
            XCTAssertEqual(selectors.count, item["parallax:anchor"] as? String == "orphaned" ? 1 : 2, "an unplaced annotation has no position")
        }
        XCTAssertEqual(AnnotationExport.w3c(set, sources: ["art/1": "https://example.com/news/1"]), json, "the same export twice")
        // Without a URL, the source is a URN of the article id; import maps it back.
        let plain = AnnotationExport.w3c(samples)
        XCTAssertTrue(plain.contains("\"source\":\"urn:parallax:article:art%2F1\""), plain)
        XCTAssertEqual(try AnnotationExport.importW3C(Data(plain.utf8), session: "s", annotator: "x").annotations.map(\.articleID), samples.map(\.articleID))
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
        XCTAssertEqual(rows[0], "article,hash,start,end,exact,label,note,annotator,session,created,anchor")
        XCTAssertEqual(rows[1], "art/1,\(crlfText.contentHash),9,10,😀,emoji,,ann,s1,2025-03-01T09:30:00.000Z,")
        XCTAssertTrue(csv.contains(",claim,\"says \"\"who\"\",\nline two\",ann,"), csv)
        XCTAssertTrue(csv.hasSuffix("\r\n"))
    }

    /// Cells a spreadsheet would run as formulas are neutralised with a leading `'` (OWASP);
    /// offsets and dates are not text cells and stay as they are.
    func testCSVCellsCannotBeFormulas() {
        let text = TextBuffer("-5 is the number we saw.")
        var a = annotation(text, 0..<2, label: "@label", note: "=HYPERLINK(\"http://x\",\"click\")", annotator: "+bob")
        a.session = "\tsession"
        let row = AnnotationExport.csv([a]).components(separatedBy: "\r\n")[1]
        XCTAssertEqual(row, "art/1,\(text.contentHash),0,2,'-5,'@label,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",'+bob,'\tsession,2025-03-01T09:30:00.000Z,")
    }

    // MARK: Exports on the text as it is now

    func store() throws -> AnnotationStore {
        try AnnotationStore(path: try makeTempFolder(self).appendingPathComponent("a.sqlite").path)
    }

    /// After the text changes, every exported span is where the annotation lands now: moved ones
    /// at their new place, with the current quote and hash; an orphaned one is left out with a
    /// count, or written without a position on request.
    func testExportsFollowTheCurrentText() throws {
        let old = TextBuffer("Headline\n\nThe minister said the plan was fully funded. Critics disagreed at once.\n")
        let store = try store()
        func save(_ needle: String, _ label: String) throws {
            let r = old.string.range(of: needle)!
            let start = old.string.unicodeScalars.distance(from: old.string.startIndex, to: r.lowerBound)
            try store.create(AnnotationDraft(articleID: "a", range: start..<(start + needle.unicodeScalars.count), label: label, note: "n"),
                             text: old, session: "s", annotator: "ann")
        }
        try save("fully funded", "claim")
        try save("Critics disagreed", "reaction")
        try save("Headline", "title")
        // A sentence inserted before the spans; the headline replaced.
        let new = TextBuffer("Breaking\n\nOfficials met on Monday. The minister said the plan was fully funded. Critics disagreed at once.\n")
        let set = try store.exportSet(corpus: ["a": new])
        XCTAssertEqual(set.annotations.map(\.label), ["claim", "reaction"])
        XCTAssertEqual(Set(set.states.values), ["moved", "orphaned"])
        for a in set.annotations {
            XCTAssertEqual(new.string(a.position.start..<a.position.end), a.quote.exact)
            XCTAssertEqual(a.contentHash, new.contentHash)
        }
        XCTAssertEqual(set.warnings.count, 1)
        XCTAssertTrue(set.warnings[0].hasPrefix("1 orphaned or ambiguous annotation(s) left out"), set.warnings[0])

        // Every format that carries positions slices the current text to its quote.
        let jsonl = try JSONSerialization.jsonObject(with: Data(try AnnotationExport.jsonl(set).utf8)) as! [String: Any]
        XCTAssertEqual(jsonl["text"] as? String, new.string)
        for span in jsonl["spans"] as! [[String: Any]] {
            let a = set.annotations.first { $0.id == span["id"] as? String }!
            XCTAssertEqual(new.string((span["start"] as! Int)..<(span["end"] as! Int)), a.quote.exact)
            XCTAssertEqual(span["anchor"] as? String, "moved")
        }
        let page = try JSONSerialization.jsonObject(with: Data(AnnotationExport.w3c(set).utf8)) as! [String: Any]
        for item in page["items"] as! [[String: Any]] {
            let selectors = (item["target"] as! [String: Any])["selector"] as! [[String: Any]]
            let exact = selectors[0]["exact"] as! String
            XCTAssertEqual(new.string((selectors[1]["start"] as! Int)..<(selectors[1]["end"] as! Int)), exact)
            XCTAssertEqual(item["parallax:anchor"] as? String, "moved")
        }
        let rows = AnnotationExport.csv(set).components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows.allSatisfy { $0.hasSuffix(",moved") }, rows.joined(separator: "\n"))

        // Asked for: the orphan is written with its stored quote and no position.
        let all = try store.exportSet(corpus: ["a": new], includeUnanchored: true)
        XCTAssertEqual(all.annotations.count, 3)
        let orphan = all.annotations.first { $0.label == "title" }!
        XCTAssertTrue(all.unplaced.contains(orphan.id))
        XCTAssertEqual(orphan.quote.exact, "Headline")
        let line = try JSONSerialization.jsonObject(with: Data(try AnnotationExport.jsonl(all).utf8)) as! [String: Any]
        let span = (line["spans"] as! [[String: Any]]).first { $0["label"] as? String == "title" }!
        XCTAssertTrue(span["start"] is NSNull && span["end"] is NSNull, "\(span)")
        XCTAssertEqual(span["exact"] as? String, "Headline")
        XCTAssertEqual(span["anchor"] as? String, "orphaned")
        XCTAssertFalse(AnnotationExport.w3c(all).contains("\"start\":0,\"end\":8"), "the orphan has no position selector")
    }

    /// Export → import into a new store → export gives the same bytes, for anchored annotations.
    func testExportImportExportIsByteIdentical() throws {
        let text = TextBuffer("Headline\n\nThe minister said the plan was fully funded. Critics disagreed at once.\n")
        let first = try store()
        try first.create(AnnotationDraft(articleID: "a", range: 11..<23, label: "claim", note: "who said it"), text: text, session: "s", annotator: "ann")
        try first.create(AnnotationDraft(articleID: "a", range: 55..<67, label: "reaction"), text: text, session: "s", annotator: "bob")
        let jsonl = try AnnotationExport.jsonl(try first.exportSet(corpus: ["a": text]))
        let second = try store()
        let imported = AnnotationExport.importJSONL(Data(jsonl.utf8), session: "import", annotator: "x")
        XCTAssertEqual(try second.importAnnotations(imported.annotations, texts: imported.texts, session: "import", annotator: "x"), 2)
        XCTAssertEqual(try AnnotationExport.jsonl(try second.exportSet(corpus: ["a": text])), jsonl)
        let w3c = AnnotationExport.w3c(try first.exportSet(corpus: ["a": text]))
        let third = try store()
        let fromW3C = try AnnotationExport.importW3C(Data(w3c.utf8), texts: ["a": text], session: "import", annotator: "x")
        _ = try third.importAnnotations(fromW3C.annotations, texts: ["a": text], session: "import", annotator: "x")
        let again = AnnotationExport.w3c(try third.exportSet(corpus: ["a": text]))
        XCTAssertEqual(again, w3c, zip(again.split(separator: ","), w3c.split(separator: ",")).filter { $0 != $1 }.map { "\($0) ≠ \($1)" }.joined(separator: "\n"))
    }

    /// Seeded: 1,000 random edits (insertions, deletions, replacements, reordered paragraphs) of
    /// the seed articles, each under a store of random annotations made on the original text.
    /// Every annotation the export places slices the edited text to exactly its quote, in JSONL
    /// and W3C, and every one is either placed or counted as left out.
    func testRandomEditsNeverExportAStaleSpan() throws {
        var rng = SplitMix64(seed: 20261201)
        let corpus = try load([seedCorpusPath])
        let store = try store()
        var originals: [String: TextBuffer] = [:]
        for article in corpus.articles {
            let text = article.text
            originals[article.id] = text
            for _ in 0..<8 {
                let start = Int.random(in: article.bodyStart..<(text.scalarCount - 40), using: &rng)
                try store.create(AnnotationDraft(articleID: article.id, range: start..<(start + Int.random(in: 3...30, using: &rng)), label: "l"),
                                 text: text, session: "s", annotator: "a")
            }
        }
        let words = ["Officials", "said", "on Monday", "that the", "count", "was", "“final”", "—", "é", "\n\n"]
        var placedTotal = 0
        for edit in 0..<1000 {
            let article = corpus.articles[edit % corpus.articles.count]
            var scalars = Array(originals[article.id]!.string.unicodeScalars)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<scalars.count, using: &rng)
                let insert = Array((0..<Int.random(in: 1...6, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ").unicodeScalars)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: scalars.insert(contentsOf: insert, at: at)
                case 1: scalars.removeSubrange(at..<min(scalars.count, at + Int.random(in: 1...200, using: &rng)))
                case 2: scalars.replaceSubrange(at..<min(scalars.count, at + Int.random(in: 1...20, using: &rng)), with: insert)
                default:
                    var paragraphs = String(String.UnicodeScalarView(scalars)).components(separatedBy: "\n\n")
                    paragraphs.shuffle(using: &rng)
                    scalars = Array(paragraphs.joined(separator: "\n\n").unicodeScalars)
                }
            }
            let edited = TextBuffer(String(String.UnicodeScalarView(scalars)))
            var texts = originals
            texts[article.id] = edited
            let set = try store.exportSet(corpus: texts)
            XCTAssertEqual(set.states.count, 8 * corpus.articles.count, "edit \(edit): every annotation has a state")
            for a in set.annotations {
                XCTAssertEqual(texts[a.articleID]!.string(a.position.start..<a.position.end), a.quote.exact, "edit \(edit), \(set.states[a.id]!)")
            }
            if edit % 50 == 0 {
                for line in try AnnotationExport.jsonl(set).split(separator: "\n") {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                    let text = TextBuffer(object["text"] as! String)
                    for span in object["spans"] as! [[String: Any]] {
                        let a = set.annotations.first { $0.id == span["id"] as? String }!
                        XCTAssertEqual(text.string((span["start"] as! Int)..<(span["end"] as! Int)), a.quote.exact)
                    }
                }
            }
            placedTotal += set.annotations.filter { $0.articleID == article.id }.count
        }
        XCTAssertGreaterThan(placedTotal, 1000 * 4, "most annotations survive small edits; the test must exercise placed spans")
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
            -DOCSTART- x\tO

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

    /// Two annotators, one column each (in the order asked for): neither label is lost where
    /// they disagree. brat: one folder per annotator, each with an annotation.conf of the labels.
    func testCoNLLColumnsAndBratFoldersPerAnnotator() throws {
        let text = TextBuffer("The plan was fully funded.")
        let a = annotation(text, 13..<25, label: "claim", annotator: "ann", article: "x")
        var b = annotation(text, 13..<25, label: "disputed", annotator: "bob", article: "x")
        b.id = "id-bob"
        let conll = try AnnotationExport.conll([a, b], texts: ["x": text], annotators: ["bob", "ann"])
        XCTAssertTrue(conll.hasPrefix("-DOCSTART- x\tO\tO\n\nThe\tO\tO\n"), conll)
        XCTAssertTrue(conll.contains("fully\tB-disputed\tB-claim\nfunded\tI-disputed\tI-claim\n"), conll)

        let folder = try makeTempFolder(self)
        let written = try AnnotationExport.writeBratPerAnnotator([a, b], texts: ["x": text], to: folder)
        XCTAssertEqual(written.map { URL(fileURLWithPath: $0).pathComponents.suffix(2).joined(separator: "/") }, ["ann/x.ann", "bob/x.ann"])
        for who in ["ann", "bob"] {
            let conf = try String(contentsOf: folder.appendingPathComponent("\(who)/annotation.conf"), encoding: .utf8)
            XCTAssertTrue(conf.contains("[entities]\nclaim\ndisputed\n"), conf)
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("\(who)/x.txt")), Data(text.bytes))
        }
        let bobAnn = try String(contentsOf: folder.appendingPathComponent("bob/x.ann"), encoding: .utf8)
        XCTAssertEqual(bobAnn, "T1\tdisputed 13 25\tfully funded\n")
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

    /// Per label, confusion and the disputes to adjudicate: ann says "fully funded" is a claim,
    /// bob that it is disputed (with a note); ann also tags "Critics", bob does not.
    func testAgreementInDetail() throws {
        let text = TextBuffer("The plan was fully funded. Critics said no.")
        func a(_ who: String, _ r: Range<Int>, _ label: String, _ note: String = "") -> Annotation {
            Annotation(
                annotator: who, session: "s", articleID: "x", contentHash: text.contentHash, label: label, note: note,
                quote: QuoteSelector(range: r, in: text), position: PositionSelector(start: r.lowerBound, end: r.upperBound))
        }
        let report = Agreement.report([
            a("ann", 13..<25, "claim"), a("bob", 13..<25, "disputed", "the budget says otherwise"), a("ann", 27..<34, "reaction"),
        ], texts: ["x": text])
        // Tokens: The plan was fully funded . Critics said no .
        XCTAssertEqual(report.tokens, 10)
        XCTAssertEqual(report.labels.map(\.label), ["claim", "disputed", "reaction"])
        XCTAssertEqual(report.labels.map(\.tokens), [2, 2, 1])
        // claim alone: ann C C on fully funded, bob O O there: no agreement beyond chance.
        let claim = report.labels[0]
        let expected = Agreement.cohensKappa(["O", "O", "O", "claim", "claim", "O", "O", "O", "O", "O"], Array(repeating: "O", count: 10))
        XCTAssertEqual(claim.kappas.count, 1)
        XCTAssertEqual(claim.kappas[0] ?? -9, expected ?? -9, accuracy: 1e-12)
        let c = try XCTUnwrap(report.confusion.first)
        XCTAssertEqual(c.labels, ["O", "claim", "disputed", "reaction"])
        XCTAssertEqual(c.counts, [[7, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0], [1, 0, 0, 0]])
        XCTAssertEqual(report.disagreements.map(\.text), ["fully funded", "Critics"])
        XCTAssertEqual(report.disagreements[0].views.map(\.labels), [["claim"], ["disputed"]])
        XCTAssertEqual(report.disagreements[0].views[1].notes, ["the budget says otherwise"])
        XCTAssertEqual(report.disagreements[1].views.map(\.labels), [["reaction"], ["O"]])
        // The JSON carries the same, and parses.
        let json = try JSONSerialization.jsonObject(with: Data(report.json(disagreements: true).utf8)) as! [String: Any]
        XCTAssertEqual((json["disagreements"] as? [[String: Any]])?.count, 2)
        XCTAssertEqual(((json["pairs"] as? [[String: Any]])?.first?["confusion"] as? [String: Any])?["counts"] as? [[Int]], c.counts)
        let plain = try JSONSerialization.jsonObject(with: Data(report.json(disagreements: false).utf8)) as! [String: Any]
        XCTAssertNil(plain["disagreements"], "listed only when asked for")
        let lines = report.text(disagreements: true)
        XCTAssertTrue(lines.contains("  x 13-25 “fully funded”"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("    bob: disputed — the budget says otherwise"), lines.joined(separator: "\n"))
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
