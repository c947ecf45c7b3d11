import Foundation

/// Rule-based, explainable named-entity recognition and cross-source identity.
///
/// Recognition works on the tokens of a `Doc` with gazetteers (`Gazetteer.shared`): capitalised runs
/// are split at titles, known organisations, places and group names; what is left is typed by
/// cues (a title or role before it, an organisation or place word at its end, a first name), and
/// single words take the type their surface form has elsewhere (corpus consistency). Dates and
/// cardinal numbers are found by small patterns. Related-link junk (`Article.hiddenRanges`) is skipped.
public enum EntityRecognizer {
    /// Mentions of one article on its own (consistency within the article), not linked.
    public static func mentions(in article: Article) -> [EntityMention] {
        RecognizeEntities().run([Doc(article)])[0]
    }

    /// All articles: mentions with corpus-wide consistency, linked into entities.
    public static func analyze(_ corpus: Corpus) -> EntityAnalysis {
        Pipeline.standard.entities(Pipeline.standard.tokenize(corpus))
    }
}

/// The recognition stage: the mentions of each document (not yet linked into entities), with
/// what the whole corpus says about each surface form (corpus consistency).
public struct RecognizeEntities: Sendable {
    /// The trained tagger that finds and types names (nil: the rules alone).
    public var tagger: NERTagger?

    public init(tagger: NERTagger? = NERTagger.bundled) {
        self.tagger = tagger
    }

    public func run(_ docs: [Doc]) -> [[EntityMention]] {
        let passes = docs.map { RecognitionPass($0) }
        let context = Context(documents: passes)
        guard let tagger else { return passes.map { $0.finalRuled(context).map(\.mention) } }
        // Word types repeat from article to article: their feature sums are kept for the run.
        let types = NERTagger.TypeCache()
        return passes.map { pass in
            let rules = pass.finalRuled(context)
            let spans = tagger.tag(pass.doc, hints: TaggerMerge.hints(rules, tokens: pass.tokens.count), cache: types)
            return TaggerMerge.merge(pass, rules: rules, spans: spans)
        }
    }

    /// What the rules say of each token of each document, as the tagger reads it (`TaggerMerge.hints`):
    /// how the tagger is trained on top of the rules.
    public static func ruleHints(_ docs: [Doc]) -> [[UInt8]] {
        let passes = docs.map { RecognitionPass($0) }
        let context = Context(documents: passes)
        return passes.map { TaggerMerge.hints($0.finalRuled(context), tokens: $0.tokens.count) }
    }
}

// MARK: - Candidates

struct Candidate {
    var first: Int  // token index
    var last: Int  // token index, inclusive
    var range: Range<Int>
    var type: EntityType?
    /// 0 weak default, 1 gazetteer, 2 gazetteer + shape, 3 context cue (title, role, organisation word).
    var strength: Int
    var evidence: String
    var canonical: String? = nil
    var resolved: String? = nil
    /// Number of capitalised words in the span, the key of the only one (or of the whole span),
    /// and the key of the last one.
    var capitalisedWords = 0
    var formKey: UInt64 = 0
    var lastKey: UInt64 = 0
    /// The gazetteer entry of a place mention.
    var place: Gazetteer.Entry? = nil
}

enum Words {
    static func k(_ s: String) -> UInt64 { TokenKey.hash(s) }
    static let the = k("the"), of = k("of"), and = k("and"), amp = k("&"), comma = k(",")
    static let connectors = KeySet(["of", "de", "van", "von", "da", "la", "del", "bin", "al", "du", "le"].map(k))
    static let prepositions = KeySet(["in", "at", "from", "to", "near", "across", "throughout", "outside", "inside", "into", "visited", "visit"].map(k))
    static let orgCues = KeySet("""
        bureau department news post party college campaign inc. corp. corporation committee commission agency \
        university council court association institute foundation service office times journal group company \
        bank ministry administration network union airlines club church school academy guard coalition alliance \
        caucus board authority laboratory press media tribune herald gazette review magazine senate house \
        services affairs resources studies sciences forces reserve \
        congress parliament legislature assembly cabinet federation league organization organisation center centre \
        fund trust partners holdings systems technologies industries enterprises airways motors
        """.split(separator: " ").map { k(String($0)) })
    static let legislatures = KeySet(["house", "senate", "congress", "parliament"].map(k))
    static let gpeCues = KeySet(["county", "city", "state", "province", "parish", "township", "borough"].map(k))
    static let numberScales = KeySet(["million", "billion", "trillion", "thousand", "hundred"].map(k))
    static let percent = KeySet(["percent", "per", "%", "pct"].map(k))
    static let months: KeyMap<Int> = {
        var m = KeyMap<Int>()
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        let abbr = ["jan.", "feb.", "mar.", "apr.", "may", "jun.", "jul.", "aug.", "sep.", "oct.", "nov.", "dec."]
        for (i, n) in names.enumerated() { m[k(n)] = i + 1; m[k(abbr[i])] = i + 1 }
        m[k("sept.")] = 9
        return m
    }()
    static let ambiguousMonths = KeySet(["may", "march", "august"].map(k))
    /// 0 = Monday.
    static let weekdays: KeyMap<Int> = {
        var m = KeyMap<Int>()
        for (i, n) in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].enumerated() { m[k(n)] = i }
        return m
    }()
    static let partsOfDay = KeySet(["morning", "afternoon", "evening", "night"].map(k))
    static let this = k("this"), last = k("last"), next = k("next"), earlier = k("earlier"), later = k("later")
    static let units: KeyMap<String> = {
        var m = KeyMap<String>()
        for u in ["week", "weekend", "month", "year"] { m[k(u)] = u }
        return m
    }()
    static let deictic: KeyMap<Int> = {
        var m = KeyMap<Int>()
        for (w, d) in [("today", 0), ("yesterday", -1), ("tomorrow", 1), ("tonight", 0)] { m[k(w)] = d }
        return m
    }()
    static let dollar = k("$")
    static let country = k("country"), republic = k("republic")
    /// Every word that can start a date, for a single lookup per token.
    static let dateStarters: KeySet = {
        var s = KeySet()
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
            "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tomorrow", "tonight",
            "this", "last", "next", "earlier", "later"]
        for n in names { s.insert(k(n)) }
        return s
    }()
}

