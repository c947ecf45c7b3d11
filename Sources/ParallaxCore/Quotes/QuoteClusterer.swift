import Foundation

/// The clustering stage: versions of one utterance across sources, MemeTracker-style.
///
/// Each quotation is normalised from its tokens to a word sequence (case, punctuation, quote
/// marks and apostrophes ignored; contractions expanded; fillers of `fillers.tsv` dropped),
/// identical sequences with compatible speakers form a group, and each group links to the
/// longest other version it occurs in (a local alignment with a small word edit distance), found
/// through an inverted index of its rarest words, never by comparing all pairs.
///
/// The speaker is evidence, compared by resolved name ("Trump" and "Donald Trump" are one
/// speaker): quotes of 8 words or more that are identical or contained in one another link
/// whatever the speakers; otherwise different known speakers never link, and quotes of three
/// words or fewer need the same known speaker. Within one article only true containment links
/// (never two different sentences). A paraphrase is one speaker's words with a few words replaced
/// by WordNet near-synonyms (`synonyms.tsv`), in place, the rest identical. A cluster holds
/// versions from at least two articles. The parts of a split quotation (`"A," he said. "B."`)
/// are not versions of each other: another outlet may quote either alone.
public struct ClusterQuotes: Sendable {
    public var lexicon: Lexicon
    public var synonyms: Synonyms

    public init(lexicon: Lexicon = .english, synonyms: Synonyms = .english) {
        self.lexicon = lexicon
        self.synonyms = synonyms
    }

    /// Length from which identity or containment links regardless of speakers.
    static let speakerFreeLength = 8

    struct Word: Equatable {
        /// `TokenKey` of the word (case-folded, ’ read as ').
        var key: UInt64
        var content: Bool
    }

    static let notSuffix = TokenKey.hash("not")

    /// Normalised words of the tokens `r` of `doc`, read from their keys.
    func normalise(_ doc: Doc, _ r: Range<Int>) -> [Word] {
        // Words, each with whether a pause (punctuation) comes before it, for the fillers that
        // count only between pauses.
        var raw: [(key: UInt64, token: Int, pauseBefore: Bool)] = []
        var pause = true
        for i in r {
            let t = doc.tokens[i]
            if t.kind == .punct {
                // Punctuation is a pause; quote marks, brackets and a possessive "'s" are not.
                if !t.has(.possessive) && !t.has(.opening) && !t.has(.closing) { pause = true }
                continue
            }
            raw.append((t.key, i, pause))
            pause = false
        }
        var out: [Word] = []
        out.reserveCapacity(raw.count)
        func pauseAfter(_ k: Int) -> Bool { k + 1 >= raw.count || raw[k + 1].pauseBefore }
        func add(_ key: UInt64) { out.append(Word(key: key, content: !lexicon.isFunctionWord(key))) }
        var k = 0
        while k < raw.count {
            let w = raw[k]
            if k + 1 < raw.count, lexicon.fillerKeys[TokenKey.combine(w.key, raw[k + 1].key)] == .betweenCommas,
                w.pauseBefore && pauseAfter(k + 1) && k > 0
            {
                k += 2
                continue
            }
            if let f = lexicon.fillerKeys[w.key], f == .anywhere || (w.pauseBefore && pauseAfter(k) && k > 0) {
                k += 1
                continue
            }
            if let parts = lexicon.contractionKeys[w.key] {
                parts.forEach(add)
            } else if doc.token(w.token, endsWith: "n't") || doc.token(w.token, endsWith: "n\u{2019}t") {
                // Any other verb with "n't": the verb and "not".
                let s = doc.lowercased(w.token)
                add(TokenKey.hash(String(s.dropLast(3))))
                add(Self.notSuffix)
            } else {
                add(w.key)
            }
            k += 1
        }
        return out
    }

    struct Group {
        var words: [Word]
        var speaker: String?
        var quotes: [Int]
        var articles: Set<String>
    }

    /// Allowed word edits for a version of `m` words.
    static func allowance(_ m: Int) -> Int { m <= 3 ? 0 : max(1, m / 5) }

