import Foundation

/// A document with gold BIO labels on its `Doc` tokens, for training the tagger.
public struct NERExample: Sendable {
    public let doc: Doc
    /// One label a token (see `NERLabels`).
    let labels: [UInt8]
    /// What the rules say of each token (`RecognizeEntities.ruleHints`), or nil.
    public var hints: [UInt8]?

    /// Gold entities as token ranges of `doc`. Overlapping or out-of-range entities are clipped.
    public init(doc: Doc, entities: [(tokens: Range<Int>, type: NERLabelType)]) {
        var labels = [UInt8](repeating: 0, count: doc.tokens.count)
        for e in entities {
            let r = e.tokens.clamped(to: 0..<labels.count)
            guard !r.isEmpty else { continue }
            let b = NERLabels.begin(e.type.code)
            labels[r.lowerBound] = b
            for i in r.dropFirst() { labels[i] = b + 1 }
        }
        self.init(doc: doc, labels: labels)
    }

    init(doc: Doc, labels: [UInt8]) {
        self.doc = doc
        // An inside label cannot start a decoding unit: read it as a beginning.
        var labels = labels
        for u in NERContext(doc).units where NERLabels.isInside(labels[u.lowerBound]) { labels[u.lowerBound] -= 1 }
        self.labels = labels
    }

    /// The gold entities, as token ranges.
    public var entities: [(tokens: Range<Int>, type: NERLabelType)] {
        labels.withUnsafeBufferPointer { NERLabels.spans($0).map { ($0.0, NERLabelType(code: $0.1)!) } }
    }

    /// A CoNLL document as the reader sees it: its rebuilt text as a plain-text article.
    public static func article(_ d: CoNLLDocument, path: String? = nil) -> Article {
        Article(
            id: d.id, path: path ?? d.id, format: .plainText, metadata: ArticleMetadata(), text: TextBuffer(d.text),
            bodyStart: 0, hiddenRanges: [], warnings: [], wordCount: d.tokens.count)
    }

    /// How gold mentions were carried over to `Doc` tokens.
    public struct Projection: Sendable, Equatable {
        /// Gold mentions whose `Doc` tokens do not cover exactly the mention's text.
        public var mismatchedMentions = 0
        /// CoNLL tokens the tokenizer split into several `Doc` tokens (or none).
        public var splitTokens = 0
        public var mentions = 0
        public var tokens = 0
        public init() {}
    }

    /// The example of a CoNLL document: its gold mentions projected on the tokens of `Doc(article)`
    /// (a mention covers the tokens inside its text range).
    public static func conll(_ d: CoNLLDocument, projection: inout Projection) -> NERExample {
        let doc = Doc(article(d))
        var labels = [UInt8](repeating: 0, count: doc.tokens.count)
        for r in d.tokens where doc.tokens(in: r).count != 1 { projection.splitTokens += 1 }
        projection.tokens += d.tokens.count
        for m in d.mentions {
            guard let type = NERLabelType(rawValue: m.type) else { continue }
            projection.mentions += 1
            let r = doc.tokens(in: m.range)
            if r.isEmpty || doc.range(ofTokens: r) != m.range { projection.mismatchedMentions += 1 }
            guard !r.isEmpty else { continue }
            let b = NERLabels.begin(type.code)
            labels[r.lowerBound] = b
            for i in r.dropFirst() { labels[i] = b + 1 }
        }
        return NERExample(doc: doc, labels: labels)
    }
}

/// Trains the tagger: an averaged structured perceptron (Collins 2002) over the features of
/// `NERFeatures`, with Viterbi decoding under BIO constraints, one pass over the shuffled
/// documents an epoch. The same seed gives the same model, byte for byte.
public final class NERTrainer {
    public struct Options: Sendable {
        public var seed: UInt64
        /// Features seen fewer times in the training data are left out.
        public var minCount: Int
        /// How many of the most frequent word types of the training data the model keeps
        /// precomputed sums for (a speed cache: predictions do not change).
        public var frequentTypes: Int
        public init(seed: UInt64 = 1, minCount: Int = 1, frequentTypes: Int = 10_000) {
            self.seed = seed
            self.minCount = minCount
            self.frequentTypes = frequentTypes
        }
    }

    struct Prepared {
        var ctx: NERContext
        var labels: [UInt8]
        /// Feature ids of token i: `ids[start[i]..<start[i + 1]]`.
        var start: [Int32]
        var ids: [Int32]
    }

