import Foundation

/// The linking stage: groups the mentions of all articles into entities, one per referent.
///
/// A full person name is its own key (titles are never part of a span; accents and case are
/// folded, so Calderon = Calderón). A single word joins a full name of the same type whose last
/// (or first) word it is: the one in the same article, else the one of the corpus; where several
/// fit, the one mentioned most (a bare "Trump" is Donald Trump), unless an honorific or role
/// before the word says a sex that rules it out ("Mrs. Clinton" is not Bill Clinton) — so
/// relatives the text tells apart stay apart. Else a known name of the same type at a small
/// spelling distance (Damerau-Levenshtein ≤ 2 for words of 8 letters or more) joins it.
/// Organisations join the same way on their last word ("the Post"); places, groups, dates and
/// numbers join on their normalised (or gazetteer) name; other names of one organisation
/// (`language/en/entity-aliases.tsv`: "GOP", the Republican Party) join under its name.
public struct LinkEntities: Sendable {
    public init() {}

    public func run(docs: [Doc], mentions: [[EntityMention]]) -> EntityAnalysis {
        Linker.link(docs: docs, mentions: mentions)
    }
}

enum Linker {
    static let legislatures: Set<String> = ["house", "senate", "congress", "parliament"]

    /// Lower case, accents removed ("Calderón" → "calderon").
    static func fold(_ s: String) -> String {
        let lower = s.lowercased()
        guard lower.unicodeScalars.contains(where: { $0.value >= 0x80 }) else { return lower }
        var out = String.UnicodeScalarView()
        for u in lower.decomposedStringWithCanonicalMapping.unicodeScalars where u.properties.generalCategory != .nonspacingMark {
            out.append(u == "\u{2019}" ? "'" : u)
        }
        return String(out)
    }

    /// The words of a person's name (the shared tokenizer's words, initials left out), folded.
    static func personWords(_ s: String) -> [String] {
        let (text, tokens) = Tokenizer.tokens(of: s)
        return tokens.filter { $0.kind != .punct && !($0.has(.abbreviation) && $0.length <= 2) }.map { fold(text.string($0.range)) }
    }

    /// The words of an organisation's name, folded, without a leading "the".
    static func orgWords(_ s: String) -> [String] {
        let (text, tokens) = Tokenizer.tokens(of: s)
        var w = tokens.filter { $0.kind != .punct || $0.length > 1 }.map { fold(text.string($0.range)) }
        if w.count > 1 && w[0] == "the" { w.removeFirst() }
        return w
    }

    /// A key for what decides a mention's entity apart from its context: its type, the keys of
    /// its tokens (or its text), and the gazetteer's or the date resolver's name for it.
    static func surfaceKey(_ m: EntityMention, doc: Doc?) -> UInt64 {
        var k = UInt64(m.type.index + 1) &* 0x9E37_79B9_7F4A_7C15
        if let doc, !m.tokens.isEmpty, m.tokens.upperBound <= doc.tokens.count {
            for i in m.tokens { k = TokenKey.combine(k, doc.key(i)) }
        } else {
            k = TokenKey.combine(k, TokenKey.hash(m.text))
        }
        // Case matters for the canonical name chosen later only through the hint.
        if let hint = m.type == .date ? m.resolvedDate : m.canonicalHint { k = TokenKey.combine(k, TokenKey.hash(hint) ^ 0x5555) }
        return k
    }

    /// The sex an honorific or role right before a mention says ("Mrs." → female).
    static func sexBefore(_ m: EntityMention, in doc: Doc?) -> Lexicon.Sex? {
        guard let doc, !m.tokens.isEmpty else { return nil }
        return PersonFacts.personWord(before: m.tokens.lowerBound, in: doc, lexicon: .english)?.0.sex
    }

