/// What the attribution stage says of one raw quotation.
public struct Attribution: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A quotation of what someone said or wrote.
        case direct
        /// A short quoted term with no cue: a scare quote.
        case scare
        /// A short title-case phrase with no cue: the title of a show, book or film, not a quotation.
        case title
    }

    public var kind: Kind
    public var speaker: Speaker?
}

/// Attributes each quotation of an article to a speaker, reading the article's tokens.
///
/// The cue is a reporting verb of the lexicon (any inflection), "according to", a colon or a
/// dash. Tried in order: a cue right after the quotation (`"…," said Sen. Jane Doe (D-Maine)`,
/// `"…," Mr. Smith, who chairs the panel, said`, `"…" ― Jane Doe`), a cue right before it
/// (`Raffensperger responded: "…"`), a colon after a name (`Hall: "…"`), "according to X", then
/// the nearest reporting verb elsewhere in the sentence (`Cruz called Trump a "pathological
/// liar"`). The speaker is the noun phrase the cue governs: titles, honorifics, role nouns and
/// possessors are kept in the phrase but the name is its head ("the company's lawyer John Smith"
/// is John Smith); appositions and party tags between the name and the verb are skipped. Without a
/// cue, a quotation continues the previous one of its paragraph (a split quotation), the one left
/// open by the previous paragraph, or the last attribution of the previous paragraph; a nested
/// quotation inherits its outer one's speaker. Pronouns resolve to the most recent person of the
/// same sex in subject position; descriptions ("the governor") to the person the corpus names
/// with that role. Short quoted terms with no cue are scare quotes, and title-case ones titles.
public struct AttributeSpeakers: Sendable {
    public var lexicon: Lexicon
    public var gazetteer: Gazetteer

    public init(lexicon: Lexicon = .english, gazetteer: Gazetteer = .shared) {
        self.lexicon = lexicon
        self.gazetteer = gazetteer
    }

    /// The attributions of `raw` (from `ExtractQuotes`) in `doc`, one per raw quotation.
    public func run(doc: Doc, raw: [RawQuote], entities: EntityAnalysis, facts: PersonFacts) -> [Attribution] {
        guard !raw.isEmpty else { return [] }
        var worker = DocAttribution(
            doc: doc, raw: raw, mentions: entities.mentionsByArticle[doc.article.id] ?? [], entities: entities,
            facts: facts, lexicon: lexicon, gazetteer: gazetteer)
        return worker.run()
    }
}

/// A noun phrase naming a (possible) speaker.
struct SpeakerPhrase {
    enum Kind { case pronoun, mention(Int), name, description }
    var tokens: Range<Int>
    var head: Int
    var kind: Kind
}

/// Keys of the few words the attribution rules name.
private enum Word {
    static let that = TokenKey.hash("that"), who = TokenKey.hash("who"), which = TokenKey.hash("which")
    static let of = TokenKey.hash("of"), the = TokenKey.hash("the"), to = TokenKey.hash("to"), `as` = TokenKey.hash("as")
    static let her = TokenKey.hash("her"), a = TokenKey.hash("a"), an = TokenKey.hash("an")
    static let comma = TokenKey.hash(","), colon = TokenKey.hash(":"), openParen = TokenKey.hash("("), closeParen = TokenKey.hash(")")
    static let period = TokenKey.hash("."), bang = TokenKey.hash("!"), question = TokenKey.hash("?"), semicolon = TokenKey.hash(";")
    static let hyphen = TokenKey.hash("-"), equals = TokenKey.hash("=")
    static let belongsTo: Set<UInt64> = Set(["of", "from", "for", "by", "at", "with"].map { TokenKey.hash($0) })
    static let dashes: Set<UInt64> = [TokenKey.hash("\u{2014}"), TokenKey.hash("\u{2015}"), TokenKey.hash("\u{2013}"), TokenKey.hash("-")]
}

/// What the attribution reads of an entity mention (the mention itself holds strings that are
/// costly to copy in the hot loops).
struct MentionSpan {
    var tokens: Range<Int>
    var type: EntityType
    var entity: EntityID?
}

struct DocAttribution {
    let doc: Doc
    let raw: [RawQuote]
    /// The article's mentions, for their text; `mentions` holds what the rules read.
    let fullMentions: [EntityMention]
    let mentions: [MentionSpan]
    let entities: EntityAnalysis
    let facts: PersonFacts
    let lexicon: Lexicon
    let gazetteer: Gazetteer
    /// Innermost quotation (index into `raw`) holding each token, marks included; -1 outside.
    var quoteOf: [Int32]
    /// Mention (index into `mentions`) covering each token; -1 for none.
    var mentionOf: [Int32]
    /// Speakers found so far, by raw quote, and the token where their cue sits.
    var speakers: [Speaker?]
    var cueAt: [Int]

    init(doc: Doc, raw: [RawQuote], mentions: [EntityMention], entities: EntityAnalysis, facts: PersonFacts, lexicon: Lexicon, gazetteer: Gazetteer) {
        self.doc = doc
        self.raw = raw
        self.fullMentions = mentions
        self.mentions = mentions.map { MentionSpan(tokens: $0.tokens, type: $0.type, entity: $0.entity) }
        self.entities = entities
        self.facts = facts
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        var q = [Int32](repeating: -1, count: doc.tokens.count)
        for (k, r) in raw.enumerated() {
            let end = r.closeMark?.upperBound ?? r.tokens.upperBound
            for i in r.openMark.lowerBound..<min(end, q.count) { q[i] = Int32(k) }
        }
        quoteOf = q
        var m = [Int32](repeating: -1, count: doc.tokens.count)
        for (k, mention) in mentions.enumerated() {
            for i in mention.tokens where i < m.count { m[i] = Int32(k) }
        }
        mentionOf = m
        speakers = [Speaker?](repeating: nil, count: raw.count)
        cueAt = [Int](repeating: -1, count: raw.count)
    }

    var tokens: [Token] { doc.tokens }

    // MARK: Word tests