    /// The key a speaker is compared by: the last word of the resolved name, folded.
    static func speakerKey(_ s: Speaker?) -> String? {
        guard let s else { return nil }
        guard let last = s.name.split(separator: " ").last else { return nil }
        return Linker.fold(String(last))
    }

    /// Best local alignment of all of `s` inside `l`: word edits, or nil when over `limit`.
    static func align(_ s: [Word], _ l: [Word], limit: Int) -> Int? {
        let m = s.count, n = l.count
        if m == 0 || n == 0 { return nil }
        var prev = [Int](repeating: 0, count: n + 1)
        var cur = [Int](repeating: 0, count: n + 1)
        for i in 1...m {
            cur[0] = i
            var rowMin = cur[0]
            let si = s[i - 1].key
            for j in 1...n {
                let v = min(prev[j - 1] + (si == l[j - 1].key ? 0 : 1), prev[j] + 1, cur[j - 1] + 1)
                cur[j] = v
                if v < rowMin { rowMin = v }
            }
            if rowMin > limit { return nil }
            swap(&prev, &cur)
        }
        let best = prev.min()!
        return best <= limit ? best : nil
    }

    /// `s` laid over `l` somewhere without gaps, each differing word a content word and a
    /// near-synonym of the one it replaces: the number of replaced words, or nil.
    func paraphrase(_ s: [Word], _ l: [Word]) -> Int? {
        let m = s.count, n = l.count
        guard m >= 3, n >= m else { return nil }
        let maxReplaced = max(1, m / 3)
        var best: Int? = nil
        for o in 0...(n - m) {
            var replaced = 0
            var ok = true
            for i in 0..<m where s[i].key != l[o + i].key {
                replaced += 1
                if replaced > maxReplaced || !s[i].content || !l[o + i].content || !synonyms.near(s[i].key, l[o + i].key)
                {
                    ok = false
                    break
                }
            }
            if ok && replaced > 0 && (best == nil || replaced < best!) { best = replaced }
        }
        return best
    }

    /// Share of `s`'s word 3-grams found in `l` (for very long quotations, instead of an alignment).
    static func shingleContainment(_ s: [Word], _ l: [Word]) -> Double {
        func grams(_ w: [Word]) -> Set<Int64> {
            var out = Set<Int64>()
            if w.count < 3 { return out }
            for i in 0..<(w.count - 2) {
                out.insert(Int64(bitPattern: TokenKey.combine(TokenKey.combine(w[i].key, w[i + 1].key), w[i + 2].key)))
            }
            return out
        }
        let a = grams(s), b = grams(l)
        if a.isEmpty { return 0 }
        return Double(a.filter { b.contains($0) }.count) / Double(a.count)
    }

    struct GroupKey: Hashable {
        var words: [UInt64]
        var speaker: String?
    }