/// One article's tokens with its candidate mentions (before corpus consistency).
final class RecognitionPass {
    let doc: Doc
    let article: Article
    let tokens: [Token]
    /// Tokens before this index belong to a headline.
    let headlineEnd: Int
    let titleCaseHeadline: Bool
    let articleDate: CivilDate?
    var candidates: [Candidate] = []
    /// Capitalised words seen inside sentences (not at a sentence, line or quote start).
    var midCapsList: [UInt64] = []
    let gaz = Gazetteer.shared
    let lexicon = Lexicon.english

    init(_ doc: Doc) {
        self.doc = doc
        article = doc.article
        articleDate = CivilDate(article.metadata.date)
        let toks = doc.tokens
        let headEnd = doc.headline.upperBound
        tokens = toks
        headlineEnd = headEnd
        var long = 0, caps = 0
        for t in toks[0..<headEnd] where t.kind == .word && t.length >= 4 {
            long += 1
            if t.has(.capitalised) { caps += 1 }
        }
        titleCaseHeadline = long > 0 && caps * 10 >= long * 6
        for (i, t) in toks.enumerated() where t.kind == .word && t.has(.capitalised) && i >= headEnd {
            if !t.has(.sentenceStart) && !t.has(.lineStart) && !t.has(.quoteStart) && !t.has(.allCaps) {
                midCapsList.append(t.key)
            }
        }
    }

    /// At the start of a sentence, line or quotation, in all capitals or in a title-case
    /// headline: a capital there says nothing about being a name.
    func atStart(_ i: Int) -> Bool {
        let t = tokens[i]
        return t.has(.sentenceStart) || t.has(.quoteStart) || t.has(.lineStart) || t.has(.allCaps) || (i < headlineEnd && titleCaseHeadline)
    }

    func text(_ first: Int, _ last: Int) -> String {
        article.text.string(Int(tokens[first].start)..<Int(tokens[last].end))
    }

    func isCapWord(_ i: Int) -> Bool {
        i < tokens.count && tokens[i].kind == .word && tokens[i].has(.capitalised)
    }

    // MARK: Pass 1

    func recognize(midCaps corpusCaps: KeySet) {
        candidates.removeAll(keepingCapacity: true)
        let n = tokens.count
        var i = 0
        var carryTitle: String? = nil
        while i < n {
            let t = tokens[i]
            if let end = matchDate(i) { i = end; carryTitle = nil; continue }
            if t.kind == .number {
                i = matchCardinal(i)
                continue
            }
            if t.kind == .word && t.has(.capitalised) && t.length > 1 {
                let e = runEnd(i, corpusCaps: corpusCaps)
                classifyRun(i, e, corpusCaps: corpusCaps, carriedTitle: carryTitle)
                carryTitle = nil
                // A plural title ("Sens. A and B") carries over "and" to the next run.
                if let last = lastPluralTitle, e + 1 < n, tokens[e].key == Words.and || tokens[e].key == Words.comma, isCapWord(e + 1) {
                    carryTitle = last
                }
                lastPluralTitle = nil
                i = e
                continue
            }
            i += 1
        }
        disambiguateStateOrCountry()
    }

    var lastPluralTitle: String? = nil

    func runEnd(_ s: Int, corpusCaps: KeySet) -> Int {
        let n = tokens.count
        var j = s + 1
        while j < n {
            let t = tokens[j]
            if t.has(.sentenceStart) || t.has(.lineStart) || t.has(.afterGap) { break }
            if t.kind == .word && t.has(.capitalised) {
                // In all-caps text or a title-case headline an ordinary word ends the run.
                let allCapsRun = t.has(.allCaps) && tokens[s].has(.allCaps)
                // A closed-class word ("Is", "As", "The") ends a run anywhere a capital says nothing.
                if (allCapsRun || (j < headlineEnd && titleCaseHeadline)) && lexicon.isFunctionWord(t.key) { break }
                let titleCaseRun = j < headlineEnd && titleCaseHeadline && !corpusCaps.contains(t.key)
                if allCapsRun || titleCaseRun, let en = gaz.entry(t.key), en.kind.contains(.common),
                    en.kind.intersection([.title, .org, .norp, .firstName]).isEmpty, !isStrongPlace(en),
                    !Words.orgCues.contains(t.key), !Words.gpeCues.contains(t.key)
                {
                    break
                }
                if Words.weekdays[t.key] != nil || (Words.months[t.key] != nil && !Words.ambiguousMonths.contains(t.key)) { break }
                j += 1
                continue
            }
            if t.kind == .word && Words.connectors.contains(t.key) && j + 1 < n && !tokens[j + 1].has(.sentenceStart) {
                if isCapWord(j + 1) { j += 2; continue }
                if tokens[j + 1].key == Words.the && isCapWord(j + 2) { j += 3; continue }
            }
            if t.key == Words.amp && isCapWord(j + 1) { j += 2; continue }
            // "Securities and Exchange Commission": "and" inside a name that ends with an organisation word.
            if t.key == Words.and && isCapWord(j + 1) && !tokens[j + 1].has(.sentenceStart) {
                var k = j + 1
                while k < n && k < j + 7 && isCapWord(k) && !tokens[k].has(.sentenceStart) { k += 1 }
                if Words.orgCues.contains(tokens[k - 1].key) && !Words.legislatures.contains(tokens[k - 1].key) { j = k; continue }
            }
            break
        }
        return j
    }