    static func link(docs: [Doc], mentions given: [[EntityMention]]) -> EntityAnalysis {
        // Linking fills in each mention's entity in place: the arrays are ours.
        var mentions = given
        // Organisations under another of their names join under one ("GOP" is the Republican
        // Party); a name the list gives is an organisation's ("the Islamic State claimed").
        let aliases = EntityAliases.english
        for a in mentions.indices where a < docs.count {
            for k in mentions[a].indices {
                let type = mentions[a][k].type
                guard type == .org || type == .gpe || type == .loc else { continue }
                guard let name = aliases.name(docs[a], mentions[a][k].tokens) else { continue }
                if mentions[a][k].type != .org {
                    mentions[a][k].type = .org
                    mentions[a][k].evidence = "organisation names list: \(name)"
                }
                if name != mentions[a][k].text { mentions[a][k].canonicalHint = name }
            }
        }
        let gazetteer = Gazetteer.shared
        // Full multi-word names per type, per article and corpus-wide, indexed by last and first word.
        struct Index {
            var byLast: [String: Set<String>] = [:]
            var byFirst: [String: Set<String>] = [:]
        }
        var corpusIndex: [EntityType: Index] = [:]
        var localIndex: [Int: [EntityType: Index]] = [:]
        var spellingPool: [EntityType: Set<String>] = [:]
        /// Mentions of each full name across the corpus, to prefer the dominant one.
        var fullCount: [String: Int] = [:]
        // Surface forms repeat a lot: split and fold each distinct one once.
        var personCache: [String: [String]] = [:]
        var orgCache: [String: [String]] = [:]
        func words(_ m: EntityMention) -> [String] {
            if m.type == .person {
                if let w = personCache[m.text] { return w }
                let w = personWords(m.text)
                personCache[m.text] = w
                return w
            }
            let source = m.canonicalHint ?? m.text
            if let w = orgCache[source] { return w }
            let w = orgWords(source)
            orgCache[source] = w
            return w
        }
        // Whether a surface (`surfaceKey`) is a name of one word: most mentions repeat a surface.
        var singleSurface = KeyMap<Bool>(capacity: 4096)
        func isSingle(_ m: EntityMention, surface: UInt64) -> Bool {
            guard m.type == .person || m.type == .org else { return false }
            if let known = singleSurface[surface] { return known }
            let single = words(m).count < 2
            singleSurface[surface] = single
            return single
        }
        // Surface keys of every mention, in text order, for both passes.
        var surfaces: [[UInt64]] = []
        surfaces.reserveCapacity(mentions.count)
        for a in mentions.indices {
            if !zip(mentions[a], mentions[a].dropFirst()).allSatisfy({ $0.range.lowerBound <= $1.range.lowerBound }) {
                mentions[a].sort { $0.range.lowerBound < $1.range.lowerBound }
            }
            let doc = a < docs.count ? docs[a] : nil
            surfaces.append(mentions[a].map { surfaceKey($0, doc: doc) })
        }
        for (a, ms) in mentions.enumerated() {
            // Each distinct full name of the article is indexed once, with its number of mentions.
            var seen = KeyMap<Int>(capacity: 64)
            var distinct: [(m: EntityMention, count: Int)] = []
            // By index: only persons and organisations are copied out.
            for k in ms.indices where ms[k].type == .person || ms[k].type == .org {
                let m = ms[k]
                let surface = surfaces[a][k]
                if isSingle(m, surface: surface) { continue }
                if let k = seen[surface] {
                    distinct[k].count += 1
                } else {
                    seen[surface] = distinct.count
                    distinct.append((m, 1))
                }
            }
            for (m, count) in distinct {
                let w = words(m)
                let full = w.joined(separator: " ")
                fullCount[full, default: 0] += count
                corpusIndex[m.type, default: Index()].byLast[w.last!, default: []].insert(full)
                localIndex[a, default: [:]][m.type, default: Index()].byLast[w.last!, default: []].insert(full)
                if m.type == .person {
                    localIndex[a, default: [:]][m.type, default: Index()].byFirst[w[0], default: []].insert(full)
                }
                spellingPool[m.type, default: []].insert(w.last!)
            }
        }
        /// The sex a full person name's first word says.
        func sexOf(_ full: String) -> Lexicon.Sex? {
            guard let first = full.split(separator: " ").first else { return nil }
            return gazetteer.entry(TokenKey.hash(String(first)))?.firstNameSex
        }
        /// The one name of `names`, or the one mentioned most, among those a known sex allows.
        func choose(_ names: Set<String>, sex: Lexicon.Sex?, type: EntityType) -> String? {
            if type != .person { return names.count == 1 ? names.first : nil }
            var pool = names
            if let sex {
                let fitting = names.filter { sexOf($0).map { $0 == sex } ?? true }
                if fitting.isEmpty { return nil }
                pool = fitting
            }
            if pool.count == 1 { return pool.first }
            return pool.max { (fullCount[$0] ?? 0, $1) < (fullCount[$1] ?? 0, $0) }
        }

        var keyOf: [String: Int] = [:]
        var entities: [Entity] = []
        var spellingAliases: [Int: Set<String>] = [:]
        var byArticle: [String: [EntityMention]] = [:]
        var spellingCache: [String: (String, String?)?] = [:]
        /// Entity of a surface whose key does not depend on the article (full names, places, …).
        var surfaceEntity = KeyMap<(Int, Bool)>(capacity: 4096)

        for a in mentions.indices {
            let doc = a < docs.count ? docs[a] : nil
            // Most mentions repeat a surface seen before: their entity is looked up by the keys of
            // their tokens, and the name key below is built only the first time.
            var localEntity = KeyMap<(Int, Bool)>(capacity: 64)
            for k in mentions[a].indices {
                let m = mentions[a][k]
                let surface = surfaces[a][k]
                // A name of one word (initials aside) takes its entity from its article.
                let single = isSingle(m, surface: surface)
                var cacheKey = surface
                if single, m.type == .person, let sex = sexBefore(m, in: doc) { cacheKey = TokenKey.combine(cacheKey, sex == .male ? 1 : 2) }
                if let (index, spelling) = single ? localEntity[cacheKey] : surfaceEntity[cacheKey] {
                    mentions[a][k].entity = EntityID(index)
                    if spelling { spellingAliases[index, default: []].insert(m.text) }
                    entities[index].mentions.append(mentions[a][k])
                    continue
                }
                var key: String
                var spelling = false
                switch m.type {
                case .person, .org:
                    let w = words(m)
                    let prefix = m.type == .person ? "P:" : "O:"
                    if w.count >= 2 {
                        key = prefix + w.joined(separator: " ")
                    } else {
                        let word = w.first ?? fold(m.text)
                        let sex = m.type == .person ? sexBefore(m, in: doc) : nil
                        // A legislature ("House", "Senate") is not the short form of another name.
                        let isLegislature = legislatures.contains(word)
                        let local = isLegislature ? nil : localIndex[a]?[m.type]
                        if let s = local?.byLast[word], let full = choose(s, sex: sex, type: m.type) {
                            key = prefix + full
                        } else if let s = local?.byFirst[word], s.count == 1 {
                            key = prefix + s.first!
                        } else if !isLegislature, let s = corpusIndex[m.type]?.byLast[word], let full = choose(s, sex: sex, type: m.type) {
                            key = prefix + full
                        } else if let (match, full) = spellingCache[prefix + word] ?? {
                            let found = closeSpelling(word, type: m.type, pool: spellingPool[m.type] ?? [], index: corpusIndex[m.type]?.byLast)
                            spellingCache[prefix + word] = .some(found)
                            return found
                        }() {
                            key = prefix + (full ?? match)
                            spelling = true
                        } else {
                            key = prefix + word
                        }
                    }
                case .gpe, .loc:
                    key = "G:" + fold(m.canonicalHint ?? m.text)
                case .norp:
                    key = "N:" + fold(m.canonicalHint ?? m.text)
                case .date:
                    key = "D:" + (m.resolvedDate ?? m.text.lowercased())
                case .cardinal:
                    key = "C:" + m.text.lowercased()
                }
                let index: Int
                if let i = keyOf[key] {
                    index = i
                } else {
                    index = entities.count
                    keyOf[key] = index
                    entities.append(Entity(id: EntityID(index), name: m.text, type: m.type, aliases: [], mentions: []))
                }
                mentions[a][k].entity = EntityID(index)
                if spelling { spellingAliases[index, default: []].insert(m.text) }
                if single { localEntity[cacheKey] = (index, spelling) } else { surfaceEntity[cacheKey] = (index, spelling) }
                entities[index].mentions.append(mentions[a][k])
            }
            if let doc { byArticle[doc.article.id] = mentions[a] }
        }

        for i in entities.indices {
            var e = entities[i]
            // Distinct surface forms in order, the most frequent type, the longest hint: one pass
            // that reads the mentions in place (an entity may have tens of thousands).
            var seen: [String] = []
            var seenSet = KeySet(capacity: 8)
            var counts = [Int](repeating: 0, count: EntityType.allCases.count)
            var longestHint: String? = nil
            e.mentions.withUnsafeBufferPointer { ms in
                for j in ms.indices {
                    let text = ms[j].text
                    let key = TokenKey.exact(text)
                    if !seenSet.contains(key) {
                        seenSet.insert(key)
                        seen.append(text)
                    }
                    counts[ms[j].type.index] += 1
                    if let hint = ms[j].canonicalHint, hint.count > (longestHint?.count ?? -1) { longestHint = hint }
                }
            }
            let misspelt = spellingAliases[i] ?? []
            let proper = seen.filter { !misspelt.contains($0) }
            // Type: the most frequent among mentions.
            e.type = EntityType.allCases.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && EntityType.allCases[$0] > EntityType.allCases[$1]) }
                .map { EntityType.allCases[$0] }!
            if let hint = longestHint, e.type != .person {
                e.name = hint
            } else {
                let candidates = proper.isEmpty ? seen : proper
                let mixed = candidates.filter { $0.uppercased() != $0 || e.type == .org }
                e.name = (mixed.isEmpty ? candidates : mixed).max { $0.unicodeScalars.count < $1.unicodeScalars.count } ?? e.name
                if mixed.isEmpty && e.type != .org, let f = candidates.first { e.name = f.capitalized }
            }
            e.aliases = seen.map { misspelt.contains($0) ? "\($0) (spelling)" : $0 }
            entities[i] = e
        }
        linkMembers(&entities)
        return EntityAnalysis(entities: entities, mentionsByArticle: byArticle)
    }

    /// Links each group named by its members (NORP "Republicans", "Democrats") to the
    /// organisation they are members of, when the corpus names it: the organisation list's third
    /// column gives the pairs, and the organisation is found by its name as the linker gave it
    /// ("GOP" is already the Republican Party; a leading "The" aside). Run again after user corrections.
    static func linkMembers(_ entities: inout [Entity], aliases: EntityAliases = .english) {
        var organisations: [String: EntityID] = [:]
        for e in entities where e.type == .org {
            let key = orgWords(e.name).joined(separator: " ")
            // The organisation mentioned most, where two carry one name.
            if let known = organisations[key], entities[known.rawValue].mentions.count >= e.mentions.count { continue }
            organisations[key] = e.id
        }
        for i in entities.indices {
            entities[i].memberOf = nil
            guard entities[i].type == .norp else { continue }
            for form in [entities[i].name] + entities[i].aliases.map(EntityCorrections.plainAlias) {
                if let name = aliases.organisation(ofMembers: form), let org = organisations[orgWords(name).joined(separator: " ")] {
                    entities[i].memberOf = org
                    break
                }
            }
        }
    }

    /// A known word of the same type within a small edit distance; returns it and its full name when unique.
    /// The pool holds the last words of known full names; a word is compared only with those of
    /// the same first letter and a length within 2.
    static func closeSpelling(_ word: String, type: EntityType, pool: Set<String>, index: [String: Set<String>]?) -> (String, String?)? {
        guard type == .person, word.count >= 8 else { return nil }
        let w = Array(word.unicodeScalars)
        var found: String? = nil
        for other in pool where other != word && other.first == word.first {
            let oc = other.count
            if oc < 8 || abs(oc - word.count) > 2 { continue }
            if damerauLevenshtein(w, Array(other.unicodeScalars), limit: 2) <= 2 {
                if found != nil && found != other { return nil }
                found = other
            }
        }
        guard let found else { return nil }
        let full = index?[found].flatMap { $0.count == 1 ? $0.first : nil }
        return (found, full)
    }

    /// Optimal string alignment distance, stopping early above `limit`.
    static func damerauLevenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        let n = a.count, m = b.count
        if abs(n - m) > limit { return limit + 1 }
        var prev2 = [Int](repeating: 0, count: m + 1)
        var prev = Array(0...m)
        var cur = [Int](repeating: 0, count: m + 1)
        for i in 1...max(n, 1) where n > 0 {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...max(m, 1) where m > 0 {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return limit + 1 }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return n == 0 ? m : prev[m]
    }
}