    @inline(__always) func inQuote(_ i: Int) -> Bool { quoteOf[i] >= 0 }
    @inline(__always) func isPunct(_ i: Int, _ key: UInt64) -> Bool { tokens[i].kind == .punct && tokens[i].key == key }
    @inline(__always) func wordClass(_ i: Int) -> Lexicon.WordClass? {
        tokens[i].kind == .punct ? nil : lexicon.wordClass(tokens[i].key)
    }
    func isCapitalised(_ i: Int) -> Bool { tokens[i].kind != .punct && tokens[i].has(.capitalised) }
    func isLowerWord(_ i: Int) -> Bool { tokens[i].kind == .word && tokens[i].has(.lowercase) }
    func isPossessive(_ i: Int) -> Bool { tokens[i].kind == .punct && tokens[i].has(.possessive) }
    func isDash(_ i: Int) -> Bool { tokens[i].kind == .punct && Word.dashes.contains(tokens[i].key) }
    func personWord(_ i: Int) -> Lexicon.PersonWord? {
        tokens[i].kind == .punct ? nil : lexicon.personWord(tokens[i].key)
    }
    /// An adverb, auxiliary or negation that can sit between a subject and its verb.
    func isVerbModifier(_ i: Int) -> Bool {
        guard tokens[i].kind == .word, !tokens[i].has(.capitalised) || tokens[i].has(.sentenceStart) else { return false }
        if let c = wordClass(i), c == .adv || c == .aux || c == .neg { return true }
        return tokens[i].length > 4 && doc.token(i, endsWith: "ly") && lexicon.verb(tokens[i].key) == nil
    }

    /// A reporting verb used as a verb at token `i`: lower case (or first in its sentence), not
    /// inside a quotation, not after a determiner or possessive (the noun "call" of "the call"),
    /// with its particle when it needs one.
    func cueVerb(_ i: Int) -> Lexicon.Verb? {
        guard i >= 0, i < tokens.count, tokens[i].kind == .word, !inQuote(i) else { return nil }
        guard let v = lexicon.verb(tokens[i].key) else { return nil }
        if tokens[i].has(.capitalised) && !tokens[i].has(.sentenceStart) { return nil }
        if let p = v.particle {
            guard i + 1 < tokens.count, tokens[i + 1].key == p else { return nil }
        }
        if i > 0, !tokens[i].has(.lineStart) {
            let j = i - 1
            if isPossessive(j) { return nil }
            // ("that" before a verb is a relative pronoun: "a letter that says".)
            if let c = wordClass(j), c == .det || c == .quant, !doc.token(j, is: Word.that) { return nil }
            if tokens[j].kind != .punct, let p = lexicon.pronoun(tokens[j].key), p.grammaticalCase == .possessive,
                tokens[j].key != Word.her
            {
                return nil
            }
            // A name used as a modifier ("a Donald Trump tweet", "Republican claims"): a noun.
            if mentionOf[j] >= 0 {
                let m = mentions[Int(mentionOf[j])]
                let before = m.tokens.lowerBound - 1
                if m.type == .norp && !doc.token(j, endsWith: "s") { return nil }
                if m.type == .person, before >= 0, doc.token(before, is: Word.a) || doc.token(before, is: Word.an) { return nil }
            }
        }
        return v
    }

    // MARK: Noun phrases

    /// The noun phrase that ends at token `end0` (reading leftwards), skipping adverbs and
    /// auxiliaries before a verb, then a parenthetical ("(D-Maine)") or an apposition
    /// (", who chairs the panel,") before them; nothing left of `floor` is taken.
    func phrase(endingAt end0: Int, floor: Int) -> SpeakerPhrase? {
        var e = end0
        while e >= floor && e >= 0 && isVerbModifier(e) { e -= 1 }
        guard e >= floor, e >= 0 else { return nil }
        if isPunct(e, Word.closeParen) {
            var k = e - 1
            while k >= floor && k > e - 15 && !isPunct(k, Word.openParen) { k -= 1 }
            guard k >= floor, isPunct(k, Word.openParen) else { return nil }
            e = k - 1
        } else if isPunct(e, Word.comma) {
            // An apposition between commas: the phrase ends before the earlier comma.
            var k = e - 1
            while k >= floor && k > e - 25 && !isPunct(k, Word.comma) && !inQuote(k) && !isSentenceEnd(k) { k -= 1 }
            guard k >= floor, isPunct(k, Word.comma) else { return nil }
            e = k - 1
            if e >= floor, isPunct(e, Word.closeParen) {
                var p = e - 1
                while p >= floor && p > e - 15 && !isPunct(p, Word.openParen) { p -= 1 }
                guard p >= floor, isPunct(p, Word.openParen) else { return nil }
                e = p - 1
            }
        }
        guard e >= floor, e >= 0, tokens[e].kind != .punct, !inQuote(e) else { return nil }
        // A relative pronoun stands for the phrase before it ("the department, which reported").
        if isLowerWord(e), doc.token(e, is: Word.who) || doc.token(e, is: Word.which) || doc.token(e, is: Word.that) {
            e -= 1
            if e >= floor, isPunct(e, Word.comma) { e -= 1 }
            guard e >= floor, e >= 0, tokens[e].kind != .punct, !inQuote(e) else { return nil }
        }
        if let p = lexicon.pronoun(tokens[e].key), p.grammaticalCase == .subject {
            return SpeakerPhrase(tokens: e..<(e + 1), head: e, kind: .pronoun)
        }
        if wordClass(e) != nil { return nil }
        var start: Int
        var kind: SpeakerPhrase.Kind
        if mentionOf[e] >= 0 {
            let m = Int(mentionOf[e])
            start = max(floor, mentions[m].tokens.lowerBound)
            kind = .mention(m)
        } else if isCapitalised(e) {
            start = e
            while start - 1 >= floor, isCapitalised(start - 1) || (start - 2 >= floor && doc.token(start - 1, is: Word.of) && isCapitalised(start - 2)) {
                if doc.token(start - 1, is: Word.of) { start -= 2 } else { start -= 1 }
                if tokens[start].has(.sentenceStart) { break }
            }
            // Titles alone ("the President", "the Governor") describe; they do not name.
            kind = (start...e).allSatisfy { personWord($0) != nil || wordClass($0) != nil } ? .description : .name
        } else if tokens[e].kind == .word {
            start = e
            kind = .description
        } else {
            return nil
        }
        // Modifiers to the left: titles, honorifics, roles, capitalised words, possessors,
        // adjectives of a description, up to a determiner (kept) or a function word.
        var s = start
        var steps = 0
        while s - 1 >= floor && steps < 10 {
            let j = s - 1
            if inQuote(j) || tokens[s].has(.lineStart) { break }
            if tokens[s].has(.sentenceStart) && !(tokens[j].kind == .punct && tokens[j].has(.opening)) { break }
            if let c = wordClass(j) {
                if c == .det || c == .quant { s = j }
                else if c == .pron, let p = lexicon.pronoun(tokens[j].key), p.grammaticalCase == .possessive { s = j }
                break
            }
            if isPossessive(j) {
                // A possessor: "the company's", "Gary Johnson's".
                guard j - 1 >= floor, tokens[j - 1].kind != .punct else { break }
                s = mentionOf[j - 1] >= 0 ? max(floor, mentions[Int(mentionOf[j - 1])].tokens.lowerBound) : j - 1
                steps += 1
                continue
            }
            if tokens[j].kind == .punct {
                if tokens[j].has(.abbreviation) { s = j; steps += 1; continue }
                break
            }
            if cueVerb(j) != nil { break }
            if case .description = kind {
                s = j
            } else if isCapitalised(j) || personWord(j) != nil || tokens[j].has(.abbreviation) {
                s = j
            } else {
                break
            }
            steps += 1
        }
        return SpeakerPhrase(tokens: s..<(e + 1), head: e, kind: kind)
    }