    // MARK: Runs

    enum SegKind { case title(plural: Bool), org, place, norp, word, connector }
    struct Seg { var kind: SegKind; var first: Int; var last: Int; var entry: Gazetteer.Entry? }

    func phraseKey(_ a: Int, _ b: Int) -> UInt64 {
        var k = tokens[a].key
        if b > a { for j in (a + 1)...b { k = TokenKey.combine(k, tokens[j].key) } }
        return k
    }

    func isStrongPlace(_ e: Gazetteer.Entry) -> Bool {
        e.kind.contains(.country) || e.kind.contains(.usState) || e.kind.contains(.county) || e.kind.contains(.region)
            || (e.kind.contains(.city) && e.population >= 100_000)
    }

    /// A capitalised word at a sentence start (or a title-case headline) that is an ordinary word.
    func droppable(_ i: Int, corpusCaps: KeySet, runEnd e: Int) -> Bool {
        let t = tokens[i]
        // Closed-class words never start a name ("In", "This", "When"), unless they are a first
        // name before a surname ("Will Smith").
        if t.kind == .word && lexicon.isFunctionWord(t.key) && !t.has(.allCaps) {
            let firstName = gaz.entry(t.key)?.kind.contains(.firstName) ?? false
            return !(firstName && i + 1 < e && isCapWord(i + 1) && !t.has(.sentenceStart))
        }
        guard atStart(i) else { return false }
        if corpusCaps.contains(t.key) && !t.has(.allCaps) { return false }
        guard let en = gaz.entry(t.key) else { return false }
        if en.kind.contains(.title) || en.kind.contains(.org) || en.kind.contains(.norp) || isStrongPlace(en) { return false }
        if Words.orgCues.contains(t.key) && i + 1 < e { return false }
        // The start of a known phrase ("Fulton County", "White House") or of a cue name ("Peach State").
        if i + 1 < e, Words.gpeCues.contains(tokens[i + 1].key) || (Words.orgCues.contains(tokens[i + 1].key) && !Words.legislatures.contains(tokens[i + 1].key)) {
            return false
        }
        if i + 1 < e {
            for len in 2...min(gaz.maxPhraseTokens, e - i) where gaz.entry(phraseKey(i, i + len - 1)) != nil { return false }
        }
        if en.kind.contains(.firstName) && i + 1 < e && isCapWord(i + 1) && !t.has(.allCaps) { return false }
        return en.kind.contains(.common)
    }

    func segments(_ s: Int, _ e: Int) -> [Seg] {
        var segs: [Seg] = []
        var k = s
        let maxLen = gaz.maxPhraseTokens
        while k < e {
            let t = tokens[k]
            if t.kind == .word && !t.has(.capitalised) {
                segs.append(Seg(kind: .connector, first: k, last: k, entry: nil))
                k += 1
                continue
            }
            var matched = false
            var len = min(maxLen, e - k)
            while len >= 1 {
                let key = phraseKey(k, k + len - 1)
                if let en = gaz.entry(key) {
                    var kind: SegKind? = nil
                    if en.kind.contains(.org) {
                        kind = .org
                    } else if (en.kind.contains(.title) || (len == 1 && en.kind.contains(.role) && k + 1 < e && isCapWord(k + 1)))
                        && !(len == 1 && k + 1 < e && Words.orgCues.contains(tokens[k + 1].key)) && !Words.orgCues.contains(key)
                    {
                        // A title word before an organisation word is part of its name ("Justice Department").
                        kind = .title(plural: en.kind.contains(.pluralTitle))
                    } else if en.kind.contains(.norp) {
                        kind = .norp
                    } else if !en.kind.intersection(Gazetteer.Kind.place).isEmpty {
                        kind = len > 1 || isStrongPlace(en) || placeContext(k) ? .place : nil
                    }
                    if let kind {
                        segs.append(Seg(kind: kind, first: k, last: k + len - 1, entry: en))
                        k += len
                        matched = true
                        break
                    }
                }
                len -= 1
            }
            if !matched {
                segs.append(Seg(kind: .word, first: k, last: k, entry: gaz.entry(t.key)))
                k += 1
            }
        }
        return segs
    }

