/// An entity mention found by the system, as plain values, with a Parallax type name
/// (`PERSON`, `ORG`, `GPE`, `LOC`, `NORP`, `DATE`, `CARDINAL`).
public struct SystemMention: Sendable, Equatable {
    public var article: String
    public var range: Range<Int>
    public var type: String

    public init(article: String, range: Range<Int>, type: String) {
        self.article = article
        self.range = range
        self.type = type
    }
}

public enum EntityErrorKind: String, Sendable, Codable, CaseIterable {
    /// A gold mention that no system mention overlaps.
    case missed
    /// A system mention that counts as a false positive and overlaps no missed gold mention.
    case spurious
    /// A gold mention that system mentions overlap, none with the same span (the one with the
    /// largest overlap is named).
    case boundary
    /// The same span with another type.
    case wrongType = "wrong-type"
}

public struct EntityError: Sendable, Equatable, Codable {
    public var kind: EntityErrorKind
    public var article: String
    /// The gold span (the system span for `spurious`).
    public var start: Int
    public var end: Int
    public var text: String
    public var goldType: String?
    public var systemType: String?
    public var systemStart: Int?
    public var systemEnd: Int?

    enum CodingKeys: String, CodingKey { case kind, article, start, end, text, goldType, systemType, systemStart, systemEnd }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(article, forKey: .article)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(text, forKey: .text)
        try c.encode(goldType, forKey: .goldType)
        try c.encode(systemType, forKey: .systemType)
        try c.encode(systemStart, forKey: .systemStart)
        try c.encode(systemEnd, forKey: .systemEnd)
    }
}

/// Exact spans by type: `counts[row][column]` is the number of spans tagged `rows[row]` in the
/// gold and `columns[column]` by the system; `none` is a span the other side does not have.
public struct ConfusionTable: Sendable, Equatable, Codable {
    public var rows: [String]
    public var columns: [String]
    public var counts: [[Int]]
    /// Gold mentions without an exact system span that a system mention overlaps, by gold type.
    public var boundary: [String: Int]

    public func count(gold: String, system: String) -> Int {
        guard let r = rows.firstIndex(of: gold), let c = columns.firstIndex(of: system) else { return 0 }
        return counts[r][c]
    }
}

public struct EntityEvaluation: Sendable, Equatable, Codable {
    public var documents: Int
    /// Gold mentions of the scored types.
    public var goldMentions: Int
    /// System mentions of a type that maps to a scored one.
    public var systemMentions: Int
    public var micro: PRF
    /// `PER`, `ORG`, `LOC`.
    public var perType: [String: PRF]
    public var confusion: ConfusionTable
    /// Number of errors of each kind (every kind listed).
    public var errorCounts: [String: Int]
    /// By kind (in `EntityErrorKind` order), document (in file order) and offset.
    public var errors: [EntityError]

    public func errors(_ kind: EntityErrorKind) -> [EntityError] { errors.filter { $0.kind == kind } }
}

/// Scores system mentions against CoNLL gold mentions on exact spans (document, start, end)
/// over PER, ORG and LOC: Parallax's PERSON → PER, ORG → ORG, GPE and LOC → LOC; other system
/// types (NORP, DATE, CARDINAL) and gold MISC are left out of the figures.
public enum EntityScorer {
    public static let scoredTypes = ["PER", "ORG", "LOC"]
    public static let typeMap: [String: String] = ["PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"]

    private struct Span: Hashable {
        var range: Range<Int>
        var type: String
    }