    static let L = NERLabels.count
    let options: Options
    var docs: [Prepared] = []
    var hashes: [UInt64] = []
    var index: [UInt64: Int32] = [:]
    var w: [Double] = []
    var u: [Double] = []
    var tw = [Double](repeating: 0, count: (NERLabels.count + 1) * NERLabels.count)
    var tu = [Double](repeating: 0, count: (NERLabels.count + 1) * NERLabels.count)
    var c: Double = 1
    var rng: SplitMix64
    public private(set) var epochs = 0
    public var featureCount: Int { hashes.count }

    struct Hashes: NERFeatureSink {
        var out: [UInt64] = []
        mutating func add(_ template: NERTemplate, _ hash: UInt64, _ detail: Int) { out.append(hash) }
    }

    static func features(_ ctx: NERContext, _ i: Int, _ buf: UnsafeBufferPointer<UInt8>, _ sink: inout Hashes) {
        for d in NERFeatures.offsets {
            let j = i + d
            let (g, w) = j >= 0 && j < ctx.count ? NERFeatures.lexical(ctx.doc.tokens[j].key) : (0, nil)
            NERFeatures.typeFeatures(ctx, j, offset: d, buf: buf, gazetteer: g, wordClass: w, into: &sink)
        }
        NERFeatures.tokenFeatures(ctx, i, into: &sink)
    }

