import Foundation

/// An entity mention found by the tagger.
public struct NERSpan: Sendable, Equatable {
    /// Token indices in the `Doc`.
    public var tokens: Range<Int>
    public var type: NERLabelType
    /// How much worse the best labelling that differs at one of the span's tokens scores (the
    /// smallest gap over the tokens, in weight units): near 0 means unsure.
    public var margin: Float
    /// The two or three features that weigh most for the label at the span's first token, for
    /// people: "tagger: word 'corp.' → ORG, suffix '-ia' → LOC".
    public var evidence: String

    public init(tokens: Range<Int>, type: NERLabelType, margin: Float, evidence: String) {
        self.tokens = tokens
        self.type = type
        self.margin = margin
        self.evidence = evidence
    }
}

/// A named-entity sequence tagger: an averaged structured perceptron over BIO labels of PER, ORG,
/// LOC and MISC with first-order transitions, decoded with Viterbi one sentence at a time, in
/// document order so that earlier labels of a word inform later ones. Tags the tokens of a `Doc`.
///
/// Weights live in an open-addressing table built on load: 32 bytes a slot, the feature hash and
/// its nine Int16 weights, so a feature costs one cache line.
public final class NERTagger: Sendable {
    static let L = NERLabels.count
    static let slotWords = 4  // UInt64 words a slot: hash, then 9 × Int16 weights (+ padding)

    /// The model shipped with Parallax (`Resources/ner/model.bin`), nil when it is missing or unreadable.
    public static let bundled: NERTagger? = {
        guard let dir = Bundle.module.url(forResource: "ner", withExtension: nil),
            let d = FileManager.default.contents(atPath: dir.appendingPathComponent("model.bin").path)
        else { return nil }
        return try? NERTagger(data: [UInt8](d))
    }()

    /// Weight of one Int16 unit.
    public let scale: Float
    /// Number of features in the model.
    public let featureCount: Int
    public let templateNames: [String]
    /// `(labels + 1) × labels`, row 0 from the sentence start.
    let transitions: [Int32]
    let table: [UInt64]
    let mask: Int

    public init(data: [UInt8]) throws {
        let c = try NERModelFile.read(data)
        scale = c.scale
        templateNames = c.templateNames
        featureCount = c.hashes.count
        transitions = c.transitions.map { Int32($0) }
        var cap = 16
        while cap < c.hashes.count * 3 / 2 + 1 { cap <<= 1 }
        mask = cap - 1
        var table = [UInt64](repeating: 0, count: cap * NERTagger.slotWords)
        let L = NERTagger.L
        let m = cap - 1
        table.withUnsafeMutableBufferPointer { t in
            let raw = UnsafeMutableRawPointer(t.baseAddress!)
            for (k, h) in c.hashes.enumerated() where h != 0 {
                var s = Int(truncatingIfNeeded: h) & m
                while t[s * 4] != 0 && t[s * 4] != h { s = (s + 1) & m }
                t[s * 4] = h
                for l in 0..<L { raw.storeBytes(of: c.weights[k * L + l], toByteOffset: s * 32 + 8 + 2 * l, as: Int16.self) }
            }
        }
        self.table = table
    }

    /// Entity spans of `doc`, in text order.
    public func tag(_ doc: Doc) -> [NERSpan] {
        let n = doc.tokens.count
        guard n > 0 else { return [] }
        let ctx = NERContext(doc)
        var labels = [UInt8](repeating: 0, count: n)
        var emissions = [Int32](repeating: 0, count: n * NERTagger.L)
        var spans: [NERSpan] = []
        table.withUnsafeBufferPointer { tb in
            let raw = UnsafeRawPointer(tb.baseAddress!)
            computeEmissions(ctx, raw, &emissions)
            emissions.withUnsafeMutableBufferPointer { em in
                labels.withUnsafeMutableBufferPointer { lab in
                    var history = NERHistory()
                    var scratch = ViterbiScratch()
                    for s in ctx.units {
                        addHistory(ctx, s, history, raw, em)
                        viterbi(em, s, &scratch, lab)
                        defer { history.record(doc, s, labels: UnsafeBufferPointer(lab), offset: 0) }
                        let found = NERLabels.spans(UnsafeBufferPointer(rebasing: lab[s]), offset: s.lowerBound)
                        guard !found.isEmpty else { continue }
                        let gaps = marginGaps(em, s, &scratch, lab)
                        for (r, t) in found {
                            var g = Int64.max
                            for i in r { g = min(g, gaps[i - s.lowerBound]) }
                            spans.append(
                                NERSpan(
                                    tokens: r, type: NERLabelType(code: t)!, margin: Float(g) * scale,
                                    evidence: evidence(ctx, r.lowerBound, label: Int(NERLabels.begin(t)), history: history, raw)))
                        }
                    }
                }
            }
        }
        return spans
    }