    /// Clusters of `quotes` (whose tokens are in `docs`, by article id). Sets each clustered
    /// quote's `cluster`.
    public func run(_ quotes: inout [Quote], docs: [String: Doc]) -> [QuoteCluster] {
        var groups: [Group] = []
        var groupOf = [Int](repeating: -1, count: quotes.count)
        var groupIndex: [GroupKey: Int] = [:]
        var speakerKeys: [String: String?] = [:]
        for (k, q) in quotes.enumerated() where !q.isFragment || q.speaker != nil {
            guard let doc = docs[q.article] else { continue }
            let words = normalise(doc, doc.tokens(in: q.range))
            if words.isEmpty { continue }
            var speaker: String? = nil
            if let name = q.speaker?.name {
                if let known = speakerKeys[name] { speaker = known } else {
                    speaker = ClusterQuotes.speakerKey(q.speaker)
                    speakerKeys[name] = .some(speaker)
                }
            }
            // Long identical quotations group whatever their speakers.
            let key = GroupKey(words: words.map(\.key), speaker: words.count >= Self.speakerFreeLength ? nil : speaker)
            if let g = groupIndex[key] {
                groups[g].quotes.append(k)
                groups[g].articles.insert(q.article)
                if groups[g].speaker == nil { groups[g].speaker = speaker }
                groupOf[k] = g
            } else {
                groupIndex[key] = groups.count
                groupOf[k] = groups.count
                groups.append(Group(words: words, speaker: speaker, quotes: [k], articles: [q.article]))
            }
        }
        // Inverted index: word → groups containing it, longest first.
        var postings: [UInt64: [Int]] = [:]
        for (g, group) in groups.enumerated() {
            var seen = Set<UInt64>()
            for w in group.words where seen.insert(w.key).inserted { postings[w.key, default: []].append(g) }
        }
        for key in postings.keys { postings[key]!.sort { (groups[$0].words.count, -$0) > (groups[$1].words.count, -$1) } }

        var parent = Array(0..<groups.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func union(_ a: Int, _ b: Int) { let ra = find(a), rb = find(b); if ra != rb { parent[max(ra, rb)] = min(ra, rb) } }

        var links: [(Int, Int, QuoteLink.Kind, Double)] = []  // quote a (shorter), quote b (longer)
        let maxChecks = 64
        // Each group's words as a set, made when first needed: a version that lacks more of a
        // quotation's words than the edits allowed cannot hold it, and needs no alignment.
        var wordSets = [Set<UInt64>?](repeating: nil, count: groups.count)
        func missing(_ s: [Word], from c: Int, atMost limit: Int) -> Bool {
            if wordSets[c] == nil { wordSets[c] = Set(groups[c].words.map(\.key)) }
            var n = 0
            for w in s where !wordSets[c]!.contains(w.key) {
                n += 1
                if n > limit { return false }
            }
            return true
        }
        for (g, group) in groups.enumerated() {
            let m = group.words.count
            let limit = Self.allowance(m)
            if m == 1 && !group.words[0].content { continue }
            // The rarest limit+1 distinct words: any version within `limit` edits shares at least
            // one; a paraphrase shares its unreplaced words.
            let distinct = Set(group.words.map(\.key)).map { (count: postings[$0]?.count ?? 0, key: $0) }.sorted { ($0.count, $0.key) < ($1.count, $1.key) }
            let probes = distinct.prefix(max(limit + 1, m / 3 + 1)).map(\.key)
            var candidates: [Int] = []
            var seen = Set<Int>()
            for w in probes {
                for c in postings[w] ?? [] {
                    if c == g { continue }
                    let cm = groups[c].words.count
                    if (cm, -c) <= (m, -g) { break }  // postings are longest first
                    if seen.insert(c).inserted { candidates.append(c) }
                    if seen.count >= maxChecks * 4 { break }
                }
            }
            candidates.sort { (groups[$0].words.count, -$0) > (groups[$1].words.count, -$1) }
            var checks = 0
            for c in candidates {
                if checks >= maxChecks { break }
                let other = groups[c]
                checks += 1
                let sameArticleOnly = group.articles.count == 1 && other.articles == group.articles
                let bothKnown = group.speaker != nil && other.speaker != nil
                let sameSpeaker = bothKnown && group.speaker == other.speaker
                var result: (cost: Int, kind: QuoteLink.Kind)? = nil
                let paraphraseAllowed = sameSpeaker && !sameArticleOnly
                if !missing(group.words, from: c, atMost: paraphraseAllowed ? max(limit, max(1, m / 3)) : limit) { continue }
                if m > 300 {
                    if Self.shingleContainment(group.words, other.words) >= 0.9 { result = (0, .fragment) }
                } else if missing(group.words, from: c, atMost: limit), let cost = Self.align(group.words, other.words, limit: limit) {
                    result = (cost, cost > 0 ? .variant : other.words.count == m ? .exact : .fragment)
                    // Changed words that are all near-synonyms in place: a paraphrase.
                    if cost > 0, paraphraseAllowed, let replaced = paraphrase(group.words, other.words) { result = (replaced, .paraphrase) }
                } else if paraphraseAllowed, let replaced = paraphrase(group.words, other.words) {
                    result = (replaced, .paraphrase)
                }
                guard let (cost, kind) = result else { continue }
                // Speaker evidence; one article's different sentences never link.
                let speakerFree = cost == 0 && m >= Self.speakerFreeLength
                if !speakerFree {
                    if bothKnown && !sameSpeaker { continue }
                    if m <= 3 && !sameSpeaker { continue }
                }
                if sameArticleOnly && cost > 0 { continue }
                // A changed word in a short quotation: only the same known speaker's words.
                if cost > 0 && m < Self.speakerFreeLength && !sameSpeaker { continue }
                let penalty = kind == .paraphrase ? 0.5 * Double(cost) : Double(cost)
                let score = max(0.05, 1 - penalty / Double(max(m, 1)))
                links.append((group.quotes[0], other.quotes[0], kind, (score * 1000).rounded() / 1000))
                union(g, c)
                break
            }
        }
        // Identical versions within a group: each links to the group's first quote.
        for group in groups where group.quotes.count > 1 {
            for q in group.quotes.dropFirst() { links.append((q, group.quotes[0], .exact, 1)) }
        }
        // Components with versions from two articles or more become clusters, numbered by their first quote.
        var members: [Int: [Int]] = [:]
        for (k, g) in groupOf.enumerated() where g >= 0 { members[find(g), default: []].append(k) }
        var comps = members.values.filter { comp in
            comp.count > 1 && Set(comp.map { quotes[$0].article }).count > 1
        }.map { $0.sorted() }
        comps.sort { $0[0] < $1[0] }
        var clusterOfQuote = [Int](repeating: -1, count: quotes.count)
        var clusters: [QuoteCluster] = []
        for (c, comp) in comps.enumerated() {
            let id = ClusterID(c)
            for q in comp { clusterOfQuote[q] = c; quotes[q].cluster = id }
            // The longest version: most words, then most scalars, then the first.
            let root = comp.map { (words: groups[groupOf[$0]].words.count, length: quotes[$0].range.count, quote: $0) }
                .max { ($0.words, $0.length, -$0.quote) < ($1.words, $1.length, -$1.quote) }!.quote
            clusters.append(QuoteCluster(id: id, quotes: comp.map { quotes[$0].id }, links: [], root: quotes[root].id))
        }
        for (a, b, kind, score) in links {
            let c = clusterOfQuote[a]
            guard c >= 0, clusterOfQuote[b] == c else { continue }
            clusters[c].links.append(QuoteLink(a: quotes[a].id, b: quotes[b].id, kind: kind, score: score))
        }
        return clusters
    }
}

/// Groups of near-synonyms (`synonyms.tsv`, from WordNet): two words are near-synonyms when one
/// group holds both. Words are keyed by `TokenKey`.
public struct Synonyms: Sendable {
    let groups: [UInt64: [Int32]]

