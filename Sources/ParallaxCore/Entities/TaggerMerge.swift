import Foundation

/// How the trained tagger (`NERTagger`) and the rules combine into one set of mentions.
///
/// The tagger is trained on top of the rules (what they say of each token is one of its features)
/// and decides where names are and whether each is a person, an organisation, a place or something
/// else (CoNLL's PER/ORG/LOC/MISC). The rules keep what they know better:
/// - names they found with evidence (a title, role or organisation word; a gazetteer entry in name
///   shape), and single words the corpus knows as part of a person's name, unless the tagger is
///   sure of another reading there (its margin over `overruleEvidence` / `overruleCorpusPerson`,
///   or `overruleInside` when the rules' name lies inside a longer name the tagger found);
/// - a word read with a context cue keeps that type wherever the tagger tags it alone in the
///   article (the tagger's memory of a word can carry one early mistake through a document);
/// - dates and cardinal numbers, where no name is;
/// - Parallax's finer types: a tagged place is a GPE or a LOC by the gazetteer (or by the rules'
///   reading of the same words), a tagged MISC is kept only as NORP when the gazetteer or the
///   rules say so, and curated organisation names stay organisations ("White House");
/// - the gazetteer's canonical names ("U.S." → "United States");
/// - title-case headlines, where every word is capitalised: there the rules' reading stands.
enum TaggerMerge {
    /// Words that make an unknown tagged place a geographic feature (LOC) rather than a
    /// political unit (GPE).
    static let featureWords = KeySet("""
        river rivers mountain mountains mount mt. lake lakes sea ocean valley island islands park avenue street st. \
        square bridge coast gulf bay peninsula desert canyon forest falls strait channel hills hill plaza boulevard \
        road highway trail harbor harbour beach cape ridge basin delta
        """.split(separator: " ").map { TokenKey.hash(String($0)) })

    /// What the rules say of each token, for the tagger's features: 0 nothing; else bits 0–2 the
    /// type (1 PERSON, 2 ORG, 3 GPE, 4 LOC, 5 NORP, 6 DATE, 7 CARDINAL), bit 3 inside (not the
    /// first token), bits 4–5 the strength (0–1 weak default or corpus consistency, 2 gazetteer
    /// in name shape, 3 a context cue such as a title or an organisation word).
    static func hints(_ rules: [Ruled], tokens n: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        // By index: a `Ruled` copied costs two reference counts, and rules are many.
        for k in rules.indices {
            let type = UInt8(rules[k].mention.type.index + 1)
            let strength = UInt8(min(3, max(1, rules[k].strength)))
            let weighed = threshold(rules[k].mention.type, rules[k].strength, rules[k].personElsewhere) > 0 ? wantsMargin : 0
            let tokens = rules[k].mention.tokens
            for t in tokens where t < n {
                out[t] = type | (t > tokens.lowerBound ? 8 : 0) | strength << 4 | weighed
            }
        }
        return out
    }

    /// Bit 6 of a hint: the merge weighs the tagger's margin against the rules on this token
    /// (not a feature: the tagger computes margins only where it is set).
    static let wantsMargin: UInt8 = 64

    /// The margin the tagger needs to overrule a rule mention (0: it never stands against the tagger).
    static func threshold(_ type: EntityType, _ strength: Int, _ personElsewhere: Bool) -> Float {
        guard type != .date && type != .cardinal else { return 0 }
        return strength >= 2 ? overruleEvidence : personElsewhere ? overruleCorpusPerson : 0
    }

    /// A rule mention with what it rests on.
    struct Ruled {
        var mention: EntityMention
        var strength: Int
        /// A single word the corpus names as part of a person's name elsewhere, with evidence there.
        var personElsewhere = false
    }

