import Foundation
import XCTest

@testable import ParallaxCore

final class BadInputTests: XCTestCase {
    func testMissingPath() throws {
        let dir = try makeTempFolder(self)
        let missing = dir.path + "/nope.txt"
        try write("fine", to: dir, "ok.txt")
        let error = loadError([dir.path + "/ok.txt", missing])
        XCTAssertEqual(error?.message, "parallax: no such file or directory: \(missing)")
        XCTAssertEqual(error.map { $0.message.contains("\n") }, false)
    }

    /// A FIFO in a folder is skipped with a warning, never opened for a blocking read; so are a
    /// link to a device and a file over the size cap; links to folders that contain the corpus
    /// (`/`, `..`) are not followed.
    func testSpecialFilesAndLinksOutOfTheFolder() throws {
        let dir = try makeTempFolder(self)
        try write("Real text.", to: dir, "a.txt")
        let fifo = dir.path + "/pipe.txt"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/zero.txt", withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/top", withDestinationPath: "/")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/up", withDestinationPath: "..")
        let big = dir.path + "/big.txt"
        XCTAssertTrue(FileManager.default.createFile(atPath: big, contents: nil))
        XCTAssertEqual(truncate(big, off_t(FileBytes.maxSize + 1)), 0)  // sparse: no disk used

        // Loading must finish even if the FIFO were opened for a blocking read: a watchdog
        // opens its other end after 10 s so that a broken loader fails instead of hanging.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var corpus: Corpus?
        DispatchQueue.global().async {
            corpus = try? load([dir.path])
            done.signal()
        }
        if done.wait(timeout: .now() + 10) == .timedOut {
            XCTFail("loading blocked on the FIFO")
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
            done.wait()
        }
        let c = try XCTUnwrap(corpus)
        XCTAssertEqual(c.articles.map(\.id), ["a"])
        let messages = Dictionary(c.warnings.map { (PathName.last($0.path), $0.message) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(messages["pipe.txt"], "a FIFO, not a regular file: skipped")
        XCTAssertEqual(messages["zero.txt"], "a character device, not a regular file: skipped")
        XCTAssertEqual(messages["top"], "link to a folder that contains this one: not followed")
        XCTAssertEqual(messages["up"], "link to a folder that contains this one: not followed")
        XCTAssertEqual(messages["big.txt"], "cannot read file: larger than 512 MB (512 MB): skipped")
        // Named explicitly, a device is one clear line, not a read that never ends.
        XCTAssertEqual(loadError(["/dev/zero"])?.message, "parallax: no articles found in /dev/zero (cannot read file: a character device, not a regular file: skipped)")
    }

    func testEmptyFolder() throws {
        let dir = try makeTempFolder(self)
        try write("not an article", to: dir, "image.png")
        let error = loadError([dir.path])
        XCTAssertEqual(error?.message, "parallax: no articles found in \(dir.path)")
    }

    func testOneEmptyFolderAmongOthers() throws {
        let dir = try makeTempFolder(self)
        try write("Real text.", to: dir, "full/a.txt")
        try write("", to: dir, "empty/b.txt")
        let error = loadError([dir.path + "/full", dir.path + "/empty"])
        XCTAssertEqual(error?.message, "parallax: no articles found in \(dir.path)/empty (empty file)")
        // Empty subfolders of a folder with articles are fine.
        XCTAssertEqual(try load([dir.path]).articles.map(\.id), ["a"])
    }

    func testNoPaths() {
        XCTAssertEqual(loadError([])?.message, "parallax: no files or folders given")
    }

    func testEmptyAndBlankFiles() throws {
        let dir = try makeTempFolder(self)
        let empty = try write("", to: dir, "a.txt")
        let blank = try write(" \n\t\r\n\u{00A0}\n", to: dir, "b.txt")
        let bomOnly = try write([0xEF, 0xBB, 0xBF, 0x0A], to: dir, "c.md")
        try write("Real text.", to: dir, "d.txt")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["d"])
        XCTAssertEqual(c.warnings, [
            LoadWarning(path: empty, message: "empty file"),
            LoadWarning(path: blank, message: "empty file"),
            LoadWarning(path: bomOnly, message: "empty file"),
        ])
        // Only an empty file: the error says why.
        XCTAssertEqual(loadError([empty])?.message, "parallax: no articles found in \(empty) (empty file)")
    }

