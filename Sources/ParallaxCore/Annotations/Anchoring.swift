import Foundation
import GRDB

/// Where an annotation lands in the current article text.
public struct Anchor: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Same place, same text.
        case anchored
        /// Found with confidence at another place, or with changed text: show it, let the user confirm.
        case moved
        /// Several places fit equally well (`candidates`): the user picks one.
        case ambiguous
        /// Not found (deleted, or nothing close enough).
        case orphaned
    }
    public enum Method: String, Sendable, Codable {
        case position, exact, normalized, diff, fuzzy, none
    }
    public var state: State
    /// The range in the current text (anchored and moved).
    public var range: Range<Int>?
    /// Equally good ranges (ambiguous).
    public var candidates: [Range<Int>]
    public var method: Method
    /// Similarity of the found text to the quote, 0...1.
    public var score: Double

    public init(state: State, range: Range<Int>?, candidates: [Range<Int>] = [], method: Method, score: Double) {
        self.state = state
        self.range = range
        self.candidates = candidates
        self.method = method
        self.score = score
    }

    static let orphaned = Anchor(state: .orphaned, range: nil, method: .none, score: 0)
}

/// Re-anchors annotations on article texts that may have changed since they were made.
///
/// Order: same content hash → the stored position; otherwise the exact quote, ranked by how much of
/// the 32-scalar prefix and suffix matches; the quote again with whitespace and quote marks and
/// dashes normalized; the old position mapped through a diff of the old text (when the store
/// kept it) against the new; an approximate match (edit distance) of the quote. Quotes shorter
/// than `minimumFuzzyLength` are never matched approximately, and short quotes need matching
/// context; a match below `minimumScore` is no match. Ties stay `ambiguous`, never guessed.
public enum Anchoring {
    /// Shortest quote (in scalars) matched approximately, and below which exact matches need context.
    public static let minimumFuzzyLength = 8
    /// Lowest similarity (1 − edit distance / quote length) accepted from the diff or the fuzzy match.
    public static let minimumScore = 0.75
    /// Context scalars (prefix + suffix) a short quote needs to be placed by an exact match.
    public static let minimumShortContext = 8

    public static func anchor(_ annotation: Annotation, in text: TextBuffer, textHash: String? = nil, previousText: TextBuffer? = nil) -> Anchor {
        anchor(
            quote: annotation.quote, position: annotation.position.range, contentHash: annotation.contentHash,
            in: text, textHash: textHash, previousText: previousText)
    }

    public static func anchor(
        quote: QuoteSelector, position: Range<Int>, contentHash: String, in text: TextBuffer, textHash: String? = nil,
        previousText: TextBuffer? = nil
    ) -> Anchor {
        anchor(
            quote: quote, position: position, contentHash: contentHash, in: Prepared(text, hash: textHash),
            previous: previousText.map { Prepared($0) })
    }

    /// True when the annotation was made on this very text and its quote is still at its position:
    /// the first and cheapest test of `anchor`.
    static func isInPlace(exact: String, position: Range<Int>, contentHash: String, in text: TextBuffer, textHash: String) -> Bool {
        textHash == contentHash && position.upperBound <= text.scalarCount && text.string(position) == exact
    }

