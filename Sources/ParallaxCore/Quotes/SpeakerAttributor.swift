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

    init(corpus c: Corpus, entities: EntityAnalysis) {
        for (k, e) in entities.entities.enumerated() where e.type == .person {
            let parts = e.name.split(separator: " ")
            guard parts.count >= 2, let last = parts.last else { continue }
            let key = String(last)
            if let old = surnames[key], old != k { surnames[key] = -1 } else { surnames[key] = k }
        }
        for article in c.articles {
            for m in entities.mentionsByArticle[article.id] ?? [] where m.type == .person && m.entity >= 0 {
                let before = article.text.string(max(0, m.range.lowerBound - 48)..<m.range.lowerBound)
                guard let head = TitleMap.titleHead(before: before) else { continue }
                perArticle[article.id, default: [:]][head, default: [:]][m.entity, default: 0] += 1
                corpus[head, default: [:]][m.entity, default: 0] += 1
            }
        }
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
        var text: Substring
        var lower: String
        var range: Range<Int>
        var isWord: Bool
        var isCap: Bool
        var quote: Int?
    }

    enum NPKind { case mention(EntityMention), pronoun, descriptor(head: String?, relational: Bool), name }
    struct NP {
        var start: Int
        var end: Int  // token index after
        var kind: NPKind
        var text: String
        var isPersonish: Bool {
            switch kind {
            case .mention(let m): return m.type == .person
            case .pronoun, .descriptor: return true
            case .name: return false
            }
        }
    }

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

    func tokenize(_ paragraph: Range<Int>, quoteIndices: [Int]) -> [Tok] {
        var toks: [Tok] = []
        let str = article.text.string(paragraph)
        var qi = 0
        var offset = paragraph.lowerBound
        var wordStart: String.UnicodeScalarView.Index? = nil
        var wordOffset = 0
        let scalars = str.unicodeScalars
        var idx = scalars.startIndex
        func flushWord(_ end: String.UnicodeScalarView.Index, _ endOffset: Int) {
            guard let ws = wordStart else { return }
            var text = Substring(scalars[ws..<end])
            var r = wordOffset..<endOffset
            // Possessive ending as its own token.
            var poss: Tok? = nil
            for suffix in ["'s", "\u{2019}s"] where text.count > 2 && text.hasSuffix(suffix) {
                let base = text.dropLast(2)
                poss = Tok(text: text.suffix(2), lower: "'s", range: (r.upperBound - 2)..<r.upperBound, isWord: false, isCap: false, quote: nil)
                text = base
                r = r.lowerBound..<(r.upperBound - 2)
            }
            let lower = text.lowercased()
            toks.append(Tok(text: text, lower: lower, range: r, isWord: true, isCap: text.first?.isUppercase ?? false, quote: nil))
            if let poss { toks.append(poss) }
            wordStart = nil
        }
        while idx < scalars.endIndex {
            if qi < quoteIndices.count, offset == quotes[quoteIndices[qi]].outer.lowerBound {
                flushWord(idx, offset)
                let q = quotes[quoteIndices[qi]]
                let end = min(q.outer.upperBound, paragraph.upperBound)
                toks.append(Tok(text: "", lower: "\"", range: q.outer, isWord: false, isCap: false, quote: quoteIndices[qi]))
                let skip = end - offset
                idx = scalars.index(idx, offsetBy: skip, limitedBy: scalars.endIndex) ?? scalars.endIndex
                offset = end
                qi += 1
                continue
            }
            let s = scalars[idx]
            let isWordChar = s.isQuoteWordChar
            let next = scalars.index(after: idx)
            if isWordChar {
                if wordStart == nil { wordStart = idx; wordOffset = offset }
            } else if wordStart != nil && (s == "'" || s == "\u{2019}" || s == "-" || s == ".")
                && next < scalars.endIndex && scalars[next].isQuoteLetter {
                // inner apostrophe, hyphen or dotted abbreviation: stays in the word
            } else if wordStart != nil && s == "." && isAbbreviation(scalars[wordStart!..<idx]) {
                flushWordIncludingPeriod(&toks, scalars, wordStart!, next, wordOffset, offset + 1)
                wordStart = nil
                idx = next
                offset += 1
                continue
            } else {
                flushWord(idx, offset)
                if !(s.value <= 0x20 || (s.value >= 0x80 && s.properties.isWhitespace)) {
                    let t = Substring(String(s))
                    toks.append(Tok(text: t, lower: String(s), range: offset..<(offset + 1), isWord: false, isCap: false, quote: nil))
                }
            }
            idx = next
            offset += 1
        }
        flushWord(idx, offset)
        return toks
    }

    private func isAbbreviation(_ word: Substring.UnicodeScalarView) -> Bool {
        let w = String(word).lowercased()
        return SpeakerAttributor.abbreviations.contains(w) || (w.count == 1 && String(word).first!.isUppercase)
    }

    private func flushWordIncludingPeriod(
        _ toks: inout [Tok], _ scalars: String.UnicodeScalarView, _ start: String.UnicodeScalarView.Index,
        _ end: String.UnicodeScalarView.Index, _ from: Int, _ to: Int
    ) {
        let text = Substring(scalars[start..<end])
        toks.append(Tok(text: text, lower: text.lowercased(), range: from..<to, isWord: true, isCap: text.first?.isUppercase ?? false, quote: nil))
    }

    /// Token indices where sentences start.
    func sentenceStarts(_ toks: [Tok]) -> [Int] {
        var starts = [0]
        for (k, t) in toks.enumerated() {
            var ends = !t.isWord && t.quote == nil && (t.lower == "." || t.lower == "!" || t.lower == "?")
            if let q = t.quote {
                // A quotation ending with a full stop ends the sentence unless the text goes on in lower case.
                let last = article.text.string(max(quotes[q].range.lowerBound, quotes[q].range.upperBound - 2)..<quotes[q].range.upperBound)
                if last.contains(where: { $0 == "." || $0 == "!" || $0 == "?" }) {
                    let nt = k + 1 < toks.count ? toks[k + 1] : nil
                    ends = nt == nil || nt!.isCap || nt!.quote != nil
                }
            }
            if ends && k + 1 < toks.count { starts.append(k + 1) }
        }
        return starts
    }

    // MARK: Noun phrases

    func mention(at t: Tok) -> EntityMention? {
        var lo = 0, hi = mentions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if mentions[mid].range.lowerBound < t.range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        if lo < mentions.count, mentions[lo].range.lowerBound == t.range.lowerBound { return mentions[lo] }
        return nil
    }

    /// A noun phrase that starts at token `i` (titles before a name are skipped by the caller).
    func nounPhrase(_ toks: [Tok], _ i: Int, limit: Int) -> NP? {
        guard i < limit, toks[i].isWord else { return nil }
        let t = toks[i]
        if let m = mention(at: t) {
            var e = i + 1
            while e < limit, toks[e].range.upperBound <= m.range.upperBound { e += 1 }
            return NP(start: i, end: e, kind: .mention(m), text: m.text)
        }
        if t.lower == "he" || t.lower == "she" {
            return NP(start: i, end: i + 1, kind: .pronoun, text: String(t.text))
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
            let text = phrase(toks, i, e)
            let relational = t.lower != "the"
            let headWord = TitleMap.heads[toks[h].lower]
            return NP(start: i, end: e, kind: .descriptor(head: headWord, relational: relational), text: text)
        }
        if t.isCap {
            var e = i + 1
            while e < limit, toks[e].isWord, toks[e].isCap {
                // A title before a recognised name: the name is the phrase.
                if let m = mention(at: toks[e]), m.type == .person { return nil }
                e += 1
            }
            var s = i
            while s < e - 1, SpeakerAttributor.quantifiers.contains(toks[s].lower) { s += 1 }
            return NP(start: i, end: e, kind: .name, text: phrase(toks, s, e))
        }
        return nil
    }

    func phrase(_ toks: [Tok], _ a: Int, _ b: Int) -> String {
        guard a < b else { return "" }
        return article.text.string(toks[a].range.lowerBound..<toks[b - 1].range.upperBound)
    }

    func speaker(_ np: NP, _ toks: [Tok], evidence: String) -> Speaker {
        switch np.kind {
        case .mention(let m):
            if m.entity >= 0 && m.entity < entities.entities.count {
                return Speaker(entity: m.entity, name: entities.entities[m.entity].name, evidence: evidence)
            }
            return Speaker(entity: nil, name: m.text, evidence: evidence)
        case .pronoun:
            if let m = lastSubjectPerson(before: toks[np.start].range.lowerBound) {
                let name = m.entity >= 0 && m.entity < entities.entities.count ? entities.entities[m.entity].name : m.text
                return Speaker(entity: m.entity >= 0 ? m.entity : nil, name: name, evidence: evidence + "; '\(np.text)' = \(name), the last person named as a subject")
            }
            return Speaker(entity: nil, name: np.text, evidence: evidence)
        case .descriptor(let head, let relational):
            if !relational, let head, let e = titles.resolve(head, article: article.id) {
                let name = entities.entities[e].name
                return Speaker(entity: e, name: name, evidence: evidence + "; '\(np.text)' = \(name) by title")
            }
            return Speaker(entity: nil, name: np.text, evidence: evidence)
        case .name:
            // A surname alone ("said Patel") names the person given in full earlier in the article.
            let last = np.text.split(separator: " ").last.map(String.init) ?? np.text
            for m in mentions where m.type == .person && m.entity >= 0 && m.entity < entities.entities.count {
                let full = entities.entities[m.entity].name
                if full == np.text || full.split(separator: " ").last.map(String.init) == last {
                    return Speaker(entity: m.entity, name: full, evidence: evidence + "; '\(np.text)' = \(full)")
                }
            }
            if let e = titles.surnames[last], e >= 0 {
                let full = entities.entities[e].name
                return Speaker(entity: e, name: full, evidence: evidence + "; '\(np.text)' = \(full), named in another article")
            }
            return Speaker(entity: nil, name: np.text, evidence: evidence)
        }
    }

    /// The last PERSON mention outside quotations, before `offset`, that is in subject position.
    func lastSubjectPerson(before offset: Int) -> EntityMention? {
        var fallback: EntityMention? = nil
        var lo = 0, hi = mentions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if mentions[mid].range.lowerBound < offset { lo = mid + 1 } else { hi = mid }
        }
        var k = lo - 1
        var looked = 0
        while k >= 0 && looked < 200 {
            looked += 1
            let m = mentions[k]
            k -= 1
            if m.range.lowerBound >= offset || m.type != .person { continue }
            if insideQuote(m.range.lowerBound) { continue }
            if fallback == nil { fallback = m }
            if isSubjectPosition(m) { return m }
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

    /// Subject position from the raw text: not possessive, and preceded (past any title words) by
    /// the start of a sentence, punctuation, or a conjunction.
    func isSubjectPosition(_ m: EntityMention) -> Bool {
        let after = article.text.string(m.range.upperBound..<(m.range.upperBound + 2))
        if after == "'s" || after == "\u{2019}s" { return false }
        let before = article.text.string(max(0, m.range.lowerBound - 60)..<m.range.lowerBound)
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
        t.isWord && !t.isCap && (t.lower.hasSuffix("ly") || ["also", "later", "then", "again", "once", "first", "still"].contains(t.lower))
    }

    /// `"…," Hall said`, `"…," said Bauer`, `"…," he wrote`, `"…," Trump told Raffensperger`.
    func postCue(_ toks: [Tok], _ p: Int, _ sEnd: Int) -> Speaker? {
        var i = p + 1
        if i < sEnd, toks[i].lower == "," { i += 1 }
        guard i < sEnd else { return nil }
        if isSpeechVerb(toks[i]), let np = nounPhrase(toks, i + 1, limit: sEnd) {
            return speaker(np, toks, evidence: "'\(toks[i].text) \(np.text)' after the quote")
        }
        if let np = nounPhrase(toks, i, limit: sEnd) {
            var v = np.end
            if v < sEnd, isAdverb(toks[v]) { v += 1 }
            if v < sEnd, isSpeechVerb(toks[v]) {
                return speaker(np, toks, evidence: "'\(np.text) \(toks[v].text)' after the quote")
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
                    return speaker(np, toks, evidence: "'\(np.text) \(toks[v].text)' before the quote")
                }
                s -= 1
            }
            return nil
        }
        if colon, let np = nounPhrase(toks, sStart, limit: p), np.end == p - 1 {
            return speaker(np, toks, evidence: "'\(np.text):' before the quote")
        }
        return nil
    }

    /// "according to X" in the sentence, when X is a person or a person-like description.
    func accordingTo(_ toks: [Tok], _ sStart: Int, _ sEnd: Int) -> Speaker? {
        var i = sStart
        while i + 2 < sEnd {
            if toks[i].lower == "according", toks[i + 1].lower == "to", let np = nounPhrase(toks, i + 2, limit: sEnd), np.isPersonish {
                return speaker(np, toks, evidence: "'according to \(np.text)'")
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
                        return speaker(np, toks, evidence: "'\(np.text)', the subject of the sentence")
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
            return Speaker(entity: nil, name: np.text, evidence: "'\(np.text)', the subject of the sentence introducing the quote")
        }
        return nil
    }
}