    public static let english = Synonyms.loadBundled(language: "en")

    init(groups: [UInt64: [Int32]]) { self.groups = groups }

    public static func load(_ text: String) -> Synonyms {
        var lists: [UInt64: [Int32]] = [:]
        var n: Int32 = 0
        var text = text
        text.withUTF8 { buf in
            DataRows.forEach(buf, separator: 0x20) { words in
                for w in words where !w.isEmpty { lists[TokenKey.hash(buf, w), default: []].append(n) }
                n += 1
            }
        }
        return Synonyms(groups: lists)
    }

    static func loadBundled(language: String) -> Synonyms {
        guard let dir = Bundle.module.url(forResource: "language", withExtension: nil),
            let data = FileManager.default.contents(atPath: dir.appendingPathComponent("\(language)/synonyms.tsv").path)
        else { return Synonyms(groups: [:]) }
        return load(String(decoding: data, as: UTF8.self))
    }

    public func near(_ a: String, _ b: String) -> Bool { near(TokenKey.hash(a), TokenKey.hash(b)) }

    public func near(_ a: UInt64, _ b: UInt64) -> Bool {
        guard let ga = groups[a], let gb = groups[b] else { return false }
        var i = 0, j = 0
        while i < ga.count && j < gb.count {
            if ga[i] == gb[j] { return true }
            if ga[i] < gb[j] { i += 1 } else { j += 1 }
        }
        return false
    }
}