    /// `anchor` on a prepared text (and the prepared text the annotation was made on, if kept),
    /// so anchoring many annotations on one article converts, indexes and diffs its text once.
    static func anchor(quote: QuoteSelector, position: Range<Int>, contentHash: String, in text: Prepared, previous: Prepared?) -> Anchor {
        if isInPlace(exact: quote.exact, position: position, contentHash: contentHash, in: text.buffer, textHash: text.hash) {
            return Anchor(state: .anchored, range: position, method: .position, score: 1)
        }
        let t = text.scalars
        let q = Array(quote.exact.unicodeScalars)
        guard !q.isEmpty else { return .orphaned }
        // The context, converted only when a decision needs it.
        lazy var p = Array(quote.prefix.unicodeScalars)
        lazy var s = Array(quote.suffix.unicodeScalars)
        // The old position mapped through a diff, computed only when needed.
        var diffRange: Range<Int>?? = nil
        func mapped() -> Range<Int>? {
            if let known = diffRange { return known }
            var result: Range<Int>? = nil
            if let previous, previous.hash == contentHash, position.upperBound <= previous.buffer.scalarCount,
                previous.buffer.string(position) == quote.exact
            {
                result = text.diff(from: previous).map(position)
            }
            diffRange = .some(result)
            return result
        }
        func state(_ r: Range<Int>) -> Anchor.State {
            r == position && t[r].elementsEqual(q) ? .anchored : .moved
        }

        // Exact, then normalized.
        var ambiguous: [Range<Int>] = []
        for normalized in [false, true] {
            let view = normalized ? text.normalized : text.identity
            let nq = normalized ? Normalized(q).scalars : q
            guard !nq.isEmpty else { continue }
            let hits = view.occurrences(of: nq)
            if hits.isEmpty { continue }
            // Found once, and long enough not to need context (the common case): no ranking.
            if hits.count == 1 && q.count >= minimumFuzzyLength {
                let r = view.original(hits[0]..<hits[0] + nq.count)
                return Anchor(state: state(r), range: r, method: normalized ? .normalized : .exact, score: 1)
            }
            let np = normalized ? Normalized(p).scalars : p
            let ns = normalized ? Normalized(s).scalars : s
            let ranked = hits.map { i in (i, contextScore(view.scalars, i, i + nq.count, np, ns)) }.sorted { $0.1 > $1.1 }
            let best = ranked[0].1
            let tied = ranked.filter { $0.1 == best }.map { view.original($0.0..<$0.0 + nq.count) }
            let maxContext = min(np.count + ns.count, minimumShortContext)
            let enoughContext = q.count >= minimumFuzzyLength || best >= maxContext
            if tied.count == 1 && enoughContext {
                let r = tied[0]
                return Anchor(state: state(r), range: r, method: normalized ? .normalized : .exact, score: 1)
            }
            // Let the diff break a tie or confirm a short quote.
            if let m = mapped(), tied.contains(m) {
                return Anchor(state: state(m), range: m, method: .diff, score: 1)
            }
            ambiguous = tied
            break
        }
        if let m = mapped(), !m.isEmpty {
            let found = Array(t[m])
            let score = similarity(found, q)
            if score >= minimumScore {
                return Anchor(state: state(m), range: m, method: .diff, score: score)
            }
        }
        if !ambiguous.isEmpty {
            return Anchor(state: .ambiguous, range: nil, candidates: ambiguous, method: .exact, score: 1)
        }
        if q.count >= minimumFuzzyLength {
            let maxErrors = Int((Double(q.count) * (1 - minimumScore)).rounded(.down))
            let hits = approximateMatches(q, in: t, maxErrors: maxErrors)
            if let bestDistance = hits.map(\.distance).min() {
                let best = hits.filter { $0.distance == bestDistance }
                let score = 1 - Double(bestDistance) / Double(q.count)
                let ranked = best.map { ($0.range, contextScore(t, $0.range.lowerBound, $0.range.upperBound, p, s)) }
                let top = ranked.map(\.1).max() ?? 0
                let tied = ranked.filter { $0.1 == top }.map(\.0)
                if tied.count == 1 {
                    return Anchor(state: .moved, range: tied[0], method: .fuzzy, score: score)
                }
                return Anchor(state: .ambiguous, range: nil, candidates: tied, method: .fuzzy, score: score)
            }
        }
        return .orphaned
    }

    // MARK: Pieces

    /// An article text made ready for anchoring: its hash and scalars, and (when first needed)
    /// its normalized form, an index of where each pair of scalars occurs in either, and the diff
    /// from each older text. One per text and `anchors` call, not per annotation.
    final class Prepared {
        let buffer: TextBuffer
        let hash: String
        private var scalarsStore: [Unicode.Scalar]?
        private var identityStore: Searchable?
        private var normalizedStore: Searchable?
        private var diffs: [String: DiffMap] = [:]

        init(_ buffer: TextBuffer, hash: String? = nil) {
            self.buffer = buffer
            self.hash = hash ?? buffer.contentHash
        }

        var scalars: [Unicode.Scalar] {
            if let known = scalarsStore { return known }
            let t = Anchoring.scalars(buffer)
            scalarsStore = t
            return t
        }

        var identity: Searchable {
            if let known = identityStore { return known }
            let view = Searchable(Normalized(identity: scalars))
            identityStore = view
            return view
        }

        var normalized: Searchable {
            if let known = normalizedStore { return known }
            let view = Searchable(Normalized(scalars))
            normalizedStore = view
            return view
        }

