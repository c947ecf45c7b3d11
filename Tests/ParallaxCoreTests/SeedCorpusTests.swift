import Foundation
import XCTest

@testable import ParallaxCore

final class SeedCorpusTests: XCTestCase {
    let ids = [
        "000_f96229f3062a7620", "001_8f2effccef7adb49", "002_f40aeade3fbf9a8e",
        "003_ca59708d16a0fad3", "004_1990f4e71a0f2eea",
    ]

    func article(_ corpus: Corpus, _ prefix: String) throws -> Article {
        try XCTUnwrap(corpus.articles.first { $0.id.hasPrefix(prefix) }, "no article \(prefix)")
    }

    func testLoadsTheCorpusFolderInPathOrder() throws {
        let corpus = try load([seedCorpusPath])
        XCTAssertEqual(corpus.articles.map(\.id), ids)
        XCTAssertEqual(corpus.warnings, [])
        XCTAssertEqual(corpus.root, seedCorpusPath)
        XCTAssertTrue(corpus.articles.allSatisfy { $0.format == .plainText })
    }

    func testTextIsTheFileByteForByte() throws {
        let corpus = try load([seedCorpusPath])
        for article in corpus.articles {
            let file = try Data(contentsOf: URL(fileURLWithPath: article.path))
            XCTAssertEqual(article.text.bytes, Array(file), article.id)
            XCTAssertEqual(article.text.string, String(decoding: file, as: UTF8.self))
            XCTAssertEqual(article.text.scalarCount, String(decoding: file, as: UTF8.self).unicodeScalars.count)
        }
    }

    func testMetadataFromManifest() throws {
        let corpus = try load([seedCorpusPath])
        let a0 = try article(corpus, "000")
        XCTAssertEqual(a0.metadata, ArticleMetadata(
            title: "Trump asked Georgia secretary of state to 'find' 11.7k ballots, recalculate election result"))
        XCTAssertEqual(try article(corpus, "001").metadata, ArticleMetadata())
        let a2 = try article(corpus, "002")
        XCTAssertEqual(a2.metadata.source, "CNBC")
        XCTAssertEqual(a2.metadata.title?.hasPrefix("Trump is pressuring Georgia's high electoral officer"), true)
        XCTAssertNil(a2.metadata.date)
        XCTAssertEqual(try article(corpus, "003").metadata, ArticleMetadata(source: "UrduPoint News / Sputnik", date: "2021-01-04"))
        XCTAssertEqual(try article(corpus, "004").metadata, ArticleMetadata(source: "CNN", date: "2020-12-05"))
    }

    func testBodyStarts() throws {
        let corpus = try load([seedCorpusPath])
        XCTAssertTrue(try article(corpus, "000").bodyPrefix(30).hasPrefix("President TrumpDonald"))
        XCTAssertEqual(try article(corpus, "001").bodyStart, 0)
        XCTAssertTrue(try article(corpus, "001").bodyPrefix(20).hasPrefix("Audio of Trump"))
        XCTAssertTrue(try article(corpus, "002").bodyPrefix(20).hasPrefix("In an exceptional"))
        XCTAssertTrue(try article(corpus, "003").bodyPrefix(20).hasPrefix("MOSCOW (UrduPoint"))
        XCTAssertTrue(try article(corpus, "004").bodyPrefix(20).hasPrefix("President Donald"))
        // Scalar offsets: 000's headline is ASCII, 93 scalars plus two line feeds.
        XCTAssertEqual(try article(corpus, "000").bodyStart, 93)
        XCTAssertEqual(try article(corpus, "003").bodyStart, " date 2021-01-04 (@ChaudhryMAli88)\n\n".unicodeScalars.count)
    }

    /// The file heuristics on their own, without the manifest.
    func testHeadHeuristicsWithoutManifest() throws {
        let corpus = try load([seedCorpusPath], options: LoadOptions(useManifest: false))
        XCTAssertEqual(try article(corpus, "000").metadata.title,
            "Trump asked Georgia secretary of state to 'find' 11.7k ballots, recalculate election result")
        XCTAssertNil(try article(corpus, "001").metadata.title, "001 opens with its lede, not a headline")
        XCTAssertEqual(try article(corpus, "002").metadata.title?.hasSuffix("on the telephone"), true)
        XCTAssertEqual(try article(corpus, "003").metadata, ArticleMetadata(date: "2021-01-04"))
        XCTAssertEqual(try article(corpus, "004").metadata, ArticleMetadata(date: "2020-12-05"))
        XCTAssertNil(try article(corpus, "002").metadata.source)
    }

    func testExplicitFilePicksUpTheFolderManifest() throws {
        let path = seedCorpusPath + "/004_1990f4e71a0f2eea.txt"
        let corpus = try load([path])
        XCTAssertEqual(corpus.articles.map(\.id), ["004_1990f4e71a0f2eea"])
        XCTAssertEqual(corpus.articles[0].metadata.source, "CNN")
        XCTAssertNil(corpus.root)
    }

    func testWordCounts() throws {
        let corpus = try load([seedCorpusPath])
        // Whitespace-separated tokens of the body (Python: len(body.split())), junk excluded for 000.
        let a3 = try article(corpus, "003")
        let body3 = a3.text.string(a3.bodyRange)
        XCTAssertEqual(a3.wordCount, body3.split(whereSeparator: { $0.isWhitespace }).count)
        let a0 = try article(corpus, "000")
        XCTAssertEqual(a0.wordCount, a0.visibleBody.split(whereSeparator: { $0.isWhitespace }).count)
        XCTAssertLessThan(a0.wordCount, a0.text.string(a0.bodyRange).split(whereSeparator: { $0.isWhitespace }).count - 100)
    }

    func testBuiltInCorpus() throws {
        let corpus = try CorpusLoader.loadBuiltIn()
        XCTAssertEqual(corpus.articles.map(\.id), ids)
        XCTAssertEqual(corpus.warnings, [])
        XCTAssertNil(corpus.root)
        XCTAssertTrue(corpus.articles.allSatisfy { $0.format == .builtIn && $0.path.hasPrefix("builtin:") })
        let fromFolder = try load([seedCorpusPath])
        for (a, b) in zip(corpus.articles, fromFolder.articles) {
            XCTAssertEqual(a.text.bytes, b.text.bytes, a.id)
            XCTAssertEqual(a.metadata, b.metadata, a.id)
            XCTAssertEqual(a.bodyStart, b.bodyStart, a.id)
            XCTAssertEqual(a.hiddenRanges, b.hiddenRanges, a.id)
        }
    }

    func testManifestIsNotAnArticleAndBundledCopyMatches() throws {
        let folder = try Data(contentsOf: URL(fileURLWithPath: seedCorpusPath + "/manifest.json"))
        let bundled = try Data(contentsOf: URL(fileURLWithPath: seedCorpusPath)
            .deletingLastPathComponent().appendingPathComponent("Sources/ParallaxCore/Resources/manifest.json"))
        XCTAssertEqual(folder, bundled)
        let manifest = try CorpusManifest.parse(Array(folder))
        XCTAssertEqual(Set(manifest.articles.keys), Set(ids))
    }
}