    /// How sure the tagger must be (its margin, in weight units) to overrule the rules: where they
    /// have evidence (a title, role or organisation word; a gazetteer entry in name shape), and
    /// where they know the word as a person's name from elsewhere in the corpus.
    static let overruleEvidence: Float = 50
    static let overruleCorpusPerson: Float = 20
    /// ... and where the rules' name (from a gazetteer, or of the same type) lies inside a longer
    /// name the tagger found: "George" (a city) of "George W. Bush", "W. Bush" of the same.
    static let overruleInside: Float = 20

    static func merge(_ pass: RecognitionPass, rules: [Ruled], spans given: [NERSpan]) -> [EntityMention] {
        let doc = pass.doc
        let article = pass.article
        let n = doc.tokens.count
        // Rule persons by their last token, for `trimmed`.
        var personEnding = [Int32](repeating: -1, count: n)
        for k in rules.indices where rules[k].mention.type == .person && !rules[k].mention.tokens.isEmpty {
            personEnding[rules[k].mention.tokens.upperBound - 1] = Int32(rules[k].mention.tokens.lowerBound)
        }
        let spans = given.compactMap { trimmed($0, pass: pass, personEnding: personEnding) }
        // Tokens already taken by a name.
        var taken = [Bool](repeating: false, count: n)
        var out: [EntityMention] = []
        out.reserveCapacity(spans.count + rules.count)
        // Rule names (not dates or numbers) by their first token: they do not overlap.
        var ruleStarting = [Int32](repeating: -1, count: n)
        for k in rules.indices where rules[k].mention.type != .date && rules[k].mention.type != .cardinal && !rules[k].mention.tokens.isEmpty {
            ruleStarting[rules[k].mention.tokens.lowerBound] = Int32(k)
        }
        // What the rules read at each token: 1 a person's name, 2 a place from the gazetteer
        // alone (no context cue), 3 anything else.
        var ruleRead = [UInt8](repeating: 0, count: n)
        for k in rules.indices where rules[k].mention.type != .date && rules[k].mention.type != .cardinal {
            let type = rules[k].mention.type
            let read: UInt8 = type == .person ? 1 : (type == .gpe || type == .loc) && rules[k].strength <= 2 ? 2 : 3
            for t in rules[k].mention.tokens where t < n { ruleRead[t] = read }
        }
        /// A person's name the tagger found that holds a person's name of the rules and, beside
        /// it, only words the rules read as places from the gazetteer alone, or not at all:
        /// "(President) Vladimir Putin", where Vladimir is also a Russian city.
        func extendsRulePerson(_ sp: NERSpan) -> Bool {
            guard sp.type == .per else { return false }
            var person = false
            for t in sp.tokens {
                switch ruleRead[t] {
                case 1: person = true
                case 3: return false
                default: break
                }
            }
            return person
        }
        let headlineRules = pass.titleCaseHeadline ? pass.headlineEnd : 0
        var spanAt = [Int32](repeating: -1, count: n)
        for (k, s) in spans.enumerated() { for t in s.tokens { spanAt[t] = Int32(k) } }
        // What the rules know for sure of a word, by key: the type of its mentions with evidence.
        var sure = KeyMap<EntityType>()
        // 1. The rules' names where they have evidence (or know the word as a person elsewhere),
        // unless the tagger is sure of another reading there; all of a title-case headline.
        for k in rules.indices where rules[k].mention.type != .date && rules[k].mention.type != .cardinal {
            let tokens = rules[k].mention.tokens
            let inHeadline = tokens.lowerBound < headlineRules
            let threshold = Self.threshold(rules[k].mention.type, rules[k].strength, rules[k].personElsewhere)
            if tokens.count == 1 && rules[k].strength >= 3 { sure[doc.tokens[tokens.lowerBound].key] = rules[k].mention.type }
            guard threshold > 0 || inHeadline else { continue }
            let r = rules[k]
            if !inHeadline {
                var overruled = false
                for t in r.mention.tokens where spanAt[t] >= 0 {
                    let sp = spans[Int(spanAt[t])]
                    guard sp.tokens != r.mention.tokens || parallaxType(sp, pass: pass, rule: r)?.0 != r.mention.type else { continue }
                    // A gazetteer word or a shorter name inside a longer name the tagger found is
                    // part of that name.
                    let inside = (r.strength == 2 || parallaxType(sp, pass: pass, rule: r)?.0 == r.mention.type) && sp.tokens.count > r.mention.tokens.count
                        && sp.tokens.lowerBound <= r.mention.tokens.lowerBound && sp.tokens.upperBound >= r.mention.tokens.upperBound
                    // A longer name the tagger reads as a person's, starting with a known first name,
                    // holds the rules' shorter reading: "George" (also a city) and "W. Bush" (after a
                    // title) are both parts of George W. Bush.
                    let firstName = inside && sp.type == .per
                        && pass.gaz.entry(doc.tokens[sp.tokens.lowerBound].key)?.kind.contains(.firstName) == true
                    if firstName || (inside && extendsRulePerson(sp)) || sp.margin >= (inside ? overruleInside : threshold) { overruled = true }
                }
                if overruled { continue }
            }
            out.append(r.mention)
            for t in r.mention.tokens { taken[t] = true }
        }
        // 2. The tagger's names where the rules have none.
        for s in spans where s.tokens.lowerBound >= headlineRules && !s.tokens.contains(where: { taken[$0] }) && !isPartyTag(s, pass) {
            let k = Int(ruleStarting[s.tokens.lowerBound])
            let same = k >= 0 && rules[k].mention.tokens == s.tokens ? rules[k] : nil
            guard case (var type, let canonical)? = parallaxType(s, pass: pass, rule: same) else { continue }
            var evidence = same.map { $0.mention.type == type ? "\(s.evidence); rules agree: \($0.mention.evidence)" : s.evidence } ?? s.evidence
            // A word the rules read with evidence elsewhere in the article keeps that reading: the
            // tagger's own history of the word can carry one early mistake through a document.
            if s.tokens.count == 1, let known = sure[doc.tokens[s.tokens.lowerBound].key], known != type {
                type = known
                evidence = "rules: \(known.rawValue) elsewhere in the article with evidence"
            }
            let range = doc.range(ofTokens: s.tokens)
            let bytes = doc.tokens[s.tokens.lowerBound].byteRange.lowerBound..<doc.tokens[s.tokens.upperBound - 1].byteRange.upperBound
            out.append(EntityMention(
                article: article.id, range: range, tokens: s.tokens, text: article.text.string(bytes: bytes), type: type,
                evidence: evidence, canonicalHint: canonical))
            for t in s.tokens { taken[t] = true }
        }
        // 3. Dates and numbers where no name is.
        for k in rules.indices where (rules[k].mention.type == .date || rules[k].mention.type == .cardinal) && !rules[k].mention.tokens.contains(where: { taken[$0] }) {
            out.append(rules[k].mention)
        }
        out.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        return out
    }