        /// Maps offsets of `old` (an earlier version of this text) to this one.
        func diff(from old: Prepared) -> DiffMap {
            if let known = diffs[old.hash] { return known }
            let map = DiffMap(old: old.buffer, oldScalars: old.scalars, new: buffer, newScalars: scalars)
            diffs[old.hash] = map
            return map
        }
    }

    /// A text view (as is, or normalized) searched for many quotes: after a few searches, the
    /// positions of every pair of adjacent scalars are indexed, so a search checks only the places
    /// where the quote's first two scalars occur instead of scanning the whole text.
    final class Searchable {
        let view: Normalized
        private var searches = 0
        private var pairs: [UInt64: [Int32]]?
        /// Longest text indexed (the index costs about 12 bytes per scalar); longer ones are scanned.
        static let maxIndexed = 4_000_000
        /// Searches scanned before the index is built: a few quotes are cheaper to scan for.
        static let scansBeforeIndex = 8

        init(_ view: Normalized) { self.view = view }

        var scalars: [Unicode.Scalar] { view.scalars }

        func original(_ r: Range<Int>) -> Range<Int> { view.original(r) }

        static func key(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> UInt64 { UInt64(a.value) << 32 | UInt64(b.value) }

        /// Same as `Anchoring.occurrences(of:in:)`: every start of `q`, ascending.
        func occurrences(of q: [Unicode.Scalar]) -> [Int] {
            let t = view.scalars
            searches += 1
            guard q.count >= 2, t.count <= Searchable.maxIndexed, searches > Searchable.scansBeforeIndex || pairs != nil else {
                return Anchoring.occurrences(of: q, in: t)
            }
            if pairs == nil {
                var index: [UInt64: [Int32]] = [:]
                for i in 0..<max(0, t.count - 1) { index[Searchable.key(t[i], t[i + 1]), default: []].append(Int32(i)) }
                pairs = index
            }
            guard q.count <= t.count, let starts = pairs?[Searchable.key(q[0], q[1])] else { return [] }
            var hits: [Int] = []
            for s in starts {
                let i = Int(s)
                guard i + q.count <= t.count else { break }
                var j = 2
                while j < q.count && t[i + j] == q[j] { j += 1 }
                if j == q.count { hits.append(i) }
            }
            return hits
        }
    }