    func isSentenceEnd(_ i: Int) -> Bool {
        guard tokens[i].kind == .punct else { return false }
        let k = tokens[i].key
        return k == Word.period || k == Word.bang || k == Word.question || k == Word.semicolon
    }

    /// The noun phrase that starts at token `s0` (reading rightwards, as after "said"), up to `ceiling`.
    func phrase(startingAt s0: Int, ceiling: Int) -> SpeakerPhrase? {
        var i = s0
        guard i < ceiling, i < tokens.count, tokens[i].kind != .punct, !inQuote(i) else { return nil }
        if let p = lexicon.pronoun(tokens[i].key), p.grammaticalCase == .subject {
            return SpeakerPhrase(tokens: i..<(i + 1), head: i, kind: .pronoun)
        }
        var head = -1
        var kind: SpeakerPhrase.Kind = .description
        var lowerRun = 0
        /// After "a spokesman for": the phrase goes on, the role stays its head.
        var roleHead: (head: Int, kind: SpeakerPhrase.Kind)? = nil
        var end = -1
        var afterPrep = false
        while i < ceiling && i < tokens.count && !inQuote(i) {
            let t = tokens[i]
            if mentionOf[i] >= 0, mentions[Int(mentionOf[i])].type != .cardinal, mentions[Int(mentionOf[i])].type != .date {
                let m = Int(mentionOf[i])
                head = mentions[m].tokens.upperBound - 1
                kind = .mention(m)
                i = mentions[m].tokens.upperBound
                lowerRun = 0
                afterPrep = false
                end = head
                continue
            }
            if t.kind == .punct {
                if t.has(.possessive) && head >= 0 { i += 1; continue }
                // A hyphen joining two words ("52-count").
                if t.key == Word.hyphen, t.has(.attached), i + 1 < ceiling, tokens[i + 1].has(.attached) { i += 1; continue }
                break
            }
            if let c = wordClass(i) {
                if (c == .det || c == .quant) && (head < 0 || afterPrep) { i += 1; continue }
                if c == .pron, let p = lexicon.pronoun(t.key), p.grammaticalCase == .possessive, head < 0 || afterPrep { i += 1; continue }
                // "of" inside a capitalised name or title ("Secretary of State"), or after a role
                // ("his chief of staff", "the director of the FBI").
                if doc.token(i, is: Word.of), head >= 0, i + 1 < ceiling,
                    (isCapitalised(head) && isCapitalised(i + 1)) || personWord(head) != nil
                {
                    i += 1
                    continue
                }
                // "a statement from the Harbor Authority", "a spokesman for the mayor": the
                // body a role or document belongs to is part of the phrase.
                if c == .prep, head >= 0, roleHead == nil, isDescription(kind), Word.belongsTo.contains(t.key), i + 1 < ceiling,
                    personWord(head) != nil || lexicon.cues[tokens[head].key] != nil
                {
                    // A role keeps the head ("a spokesman for the mayor" is the spokesman); a
                    // document gives it to its author ("a statement from the Harbor Authority").
                    if personWord(head) != nil { roleHead = (head, kind) }
                    afterPrep = true
                    i += 1
                    continue
                }
                break
            }
            afterPrep = false
            if cueVerb(i) != nil && head >= 0 { break }
            // A common word capitalised only because it starts the sentence ("Small groups of
            // protesters") is no name: no mention was found there.
            let sentenceCapital = t.has(.sentenceStart) && !t.has(.abbreviation)
                && gazetteer.entry(t.key)?.kind.contains(.common) == true && personWord(i) == nil
            if (t.has(.capitalised) && !sentenceCapital) || t.has(.abbreviation) {
                head = i
                // A title alone ("the President") describes; a capitalised word names.
                if case .mention = kind {} else { kind = personWord(i) == nil ? .name : .description }
                lowerRun = 0
            } else {
                // Lower-case words make a description ("the company's lawyer"); after a name
                // they start the clause ("Trump attacked").
                if head >= 0, !isDescription(kind) { break }
                lowerRun += 1
                if lowerRun > 4 { break }
                head = i
                kind = .description
            }
            end = head
            i += 1
        }
        guard head >= 0 else { return nil }
        if let r = roleHead { return SpeakerPhrase(tokens: s0..<(max(end, r.head) + 1), head: r.head, kind: r.kind) }
        return SpeakerPhrase(tokens: s0..<(head + 1), head: head, kind: kind)
    }

