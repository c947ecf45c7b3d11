/// Titles seen right before person names ("President Donald Trump", "Gov. Brian Kemp"), per
/// article and corpus-wide, so "the president" or "the governor" resolves to a person.
struct TitleMap: Sendable {
    var perArticle: [String: [String: [Int: Int]]] = [:]
    var corpus: [String: [Int: Int]] = [:]

    static let heads: [String: String] = [
        "president": "president", "secretary": "secretary", "governor": "governor", "gov.": "governor",
        "senator": "senator", "sen.": "senator", "sens.": "senator", "representative": "representative",
        "rep.": "representative", "mayor": "mayor", "minister": "minister", "chancellor": "chancellor",
        "spokesman": "spokesman", "spokeswoman": "spokeswoman", "spokesperson": "spokesperson",
        "attorney": "attorney", "lawyer": "lawyer", "judge": "judge", "chief": "chief", "counsel": "counsel",
        "adviser": "adviser", "advisor": "adviser", "director": "director", "chairman": "chairman",
        "chairwoman": "chairwoman", "speaker": "speaker", "leader": "leader", "premier": "premier",
        "king": "king", "queen": "queen", "pope": "pope", "general": "general", "gen.": "general",
        "official": "official", "aide": "aide", "prosecutor": "prosecutor", "commissioner": "commissioner",
    ]

    /// Last word of a multi-word PERSON name → entity (-1 when two people share it).
    var surnames: [String: Int] = [:]
    /// Last word of each entity's canonical name (split at spaces), by entity index.
    var lastWords: [String?] = []

    init(corpus c: Corpus, entities: EntityAnalysis) {
        lastWords.reserveCapacity(entities.entities.count)
        for (k, e) in entities.entities.enumerated() {
            let parts = e.name.split(separator: " ")
            lastWords.append(parts.last.map(String.init))
            guard e.type == .person, parts.count >= 2, let last = parts.last else { continue }
            let key = String(last)
            if let old = surnames[key], old != k { surnames[key] = -1 } else { surnames[key] = k }
        }
        for article in c.articles {
            guard let mentions = entities.mentionsByArticle[article.id], !mentions.isEmpty else { continue }
            let text = article.text
            var local: [String: [Int: Int]] = [:]
            text.bytes.withUnsafeBufferPointer { buf in
                for k in mentions.indices where mentions[k].type == .person && mentions[k].entity >= 0 {
                    let start = mentions[k].range.lowerBound
                    let before = text.byteRange(text.clamp(max(0, start - 48)..<start))
                    guard let head = TitleMap.titleHead(buf, before) else { continue }
                    let entity = mentions[k].entity
                    local[head, default: [:]][entity, default: 0] += 1
                    corpus[head, default: [:]][entity, default: 0] += 1
                }
            }
            if local.isEmpty { continue }
            if perArticle[article.id] == nil {
                perArticle[article.id] = local
            } else {
                for (head, counts) in local {
                    for (entity, n) in counts { perArticle[article.id, default: [:]][head, default: [:]][entity, default: 0] += n }
                }
            }
        }
    }

    /// `titleHead(before:)` of the text in `bytes`, read from the bytes when they split into the
    /// same words.
    static func titleHead(_ buf: UnsafeBufferPointer<UInt8>, _ bytes: Range<Int>) -> String? {
        guard WordBytes.splitsLikeCharacters(buf, bytes) else {
            return titleHead(before: WordBytes.string(buf, bytes))
        }
        let isSeparator = { (b: UInt8) in b == 0x20 || b == 0x0A || b == 0x09 }
        var end = bytes.upperBound
        // Title words, nearest first: capitalised or "of", at most five.
        for k in 0..<5 {
            guard let w = WordBytes.wordBefore(buf, end, start: bytes.lowerBound, isSeparator),
                  WordBytes.firstIsUppercase(buf, w) || WordBytes.isOf(buf, w) else { return nil }
            end = w.lowerBound
            guard let h = heads[WordBytes.lowercased(buf, w)] else { continue }
            if h == "president" && k < 4, let v = WordBytes.wordBefore(buf, end, start: bytes.lowerBound, isSeparator),
               WordBytes.firstIsUppercase(buf, v) || WordBytes.isOf(buf, v), WordBytes.lowercased(buf, v) == "vice" {
                return "vice president"
            }
            return h
        }
        return nil
    }