    static func scalars(_ text: TextBuffer) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.scalarCount)
        text.forEachScalar(in: 0..<text.scalarCount) { scalar, _ in
            out.append(scalar)
            return true
        }
        return out
    }

    static func occurrences(of q: [Unicode.Scalar], in t: [Unicode.Scalar]) -> [Int] {
        guard !q.isEmpty, q.count <= t.count else { return [] }
        var hits: [Int] = []
        let first = q[0]
        var i = 0
        while i + q.count <= t.count {
            if t[i] == first {
                var j = 1
                while j < q.count && t[i + j] == q[j] { j += 1 }
                if j == q.count { hits.append(i) }
            }
            i += 1
        }
        return hits
    }

    /// Scalars of `prefix` matching right before `start` plus scalars of `suffix` matching right after `end`.
    static func contextScore(_ t: [Unicode.Scalar], _ start: Int, _ end: Int, _ prefix: [Unicode.Scalar], _ suffix: [Unicode.Scalar]) -> Int {
        var score = 0
        var i = prefix.count - 1, j = start - 1
        while i >= 0 && j >= 0 && prefix[i] == t[j] { score += 1; i -= 1; j -= 1 }
        i = 0; j = end
        while i < suffix.count && j < t.count && suffix[i] == t[j] { score += 1; i += 1; j += 1 }
        return score
    }

    /// 1 − Levenshtein distance / longer length.
    static func similarity(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        let n = max(a.count, b.count)
        if n == 0 { return 1 }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        let distance = a.isEmpty ? b.count : previous[b.count]
        return 1 - Double(distance) / Double(n)
    }

    struct ApproximateMatch { let range: Range<Int>; let distance: Int }

    /// Substrings of `t` within `maxErrors` edits of `q` (Sellers' dynamic programming with the
    /// start of each match carried along), one per local minimum, non-overlapping, best first.
    static func approximateMatches(_ q: [Unicode.Scalar], in t: [Unicode.Scalar], maxErrors: Int) -> [ApproximateMatch] {
        let m = q.count
        guard m > 0, !t.isEmpty else { return [] }
        var cost = [Int32](0...Int32(m))
        var start = [Int32](repeating: 0, count: m + 1)
        var ends: [(end: Int, start: Int, distance: Int)] = []
        for j in 1...t.count {
            var diagCost = cost[0], diagStart = start[0]
            cost[0] = 0
            start[0] = Int32(j)
            let c = t[j - 1]
            for i in 1...m {
                let up = cost[i]
                let upStart = start[i]
                var best = diagCost + (q[i - 1] == c ? 0 : 1)
                var bestStart = diagStart
                if up + 1 < best { best = up + 1; bestStart = upStart }
                if cost[i - 1] + 1 < best { best = cost[i - 1] + 1; bestStart = start[i - 1] }
                diagCost = up
                diagStart = upStart
                cost[i] = best
                start[i] = bestStart
            }
            if cost[m] <= maxErrors { ends.append((j, Int(start[m]), Int(cost[m]))) }
        }
        // Keep the best end of each run of overlapping candidates.
        var matches: [ApproximateMatch] = []
        for e in ends.sorted(by: { ($0.distance, $0.end) < ($1.distance, $1.end) }) {
            let r = e.start..<e.end
            if !matches.contains(where: { $0.range.overlaps(r) }) { matches.append(ApproximateMatch(range: r, distance: e.distance)) }
        }
        return matches
    }

    /// Text with curly quotes, dashes and spaces folded and whitespace runs collapsed, mapped back to the original.
    struct Normalized {
        var scalars: [Unicode.Scalar] = []
        var starts: [Int] = []
        var ends: [Int] = []
        var isIdentity = false

        init(identity t: [Unicode.Scalar]) {
            scalars = t
            isIdentity = true
        }

        init(_ t: [Unicode.Scalar]) {
            scalars.reserveCapacity(t.count)
            for (i, c) in t.enumerated() {
                let folded = Normalized.fold(c)
                if folded == " ", scalars.last == " " {
                    ends[ends.count - 1] = i + 1
                    continue
                }
                scalars.append(folded)
                starts.append(i)
                ends.append(i + 1)
            }
        }

        func original(_ r: Range<Int>) -> Range<Int> {
            if isIdentity { return r }
            return starts[r.lowerBound]..<ends[r.upperBound - 1]
        }

        static func fold(_ c: Unicode.Scalar) -> Unicode.Scalar {
            switch c.value {
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x0060, 0x00B4: return "'"
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB: return "\""
            case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212: return "-"
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                return " "
            default: return c
            }
        }
    }
}

/// Maps scalar offsets of an old text to a new one through a Myers diff of their tokens (the
/// shared `Tokenizer`'s words and punctuation, so a word is what it is everywhere else).
struct DiffMap {
    /// Equal stretches: (old start, new start, length) in scalars, in order.
    var runs: [(old: Int, new: Int, length: Int)] = []
    /// Largest edit script (in tokens) worth computing; beyond it only the common prefix and suffix map.
    static let maxEdits = 1000

    init(old oldText: TextBuffer, oldScalars old: [Unicode.Scalar], new newText: TextBuffer, newScalars new: [Unicode.Scalar]) {
        var prefix = 0
        while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix && suffix < new.count - prefix && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        if prefix > 0 { runs.append((0, 0, prefix)) }
        // Tokens of the stretch between the common prefix and suffix (a token cut by either
        // boundary is left out: its pieces are in the equal stretches already).
        let a = Tokenizer.tokens(in: oldText, range: prefix..<(old.count - suffix)).map(\.range)
        let b = Tokenizer.tokens(in: newText, range: prefix..<(new.count - suffix)).map(\.range)
        if let pairs = DiffMap.myers(a.map { Array(old[$0]) }, b.map { Array(new[$0]) }) {
            for (i, j) in pairs {
                let o = a[i].lowerBound, n = b[j].lowerBound, len = a[i].count
                if let last = runs.last {
                    // The space between two matched tokens maps too when it is the same in both.
                    let oldGap = (last.old + last.length)..<o, newGap = (last.new + last.length)..<n
                    if oldGap.count == newGap.count && oldGap.count > 0 && old[oldGap] == new[newGap] {
                        runs[runs.count - 1].length += oldGap.count + len
                        continue
                    }
                    if oldGap.isEmpty && newGap.isEmpty {
                        runs[runs.count - 1].length += len
                        continue
                    }
                }
                runs.append((o, n, len))
            }
        }
        if suffix > 0 {
            let o = old.count - suffix, n = new.count - suffix
            if let last = runs.last, last.old + last.length == o, last.new + last.length == n {
                runs[runs.count - 1].length += suffix
            } else {
                runs.append((o, n, suffix))
            }
        }
    }