    func testBinaryFiles() throws {
        let dir = try makeTempFolder(self)
        let nul = try write(Array("PK".utf8) + [0x03, 0x04, 0x00, 0x00] + Array("text".utf8), to: dir, "a.txt")
        let controls = try write((0..<400).map { UInt8($0 % 2 == 0 ? 0x01 : 0x41) }, to: dir, "b.txt")
        let utf16 = try write([0xFF, 0xFE, 0x41, 0x00], to: dir, "c.txt")
        try write("Real text.", to: dir, "d.txt")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["d"])
        XCTAssertEqual(c.warnings.map(\.path), [nul, controls, utf16])
        XCTAssertEqual(c.warnings[0].message, "binary file, skipped")
        XCTAssertEqual(c.warnings[1].message, "binary file, skipped")
        XCTAssertTrue(c.warnings[2].message.hasPrefix("UTF-16 text, skipped"))
    }

    func testUnreadableFile() throws {
        // A link whose target is gone cannot be read, whatever the permissions of the runner.
        let dir = try makeTempFolder(self)
        let path = dir.appendingPathComponent("locked.txt").path
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: dir.appendingPathComponent("gone.txt").path)
        try write("Real text.", to: dir, "open.txt")
        let c = try load([dir.path])
        XCTAssertEqual(c.articles.map(\.id), ["open"])
        XCTAssertEqual(c.warnings.map(\.path), [path])
        XCTAssertTrue(c.warnings[0].message.hasPrefix("cannot read file: "), c.warnings[0].message)
    }

    func testInvalidUTF8IsRepairedWithPythonOffsets() throws {
        let dir = try makeTempFolder(self)
        let path = try write([0x61, 0xFF, 0x62], to: dir, "bad.txt")
        let c = try load([path])
        let a = c.articles[0]
        XCTAssertEqual(a.text.string, "a\u{FFFD}b")
        XCTAssertEqual(a.text.scalarCount, 3)
        XCTAssertEqual(a.text.string(2..<3), "b")
        let warning = LoadWarning(path: path, message: "invalid UTF-8 (1 sequence shown as \u{FFFD})")
        XCTAssertEqual(c.warnings, [warning])
        XCTAssertEqual(a.warnings, [warning])

        // Python: b"x\xe2\x82y\xc3\xa9\xf0\x9f\x98z\xed\xa0\x80".decode("utf-8", "replace")
        //   == 'x\ufffdy\xe9\ufffdz\ufffd\ufffd\ufffd' (9 scalars, 5 replacements)
        let many = try write([0x78, 0xE2, 0x82, 0x79, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x7A, 0xED, 0xA0, 0x80], to: dir, "many.txt")
        let m = try load([many])
        XCTAssertEqual(m.articles[0].text.string, "x\u{FFFD}y\u{E9}\u{FFFD}z\u{FFFD}\u{FFFD}\u{FFFD}")
        XCTAssertEqual(m.articles[0].text.scalarCount, 9)
        XCTAssertEqual(m.warnings.map(\.message), ["invalid UTF-8 (5 sequences shown as \u{FFFD})"])
    }

    func testManifestNamedExplicitlyIsNotAnArticle() {
        let error = loadError([seedCorpusPath + "/manifest.json"])
        XCTAssertEqual(error?.message,
            "parallax: no articles found in \(seedCorpusPath)/manifest.json (corpus manifest, not an article: skipped)")
    }

    /// A 50 MB single line: read, validated, scanned for junk and counted without trouble.
    func testFiftyMegabyteSingleLine() throws {
        let dir = try makeTempFolder(self)
        let unit = Array("Trump asked Georgia officials to find votes, said Café owner 😀 ".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(50_000_000 + unit.count)
        while bytes.count < 50_000_000 { bytes.append(contentsOf: unit) }
        let path = try write(bytes, to: dir, "huge.txt")
        let repeats = bytes.count / unit.count

        let started = Date()
        let c = try load([path])
        let seconds = Date().timeIntervalSince(started)
        print("loaded \(bytes.count) bytes on one line in \(String(format: "%.2f", seconds)) s")

        let a = c.articles[0]
        XCTAssertEqual(a.text.bytes.count, bytes.count)
        XCTAssertEqual(a.text.scalarCount, repeats * String(decoding: unit, as: UTF8.self).unicodeScalars.count)
        XCTAssertNil(a.metadata.title)
        XCTAssertEqual(a.bodyStart, 0)
        XCTAssertEqual(a.wordCount, repeats * 11)
        XCTAssertEqual(a.hiddenRanges, [])
        // Offsets deep in the text still map exactly.
        let last = a.text.scalarCount - 1
        XCTAssertEqual(a.text.string(last - 1..<last + 1), "😀 ")
        XCTAssertEqual(a.text.scalarOffset(ofByte: a.text.byteOffset(ofScalar: last - 1)), last - 1)

        // The same line as Markdown (no front matter, no heading).
        let md = dir.appendingPathComponent("huge.md").path
        try FileManager.default.moveItem(atPath: path, toPath: md)
        let m = try load([md]).articles[0]
        XCTAssertEqual(m.text.bytes.count, bytes.count)
        XCTAssertNil(m.metadata.title)
        XCTAssertEqual(m.wordCount, repeats * 11)
    }

    /// A 50 MB file of ordinary paragraphs.
    func testFiftyMegabyteFile() throws {
        let dir = try makeTempFolder(self)
        let paragraph = Array("President TrumpDonald TrumpHeadline one Headline two MORE directly asked.\n\n".utf8)
        var bytes = Array("A headline\n\n".utf8)
        bytes.reserveCapacity(50_000_000 + paragraph.count)
        while bytes.count < 50_000_000 { bytes.append(contentsOf: paragraph) }
        let path = try write(bytes, to: dir, "big.txt")
        let repeats = (bytes.count - 12) / paragraph.count

        let started = Date()
        let a = try load([path]).articles[0]
        print("loaded \(bytes.count) bytes in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        XCTAssertEqual(a.metadata.title, "A headline")
        XCTAssertEqual(a.hiddenRanges.count, repeats)
        XCTAssertEqual(a.wordCount, repeats * 4)
    }
}