    public init(examples: [NERExample], options: Options = Options()) {
        self.options = options
        rng = SplitMix64(seed: options.seed)
        // Count the features, then number those kept in order of first appearance.
        var counts: [UInt64: Int32] = [:]
        let contexts = examples.map { NERContext($0.doc, hints: $0.hints) }
        if options.minCount > 1 {
            for (e, ctx) in zip(examples, contexts) {
                e.doc.text.bytes.withUnsafeBufferPointer { buf in
                    var sink = Hashes()
                    for i in 0..<ctx.count {
                        sink.out.removeAll(keepingCapacity: true)
                        NERTrainer.features(ctx, i, buf, &sink)
                        for h in sink.out { counts[h, default: 0] += 1 }
                    }
                }
            }
        }
        for h in NERFeatures.allHistoryFeatures where index[h] == nil {
            index[h] = Int32(hashes.count)
            hashes.append(h)
        }
        for (e, ctx) in zip(examples, contexts) {
            var start: [Int32] = [0]
            var ids: [Int32] = []
            e.doc.text.bytes.withUnsafeBufferPointer { buf in
                var sink = Hashes()
                for i in 0..<ctx.count {
                    sink.out.removeAll(keepingCapacity: true)
                    NERTrainer.features(ctx, i, buf, &sink)
                    for h in sink.out {
                        if let id = index[h] {
                            ids.append(id)
                        } else if options.minCount <= 1 || counts[h, default: 0] >= Int32(options.minCount) {
                            index[h] = Int32(hashes.count)
                            ids.append(Int32(hashes.count))
                            hashes.append(h)
                        }
                    }
                    start.append(Int32(ids.count))
                }
            }
            docs.append(Prepared(ctx: ctx, labels: e.labels, start: start, ids: ids))
        }
        w = [Double](repeating: 0, count: hashes.count * NERTrainer.L)
        u = w
        // The most frequent word types, each with one token where it occurs.
        var typeStats: [UInt64: (count: Int, doc: Int, token: Int)] = [:]
        for (di, d) in docs.enumerated() {
            for i in 0..<d.ctx.count {
                let k = d.ctx.typeKey(i)
                if let s = typeStats[k] { typeStats[k] = (s.count + 1, s.doc, s.token) } else { typeStats[k] = (1, di, i) }
            }
        }
        frequent = typeStats.map { ($0.key, $0.value.count, $0.value.doc, $0.value.token) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .prefix(options.frequentTypes).map { ($0.0, $0.2, $0.3) }
            .sorted { $0.0 < $1.0 }
    }

    /// Frequent word types (type key, document, token), by type key.
    var frequent: [(UInt64, Int, Int)] = []

    /// One pass over the documents in a seeded random order; returns the number of units decoded
    /// wrongly and of units.
    @discardableResult
    public func trainEpoch() -> (mistakes: Int, units: Int) {
        var order = Array(docs.indices)
        order.shuffle(using: &rng)
        var mistakes = 0, units = 0
        let L = NERTrainer.L
        var em: [Double] = []
        var pred: [UInt8] = []
        var hist: [Int32] = []
        for di in order {
            let d = docs[di]
            let n = d.ctx.count
            if em.count < n * L { em = [Double](repeating: 0, count: n * L) }
            if pred.count < n { pred = [UInt8](repeating: 0, count: n); hist = [Int32](repeating: 0, count: 2 * n) }
            var history = NERHistory()
            for s in d.ctx.units {
                // Scores.
                for i in s {
                    let (a, b) = NERTagger.historyHashes(d.ctx, i, history)
                    hist[2 * i] = index[a]!
                    hist[2 * i + 1] = index[b]!
                    for l in 0..<L { em[i * L + l] = 0 }
                    for k in Int(d.start[i])..<Int(d.start[i + 1]) {
                        let f = Int(d.ids[k]) * L
                        for l in 0..<L { em[i * L + l] += w[f + l] }
                    }
                    for f in [Int(hist[2 * i]) * L, Int(hist[2 * i + 1]) * L] {
                        for l in 0..<L { em[i * L + l] += w[f + l] }
                    }
                }
                NERTrainer.viterbi(em, tw, s, &pred)
                units += 1
                var wrong = false
                for i in s where pred[i] != d.labels[i] { wrong = true; break }
                if wrong {
                    mistakes += 1
                    for i in s {
                        let g = Int(d.labels[i]), p = Int(pred[i])
                        if g != p {
                            var feats = (Int(d.start[i])..<Int(d.start[i + 1])).map { Int(d.ids[$0]) }
                            feats += [Int(hist[2 * i]), Int(hist[2 * i + 1])]
                            for f in feats {
                                w[f * L + g] += 1; u[f * L + g] += c
                                w[f * L + p] -= 1; u[f * L + p] -= c
                            }
                        }
                        let pg = i == s.lowerBound ? -1 : Int(d.labels[i - 1])
                        let pp = i == s.lowerBound ? -1 : Int(pred[i - 1])
                        if pg != pp || g != p {
                            tw[(pg + 1) * L + g] += 1; tu[(pg + 1) * L + g] += c
                            tw[(pp + 1) * L + p] -= 1; tu[(pp + 1) * L + p] -= c
                        }
                    }
                }
                c += 1
                pred.withUnsafeBufferPointer { history.record(d.ctx.doc, s, labels: $0, offset: 0) }
            }
        }
        epochs += 1
        return (mistakes, units)
    }

    static func viterbi(_ em: [Double], _ tw: [Double], _ s: Range<Int>, _ out: inout [UInt8]) {
        let L = NERTrainer.L
        let m = s.count
        var d = [Double](repeating: 0, count: m * L)
        var bp = [UInt8](repeating: 0, count: m * L)
        let e0 = s.lowerBound * L
        for y in 0..<L { d[y] = NERLabels.allowed(-1, y) ? tw[y] + em[e0 + y] : -.infinity }
        if m > 1 {
            for k in 1..<m {
                let e = (s.lowerBound + k) * L
                for y in 0..<L {
                    var best = -Double.infinity
                    var arg = 0
                    for p in 0..<L where NERLabels.allowed(p, y) {
                        let v = d[(k - 1) * L + p] + tw[(p + 1) * L + y]
                        if v > best { best = v; arg = p }
                    }
                    d[k * L + y] = best + em[e + y]
                    bp[k * L + y] = UInt8(arg)
                }
            }
        }
        var y = 0
        for l in 1..<L where d[(m - 1) * L + l] > d[(m - 1) * L + y] { y = l }
        for k in stride(from: m - 1, through: 0, by: -1) {
            out[s.lowerBound + k] = UInt8(y)
            if k > 0 { y = Int(bp[k * L + y]) }
        }
    }

    /// The averaged weights as a model file: Int16 weights with one scale, features whose
    /// weights all round to zero (or whose largest is below `prune`, in weight units) left out.
    public func modelData(prune: Double = 0) -> [UInt8] {
        let L = NERTrainer.L
        let avg = (0..<w.count).map { w[$0] - u[$0] / c }
        let tavg = (0..<tw.count).map { tw[$0] - tu[$0] / c }
        var maxAbs = 1e-9
        for v in avg { maxAbs = max(maxAbs, abs(v)) }
        for v in tavg { maxAbs = max(maxAbs, abs(v)) }
        let scale = Float(maxAbs / 32767)
        let q = { (v: Double) -> Int16 in Int16(max(-32767, min(32767, (v / Double(scale)).rounded()))) }
        var kept: [(UInt64, Int)] = []
        for f in 0..<hashes.count where hashes[f] != 0 {
            var big = 0.0
            for l in 0..<L { big = max(big, abs(avg[f * L + l])) }
            if big >= prune && big / Double(scale) >= 0.5 { kept.append((hashes[f], f)) }
        }
        kept.sort { $0.0 < $1.0 }
        var weights: [Int16] = []
        weights.reserveCapacity(kept.count * L)
        for (_, f) in kept { for l in 0..<L { weights.append(q(avg[f * L + l])) } }
        let transitions = tavg.map(q)
        let hashes = kept.map(\.0)
        let plain = NERModelFile.write(scale: scale, transitions: transitions, hashes: hashes, weights: weights)
        guard !frequent.isEmpty, let tagger = try? NERTagger(data: plain) else { return plain }
        // Sums of the type features of the frequent types, computed by the tagger itself.
        var vectors = [Int32](repeating: 0, count: frequent.count * NERModelFile.typeStride)
        var byDoc: [Int: [(Int, Int)]] = [:]  // document → (position in `frequent`, token)
        for (k, f) in frequent.enumerated() { byDoc[f.1, default: []].append((k, f.2)) }
        for di in byDoc.keys.sorted() {
            let items = byDoc[di]!
            let v = tagger.typeVectors(docs[di].ctx, items.map(\.1))
            for (n, item) in items.enumerated() {
                let S = NERModelFile.typeStride
                for x in 0..<S { vectors[item.0 * S + x] = v[n * S + x] }
            }
        }
        return NERModelFile.write(
            scale: scale, transitions: transitions, hashes: hashes, weights: weights, typeKeys: frequent.map(\.0), typeVectors: vectors)
    }
}

/// Exact-span scores of the tagger on CoNLL documents.
public struct NEREvaluation: Sendable {
    /// By type: PER, ORG, LOC, MISC.
    public var perType: [String: PRF]
    /// Micro-averaged over PER, ORG and LOC (gold and system mentions of those types only).
    public var micro: PRF
    public var tokens: Int
    public var bytes: Int