    init(old: TextBuffer, new: TextBuffer) {
        self.init(old: old, oldScalars: Anchoring.scalars(old), new: new, newScalars: Anchoring.scalars(new))
    }

    /// The new range for an old one, or nil when all of it was deleted.
    func map(_ r: Range<Int>) -> Range<Int>? {
        guard !r.isEmpty else { return nil }
        var start: Int? = nil
        for run in runs where run.old + run.length > r.lowerBound {
            start = run.old <= r.lowerBound ? run.new + (r.lowerBound - run.old) : run.new
            break
        }
        var end: Int? = nil
        let last = r.upperBound - 1
        for run in runs.reversed() where run.old <= last {
            end = last < run.old + run.length ? run.new + (last - run.old) + 1 : run.new + run.length
            break
        }
        guard let start, let end, end > start else { return nil }
        // Nothing of the span survived when no equal run falls inside it.
        guard runs.contains(where: { $0.old < r.upperBound && $0.old + $0.length > r.lowerBound }) else { return nil }
        return start..<end
    }

    /// Matched index pairs of a shortest edit script (Myers 1986), or nil beyond `maxEdits`.
    static func myers(_ a: [[Unicode.Scalar]], _ b: [[Unicode.Scalar]]) -> [(Int, Int)]? {
        let n = a.count, m = b.count
        if n == 0 || m == 0 { return [] }
        let maxD = min(n + m, maxEdits)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...maxD {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { found = true; break outer }
            }
        }
        guard found else { return nil }
        var pairs: [(Int, Int)] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let vd = trace[d]
            let k = x - y
            let prevK = (k == -d || (k != d && vd[offset + k - 1] < vd[offset + k + 1])) ? k + 1 : k - 1
            let prevX = vd[offset + prevK]
            let prevY = prevX - prevK
            while x > prevX && y > prevY {
                x -= 1
                y -= 1
                pairs.append((x, y))
            }
            x = prevX
            y = prevY
        }
        return pairs.reversed()
    }
}

/// A span the reader marks: where an annotation lands now, or one place an ambiguous one could be.
public struct AnchoredSpan: Sendable, Equatable {
    public var range: Range<Int>
    public var state: Anchor.State
}

/// An annotation with where it lands in the article as it is now.
public struct AnchoredAnnotation: Sendable, Equatable {
    public var annotation: Annotation
    public var anchor: Anchor
}

extension AnnotationStore {
    /// The current annotations of an article, re-anchored on its current text (using the
    /// stored old texts for diff mapping). The UI shows `moved`, `ambiguous` and `orphaned` ones
    /// for the user to confirm or re-place (`edit(id:range:text:...)`).
    public func anchors(articleID: String, text: TextBuffer) throws(AnnotationStoreError) -> [AnchoredAnnotation] {
        let annotations = try annotations(article: articleID)
        if annotations.isEmpty { return [] }
        let current = Anchoring.Prepared(text)
        var previous: [String: Anchoring.Prepared?] = [:]
        var out: [AnchoredAnnotation] = []
        out.reserveCapacity(annotations.count)
        for a in annotations {
            var old: Anchoring.Prepared? = nil
            if a.contentHash != current.hash {
                if let known = previous[a.contentHash] {
                    old = known
                } else {
                    old = try snapshot(contentHash: a.contentHash).map { Anchoring.Prepared($0) }
                    previous[a.contentHash] = .some(old)
                }
            }
            let anchor = Anchoring.anchor(quote: a.quote, position: a.position.range, contentHash: a.contentHash, in: current, previous: old)
            out.append(AnchoredAnnotation(annotation: a, anchor: anchor))
        }
        return out
    }

    public func anchors(for article: Article) throws(AnnotationStoreError) -> [AnchoredAnnotation] {
        try anchors(articleID: article.id, text: article.text)
    }

    /// Where the current annotations of an article land in its text now, by start: the ranges
    /// of `anchors(articleID:text:)` that are placed and not empty, without building the
    /// annotations. Annotations made on this very text are checked in place, reading only their
    /// offsets and quote; the others are re-anchored as `anchors` does. This is what the reader
    /// underlines, so a frame never waits for tens of thousands of full annotations to load.
    public func anchoredRanges(articleID: String, text: TextBuffer) throws(AnnotationStoreError) -> [Range<Int>] {
        try anchoredSpans(articleID: articleID, text: text).compactMap { $0.state == .ambiguous ? nil : $0.range }
    }