    // MARK: Speakers

    /// The text of tokens `r`, runs of spaces, no-break spaces and line breaks read as one space.
    func text(_ r: Range<Int>) -> String {
        var s = doc.string(r)
        return s.withUTF8 { buf in
            var out: [UInt8] = []
            out.reserveCapacity(buf.count)
            var pending = false
            var i = 0
            while i < buf.count {
                let b = buf[i]
                let next = i + 1 < buf.count ? buf[i + 1] : 0
                // A space, a line feed or a no-break space (C2 A0); "\r\n" is one character and
                // stays as written.
                let width = b == 0x20 || b == 0x0A ? 1 : b == 0xC2 && next == 0xA0 ? 2 : 0
                if width > 0 {
                    pending = !out.isEmpty
                    i += width
                    continue
                }
                if pending { out.append(0x20); pending = false }
                let kept = b == 0x0D && next == 0x0A ? 2 : 1
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<(i + kept)]))
                i += kept
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The speaker a phrase names: a person, organisation or group it mentions as its head,
    /// a pronoun's antecedent, a role's bearer, or the phrase itself.
    func speaker(_ p: SpeakerPhrase, evidence: String) -> Speaker {
        let phraseText = text(p.tokens)
        switch p.kind {
        case .mention(let m):
            let mention = mentions[m]
            let mentionText = fullMentions[m].text
            // A group speaks as written ("House Republicans"), not as the group's canonical name.
            if mention.type == .norp {
                var s = p.tokens.lowerBound
                while s < p.head, wordClass(s) != nil { s += 1 }
                return Speaker(entity: mention.entity, name: text(s..<(p.head + 1)), mention: phraseText, form: .name, evidence: evidence)
            }
            if let e = mention.entity {
                return Speaker(entity: e, name: entities[e].name, mention: phraseText, form: .name, evidence: evidence)
            }
            return Speaker(entity: nil, name: mentionText, mention: phraseText, form: .name, evidence: evidence)
        case .pronoun:
            if let (e, why) = antecedent(of: p.head) {
                let name = entities[e].name
                return Speaker(entity: e, name: name, mention: phraseText, form: .pronoun, evidence: evidence + "; '\(phraseText)' = \(name), \(why)")
            }
            return Speaker(entity: nil, name: phraseText, mention: phraseText, form: .pronoun, evidence: evidence)
        case .name:
            // A surname alone names the person given in full elsewhere.
            if let e = facts.person(surnameKey: tokens[p.head].key) {
                let name = entities[e].name
                return Speaker(entity: e, name: name, mention: phraseText, form: .name, evidence: evidence + "; '\(phraseText)' = \(name)")
            }
            let name = text(nameTokens(p))
            return Speaker(entity: nil, name: name, mention: phraseText, form: .name, evidence: evidence)
        case .description:
            let first = p.tokens.lowerBound
            let definite = doc.token(first, is: Word.the)
            let relational = p.tokens.contains { isPossessive($0) } || (wordClass(first) == .pron)
            if definite && !relational, let role = personWord(p.head)?.role, !role.isEmpty,
                let e = facts.resolve(role: role, article: doc.article.id)
            {
                let name = entities[e].name
                return Speaker(entity: e, name: name, mention: phraseText, form: .description, evidence: evidence + "; '\(phraseText)' = \(name) by role")
            }
            return Speaker(entity: nil, name: phraseText, mention: phraseText, form: .description, evidence: evidence)
        }
    }

    /// The name part of a capitalised phrase: its titles and honorifics dropped.
    func nameTokens(_ p: SpeakerPhrase) -> Range<Int> {
        var s = p.tokens.lowerBound
        while s < p.head, personWord(s) != nil || wordClass(s) != nil { s += 1 }
        return s..<(p.head + 1)
    }

    /// The person a pronoun at token `i` stands for: the most recent person of a matching sex
    /// named as a subject (or as the speaker of an earlier quotation) in this paragraph or the
    /// three before, else the most recent such person named at all.
    func antecedent(of i: Int) -> (EntityID, String)? {
        guard let pronoun = lexicon.pronoun(tokens[i].key), pronoun.person == 3, pronoun.plural != true, !pronoun.isNeuter else {
            return nil
        }
        let paragraph = paragraphIndex(ofToken: i)
        let floorToken = doc.paragraphs[max(0, paragraph - 3)].lowerBound
        var fallback: EntityID? = nil
        // Earlier speakers, by the position of their cue.
        var spoken: [(Int, EntityID)] = []
        for k in speakers.indices where cueAt[k] >= floorToken && cueAt[k] < i {
            if let e = speakers[k]?.entity, entities[e].type == .person { spoken.append((cueAt[k], e)) }
        }
        var j = i - 1
        while j >= floorToken {
            if let (pos, e) = spoken.last, pos >= j {
                spoken.removeLast()
                if compatible(e, pronoun) { return (e, "the speaker before") }
                continue
            }
            if mentionOf[j] >= 0, !inQuote(j) {
                let m = Int(mentionOf[j])
                let mention = mentions[m]
                j = mention.tokens.lowerBound - 1
                guard mention.type == .person, let e = mention.entity, compatible(e, pronoun) else { continue }
                if isSubject(mention) { return (e, "the last person named as a subject") }
                if fallback == nil && !isPossessor(mention) { fallback = e }
                continue
            }
            j -= 1
        }
        if let fallback { return (fallback, "the last person named") }
        return nil
    }

    func compatible(_ e: EntityID, _ p: Lexicon.Pronoun) -> Bool {
        guard let want = p.sex else { return true }
        guard let have = facts.sex(of: e) else { return true }
        return have == want
    }

    func isPossessor(_ m: MentionSpan) -> Bool {
        m.tokens.upperBound < tokens.count && isPossessive(m.tokens.upperBound)
    }