    /// A small town is a place after "in", "at", "from", or before ", <US state>".
    func placeContext(_ k: Int) -> Bool {
        if k > 0 && Words.prepositions.contains(tokens[k - 1].key) && !tokens[k].has(.sentenceStart) { return true }
        if k + 2 < tokens.count && tokens[k + 1].key == Words.comma, let e = gaz.entry(tokens[k + 2].key), e.kind.contains(.usState) || e.kind.contains(.country) {
            return true
        }
        return false
    }

    func emit(_ first: Int, _ last: Int, _ type: EntityType?, _ strength: Int, _ evidence: String, canonical: String? = nil) {
        var count = 0
        var lastKey: UInt64 = 0
        for j in first...last where tokens[j].kind == .word && tokens[j].has(.capitalised) {
            count += 1
            lastKey = tokens[j].key
        }
        candidates.append(Candidate(
            first: first, last: last, range: Int(tokens[first].start)..<Int(tokens[last].end),
            type: type, strength: strength, evidence: evidence, canonical: canonical,
            capitalisedWords: count, formKey: count == 1 ? lastKey : phraseKey(first, last), lastKey: lastKey))
    }

    func classifyRun(_ s0: Int, _ e: Int, corpusCaps: KeySet, carriedTitle: String?) {
        var s = s0
        // Hyphenated capitalised word: keep a group or place prefix ("Republican-controlled").
        if e == s + 1 && tokens[s].has(.hyphenated) && gaz.entry(tokens[s].key) == nil {
            hyphenPrefix(s)
            return
        }
        // "The" starts an organisation name only when the gazetteer says so.
        if tokens[s].key == Words.the {
            var keep = false
            if e - s >= 2 {
                for len in stride(from: min(gaz.maxPhraseTokens, e - s), through: 2, by: -1) {
                    if let en = gaz.entry(phraseKey(s, s + len - 1)), en.kind.contains(.org) { keep = true; break }
                }
            }
            if !keep { s += 1 }
        } else if droppable(s, corpusCaps: corpusCaps, runEnd: e) {
            s += 1
        }
        while s < e && !tokens[s].has(.capitalised) { s += 1 }
        guard s < e else { return }
        if e == s + 1 && tokens[s].length == 1 { return }
        let segs = segments(s, e)
        var pendingTitle: String? = carriedTitle
        var pendingPlural = carriedTitle != nil
        var idx = 0
        // A lowercase role word right before the run ("spokesman Cody Hall").
        var roleBefore: String? = nil
        if s0 == s && s > 0 && tokens[s - 1].kind == .word && tokens[s - 1].has(.lowercase),
            let en = gaz.entry(tokens[s - 1].key), en.kind.contains(.role) || en.kind.contains(.title)
        {
            roleBefore = article.text.string(tokens[s - 1].range)
        }
        while idx < segs.count {
            let sg = segs[idx]
            switch sg.kind {
            case .connector:
                idx += 1
            case .title(let plural):
                pendingTitle = text(sg.first, sg.last)
                pendingPlural = plural
                idx += 1
                if idx < segs.count, case .connector = segs[idx].kind {
                    // "Secretary of State of Georgia": what follows "of" is not the person.
                    pendingTitle = nil
                    idx += 1
                }
            case .org:
                let canon = sg.entry.flatMap { gaz.canonicalName($0) }
                emit(sg.first, sg.last, .org, 3, "gazetteer: known organisation", canonical: canon)
                pendingTitle = nil
                idx += 1
            case .place, .norp, .word:
                // Group: words (and places/groups inside a person's name or an organisation name).
                var j = idx
                var lastCue = -1
                for (q, g) in segs.enumerated() where q > idx {
                    if case .word = g.kind, Words.orgCues.contains(tokens[g.first].key) { lastCue = q }
                }
                while j < segs.count {
                    let g = segs[j]
                    if case .word = g.kind {
                        j += 1
                        continue
                    }
                    if case .connector = g.kind, j + 1 < segs.count {
                        if case .word = segs[j + 1].kind, j > idx, Words.orgCues.contains(tokens[segs[j - 1].last].key) || j < lastCue {
                            j += 1
                            continue
                        }
                        break
                    }
                    if case .place = g.kind, j > idx, g.first == g.last {
                        // "Ryan Germany": a one-word place after a first name or a title.
                        let firstEntry = gaz.entry(tokens[segs[idx].first].key)
                        if pendingTitle != nil || roleBefore != nil || (firstEntry?.kind.contains(.firstName) ?? false) && segs[idx].first == segs[j - 1].last {
                            j += 1
                            continue
                        }
                    }
                    break
                }
                // A lone place or group word stays what the gazetteer says, unless an org cue follows.
                if j <= idx + 1 {
                    switch sg.kind {
                    case .place:
                        if idx + 1 < segs.count, case .word = segs[idx + 1].kind, orgCueGroupEnd(segs, from: idx + 1) != nil {
                            let end = orgCueGroupEnd(segs, from: idx + 1)!
                            emit(sg.first, segs[end].last, .org, 3, "organisation cue '\(cueText(segs, idx + 1, end))'")
                            pendingTitle = nil
                            idx = end + 1
                            continue
                        }
                        if pendingTitle != nil && sg.first == sg.last, let en = sg.entry, en.kind.contains(.surname) || en.kind.contains(.firstName), !isStrongPlace(en) {
                            emit(sg.first, sg.last, .person, 3, "title '\(pendingTitle!)' before a capitalised name")
                        } else {
                            placeMention(sg)
                        }
                        idx += 1
                        continue
                    case .norp:
                        if idx + 1 < segs.count, case .word = segs[idx + 1].kind, let end = orgCueGroupEnd(segs, from: idx + 1),
                            !(end == idx + 1 && Words.legislatures.contains(tokens[segs[end].first].key))
                        {
                            emit(sg.first, segs[end].last, .org, 3, "organisation cue '\(cueText(segs, idx + 1, end))'")
                            idx = end + 1
                            continue
                        }
                        let canon = sg.entry.flatMap { gaz.canonicalName($0) }
                        emit(sg.first, sg.last, .norp, 2, "gazetteer: nationality or group", canonical: canon)
                        idx += 1
                        continue
                    default: break
                    }
                }
                if j <= idx { idx += 1; continue }
                // Trim trailing connectors.
                var lastSeg = j - 1
                while lastSeg > idx, case .connector = segs[lastSeg].kind { lastSeg -= 1 }
                let first = segs[idx].first, last = segs[lastSeg].last
                classifyGroup(first, last, title: pendingTitle, role: idx == 0 ? roleBefore : nil)
                if pendingPlural, pendingTitle != nil { lastPluralTitle = pendingTitle }
                pendingTitle = nil
                idx = j
            }
        }
    }