    /// A tagged span as the rules' knowledge of words allows it:
    /// - a title is never part of a name: a span that starts inside a title phrase of the
    ///   gazetteer ("Secretary of [State of Georgia]") starts after it, and after any "of";
    /// - a span that is not a person's name and ends with "of" and a name the rules read as a
    ///   person's ("Audio of Trump", at a sentence start) gives way to that person.
    static func trimmed(_ s: NERSpan, pass: RecognitionPass, personEnding: [Int32]) -> NERSpan? {
        let toks = pass.tokens
        var span = s
        let a = s.tokens.lowerBound
        // The longest title phrase (2–4 words) covering the span's first token and starting before
        // it (only after a capitalised word or "of", as titles go).
        var titleEnd = -1
        let afterTitleWord = a > 0 && (toks[a - 1].has(.capitalised) || toks[a - 1].key == Words.of)
        let from = max(0, a - 3)
        for start in from..<(afterTitleWord ? a : from) {
            for end in a..<min(s.tokens.upperBound, start + 4) where end > start {
                if pass.gaz.entry(pass.phraseKey(start, end))?.kind.contains(.title) == true { titleEnd = max(titleEnd, end) }
            }
        }
        if titleEnd >= a {
            var first = titleEnd + 1
            while first < s.tokens.upperBound && (toks[first].key == Words.of || toks[first].kind == .punct) { first += 1 }
            guard first < s.tokens.upperBound else { return nil }
            span.tokens = first..<s.tokens.upperBound
        }
        // A group's adjective before a legislature is not part of its name: "the Republican
        // House" is the House, held by Republicans ("Democratic Party" stays whole).
        if span.type != .per, span.tokens.count == 2, Words.legislatures.contains(toks[span.tokens.upperBound - 1].key),
            pass.gaz.entry(toks[span.tokens.lowerBound].key)?.kind.contains(.norp) == true
        {
            span.tokens = (span.tokens.upperBound - 1)..<span.tokens.upperBound
        }
        if span.type != .per, span.tokens.count >= 3 {
            let start = Int(personEnding[span.tokens.upperBound - 1])
            if start > span.tokens.lowerBound + 1 && toks[start - 1].key == Words.of { return nil }
        }
        return span
    }

