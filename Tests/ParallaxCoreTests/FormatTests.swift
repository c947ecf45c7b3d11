import Foundation
import XCTest

@testable import ParallaxCore

final class FormatTests: XCTestCase {
    // MARK: Plain text

    func testHeadlineHeuristic() throws {
        let dir = try makeTempFolder(self)
        try write("A short headline: no full stop\n\nThe body begins here.\n", to: dir, "a.txt")
        // Archives and many outlets end headlines with a full stop, a semicolon or a quotation.
        try write("Outrage, but few options on the table.\n\nSecond paragraph.\n", to: dir, "b.txt")
        try write("Headline without a blank line after it\nmore text\n", to: dir, "c.txt")
        try write(String(repeating: "long ", count: 50) + "\n\nBody.\n", to: dir, "d.txt")
        try write("Quoted headline ends with \u{201C}a quote.\u{201D}\n\nBody.\n", to: dir, "e.txt")
        try write("Only a title line\n", to: dir, "f.txt")
        // A first paragraph of more than twenty words is the lede, whatever it ends with.
        try write(
            "Audio of Trump pleading and threatening Georgia’s secretary of state has surfaced, where the sitting president implores Brad Raffensperger to find votes.\n\nIn the call, Trump said it.\n",
            to: dir, "g.txt")
        try write("Derelict Obama and Clinton;\n\nBody.\n", to: dir, "h.txt")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["a", "b", "c", "d", "e", "f", "g", "h"])
        let a = c.articles[0]
        XCTAssertEqual(a.metadata.title, "A short headline: no full stop")
        XCTAssertEqual(a.bodyPrefix(9), "The body ")
        XCTAssertEqual(a.wordCount, 4)
        XCTAssertEqual(a.headlineRange, 0..<30)
        let titled = ["a": "A short headline: no full stop", "b": "Outrage, but few options on the table.",
                      "e": "Quoted headline ends with \u{201C}a quote.\u{201D}", "h": "Derelict Obama and Clinton;"]
        for other in c.articles {
            XCTAssertEqual(other.metadata.title, titled[other.id], other.id)
            if titled[other.id] == nil {
                XCTAssertEqual(other.bodyStart, 0, other.id)
                XCTAssertNil(other.headlineRange, other.id)
            }
        }
        // The headline is tokenized as the document's headline, apart from the body.
        let doc = Doc(c.articles[1])
        XCTAssertEqual(doc.string(doc.headline), "Outrage, but few options on the table.")
        XCTAssertTrue(doc.tokens[doc.headline.upperBound].has(.paragraphStart))
    }

    func testDateLine() throws {
        let dir = try makeTempFolder(self)
        let path = try write(" date 2021-01-04 Politics\n\n\nBody text.", to: dir, "x.txt")
        let a = try load([path]).articles[0]
        XCTAssertEqual(a.metadata, ArticleMetadata(date: "2021-01-04"))
        XCTAssertEqual(a.bodyPrefix(4), "Body")
        XCTAssertEqual(a.wordCount, 2)
    }

    func testCRLFIsKept() throws {
        let dir = try makeTempFolder(self)
        let text = "Headline here\r\n\r\nFirst line.\r\nSecond line.\r\n"
        let path = try write(text, to: dir, "crlf.txt")
        let a = try load([path]).articles[0]
        XCTAssertEqual(a.text.bytes, Array(text.utf8))
        XCTAssertEqual(a.text.scalarCount, text.unicodeScalars.count)  // \r and \n are two scalars
        XCTAssertEqual(a.metadata.title, "Headline here")
        XCTAssertEqual(a.bodyStart, "Headline here\r\n\r\n".unicodeScalars.count)
        XCTAssertEqual(a.wordCount, 4)
    }

    func testBOMStaysAndIsHidden() throws {
        let dir = try makeTempFolder(self)
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Headline\n\nBody here.".utf8)
        let path = try write(bytes, to: dir, "bom.txt")
        let a = try load([path]).articles[0]
        XCTAssertEqual(a.text.bytes, bytes)
        XCTAssertEqual(a.text.string(0..<1), "\u{FEFF}")
        XCTAssertEqual(a.hiddenRanges, [0..<1])
        XCTAssertEqual(a.metadata.title, "Headline")
        XCTAssertEqual(a.bodyStart, 11)
        XCTAssertEqual(a.wordCount, 2)

        let plain = try write([0xEF, 0xBB, 0xBF] + Array("no headline.".utf8), to: dir, "bom2.txt")
        let b = try load([plain]).articles[0]
        XCTAssertEqual(b.bodyStart, 1, "the body starts after the BOM")
        XCTAssertEqual(b.hiddenRanges, [0..<1])
        XCTAssertEqual(b.visibleBody, "no headline.")
        XCTAssertEqual(b.wordCount, 2)
    }

    func testControlCharactersAreKept() throws {
        let dir = try makeTempFolder(self)
        let text = "Text with \u{1B}[31mcolour\u{1B}[0m and a bell \u{07} inside."
        let path = try write(text, to: dir, "esc.txt")
        let a = try load([path]).articles[0]
        XCTAssertEqual(a.text.string, text)
    }

    // MARK: Markdown

    func testMarkdownFrontMatter() throws {
        let dir = try makeTempFolder(self)
        let md = """
            ---
            title: "Trump call: the 'find' tape"
            source: 'The Hill'
            date: 2021-01-03T18:00:00Z
            url: https://example.com/a?b=c
            tags: [politics]
            ---

            # Heading in the body

            Body text here.
            """
        let path = try write(md, to: dir, "story.md")
        let a = try load([path]).articles[0]
        XCTAssertEqual(a.format, .markdown)
        XCTAssertEqual(a.id, "story")
        XCTAssertEqual(a.metadata, ArticleMetadata(
            title: "Trump call: the 'find' tape", source: "The Hill", date: "2021-01-03", url: "https://example.com/a?b=c"))
        XCTAssertEqual(a.text.string, md, "front matter stays in the text")
        XCTAssertEqual(a.bodyPrefix(9), "# Heading")
        XCTAssertEqual(a.wordCount, 8)  // "#" counts: it is a whitespace-separated token
    }

    func testMarkdownHeadingWithoutFrontMatter() throws {
        let dir = try makeTempFolder(self)
        try write("\n# The Title #\n\nBody.\n", to: dir, "a.markdown")
        try write("Intro line.\n\n# Later Heading\n\nMore.\n", to: dir, "b.md")
        try write("---\nnot: closed\n\nBody only.\n", to: dir, "c.md")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["a", "b", "c"])
        XCTAssertEqual(c.articles[0].metadata.title, "The Title")
        XCTAssertEqual(c.articles[0].bodyPrefix(5), "Body.")
        XCTAssertEqual(c.articles[1].metadata.title, "Later Heading")
        XCTAssertEqual(c.articles[1].bodyStart, 0)
        XCTAssertNil(c.articles[2].metadata.title)
        XCTAssertEqual(c.articles[2].bodyStart, 0)
        XCTAssertEqual(c.warnings.map(\.message), ["front matter not closed with ---, read as text"])
    }

    // MARK: JSON

    func testJSONObject() throws {
        let dir = try makeTempFolder(self)
        let json = #"""
            {"title": "T", "maintext": "Caf\u00e9 \ud83d\ude00 text\r\nline two", "date_publish": "2021-01-04 10:00:00",
             "source_domain": "thehill.com", "url": "https://thehill.com/x", "text": "ignored"}
            """#
        let path = try write(json, to: dir, "rec.json")
        let c = try load([path])
        XCTAssertEqual(c.articles.count, 1)
        let a = c.articles[0]
        XCTAssertEqual(a.id, "rec")
        XCTAssertEqual(a.format, .json)
        XCTAssertEqual(a.text.string, "Café 😀 text\r\nline two")
        XCTAssertEqual(a.text.scalarCount, 21)
        XCTAssertEqual(a.bodyStart, 0)
        XCTAssertEqual(a.metadata, ArticleMetadata(title: "T", source: "thehill.com", date: "2021-01-04", url: "https://thehill.com/x"))
        XCTAssertEqual(a.wordCount, 5)
    }

    func testJSONArray() throws {
        let dir = try makeTempFolder(self)
        let json = #"""
            [{"title": "One", "text": "first", "date": "2020-12-05T09:30:00+00:00", "source": "CNN"},
             {"title": "No text"},
             {"maintext": "third", "date_publish": null}]
            """#
        let path = try write(json, to: dir, "batch.json")
        let c = try load([path])
        XCTAssertEqual(c.articles.map(\.id), ["batch#1", "batch#3"])
        XCTAssertEqual(c.articles[0].metadata, ArticleMetadata(title: "One", source: "CNN", date: "2020-12-05"))
        XCTAssertEqual(c.articles[1].text.string, "third")
        XCTAssertEqual(c.warnings.map(\.description), ["\(path): record 2: no text (maintext or text), skipped"])

        let single = try write(#"[{"text": "only"}]"#, to: dir, "single.json")
        XCTAssertEqual(try load([single]).articles.map(\.id), ["single"])
    }

    func testJSONLines() throws {
        let dir = try makeTempFolder(self)
        let lines = """
            {"title": "A", "maintext": "alpha text"}

            {"title": "B", "maintext": "beta"
            {"title": "C", "text": "gamma", "date_publish": "2021-01-05"}
            """
        let path = try write(lines, to: dir, "feed.jsonl")
        try write(#"{"text": "nd"}"# + "\n", to: dir, "more.ndjson")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["feed#1", "feed#3", "more#1"])
        XCTAssertEqual(c.articles.map(\.format), [.jsonLines, .jsonLines, .jsonLines])
        XCTAssertEqual(c.articles[1].metadata, ArticleMetadata(title: "C", date: "2021-01-05"))
        XCTAssertEqual(c.warnings, [LoadWarning(path: path, message: "line 3: invalid JSON, skipped")])
    }

    func testInvalidJSONFileIsSkippedWithWarning() throws {
        let dir = try makeTempFolder(self)
        let bad = try write("{not json", to: dir, "bad.json")
        try write("Fine text.", to: dir, "ok.txt")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["ok"])
        XCTAssertEqual(c.warnings.count, 1)
        XCTAssertEqual(c.warnings[0].path, bad)
        XCTAssertTrue(c.warnings[0].message.hasPrefix("invalid JSON"), c.warnings[0].message)
    }

    // MARK: Manifest

    func testManifestOverridesOnlyNonNullValues() throws {
        let dir = try makeTempFolder(self)
        try write("---\ntitle: File Title\nsource: File Source\ndate: 2020-01-01\n---\nBody.", to: dir, "a.md")
        try write(#"""
            {"version": 1, "articles": {"a": {"title": null, "source": "Manifest Source", "date": "2021-02-03"},
                                        "missing": {"title": "x"}}}
            """#, to: dir, "manifest.json")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["a"])
        XCTAssertEqual(c.articles[0].metadata, ArticleMetadata(title: "File Title", source: "Manifest Source", date: "2021-02-03"))

        let off = try load([dir.path], options: LoadOptions(useManifest: false))
        XCTAssertEqual(off.articles[0].metadata.source, "File Source")
    }

    func testManifestNamesTheAnnotationLabels() throws {
        let dir = try makeTempFolder(self)
        try write("Body.", to: dir, "a.txt")
        try write(#"""
            {"version": 1, "annotation": {"labels": ["claim", " spin ", "claim", "fabricated"]}, "articles": {}}
            """#, to: dir, "manifest.json")
        XCTAssertEqual(try load([dir.path]).annotationLabels, ["claim", "spin", "fabricated"])
        // A file named on its own still picks up its folder's manifest.
        XCTAssertEqual(try load([dir.appendingPathComponent("a.txt").path]).annotationLabels, ["claim", "spin", "fabricated"])
        XCTAssertNil(try load([dir.path], options: LoadOptions(useManifest: false)).annotationLabels)
        // The manifest's set comes before the config's, which comes before the defaults.
        XCTAssertEqual(AnnotationLabels.resolve(manifest: ["spin"], config: ["fact"]), ["spin"])
        XCTAssertEqual(AnnotationLabels.resolve(manifest: nil, config: ["fact"]), ["fact"])
        XCTAssertEqual(AnnotationLabels.resolve(manifest: nil, config: nil), AnnotationLabels.defaults)
        // The bundled and the shipped corpus name the same set.
        XCTAssertEqual(try CorpusLoader.loadBuiltIn().annotationLabels?.last, "mistranslated")
        XCTAssertEqual(try CorpusLoader.load(paths: [seedCorpusPath]).annotationLabels, try CorpusLoader.loadBuiltIn().annotationLabels)
    }

    func testBadAnnotationLabelsMakeTheManifestAWarning() throws {
        for bad in [#"{"annotation": {"labels": "claim"}, "articles": {}}"#,
                    #"{"annotation": {"labels": []}, "articles": {}}"#,
                    #"{"annotation": {"labels": ["ok", 3]}, "articles": {}}"#,
                    #"{"annotation": ["claim"], "articles": {}}"#] {
            let dir = try makeTempFolder(self)
            try write("Body.", to: dir, "a.txt")
            let m = try write(bad, to: dir, "manifest.json")
            let c = try load([dir.path])
            XCTAssertNil(c.annotationLabels, bad)
            XCTAssertEqual(c.warnings.map(\.path), [m], bad)
        }
    }

    /// Each kind of broken manifest gets its own message; fields of the wrong type are ignored.
    func testManifestMessagesAndLenientFields() throws {
        let cases: [(String, String)] = [
            (#"{"articles": 3}"#, #"no "articles" object"#),
            (#"{"version": 1}"#, #"no "articles" object"#),
            ("[1]", "not a JSON object"),
            (#"{"version": 2, "articles": {}}"#, "unsupported version 2"),
            (#"{"version": "one", "articles": {}}"#, "unsupported version one"),
            (#"{"articles": {"a": 5}}"#, "entry a is not an object"),
            (#"{"annotation": {"labels": "claim"}, "articles": {}}"#, "annotation.labels is not a list"),
            (#"{"annotation": ["claim"], "articles": {}}"#, #""annotation" is not an object"#),
            (#"{"annotation": {"labels": ["ok", 3]}, "articles": {}}"#, "annotation.labels must hold non-empty strings"),
            ("{not json", "invalid JSON"),
        ]
        for (json, message) in cases {
            XCTAssertThrowsError(try CorpusManifest.parse(Array(json.utf8)), json) { error in
                XCTAssertEqual((error as? CorpusManifest.Invalid)?.message, message, json)
            }
        }
        let m = try CorpusManifest.parse(Array(#"{"articles": {"a": {"title": 5, "source": "  Wire ", "date": "2021-01-03T10:00", "url": null}}}"#.utf8))
        XCTAssertEqual(m.articles["a"], ArticleMetadata(title: nil, source: "Wire", date: "2021-01-03", url: nil))
    }

    func testBrokenManifestIsAWarning() throws {
        let dir = try makeTempFolder(self)
        try write("Body.", to: dir, "a.txt")
        let m = try write("{\"articles\": 3}", to: dir, "manifest.json")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.count, 1)
        XCTAssertEqual(c.warnings.map(\.path), [m])
    }

    // MARK: Folders

    func testFolderWalkSortsSkipsHiddenAndUnknown() throws {
        let dir = try makeTempFolder(self)
        try write("b", to: dir, "b.txt")
        try write("a", to: dir, "sub/a.TXT")
        try write("z", to: dir, "a.md")
        try write("hidden", to: dir, ".parallax/x.txt")
        try write("hidden", to: dir, ".git/y.txt")
        try write("hidden", to: dir, ".dot.txt")
        try write("ignored", to: dir, "notes.rtf")
        try write("ignored", to: dir, "image.png")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map { $0.path.replacingOccurrences(of: dir.path + "/", with: "") },
            ["a.md", "b.txt", "sub/a.TXT"])
        XCTAssertEqual(c.warnings.map(\.message), ["article id a already used, this one is a~2"])
        XCTAssertEqual(c.articles.map(\.id), ["a", "b", "a~2"])

        let withHidden = try load([dir.path], options: LoadOptions(includeHidden: true))
        XCTAssertEqual(withHidden.articles.count, 6)
    }

    func testExplicitUnknownExtensionIsPlainText() throws {
        let dir = try makeTempFolder(self)
        let path = try write("Some notes.\n", to: dir, "notes.rtf")
        let c = try load([path])
        XCTAssertEqual(c.articles.map(\.id), ["notes"])
        XCTAssertEqual(c.articles[0].format, .plainText)
        // Several paths keep command-line order.
        let other = try write("Other.", to: dir, "a.txt")
        XCTAssertEqual(try load([path, other]).articles.map(\.id), ["notes", "a"])
    }

    func testJSONWithByteOrderMark() throws {
        let dir = try makeTempFolder(self)
        try write([0xEF, 0xBB, 0xBF] + Array(#"{"text": "\ufeffbody"}"#.utf8), to: dir, "a.json")
        try write([0xEF, 0xBB, 0xBF] + Array(#"{"text": "line"}"#.utf8), to: dir, "b.jsonl")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["a", "b#1"])
        XCTAssertEqual(c.articles[0].hiddenRanges, [0..<1], "a BOM inside the text value is hidden too")
        XCTAssertEqual(c.articles[0].wordCount, 1)
        XCTAssertEqual(c.warnings, [])
    }

    func testSymlinkLoopIsWalkedOnce() throws {
        let dir = try makeTempFolder(self)
        try write("Text.", to: dir, "sub/a.txt")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/sub/loop", withDestinationPath: dir.path)
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["a"])
    }

    func testInMemoryPlainTextArticle() {
        let a = CorpusLoader.plainTextArticle(
            id: "mem", path: "mem.txt", text: TextBuffer("Headline\n\nSen. Kelly LoefflerKelly LoefflerNews MORE spoke."))
        XCTAssertEqual(a.metadata.title, "Headline")
        XCTAssertEqual(a.visibleBody, "Sen. Kelly Loeffler spoke.")
        XCTAssertEqual(a.wordCount, 4)
    }
}

/// The loader's byte-level file name parts agree with Foundation's on every kind of path.
final class PathNameTests: XCTestCase {
    func testAgreesWithFoundation() {
        let paths = [
            "corpus/000_f96229f3062a7620.txt", "a/b/c.JSON", "notes.md", "/abs/path/file.tar.gz", "dir/", "dir//",
            ".hidden", "dir/.hidden", "dir/.hidden.txt", "file.", "a.b/c", "plain", "café/résumé.txt", "x/y.z/",
            "rel/./name.jsonl", "名前/記事.txt",
        ]
        for p in paths {
            let ns = p as NSString
            XCTAssertEqual(PathName.last(p), ns.lastPathComponent, "last of \(p)")
            XCTAssertEqual(PathName.ext(p), ns.pathExtension, "extension of \(p)")
            XCTAssertEqual(PathName.stem(p), (ns.lastPathComponent as NSString).deletingPathExtension, "stem of \(p)")
        }
    }
}

extension PathNameTests {
    func testStandardizedAgreesWithFoundation() {
        let cwd = FileManager.default.currentDirectoryPath
        for p in ["corpus/a.txt", "./corpus/a.txt", "corpus/../corpus/a.txt", "/abs//x.txt", "/abs/./x.txt", "a.txt", "/abs/b.md", "x/y/.."] {
            XCTAssertEqual(PathName.standardized(p, in: cwd), URL(fileURLWithPath: p).standardizedFileURL.path, p)
        }
    }
}

/// The analysis JSON escapes strings exactly as `JSONEncoder` does, wherever the special bytes
/// fall relative to the eight-byte steps of the fast path.
final class JSONWriterTests: XCTestCase {
    func testStringsEscapeAsJSONEncoderDoes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let pieces = ["a", "é", "名", "\"", "\\", "\n", "\t", "\u{1}", "\u{1F}", " ", "x y", "😀", "\u{7F}", "/", "\r", "\u{8}", "\u{C}"]
        var rng = SplitMix64(seed: 9)
        for _ in 0..<2000 {
            let n = Int(rng.next() % 40)
            let s = (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            var w = JSONWriter()
            w.string(s)
            let expected = String(decoding: try encoder.encode(s), as: UTF8.self)
            XCTAssertEqual(w.result, expected, "\(s.debugDescription)")
            XCTAssertEqual(try JSONDecoder().decode(String.self, from: Data(w.bytes)), s)
        }
    }
}

/// Word counts (the picker's "430w") agree with a plain count of white-space separated words,
/// whatever falls on the eight-byte steps of the fast path.
final class WordCountTests: XCTestCase {
    func testAgreesWithAPlainCount() {
        let pieces = ["word", " ", "\t", "\n", "\r\n", "\u{B}", "\u{C}", "é", "名前", "\u{A0}", "\u{2003}", "x", "ab,", "😀", "  ", "-"]
        let spaces: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "\u{B}", "\u{C}", "\u{A0}", "\u{2003}"]
        var rng = SplitMix64(seed: 11)
        for _ in 0..<3000 {
            let n = Int(rng.next() % 60)
            let s = (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let text = TextBuffer(s)
            var expected = 0
            var inWord = false
            for u in s.unicodeScalars {
                let space = spaces.contains(u)
                if !space && !inWord { expected += 1 }
                inWord = !space
            }
            XCTAssertEqual(TextScanning.wordCount(text, range: 0..<text.scalarCount, hidden: []), expected, s.debugDescription)
        }
    }
}

/// JSON from scrapers may hold escapes of lone surrogates: the article loads with U+FFFD in
/// their place and a warning, surrogate pairs stay what they encode.
final class LoneSurrogateTests: XCTestCase {
    func testLoneSurrogateEscapesBecomeReplacementCharacters() throws {
        let dir = try makeTempFolder(self)
        try write(#"{"title": "Bad \ud800 title", "maintext": "A lone \udc00 low, a pair \ud83d\ude00, a quoted \\ud800 text.", "source_domain": "x.com"}"#, to: dir, "a.json")
        try write(#"{"maintext": "Line \uDBFF end"}"# + "\n", to: dir, "b.jsonl")
        let c = try load([dir.path])
        let a = try XCTUnwrap(c.articles.first { $0.id == "a" })
        XCTAssertEqual(a.metadata.title, "Bad \u{FFFD} title")
        XCTAssertEqual(a.text.string(0..<a.text.scalarCount), "A lone \u{FFFD} low, a pair 😀, a quoted \\ud800 text.")
        XCTAssertEqual(c.articles.first { $0.id.hasPrefix("b") }?.text.string(0..<10), "Line \u{FFFD} end")
        XCTAssertTrue(c.warnings.contains { $0.message == "2 lone surrogate escapes (\\uD800…\\uDFFF) shown as U+FFFD" }, "\(c.warnings)")
        XCTAssertTrue(c.warnings.contains { $0.message == "line 1: 1 lone surrogate escape shown as U+FFFD" }, "\(c.warnings)")
    }
}
