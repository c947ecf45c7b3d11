import Foundation

/// Cross-source identity: groups mentions of all articles into entities.
///
/// A full person name is its own key (titles are never part of a span); a single word joins the
/// full name of the same type in the same article whose last (or first) word it is, else the one
/// full name in the corpus with that last word, else a known name of the same type at a small
/// spelling distance (Damerau-Levenshtein ≤ 2 for words of 8 letters or more). Organisations join
/// the same way on their last word ("the Post"); places, groups, dates and numbers join on their
/// normalised (or gazetteer) name.
enum Linker {
    static let legislatures: Set<String> = ["house", "senate", "congress", "parliament"]

    static func personWords(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == " " || $0 == "\u{A0}" || $0 == "\n" }).map { String($0) }
            .filter { !($0.hasSuffix(".") && $0.count <= 2) }
            .map { $0.lowercased() }
    }

    static func orgWords(_ s: String) -> [String] {
        var w = s.split(separator: " ").map { $0.lowercased() }
        if w.count > 1 && w[0] == "the" { w.removeFirst() }
        return w
    }

    static func link(articles: [Article], mentions: [[EntityMention]]) -> EntityAnalysis {
        // Full multi-word names per type, per article and corpus-wide, indexed by last and first word.
        struct Index {
            var byLast: [String: Set<String>] = [:]
            var byFirst: [String: Set<String>] = [:]
        }
        var corpusIndex: [EntityType: Index] = [:]
        var localIndex: [Int: [EntityType: Index]] = [:]
        var spellingPool: [EntityType: Set<String>] = [:]
        func words(_ m: EntityMention) -> [String] {
            m.type == .person ? personWords(m.text) : orgWords(m.canonicalHint ?? m.text)
        }
        for (a, ms) in mentions.enumerated() {
            for m in ms where m.type == .person || m.type == .org {
                let w = words(m)
                guard w.count >= 2 else {
                    if let only = w.first { spellingPool[m.type, default: []].insert(only) }
                    continue
                }
                let full = w.joined(separator: " ")
                corpusIndex[m.type, default: Index()].byLast[w.last!, default: []].insert(full)
                localIndex[a, default: [:]][m.type, default: Index()].byLast[w.last!, default: []].insert(full)
                if m.type == .person {
                    localIndex[a, default: [:]][m.type, default: Index()].byFirst[w[0], default: []].insert(full)
                }
                spellingPool[m.type, default: []].insert(w.last!)
            }
        }

        var keyOf: [String: Int] = [:]
        var entities: [Entity] = []
        var spellingAliases: [Int: Set<String>] = [:]
        var byArticle: [String: [EntityMention]] = [:]

        for (a, ms) in mentions.enumerated() {
            var out: [EntityMention] = []
            for var m in ms.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                var key: String
                var spelling = false
                switch m.type {
                case .person, .org:
                    let w = words(m)
                    let prefix = m.type == .person ? "P:" : "O:"
                    if w.count >= 2 {
                        key = prefix + w.joined(separator: " ")
                    } else {
                        let word = w.first ?? m.text.lowercased()
                        // A legislature ("House", "Senate") is not the short form of another name.
                        let local = legislatures.contains(word) ? nil : localIndex[a]?[m.type]
                        if let s = local?.byLast[word], s.count == 1 {
                            key = prefix + s.first!
                        } else if let s = local?.byFirst[word], s.count == 1 {
                            key = prefix + s.first!
                        } else if !legislatures.contains(word), let s = corpusIndex[m.type]?.byLast[word], s.count == 1 {
                            key = prefix + s.first!
                        } else if let (match, full) = closeSpelling(word, type: m.type, pool: spellingPool[m.type] ?? [], index: corpusIndex[m.type]?.byLast) {
                            key = prefix + (full ?? match)
                            spelling = true
                        } else {
                            key = prefix + word
                        }
                    }
                case .gpe, .loc:
                    key = "G:" + (m.canonicalHint ?? m.text).lowercased()
                case .norp:
                    key = "N:" + (m.canonicalHint ?? m.text).lowercased()
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
                    entities.append(Entity(id: "e\(index + 1)", name: m.text, type: m.type, aliases: [], mentions: []))
                }
                m.entity = index
                if spelling { spellingAliases[index, default: []].insert(m.text) }
                entities[index].mentions.append(m)
                out.append(m)
            }
            byArticle[articles[a].id] = out
        }

        for i in entities.indices {
            var e = entities[i]
            var seen: [String] = []
            for m in e.mentions where !seen.contains(m.text) { seen.append(m.text) }
            let misspelt = spellingAliases[i] ?? []
            let proper = seen.filter { !misspelt.contains($0) }
            // Type: the most frequent among mentions.
            var counts: [EntityType: Int] = [:]
            for m in e.mentions { counts[m.type, default: 0] += 1 }
            e.type = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
            if let hint = e.mentions.compactMap(\.canonicalHint).max(by: { $0.count < $1.count }), e.type != .person {
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
        return EntityAnalysis(entities: entities, mentionsByArticle: byArticle)
    }

    /// A known word of the same type within a small edit distance; returns it and its full name when unique.
    static func closeSpelling(_ word: String, type: EntityType, pool: Set<String>, index: [String: Set<String>]?) -> (String, String?)? {
        guard type == .person, word.count >= 8 else { return nil }
        let w = Array(word.unicodeScalars)
        var found: String? = nil
        for other in pool where other != word && other.count >= 8 && other.first == word.first {
            if abs(other.count - word.count) > 2 { continue }
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
