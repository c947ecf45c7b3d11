/// Groups versions of one utterance across sources, MemeTracker-style: each quotation is
/// normalised to a word sequence (case, punctuation, quote marks, apostrophes, fillers and
/// common translation synonyms folded), identical sequences with the same speaker form a group,
/// and each group links to the longest other version it occurs in (a local alignment with a
/// small word edit distance), found through an inverted index of its rarest words, never by
/// comparing all pairs. The speaker is evidence: short quotes need the same known speaker and
/// different known speakers never link. Parts of one split quotation are tied together.
enum QuoteClusterer {
    static let fillers: Set<String> = ["um", "uh", "er", "erm", "ah", "hmm", "uhm", "umm"]
    /// Near-synonyms that machine translation swaps; each maps to one representative.
    static let synonyms: [String: String] = [
        "great": "big", "large": "big", "huge": "big", "idea": "clue", "saying": "say", "says": "say",
        "said": "say", "incorrect": "wrong", "false": "wrong", "untrue": "wrong", "pressure": "press",
        "fraudulent": "fraud", "ballot": "vote", "ballots": "votes", "nation": "country", "scam": "fraud",
        "illegal": "criminal", "crime": "criminal", "purchase": "buy", "begin": "start", "commence": "start",
        "quickly": "fast", "rapidly": "fast", "maybe": "perhaps", "whole": "entire", "speak": "talk",
    ]
    static let contractions: [String: [String]] = [
        "you're": ["you", "are"], "we're": ["we", "are"], "they're": ["they", "are"], "i'm": ["i", "am"],
        "there's": ["there", "is"], "it's": ["it", "is"], "that's": ["that", "is"], "what's": ["what", "is"],
        "he's": ["he", "is"], "she's": ["she", "is"], "don't": ["do", "not"], "doesn't": ["does", "not"],
        "didn't": ["did", "not"], "can't": ["can", "not"], "cannot": ["can", "not"], "won't": ["will", "not"],
        "isn't": ["is", "not"], "aren't": ["are", "not"], "wasn't": ["was", "not"], "weren't": ["were", "not"],
        "haven't": ["have", "not"], "hasn't": ["has", "not"], "couldn't": ["could", "not"],
        "wouldn't": ["would", "not"], "shouldn't": ["should", "not"], "you've": ["you", "have"],
        "we've": ["we", "have"], "i've": ["i", "have"], "they've": ["they", "have"], "you'll": ["you", "will"],
        "we'll": ["we", "will"], "i'll": ["i", "will"], "you'd": ["you", "would"], "i'd": ["i", "would"],
        "let's": ["let", "us"],
    ]
    static let stopwords: Set<String> = Set("""
        a an the and or but of to in on at for with by from is are was were be been am do does did not no \
        it this that these those i you he she we they me him her us them my your his our their what which who \
        so as if then than there here have has had will would can could should just all any one more very
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    struct Word { var canon: Int32; var surface: Int32 }

    final class Vocabulary {
        var ids: [String: Int32] = [:]
        var words: [String] = []
        func id(_ w: String) -> Int32 {
            if let k = ids[w] { return k }
            let k = Int32(words.count)
            ids[w] = k
            words.append(w)
            return k
        }
    }

    /// Normalised words of a quotation.
    static func normalise(_ text: String, _ vocab: Vocabulary) -> [Word] {
        var raw: [String] = []  // words and "," markers
        var current = ""
        func flush() {
            if !current.isEmpty {
                while let l = current.last, l == "'" || l == "-" { current.removeLast() }
                while let f = current.first, f == "'" || f == "-" { current.removeFirst() }
                if !current.isEmpty { raw.append(current) }
                current = ""
            }
        }
        for ch in text.unicodeScalars {
            if ch.isQuoteWordChar {
                if ch.value < 0x80 {
                    let v = ch.value
                    current.unicodeScalars.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 32)! : ch)
                } else {
                    current.unicodeScalars.append(contentsOf: String(ch).lowercased().unicodeScalars)
                }
            } else if ch == "'" || ch == "\u{2019}" || ch == "\u{2018}" {
                if !current.isEmpty { current.append("'") }
            } else if ch == "-" && !current.isEmpty {
                current.append("-")
            } else {
                flush()
                if ch == "," || ch == ";" || ch == "." || ch == "—" || ch == "–" || ch == ":" || ch == "!" || ch == "?" { raw.append(",") }
            }
        }
        flush()
        var out: [Word] = []
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            let w = raw[k]
            if w == "," { k += 1; continue }
            // ", you know," is a filler; "You know what you did" is not.
            if w == "you", k + 2 < raw.count, raw[k + 1] == "know", raw[k + 2] == ",", k > 0, raw[k - 1] == "," {
                k += 2
                continue
            }
            if fillers.contains(w) { k += 1; continue }
            var parts: [String]
            if let c = contractions[w] { parts = c }
            else if w.hasSuffix("n't") { parts = [String(w.dropLast(3)), "not"] }
            else if w.hasSuffix("'s") { parts = [String(w.dropLast(2))] }
            else { parts = [w] }
            for p in parts {
                let surface = vocab.id(p)
                let canon = synonyms[p].map { vocab.id($0) } ?? surface
                out.append(Word(canon: canon, surface: surface))
            }
            k += 1
        }
        return out
    }

    struct Group {
        var words: [Word]
        var speaker: String?
        var quotes: [Int]
    }

    /// Allowed word edits for a version of `m` words.
    static func allowance(_ m: Int) -> Int { m <= 3 ? 0 : max(1, m / 5) }

    static func speakerKey(_ s: Speaker?) -> String? {
        guard let s else { return nil }
        if let e = s.entity { return "e\(e)" }
        return "n:" + s.name.lowercased()
    }

    /// Best local alignment of all of `s` inside `l`: (word edits, synonym substitutions), or nil when over `limit`.
    static func align(_ s: [Word], _ l: [Word], limit: Int) -> (Int, Int)? {
        let m = s.count, n = l.count
        if m == 0 || n == 0 { return nil }
        // cost * 4096 + synonyms, so fewer edits win first.
        let scale = 4096
        var prev = [Int](repeating: 0, count: n + 1)
        var cur = [Int](repeating: 0, count: n + 1)
        for i in 1...m {
            cur[0] = i * scale
            var rowMin = cur[0]
            let si = s[i - 1]
            for j in 1...n {
                let lj = l[j - 1]
                var diag = prev[j - 1]
                if si.canon == lj.canon {
                    if si.surface != lj.surface { diag += 1 }
                } else {
                    diag += scale
                }
                let v = min(diag, prev[j] + scale, cur[j - 1] + scale)
                cur[j] = v
                if v < rowMin { rowMin = v }
            }
            if rowMin / scale > limit { return nil }
            swap(&prev, &cur)
        }
        var best = Int.max
        for j in 0...n where prev[j] < best { best = prev[j] }
        let cost = best / scale
        return cost <= limit ? (cost, best % scale) : nil
    }

    /// Share of `s`'s word 3-grams found in `l` (for very long quotations, instead of an alignment).
    static func shingleContainment(_ s: [Word], _ l: [Word]) -> Double {
        func grams(_ w: [Word]) -> Set<Int64> {
            var out = Set<Int64>()
            if w.count < 3 { return out }
            for i in 0..<(w.count - 2) {
                out.insert(Int64(w[i].canon) &* 1_000_003 &+ Int64(w[i + 1].canon) &* 7919 &+ Int64(w[i + 2].canon))
            }
            return out
        }
        let a = grams(s), b = grams(l)
        if a.isEmpty { return 0 }
        return Double(a.filter { b.contains($0) }.count) / Double(a.count)
    }

    static func cluster(_ quotes: inout [Quote], splitTies: [(Int, Int)]) -> [QuoteCluster] {
        let vocab = Vocabulary()
        var groups: [Group] = []
        var groupOf = [Int](repeating: -1, count: quotes.count)
        var groupIndex: [GroupKey: Int] = [:]
        for (k, q) in quotes.enumerated() {
            let words = normalise(q.text, vocab)
            if words.isEmpty { continue }
            let key = GroupKey(words: words.map(\.canon), speaker: speakerKey(q.speaker))
            if let g = groupIndex[key] {
                groups[g].quotes.append(k)
                groupOf[k] = g
            } else {
                groupIndex[key] = groups.count
                groupOf[k] = groups.count
                groups.append(Group(words: words, speaker: key.speaker, quotes: [k]))
            }
        }
        // Inverted index: word → groups containing it, longest first.
        var postings: [Int32: [Int]] = [:]
        for (g, group) in groups.enumerated() {
            var seen = Set<Int32>()
            for w in group.words where seen.insert(w.canon).inserted { postings[w.canon, default: []].append(g) }
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
        for (g, group) in groups.enumerated() {
            let m = group.words.count
            let limit = allowance(m)
            if m == 1 && stopwords.contains(vocab.words[Int(group.words[0].surface)]) { continue }
            // The rarest limit+1 distinct words: any version within `limit` edits shares at least one.
            var distinct = Array(Set(group.words.map(\.canon)))
            distinct.sort { (postings[$0]?.count ?? 0, $0) < (postings[$1]?.count ?? 0, $1) }
            let probes = distinct.prefix(limit + 1)
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
                // Speaker evidence.
                if let a = group.speaker, let b = other.speaker, a != b { continue }
                if m <= 3 && (group.speaker == nil || other.speaker == nil) { continue }
                checks += 1
                var result: (Int, Int)?
                if m > 300 {
                    result = shingleContainment(group.words, other.words) >= 0.9 ? (0, 0) : nil
                } else {
                    result = align(group.words, other.words, limit: limit)
                }
                guard let (cost, syn) = result else { continue }
                let kind: QuoteLink.Kind
                if syn > 0 { kind = .paraphrase }
                else if cost > 0 { kind = .variant }
                else if other.words.count == m { kind = .exact }
                else { kind = .fragment }
                let score = max(0.05, 1 - (Double(cost) + 0.5 * Double(syn)) / Double(max(m, 1)))
                links.append((group.quotes[0], other.quotes[0], kind, (score * 1000).rounded() / 1000))
                union(g, c)
                break
            }
        }
        // Exact duplicates within a group: each links to the group's first quote.
        for group in groups where group.quotes.count > 1 {
            for q in group.quotes.dropFirst() { links.append((q, group.quotes[0], .exact, 1)) }
        }
        for (a, b) in splitTies where groupOf[a] >= 0 && groupOf[b] >= 0 {
            union(groupOf[a], groupOf[b])
            links.append((a, b, .fragment, 1))
        }
        // Components with two or more quotations become clusters, numbered by their first quote.
        var members: [Int: [Int]] = [:]
        for (k, g) in groupOf.enumerated() where g >= 0 { members[find(g), default: []].append(k) }
        var comps = members.values.filter { $0.count > 1 }.map { $0.sorted() }
        comps.sort { $0[0] < $1[0] }
        var clusterOfQuote = [Int](repeating: -1, count: quotes.count)
        var clusters: [QuoteCluster] = []
        for (c, comp) in comps.enumerated() {
            let id = "c\(c + 1)"
            for q in comp { clusterOfQuote[q] = c; quotes[q].cluster = id }
            let root = comp.max { a, b in
                let la = groups[groupOf[a]].words.count, lb = groups[groupOf[b]].words.count
                return (la, quotes[a].text.unicodeScalars.count, -a) < (lb, quotes[b].text.unicodeScalars.count, -b)
            }!
            clusters.append(QuoteCluster(id: id, quotes: comp.map { quotes[$0].id }, links: [], root: quotes[root].id))
        }
        for (a, b, kind, score) in links {
            let c = clusterOfQuote[a]
            guard c >= 0 else { continue }
            clusters[c].links.append(QuoteLink(a: quotes[a].id, b: quotes[b].id, kind: kind, score: score))
        }
        return clusters
    }

    struct GroupKey: Hashable {
        var words: [Int32]
        var speaker: String?
    }
}