    /// The role noun of the title words that end `text` ("Georgia Secretary of State " → "secretary").
    static func titleHead(before text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        var title: [String] = []
        for w in words.reversed() {
            let s = String(w)
            guard let f = s.first, f.isUppercase || s == "of" else { break }
            title.append(s.lowercased())
            if title.count >= 5 { break }
        }
        // title is reversed: nearest word first.
        for (k, w) in title.enumerated() {
            if let h = heads[w] {
                if h == "president" && k + 1 < title.count && title[k + 1] == "vice" { return "vice president" }
                return h
            }
        }
        return nil
    }

    /// `entities.entities[e].name.split(separator: " ").last` as a `String`.
    func lastWord(of e: Int, in entities: EntityAnalysis) -> String? {
        if e < lastWords.count { return lastWords[e] }
        return entities.entities[e].name.split(separator: " ").last.map(String.init)
    }

    func resolve(_ head: String, article: String) -> Int? {
        if let m = perArticle[article]?[head], let best = m.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) {
            return best.key
        }
        if let m = corpus[head], let best = m.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) { return best.key }
        return nil
    }
}

/// Attributes each quotation of an article to a speaker with a small sieve of rules:
/// a cue right after the quote ("…," Hall said / "…," said Bauer / "…," he wrote), a cue right
/// before it (Raffensperger responded: "…"), "according to X", a split quote or continuation
/// paragraph inheriting the previous quote's speaker, and finally the subject of the sentence
/// (the first person in subject position, so "X told Y" gives X and "X said that Y …" gives X).
/// Pronouns resolve to the last person named in subject position; descriptors ("the president")
/// through the titles seen before names.
struct SpeakerAttributor {
    let article: Article
    let quotes: [RawQuote]
    let mentions: [EntityMention]
    let entities: EntityAnalysis
    let titles: TitleMap

    struct Result {
        var speakers: [Speaker?]
        /// Pairs of quote indices that are parts of one quotation (split quotes, continued paragraphs).
        var splitTies: [(Int, Int)]
    }

    struct Tok {
        var lower: String
        var range: Range<Int>
        var isWord: Bool
        var isCap: Bool
        var quote: Int?
    }

    /// `.mention` holds an index into `mentions`.
    enum NPKind { case mention(Int), pronoun, descriptor(head: String?, relational: Bool), name }
    struct NP {
        var start: Int
        var end: Int  // token index after
        var kind: NPKind
        var isPersonish: Bool
        /// Scalar range of the phrase's text (for a mention, its text is the mention's own).
        var textRange: Range<Int>
    }

    /// Subject-position answers per mention index (0 unknown, 1 no, 2 yes), filled on demand.
    final class SubjectCache {
        var answers: [UInt8] = []
    }
    let subjectCache = SubjectCache()

