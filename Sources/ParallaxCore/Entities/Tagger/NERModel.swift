import Foundation

/// Entity types of the tagger: the CoNLL-2003 set.
public enum NERLabelType: String, Sendable, CaseIterable, Equatable {
    case per = "PER", org = "ORG", loc = "LOC", misc = "MISC"

    /// 1 PER, 2 ORG, 3 LOC, 4 MISC (the label type code of `NERLabels`).
    var code: UInt8 {
        switch self {
        case .per: 1
        case .org: 2
        case .loc: 3
        case .misc: 4
        }
    }

    init?(code: UInt8) {
        switch code {
        case 1: self = .per
        case 2: self = .org
        case 3: self = .loc
        case 4: self = .misc
        default: return nil
        }
    }
}

/// BIO labels: 0 `O`, then `B-`/`I-` of PER, ORG, LOC and MISC (1…8).
enum NERLabels {
    static let count = 9
    static let names = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]

    /// Type code of a label: 0 for `O`, 1 PER, 2 ORG, 3 LOC, 4 MISC.
    @inline(__always) static func type(_ l: UInt8) -> UInt8 { (l &+ 1) / 2 }
    @inline(__always) static func isInside(_ l: UInt8) -> Bool { l != 0 && l & 1 == 0 }
    @inline(__always) static func begin(_ type: UInt8) -> UInt8 { type * 2 - 1 }

    /// Whether label `cur` may follow `prev` (-1: the sentence start): `I-X` only after `B-X` or `I-X`.
    @inline(__always) static func allowed(_ prev: Int, _ cur: Int) -> Bool {
        if cur == 0 || cur & 1 == 1 { return true }
        return prev == cur || prev == cur - 1
    }

    /// Entity spans of a BIO label sequence (an `I-` without its `B-` starts a span).
    static func spans(_ labels: UnsafeBufferPointer<UInt8>, offset: Int = 0) -> [(Range<Int>, UInt8)] {
        var out: [(Range<Int>, UInt8)] = []
        var i = 0
        let n = labels.count
        while i < n {
            let l = labels[i]
            if l == 0 { i += 1; continue }
            let t = type(l)
            var e = i + 1
            while e < n && isInside(labels[e]) && type(labels[e]) == t { e += 1 }
            out.append(((offset + i)..<(offset + e), t))
            i = e
        }
        return out
    }
}

public struct NERModelError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// The binary model: little-endian, in order
///
/// - magic `PXNERMDL`, format version (UInt32), label count (UInt32) and label names,
///   template count (UInt32) and template names (each a UInt8 length and UTF-8 bytes);
/// - the weight scale (Float32: a weight is its Int16 value times the scale);
/// - transitions, Int16, `(labels + 1) × labels` (row 0: from the sentence start);
/// - feature count (UInt32), the feature hashes (UInt64, ascending), then their weights
///   (Int16, `labels` per feature, in hash order);
/// - the frequent word types (UInt32 count, their type keys as UInt64 ascending, then for each
///   the sums of its type features' weights at the five neighbour offsets, Int32 `5 × labels`):
///   a cache of what tagging would add up for these words, so that it does not.
enum NERModelFile {
    static let magic: [UInt8] = Array("PXNERMDL".utf8)
    static let version: UInt32 = 2
    static let typeStride = 5 * NERLabels.count

    struct Contents {
        var scale: Float
        var transitions: [Int16]
        var hashes: [UInt64]
        var weights: [Int16]
        var templateNames: [String]
        var typeKeys: [UInt64]
        var typeVectors: [Int32]
    }

    static func write(
        scale: Float, transitions: [Int16], hashes: [UInt64], weights: [Int16], typeKeys: [UInt64] = [], typeVectors: [Int32] = []
    ) -> [UInt8] {
        var out: [UInt8] = magic
        out.reserveCapacity(64 + hashes.count * (8 + 2 * NERLabels.count))
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func name(_ s: String) {
            let b = Array(s.utf8.prefix(255))
            out.append(UInt8(b.count))
            out += b
        }
        u32(version)
        u32(UInt32(NERLabels.count))
        NERLabels.names.forEach(name)
        u32(UInt32(NERTemplate.names.count))
        NERTemplate.names.forEach(name)
        u32(scale.bitPattern)
        for t in transitions { withUnsafeBytes(of: t.littleEndian) { out += $0 } }
        u32(UInt32(hashes.count))
        for h in hashes { withUnsafeBytes(of: h.littleEndian) { out += $0 } }
        for w in weights { withUnsafeBytes(of: w.littleEndian) { out += $0 } }
        u32(UInt32(typeKeys.count))
        for k in typeKeys { withUnsafeBytes(of: k.littleEndian) { out += $0 } }
        for v in typeVectors { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        return out
    }

    static func read(_ data: [UInt8]) throws(NERModelError) -> Contents {
        var at = 0
        func need(_ n: Int) throws(NERModelError) {
            guard n >= 0, at + n <= data.count else { throw NERModelError("NER model: truncated at byte \(at)") }
        }
        func u32() throws(NERModelError) -> UInt32 {
            try need(4)
            var v: UInt32 = 0
            for k in 0..<4 { v |= UInt32(data[at + k]) << (8 * k) }
            at += 4
            return v
        }
        /// `count` little-endian integers from the current offset.
        func array<T: FixedWidthInteger>(_ count: Int, of _: T.Type) throws(NERModelError) -> [T] {
            let size = MemoryLayout<T>.size
            try need(count * size)
            var out = [T](repeating: 0, count: count)
            let base = at
            data.withUnsafeBytes { raw in
                for k in 0..<count { out[k] = T(littleEndian: raw.loadUnaligned(fromByteOffset: base + size * k, as: T.self)) }
            }
            at += count * size
            return out
        }
        func name() throws(NERModelError) -> String {
            try need(1)
            let n = Int(data[at])
            at += 1
            try need(n)
            defer { at += n }
            return String(decoding: data[at..<(at + n)], as: UTF8.self)
        }
        try need(magic.count)
        guard Array(data[0..<magic.count]) == magic else { throw NERModelError("NER model: not a model file") }
        at = magic.count
        let v = try u32()
        guard v == version else { throw NERModelError("NER model: format version \(v), expected \(version)") }
        let labels = Int(try u32())
        var labelNames: [String] = []
        for _ in 0..<min(labels, 64) { labelNames.append(try name()) }
        guard labelNames == NERLabels.names else { throw NERModelError("NER model: labels \(labelNames) differ from \(NERLabels.names)") }
        let templates = Int(try u32())
        var templateNames: [String] = []
        for _ in 0..<min(templates, 1024) { templateNames.append(try name()) }
        guard templateNames == NERTemplate.names else {
            throw NERModelError("NER model: made for other feature templates (\(templateNames.count), expected \(NERTemplate.names.count))")
        }
        let scale = Float(bitPattern: try u32())
        let L = NERLabels.count
        let tcount = (L + 1) * L
        let transitions = try array(tcount, of: Int16.self)
        let n = Int(try u32())
        let hashes = try array(n, of: UInt64.self)
        let weights = try array(n * L, of: Int16.self)
        let types = Int(try u32())
        let typeKeys = try array(types, of: UInt64.self)
        let typeVectors = try array(types * typeStride, of: Int32.self)
        guard at == data.count else { throw NERModelError("NER model: \(data.count - at) bytes after the weights") }
        return Contents(
            scale: scale, transitions: transitions, hashes: hashes, weights: weights, templateNames: templateNames, typeKeys: typeKeys,
            typeVectors: typeVectors)
    }
}
