/// A small JSON writer for large outputs (the analysis, annotation exports): compact, keys in
/// the order given, strings escaped as `JSONEncoder` escapes them (RFC 8259, `/` and non-ASCII
/// kept as they are). Structured (`object`, `array`, `field`) or raw text with `raw` and `string`.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    var result: String { String(decoding: bytes, as: UTF8.self) }

    /// Text written as it is (the caller makes it JSON).
    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }
    /// Whether the next value in the current object or array needs a comma first.
    private var needsComma: [Bool] = []

    mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }

    /// Where written bytes go before the document is complete (`drain`); nil keeps them all.
    var sink: ((UnsafeBufferPointer<UInt8>) -> Void)?

    /// Hands what is written so far to the sink once it holds `threshold` bytes or more, so a
    /// large document streams out in pieces instead of growing one buffer.
    mutating func drain(threshold: Int = 1 << 20) {
        guard let sink, bytes.count >= threshold else { return }
        bytes.withUnsafeBufferPointer { sink($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func separator() {
        if let last = needsComma.last {
            if last { bytes.append(0x2C) } else { needsComma[needsComma.count - 1] = true }
        }
    }

    mutating func beginObject() {
        separatorIfValue()
        bytes.append(0x7B)
        needsComma.append(false)
    }

    mutating func endObject() {
        needsComma.removeLast()
        bytes.append(0x7D)
    }

    mutating func beginArray() {
        separatorIfValue()
        bytes.append(0x5B)
        needsComma.append(false)
    }

    mutating func endArray() {
        needsComma.removeLast()
        bytes.append(0x5D)
    }

    /// After a key the value follows directly; elsewhere a value is an array element.
    private var afterKey = false
    private mutating func separatorIfValue() {
        if afterKey { afterKey = false } else { separator() }
    }

    /// Keys are literals with nothing to escape: their bytes are written as they are.
    mutating func key(_ k: StaticString) {
        separator()
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(0x3A)
        afterKey = true
    }

    mutating func string(_ s: String) {
        separatorIfValue()
        appendString(s)
    }

    mutating func null() {
        separatorIfValue()
        bytes += [0x6E, 0x75, 0x6C, 0x6C]
    }

    mutating func number(_ v: Int) {
        separatorIfValue()
        appendDigits(v)
    }

    /// Decimal digits of `v`, without going through a `String`.
    private mutating func appendDigits(_ v: Int) {
        if v < 0 { bytes.append(0x2D) }
        var n = v.magnitude
        if n < 10 { bytes.append(0x30 + UInt8(n)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 {
                d[count] = 0x30 + UInt8(n % 10)
                n /= 10
                count += 1
            }
            for k in stride(from: count - 1, through: 0, by: -1) { bytes.append(d[k]) }
        }
    }

    /// A string made of a one-letter prefix and a number ("e12", "q3"), as ids are written.
    mutating func label(_ prefix: UInt8, _ n: Int) {
        separatorIfValue()
        bytes.append(0x22)
        bytes.append(prefix)
        appendDigits(n)
        bytes.append(0x22)
    }

    mutating func field(_ k: StaticString, label prefix: UInt8, _ n: Int?) {
        key(k)
        if let n { label(prefix, n) } else { null() }
    }

    mutating func number(_ v: Double) {
        separatorIfValue()
        if v.isFinite && v == v.rounded() && abs(v) < 1e15 {
            bytes += Array(String(Int(v)).utf8)
        } else {
            bytes += Array(v.description.utf8)
        }
    }

    mutating func bool(_ v: Bool) {
        separatorIfValue()
        bytes += v ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65]
    }

    mutating func field(_ k: StaticString, _ v: String) { key(k); string(v) }
    mutating func field(_ k: StaticString, _ v: String?) { key(k); if let v { string(v) } else { null() } }
    mutating func field(_ k: StaticString, _ v: Int) { key(k); number(v) }
    mutating func field(_ k: StaticString, _ v: Bool) { key(k); bool(v) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { buf in
            guard let base = buf.baseAddress else { return }
            var start = 0
            var i = 0
            let n = buf.count
            while i < n {
                // Eight bytes at a time while none needs escaping (no control byte, `"` or `\`).
                if i + 8 <= n {
                    let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                    let control = (x &- ones &* 0x20) & ~x & highs
                    let q = x ^ (ones &* 0x22), bs = x ^ (ones &* 0x5C)
                    let special = control | ((q &- ones) & ~q & highs) | ((bs &- ones) & ~bs & highs)
                    if special == 0 { i += 8; continue }
                }
                let b = base[i]
                i += 1
                guard b == 0x22 || b == 0x5C || b < 0x20 else { continue }
                let at = i - 1
                if at > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<at])) }
                switch b {
                case 0x22: bytes += [0x5C, 0x22]
                case 0x5C: bytes += [0x5C, 0x5C]
                case 0x08: bytes += [0x5C, 0x62]
                case 0x0C: bytes += [0x5C, 0x66]
                case 0x0A: bytes += [0x5C, 0x6E]
                case 0x0D: bytes += [0x5C, 0x72]
                case 0x09: bytes += [0x5C, 0x74]
                default: bytes += [0x5C, 0x75, 0x30, 0x30, Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)]]
                }
                start = i
            }
            if start < buf.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<buf.count])) }
        }
        bytes.append(0x22)
    }
}
