import Foundation
import XCTest

@testable import ParallaxCore

/// The package's `corpus/` folder with the seed articles and their manifest.
let seedCorpusPath: String = {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ParallaxCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("corpus").path
}()

/// A fresh temporary folder, removed when the test ends.
func makeTempFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("parallax-core-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock {
        try? FileManager.default.removeItem(at: url)
    }
    return url
}

@discardableResult
func write(_ bytes: [UInt8], to folder: URL, _ name: String) throws -> String {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url.path
}

@discardableResult
func write(_ text: String, to folder: URL, _ name: String) throws -> String {
    try write(Array(text.utf8), to: folder, name)
}

/// Loads and turns a `CorpusError` into a test failure with its message.
func load(_ paths: [String], options: LoadOptions = .init(), file: StaticString = #filePath, line: UInt = #line) throws -> Corpus {
    do {
        return try CorpusLoader.load(paths: paths, options: options)
    } catch {
        XCTFail("load failed: \(error.message)", file: file, line: line)
        throw error
    }
}

/// The error a load throws, or nil (and a failure) when it succeeds.
func loadError(_ paths: [String], file: StaticString = #filePath, line: UInt = #line) -> CorpusError? {
    do {
        let corpus = try CorpusLoader.load(paths: paths)
        XCTFail("expected an error, loaded \(corpus.articles.count) articles", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

extension Article {
    /// The reading view: the body with hidden ranges removed.
    var visibleBody: String {
        var out = String.UnicodeScalarView()
        var p = bodyStart
        for h in hiddenRanges where h.upperBound > p {
            if h.lowerBound > p { out.append(contentsOf: text.string(p..<h.lowerBound).unicodeScalars) }
            p = max(p, h.upperBound)
        }
        out.append(contentsOf: text.string(p..<text.scalarCount).unicodeScalars)
        return String(out)
    }

    /// The first `n` scalars of the body.
    func bodyPrefix(_ n: Int) -> String {
        text.string(bodyStart..<min(bodyStart + n, text.scalarCount))
    }
}
