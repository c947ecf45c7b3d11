import Foundation

/// What the analysis knows about English words, read once from `Resources/language/en/` (see its
/// README): reporting verbs with their inflections, the honorifics, titles and role nouns,
/// non-verb attribution cues, abbreviations, contractions, function words, pronouns, fillers and
/// quotation conventions. Words are keyed by `TokenKey` (case-folded, ’ read as '), phrases by
/// the combined keys of their tokens, so a lookup from a token needs no `String`.
public final class Lexicon: Sendable {
    public enum VerbClass: String, Sendable { case speech, naming }

    public struct Verb: Sendable {
        public var lemma: String
        public var verbClass: VerbClass
        /// Key of the particle that must follow ("in" of "chime in"), or nil.
        public var particle: UInt64?
    }

    public enum PersonWordKind: String, Sendable { case honorific, title, titlePlural = "title-plural", role }
    public enum Sex: Sendable, Equatable { case male, female }

    public struct PersonWord: Sendable {
        public var form: String
        public var kind: PersonWordKind
        /// The role it names, the same for "Gov.", "Governor" and "governor"; empty for "Mr.".
        public var role: String
        public var sex: Sex?
        /// Number of tokens of the form.
        public var tokens: Int
    }

    public enum WordClass: String, Sendable { case det, quant, pron, prep, conj, sub, wh, aux, neg, adv }

    public struct Pronoun: Sendable {
        public enum Case: String, Sendable { case subject, object, possessive, reflexive }
        public var person: Int
        public var plural: Bool?
        /// nil: any; `.none` is expressed by `isNeuter`.
        public var sex: Sex?
        public var isNeuter: Bool
        public var grammaticalCase: Case
    }

    public enum FillerPlace: String, Sendable { case anywhere, betweenCommas = "between-commas" }

    public enum CueKind: String, Sendable { case sourceFollows = "source-follows", utterance, source }

    /// One quotation convention: an opening mark, a closing mark, and the level.
    public struct QuoteConvention: Sendable, Equatable {
        public var open: String
        public var close: String
        public var isDouble: Bool
    }

    // Verbs.
    public let verbs: [Verb]
    /// Inflected form → index into `verbs` (the first lemma listing it).
    public let verbForms: KeyMap<Int32>
    // Person words (phrases keyed by combined token keys).
    public let personWords: [PersonWord]
    public let personWordIndex: KeyMap<Int32>
    public let maxPersonWordTokens: Int
    // Tokenizer data.
    /// Keys of abbreviations without their final period ("mr", "u.s", "ga").
    public let abbreviationStems: KeySet
    /// Keys (with the period) of abbreviations that never end a sentence.
    public let nonFinalAbbreviations: KeySet
    /// Keys (with the period) of abbreviations written with a capital, which match only capitalised tokens.
    public let capitalisedAbbreviations: KeySet
    public let contractions: [String: [String]]
    /// The same keyed by the contraction's `TokenKey`, with the keys of its words.
    public let contractionKeys: KeyMap<[UInt64]>
    public let functionWords: KeyMap<WordClass>
    public let pronouns: KeyMap<Pronoun>
    public let fillers: [String: FillerPlace]
    /// The same keyed by `TokenKey` (a two-word filler by the combined keys of its words).
    public let fillerKeys: KeyMap<FillerPlace>
    /// Phrase key → cue kind; phrases of up to `maxCueTokens` tokens.
    public let cues: KeyMap<CueKind>
    public let maxCueTokens: Int
    public let quoteConventions: [QuoteConvention]

    public static let english: Lexicon = Lexicon.loadBundled(language: "en")

    // MARK: Lookups

    @inline(__always) public func verb(_ key: UInt64) -> Verb? {
        verbForms[key].map { verbs[Int($0)] }
    }

    @inline(__always) public func wordClass(_ key: UInt64) -> WordClass? { functionWords[key] }
    @inline(__always) public func isFunctionWord(_ key: UInt64) -> Bool { functionWords.contains(key) }
    @inline(__always) public func pronoun(_ key: UInt64) -> Pronoun? { pronouns[key] }