    public static func run(_ tagger: NERTagger, documents: [CoNLLDocument]) -> NEREvaluation {
        var perType: [String: PRF] = Dictionary(uniqueKeysWithValues: NERLabelType.allCases.map { ($0.rawValue, PRF()) })
        var tokens = 0, bytes = 0
        let docs = documents.map { Doc(NERExample.article($0)) }
        let hints = RecognizeEntities.ruleHints(docs)
        for (k, d) in documents.enumerated() {
            let doc = docs[k]
            tokens += doc.tokens.count
            bytes += doc.text.bytes.count
            struct Key: Hashable { var range: Range<Int>; var type: String }
            let system = Set(tagger.tag(doc, hints: hints[k]).map { Key(range: doc.range(ofTokens: $0.tokens), type: $0.type.rawValue) })
            let gold = Set(d.mentions.map { Key(range: $0.range, type: $0.type) })
            for t in NERLabelType.allCases.map(\.rawValue) {
                let g = gold.filter { $0.type == t }, s = system.filter { $0.type == t }
                let tp = g.intersection(s).count
                perType[t]!.tp += tp
                perType[t]!.fp += s.count - tp
                perType[t]!.fn += g.count - tp
            }
        }
        let micro = ["PER", "ORG", "LOC"].reduce(PRF()) { $0 + perType[$1]! }
        return NEREvaluation(perType: perType, micro: micro, tokens: tokens, bytes: bytes)
    }

    /// The tagger's mentions in the form `EntityScorer` reads (PER as PERSON; MISC left out).
    public static func systemMentions(_ tagger: NERTagger, documents: [CoNLLDocument]) -> [SystemMention] {
        let docs = documents.map { Doc(NERExample.article($0)) }
        let hints = RecognizeEntities.ruleHints(docs)
        return documents.indices.flatMap { k -> [SystemMention] in
            let d = documents[k], doc = docs[k]
            return tagger.tag(doc, hints: hints[k]).compactMap { s in
                let type: String
                switch s.type {
                case .per: type = "PERSON"
                case .org: type = "ORG"
                case .loc: type = "LOC"
                case .misc: return nil
                }
                return SystemMention(article: d.id, range: doc.range(ofTokens: s.tokens), type: type)
            }
        }
    }
}