    func orgCueGroupEnd(_ segs: [Seg], from: Int) -> Int? {
        var j = from
        var found: Int? = nil
        while j < segs.count {
            if case .word = segs[j].kind {
                if Words.orgCues.contains(tokens[segs[j].first].key) { found = j }
                j += 1
                continue
            }
            if case .connector = segs[j].kind, found != nil, j + 1 < segs.count, case .word = segs[j + 1].kind {
                j += 1
                continue
            }
            if case .place = segs[j].kind, found != nil, j > 0, case .connector = segs[j - 1].kind {
                // "Bank of America": the place after "of" belongs to the name.
                found = j
                j += 1
                continue
            }
            break
        }
        if let f = found, f + 1 < segs.count, case .connector = segs[f + 1].kind, f + 2 < segs.count {
            if case .word = segs[f + 2].kind { return f + 2 }
            if case .place = segs[f + 2].kind { return f + 2 }
        }
        return found
    }

    func cueText(_ segs: [Seg], _ a: Int, _ b: Int) -> String {
        for j in stride(from: b, through: a, by: -1) {
            if case .word = segs[j].kind, Words.orgCues.contains(tokens[segs[j].first].key) {
                return article.text.string(tokens[segs[j].first].range)
            }
        }
        return text(segs[b].first, segs[b].last)
    }

    func placeMention(_ sg: Seg) {
        guard let en = sg.entry else { return }
        let canon = gaz.canonicalName(en)
        let kind: String
        let type: EntityType
        if en.kind.contains(.region) && en.kind.intersection([.country, .usState, .city, .county]).isEmpty {
            type = .loc; kind = "gazetteer: region"
        } else {
            type = .gpe
            if en.kind.contains(.usState) { kind = "gazetteer: US state" }
            else if en.kind.contains(.country) { kind = "gazetteer: country" }
            else if en.kind.contains(.county) { kind = "gazetteer: US county" }
            else { kind = "gazetteer: city" }
        }
        let strength = isStrongPlace(en) ? 2 : 1
        emit(sg.first, sg.last, type, strength, kind, canonical: canon)
        candidates[candidates.count - 1].place = en
    }

    /// A name that is both a US state and a country ("Georgia") is the state unless the article
    /// names a city of that country, or says "country of" / "Republic of" right before it.
    func disambiguateStateOrCountry() {
        var cityCountries = Set<UInt16>()
        for c in candidates {
            if let p = c.place, p.kind.contains(.city), p.cityCountry != 0 { cityCountries.insert(p.cityCountry) }
        }
        for i in candidates.indices {
            guard let p = candidates[i].place, p.kind.contains(.country), p.kind.contains(.usState) else { continue }
            let f = candidates[i].first
            let saysCountry = f >= 2 && tokens[f - 1].key == Words.of && (tokens[f - 2].key == Words.country || tokens[f - 2].key == Words.republic)
            let name = article.text.string(candidates[i].range)
            if saysCountry || cityCountries.contains(p.countryCode) {
                candidates[i].canonical = "\(name) (country)"
                candidates[i].evidence = saysCountry ? "gazetteer: country ('\(article.text.string(tokens[f - 2].range)) of' before it)" : "gazetteer: country (the article names a city there)"
            } else {
                candidates[i].evidence = "gazetteer: US state (no sign of the country of that name)"
            }
        }
    }

    func hyphenPrefix(_ s: Int) {
        let t = tokens[s]
        let r = t.byteRange
        var cut = -1
        article.text.bytes.withUnsafeBufferPointer { buf in
            for b in r where buf[b] == 0x2D { cut = b; break }
        }
        guard cut > r.lowerBound else { return }
        let key = article.text.bytes.withUnsafeBufferPointer { TokenKey.hash($0, r.lowerBound..<cut) }
        guard let en = gaz.entry(key) else { return }
        let scalarEnd = Int(t.start) + article.text.scalarOffset(ofByte: cut) - article.text.scalarOffset(ofByte: r.lowerBound)
        let range = Int(t.start)..<scalarEnd
        var c: Candidate? = nil
        if en.kind.contains(.norp) {
            c = Candidate(first: s, last: s, range: range, type: .norp, strength: 2, evidence: "gazetteer: nationality or group (before a hyphen)", canonical: gaz.canonicalName(en))
        } else if isStrongPlace(en) {
            c = Candidate(first: s, last: s, range: range, type: .gpe, strength: 2, evidence: "gazetteer: place (before a hyphen)", canonical: gaz.canonicalName(en))
        }
        if var c {
            c.capitalisedWords = 1
            c.formKey = key
            c.lastKey = key
            candidates.append(c)
        }
    }

