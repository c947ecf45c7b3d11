import Foundation

/// Feature templates of the named-entity tagger (after Ratinov & Roth 2009): the word and its
/// neighbours, shapes and shape bigrams, affixes, gazetteer kinds, line and document context, and the labels the
/// tagger gave the same word earlier in the document.
///
/// A feature is a 64-bit hash of its template and value (`NERFeatures.hash`); the model stores
/// weights by hash. The raw values and names of the templates are part of the model format:
/// a model records the names it was trained with and is refused when they differ.
public enum NERTemplate: UInt8, CaseIterable, Sendable {
    case bias, word, wordCase, shape, caseLength
    case prefix1, prefix2, prefix3, prefix4, suffix1, suffix2, suffix3, suffix4
    case gazetteer, functionWord
    case wordL1, wordR1, wordL2, wordR2, shapeL1, shapeR1, gazetteerL1, gazetteerR1, caseL2, caseR2
    case shapeBigramL, shapeBigramR
    case position, line, documentCase, phrase
    case lastLabel, firstEntity
    case rule, ruleNeighbours

    /// The names written into a model (and used in evidence strings).
    public static let names: [String] = [
        "bias", "word", "word+case", "shape", "case+length",
        "prefix", "prefix", "prefix", "prefix", "suffix", "suffix", "suffix", "suffix",
        "gazetteer", "function word",
        "word-1", "word+1", "word-2", "word+2", "shape-1", "shape+1", "gazetteer-1", "gazetteer+1", "case-2", "case+2",
        "shapes-1", "shapes+1",
        "position", "line", "document case", "gazetteer phrase",
        "last label in document", "first entity in document",
        "rules", "rules around",
    ]

    public var name: String { NERTemplate.names[Int(rawValue)] }
}

/// Receives the features of a token: its template, hash and a small detail for explanations
/// (the affix length, the gazetteer kind bit, …).
protocol NERFeatureSink {
    mutating func add(_ template: NERTemplate, _ hash: UInt64, _ detail: Int)
}

/// Per-token facts of one `Doc` that the features read: shapes, case classes, line and document
/// context, gazetteer phrases. Built once per tagging call in one pass over the tokens.
struct NERContext {
    /// Case classes of a token.
    enum Case {
        static let punct: UInt8 = 0, number: UInt8 = 1, lower: UInt8 = 2, allCaps: UInt8 = 3, capitalised: UInt8 = 4
        static let other: UInt8 = 5, pad: UInt8 = 7
    }

    static let padKey: UInt64 = 0x5041_445F_5041_445F
    static let padShape: UInt64 = 0x7368_6170_655F_7064

    let doc: Doc
    let tokens: [Token]
    let count: Int
    /// What the rules say of each token (`TaggerMerge.hints`; all 0 when not given): the tagger is
    /// trained on top of the rules, so it learns where to trust them.
    let hints: [UInt8]
    var shape: [UInt64]
    var caseClass: [UInt8]
    /// Bits: 1 line is all caps, 2 line has no lower-case word, 4 first line, 8 second line; bits 4+ the line-length bucket.
    var lineInfo: [UInt8]
    /// Gazetteer kinds of multi-token phrases starting at the token / covering it after their first token.
    var phraseFirst: [UInt32]
    var phraseInside: [UInt32]
    /// Keys seen capitalised inside a sentence / starting lower case, anywhere in the document.
    var capitalisedMid: KeySet
    var lowerSomewhere: KeySet
    /// Tokens the decoder labels O without scoring them. A name is made of capitalised (all-caps,
    /// mixed-case) words, where tokens written together ("al-Aqsa", "U.S.-based") count as one
    /// word, and of what joins them: lower-case words between capitals ("Bank of the
    /// Philippines"), a name particle before one ("de Blasio"), a possessive after one
    /// ("Lord's", also written "Lord 's"), a number or mark beside one ("Channel 4"). Every
    /// other token is pinned: about seven in ten of news prose, among them every lower-case word
    /// with a capital on one side only ("Trump said"). The runs between pinned tokens are
    /// decoded on their own (`NERTagger.tag`). On CoNLL++ dev, 3 of the 7,354 tokens of gold
    /// PER/ORG/LOC names are pinned ("interior ministry", "Interstates 80 and 90").
    var pinned: [Bool]
    /// Decoding units, in order: the sentences, except that a sentence break right after an
    /// abbreviation ("U.S. Treasury") does not split one; a line break always does.
    var units: [Range<Int>]

