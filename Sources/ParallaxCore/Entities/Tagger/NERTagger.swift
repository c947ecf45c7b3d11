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
    public static let bundled: NERTagger? = loadBundled()

    /// Reads the shipped model (what `bundled` does once); public for load-time measurements.
    public static func loadBundled() -> NERTagger? {
        guard let dir = Bundle.module.url(forResource: "ner", withExtension: nil),
            let d = FileManager.default.contents(atPath: dir.appendingPathComponent("model.bin").path)
        else { return nil }
        return try? NERTagger(data: [UInt8](d))
    }

    /// Weight of one Int16 unit.
    public let scale: Float
    /// Number of features in the model.
    public let featureCount: Int
    public let templateNames: [String]
    /// `(labels + 1) × labels`, row 0 from the sentence start; ruled-out transitions `forbidden`.
    let transitions: [Int64]
    let table: [UInt64]
    let mask: Int
    /// Weights of the history features by `(code × 8 + case class) × labels + label`.
    let historyLast: [Int32]
    let historyFirst: [Int32]
    /// Frequent word types: open-addressing slots of type keys with their index in `typeVectors`.
    let typeSlots: [UInt64]
    let typeSlotIndex: [Int32]
    let typeMask: Int
    let typeVectors: [Int32]
    /// Number of word types with precomputed sums in the model.
    public var typeCount: Int { typeVectors.count / NERModelFile.typeStride }

    public init(data: [UInt8]) throws {
        let c = try NERModelFile.read(data)
        scale = c.scale
        templateNames = c.templateNames
        featureCount = c.hashes.count
        let L = NERTagger.L
        transitions = (0..<((L + 1) * L)).map { k in
            NERLabels.allowed(k / L - 1, k % L) ? Int64(c.transitions[k]) : NERTagger.forbidden
        }
        var cap = 16
        while cap < c.hashes.count * 3 / 2 + 1 { cap <<= 1 }
        mask = cap - 1
        var table = [UInt64](repeating: 0, count: cap * NERTagger.slotWords)
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
        // The history features take few values: their weights in dense tables.
        var last = [Int32](repeating: 0, count: 6 * 8 * L)
        var first = [Int32](repeating: 0, count: 6 * 8 * L)
        table.withUnsafeBufferPointer { tb in
            let raw = UnsafeRawPointer(tb.baseAddress!)
            for code in 0..<6 {
                for cc in 0..<8 {
                    let (a, b) = NERFeatures.historyFeatures(last: UInt8(code), firstEntity: UInt8(code), caseClass: UInt8(cc))
                    for l in 0..<L {
                        last[(code * 8 + cc) * L + l] = NERTagger.lookup(raw, m, a, l)
                        first[(code * 8 + cc) * L + l] = NERTagger.lookup(raw, m, b, l)
                    }
                }
            }
        }
        historyLast = last
        historyFirst = first
        var tcap = 16
        while tcap < c.typeKeys.count * 2 { tcap <<= 1 }
        var slots = [UInt64](repeating: 0, count: tcap)
        var index = [Int32](repeating: -1, count: tcap)
        for (k, key) in c.typeKeys.enumerated() {
            var s = Int(truncatingIfNeeded: key ^ (key >> 29)) & (tcap - 1)
            while index[s] >= 0 && slots[s] != key { s = (s + 1) & (tcap - 1) }
            slots[s] = key
            index[s] = Int32(k)
        }
        typeSlots = slots
        typeSlotIndex = index
        typeMask = tcap - 1
        typeVectors = c.typeVectors
    }

    /// Index of a frequent word type in `typeVectors`, or -1.
    @inline(__always) func knownType(_ key: UInt64) -> Int {
        var s = Int(truncatingIfNeeded: key ^ (key >> 29)) & typeMask
        while typeSlotIndex[s] >= 0 {
            if typeSlots[s] == key { return Int(typeSlotIndex[s]) }
            s = (s + 1) & typeMask
        }
        return -1
    }

    /// Sums of the type features of token `i` at the five offsets into `out` (`5 × labels`).
    func typeVector(_ ctx: NERContext, _ i: Int, _ raw: UnsafeRawPointer, _ buf: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutablePointer<Int32>) {
        let (g, w) = NERFeatures.lexical(ctx.tokens[i].key)
        for (o, d) in NERFeatures.offsets.enumerated() {
            var sink = Accumulate(tagger: self, raw: raw, acc: out + o * NERTagger.L)
            NERFeatures.typeFeatures(ctx, i, offset: d, buf: buf, gazetteer: g, wordClass: w, into: &sink)
        }
    }

    /// `typeVector` of each token, for the model writer.
    func typeVectors(_ ctx: NERContext, _ tokens: [Int]) -> [Int32] {
        let S = NERModelFile.typeStride
        var out = [Int32](repeating: 0, count: tokens.count * S)
        table.withUnsafeBufferPointer { tb in
            ctx.doc.text.bytes.withUnsafeBufferPointer { buf in
                out.withUnsafeMutableBufferPointer { o in
                    for (k, i) in tokens.enumerated() { typeVector(ctx, i, UnsafeRawPointer(tb.baseAddress!), buf, o.baseAddress! + k * S) }
                }
            }
        }
        return out
    }

    static func lookup(_ raw: UnsafeRawPointer, _ mask: Int, _ h: UInt64, _ l: Int) -> Int32 {
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let k = raw.load(fromByteOffset: s * 32, as: UInt64.self)
            if k == h { return Int32(raw.load(fromByteOffset: s * 32 + 8 + 2 * l, as: Int16.self)) }
            if k == 0 { return 0 }
            s = (s + 1) & mask
        }
    }

    /// Entity spans of `doc`, in text order.
    /// `hints` are what the rules say of each token (`RecognizeEntities.ruleHints`, or what the
    /// recognition stage passes); without them the tagger reads "the rules found nothing".
    /// `cache` keeps the feature sums of word types the model has not precomputed, and evidence
    /// strings, from one document to the next (a corpus repeats its names); without it each call
    /// keeps its own.
    public func tag(_ doc: Doc, hints: [UInt8]? = nil, cache: TypeCache? = nil) -> [NERSpan] {
        let n = doc.tokens.count
        guard n > 0 else { return [] }
        let ctx = NERContext(doc, hints: hints)
        // Margins cost a backward pass: only runs where the caller will weigh the tagger against
        // the rules (`TaggerMerge.wantsMargin` on a token) get them; elsewhere they are infinite.
        let weighed = hints?.count == n ? hints : nil
        // Type sums and evidence strings, kept for the run, or for this call alone.
        let cache = cache ?? TypeCache()
        let toks = ctx.tokens
        let L = NERTagger.L
        var labels = [UInt8](repeating: 0, count: n)
        // Rows of pinned tokens are never written nor read.
        var emissions = [Int32](unsafeUninitializedCapacity: n * L) { _, count in count = n * L }
        var keyIndex = [Int32](repeating: 0, count: n)
        var spans: [NERSpan] = []
        table.withUnsafeBufferPointer { tb in
            let raw = UnsafeRawPointer(tb.baseAddress!)
            let pinned = ctx.pinned
            let keys = computeEmissions(ctx, raw, &emissions, &keyIndex, cache: cache)
            // Document history by key index: last label code, first entity code.
            let history = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * max(keys, 1))
            history.initialize(repeating: 0, count: 2 * max(keys, 1))
            defer { history.deallocate() }
            let last = history, first = history + keys
            let scratch = ViterbiScratch(capacity: ctx.units.reduce(0) { max($0, $1.count) })
            emissions.withUnsafeMutableBufferPointer { em in
                labels.withUnsafeMutableBufferPointer { lab in
                    for s in ctx.units {
                        for i in s where !pinned[i] {
                            let isWord = toks[i].kind == .word
                            let k = Int(keyIndex[i])
                            let cc = Int(ctx.caseClass[i])
                            let a = ((isWord ? Int(last[k]) : 0) * 8 + cc) * L
                            let b = ((isWord ? Int(first[k]) : 0) * 8 + cc) * L
                            for l in 0..<L { em[i * L + l] &+= historyLast[a + l] &+ historyFirst[b + l] }
                        }
                        // Pinned tokens are O: the runs between them are decoded on their own, from
                        // the sentence start or an O and into the sentence end or an O.
                        var a = s.lowerBound
                        while a < s.upperBound {
                            if pinned[a] { a += 1; continue }
                            var b = a + 1
                            while b < s.upperBound && !pinned[b] { b += 1 }
                            let run = a..<b
                            let ends = Ends(afterStart: a == s.lowerBound, beforeO: b < s.upperBound)
                            a = b
                            viterbi(em, run, ends, scratch, lab)
                            let found = NERLabels.spans(UnsafeBufferPointer(rebasing: lab[run]), offset: run.lowerBound)
                            if found.isEmpty { continue }
                            let margins = weighed.map { w in found.contains { disagrees($0.0, $0.1, w) } } ?? true
                            let gaps = margins ? marginGaps(em, run, ends, scratch, lab) : []
                            for (r, t) in found {
                                var g = Int64.max
                                if margins { for i in r { g = min(g, gaps[i - run.lowerBound]) } }
                                let i = r.lowerBound
                                let codes = toks[i].kind == .word ? (last[Int(keyIndex[i])], first[Int(keyIndex[i])]) : (0, 0)
                                let key = TokenKey.combine(TokenKey.combine(toks[i].key, UInt64(t)), UInt64(codes.0) << 8 | UInt64(codes.1))
                                let why: String
                                if let known = cache.evidence[key] {
                                    why = known
                                } else {
                                    why = evidence(ctx, i, label: Int(NERLabels.begin(t)), history: codes, raw)
                                    cache.keep(evidence: why, for: key)
                                }
                                spans.append(
                                    NERSpan(tokens: r, type: NERLabelType(code: t)!, margin: margins ? Float(g) * scale : .infinity, evidence: why))
                            }
                        }
                        for i in s where toks[i].kind == .word {
                            let l = lab[i]
                            let k = Int(keyIndex[i])
                            let code: UInt8 = l == 0 ? 1 : NERLabels.type(l) + 1
                            last[k] = code
                            if l != 0 && first[k] == 0 { first[k] = code }
                        }
                    }
                }
            }
        }
        return spans
    }

    /// Whether the span `r` of type code `t` differs from a rule mention whose margin the caller
    /// weighs (other bounds, or another type), so the caller needs the margin.
    func disagrees(_ r: Range<Int>, _ t: UInt8, _ hints: [UInt8]) -> Bool {
        // Rule type codes (1 PERSON, 2 ORG, 3 GPE, 4 LOC, 5 NORP) each tagger type reads as.
        func same(_ h: UInt8) -> Bool {
            switch h & 7 {
            case 1: t == 1
            case 2: t == 2
            case 3, 4: t == 3
            case 5: t == 4
            default: false
            }
        }
        let inside: UInt8 = 8
        func weighed(_ i: Int) -> Bool { hints[i] & TaggerMerge.wantsMargin != 0 }
        for i in r where weighed(i) {
            if !same(hints[i]) || (i == r.lowerBound) != (hints[i] & inside == 0) { return true }
        }
        if r.upperBound < hints.count, weighed(r.upperBound), hints[r.upperBound] & inside != 0 { return true }
        return false
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

    /// Sums of the features that depend on one key only (a context signature, a window of rule
    /// hints): each key's sum is made once a call, in a small table that stays in cache.
    struct SumCache: ~Copyable {
        var ids: IDMap
        var sums = [Int32](repeating: 0, count: NERTagger.L * 16)

        init(capacity: Int) { ids = IDMap(capacity: capacity) }

        /// The index of `key`'s sum in `sums`, and whether it is new (then `fill` it). Two steps
        /// rather than a closure: a closure capturing the tagging context copies it on every call.
        @inline(__always) mutating func index(_ key: UInt64) -> (Int32, Bool) {
            let (k, new) = ids.id(key)
            if new {
                let L = NERTagger.L
                if (k + 1) * L > sums.count { sums += [Int32](repeating: 0, count: sums.count) }
            }
            return (Int32(k), new)
        }

        /// Adds features into the (new, zeroed) sum `k`.
        mutating func fill(_ k: Int32, _ body: (inout Accumulate) -> Void, tagger: NERTagger, raw: UnsafeRawPointer) {
            sums.withUnsafeMutableBufferPointer { s in
                var sink = Accumulate(tagger: tagger, raw: raw, acc: s.baseAddress! + Int(k) * NERTagger.L)
                body(&sink)
            }
        }
    }

    /// Feature sums of word types (`NERContext.typeKey`) the model has not precomputed, and the
    /// evidence strings of words with a label, kept across the documents of one analysis; holds
    /// at most `limit` types (about 180 bytes each) and as many strings. Not for sharing between
    /// threads.
    public final class TypeCache {
        var ids = IDMap(capacity: 1024)
        var vectors: [Int32] = []
        private(set) var evidence: [UInt64: String] = [:]
        let limit: Int

        func keep(evidence why: String, for key: UInt64) {
            if evidence.count < limit { evidence[key] = why }
        }

        public init(limit: Int = 32768) { self.limit = limit }

        /// Copies the sums of type `key` into `out`; false when they are not kept.
        func copy(_ key: UInt64, into out: UnsafeMutablePointer<Int32>) -> Bool {
            guard let k = ids.existing(key) else { return false }
            let S = NERModelFile.typeStride
            vectors.withUnsafeBufferPointer { out.update(from: $0.baseAddress! + k * S, count: S) }
            return true
        }

        func store(_ key: UInt64, from sums: UnsafeMutablePointer<Int32>) {
            guard ids.count < limit else { return }
            let (k, new) = ids.id(key)
            guard new else { return }
            let S = NERModelFile.typeStride
            assert(vectors.count == k * S)
            vectors.append(contentsOf: UnsafeBufferPointer(start: sums, count: S))
        }
    }

    /// A small open-addressing map from 64-bit keys to dense ids, for one tagging call.
    struct IDMap: ~Copyable {
        /// Slot `s` is `slots[2s]` (the key) and `slots[2s + 1]` (its id, `empty` when free): one
        /// cache line holds both, so a lookup costs one miss, not two.
        private var slots: UnsafeMutablePointer<UInt64>
        private var capacity: Int
        private(set) var count = 0
        private static let empty = UInt64.max

        init(capacity wanted: Int) {
            var cap = 64
            while cap < wanted * 2 { cap <<= 1 }
            capacity = cap
            slots = IDMap.allocate(cap)
        }

        deinit { slots.deallocate() }

        private static func allocate(_ cap: Int) -> UnsafeMutablePointer<UInt64> {
            let p = UnsafeMutablePointer<UInt64>.allocate(capacity: cap * 2)
            for s in 0..<cap {
                p[2 * s] = 0
                p[2 * s + 1] = empty
            }
            return p
        }

        @inline(__always) private static func home(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: key ^ (key >> 29)) & mask }

        /// The id of `key` and whether it was new.
        @inline(__always) mutating func id(_ key: UInt64) -> (Int, Bool) {
            // Never more than half full: a full table would probe forever.
            if (count + 1) * 2 > capacity { grow() }
            let mask = capacity - 1
            var s = IDMap.home(key, mask)
            while slots[2 * s + 1] != IDMap.empty {
                if slots[2 * s] == key { return (Int(slots[2 * s + 1]), false) }
                s = (s + 1) & mask
            }
            slots[2 * s] = key
            slots[2 * s + 1] = UInt64(count)
            count += 1
            return (count - 1, true)
        }

        /// The id of `key`, nil when it has none.
        @inline(__always) func existing(_ key: UInt64) -> Int? {
            let mask = capacity - 1
            var s = IDMap.home(key, mask)
            while slots[2 * s + 1] != IDMap.empty {
                if slots[2 * s] == key { return Int(slots[2 * s + 1]) }
                s = (s + 1) & mask
            }
            return nil
        }

        mutating func grow() {
            let old = slots, oldCapacity = capacity
            capacity *= 2
            slots = IDMap.allocate(capacity)
            let mask = capacity - 1
            for o in 0..<oldCapacity where old[2 * o + 1] != IDMap.empty {
                let k = old[2 * o]
                var s = IDMap.home(k, mask)
                while slots[2 * s + 1] != IDMap.empty { s = (s + 1) & mask }
                slots[2 * s] = k
                slots[2 * s + 1] = old[2 * o + 1]
            }
            old.deallocate()
        }
    }

    /// Emission scores without the document history: the type features of each token and its
    /// neighbours (summed once per word type and offset, per call), the context features (summed
    /// once per context signature) and the bigrams. Fills `keyIndex` with a dense index of each
    /// token's key and returns the number of keys.
    func computeEmissions(
        _ ctx: NERContext, _ raw: UnsafeRawPointer, _ emissions: inout [Int32], _ keyIndex: inout [Int32], cache: TypeCache
    ) -> Int {
        let pinned = ctx.pinned
        let n = ctx.count
        let L = NERTagger.L
        let offsets = NERFeatures.offsets
        let O = offsets.count
        let stride = O * L
        var typeIDs = IDMap(capacity: n / 4 + 64)
        var keyIDs = IDMap(capacity: n / 4 + 64)
        // The context features depend on the context signature, the rule features on the rules'
        // window and the case class: each summed once per value.
        var contexts = SumCache(capacity: min(n, 1024))
        var rules = SumCache(capacity: min(n, 256))
        // The shape bigrams depend on three shapes, which take few values.
        var pairs = SumCache(capacity: min(n, 1024))
        // Per token: its type, context, rule and shape-bigram sums (written once each, read once).
        let perToken = UnsafeMutablePointer<Int32>.allocate(capacity: 4 * max(n, 1))
        defer { perToken.deallocate() }
        let typeOf = perToken, sigOf = perToken + n, ruleOf = perToken + 2 * n, pairOf = perToken + 3 * n
        var typeKey: [Int32] = []
        // Type 0 is padding (outside the document).
        var vectors = [Int32](repeating: 0, count: stride * 64)
        _ = typeIDs.id(NERContext.padKey)
        typeKey.append(0)
        let toks = ctx.tokens
        ctx.doc.text.bytes.withUnsafeBufferPointer { buf in
            vectors.withUnsafeMutableBufferPointer { v in
                for (o, d) in offsets.enumerated() where d != 0 {
                    var sink = Accumulate(tagger: self, raw: raw, acc: v.baseAddress! + o * L)
                    NERFeatures.typeFeatures(ctx, -1, offset: d, buf: buf, gazetteer: 0, wordClass: nil, into: &sink)
                }
            }
            keyIndex.withUnsafeMutableBufferPointer { keyIndex in
            for i in 0..<n {
                let tk = ctx.typeKey(i)
                let (t, isNew) = typeIDs.id(tk)
                typeOf[i] = Int32(t)
                if isNew {
                    typeKey.append(Int32(keyIDs.id(toks[i].key).0))
                    if (t + 1) * stride > vectors.count { vectors += [Int32](repeating: 0, count: vectors.count) }
                    let known = knownType(tk)
                    vectors.withUnsafeMutableBufferPointer { v in
                        let out = v.baseAddress! + t * stride
                        if known >= 0 {
                            typeVectors.withUnsafeBufferPointer { tv in out.update(from: tv.baseAddress! + known * stride, count: stride) }
                        } else if !cache.copy(tk, into: out) {
                            typeVector(ctx, i, raw, buf, out)
                            cache.store(tk, from: out)
                        }
                    }
                }
                keyIndex[i] = typeKey[t]
                if pinned[i] { continue }
                let (sig, newSig) = contexts.index(NERFeatures.contextSignature(ctx, i))
                if newSig { contexts.fill(sig, { NERFeatures.contextFeatures(ctx, i, into: &$0) }, tagger: self, raw: raw) }
                sigOf[i] = sig
                let (rule, newRule) = rules.index(NERFeatures.ruleWindow(ctx, i) << 8 | UInt64(ctx.caseClass[i]))
                if newRule { rules.fill(rule, { NERFeatures.ruleFeatures(ctx, i, into: &$0) }, tagger: self, raw: raw) }
                ruleOf[i] = rule
                let shapes = NERFeatures.pair(NERFeatures.pair(i > 0 ? ctx.shape[i - 1] : NERContext.padShape, ctx.shape[i]),
                    i + 1 < n ? ctx.shape[i + 1] : NERContext.padShape)
                let (pair, newPair) = pairs.index(shapes)
                if newPair { pairs.fill(pair, { NERFeatures.pairFeatures(ctx, i, into: &$0) }, tagger: self, raw: raw) }
                pairOf[i] = pair
            }
            }
        }
        let (sigSums, ruleSums, pairSums) = (contexts.sums, rules.sums, pairs.sums)
        vectors.withUnsafeBufferPointer { v in
            sigSums.withUnsafeBufferPointer { sv in
                ruleSums.withUnsafeBufferPointer { rv in
                    pairSums.withUnsafeBufferPointer { pv in
                        emissions.withUnsafeMutableBufferPointer { em in
                            for i in 0..<n where !pinned[i] {
                                let e = em.baseAddress! + i * L
                                let sg = sv.baseAddress! + Int(sigOf[i]) * L
                                let r = rv.baseAddress! + Int(ruleOf[i]) * L
                                let p = pv.baseAddress! + Int(pairOf[i]) * L
                                for l in 0..<L { e[l] = sg[l] &+ r[l] &+ p[l] }
                                for (o, d) in offsets.enumerated() {
                                    let j = i + d
                                    let t = j >= 0 && j < n ? Int(typeOf[j]) : 0
                                    let src = v.baseAddress! + t * stride + o * L
                                    for l in 0..<L { e[l] &+= src[l] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return keyIDs.count
    }

    @inline(__always) static func historyHashes(_ ctx: NERContext, _ i: Int, _ history: NERHistory) -> (UInt64, UInt64) {
        let t = ctx.tokens[i]
        let (last, first) = t.kind == .word ? history.codes(t.key) : (0, 0)
        return NERFeatures.historyFeatures(last: last, firstEntity: first, caseClass: ctx.caseClass[i])
    }

    // MARK: Decoding

    /// Transition score that rules a transition out (`I-X` after anything but `B-X`/`I-X`).
    static let forbidden: Int64 = -(1 << 40)

    /// Work space of the decoder for units of up to `capacity` tokens.
    struct ViterbiScratch: ~Copyable {
        let delta: UnsafeMutablePointer<Int64>
        let back: UnsafeMutablePointer<UInt8>
        let beta: UnsafeMutablePointer<Int64>

        init(capacity: Int) {
            let c = max(capacity, 1) * NERTagger.L
            delta = .allocate(capacity: c)
            back = .allocate(capacity: c)
            beta = .allocate(capacity: c)
        }

        deinit {
            delta.deallocate()
            back.deallocate()
            beta.deallocate()
        }
    }

    /// What lies around a run of tokens decoded on its own: the sentence start or an O before
    /// it, the sentence end or an O after it.
    struct Ends {
        var afterStart: Bool
        var beforeO: Bool
        static let sentence = Ends(afterStart: true, beforeO: false)

        /// The row of `transitions` the first label is scored from.
        var startRow: Int { afterStart ? 0 : 1 }
    }

    /// Best BIO-consistent labels of the run `s` into `labels`.
    func viterbi(
        _ em: UnsafeMutableBufferPointer<Int32>, _ s: Range<Int>, _ ends: Ends, _ sc: borrowing ViterbiScratch,
        _ labels: UnsafeMutableBufferPointer<UInt8>
    ) {
        let L = NERTagger.L
        let m = s.count
        guard m > 0 else { return }
        let d = sc.delta, bp = sc.back
        transitions.withUnsafeBufferPointer { tr in
            let e0 = s.lowerBound * L
            let r0 = ends.startRow * L
            for y in 0..<L { d[y] = tr[r0 + y] + Int64(em[e0 + y]) }
            var k = 1
            while k < m {
                let e = (s.lowerBound + k) * L
                let prev = d + (k - 1) * L
                for y in 0..<L {
                    var best: Int64
                    var arg: Int
                    if y != 0 && y & 1 == 0 {
                        // I-X follows only B-X or I-X (the other transitions are `forbidden`).
                        best = prev[y - 1] + tr[y * L + y]
                        arg = y - 1
                        let v = prev[y] + tr[(y + 1) * L + y]
                        if v > best { best = v; arg = y }
                    } else {
                        best = prev[0] + tr[L + y]
                        arg = 0
                        for p in 1..<L {
                            let v = prev[p] + tr[(p + 1) * L + y]
                            if v > best { best = v; arg = p }
                        }
                    }
                    d[k * L + y] = best + Int64(em[e + y])
                    bp[k * L + y] = UInt8(arg)
                }
                k += 1
            }
            // The label after the run (an O) scores the last one too.
            func final(_ l: Int) -> Int64 { d[(m - 1) * L + l] + (ends.beforeO ? tr[(l + 1) * L] : 0) }
            var y = 0
            for l in 1..<L where final(l) > final(y) { y = l }
            k = m - 1
            while k >= 0 {
                labels[s.lowerBound + k] = UInt8(y)
                if k > 0 { y = Int(bp[k * L + y]) }
                k -= 1
            }
        }
    }

    /// For each token of unit `s`: the best score with its chosen label minus the best with
    /// another label (max-marginals from the forward pass of `viterbi` and a backward pass).
    func marginGaps(
        _ em: UnsafeMutableBufferPointer<Int32>, _ s: Range<Int>, _ ends: Ends, _ sc: borrowing ViterbiScratch,
        _ labels: UnsafeMutableBufferPointer<UInt8>
    ) -> [Int64] {
        let L = NERTagger.L
        let m = s.count
        let d = sc.delta, b = sc.beta
        var gaps = [Int64](repeating: 0, count: m)
        transitions.withUnsafeBufferPointer { tr in
            for y in 0..<L { b[(m - 1) * L + y] = ends.beforeO ? tr[(y + 1) * L] : 0 }
            var k = m - 2
            while k >= 0 {
                let e = (s.lowerBound + k + 1) * L
                // O and B-X may follow any label; I-X only B-X and I-X.
                for y in 0..<L {
                    var best = tr[(y + 1) * L] + Int64(em[e]) + b[(k + 1) * L]
                    var q = 1
                    while q < L {
                        best = max(best, tr[(y + 1) * L + q] + Int64(em[e + q]) + b[(k + 1) * L + q])
                        q += 2
                    }
                    if y != 0 {
                        let i = y & 1 == 1 ? y + 1 : y  // the I- label of y's type
                        best = max(best, tr[(y + 1) * L + i] + Int64(em[e + i]) + b[(k + 1) * L + i])
                    }
                    b[k * L + y] = best
                }
                k -= 1
            }
            for k in 0..<m {
                let chosen = Int(labels[s.lowerBound + k])
                var other = Int64.min / 4
                for y in 0..<L where y != chosen { other = max(other, d[k * L + y] + b[k * L + y]) }
                gaps[k] = d[k * L + chosen] + b[k * L + chosen] - other
            }
        }
        return gaps
    }

    // MARK: Evidence

    /// Keeps the two features with the largest positive weight for one label.
    struct TopTwo: NERFeatureSink {
        let tagger: NERTagger
        let raw: UnsafeRawPointer
        let label: Int
        var token = 0
        var best: [(weight: Int32, template: NERTemplate, hash: UInt64, detail: Int, token: Int)] = []

        mutating func add(_ template: NERTemplate, _ hash: UInt64, _ detail: Int) {
            guard template != .bias else { return }
            let w = tagger.weight(raw, hash, label)
            guard w > 0 else { return }
            if best.count < 2 {
                best.append((w, template, hash, detail, token))
                if best.count == 2 && best[1].weight > best[0].weight { best.swapAt(0, 1) }
            } else if w > best[1].weight {
                best[1] = (w, template, hash, detail, token)
                if best[1].weight > best[0].weight { best.swapAt(0, 1) }
            }
        }
    }

    /// The two features of token `i` with the largest weights for `label`, described. Looks at
    /// the word's own features, its context and history (not the neighbours' word features:
    /// they cost lookups for every span and seldom read well on their own).
    func evidence(_ ctx: NERContext, _ i: Int, label: Int, history: (UInt8, UInt8), _ raw: UnsafeRawPointer) -> String {
        var c = TopTwo(tagger: self, raw: raw, label: label)
        c.token = i
        ctx.doc.text.bytes.withUnsafeBufferPointer { buf in
            let (g, w) = NERFeatures.lexical(ctx.tokens[i].key)
            NERFeatures.typeFeatures(ctx, i, offset: 0, buf: buf, gazetteer: g, wordClass: w, into: &c)
        }
        NERFeatures.tokenFeatures(ctx, i, into: &c)
        let (a, b) = NERFeatures.historyFeatures(last: history.0, firstEntity: history.1, caseClass: ctx.caseClass[i])
        c.add(.lastLabel, a, Int(history.0))
        c.add(.firstEntity, b, Int(history.1))
        let type = NERLabels.names[label].dropFirst(2)
        var out = "tagger:"
        for (k, f) in c.best.enumerated() {
            out += k == 0 ? " " : ", "
            out += NERTagger.describe(ctx, f.template, f.detail, f.token)
            out += " → "
            out += type
        }
        return out
    }

    static let gazetteerKinds = [
        "first name", "surname", "country", "US state", "county", "city", "region", "title", "plural title", "role",
        "nationality", "organisation", "common word", "state code",
    ]

    static func describe(_ ctx: NERContext, _ t: NERTemplate, _ detail: Int, _ tok: Int) -> String {
        let doc = ctx.doc
        let inside = tok >= 0 && tok < ctx.count
        let word = inside ? doc.string(tok).lowercased() : "(edge)"
        func kind(_ b: Int) -> String { b < gazetteerKinds.count ? gazetteerKinds[b] : "kind \(b)" }
        switch t {
        case .word, .wordCase, .wordL1, .wordR1, .wordL2, .wordR2: return "\(t.name) '\(word)'"
        case .shape, .shapeL1, .shapeR1, .caseLength, .caseL2, .caseR2:
            return "\(t.name) \(inside ? shapeString(doc.string(tok)) : "(edge)")"
        case .prefix1, .prefix2, .prefix3, .prefix4: return "prefix '\(String(word.prefix(detail)))-'"
        case .suffix1, .suffix2, .suffix3, .suffix4: return "suffix '-\(String(word.suffix(detail)))'"
        case .gazetteer, .gazetteerL1, .gazetteerR1: return "\(t.name) \(kind(detail))"
        case .functionWord: return "function word '\(word)'"
        case .shapeBigramL, .shapeBigramR: return "\(t.name) around '\(word)'"
        case .position:
            return ["", "sentence start", "line start", "after an opening quote", "abbreviation", "hyphenated", "before 's"][min(detail, 6)]
        case .line: return detail == 0 ? "line case pattern" : "line length"
        case .documentCase: return detail & 1 != 0 ? "capitalised mid-sentence elsewhere" : "case elsewhere in document"
        case .phrase: return detail >= 32 ? "inside gazetteer \(kind(detail - 32))" : "starts gazetteer \(kind(detail))"
        case .lastLabel, .firstEntity:
            return "\(t.name) " + ["none", "O", "PER", "ORG", "LOC", "MISC"][min(max(detail, 0), 5)]
        case .bias: return t.name
        case .rule, .ruleNeighbours:
            let types = ["", "PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "CARDINAL"]
            guard t == .rule, detail & 7 != 0 else { return t == .rule ? "rules found nothing" : "what the rules say around it" }
            let strength = detail >> 4
            return "rules: \(types[detail & 7])" + (strength >= 3 ? " (context cue)" : strength == 2 ? " (gazetteer)" : "")
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