    /// A congressional party-and-state tag ("D-Calif", "R-Ga."): a description of the person
    /// before it, not a name.
    static func isPartyTag(_ s: NERSpan, _ pass: RecognitionPass) -> Bool {
        guard s.tokens.count == 1 else { return false }
        let word = Array(pass.doc.string(s.tokens.lowerBound).unicodeScalars)
        guard word.count >= 4, "DRI".unicodeScalars.contains(word[0]), word[1] == "-" else { return false }
        let state = String(String.UnicodeScalarView(word[2...]))
        return [state, state + "."].contains { form in
            pass.gaz.entry(TokenKey.hash(form)).map { !$0.kind.intersection([.usState, .stateCode]).isEmpty } ?? false
        }
    }

    /// Parallax's type for a tagged span, and the gazetteer's canonical name; nil when the span is
    /// a MISC that is not a group of people.
    static func parallaxType(_ s: NERSpan, pass: RecognitionPass, rule: Ruled?) -> (EntityType, String?)? {
        let a = s.tokens.lowerBound, b = s.tokens.upperBound - 1
        let entry = pass.gaz.entry(pass.phraseKey(a, b))
        let canonical = entry.flatMap { pass.gaz.canonicalName($0) } ?? rule?.mention.canonicalHint
        switch s.type {
        case .per:
            return (.person, nil)
        case .org:
            return (.org, canonical)
        case .loc:
            // The curated list of organisations names buildings that stand for them ("White House").
            if let e = entry, e.kind.contains(.org) { return (.org, canonical) }
            // "University of Texas" (also a place in the gazetteer), "Bank of America".
            if RecognitionPass.institutionOf(pass.tokens, s.tokens) { return (.org, nil) }
            // A legislature is not a place ("the House").
            if s.tokens.count == 1, Words.legislatures.contains(pass.tokens[a].key) { return (.org, nil) }
            if let rt = rule?.mention.type, rt == .gpe || rt == .loc { return (rt, canonical) }
            if let e = entry, !e.kind.intersection(.place).isEmpty {
                let political = !e.kind.intersection([.country, .usState, .county, .city]).isEmpty
                return (political ? .gpe : .loc, canonical)
            }
            if s.tokens.contains(where: { featureWords.contains(pass.tokens[$0].key) }) { return (.loc, nil) }
            return (.gpe, canonical)
        case .misc:
            if rule?.mention.type == .norp { return (.norp, canonical) }
            if let e = entry, e.kind.contains(.norp) { return (.norp, canonical) }
            if s.tokens.count == 1, let e = pass.gaz.entry(pass.tokens[a].key), e.kind.contains(.norp) { return (.norp, canonical) }
            return nil
        }
    }
}