    init(_ doc: Doc, hints: [UInt8]? = nil) {
        self.doc = doc
        let toks = doc.tokens
        tokens = toks
        let n = toks.count
        count = n
        // Bit 6 (`TaggerMerge.wantsMargin`) is for the decoder, not a feature.
        self.hints = hints?.count == n ? hints!.map { $0 & 0x3F } : [UInt8](repeating: 0, count: n)
        lineInfo = Array(repeating: 0, count: n)
        phraseFirst = Array(repeating: 0, count: n)
        phraseInside = Array(repeating: 0, count: n)
        capitalisedMid = KeySet(capacity: n / 4 + 8)
        lowerSomewhere = KeySet(capacity: n / 2 + 8)
        var units: [Range<Int>] = []
        var unitStart = 0
        for i in 1..<max(n, 1) {
            let f = toks[i].flags
            if f.contains(.lineStart) || (f.contains(.sentenceStart) && !toks[i - 1].flags.contains(.abbreviation)) {
                units.append(unitStart..<i)
                unitStart = i
            }
        }
        if unitStart < n { units.append(unitStart..<n) }
        self.units = units
        // Shapes, case classes and pinned tokens.
        var shapes = [UInt64](repeating: 0, count: n)
        var classes = [UInt8](repeating: 0, count: n)
        var pins = [Bool](repeating: false, count: n)
        toks.withUnsafeBufferPointer { tb in
            doc.text.bytes.withUnsafeBufferPointer { buf in
                NERContext.shapeClass.withUnsafeBufferPointer { table in
                    shapes.withUnsafeMutableBufferPointer { sh in
                        classes.withUnsafeMutableBufferPointer { cl in
                            pins.withUnsafeMutableBufferPointer { pin in
                                NERContext.readTokens(tb, buf, table, shapes: sh, classes: cl, capital: pin)
                                NERContext.pin(tb, classes: cl, capital: pin)
                            }
                        }
                    }
                }
            }
        }
        shape = shapes
        caseClass = classes
        pinned = pins
        // Lines: all caps (headlines, datelines), no lower-case word (tables), their length.
        var lineIndex = 0
        var s = 0
        while s < n {
            var e = s + 1
            while e < n && !toks[e].flags.contains(.lineStart) { e += 1 }
            var caps = 0, lowerWords = 0, mixed = 0
            for i in s..<e {
                switch caseClass[i] {
                case Case.allCaps: caps += 1
                case Case.lower: lowerWords += 1
                case Case.capitalised: if toks[i].length > 1 { mixed += 1 }
                default: break
                }
            }
            var info: UInt8 = 0
            if caps > 0 && lowerWords == 0 && mixed == 0 { info |= 1 }
            if lowerWords == 0 { info |= 2 }
            if lineIndex == 0 { info |= 4 } else if lineIndex == 1 { info |= 8 }
            let len = e - s
            let bucket: UInt8 = len <= 3 ? UInt8(len) : len <= 6 ? 4 : len <= 12 ? 5 : 6
            info |= bucket << 4
            for i in s..<e { lineInfo[i] = info }
            lineIndex += 1
            s = e
        }
        // Document case evidence.
        for i in 0..<n where toks[i].kind == .word {
            let f = toks[i].flags
            if caseClass[i] == Case.capitalised && !f.contains(.sentenceStart) && !f.contains(.lineStart) && !f.contains(.quoteStart)
                && lineInfo[i] & 1 == 0
            {
                capitalisedMid.insert(toks[i].key)
            } else if caseClass[i] == Case.lower {
                lowerSomewhere.insert(toks[i].key)
            }
        }
        // Gazetteer phrases of two or more tokens, starting at a capitalised word.
        let gaz = Gazetteer.shared
        let maxLen = min(gaz.maxPhraseTokens, NERFeatures.maxPhraseTokens)
        if maxLen >= 2 {
            for i in 0..<n where caseClass[i] == Case.capitalised || caseClass[i] == Case.allCaps {
                var k = toks[i].key
                var len = 1
                while len < maxLen && i + len < n {
                    let j = i + len
                    if toks[j].flags.contains(.lineStart) { break }
                    k = TokenKey.combine(k, toks[j].key)
                    len += 1
                    if let e = gaz.entry(k) {
                        let kind = e.kind.rawValue & NERFeatures.gazetteerMask
                        if kind != 0 {
                            phraseFirst[i] |= kind
                            for m in (i + 1)..<(i + len) { phraseInside[m] |= kind }
                        }
                    }
                }
            }
        }
    }