    /// What the reader marks in an article: each placed annotation's range with its state
    /// (`anchored`, or `moved` when the text moved under it), and each place an ambiguous one
    /// could be (`ambiguous`, one span per candidate); by start. Read like `anchoredRanges`.
    public func anchoredSpans(articleID: String, text: TextBuffer) throws(AnnotationStoreError) -> [AnchoredSpan] {
        let current = Anchoring.Prepared(text)
        struct Item {
            var seq: Int64
            var id: String
            var position: Range<Int>
            var exact: String
            /// Context and hash of an annotation made on another text (nil: made on this one).
            var other: (prefix: String, suffix: String, hash: String)?
        }
        // The same rows as `annotations(article:)`, with the same rule for the current revision.
        let (items, fallback) = try read { db -> ([Item], [Int64: Annotation]) in
            var items: [Item] = []
            var revised = Set<String>()
            var deleted = Set<Int64>()
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT seq, annotation_id, supersedes, deleted, start_offset, end_offset, exact,
                        content_hash = ?, prefix, suffix, content_hash
                    FROM revision WHERE article_id = ?
                    """, arguments: [current.hash, articleID])
            while let row = try rows.next() {
                let seq: Int64 = row[0]
                let id: String = row[1]
                if (row[2] as Int64?) != nil { revised.insert(id) }
                if (row[3] as Int) != 0 { deleted.insert(seq) }
                let start: Int = row[4]
                let end: Int = row[5]
                let same = (row[7] as Int) != 0
                items.append(
                    Item(seq: seq, id: id, position: start..<max(start, end), exact: row[6], other: same ? nil : (row[8], row[9], row[10])))
            }
            var newest: [String: Int64] = [:]
            for item in items where revised.contains(item.id) { newest[item.id] = max(newest[item.id] ?? 0, item.seq) }
            items.removeAll { item in deleted.contains(item.seq) || (newest[item.id].map { $0 != item.seq } ?? false) }
            // Made on this text but not found in place (rows written by hand or imported with a
            // wrong hash): read in full, anchored like any other below.
            var fallback: [Int64: Annotation] = [:]
            for item in items where item.other == nil && !Anchoring.isInPlace(
                exact: item.exact, position: item.position, contentHash: current.hash, in: text, textHash: current.hash)
            {
                fallback[item.seq] = try Self.revision(db, seq: item.seq)
            }
            return (items, fallback)
        }
        var previous: [String: Anchoring.Prepared?] = [:]
        var out: [AnchoredSpan] = []
        out.reserveCapacity(items.count)
        for item in items {
            let quote: QuoteSelector
            let hash: String
            if let other = item.other {
                quote = QuoteSelector(exact: item.exact, prefix: other.prefix, suffix: other.suffix)
                hash = other.hash
            } else if let a = fallback[item.seq] {
                quote = a.quote
                hash = a.contentHash
            } else {
                if !item.position.isEmpty { out.append(AnchoredSpan(range: item.position, state: .anchored)) }
                continue
            }
            var old: Anchoring.Prepared? = nil
            if hash != current.hash {
                if let known = previous[hash] {
                    old = known
                } else {
                    old = try snapshot(contentHash: hash).map { Anchoring.Prepared($0) }
                    previous[hash] = .some(old)
                }
            }
            let anchor = Anchoring.anchor(quote: quote, position: item.position, contentHash: hash, in: current, previous: old)
            if let r = anchor.range, !r.isEmpty {
                out.append(AnchoredSpan(range: r, state: anchor.state == .anchored ? .anchored : .moved))
            } else if anchor.state == .ambiguous {
                for c in anchor.candidates where !c.isEmpty { out.append(AnchoredSpan(range: c, state: .ambiguous)) }
            }
        }
        out.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        return out
    }

    public func anchoredRanges(for article: Article) throws(AnnotationStoreError) -> [Range<Int>] {
        try anchoredRanges(articleID: article.id, text: article.text)
    }

    public func anchoredSpans(for article: Article) throws(AnnotationStoreError) -> [AnchoredSpan] {
        try anchoredSpans(articleID: article.id, text: article.text)
    }
}