    public static func score(documents: [CoNLLDocument], system: [SystemMention]) -> EntityEvaluation {
        var byArticle: [String: [SystemMention]] = [:]
        for m in system { byArticle[m.article, default: []].append(m) }
        let scored = Set(scoredTypes)

        var perType: [String: PRF] = Dictionary(uniqueKeysWithValues: scoredTypes.map { ($0, PRF()) })
        var errors: [EntityError] = []
        var pairs: [String: [String: Int]] = [:]  // gold type → system type → exact spans
        var boundary: [String: Int] = [:]
        var goldCount = 0, systemCount = 0

        var documentOrder: [String: Int] = [:]
        for (i, doc) in documents.enumerated() where documentOrder[doc.id] == nil { documentOrder[doc.id] = i }
        for doc in documents {
            let text = ScalarText(doc.text)
            // Unique spans, in text order.
            var seen = Set<Span>()
            let sys = (byArticle[doc.id] ?? []).compactMap { m -> Span? in
                guard let t = typeMap[m.type] else { return nil }
                return Span(range: m.range, type: t)
            }.filter { seen.insert($0).inserted }.sorted(by: spanOrder)
            seen = []
            let allGold = doc.mentions.map { Span(range: $0.range, type: $0.type) }.filter { seen.insert($0).inserted }.sorted(by: spanOrder)
            let gold = allGold.filter { scored.contains($0.type) }
            goldCount += gold.count
            systemCount += sys.count

            let sysSet = Set(sys)
            var goldByRange: [Range<Int>: [String]] = [:]
            for g in allGold { goldByRange[g.range, default: []].append(g.type) }
            var sysByRange: [Range<Int>: [Int]] = [:]
            for (i, s) in sys.enumerated() { sysByRange[s.range, default: []].append(i) }

            for t in scoredTypes {
                let tp = gold.filter { $0.type == t && sysSet.contains($0) }.count
                perType[t]!.tp += tp
                perType[t]!.fn += gold.filter { $0.type == t }.count - tp
                perType[t]!.fp += sys.filter { $0.type == t }.count - tp
            }

            // Confusion over exact spans, gold MISC included.
            for g in allGold {
                let others = sysByRange[g.range] ?? []
                if others.isEmpty { pairs[g.type, default: [:]]["none", default: 0] += 1 }
                for i in others { pairs[g.type, default: [:]][sys[i].type, default: 0] += 1 }
            }
            for s in sys where goldByRange[s.range] == nil { pairs["none", default: [:]][s.type, default: 0] += 1 }

            // Errors: each missed gold mention is a wrong type, a boundary error or a plain miss.
            let sysIndex = SpanIndex(sys.map(\.range))
            var explained = Set<Int>()
            func error(_ kind: EntityErrorKind, gold: Span?, system: Span?) -> EntityError {
                let r = (gold ?? system)!.range
                return EntityError(
                    kind: kind, article: doc.id, start: r.lowerBound, end: r.upperBound, text: oneLine(text.string(r)),
                    goldType: gold?.type, systemType: system?.type, systemStart: system?.range.lowerBound, systemEnd: system?.range.upperBound)
            }
            let goldSet = Set(gold)
            for g in gold where !sysSet.contains(g) {
                if let i = sysByRange[g.range]?.first {
                    explained.insert(i)
                    errors.append(error(.wrongType, gold: g, system: sys[i]))
                    continue
                }
                let near = sysIndex.overlapping(g.range).filter { !goldSet.contains(sys[$0]) }
                if let i = near.max(by: { overlap(sys[$0].range, g.range) < overlap(sys[$1].range, g.range) }) {
                    explained.formUnion(near)
                    boundary[g.type, default: 0] += 1
                    errors.append(error(.boundary, gold: g, system: sys[i]))
                } else {
                    errors.append(error(.missed, gold: g, system: nil))
                }
            }
            let goldIndex = SpanIndex(allGold.map(\.range))
            for (i, s) in sys.enumerated() where !goldSet.contains(s) && !explained.contains(i) {
                // Name what the gold has there (MISC, say), if anything.
                let under = goldIndex.overlapping(s.range).map { allGold[$0] }
                var e = error(.spurious, gold: nil, system: s)
                e.goldType = (under.first { $0.range == s.range } ?? under.first)?.type
                errors.append(e)
            }
        }

        let micro = scoredTypes.reduce(PRF()) { $0 + perType[$1]! }
        let extraRows = Set(pairs.keys).subtracting(scoredTypes + ["none"]).sorted()
        let rows = scoredTypes + extraRows + ["none"]
        let columns = scoredTypes + ["none"]
        let counts = rows.map { r in columns.map { c in r == "none" && c == "none" ? 0 : pairs[r]?[c] ?? 0 } }
        let order = Dictionary(uniqueKeysWithValues: EntityErrorKind.allCases.enumerated().map { ($1, $0) })
        errors.sort {
            (order[$0.kind]!, documentOrder[$0.article]!, $0.start, $0.end) < (order[$1.kind]!, documentOrder[$1.article]!, $1.start, $1.end)
        }
        return EntityEvaluation(
            documents: documents.count, goldMentions: goldCount, systemMentions: systemCount, micro: micro, perType: perType,
            confusion: ConfusionTable(rows: rows, columns: columns, counts: counts, boundary: boundary),
            errorCounts: Dictionary(uniqueKeysWithValues: EntityErrorKind.allCases.map { k in (k.rawValue, errors.filter { $0.kind == k }.count) }),
            errors: errors)
    }

    private static func spanOrder(_ a: Span, _ b: Span) -> Bool {
        (a.range.lowerBound, a.range.upperBound, a.type) < (b.range.lowerBound, b.range.upperBound, b.type)
    }

    private static func overlap(_ a: Range<Int>, _ b: Range<Int>) -> Int {
        min(a.upperBound, b.upperBound) - max(a.lowerBound, b.lowerBound)
    }
}