    /// The shape and case class of each token, and whether it, or a token written together
    /// with it, has a capital ("al-Aqsa", "eBay").
    static func readTokens(
        _ tb: UnsafeBufferPointer<Token>, _ buf: UnsafeBufferPointer<UInt8>, _ table: UnsafeBufferPointer<UInt8>,
        shapes: UnsafeMutableBufferPointer<UInt64>, classes: UnsafeMutableBufferPointer<UInt8>, capital: UnsafeMutableBufferPointer<Bool>
    ) {
        let n = tb.count
        for i in 0..<n {
            let t = tb[i]
            let (h, upper) = shape(buf, t.byteRange, table.baseAddress!)
            shapes[i] = h
            let c: UInt8
            switch t.kind {
            case .punct: c = Case.punct
            case .number: c = Case.number
            case .word:
                if t.flags.contains(.allCaps) { c = Case.allCaps }
                else if t.flags.contains(.capitalised) { c = Case.capitalised }
                else if t.flags.contains(.lowercase) { c = Case.lower }
                else { c = Case.other }
            }
            classes[i] = c
            capital[i] = (c >= Case.allCaps && c <= Case.other) || upper || (i > 0 && capital[i - 1] && t.flags.contains(.attached))
        }
        var i = n - 2
        while i >= 0 {
            if capital[i + 1] && tb[i + 1].flags.contains(.attached) { capital[i] = true }
            i -= 1
        }
    }

    /// Turns "has a capital" into "pinned" (see `pinned`), in place.
    static func pin(_ tb: UnsafeBufferPointer<Token>, classes: UnsafeMutableBufferPointer<UInt8>, capital pin: UnsafeMutableBufferPointer<Bool>) {
        let n = tb.count
        var l2 = false, l1 = false  // capitals two and one tokens back
        for i in 0..<n {
            let capital = pin[i]
            let r1 = i + 1 < n && pin[i + 1], r2 = i + 2 < n && pin[i + 2]
            let free: Bool
            if capital {
                free = true
            } else if classes[i] != Case.lower {
                // A number or a mark beside a capital: "Channel 4", "( Tom )".
                free = l1 || r1
            } else {
                // A lower-case word between capitals ("Bank of the Philippines", "van der
                // Westhuizen"), a name particle before one ("de Blasio"), a possessive after one
                // ("Lord's"; "Lord 's" as CoNLL's text writes it: "'" then an attached "s").
                free = (l1 && (r1 || r2)) || (l2 && r1)
                    || (r1 && nameParticles.contains(tb[i].key))
                    || (l1 && tb[i].flags.contains(.possessive))
                    || (l2 && i > 0 && tb[i].flags.contains(.attached) && tb[i - 1].key == apostrophe)
            }
            pin[i] = !free
            l2 = l1
            l1 = capital
        }
    }

    /// Lower-case words that start a name before a capitalised one ("de Blasio", "van Gogh",
    /// "bin Laden").
    static let nameParticles = KeySet(
        ["de", "van", "von", "der", "den", "bin", "ibn", "al", "el", "la", "le", "da", "di", "du", "del", "della", "dos", "das", "ter", "ten", "y"]
            .map { TokenKey.hash($0) })

    static let apostrophe = TokenKey.hash("'")

    /// The shape class of each byte: X, x, d, u (the lead byte of a non-ASCII scalar), 0 for a
    /// continuation byte (skipped), else the byte itself.
    static let shapeClass: [UInt8] = (0..<256).map { b in
        switch b {
        case 0x41...0x5A: 0x58
        case 0x61...0x7A: 0x78
        case 0x30...0x39: 0x64
        case 0xC0...: 0x75
        case 0x80...: 0
        default: UInt8(b)
        }
    }