    func classifyGroup(_ first: Int, _ last: Int, title: String?, role: String?) {
        let count = last - first + 1
        let lastKey = tokens[last].key
        let firstEntry = gaz.entry(tokens[first].key)
        // Organisation word at the end, or before "of".
        var cue: Int? = nil
        for j in first...last where Words.orgCues.contains(tokens[j].key) && tokens[j].has(.capitalised) {
            if j == last || (j + 1 <= last && tokens[j + 1].key == Words.of) { cue = j }
        }
        if let cue, title == nil || count > 1 {
            let cueWord = article.text.string(tokens[cue].range)
            if count > 1 {
                emit(first, last, .org, 3, "organisation cue '\(cueWord)'")
                return
            }
            let afterThe = first > 0 && tokens[first - 1].key == Words.the && !tokens[first].has(.sentenceStart)
            if afterThe || Words.legislatures.contains(lastKey) {
                emit(first, last, .org, 2, afterThe ? "organisation cue '\(cueWord)' after 'the'" : "legislature '\(cueWord)'")
            }
            return
        }
        if count > 1 && Words.gpeCues.contains(lastKey) && title == nil {
            emit(first, last, .gpe, 3, "place cue '\(article.text.string(tokens[last].range))'")
            return
        }
        if let title {
            emit(first, last, .person, 3, "title '\(title)' before a capitalised name")
            return
        }
        if let role {
            emit(first, last, .person, 3, "role '\(role)' before a capitalised name")
            return
        }
        if count > 1 {
            if let fe = firstEntry, fe.kind.contains(.firstName) {
                emit(first, last, .person, 2, "gazetteer: first name")
            } else if let le = gaz.entry(lastKey), le.kind.contains(.surname) {
                emit(first, last, .person, 1, "gazetteer: surname")
            } else if (first...last).allSatisfy({ tokens[$0].has(.allCaps) }) {
                emit(first, last, .org, 1, "all-caps name")
            } else if (first...last).allSatisfy({ tokens[$0].kind != .word || !tokens[$0].has(.capitalised) || (gaz.entry(tokens[$0].key)?.kind.contains(.common) ?? false) }) {
                emit(first, last, .org, 0, "capitalised ordinary words (a name of an institution)")
            } else {
                emit(first, last, .person, 0, "capitalised name of \(count) words")
            }
            return
        }
        let t = tokens[first]
        let en = firstEntry
        let common = en?.kind.contains(.common) ?? false
        if t.has(.allCaps) && t.length <= 5 && !common {
            emit(first, last, .org, 1, "all-caps acronym")
            return
        }
        if common {
            // An ordinary word written with a capital: needs corpus evidence.
            emit(first, last, nil, 0, "capitalised word")
            return
        }
        if let en, en.kind.contains(.surname) {
            emit(first, last, .person, 1, "gazetteer: surname")
        } else if let en, en.kind.contains(.firstName) {
            emit(first, last, .person, 1, "gazetteer: first name")
        } else {
            emit(first, last, .person, 0, "unknown capitalised word")
        }
    }

    // MARK: Dates and numbers

    func numberValue(_ i: Int) -> (value: Int, digits: Int, suffix: String)? {
        let t = tokens[i]
        guard t.kind == .number else { return nil }
        var v = 0, digits = 0
        var suffix = ""
        article.text.bytes.withUnsafeBufferPointer { buf in
            var b = t.byteRange.lowerBound
            var fraction = false
            while b < t.byteRange.upperBound && (Tokenizer.isDigit(buf[b]) || buf[b] == 0x2C || buf[b] == 0x2E) {
                if buf[b] == 0x2E { fraction = true }
                if Tokenizer.isDigit(buf[b]) && !fraction {
                    if digits < 9 { v = v * 10 + Int(buf[b] - 0x30) }
                    digits += 1
                }
                b += 1
            }
            if b < t.byteRange.upperBound {
                suffix = String(decoding: UnsafeBufferPointer(rebasing: buf[b..<t.byteRange.upperBound]), as: UTF8.self).lowercased()
            }
        }
        return (v, digits, suffix)
    }

    func dayNumber(_ i: Int) -> Int? {
        guard let (v, d, suffix) = numberValue(i), d <= 2, v >= 1, v <= 31 else { return nil }
        return ["", "st", "nd", "rd", "th"].contains(suffix) ? v : nil
    }

    func yearNumber(_ i: Int) -> Int? {
        guard let (v, d, suffix) = numberValue(i), d == 4, suffix.isEmpty, v >= 1800, v <= 2099 else { return nil }
        return v
    }

    func addDate(_ first: Int, _ last: Int, _ evidence: String, resolved: String?) {
        candidates.append(Candidate(
            first: first, last: last, range: Int(tokens[first].start)..<Int(tokens[last].end),
            type: .date, strength: 3, evidence: evidence, resolved: resolved))
    }

