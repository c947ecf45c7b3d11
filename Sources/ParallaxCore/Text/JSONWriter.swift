/// A small JSON writer for large outputs (the analysis, annotation exports): compact, keys in
/// the order given, strings escaped as `JSONEncoder` escapes them (RFC 8259, `/` and non-ASCII
/// kept as they are). Structured (`object`, `array`, `field`) or raw text with `raw` and `string`.
struct JSONWriter {
    /// The output so far, in a buffer of its own: an `Array` checks uniqueness and capacity on
    /// every appended byte, which was most of the writer's time on large outputs.
    private let storage = ByteStorage(capacity: 4096)
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity = 4096

    init() { base = storage.base }

    private var contents: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// What is written so far (since the last `drain`).
    var bytes: [UInt8] { Array(contents) }

    var result: String { String(decoding: contents, as: UTF8.self) }

    @inline(__always) private mutating func append(_ b: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = b
        count += 1
    }

    @inline(__always) private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let p = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).update(from: p, count: bytes.count)
        count += bytes.count
    }

    private mutating func grow(to minimum: Int) {
        let bigger = max(minimum, capacity * 2)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        p.update(from: base, count: count)
        storage.base.deallocate()
        storage.base = p
        base = p
        capacity = bigger
    }

    /// Text written as it is (the caller makes it JSON).
    mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }
    /// Whether the next value in the current object or array needs a comma first.
    private var needsComma: [Bool] = []

    mutating func reserve(_ n: Int) { if n > capacity { grow(to: n) } }

    /// Where written bytes go before the document is complete (`drain`); nil keeps them all.
    var sink: ((UnsafeBufferPointer<UInt8>) -> Void)?

    /// Hands what is written so far to the sink once it holds `threshold` bytes or more, so a
    /// large document streams out in pieces instead of growing one buffer.
    mutating func drain(threshold: Int = 1 << 20) {
        guard let sink, count >= threshold else { return }
        sink(contents)
        count = 0
    }

    private mutating func separator() {
        if let last = needsComma.last {
            if last { append(0x2C) } else { needsComma[needsComma.count - 1] = true }
        }
    }

    mutating func beginObject() {
        separatorIfValue()
        append(0x7B)
        needsComma.append(false)
    }

    mutating func endObject() {
        needsComma.removeLast()
        append(0x7D)
    }

    mutating func beginArray() {
        separatorIfValue()
        append(0x5B)
        needsComma.append(false)
    }

    mutating func endArray() {
        needsComma.removeLast()
        append(0x5D)
    }

    /// After a key the value follows directly; elsewhere a value is an array element.
    private var afterKey = false
    private mutating func separatorIfValue() {
        if afterKey { afterKey = false } else { separator() }
    }

    /// Keys are literals with nothing to escape: their bytes are written as they are.
    mutating func key(_ k: StaticString) {
        separator()
        append(0x22)
        appendStatic(k)
        append(0x22)
        append(0x3A)
        afterKey = true
    }

    mutating func string(_ s: String) {
        separatorIfValue()
        appendString(s)
    }

    mutating func null() {
        separatorIfValue()
        appendStatic("null")
    }

    mutating func number(_ v: Int) {
        separatorIfValue()
        appendDigits(v)
    }

    /// Decimal digits of `v`, without going through a `String`.
    private mutating func appendDigits(_ v: Int) {
        if v < 0 { append(0x2D) }
        var n = v.magnitude
        if n < 10 { append(0x30 + UInt8(n)); return }
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
            for k in stride(from: count - 1, through: 0, by: -1) { append(d[k]) }
        }
    }

    /// A string made of a one-letter prefix and a number ("e12", "q3"), as ids are written.
    mutating func label(_ prefix: UInt8, _ n: Int) {
        separatorIfValue()
        append(0x22)
        append(prefix)
        appendDigits(n)
        append(0x22)
    }

    mutating func field(_ k: StaticString, label prefix: UInt8, _ n: Int?) {
        key(k)
        if let n { label(prefix, n) } else { null() }
    }

    mutating func number(_ v: Double) {
        separatorIfValue()
        if v.isFinite && v == v.rounded() && abs(v) < 1e15 {
            raw(String(Int(v)))
        } else {
            raw(v.description)
        }
    }

    mutating func bool(_ v: Bool) {
        separatorIfValue()
        appendStatic(v ? "true" : "false")
    }

    mutating func field(_ k: StaticString, _ v: String) { key(k); string(v) }
    mutating func field(_ k: StaticString, _ v: String?) { key(k); if let v { string(v) } else { null() } }
    mutating func field(_ k: StaticString, _ v: Int) { key(k); number(v) }
    mutating func field(_ k: StaticString, _ v: Bool) { key(k); bool(v) }

    /// Bytes of a literal, one by one: no array is made for them (a literal array would be
    /// allocated on every call, and these run for every key, `null` and `false`).
    @inline(__always) private mutating func appendStatic(_ s: StaticString) {
        let p = s.utf8Start
        for i in 0..<s.utf8CodeUnitCount { append(p[i]) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ s: String) {
        append(0x22)
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
                if at > start { append(UnsafeBufferPointer(rebasing: buf[start..<at])) }
                switch b {
                case 0x22: appendStatic("\\\"")
                case 0x5C: appendStatic("\\\\")
                case 0x08: appendStatic("\\b")
                case 0x0C: appendStatic("\\f")
                case 0x0A: appendStatic("\\n")
                case 0x0D: appendStatic("\\r")
                case 0x09: appendStatic("\\t")
                default:
                    appendStatic("\\u00")
                    append(Self.hex[Int(b >> 4)])
                    append(Self.hex[Int(b & 0xF)])
                }
                start = i
            }
            if start < buf.count { append(UnsafeBufferPointer(rebasing: buf[start..<buf.count])) }
        }
        append(0x22)
    }
}

/// Owns the memory of a `JSONWriter`'s output and frees it. The writer keeps the pointer,
/// count and capacity in its own stored properties: a class's properties would be checked for
/// exclusive access on every byte.
private final class ByteStorage {
    var base: UnsafeMutablePointer<UInt8>
    init(capacity: Int) { base = .allocate(capacity: capacity) }
    deinit { base.deallocate() }
}