    /// Collapsed word shape ("Xx", "X.X.", "d,d", "xx-Xx" → "x-Xx"): runs of one class read once.
    /// Also says whether the word has an ASCII capital anywhere. `classes` is `shapeClass`.
    @inline(__always) static func shape(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ classes: UnsafePointer<UInt8>) -> (UInt64, Bool) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var upper = false
        var last: UInt8 = 0
        let base = buf.baseAddress!
        for i in r {
            let c = classes[Int(base[i])]
            if c != last && c != 0 {
                h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01b3
                last = c
                upper = upper || c == 0x58
            }
        }
        return (h, upper)
    }

    /// The type of token `i` for the per-call feature cache: its key and shape.
    @inline(__always) func typeKey(_ i: Int) -> UInt64 {
        TokenKey.combine(tokens[i].key, shape[i]) ^ UInt64(caseClass[i])
    }
}

/// Feature extraction shared by training and tagging.
enum NERFeatures {
    /// Gazetteer kinds used as features (every kind but the plural-title marker and state codes).
    static let gazetteerMask: UInt32 = 0x1FFF & ~(1 << 8)

    /// Neighbour offsets of the type features, in cache order.
    static let offsets = [0, -1, 1, -2, 2]

    /// Longest gazetteer phrase looked for (longer ones are rare and cost a lookup a token each).
    static let maxPhraseTokens = 4

    /// Gazetteer kinds (masked) and function-word class of a word key: what the type features
    /// read from the word lists, looked up once per word type.
    @inline(__always) static func lexical(_ key: UInt64) -> (UInt32, Lexicon.WordClass?) {
        ((Gazetteer.shared.entry(key)?.kind.rawValue ?? 0) & gazetteerMask, Lexicon.english.wordClass(key))
    }