    public func personWord(_ key: UInt64) -> PersonWord? {
        personWordIndex[key].map { personWords[Int($0)] }
    }

    /// Words of a contraction ("don't" → do not), or nil.
    public func expand(_ lowercased: String) -> [String]? {
        if let c = contractions[lowercased] { return c }
        if lowercased.hasSuffix("n't"), lowercased.count > 3 { return [String(lowercased.dropLast(3)), "not"] }
        return nil
    }

    // MARK: Loading

    init(
        verbs: [Verb], verbForms: KeyMap<Int32>, personWords: [PersonWord], personWordIndex: KeyMap<Int32>,
        maxPersonWordTokens: Int, abbreviationStems: KeySet, nonFinalAbbreviations: KeySet,
        capitalisedAbbreviations: KeySet, contractions: [String: [String]], functionWords: KeyMap<WordClass>,
        pronouns: KeyMap<Pronoun>, fillers: [String: FillerPlace], cues: KeyMap<CueKind>, maxCueTokens: Int,
        quoteConventions: [QuoteConvention]
    ) {
        self.verbs = verbs
        self.verbForms = verbForms
        self.personWords = personWords
        self.personWordIndex = personWordIndex
        self.maxPersonWordTokens = maxPersonWordTokens
        self.abbreviationStems = abbreviationStems
        self.nonFinalAbbreviations = nonFinalAbbreviations
        self.capitalisedAbbreviations = capitalisedAbbreviations
        self.contractions = contractions
        var ck = KeyMap<[UInt64]>(capacity: contractions.count * 2)
        for (form, words) in contractions { ck[TokenKey.hash(form)] = words.map { TokenKey.hash($0) } }
        contractionKeys = ck
        self.functionWords = functionWords
        self.pronouns = pronouns
        self.fillers = fillers
        var fk = KeyMap<FillerPlace>(capacity: fillers.count * 2)
        for (form, place) in fillers { fk[TokenKey.phrase(form)] = place }
        fillerKeys = fk
        self.cues = cues
        self.maxCueTokens = maxCueTokens
        self.quoteConventions = quoteConventions
    }

    /// Rows of a tab-separated resource file, comments and blank lines skipped.
    static func rows(_ text: String) -> [[String]] {
        var text = text
        return text.withUTF8 { buf in
            var out: [[String]] = []
            DataRows.forEach(buf) { fields in
                guard !fields[0].isEmpty else { return }
                out.append(fields.map { String(decoding: UnsafeBufferPointer(rebasing: buf[$0]), as: UTF8.self) })
            }
            return out
        }
    }

