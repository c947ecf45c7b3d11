import Foundation

/// What `parallax evaluate` reports: quote and speaker figures on an attribution corpus, entity
/// figures on CoNLL files, either of them absent when its data was not there.
public struct EvaluationReport: Sendable, Equatable, Codable {
    public static let currentVersion = 1

    public var version: Int
    /// The attribution folder, as given.
    public var attributions: String?
    public var quotes: QuoteEvaluation?
    /// The CoNLL files, as given.
    public var conll: [String]
    public var entities: EntityEvaluation?
    /// Default inputs that were not found, as "what PATH".
    public var skipped: [String]
    /// Inputs partly left out (texts without annotations, …).
    public var warnings: [String]

    public init(
        attributions: String?, quotes: QuoteEvaluation?, conll: [String], entities: EntityEvaluation?,
        skipped: [String], warnings: [String]
    ) {
        self.version = EvaluationReport.currentVersion
        self.attributions = attributions
        self.quotes = quotes
        self.conll = conll
        self.entities = entities
        self.skipped = skipped
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey { case version, attributions, quotes, conll, entities, skipped, warnings }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(attributions, forKey: .attributions)
        try c.encode(quotes, forKey: .quotes)
        try c.encode(conll, forKey: .conll)
        try c.encode(entities, forKey: .entities)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(warnings, forKey: .warnings)
    }

    /// The report with at most `n` errors of each kind (the counts stay whole).
    public func keepingErrors(_ n: Int) -> EvaluationReport {
        var out = self
        if var q = out.quotes {
            q.errors = QuoteErrorKind.allCases.flatMap { q.errors($0).prefix(max(0, n)) }
            out.quotes = q
        }
        if var e = out.entities {
            e.errors = EntityErrorKind.allCases.flatMap { e.errors($0).prefix(max(0, n)) }
            out.entities = e
        }
        return out
    }