    static let speechVerbs: Set<String> = Set("""
        said says say told tells tell wrote writes tweeted tweets responded responds replied replies stated states \
        added adds continued continues argued argues explained explains insisted insists noted notes recalled warned \
        declared remarked asked asks posted stressed stresses claimed claims answered answers shouted announced \
        confirmed admitted conceded suggested urged cautioned writing saying adding telling asking responding \
        replying tweeting stating arguing insisting noting warning declaring claiming answering
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    static let introducers: Set<String> = Set("""
        and but or that where when while because if as so then although though after since also still even which \
        who before once until whether
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    static let roleNouns: Set<String> = Set("""
        president secretary governor official officials senator spokesman spokeswoman spokesperson source sources \
        aide aides adviser advisor lawyer attorney minister mayor chief lawmaker candidate leader director \
        representative congressman congresswoman judge officer counsel prosecutor commissioner chairman \
        chairwoman speaker premier person people witness analyst expert
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    static let determiners: Set<String> = ["the", "a", "an", "his", "her", "their", "its", "one", "another"]
    static let quantifiers: Set<String> = ["more", "some", "many", "several", "other", "most", "few", "the", "a", "an", "both", "all"]
    static let abbreviations: Set<String> = Set("""
        mr mrs ms dr prof gov sen sens rep reps gen lt col st jr sr jan feb mar apr jun jul aug sep sept oct nov dec \
        vs no inc corp co ltd u.s u.k
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    static let adverbs: Set<String> = ["also", "later", "then", "again", "once", "first", "still"]

    func run() -> Result {
        var speakers = [Speaker?](repeating: nil, count: quotes.count)
        var ties: [(Int, Int)] = []
        var byParagraph: [(Range<Int>, [Int])] = []
        for (k, q) in quotes.enumerated() {
            if let last = byParagraph.last, last.0 == q.paragraph {
                byParagraph[byParagraph.count - 1].1.append(k)
            } else {
                byParagraph.append((q.paragraph, [k]))
            }
        }
        for (paragraph, indices) in byParagraph {
            let toks = tokenize(paragraph, quoteIndices: indices)
            let sentences = sentenceStarts(toks)
            for k in indices {
                guard let p = toks.firstIndex(where: { $0.quote == k }) else { continue }
                let sStart = sentences.last(where: { $0 <= p }) ?? 0
                let sEnd = sentences.first(where: { $0 > p }) ?? toks.count
                if let s = postCue(toks, p, sEnd) ?? preCue(toks, p, sStart) ?? accordingTo(toks, sStart, sEnd) {
                    speakers[k] = s
                    continue
                }
                // A quote opening its sentence continues the previous quote of the paragraph (split quote),
                // or the quotation left open by the previous paragraph.
                if p == sStart || quotes[k].continues {
                    if quotes[k].continues, k > 0, let prev = speakers[k - 1] {
                        speakers[k] = Speaker(entity: prev.entity, name: prev.name, evidence: "continues the quotation of the previous paragraph")
                        ties.append((k - 1, k))
                        continue
                    }
                    if let prevIndex = indices.last(where: { $0 < k }), let prev = speakers[prevIndex] {
                        speakers[k] = Speaker(entity: prev.entity, name: prev.name, evidence: "split quotation: same speaker as the part before")
                        ties.append((prevIndex, k))
                        continue
                    }
                }
                if let s = subject(toks, sStart, p) {
                    speakers[k] = s
                }
            }
        }
        return Result(speakers: speakers, splitTies: ties)
    }

    // MARK: Tokens

    /// Words (with an inner apostrophe, hyphen or dot, and a possessive ending as a token of its
    /// own), single punctuation marks, and one token per quotation, read from the UTF-8 bytes.
    func tokenize(_ paragraph: Range<Int>, quoteIndices: [Int]) -> [Tok] {
        let text = article.text
        let bytes = text.byteRange(text.clamp(paragraph))
        var toks: [Tok] = []
        toks.reserveCapacity(bytes.count / 5 + 4)
        text.bytes.withUnsafeBufferPointer { buf in
            let endByte = bytes.upperBound
            var qi = 0
            var offset = paragraph.lowerBound
            var i = bytes.lowerBound
            var wordStart = -1  // byte offset of the word being read, or -1
            var wordOffset = 0

            func flushWord(_ end: Int, _ endOffset: Int) {
                guard wordStart >= 0 else { return }
                var w = wordStart..<end
                var r = wordOffset..<endOffset
                wordStart = -1
                // Possessive ending as its own token.
                var poss: Tok? = nil
                if WordBytes.isSimple(buf, w) {
                    // One Character per scalar: counts and suffixes can be read from the bytes.
                    if r.count > 2 && buf[w.upperBound - 2] == 0x27 && buf[w.upperBound - 1] == 0x73 {
                        poss = Tok(lower: "'s", range: (r.upperBound - 2)..<r.upperBound, isWord: false, isCap: false, quote: nil)
                        w = w.lowerBound..<(w.upperBound - 2)
                        r = r.lowerBound..<(r.upperBound - 2)
                    }
                    if r.count > 2 && w.count >= 4 && buf[w.upperBound - 4] == 0xE2 && buf[w.upperBound - 3] == 0x80
                        && buf[w.upperBound - 2] == 0x99 && buf[w.upperBound - 1] == 0x73 {
                        poss = Tok(lower: "'s", range: (r.upperBound - 2)..<r.upperBound, isWord: false, isCap: false, quote: nil)
                        w = w.lowerBound..<(w.upperBound - 4)
                        r = r.lowerBound..<(r.upperBound - 2)
                    }
                    let b0 = buf[w.lowerBound]
                    toks.append(Tok(lower: WordBytes.simpleLowercased(buf, w), range: r, isWord: true, isCap: b0 >= 0x41 && b0 <= 0x5A, quote: nil))
                } else {
                    let word = WordBytes.string(buf, w)
                    var text = Substring(word)
                    for suffix in ["'s", "\u{2019}s"] where text.count > 2 && text.hasSuffix(suffix) {
                        poss = Tok(lower: "'s", range: (r.upperBound - 2)..<r.upperBound, isWord: false, isCap: false, quote: nil)
                        text = text.dropLast(2)
                        r = r.lowerBound..<(r.upperBound - 2)
                    }
                    toks.append(Tok(lower: text.lowercased(), range: r, isWord: true, isCap: text.first?.isUppercase ?? false, quote: nil))
                }
                if let poss { toks.append(poss) }
            }

            while i < endByte {
                if qi < quoteIndices.count, offset == quotes[quoteIndices[qi]].outer.lowerBound {
                    flushWord(i, offset)
                    let q = quotes[quoteIndices[qi]]
                    let end = min(q.outer.upperBound, paragraph.upperBound)
                    toks.append(Tok(lower: "\"", range: q.outer, isWord: false, isCap: false, quote: quoteIndices[qi]))
                    let skip = end - offset
                    if text.isASCII {
                        i = min(i + skip, endByte)
                    } else {
                        var n = 0
                        while n < skip && i < endByte {
                            i += WordBytes.sequenceLength(buf[i])
                            n += 1
                        }
                    }
                    offset = end
                    qi += 1
                    continue
                }
                let (s, len) = TextBuffer.decodeScalar(buf, at: i)
                let next = i + len
                if s.isQuoteWordChar {
                    if wordStart < 0 { wordStart = i; wordOffset = offset }
                } else if wordStart >= 0 && (s == "'" || s == "\u{2019}" || s == "-" || s == ".")
                    && next < endByte && TextBuffer.decodeScalar(buf, at: next).0.isQuoteLetter {
                    // inner apostrophe, hyphen or dotted abbreviation: stays in the word
                } else if wordStart >= 0 && s == "." && isAbbreviation(buf, wordStart..<i) {
                    let w = wordStart..<next
                    let cap = WordBytes.firstIsUppercase(buf, w)
                    toks.append(Tok(lower: WordBytes.lowercased(buf, w), range: wordOffset..<(offset + 1), isWord: true, isCap: cap, quote: nil))
                    wordStart = -1
                } else {
                    flushWord(i, offset)
                    let v = s.value
                    if !(v <= 0x20 || (v >= 0x80 && WordBytes.isNonASCIIWhitespace(v))) {
                        toks.append(Tok(lower: String(s), range: offset..<(offset + 1), isWord: false, isCap: false, quote: nil))
                    }
                }
                i = next
                offset += 1
            }
            flushWord(i, offset)
        }
        return toks
    }

    private func isAbbreviation(_ buf: UnsafeBufferPointer<UInt8>, _ word: Range<Int>) -> Bool {
        if WordBytes.isSimple(buf, word) {
            if word.count <= 4 && SpeakerAttributor.abbreviations.contains(WordBytes.simpleLowercased(buf, word)) { return true }
            let b = buf[word.lowerBound]
            return word.count == 1 && b >= 0x41 && b <= 0x5A
        }
        let w = WordBytes.string(buf, word)
        return SpeakerAttributor.abbreviations.contains(w.lowercased()) || (w.count == 1 && w.first!.isUppercase)
    }

    /// Token indices where sentences start.
    func sentenceStarts(_ toks: [Tok]) -> [Int] {
        var starts = [0]
        for (k, t) in toks.enumerated() {
            var ends = !t.isWord && t.quote == nil && (t.lower == "." || t.lower == "!" || t.lower == "?")
            if let q = t.quote {
                // A quotation ending with a full stop ends the sentence unless the text goes on in lower case.
                if endsWithStop(quotes[q].range) {
                    let nt = k + 1 < toks.count ? toks[k + 1] : nil
                    ends = nt == nil || nt!.isCap || nt!.quote != nil
                }
            }
            if ends && k + 1 < toks.count { starts.append(k + 1) }
        }
        return starts
    }

    /// Whether one of the last two characters of the range is ".", "!" or "?".
    private func endsWithStop(_ range: Range<Int>) -> Bool {
        let text = article.text
        let r = text.byteRange(text.clamp(max(range.lowerBound, range.upperBound - 2)..<range.upperBound))
        return text.bytes.withUnsafeBufferPointer { buf in
            var ascii = true
            var stop = false
            for i in r {
                let b = buf[i]
                if b >= 0x80 { ascii = false; break }
                if b == 0x2E || b == 0x21 || b == 0x3F { stop = true }
            }
            if ascii { return stop }
            // A combining mark could make the stop part of a longer Character.
            return WordBytes.string(buf, r).contains(where: { $0 == "." || $0 == "!" || $0 == "?" })
        }
    }

    // MARK: Noun phrases

    /// Index of the mention that starts where the token starts.
    func mention(at t: Tok) -> Int? {
        var lo = 0, hi = mentions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if mentions[mid].range.lowerBound < t.range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        if lo < mentions.count, mentions[lo].range.lowerBound == t.range.lowerBound { return lo }
        return nil
    }

    /// A noun phrase that starts at token `i` (titles before a name are skipped by the caller).
    func nounPhrase(_ toks: [Tok], _ i: Int, limit: Int) -> NP? {
        guard i < limit, toks[i].isWord else { return nil }
        let t = toks[i]
        if let m = mention(at: t) {
            var e = i + 1
            let upper = mentions[m].range.upperBound
            while e < limit, toks[e].range.upperBound <= upper { e += 1 }
            return NP(start: i, end: e, kind: .mention(m), isPersonish: mentions[m].type == .person, textRange: mentions[m].range)
        }
        if t.lower == "he" || t.lower == "she" {
            return NP(start: i, end: i + 1, kind: .pronoun, isPersonish: true, textRange: t.range)
        }
        if SpeakerAttributor.determiners.contains(t.lower) {
            var e = i + 1
            var head: Int? = nil
            while e < limit, e <= i + 4, toks[e].isWord {
                if SpeakerAttributor.roleNouns.contains(toks[e].lower) { head = e }
                else if head != nil { break }
                if SpeakerAttributor.speechVerbs.contains(toks[e].lower) { break }
                e += 1
            }
            guard let h = head else { return nil }
            e = h + 1
            // "of state", "of staff", "familiar with the conversation"
            if e + 1 < limit, toks[e].lower == "of", toks[e + 1].isWord, !SpeakerAttributor.speechVerbs.contains(toks[e + 1].lower) {
                e += 2
            } else if e < limit, toks[e].lower == "familiar" || toks[e].lower == "close" {
                e += 1
                while e < limit, e < h + 7, toks[e].isWord, !SpeakerAttributor.speechVerbs.contains(toks[e].lower) { e += 1 }
            }
            let relational = t.lower != "the"
            let headWord = TitleMap.heads[toks[h].lower]
            return NP(start: i, end: e, kind: .descriptor(head: headWord, relational: relational), isPersonish: true, textRange: phraseRange(toks, i, e))
        }
        if t.isCap {
            var e = i + 1
            while e < limit, toks[e].isWord, toks[e].isCap {
                // A title before a recognised name: the name is the phrase.
                if let m = mention(at: toks[e]), mentions[m].type == .person { return nil }
                e += 1
            }
            var s = i
            while s < e - 1, SpeakerAttributor.quantifiers.contains(toks[s].lower) { s += 1 }
            return NP(start: i, end: e, kind: .name, isPersonish: false, textRange: phraseRange(toks, s, e))
        }
        return nil
    }

    func phraseRange(_ toks: [Tok], _ a: Int, _ b: Int) -> Range<Int> {
        guard a < b else { return 0..<0 }
        return toks[a].range.lowerBound..<toks[b - 1].range.upperBound
    }

    /// The words of a noun phrase as written.
    func text(_ np: NP) -> String {
        if case .mention(let m) = np.kind { return mentions[m].text }
        return np.textRange.isEmpty ? "" : article.text.string(np.textRange)
    }

    func text(_ t: Tok) -> String { article.text.string(t.range) }

    func speaker(_ np: NP, _ toks: [Tok], evidence: String) -> Speaker {
        let npText = text(np)
        switch np.kind {
        case .mention(let k):
            let m = mentions[k]
            if m.entity >= 0 && m.entity < entities.entities.count {
                return Speaker(entity: m.entity, name: entities.entities[m.entity].name, evidence: evidence)
            }
            return Speaker(entity: nil, name: m.text, evidence: evidence)
        case .pronoun:
            if let k = lastSubjectPerson(before: toks[np.start].range.lowerBound) {
                let m = mentions[k]
                let name = m.entity >= 0 && m.entity < entities.entities.count ? entities.entities[m.entity].name : m.text
                return Speaker(entity: m.entity >= 0 ? m.entity : nil, name: name, evidence: evidence + "; '\(npText)' = \(name), the last person named as a subject")
            }
            return Speaker(entity: nil, name: npText, evidence: evidence)
        case .descriptor(let head, let relational):
            if !relational, let head, let e = titles.resolve(head, article: article.id) {
                let name = entities.entities[e].name
                return Speaker(entity: e, name: name, evidence: evidence + "; '\(npText)' = \(name) by title")
            }
            return Speaker(entity: nil, name: npText, evidence: evidence)
        case .name:
            // A surname alone ("said Patel") names the person given in full earlier in the article.
            let last = npText.split(separator: " ").last.map(String.init) ?? npText
            for k in mentions.indices where mentions[k].type == .person && mentions[k].entity >= 0 && mentions[k].entity < entities.entities.count {
                let e = mentions[k].entity
                let full = entities.entities[e].name
                if full == npText || titles.lastWord(of: e, in: entities) == last {
                    return Speaker(entity: e, name: full, evidence: evidence + "; '\(npText)' = \(full)")
                }
            }
            if let e = titles.surnames[last], e >= 0 {
                let full = entities.entities[e].name
                return Speaker(entity: e, name: full, evidence: evidence + "; '\(npText)' = \(full), named in another article")
            }
            return Speaker(entity: nil, name: npText, evidence: evidence)
        }
    }

    /// Index of the last PERSON mention outside quotations, before `offset`, that is in subject position.
    func lastSubjectPerson(before offset: Int) -> Int? {
        var fallback: Int? = nil
        var lo = 0, hi = mentions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if mentions[mid].range.lowerBound < offset { lo = mid + 1 } else { hi = mid }
        }
        var k = lo - 1
        var looked = 0
        while k >= 0 && looked < 200 {
            looked += 1
            let m = k
            k -= 1
            if mentions[m].range.lowerBound >= offset || mentions[m].type != .person { continue }
            if insideQuote(mentions[m].range.lowerBound) { continue }
            if fallback == nil { fallback = m }
            if isSubjectPosition(mention: m) { return m }
        }
        return fallback
    }

    func insideQuote(_ offset: Int) -> Bool {
        var lo = 0, hi = quotes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if quotes[mid].outer.upperBound <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo < quotes.count && quotes[lo].outer.contains(offset)
    }

    /// `isSubjectPosition` of `mentions[k]`, computed once per mention.
    func isSubjectPosition(mention k: Int) -> Bool {
        if subjectCache.answers.isEmpty { subjectCache.answers = [UInt8](repeating: 0, count: mentions.count) }
        let known = subjectCache.answers[k]
        if known != 0 { return known == 2 }
        let answer = isSubjectPosition(mentions[k].range)
        subjectCache.answers[k] = answer ? 2 : 1
        return answer
    }

    /// Subject position from the raw text: not possessive, and preceded (past any title words) by
    /// the start of a sentence, punctuation, or a conjunction.
    func isSubjectPosition(_ range: Range<Int>) -> Bool {
        let text = article.text
        let after = text.byteRange(text.clamp(range.upperBound..<(range.upperBound + 2)))
        let before = text.byteRange(text.clamp(max(0, range.lowerBound - 60)..<range.lowerBound))
        return text.bytes.withUnsafeBufferPointer { buf in
            // Possessive: "'s" or "’s" right after the name.
            if after.count == 2 && buf[after.lowerBound] == 0x27 && buf[after.lowerBound + 1] == 0x73 { return false }
            if after.count == 4 && buf[after.lowerBound] == 0xE2 && buf[after.lowerBound + 1] == 0x80
                && buf[after.lowerBound + 2] == 0x99 && buf[after.lowerBound + 3] == 0x73 { return false }
            if before.isEmpty { return true }
            guard WordBytes.splitsLikeCharacters(buf, before) else {
                return SpeakerAttributor.isSubjectPosition(before: WordBytes.string(buf, before))
            }
            if buf[before.upperBound - 1] == 0x0A { return true }
            let isSeparator = { (b: UInt8) in b == 0x20 || b == 0x09 }
            var end = before.upperBound
            while true {
                guard let w = WordBytes.wordBefore(buf, end, start: before.lowerBound, isSeparator) else { return true }
                if WordBytes.firstIsUppercase(buf, w) || WordBytes.isOf(buf, w) {
                    // Title words: skipped, unless punctuation ends them.
                    if let l = WordBytes.lastASCII(buf, w) {
                        if l == 0x2C || l == 0x3B || l == 0x3A { return true }
                    } else if let l = WordBytes.string(buf, w).last, l == "," || l == ";" || l == ":" {
                        return true
                    }
                    end = w.lowerBound
                    continue
                }
                if let l = WordBytes.lastASCII(buf, w) {
                    let alnum = (l >= 0x61 && l <= 0x7A) || (l >= 0x41 && l <= 0x5A) || (l >= 0x30 && l <= 0x39)
                    if !alnum { return true }
                } else if let l = WordBytes.string(buf, w).last, !(l.isLetter || l.isNumber) {
                    return true
                }
                if buf[w].contains(0x0A) { return true }
                return SpeakerAttributor.introducers.contains(WordBytes.lowercased(buf, w))
            }
        }
    }

    /// The text rule of `isSubjectPosition` on the `String` before the mention (possessives already excluded).
    static func isSubjectPosition(before: String) -> Bool {
        var words = before.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if before.last == "\n" || before.isEmpty { return true }
        while let w = words.last, let f = w.first, f.isUppercase || w == "of" {
            if w.last == "," || w.last == ";" || w.last == ":" { return true }
            words.removeLast()
        }
        guard let w = words.last else { return true }
        if let l = w.last, !(l.isLetter || l.isNumber) { return true }
        if w.contains("\n") { return true }
        return SpeakerAttributor.introducers.contains(w.lowercased())
    }

    // MARK: Rules

    private func isSpeechVerb(_ t: Tok) -> Bool { t.isWord && SpeakerAttributor.speechVerbs.contains(t.lower) }
    private func isAdverb(_ t: Tok) -> Bool {
        t.isWord && !t.isCap && (t.lower.hasSuffix("ly") || SpeakerAttributor.adverbs.contains(t.lower))
    }

    /// `"…," Hall said`, `"…," said Bauer`, `"…," he wrote`, `"…," Trump told Raffensperger`.
    func postCue(_ toks: [Tok], _ p: Int, _ sEnd: Int) -> Speaker? {
        var i = p + 1
        if i < sEnd, toks[i].lower == "," { i += 1 }
        guard i < sEnd else { return nil }
        if isSpeechVerb(toks[i]), let np = nounPhrase(toks, i + 1, limit: sEnd) {
            return speaker(np, toks, evidence: "'\(text(toks[i])) \(text(np))' after the quote")
        }
        if let np = nounPhrase(toks, i, limit: sEnd) {
            var v = np.end
            if v < sEnd, isAdverb(toks[v]) { v += 1 }
            if v < sEnd, isSpeechVerb(toks[v]) {
                return speaker(np, toks, evidence: "'\(text(np)) \(text(toks[v]))' after the quote")
            }
        }
        return nil
    }

    /// `Raffensperger responded: "…"`, `Trump also said, "…"`, `Hall: "…"`.
    func preCue(_ toks: [Tok], _ p: Int, _ sStart: Int) -> Speaker? {
        var k = p - 1
        guard k >= sStart, toks[k].lower == ":" || toks[k].lower == "," else { return nil }
        let colon = toks[k].lower == ":"
        k -= 1
        // The speech verb, possibly followed by a few words ("said during the call:").
        var v = k
        while v >= sStart, v > k - 5, toks[v].isWord, !isSpeechVerb(toks[v]) { v -= 1 }
        if v >= sStart, isSpeechVerb(toks[v]) {
            var n = v - 1
            if n >= sStart, isAdverb(toks[n]) { n -= 1 }
            // Find the noun phrase that ends at n.
            var s = n
            while s >= sStart, s > n - 8 {
                if let np = nounPhrase(toks, s, limit: n + 1), np.end == n + 1 {
                    return speaker(np, toks, evidence: "'\(text(np)) \(text(toks[v]))' before the quote")
                }
                s -= 1
            }
            return nil
        }
        if colon, let np = nounPhrase(toks, sStart, limit: p), np.end == p - 1 {
            return speaker(np, toks, evidence: "'\(text(np)):' before the quote")
        }
        return nil
    }

    /// "according to X" in the sentence, when X is a person or a person-like description.
    func accordingTo(_ toks: [Tok], _ sStart: Int, _ sEnd: Int) -> Speaker? {
        var i = sStart
        while i + 2 < sEnd {
            if toks[i].lower == "according", toks[i + 1].lower == "to", let np = nounPhrase(toks, i + 2, limit: sEnd), np.isPersonish {
                return speaker(np, toks, evidence: "'according to \(text(np))'")
            }
            i += 1
        }
        return nil
    }

    /// The first person named in subject position in the sentence before the quote.
    func subject(_ toks: [Tok], _ sStart: Int, _ p: Int) -> Speaker? {
        var i = sStart
        var firstOther: NP? = nil
        while i < p {
            if let np = nounPhrase(toks, i, limit: p) {
                // Skip title words before the name ("Councilman", "Secretary of State").
                var b = np.start - 1
                while b >= sStart, toks[b].isWord, toks[b].isCap || (toks[b].lower == "of" && b > sStart && toks[b - 1].isCap) { b -= 1 }
                let prev = b >= sStart ? toks[b] : nil
                let subjectPosition =
                    prev == nil || !prev!.isWord || SpeakerAttributor.introducers.contains(prev!.lower)
                let possessive = np.end < toks.count && toks[np.end].lower == "'s"
                if subjectPosition && !possessive {
                    let speaks = np.end < p && isSpeechVerb(toks[np.end])
                    if np.isPersonish || (speaks && { if case .name = np.kind { return true } else { return false } }()) {
                        return speaker(np, toks, evidence: "'\(text(np))', the subject of the sentence")
                    }
                    if firstOther == nil, case .name = np.kind { firstOther = np }
                    if firstOther == nil, case .mention = np.kind { firstOther = np }
                }
                i = max(np.end, i + 1)
                // Skip names run on from titles ("Secretary of State Brad Raffensperger").
                continue
            }
            i += 1
        }
        // A group or organisation introducing the quotation with a colon ("House Republicans … results: “…”").
        if let np = firstOther, p > sStart, toks[p - 1].lower == ":" {
            let name = text(np)
            return Speaker(entity: nil, name: name, evidence: "'\(name)', the subject of the sentence introducing the quote")
        }
        return nil
    }
}