    @inline(__always) static func hash(_ t: NERTemplate, _ v: UInt64) -> UInt64 {
        var z = v &+ (UInt64(t.rawValue) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) static func pair(_ a: UInt64, _ b: UInt64) -> UInt64 { TokenKey.combine(a, b) }

    /// Features of token `i` (or padding, when `i` is outside the document) seen from offset `d`
    /// of the token being tagged: depend on the token's type only, so tagging caches their sum.
    /// `gazetteer` and `wordClass` are `lexical(key)` of the token (ignored for padding).
    static func typeFeatures<S: NERFeatureSink>(
        _ ctx: NERContext, _ i: Int, offset d: Int, buf: UnsafeBufferPointer<UInt8>, gazetteer: UInt32, wordClass: Lexicon.WordClass?,
        into sink: inout S
    ) {
        let pad = i < 0 || i >= ctx.count
        let key = pad ? NERContext.padKey : ctx.tokens[i].key
        let shape = pad ? NERContext.padShape : ctx.shape[i]
        let cc = pad ? NERContext.Case.pad : ctx.caseClass[i]
        switch d {
        case 0:
            sink.add(.word, hash(.word, key), 0)
            sink.add(.wordCase, hash(.wordCase, key &+ UInt64(cc)), 0)
            sink.add(.shape, hash(.shape, shape), 0)
            if pad { return }
            let t = ctx.tokens[i]
            sink.add(.caseLength, hash(.caseLength, UInt64(cc) << 8 | UInt64(min(t.length, 12))), 0)
            if t.kind != .punct {
                let r = t.byteRange
                for n in 1...4 where n < r.count {
                    let p = NERTemplate(rawValue: NERTemplate.prefix1.rawValue + UInt8(n - 1))!
                    let s = NERTemplate(rawValue: NERTemplate.suffix1.rawValue + UInt8(n - 1))!
                    sink.add(p, hash(p, TokenKey.hash(buf, r.lowerBound..<(r.lowerBound + n))), n)
                    sink.add(s, hash(s, TokenKey.hash(buf, (r.upperBound - n)..<r.upperBound)), n)
                }
            }
            var bits = gazetteer
            while bits != 0 {
                let b = bits.trailingZeroBitCount
                sink.add(.gazetteer, hash(.gazetteer, UInt64(b) << 8 | UInt64(cc)), b)
                bits &= bits - 1
            }
            if let w = wordClass {
                sink.add(.functionWord, hash(.functionWord, TokenKey.hash(w.rawValue)), 0)
            }
        case -1, 1:
            let (wt, st, gt): (NERTemplate, NERTemplate, NERTemplate) = d < 0 ? (.wordL1, .shapeL1, .gazetteerL1) : (.wordR1, .shapeR1, .gazetteerR1)
            sink.add(wt, hash(wt, key), 0)
            sink.add(st, hash(st, shape), 0)
            var bits = pad ? 0 : gazetteer
            while bits != 0 {
                let b = bits.trailingZeroBitCount
                sink.add(gt, hash(gt, UInt64(b)), b)
                bits &= bits - 1
            }
        default:
            let (wt, ct): (NERTemplate, NERTemplate) = d < 0 ? (.wordL2, .caseL2) : (.wordR2, .caseR2)
            sink.add(wt, hash(wt, key), 0)
            sink.add(ct, hash(ct, UInt64(cc)), 0)
        }
    }

    /// Features of token `i` that depend on its context (bigrams, position, line, document).
    static func tokenFeatures<S: NERFeatureSink>(_ ctx: NERContext, _ i: Int, into sink: inout S) {
        pairFeatures(ctx, i, into: &sink)
        contextFeatures(ctx, i, into: &sink)
        ruleFeatures(ctx, i, into: &sink)
    }

    /// What the rules say of the token and its neighbours (`ruleWindow`); depend on the window
    /// only, so tagging sums them once per window value.
    static func ruleFeatures<S: NERFeatureSink>(_ ctx: NERContext, _ i: Int, into sink: inout S) {
        let rules = ruleWindow(ctx, i)
        let cc = UInt64(ctx.caseClass[i])
        let h = (rules >> 8) & 0xFF
        sink.add(.rule, hash(.rule, h << 8 | cc), Int(h))
        sink.add(.rule, hash(.rule, 1 << 16 | (h & 0x0F)), Int(h & 0x0F))
        sink.add(.ruleNeighbours, hash(.ruleNeighbours, rules >> 8), 0)
        sink.add(.ruleNeighbours, hash(.ruleNeighbours, 1 << 24 | (rules & 0xFFFF)), 1)
    }

    /// Shape bigrams with the neighbours. (Word bigrams were tried: 0.001 F1 on CoNLL++ dev for
    /// two table lookups a token that mostly miss the cache; left out.)
    @inline(__always) static func pairFeatures<S: NERFeatureSink>(_ ctx: NERContext, _ i: Int, into sink: inout S) {
        let n = ctx.count
        let shapeL = i > 0 ? ctx.shape[i - 1] : NERContext.padShape
        let shapeR = i + 1 < n ? ctx.shape[i + 1] : NERContext.padShape
        sink.add(.shapeBigramL, hash(.shapeBigramL, pair(shapeL, ctx.shape[i])), 0)
        sink.add(.shapeBigramR, hash(.shapeBigramR, pair(ctx.shape[i], shapeR)), 0)
    }

    /// Everything `contextFeatures` reads, packed: tokens with the same signature have the same
    /// context features.
    @inline(__always) static func contextSignature(_ ctx: NERContext, _ i: Int) -> UInt64 {
        let t = ctx.tokens[i]
        var sig = UInt64(ctx.caseClass[i])
        sig |= UInt64(t.flags.rawValue & contextFlags.rawValue) << 3
        if i + 1 < ctx.count && ctx.tokens[i + 1].flags.contains(.possessive) { sig |= 1 << 19 }
        sig |= UInt64(ctx.lineInfo[i]) << 20
        if t.kind == .word {
            sig |= 1 << 28
            if ctx.capitalisedMid.contains(t.key) { sig |= 1 << 29 }
            if ctx.lowerSomewhere.contains(t.key) { sig |= 1 << 30 }
        }
        sig |= UInt64(ctx.phraseFirst[i] & 0x3FFF) << 31
        sig |= UInt64(ctx.phraseInside[i] & 0x3FFF) << 45
        return sig
    }

    /// The rule hints of the token and its neighbours (255 outside the document), packed.
    @inline(__always) static func ruleWindow(_ ctx: NERContext, _ i: Int) -> UInt64 {
        let l: UInt64 = i > 0 ? UInt64(ctx.hints[i - 1]) : 255
        let r: UInt64 = i + 1 < ctx.count ? UInt64(ctx.hints[i + 1]) : 255
        return l << 16 | UInt64(ctx.hints[i]) << 8 | r
    }

    static let contextFlags: Token.Flags = [.sentenceStart, .lineStart, .quoteStart, .abbreviation, .hyphenated]

    /// Bias, position, line, document-case and gazetteer-phrase features (see `contextSignature`).
    static func contextFeatures<S: NERFeatureSink>(_ ctx: NERContext, _ i: Int, into sink: inout S) {
        let toks = ctx.tokens
        let n = ctx.count
        let t = toks[i]
        let cc = UInt64(ctx.caseClass[i])
        sink.add(.bias, hash(.bias, 0), 0)
        let f = t.flags
        if f.contains(.sentenceStart) { sink.add(.position, hash(.position, 1 << 8 | cc), 1) }
        if f.contains(.lineStart) { sink.add(.position, hash(.position, 2 << 8 | cc), 2) }
        if f.contains(.quoteStart) { sink.add(.position, hash(.position, 3 << 8 | cc), 3) }
        if f.contains(.abbreviation) { sink.add(.position, hash(.position, 4 << 8 | cc), 4) }
        if f.contains(.hyphenated) { sink.add(.position, hash(.position, 5 << 8 | cc), 5) }
        if i + 1 < n && toks[i + 1].flags.contains(.possessive) { sink.add(.position, hash(.position, 6 << 8 | cc), 6) }
        let info = UInt64(ctx.lineInfo[i])
        sink.add(.line, hash(.line, (info & 0x0F) << 8 | cc), 0)
        sink.add(.line, hash(.line, 1 << 16 | (info >> 4) << 8 | cc), 1)
        if t.kind == .word {
            let mid: UInt64 = ctx.capitalisedMid.contains(t.key) ? 1 : 0
            let low: UInt64 = ctx.lowerSomewhere.contains(t.key) ? 2 : 0
            sink.add(.documentCase, hash(.documentCase, (mid | low) << 8 | cc), Int(mid | low))
        }
        var first = ctx.phraseFirst[i]
        while first != 0 {
            let b = first.trailingZeroBitCount
            sink.add(.phrase, hash(.phrase, UInt64(b)), b)
            first &= first - 1
        }
        var inside = ctx.phraseInside[i]
        while inside != 0 {
            let b = inside.trailingZeroBitCount
            sink.add(.phrase, hash(.phrase, 1 << 8 | UInt64(b)), b + 32)
            inside &= inside - 1
        }
    }

    /// Document-history features: the entity type this word was last tagged with earlier in the
    /// document (0 never seen, 1 outside, 2… PER, ORG, LOC, MISC), and the first entity type it had.
    @inline(__always) static func historyFeatures(last: UInt8, firstEntity: UInt8, caseClass cc: UInt8) -> (UInt64, UInt64) {
        (hash(.lastLabel, UInt64(last) << 8 | UInt64(cc)), hash(.firstEntity, UInt64(firstEntity) << 8 | UInt64(cc)))
    }

    /// Every value the history features take, for training to register them up front.
    static var allHistoryFeatures: [UInt64] {
        var out: [UInt64] = []
        for cc in 0...7 {
            for v in 0...5 {
                let (a, b) = historyFeatures(last: UInt8(v), firstEntity: UInt8(v), caseClass: UInt8(cc))
                out += [a, b]
            }
        }
        return out
    }
}

/// The labels the tagger gave each word key earlier in a document.
struct NERHistory {
    private var last = KeyMap<UInt8>(capacity: 64)
    private var first = KeyMap<UInt8>(capacity: 64)

    /// History codes of token `i`: (last label type code, first entity type code).
    @inline(__always) func codes(_ key: UInt64) -> (UInt8, UInt8) {
        (last[key] ?? 0, first[key] ?? 0)
    }

    /// Records the labels of tokens `range` (word tokens only).
    mutating func record(_ doc: Doc, _ range: Range<Int>, labels: UnsafeBufferPointer<UInt8>, offset: Int) {
        for i in range where doc.tokens[i].kind == .word {
            let l = labels[i - offset]
            let code: UInt8 = l == 0 ? 1 : NERLabels.type(l) + 1
            let k = doc.tokens[i].key
            last[k] = code
            if l != 0 && first[k] == nil { first[k] = code }
        }
    }
}