    /// Reads the bundled files of a language folder (`Resources/language/<language>/`).
    public static func loadBundled(language: String) -> Lexicon {
        let dir = Bundle.module.url(forResource: "language", withExtension: nil)?.appendingPathComponent(language)
        return load { name in
            guard let dir, let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Builds a lexicon from file contents by name (`reporting-verbs.tsv`, …); missing files are empty.
    public static func load(_ file: (String) -> String) -> Lexicon {
        func field(_ r: [String], _ i: Int) -> String { i < r.count ? r[i] : "" }

        var verbs: [Verb] = []
        var verbForms = KeyMap<Int32>(capacity: 2048)
        for r in rows(file("reporting-verbs.tsv")) {
            let particle = field(r, 2)
            let verb = Verb(
                lemma: r[0], verbClass: VerbClass(rawValue: field(r, 1)) ?? .speech,
                particle: particle.isEmpty ? nil : TokenKey.hash(particle))
            // Phrasal verbs are kept apart: their forms are cues only with the particle.
            let index = Int32(verbs.count)
            verbs.append(verb)
            for form in field(r, 3).split(separator: " ") {
                let k = TokenKey.hash(String(form))
                if let old = verbForms[k], verbs[Int(old)].particle == nil || verb.particle != nil { continue }
                verbForms[k] = index
            }
        }

        var personWords: [PersonWord] = []
        var personIndex = KeyMap<Int32>(capacity: 2048)
        var maxPersonTokens = 1
        var abbreviationStems = KeySet()
        var nonFinal = KeySet()
        var capitalised = KeySet()
        for r in rows(file("person-words.tsv")) {
            let form = r[0]
            let sex: Sex? = field(r, 3) == "m" ? .male : field(r, 3) == "f" ? .female : nil
            let parts = form.split(separator: " ")
            let w = PersonWord(
                form: form, kind: PersonWordKind(rawValue: field(r, 1)) ?? .role, role: field(r, 2), sex: sex, tokens: parts.count)
            let k = TokenKey.phrase(form)
            if personIndex[k] == nil {
                personIndex[k] = Int32(personWords.count)
                personWords.append(w)
            }
            maxPersonTokens = max(maxPersonTokens, parts.count)
            // Honorifics and titles that end in a period are abbreviations that never end a sentence.
            for p in parts where p.hasSuffix(".") && p.count > 1 {
                abbreviationStems.insert(TokenKey.hash(String(p.dropLast())))
                nonFinal.insert(TokenKey.hash(String(p)))
                if p.first?.isUppercase == true { capitalised.insert(TokenKey.hash(String(p))) }
            }
        }
        for r in rows(file("abbreviations.tsv")) {
            let form = r[0]
            guard form.hasSuffix("."), form.count > 1 else { continue }
            abbreviationStems.insert(TokenKey.hash(String(form.dropLast())))
            if field(r, 1) == "no" { nonFinal.insert(TokenKey.hash(form)) }
            if form.first?.isUppercase == true { capitalised.insert(TokenKey.hash(form)) }
        }

        var contractions: [String: [String]] = [:]
        for r in rows(file("contractions.tsv")) {
            contractions[r[0]] = field(r, 1).split(separator: " ").map(String.init)
        }

        var functionWords = KeyMap<WordClass>(capacity: 512)
        for r in rows(file("function-words.tsv")) {
            if let c = WordClass(rawValue: field(r, 1)) { functionWords[TokenKey.hash(r[0])] = c }
        }

        var pronouns = KeyMap<Pronoun>(capacity: 64)
        for r in rows(file("pronouns.tsv")) {
            let number = field(r, 2)
            let sexField = field(r, 3)
            pronouns[TokenKey.hash(r[0])] = Pronoun(
                person: Int(field(r, 1)) ?? 3, plural: number.isEmpty ? nil : number == "plural",
                sex: sexField == "m" ? .male : sexField == "f" ? .female : nil, isNeuter: sexField == "n",
                grammaticalCase: Pronoun.Case(rawValue: field(r, 4)) ?? .subject)
        }

        var fillers: [String: FillerPlace] = [:]
        for r in rows(file("fillers.tsv")) { fillers[r[0]] = FillerPlace(rawValue: field(r, 1)) ?? .anywhere }

        var cues = KeyMap<CueKind>(capacity: 64)
        var maxCueTokens = 1
        for r in rows(file("attribution-cues.tsv")) {
            guard let kind = CueKind(rawValue: field(r, 1)) else { continue }
            // A word listed twice keeps its first kind ("letter" is an utterance, and a source too).
            if cues[TokenKey.phrase(r[0])] == nil { cues[TokenKey.phrase(r[0])] = kind }
            maxCueTokens = max(maxCueTokens, r[0].split(separator: " ").count)
        }

        var conventions: [QuoteConvention] = []
        for r in rows(file("quote-marks.tsv")) where r.count >= 3 {
            conventions.append(QuoteConvention(open: r[0], close: r[1], isDouble: r[2] == "double"))
        }

        return Lexicon(
            verbs: verbs, verbForms: verbForms, personWords: personWords, personWordIndex: personIndex,
            maxPersonWordTokens: maxPersonTokens, abbreviationStems: abbreviationStems, nonFinalAbbreviations: nonFinal,
            capitalisedAbbreviations: capitalised, contractions: contractions, functionWords: functionWords,
            pronouns: pronouns, fillers: fillers, cues: cues, maxCueTokens: maxCueTokens, quoteConventions: conventions)
    }
}
