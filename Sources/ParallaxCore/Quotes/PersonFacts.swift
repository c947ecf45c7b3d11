/// What the whole corpus says about the people in it, for resolving the ways a text refers to a
/// speaker without naming them: the roles their names are given with ("Gov. Brian Kemp" makes
/// "the governor" Kemp), the sex their honorifics, roles and first names say (for "he" and
/// "she"), and which person a bare surname most often stands for.
public struct PersonFacts: Sendable {
    /// Role (`person-words.tsv`) → entity → how often the role stands before its name, per article and corpus-wide.
    var rolesByArticle: [String: [String: [EntityID: Int]]] = [:]
    var roles: [String: [EntityID: Int]] = [:]
    /// Votes for each PERSON entity's sex: (male, female).
    var sexVotes: [EntityID: (Int, Int)] = [:]
    /// Key of a PERSON name's last word → the entity with that surname mentioned most.
    var surnames: [UInt64: EntityID] = [:]

    public init() {}

    public init(docs: [Doc], entities: EntityAnalysis, lexicon: Lexicon = .english, gazetteer: Gazetteer = .shared) {
        var surnameCounts: [UInt64: [EntityID: Int]] = [:]
        for e in entities.entities where e.type == .person {
            // The first name of the canonical name says the sex, when the census says it clearly.
            let parts = e.name.split(separator: " ")
            if parts.count >= 2, let first = parts.first, let sex = gazetteer.entry(TokenKey.hash(String(first)))?.firstNameSex {
                vote(e.id, sex, 2)
            }
            if parts.count >= 2, let last = parts.last {
                surnameCounts[TokenKey.hash(String(last)), default: [:]][e.id, default: 0] += e.mentions.count
            }
        }
        for (key, counts) in surnameCounts {
            if let best = counts.max(by: { ($0.value, -$0.key.rawValue) < ($1.value, -$1.key.rawValue) }) { surnames[key] = best.key }
        }
        for doc in docs {
            guard let mentions = entities.mentionsByArticle[doc.article.id] else { continue }
            for k in mentions.indices where mentions[k].type == .person {
                let tokens = mentions[k].tokens
                guard let e = mentions[k].entity, !tokens.isEmpty else { continue }
                if let (word, _) = PersonFacts.personWord(before: tokens.lowerBound, in: doc, lexicon: lexicon) {
                    if !word.role.isEmpty {
                        rolesByArticle[doc.article.id, default: [:]][word.role, default: [:]][e, default: 0] += 1
                        roles[word.role, default: [:]][e, default: 0] += 1
                    }
                    if let sex = word.sex { vote(e, sex, 3) }
                }
                // A first name in the mention itself ("Hillary" of "Hillary Clinton").
                if tokens.count >= 2, let sex = gazetteer.entry(doc.key(tokens.lowerBound))?.firstNameSex {
                    vote(e, sex, 1)
                }
            }
        }
    }

    mutating func vote(_ e: EntityID, _ sex: Lexicon.Sex, _ weight: Int) {
        var v = sexVotes[e] ?? (0, 0)
        if sex == .male { v.0 += weight } else { v.1 += weight }
        sexVotes[e] = v
    }

    /// The sex the corpus gives a person, when its votes agree clearly.
    public func sex(of e: EntityID) -> Lexicon.Sex? {
        guard let (m, f) = sexVotes[e] else { return nil }
        if m > 2 * f { return .male }
        if f > 2 * m { return .female }
        return nil
    }

    /// The person most often named with `role` in the article, else in the corpus.
    public func resolve(role: String, article: String) -> EntityID? {
        func best(_ m: [EntityID: Int]) -> EntityID? {
            m.max { ($0.value, -$0.key.rawValue) < ($1.value, -$1.key.rawValue) }?.key
        }
        if let m = rolesByArticle[article]?[role], let e = best(m) { return e }
        if let m = roles[role], let e = best(m) { return e }
        return nil
    }

    /// The person a bare surname stands for across the corpus.
    public func person(surnameKey: UInt64) -> EntityID? { surnames[surnameKey] }

    /// The honorific, title or role word that ends right before token `i` ("Secretary of State"
    /// before "Brad Raffensperger", "spokesman" before "Cody Hall"), the longest that fits.
    static func personWord(before i: Int, in doc: Doc, lexicon: Lexicon) -> (Lexicon.PersonWord, Range<Int>)? {
        var found: (Lexicon.PersonWord, Range<Int>)? = nil
        var key: UInt64 = 0
        var length = 0
        var j = i - 1
        // Keys combine left to right, so rebuild the phrase key for each start.
        while j >= 0 && length < lexicon.maxPersonWordTokens {
            length += 1
            guard doc.tokens[j].kind != .punct || doc.tokens[j].has(.abbreviation) else { break }
            key = doc.key(j)
            if j + 1 < i { for k in (j + 1)..<i { key = TokenKey.combine(key, doc.key(k)) } }
            if let w = lexicon.personWord(key), w.tokens == i - j {
                found = (w, j..<i)
            }
            j -= 1
        }
        return found
    }
}