    /// Returns the token index after a date that starts at `i`.
    func matchDate(_ i: Int) -> Int? {
        let n = tokens.count
        let t = tokens[i]
        if t.kind == .punct || (t.kind == .word && !Words.dateStarters.contains(t.key)) { return nil }
        if t.kind == .word {
            if let off = Words.deictic[t.key] {
                addDate(i, i, "relative date '\(article.text.string(t.range))'", resolved: articleDate.map { $0.adding(off).string })
                return i + 1
            }
            // [earlier|later] this|last|next week|weekend|month|year
            var j = i
            if t.key == Words.earlier || t.key == Words.later { j += 1 }
            if j + 1 < n, [Words.this, Words.last, Words.next].contains(tokens[j].key), let unit = Words.units[tokens[j + 1].key] {
                var resolved: String? = nil
                if let d = articleDate, j == i {
                    if unit == "weekend" && tokens[j].key == Words.this { resolved = d.adding(-((d.weekday - 5 + 7) % 7)).string }
                    if unit == "year" { resolved = nil }
                }
                addDate(i, j + 1, "relative date", resolved: resolved)
                return j + 2
            }
            if let wd = Words.weekdays[t.key], t.has(.capitalised) {
                var end = i
                if i + 1 < n && Words.partsOfDay.contains(tokens[i + 1].key) { end = i + 1 }
                let resolved = articleDate.map { d in d.adding(-((d.weekday - wd + 7) % 7)).string }
                addDate(i, end, "weekday", resolved: resolved)
                return end + 1
            }
            if let m = Words.months[t.key], t.has(.capitalised) {
                // Month [day[,] [year]] | Month year
                var end = i
                var day: Int? = nil
                var year: Int? = nil
                if i + 1 < n, let d = dayNumber(i + 1) {
                    day = d; end = i + 1
                    var k = i + 2
                    if k < n && tokens[k].key == Words.comma { k += 1 }
                    if k < n, let y = yearNumber(k) { year = y; end = k }
                } else if i + 1 < n, let y = yearNumber(i + 1) {
                    year = y; end = i + 1
                }
                if end == i && Words.ambiguousMonths.contains(t.key) {
                    let prev = i > 0 ? tokens[i - 1].key : 0
                    let possessive = i + 1 < n && tokens[i + 1].has(.possessive)
                    if !(Words.prepositions.contains(prev) || prev == Words.of || prev == Words.the || possessive) { return nil }
                }
                addDate(i, end, "month name", resolved: resolveMonthDay(m, day, year, articleDate))
                return end + 1
            }
            return nil
        }
        if t.kind == .number {
            // day Month[,] year ("04th January, 2021")
            if let d = dayNumber(i), i + 1 < n, let m = Words.months[tokens[i + 1].key], tokens[i + 1].has(.capitalised) {
                var end = i + 1
                var year: Int? = nil
                var k = i + 2
                if k < n && tokens[k].key == Words.comma { k += 1 }
                if k < n, let y = yearNumber(k) { year = y; end = k }
                addDate(i, end, "day and month", resolved: resolveMonthDay(m, d, year, articleDate))
                return end + 1
            }
            if let y = yearNumber(i) {
                let next = i + 1 < n ? tokens[i + 1].key : 0
                let prev = i > 0 ? tokens[i - 1].key : 0
                if !Words.percent.contains(next) && prev != Words.dollar && !Words.numberScales.contains(next) {
                    addDate(i, i, "year", resolved: nil)
                    _ = y
                    return i + 1
                }
            }
        }
        return nil
    }

    func resolveMonthDay(_ m: Int, _ day: Int?, _ year: Int?, _ ref: CivilDate?) -> String? {
        guard let day else { return nil }
        if let year { return CivilDate(year: year, month: m, day: day).string }
        guard let ref else { return nil }
        var best: CivilDate? = nil
        var bestDist = Int.max
        for y in [ref.year - 1, ref.year, ref.year + 1] {
            let c = CivilDate(year: y, month: m, day: day)
            let dist = abs(c.days - ref.days)
            if dist < bestDist { bestDist = dist; best = c }
        }
        return best?.string
    }

    func matchCardinal(_ i: Int) -> Int {
        let n = tokens.count
        guard let (_, _, suffix) = numberValue(i) else { return i + 1 }
        if !["", "k", "m", "bn", "b"].contains(suffix) { return i + 1 }
        let prev = i > 0 ? tokens[i - 1].key : 0
        if prev == Words.dollar { return i + 1 }
        var end = i
        if i + 1 < n && Words.numberScales.contains(tokens[i + 1].key) { end = i + 1 }
        if end + 1 < n && Words.percent.contains(tokens[end + 1].key) { return end + 1 }
        candidates.append(Candidate(
            first: i, last: end, range: Int(tokens[i].start)..<Int(tokens[end].end),
            type: .cardinal, strength: 3, evidence: "number"))
        return end + 1
    }

    // MARK: Pass 2

    static let consistencyEvidence = EntityType.allCases.map { "corpus consistency: \($0.rawValue) elsewhere" }

    /// Whether the tokens are an organisation word, "of" and more ("University of Texas",
    /// "Ministry of Defence", "House of Commons").
    static func institutionOf(_ tokens: [Token], _ r: Range<Int>) -> Bool {
        r.count >= 3 && r.upperBound <= tokens.count && Words.orgCues.contains(tokens[r.lowerBound].key) && tokens[r.lowerBound + 1].key == Words.of
    }