    // MARK: Weights

    @inline(__always) func slot(_ raw: UnsafeRawPointer, _ h: UInt64) -> Int {
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let k = raw.load(fromByteOffset: s * 32, as: UInt64.self)
            if k == h { return s }
            if k == 0 { return -1 }
            s = (s + 1) & mask
        }
    }

    /// Weights of feature `h` for label `l` (0 when the model does not have it).
    func weight(_ raw: UnsafeRawPointer, _ h: UInt64, _ l: Int) -> Int32 {
        let s = slot(raw, h)
        return s < 0 ? 0 : Int32(raw.load(fromByteOffset: s * 32 + 8 + 2 * l, as: Int16.self))
    }

    struct Accumulate: NERFeatureSink {
        let tagger: NERTagger
        let raw: UnsafeRawPointer
        let acc: UnsafeMutablePointer<Int32>

        @inline(__always) mutating func add(_ template: NERTemplate, _ hash: UInt64, _ detail: Int) {
            let s = tagger.slot(raw, hash)
            guard s >= 0 else { return }
            let w = raw + s * 32 + 8
            for l in 0..<NERTagger.L { acc[l] &+= Int32(w.load(fromByteOffset: 2 * l, as: Int16.self)) }
        }
    }

    /// Emission scores without the document history: the type features of each token and its
    /// neighbours (summed once per word type and offset, per call) plus the context features.
    func computeEmissions(_ ctx: NERContext, _ raw: UnsafeRawPointer, _ emissions: inout [Int32]) {
        let n = ctx.count
        let L = NERTagger.L
        let offsets = NERFeatures.offsets
        let O = offsets.count
        let stride = O * L
        var cap = 64
        while cap < n * 2 { cap <<= 1 }
        let cmask = cap - 1
        var cacheKeys = [UInt64](repeating: 0, count: cap)
        var cacheIDs = [Int32](repeating: -1, count: cap)
        var typeOf = [Int32](repeating: 0, count: n)
        // Type 0 is padding (outside the document).
        var vectors = [Int32](repeating: 0, count: stride * 64)
        var types = 1
        ctx.doc.text.bytes.withUnsafeBufferPointer { buf in
            vectors.withUnsafeMutableBufferPointer { v in
                for (o, d) in offsets.enumerated() where d != 0 {
                    var sink = Accumulate(tagger: self, raw: raw, acc: v.baseAddress! + o * L)
                    NERFeatures.typeFeatures(ctx, -1, offset: d, buf: buf, into: &sink)
                }
            }
            for i in 0..<n {
                let tk = ctx.typeKey(i)
                var s = Int(truncatingIfNeeded: tk ^ (tk >> 31)) & cmask
                while cacheIDs[s] >= 0 && cacheKeys[s] != tk { s = (s + 1) & cmask }
                if cacheIDs[s] >= 0 {
                    typeOf[i] = cacheIDs[s]
                    continue
                }
                cacheKeys[s] = tk
                cacheIDs[s] = Int32(types)
                typeOf[i] = Int32(types)
                if (types + 1) * stride > vectors.count { vectors += [Int32](repeating: 0, count: vectors.count) }
                vectors.withUnsafeMutableBufferPointer { v in
                    for (o, d) in offsets.enumerated() {
                        var sink = Accumulate(tagger: self, raw: raw, acc: v.baseAddress! + types * stride + o * L)
                        NERFeatures.typeFeatures(ctx, i, offset: d, buf: buf, into: &sink)
                    }
                }
                types += 1
            }
        }
        vectors.withUnsafeBufferPointer { v in
            typeOf.withUnsafeBufferPointer { ty in
                emissions.withUnsafeMutableBufferPointer { em in
                    for i in 0..<n {
                        let e = em.baseAddress! + i * L
                        for (o, d) in offsets.enumerated() {
                            let j = i + d
                            let t = j >= 0 && j < n ? Int(ty[j]) : 0
                            let src = v.baseAddress! + t * stride + o * L
                            for l in 0..<L { e[l] &+= src[l] }
                        }
                        var sink = Accumulate(tagger: self, raw: raw, acc: e)
                        NERFeatures.tokenFeatures(ctx, i, into: &sink)
                    }
                }
            }
        }
    }

    /// Adds the document-history features of sentence `s` to its emissions.
    func addHistory(_ ctx: NERContext, _ s: Range<Int>, _ history: NERHistory, _ raw: UnsafeRawPointer, _ em: UnsafeMutableBufferPointer<Int32>) {
        for i in s {
            let (a, b) = NERTagger.historyHashes(ctx, i, history)
            var sink = Accumulate(tagger: self, raw: raw, acc: em.baseAddress! + i * NERTagger.L)
            sink.add(.lastLabel, a, 0)
            sink.add(.firstEntity, b, 0)
        }
    }

    @inline(__always) static func historyHashes(_ ctx: NERContext, _ i: Int, _ history: NERHistory) -> (UInt64, UInt64) {
        let t = ctx.doc.tokens[i]
        let (last, first) = t.kind == .word ? history.codes(t.key) : (0, 0)
        return NERFeatures.historyFeatures(last: last, firstEntity: first, caseClass: ctx.caseClass[i])
    }

    // MARK: Decoding

    struct ViterbiScratch {
        var delta: [Int64] = []
        var back: [UInt8] = []
        var beta: [Int64] = []
    }

    /// Best BIO-consistent labels of sentence `s` into `labels`.
    func viterbi(_ em: UnsafeMutableBufferPointer<Int32>, _ s: Range<Int>, _ sc: inout ViterbiScratch, _ labels: UnsafeMutableBufferPointer<UInt8>) {
        let L = NERTagger.L
        let m = s.count
        guard m > 0 else { return }
        if sc.delta.count < m * L {
            sc.delta = [Int64](repeating: 0, count: m * L * 2)
            sc.back = [UInt8](repeating: 0, count: m * L * 2)
        }
        forward(em, s, &sc.delta, &sc.back)
        sc.delta.withUnsafeBufferPointer { delta in
            var best = 0
            for y in 1..<L where delta[(m - 1) * L + y] > delta[(m - 1) * L + best] { best = y }
            var y = best
            for k in stride(from: m - 1, through: 0, by: -1) {
                labels[s.lowerBound + k] = UInt8(y)
                if k > 0 { y = Int(sc.back[k * L + y]) }
            }
        }
    }

    func forward(_ em: UnsafeMutableBufferPointer<Int32>, _ s: Range<Int>, _ delta: inout [Int64], _ back: inout [UInt8]) {
        let L = NERTagger.L
        let m = s.count
        transitions.withUnsafeBufferPointer { tr in
            delta.withUnsafeMutableBufferPointer { d in
                back.withUnsafeMutableBufferPointer { bp in
                    let e0 = s.lowerBound * L
                    for y in 0..<L {
                        d[y] = NERLabels.allowed(-1, y) ? Int64(tr[y]) + Int64(em[e0 + y]) : Int64.min / 4
                    }
                    for k in 1..<max(m, 1) {
                        let e = (s.lowerBound + k) * L
                        for y in 0..<L {
                            var best = Int64.min / 4
                            var arg = 0
                            for p in 0..<L where NERLabels.allowed(p, y) {
                                let v = d[(k - 1) * L + p] + Int64(tr[(p + 1) * L + y])
                                if v > best { best = v; arg = p }
                            }
                            d[k * L + y] = best + Int64(em[e + y])
                            bp[k * L + y] = UInt8(arg)
                        }
                    }
                }
            }
        }
    }

    /// For each token of sentence `s`: the best score with its chosen label minus the best with
    /// another label (max-marginals from a forward and a backward pass).
    func marginGaps(_ em: UnsafeMutableBufferPointer<Int32>, _ s: Range<Int>, _ sc: inout ViterbiScratch, _ labels: UnsafeMutableBufferPointer<UInt8>) -> [Int64] {
        let L = NERTagger.L
        let m = s.count
        if sc.beta.count < m * L { sc.beta = [Int64](repeating: 0, count: m * L * 2) }
        var gaps = [Int64](repeating: 0, count: m)
        transitions.withUnsafeBufferPointer { tr in
            sc.beta.withUnsafeMutableBufferPointer { b in
                for y in 0..<L { b[(m - 1) * L + y] = 0 }
                for k in stride(from: m - 2, through: 0, by: -1) {
                    let e = (s.lowerBound + k + 1) * L
                    for y in 0..<L {
                        var best = Int64.min / 4
                        for q in 0..<L where NERLabels.allowed(y, q) {
                            best = max(best, Int64(tr[(y + 1) * L + q]) + Int64(em[e + q]) + b[(k + 1) * L + q])
                        }
                        b[k * L + y] = best
                    }
                }
                for k in 0..<m {
                    let chosen = Int(labels[s.lowerBound + k])
                    var other = Int64.min / 4
                    for y in 0..<L where y != chosen { other = max(other, sc.delta[k * L + y] + b[k * L + y]) }
                    gaps[k] = sc.delta[k * L + chosen] + b[k * L + chosen] - other
                }
            }
        }
        return gaps
    }

    // MARK: Evidence

    struct Collect: NERFeatureSink {
        var items: [(NERTemplate, UInt64, Int, Int)] = []  // template, hash, detail, token
        var token = 0
        mutating func add(_ template: NERTemplate, _ hash: UInt64, _ detail: Int) { items.append((template, hash, detail, token)) }
    }

    /// The features of token `i` with the largest weights for `label`, described.
    func evidence(_ ctx: NERContext, _ i: Int, label: Int, history: NERHistory, _ raw: UnsafeRawPointer) -> String {
        var c = Collect()
        ctx.doc.text.bytes.withUnsafeBufferPointer { buf in
            for d in NERFeatures.offsets {
                c.token = i + d
                NERFeatures.typeFeatures(ctx, i + d, offset: d, buf: buf, into: &c)
            }
        }
        c.token = i
        NERFeatures.tokenFeatures(ctx, i, into: &c)
        let (a, b) = NERTagger.historyHashes(ctx, i, history)
        c.add(.lastLabel, a, 0)
        c.add(.firstEntity, b, 0)
        var scored: [(Int32, Int)] = []
        for (k, item) in c.items.enumerated() where item.0 != .bias {
            let w = weight(raw, item.1, label)
            if w > 0 { scored.append((w, k)) }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        let parts = scored.prefix(2).map { _, k -> String in
            let (t, h, detail, tok) = c.items[k]
            // The label this feature favours most.
            var best = 0
            for l in 1..<NERTagger.L where weight(raw, h, l) > weight(raw, h, best) { best = l }
            let favours = best == 0 ? "O" : NERLabelType(code: NERLabels.type(UInt8(best)))!.rawValue
            return "\(NERTagger.describe(ctx, t, detail, tok)) → \(favours)"
        }
        return "tagger: " + parts.joined(separator: ", ")
    }

    static let gazetteerKinds = [
        "first name", "surname", "country", "US state", "county", "city", "region", "title", "plural title", "role",
        "nationality", "organisation", "common word", "state code",
    ]

    static func describe(_ ctx: NERContext, _ t: NERTemplate, _ detail: Int, _ tok: Int) -> String {
        let doc = ctx.doc
        let inside = tok >= 0 && tok < ctx.count
        let word = inside ? doc.lowercased(tok) : "(edge)"
        func kind(_ b: Int) -> String { b < gazetteerKinds.count ? gazetteerKinds[b] : "kind \(b)" }
        switch t {
        case .word, .wordCase, .wordL1, .wordR1, .wordL2, .wordR2: return "\(t.name) '\(word)'"
        case .shape, .shapeL1, .shapeR1, .caseLength, .caseL2, .caseR2:
            return "\(t.name) \(inside ? shapeString(doc.string(tok)) : "(edge)")"
        case .prefix1, .prefix2, .prefix3, .prefix4: return "prefix '\(String(word.prefix(detail)))-'"
        case .suffix1, .suffix2, .suffix3, .suffix4: return "suffix '-\(String(word.suffix(detail)))'"
        case .gazetteer, .gazetteerL1, .gazetteerR1: return "\(t.name) \(kind(detail))"
        case .functionWord: return "function word '\(word)'"
        case .bigramL: return "bigram '\(tok > 0 ? doc.lowercased(tok - 1) : "(edge)") \(word)'"
        case .bigramR: return "bigram '\(word) \(tok + 1 < ctx.count ? doc.lowercased(tok + 1) : "(edge)")'"
        case .shapeBigramL, .shapeBigramR: return "\(t.name) around '\(word)'"
        case .position:
            return ["", "sentence start", "line start", "after an opening quote", "abbreviation", "hyphenated", "before 's"][min(detail, 6)]
        case .line: return detail == 0 ? "line case pattern" : "line length"
        case .documentCase: return detail & 1 != 0 ? "capitalised mid-sentence elsewhere" : "case elsewhere in document"
        case .phrase: return detail >= 32 ? "inside gazetteer \(kind(detail - 32))" : "starts gazetteer \(kind(detail))"
        case .lastLabel, .firstEntity, .bias: return t.name
        }
    }

    /// Readable collapsed shape of a word ("Xx", "X.X.", "d-d").
    static func shapeString(_ s: String) -> String {
        var out = ""
        var last: Character = " "
        for ch in s {
            let c: Character = ch.isUppercase ? "X" : ch.isLowercase ? "x" : ch.isNumber ? "d" : ch
            if c != last { out.append(c); last = c }
        }
        return out
    }
}