    /// A mention in subject position: first in its sentence or clause (after titles and a
    /// determiner), not a possessor, and not the object of a preposition.
    func isSubject(_ m: MentionSpan) -> Bool {
        if isPossessor(m) { return false }
        var j = m.tokens.lowerBound - 1
        while j >= 0, !tokens[j + 1].has(.sentenceStart), personWord(j) != nil || tokens[j].has(.abbreviation) || isCapitalised(j) {
            j -= 1
        }
        if j < 0 || tokens[j + 1].has(.sentenceStart) || tokens[j + 1].has(.lineStart) { return true }
        if tokens[j].kind == .punct { return tokens[j].key != Word.openParen }
        if let c = wordClass(j) { return c == .conj || c == .sub || c == .wh || (c == .det && doc.token(j, is: Word.that)) }
        return false
    }

    func paragraphIndex(ofToken i: Int) -> Int {
        var lo = 0, hi = doc.paragraphs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if doc.paragraphs[mid].upperBound <= i { lo = mid + 1 } else { hi = mid }
        }
        return min(lo, doc.paragraphs.count - 1)
    }

    // MARK: Cues

    struct Found {
        var speaker: Speaker
        var cue: Int
    }

    /// Most tokens on either side of a quotation where its cue is looked for.
    static let contextWindow = 80

    /// The clause around a quotation: from the start of the sentence it opens in to the end of
    /// the sentence it closes in, within its line and `contextWindow`.
    func context(_ q: RawQuote) -> Range<Int> {
        let open = q.openMark.lowerBound
        let last = max(open, (q.closeMark?.upperBound ?? q.tokens.upperBound) - 1)
        var s = doc.sentences[doc.sentence(ofToken: open)].lowerBound
        let closing = doc.sentence(ofToken: min(last, tokens.count - 1))
        var e = doc.sentences[closing].upperBound
        // A quotation that ends its sentence ("…regulate?” Vitter demanded.") takes a short next
        // sentence that is its cue: a name or pronoun and a reporting verb, nothing more.
        if e == last + 1, closing + 1 < doc.sentences.count, e < tokens.count, !tokens[e].has(.lineStart) {
            let next = doc.sentences[closing + 1]
            if next.count <= 8, let v = next.first(where: { cueVerb($0) != nil }), v <= next.lowerBound + 4,
                let p = phrase(endingAt: v - 1, floor: next.lowerBound), p.tokens.lowerBound == next.lowerBound
            {
                e = next.upperBound
            }
        }
        // Not beyond `contextWindow` tokens on either side: a cue further away is not this
        // quotation's, and a sentence of thousands of quotations must not make every one of
        // them scan it all (quadratic time).
        s = max(s, open - Self.contextWindow)
        e = min(e, max(last + 1, (q.closeMark?.upperBound ?? q.tokens.upperBound)) + Self.contextWindow)
        // Not across lines.
        var lineStart = open
        while lineStart > s && !tokens[lineStart].has(.lineStart) { lineStart -= 1 }
        s = max(s, lineStart)
        var j = last + 1
        while j < e && !tokens[j].has(.lineStart) { j += 1 }
        e = min(e, j)
        return s..<max(e, last + 1)
    }

    func cue(for k: Int) -> Found? {
        let q = raw[k]
        let ctx = context(q)
        let open = q.openMark.lowerBound
        let after = q.closeMark?.upperBound ?? q.tokens.upperBound
        return transcriptLabel(q) ?? postCue(after: after, ctx: ctx) ?? preCue(before: open, ctx: ctx) ?? colonCue(before: open, ctx: ctx)
            ?? accordingTo(ctx: ctx) ?? utterance(before: open, ctx: ctx) ?? nearestVerb(before: open, after: after, ctx: ctx)
    }

    /// A possessor and a noun naming something said before the quotation: "Trump's claim that
    /// there have been “thousands of shootings”", "the senator's reply: “…”".
    func utterance(before open: Int, ctx: Range<Int>) -> Found? {
        var j = open - 1
        while j > ctx.lowerBound {
            if !inQuote(j), tokens[j].kind == .word, lexicon.cues[tokens[j].key] == .utterance {
                if isPossessive(j - 1), let p = phrase(endingAt: j - 2, floor: ctx.lowerBound) {
                    return Found(speaker: speaker(p, evidence: "'\(text(p.tokens.lowerBound..<(j + 1)))' before the quote"), cue: j)
                }
                // "his claim that …": the possessive pronoun stands for the speaker.
                if let pr = lexicon.pronoun(tokens[j - 1].key), pr.grammaticalCase == .possessive, pr.person == 3, !pr.isNeuter,
                    let (e, why) = antecedent(of: j - 1)
                {
                    let name = entities[e].name
                    let words = text((j - 1)..<(j + 1))
                    return Found(
                        speaker: Speaker(entity: e, name: name, mention: doc.string(j - 1), form: .pronoun,
                                         evidence: "'\(words)' before the quote; '\(doc.string(j - 1))' = \(name), \(why)"),
                        cue: j)
                }
            }
            j -= 1
        }
        return nil
    }

    /// Whether the clause has a reporting verb outside quotations.
    func hasCueVerb(_ ctx: Range<Int>) -> Bool {
        ctx.contains { cueVerb($0) != nil }
    }

    /// A transcript turn: the quotation opens with its speaker's name in capitals and a colon
    /// (`"PENCE: Well, look, …`).
    func transcriptLabel(_ q: RawQuote) -> Found? {
        var i = q.tokens.lowerBound
        let start = i
        while i < q.tokens.upperBound && i < start + 3 && tokens[i].kind == .word && tokens[i].has(.allCaps) { i += 1 }
        guard i > start, i < q.tokens.upperBound, isPunct(i, Word.colon) else { return nil }
        let p = SpeakerPhrase(tokens: start..<i, head: i - 1, kind: .name)
        return Found(speaker: speaker(p, evidence: "'\(text(p.tokens)):' opens the quotation (a transcript)"), cue: i)
    }

    /// `"…," said Sen. Jane Doe`, `"…," Mr. Smith, who chairs the panel, said`, `"…" ― Jane Doe`.
    func postCue(after: Int, ctx: Range<Int>) -> Found? {
        var i = after
        guard i < ctx.upperBound else { return nil }
        if isPunct(i, Word.comma) { i += 1 }
        guard i < ctx.upperBound, !inQuote(i) else { return nil }
        if isDash(i) {
            // "— Jane Doe" to the end of the line or sentence: a signed quotation.
            let s = i + 1
            guard s < tokens.count, !tokens[s].has(.lineStart), isCapitalised(s) || tokens[s].has(.abbreviation) else { return nil }
            var e = s
            while e < tokens.count && !tokens[e].has(.lineStart) && !(tokens[e].kind == .punct && !tokens[e].has(.abbreviation) && !isPossessive(e)) { e += 1 }
            let ends = e >= tokens.count || tokens[e].has(.lineStart) || isSentenceEnd(e) || isPunct(e, Word.comma)
            if ends, e > s, let p = phrase(startingAt: s, ceiling: e), isNamed(p), p.tokens.upperBound == e {
                return Found(speaker: speaker(p, evidence: "'\(doc.string(i)) \(text(p.tokens))' after the quote"), cue: i)
            }
            return nil
        }
        if let v = cueVerb(i) {
            var s = i + 1
            if v.particle != nil { s += 1 }
            if let p = phrase(startingAt: s, ceiling: ctx.upperBound) {
                return Found(speaker: speaker(p, evidence: "'\(doc.string(i)) \(text(p.tokens))' after the quote"), cue: i)
            }
        }
        // The subject, then (past an apposition) the verb; "as X said".
        if doc.token(i, is: Word.as) && i + 1 < ctx.upperBound { i += 1 }
        var v = i
        while v < ctx.upperBound && v < i + 30 && cueVerb(v) == nil {
            if inQuote(v) { return nil }
            v += 1
        }
        guard v < ctx.upperBound, cueVerb(v) != nil, let p = phrase(endingAt: v - 1, floor: i), p.tokens.lowerBound == i else { return nil }
        return Found(speaker: speaker(widened(p, floor: i), evidence: "'\(text(p.tokens)) \(doc.string(v))' after the quote"), cue: v)
    }

    func isDescription(_ k: SpeakerPhrase.Kind) -> Bool {
        if case .description = k { return true }
        return false
    }

    /// Whether a phrase can name a source: a person, group, organisation or place, a name, a
    /// personal pronoun, or a description headed by a role or a body or document ("the
    /// spokesman", "the report") — not "the day" or "the streets".
    func isPlausible(_ p: SpeakerPhrase) -> Bool {
        switch p.kind {
        case .pronoun:
            return !(lexicon.pronoun(tokens[p.head].key)?.isNeuter ?? false)
        case .mention(let m):
            let t = mentions[m].type
            return t != .date && t != .cardinal
        case .name:
            return true
        case .description:
            let key = tokens[p.head].key
            if personWord(p.head) != nil { return true }
            if let c = lexicon.cues[key], c == .source || c == .utterance { return true }
            // A plural word naming people ("protesters", "officials") or a capitalised group.
            if isCapitalised(p.head) { return true }
            return false
        }
    }

    /// The subject of the clause's main verb: the phrase that opens the sentence, past an
    /// introductory phrase ("During the speech, Trump attacked…", "At his cookout, the band
    /// leader called…").
    func mainSubject(_ ctx: Range<Int>, before limit: Int) -> SpeakerPhrase? {
        var s = ctx.lowerBound
        while s < limit && tokens[s].kind == .punct { s += 1 }
        guard s < limit else { return nil }
        if wordClass(s) == .conj && s + 1 < limit { s += 1 }
        let opensWithPhrase = wordClass(s).map { $0 == .prep || $0 == .sub || $0 == .adv || $0 == .wh } ?? false
            || (mentionOf[s] >= 0 && mentions[Int(mentionOf[s])].type == .date)
        if opensWithPhrase {
            var c = s
            while c < limit && !isPunct(c, Word.comma) && !inQuote(c) { c += 1 }
            guard c < limit, isPunct(c, Word.comma) else { return nil }
            s = c + 1
        }
        guard let p = phrase(startingAt: s, ceiling: limit), isPlausible(p) else { return nil }
        return p
    }

    /// A participle cue after a comma ("…, saying, “…”", "…, arguing that …"): its subject is
    /// the main clause's.
    func isParticipleCue(_ v: Int) -> Bool {
        guard v > 0, doc.token(v, endsWith: "ing") else { return false }
        if let c = wordClass(v - 1), c == .aux { return false }
        return true
    }

    /// The speaker of a cue verb at `v`: for a participle ("…, saying"), an infinitive ("took to
    /// Twitter to report") or a second verb ("said … and said"), the nearest subject before it;
    /// else the phrase before the verb (past an apposition), when it can name a source.
    func subject(ofCue v: Int, ctx: Range<Int>, floor: Int) -> SpeakerPhrase? {
        var b = v - 1
        while b >= floor && isVerbModifier(b) { b -= 1 }
        if b >= floor, wordClass(b) == .conj {
            // "Roberts said … that she thinks … but said": the first verb's subject.
            return mainSubject(ctx, before: b) ?? nearestSubject(before: b, ctx: ctx, floor: floor)
        }
        if isParticipleCue(v) || (b >= floor && doc.token(b, is: Word.to)) {
            return nearestSubject(before: isParticipleCue(v) ? v : b, ctx: ctx, floor: floor)
        }
        guard let p = phrase(endingAt: v - 1, floor: floor) else { return nil }
        return widened(p, floor: floor)
    }

    /// The nearest subject before token `limit` in the clause: a subject pronoun, or a person,
    /// organisation or group named in subject position; else the clause's main subject.
    func nearestSubject(before limit: Int, ctx: Range<Int>, floor: Int) -> SpeakerPhrase? {
        var j = limit - 1
        let low = max(floor, ctx.lowerBound)
        while j >= low {
            if inQuote(j) { j -= 1; continue }
            // An aside between two dashes ("- where the Panthers played -") has its own subject.
            if isDash(j), let open = (low..<j).last(where: { isDash($0) }) {
                j = open - 1
                continue
            }
            if mentionOf[j] >= 0 {
                let m = mentions[Int(mentionOf[j])]
                if [.person, .org, .norp].contains(m.type), isSubject(m), let p = phrase(endingAt: m.tokens.upperBound - 1, floor: floor) {
                    return p
                }
                j = m.tokens.lowerBound - 1
                continue
            }
            if tokens[j].kind == .word, let p = lexicon.pronoun(tokens[j].key), p.grammaticalCase == .subject, !p.isNeuter {
                return SpeakerPhrase(tokens: j..<(j + 1), head: j, kind: .pronoun)
            }
            j -= 1
        }
        return mainSubject(ctx, before: limit)
    }

    /// A cue verb that introduces the next quotation (`to which Raffensperger responded: “…”`),
    /// not the one before it.
    func introducesNextQuote(_ v: Int) -> Bool {
        var j = v + 1
        if let p = lexicon.verb(tokens[v].key)?.particle, j < tokens.count, tokens[j].key == p { j += 1 }
        while j < tokens.count && isVerbModifier(j) { j += 1 }
        if j < tokens.count, isPunct(j, Word.colon) || isPunct(j, Word.comma) { j += 1 }
        guard j < tokens.count, quoteOf[j] >= 0 else { return false }
        return raw[Int(quoteOf[j])].openMark.lowerBound == j
    }

    /// A phrase that is the object of a preposition ("the streets" of "protesters marching
    /// through the streets", "the White House" of "a spokesman for the White House") is not the
    /// subject: the phrase before the preposition is its head.
    func widened(_ p: SpeakerPhrase, floor: Int) -> SpeakerPhrase {
        var p = p
        for _ in 0..<2 {
            let b = p.tokens.lowerBound - 1
            guard b - 1 >= floor, wordClass(b) == .prep, isLowerWord(b) else { break }
            var e = b - 1
            // A participle before the preposition ("marching through").
            if isLowerWord(e), doc.token(e, endsWith: "ing"), lexicon.verb(tokens[e].key) == nil, e - 1 >= floor { e -= 1 }
            guard var q = phrase(endingAt: e, floor: floor), !isPunct(b - 1, Word.comma) else { break }
            if !isPlausible(q) {
                // "a source close to the council": the role before the adjective is the head.
                guard let role = q.tokens.last(where: { personWord($0) != nil }) else { break }
                q = SpeakerPhrase(tokens: q.tokens, head: role, kind: .description)
            }
            p = SpeakerPhrase(tokens: q.tokens.lowerBound..<p.tokens.upperBound, head: q.head, kind: q.kind)
        }
        return p
    }

    /// A name, not a bare description: the speaker of a dash attribution.
    func isNamed(_ p: SpeakerPhrase) -> Bool {
        switch p.kind {
        case .mention, .name: return true
        default: return false
        }
    }

    /// `Raffensperger responded: "…"`, `Trump also said, "…"`, `Trump told the crowd, "…"`:
    /// a reporting verb at most eight tokens before the quotation.
    func preCue(before open: Int, ctx: Range<Int>) -> Found? {
        var v = open - 1
        while v >= ctx.lowerBound && v >= open - 9 {
            if inQuote(v) || isSentenceEnd(v) { return nil }
            if cueVerb(v) != nil, let p = subject(ofCue: v, ctx: ctx, floor: ctx.lowerBound), isPlausible(p) {
                return Found(speaker: speaker(p, evidence: "'\(text(p.tokens)) \(doc.string(v))' before the quote"), cue: v)
            }
            v -= 1
        }
        return nil
    }

    /// `Hall: "…"`, `Trump's reply: "…"`.
    func colonCue(before open: Int, ctx: Range<Int>) -> Found? {
        let c = open - 1
        guard c > ctx.lowerBound, isPunct(c, Word.colon) else { return nil }
        var e = c - 1
        // "X's reply:", "In a statement, X:"
        if tokens[e].kind == .word, lexicon.cues[tokens[e].key] == .utterance, e - 1 >= ctx.lowerBound, isPossessive(e - 1) {
            e -= 2
        }
        guard let p = phrase(endingAt: e, floor: ctx.lowerBound) else { return nil }
        // "… is rolling out a new campaign message: “…”": the message is the subject's.
        if case .description = p.kind, lexicon.cues[tokens[p.head].key] == .utterance, let s = mainSubject(ctx, before: p.tokens.lowerBound) {
            return Found(speaker: speaker(s, evidence: "'\(text(s.tokens)) … \(text(p.tokens)):' before the quote"), cue: c)
        }
        if p.tokens.lowerBound == ctx.lowerBound || isNamed(p) {
            return Found(speaker: speaker(p, evidence: "'\(text(p.tokens)):' before the quote"), cue: c)
        }
        // "… releasing a joint statement that showed their support for …: “…”".
        let intro = ctx.lowerBound..<c
        if intro.contains(where: { !inQuote($0) && (cueVerb($0) != nil || lexicon.cues[tokens[$0].key] == .utterance) }),
            let s = mainSubject(ctx, before: c)
        {
            return Found(speaker: speaker(s, evidence: "'\(text(s.tokens)) …:' before the quote"), cue: c)
        }
        return nil
    }

    /// "according to X" in the clause.
    func accordingTo(ctx: Range<Int>) -> Found? {
        var i = ctx.lowerBound
        while i < ctx.upperBound {
            if !inQuote(i), tokens[i].kind == .word {
                for len in stride(from: min(lexicon.maxCueTokens, ctx.upperBound - i), through: 1, by: -1) {
                    var key = tokens[i].key
                    for j in (i + 1)..<(i + len) { key = TokenKey.combine(key, tokens[j].key) }
                    if lexicon.cues[key] == .sourceFollows, let p = phrase(startingAt: i + len, ceiling: ctx.upperBound) {
                        return Found(speaker: speaker(p, evidence: "'\(text(i..<(i + len))) \(text(p.tokens))'"), cue: i)
                    }
                }
            }
            i += 1
        }
        return nil
    }

    /// The nearest reporting verb in the clause, before the quotation (`Cruz called Trump a
    /// "pathological liar"`) or after it, and the phrase it governs.
    func nearestVerb(before open: Int, after: Int, ctx: Range<Int>) -> Found? {
        var v = open - 1
        while v >= ctx.lowerBound {
            if cueVerb(v) != nil, let p = subject(ofCue: v, ctx: ctx, floor: ctx.lowerBound), isPlausible(p) {
                return Found(speaker: speaker(p, evidence: "'\(text(p.tokens)) \(doc.string(v))' in the sentence"), cue: v)
            }
            v -= 1
        }
        v = after
        while v < ctx.upperBound {
            if cueVerb(v) != nil, !introducesNextQuote(v), let p = subject(ofCue: v, ctx: ctx, floor: after), isPlausible(p) {
                return Found(speaker: speaker(p, evidence: "'\(text(p.tokens)) \(doc.string(v))' in the sentence"), cue: v)
            }
            v += 1
        }
        return nil
    }

    /// The last attribution of a paragraph without quotations ("Trump said Tuesday that …"):
    /// the subject of its last reporting verb.
    func lastAttribution(inParagraph p: Int, before limit: Int? = nil) -> Speaker? {
        let r = doc.paragraphs[p]
        var v = min(r.upperBound, limit ?? r.upperBound) - 1
        while v >= r.lowerBound {
            if cueVerb(v) != nil {
                let sentence = doc.sentences[doc.sentence(ofToken: v)]
                let ctx = max(sentence.lowerBound, r.lowerBound)..<min(sentence.upperBound, r.upperBound)
                if let phrase = subject(ofCue: v, ctx: ctx, floor: ctx.lowerBound), isPlausible(phrase) {
                    let where_ = limit == nil ? "in the paragraph before" : "earlier in the paragraph"
                    return speaker(phrase, evidence: "'\(text(phrase.tokens)) \(doc.string(v))' \(where_)")
                }
            }
            v -= 1
        }
        return nil
    }

    // MARK: Run

    mutating func run() -> [Attribution] {
        var out = [Attribution](repeating: Attribution(kind: .direct, speaker: nil), count: raw.count)
        var hasCue = [Bool](repeating: false, count: raw.count)
        for k in raw.indices {
            let q = raw[k]
            if let parent = q.parent {
                // A nested quotation: said by whoever says the one around it.
                if let s = speakers[parent] {
                    speakers[k] = Speaker(entity: s.entity, name: s.name, mention: s.mention, form: .inherited, evidence: "inside a quotation by \(s.name)")
                    cueAt[k] = cueAt[parent]
                }
                hasCue[k] = true
                continue
            }
            if let found = cue(for: k) {
                speakers[k] = found.speaker
                cueAt[k] = found.cue
                hasCue[k] = true
                continue
            }
            // No cue: a continuation.
            let paragraph = paragraphIndex(ofToken: q.openMark.lowerBound)
            let previous = (0..<k).last { raw[$0].parent == nil }
            if let prev = previous, q.continues || paragraphIndex(ofToken: raw[prev].openMark.lowerBound) == paragraph {
                if let s = speakers[prev] {
                    let why = q.continues ? "continues the quotation of the previous paragraph" : "split quotation: same speaker as the part before"
                    speakers[k] = Speaker(entity: s.entity, name: s.name, mention: s.mention, form: .inherited, evidence: why)
                    cueAt[k] = cueAt[prev]
                }
                hasCue[k] = q.continues || hasCue[prev]
                continue
            }
            if q.words > 3, let s = lastAttribution(inParagraph: paragraph, before: q.openMark.lowerBound) {
                speakers[k] = Speaker(entity: s.entity, name: s.name, mention: s.mention, form: .inherited, evidence: s.evidence)
                cueAt[k] = q.openMark.lowerBound - 1
                hasCue[k] = true
                continue
            }
            if paragraph > 0, q.words > 3 {
                let before = paragraph - 1
                let prevInParagraph = previous.map { paragraphIndex(ofToken: raw[$0].openMark.lowerBound) == before } ?? false
                var inherited: Speaker? = nil
                if prevInParagraph, let prev = previous {
                    inherited = speakers[prev]
                } else {
                    inherited = lastAttribution(inParagraph: before)
                }
                if let s = inherited {
                    speakers[k] = Speaker(entity: s.entity, name: s.name, mention: s.mention, form: .inherited, evidence: "continues the attribution of the paragraph before (\(s.name))")
                    cueAt[k] = doc.paragraphs[before].upperBound - 1
                    hasCue[k] = true
                }
            }
        }
        for k in raw.indices {
            out[k].speaker = speakers[k]
            let q = raw[k]
            guard q.parent == nil, !q.openEnded, !q.continues else { continue }
            if isTitle(q) {
                out[k].kind = .title
                out[k].speaker = nil
            } else if q.words <= 3 && !hasCue[k] && !hasCueVerb(context(q)) {
                out[k].kind = .scare
                out[k].speaker = nil
            }
        }
        return out
    }

    /// A short title-case phrase after a preposition, article or possessive ("on “Face the
    /// Nation,”", "Ava DuVernay’s ‘13th’"), not right after a reporting verb: the title of a show,
    /// film or book.
    func isTitle(_ q: RawQuote) -> Bool {
        guard q.words <= 6, isTitleCase(q.tokens) else { return false }
        let b = q.openMark.lowerBound - 1
        guard b >= 0, !tokens[q.openMark.lowerBound].has(.lineStart) else { return false }
        if cueVerb(b) != nil || (b >= 1 && cueVerb(b - 1) != nil) { return false }
        if isPossessive(b) { return true }
        guard let c = wordClass(b) else { return false }
        if c == .prep || c == .det { return true }
        if c == .pron, let p = lexicon.pronoun(tokens[b].key), p.grammaticalCase == .possessive { return true }
        return false
    }

    /// Every word capitalised or a function word, the first capitalised: a title ("Face the Nation").
    func isTitleCase(_ r: Range<Int>) -> Bool {
        var first = true
        var any = false
        for i in r where tokens[i].kind != .punct {
            if tokens[i].kind == .number { any = true; first = false; continue }
            if tokens[i].has(.capitalised) { any = true; first = false; continue }
            if first || wordClass(i) == nil { return false }
        }
        return any
    }
}
