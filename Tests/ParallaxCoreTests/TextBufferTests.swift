import Foundation
import XCTest

@testable import ParallaxCore

final class TextBufferTests: XCTestCase {
    func testScalarCounts() {
        XCTAssertEqual(TextBuffer("a😀b").scalarCount, 3)
        XCTAssertEqual(TextBuffer("a😀b").bytes.count, 6)
        XCTAssertEqual(TextBuffer("").scalarCount, 0)
        // "é" as e + combining acute is two scalars (Python len() agrees), one Character in Swift.
        XCTAssertEqual(TextBuffer("e\u{301}").scalarCount, 2)
        XCTAssertEqual(TextBuffer("\r\n").scalarCount, 2)
    }

    func testOffsetsOnSmallMixedText() {
        let t = TextBuffer("a😀b")
        XCTAssertFalse(t.isASCII)
        XCTAssertEqual((0...3).map { t.byteOffset(ofScalar: $0) }, [0, 1, 5, 6])
        XCTAssertEqual((0...6).map { t.scalarOffset(ofByte: $0) }, [0, 1, 1, 1, 1, 2, 3])
        XCTAssertEqual(t.string(1..<2), "😀")
        XCTAssertEqual(t.string(2..<3), "b")
    }

    /// Round trips over text long enough to cross many checkpoints, against an independent model.
    func testRoundTripsOnMixedASCIIEmojiCJK() {
        var s = ""
        let pieces = ["abc ", "😀", "漢字", "é", "e\u{301}", "\u{FEFF}", "👩‍👩‍👧", "\r\n", "Ж", "𝄞"]
        for i in 0..<2_000 { s += pieces[(i * 7) % pieces.count] }
        let t = TextBuffer(s)
        let scalars = Array(s.unicodeScalars)
        XCTAssertEqual(t.scalarCount, scalars.count)

        var byteOfScalar: [Int] = []
        var b = 0
        for sc in scalars {
            byteOfScalar.append(b)
            b += String(sc).utf8.count
        }
        byteOfScalar.append(b)
        for k in 0...scalars.count {
            let byte = t.byteOffset(ofScalar: k)
            XCTAssertEqual(byte, byteOfScalar[k], "scalar \(k)")
            XCTAssertEqual(t.scalarOffset(ofByte: byte), k, "scalar \(k)")
        }
        // A byte inside a scalar maps to the scalar containing it.
        for k in 0..<scalars.count where byteOfScalar[k + 1] - byteOfScalar[k] > 1 {
            XCTAssertEqual(t.scalarOffset(ofByte: byteOfScalar[k] + 1), k)
        }
        // Substrings equal the model's, including across checkpoints.
        for start in stride(from: 0, to: scalars.count - 130, by: 61) {
            let expected = String(String.UnicodeScalarView(scalars[start..<(start + 130)]))
            XCTAssertEqual(t.string(start..<(start + 130)), expected)
        }
        var visited: [Int] = []
        t.forEachScalar(in: 60..<70) { scalar, offset in
            XCTAssertEqual(scalar, scalars[offset])
            visited.append(offset)
            return true
        }
        XCTAssertEqual(visited, Array(60..<70))
    }

    func testASCIIFastPath() {
        let t = TextBuffer("plain ascii")
        XCTAssertTrue(t.isASCII)
        XCTAssertEqual(t.byteOffset(ofScalar: 5), 5)
        XCTAssertEqual(t.scalarOffset(ofByte: 5), 5)
        XCTAssertEqual(t.scalarOffset(ofByte: 99), 11)
        XCTAssertEqual(t.string(6..<99), "ascii")
    }

    func testDecodingKeepsValidBytesAndRepairsLikePython() {
        let valid: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("x\r\ny".utf8)
        let d = UTF8Decoding.decode(valid)
        XCTAssertEqual(d.invalidSequences, 0)
        XCTAssertEqual(d.buffer.bytes, valid)
        XCTAssertEqual(d.buffer.scalarCount, 5)

        let bad = UTF8Decoding.decode([0x61, 0xFF, 0x62])
        XCTAssertEqual(bad.invalidSequences, 1)
        XCTAssertEqual(bad.buffer.string, "a\u{FFFD}b")
        XCTAssertEqual(bad.buffer.scalarCount, 3)
        // Truncated sequence at the end, overlong encoding, surrogate.
        XCTAssertEqual(UTF8Decoding.decode([0x61, 0xE2, 0x82]).buffer.string, "a\u{FFFD}")
        XCTAssertEqual(UTF8Decoding.decode([0xC0, 0xAF]).buffer.string, "\u{FFFD}\u{FFFD}")
        XCTAssertFalse(UTF8Decoding.isValid([0xED, 0xA0, 0x80]))
    }
}
