import Foundation

/// An immutable article text stored as valid UTF-8 bytes, addressed by Unicode scalar offsets.
///
/// Every span in Parallax (entity mention, quote, annotation, search match, layout line) is a
/// half-open range of scalar offsets into this text, exactly as decoded from the file's UTF-8
/// (no newline translation), so Python's `text[start:end]` names the same characters.
/// Scalar offsets are mapped to byte offsets through checkpoints every `stride` scalars, so
/// a 50 MB text costs a few extra megabytes, not four times its size as `[Unicode.Scalar]` would.
public final class TextBuffer: @unchecked Sendable {
    /// Valid UTF-8.
    public let bytes: [UInt8]
    public let scalarCount: Int
    /// True when every byte is ASCII: scalar offsets equal byte offsets.
    public let isASCII: Bool
    /// `checkpoints[k]` is the byte offset of scalar `k * stride`.
    private let checkpoints: [Int]
    public static let stride = 64

    /// Wraps bytes that are already known to be valid UTF-8.
    public init(validUTF8 bytes: [UInt8]) {
        self.bytes = bytes
        var count = 0
        var ascii = true
        var marks: [Int] = []
        bytes.withUnsafeBufferPointer { buf in
            let n = buf.count
            // Fast ASCII scan first: most news text is ASCII and needs no checkpoints.
            let i = TextBuffer.asciiPrefixLength(buf)
            if i == n {
                count = n
                return
            }
            ascii = false
            marks.reserveCapacity(n / TextBuffer.stride + 1)
            var scalars = 0
            for j in 0..<n where buf[j] & 0xC0 != 0x80 {
                if scalars % TextBuffer.stride == 0 { marks.append(j) }
                scalars += 1
            }
            count = scalars
        }
        self.scalarCount = count
        self.isASCII = ascii
        self.checkpoints = marks
    }

    /// Length of the leading run of ASCII bytes, eight bytes at a time.
    static func asciiPrefixLength(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buf.baseAddress else { return 0 }
        let n = buf.count
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < n && base[i] < 0x80 { i += 1 }
        return i
    }

    public convenience init(_ string: String) {
        self.init(validUTF8: Array(string.utf8))
    }

    /// Byte offset of the scalar at `offset` (`scalarCount` maps to `bytes.count`).
    public func byteOffset(ofScalar offset: Int) -> Int {
        if isASCII { return offset }
        if offset >= scalarCount { return bytes.count }
        if offset <= 0 { return 0 }
        let k = offset / TextBuffer.stride
        var b = checkpoints[k]
        var remaining = offset - k * TextBuffer.stride
        bytes.withUnsafeBufferPointer { buf in
            while remaining > 0 {
                b += 1
                while buf[b] & 0xC0 == 0x80 { b += 1 }
                remaining -= 1
            }
        }
        return b
    }