    func finalRuled(_ ctx: Context) -> [TaggerMerge.Ruled] {
        var out: [TaggerMerge.Ruled] = []
        out.reserveCapacity(candidates.count)
        for c in candidates {
            var type = c.type
            var evidence = c.evidence
            var personElsewhere = false
            // Corpus consistency speaks only for words seen capitalised inside a sentence: a
            // capital at a sentence start or in a headline is no evidence of a name.
            let consistent = !atStart(c.first) || c.capitalisedWords > 1 || ctx.midCaps.contains(c.formKey)
            if c.strength <= 1 && c.type != .date && c.type != .cardinal && consistent {
                let key = c.formKey
                if c.capitalisedWords == 1, ctx.personTokens.contains(key), type != .person || c.strength == 0 {
                    type = .person
                    evidence = "corpus consistency: part of a PERSON name elsewhere"
                    personElsewhere = true
                } else if let voted = ctx.majority(key), voted != type, ctx.votesStrength(key, voted) > c.strength {
                    type = voted
                    evidence = Self.consistencyEvidence[voted.index]
                } else if c.capitalisedWords == 1, type == nil, ctx.orgTokens.contains(key) {
                    type = .org
                    evidence = "corpus consistency: ends an ORG name elsewhere"
                } else if c.capitalisedWords == 1, ctx.orgTokens.contains(key), type == .person, c.strength == 0 {
                    type = .org
                    evidence = "corpus consistency: ends an ORG name elsewhere"
                }
            }
            // An organisation word before "of" makes an organisation of a place name ("University
            // of Texas" is also a town in the gazetteer; "Bank of America").
            if type == .gpe || type == .loc, Self.institutionOf(tokens, c.first..<(c.last + 1)) {
                type = .org
                evidence = "organisation word before 'of'"
            }
            guard let type else { continue }
            // An unknown word at a sentence start is a name only with evidence from elsewhere.
            if type == .person && c.strength == 0 && c.capitalisedWords == 1 && !consistent { continue }
            let mention = EntityMention(
                article: article.id, range: c.range, tokens: c.first..<(c.last + 1), text: article.text.string(c.range),
                type: type, evidence: evidence, resolvedDate: c.resolved, canonicalHint: c.canonical)
            out.append(TaggerMerge.Ruled(mention: mention, strength: type == c.type ? c.strength : 1, personElsewhere: personElsewhere))
        }
        return out
    }
}

/// What the whole corpus says about surface forms.
struct Context {
    var personTokens = KeySet()
    var orgTokens = KeySet()
    /// Per surface key: summed strength per type (indexed by `EntityType.index`).
    var votes = KeyMap<SIMD8<Int32>>()
    /// Words seen capitalised inside a sentence somewhere in the corpus.
    var midCaps = KeySet()

    init(documents: [RecognitionPass]) {
        var caps = KeySet()
        for d in documents { for k in d.midCapsList { caps.insert(k) } }
        midCaps = caps
        for d in documents { d.recognize(midCaps: caps) }
        for d in documents {
            for c in d.candidates {
                guard let type = c.type, type != .date, type != .cardinal else { continue }
                if type == .person && c.strength >= 2 {
                    for j in c.first...c.last where d.tokens[j].kind == .word && d.tokens[j].has(.capitalised)
                        && (!d.atStart(j) || caps.contains(d.tokens[j].key)) && !d.lexicon.isFunctionWord(d.tokens[j].key)
                    {
                        personTokens.insert(d.tokens[j].key)
                    }
                }
                if type == .org && c.capitalisedWords >= 2 && c.strength >= 2 {
                    orgTokens.insert(c.lastKey)
                }
                if c.strength >= 1 {
                    var v = votes[c.formKey] ?? SIMD8<Int32>()
                    v[type.index] += Int32(c.strength)
                    votes[c.formKey] = v
                }
            }
        }
    }

    func majority(_ key: UInt64) -> EntityType? {
        guard let v = votes[key] else { return nil }
        var best = -1
        var bestVotes: Int32 = 0
        for i in 0..<EntityType.allCases.count where v[i] > bestVotes {
            best = i
            bestVotes = v[i]
        }
        return best < 0 ? nil : EntityType.allCases[best]
    }

    func votesStrength(_ key: UInt64, _ type: EntityType) -> Int {
        votes[key].map { Int($0[type.index]) } ?? 0
    }
}

extension EntityType {
    /// Position in `allCases`.
    var index: Int {
        switch self {
        case .person: 0
        case .org: 1
        case .gpe: 2
        case .loc: 3
        case .norp: 4
        case .date: 5
        case .cardinal: 6
        }
    }
}

/// A proleptic Gregorian calendar date.
struct CivilDate {
    var year: Int, month: Int, day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year; self.month = month; self.day = day
    }

    init?(_ s: String?) {
        guard let s, s.utf8.count == 10 else { return nil }
        let p = s.split(separator: "-")
        guard p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m), (1...31).contains(d) else { return nil }
        year = y; month = m; day = d
    }

    /// Days since 1970-01-01.
    var days: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    init(days z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// 0 = Monday.
    var weekday: Int { ((days % 7) + 7 + 3) % 7 }

    func adding(_ n: Int) -> CivilDate { CivilDate(days: days + n) }

    var string: String {
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