    /// Stable JSON: keys sorted, figures to four decimals, at most `errors` errors of each kind.
    public func json(errors: Int) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return try encoder.encode(keepingErrors(errors))
    }

    /// The report for people: figures, per-publisher table, confusion table, then the first
    /// `errors` errors of each kind.
    public func text(errors n: Int) -> String {
        var out: [String] = []
        if let q = quotes {
            out += quoteSummary(q)
            out.append("")
        }
        if let e = entities {
            out += entitySummary(e)
            out.append("")
        }
        if n > 0, let q = quotes {
            for kind in QuoteErrorKind.allCases {
                let all = q.errors(kind)
                guard !all.isEmpty else { continue }
                out.append("Quotes, \(kind.rawValue) (\(shown(n, all.count))):")
                out += all.prefix(n).map(Self.line)
                out.append("")
            }
        }
        if n > 0, let e = entities {
            for kind in EntityErrorKind.allCases {
                let all = e.errors(kind)
                guard !all.isEmpty else { continue }
                out.append("Entities, \(kind.rawValue) (\(shown(n, all.count))):")
                out += all.prefix(n).map(Self.line)
                out.append("")
            }
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    private func shown(_ n: Int, _ count: Int) -> String { count > n ? "first \(n) of \(count)" : "\(count)" }

    private func quoteSummary(_ q: QuoteEvaluation) -> [String] {
        var out: [String] = []
        out.append(
            "Quotes: \(q.articles) articles\(attributions.map { " in \($0)" } ?? ""), \(q.goldQuotes) gold quotes "
                + "(\(q.goldWithPronounSource) with a pronoun source, \(q.goldWithoutSource) without a source), "
                + "\(q.systemQuotes) system quotes (\(q.ignoredSystemQuotes) ignored: nested or between single marks)")
        var table = [["", "P", "R", "F1", "TP", "FP", "FN", "speaker", "", "all sources", ""]]
        func row(_ name: String, _ p: PRF, _ s: Accuracy, _ a: Accuracy) -> [String] {
            [name, f(p.precision), f(p.recall), f(p.f1), "\(p.tp)", "\(p.fp)", "\(p.fn)", f(s.value), "\(s.right)/\(s.total)", f(a.value), "\(a.right)/\(a.total)"]
        }
        table.append(row("all", q.quotes, q.speaker, q.speakerAllSources))
        for p in q.publishers { table.append(row(p.publisher, p.quotes, p.speaker, p.speakerAllSources)) }
        out += Self.columns(table, leftAligned: [0])
        out.append("speaker: matched quotes whose gold source is not a bare pronoun; all sources: pronouns included")
        out.append(
            "Speaker judged on the words at the cue as written (before pronouns and descriptions are resolved): "
                + "\(f(q.speakerAsWritten.value)) (\(q.speakerAsWritten.right)/\(q.speakerAsWritten.total))")
        if let p = q.pronounGold {
            out.append(
                "Pronoun sources (\(p.file)): \(f(p.speaker.value)) (\(p.speaker.right)/\(p.speaker.total)) right; "
                    + "\(p.unmatched) unmatched, \(p.unresolved) with referent ?, \(p.unknownArticle) unknown article(s)")
        }
        if let x = q.crossSource {
            out.append(
                "Cross-source (each article's quotes of 8+ words re-reported by a second outlet, seeded): "
                    + "\(f(x.clusteredShare)) of \(x.sameUtterance) pairs of versions of one utterance in one cluster; "
                    + String(format: "%.2f%%", x.joinedShare * 100) + " of \(x.differentUtterances) pairs of different utterances joined "
                    + "(\(x.differentJoined)); \(x.variants) variant pairs counted in neither")
        }
        let c = q.errorCounts
        out.append(
            "Errors: " + QuoteErrorKind.allCases.map { "\($0.rawValue) \(c[$0.rawValue] ?? 0)" }.joined(separator: ", ")
                + " (boundary errors count in FN, their system quotes in FP unless ignored)")
        return out
    }

    private func entitySummary(_ e: EntityEvaluation) -> [String] {
        var out: [String] = []
        let files = conll.isEmpty ? "" : " in " + conll.joined(separator: ", ")
        out.append("Entities: \(e.documents) documents\(files), \(e.goldMentions) gold and \(e.systemMentions) system mentions (PER, ORG, LOC; exact spans)")
        var table = [["", "P", "R", "F1", "TP", "FP", "FN"]]
        func row(_ name: String, _ p: PRF) -> [String] {
            [name, f(p.precision), f(p.recall), f(p.f1), "\(p.tp)", "\(p.fp)", "\(p.fn)"]
        }
        table.append(row("micro", e.micro))
        for t in EntityScorer.scoredTypes { table.append(row(t, e.perType[t] ?? PRF())) }
        out += Self.columns(table, leftAligned: [0])
        out.append("Exact spans, gold (rows) × system (columns):")
        var confusion = [["gold\\system"] + e.confusion.columns]
        for (r, name) in e.confusion.rows.enumerated() {
            confusion.append([name] + e.confusion.counts[r].enumerated().map { c, n in
                name == "none" && e.confusion.columns[c] == "none" ? "-" : "\(n)"
            })
        }
        out += Self.columns(confusion, leftAligned: [0])
        let b = e.confusion.boundary
        out.append(
            "Boundary errors: \(b.values.reduce(0, +)) (" + EntityScorer.scoredTypes.map { "\($0) \(b[$0] ?? 0)" }.joined(separator: ", ") + ")")
        let c = e.errorCounts
        out.append("Errors: " + EntityErrorKind.allCases.map { "\($0.rawValue) \(c[$0.rawValue] ?? 0)" }.joined(separator: ", "))
        return out
    }

    private static func line(_ e: QuoteError) -> String {
        var s = "  \(e.article) \(e.start)-\(e.end)"
        if let a = e.systemStart, let b = e.systemEnd, e.kind == .boundary { s += " (system \(a)-\(b))" }
        s += "  \"\(e.text)\""
        if e.kind != .spurious { s += "  source: \(e.goldSource.map { oneLine($0, limit: 40) } ?? "-")" }
        if e.kind != .missed && e.kind != .noSpeaker { s += "  system: \(e.systemSpeaker.map { oneLine($0, limit: 40) } ?? "-")" }
        return s
    }

    private static func line(_ e: EntityError) -> String {
        var s = "  \(e.article) \(e.start)-\(e.end)"
        if let a = e.systemStart, let b = e.systemEnd, e.kind == .boundary {
            s += " (system \(a)-\(b))"
        }
        s += "  \"\(e.text)\"  gold: \(e.goldType ?? "-")  system: \(e.systemType ?? "-")"
        return s
    }

    private func f(_ x: Double) -> String { String(format: "%.3f", x) }

    /// Rows padded into columns: `leftAligned` columns padded on the right, the others on the left.
    static func columns(_ rows: [[String]], leftAligned: Set<Int>) -> [String] {
        let n = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: n)
        for r in rows { for (i, cell) in r.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { r in
            r.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return leftAligned.contains(i) ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }
}