    /// Scalar offset of the scalar that starts at (or contains) byte offset `byte`.
    public func scalarOffset(ofByte byte: Int) -> Int {
        if isASCII { return min(max(byte, 0), bytes.count) }
        if byte >= bytes.count { return scalarCount }
        if byte <= 0 { return 0 }
        // Binary search for the last checkpoint at or before `byte`.
        var lo = 0, hi = checkpoints.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if checkpoints[mid] <= byte { lo = mid } else { hi = mid - 1 }
        }
        var scalar = lo * TextBuffer.stride
        var b = checkpoints[lo]
        bytes.withUnsafeBufferPointer { buf in
            var i = b + 1
            while i <= byte {
                if buf[i] & 0xC0 != 0x80 { scalar += 1; b = i }
                i += 1
            }
        }
        return scalar
    }

    public func byteRange(_ range: Range<Int>) -> Range<Int> {
        let lo = byteOffset(ofScalar: range.lowerBound)
        let hi = range.upperBound == range.lowerBound ? lo : byteOffset(ofScalar: range.upperBound)
        return lo..<hi
    }

    /// The text of a scalar range.
    public func string(_ range: Range<Int>) -> String {
        let r = byteRange(clamp(range))
        return bytes.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self)
        }
    }

    /// The text of a byte range (whole scalars), with no scalar-to-byte search.
    public func string(bytes r: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[r.clamped(to: 0..<buf.count)]), as: UTF8.self)
        }
    }

    /// The whole text as a `String`.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public func clamp(_ range: Range<Int>) -> Range<Int> {
        let lo = min(max(range.lowerBound, 0), scalarCount)
        let hi = min(max(range.upperBound, lo), scalarCount)
        return lo..<hi
    }

    /// Calls `body(scalar, scalarOffset)` for each scalar in `range`; stop by returning false.
    public func forEachScalar(in range: Range<Int>, _ body: (Unicode.Scalar, Int) -> Bool) {
        let r = clamp(range)
        var b = byteOffset(ofScalar: r.lowerBound)
        var offset = r.lowerBound
        bytes.withUnsafeBufferPointer { buf in
            while offset < r.upperBound {
                let (scalar, len) = TextBuffer.decodeScalar(buf, at: b)
                if !body(scalar, offset) { return }
                b += len
                offset += 1
            }
        }
    }

    /// Decodes one scalar of valid UTF-8 at byte `i`.
    @inline(__always)
    public static func decodeScalar(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(buf[i])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        if b0 < 0xE0 {
            let v = (b0 & 0x1F) << 6 | UInt32(buf[i + 1] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 2)
        }
        if b0 < 0xF0 {
            let v = (b0 & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 3)
        }
        let v = (b0 & 0x07) << 18 | UInt32(buf[i + 1] & 0x3F) << 12 | UInt32(buf[i + 2] & 0x3F) << 6 | UInt32(buf[i + 3] & 0x3F)
        return (Unicode.Scalar(v) ?? "\u{FFFD}", 4)
    }
}

/// Result of decoding raw file bytes as UTF-8.
public struct DecodedText: Sendable {
    public let buffer: TextBuffer
    /// Number of invalid sequences replaced with U+FFFD.
    public let invalidSequences: Int
}

public enum UTF8Decoding {
    /// Decodes bytes as UTF-8 the way Python's `bytes.decode("utf-8", "replace")` does:
    /// valid input is kept byte for byte (a BOM stays as U+FEFF, CRLF stays CRLF);
    /// each maximal invalid subpart becomes U+FFFD.
    public static func decode(_ raw: [UInt8]) -> DecodedText {
        if isValid(raw) {
            return DecodedText(buffer: TextBuffer(validUTF8: raw), invalidSequences: 0)
        }
        var invalid = 0
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + 16)
        var it = raw.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s):
                out.append(contentsOf: UTF8.encode(s)!)
            case .emptyInput:
                break loop
            case .error:
                invalid += 1
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            }
        }
        return DecodedText(buffer: TextBuffer(validUTF8: out), invalidSequences: invalid)
    }

    /// Strict UTF-8 validation (no overlongs, no surrogates, max U+10FFFF).
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf -> Bool in
            let n = buf.count
            var i = TextBuffer.asciiPrefixLength(buf)
            while i < n {
                if buf[i] < 0x80, i + 8 <= n,
                   UnsafeRawPointer(buf.baseAddress!).loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
                let b0 = buf[i]
                if b0 < 0x80 { i += 1; continue }
                if b0 < 0xC2 { return false }
                if b0 < 0xE0 {
                    guard i + 1 < n, buf[i + 1] & 0xC0 == 0x80 else { return false }
                    i += 2; continue
                }
                if b0 < 0xF0 {
                    guard i + 2 < n else { return false }
                    let b1 = buf[i + 1], b2 = buf[i + 2]
                    guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return false }
                    if b0 == 0xE0 && b1 < 0xA0 { return false }
                    if b0 == 0xED && b1 >= 0xA0 { return false }
                    i += 3; continue
                }
                if b0 < 0xF5 {
                    guard i + 3 < n else { return false }
                    let b1 = buf[i + 1], b2 = buf[i + 2], b3 = buf[i + 3]
                    guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return false }
                    if b0 == 0xF0 && b1 < 0x90 { return false }
                    if b0 == 0xF4 && b1 >= 0x90 { return false }
                    i += 4; continue
                }
                return false
            }
            return true
        }
    }
}
