import Foundation

/// Inter-annotator agreement over tokens: each token (the shared `Tokenizer`'s words and
/// punctuation) gets each annotator's label (or `O` when none of their spans covers it); an
/// annotator who made no annotation in an article counts as missing for its tokens.
public enum Agreement {
    public static let outside = "O"

    /// The tokens of a whole text as scalar ranges: the same words and punctuation marks as
    /// everywhere else in Parallax (`Tokenizer`).
    public static func tokens(_ text: TextBuffer) -> [Range<Int>] {
        Tokenizer.tokens(in: text, range: 0..<text.scalarCount).map(\.range)
    }

    /// The label of the first span (in the given order) overlapping each token, or `O`.
    public static func tokenLabels(_ tokens: [Range<Int>], spans: [(Range<Int>, String)]) -> [String] {
        tokenTags(tokens, spans: spans, bio: false)
    }

    /// BIO tags: `B-label` on a span's first token, `I-label` on the rest, `O` elsewhere.
    public static func tokenTags(_ tokens: [Range<Int>], spans: [(Range<Int>, String)], bio: Bool = true) -> [String] {
        var tags = [String](repeating: outside, count: tokens.count)
        var taken = [Bool](repeating: false, count: tokens.count)
        for (range, label) in spans where !range.isEmpty {
            // First token ending after the span start.
            var lo = 0, hi = tokens.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if tokens[mid].upperBound <= range.lowerBound { lo = mid + 1 } else { hi = mid }
            }
            var first = true
            var i = lo
            while i < tokens.count && tokens[i].lowerBound < range.upperBound {
                if !taken[i] {
                    tags[i] = bio ? (first ? "B-" : "I-") + label : label
                    taken[i] = true
                }
                first = false
                i += 1
            }
        }
        return tags
    }

    /// Cohen's κ for two equally long label sequences; nil when undefined (empty, or chance agreement 1).
    public static func cohensKappa(_ a: [String], _ b: [String]) -> Double? {
        precondition(a.count == b.count, "Cohen's kappa needs paired labels")
        let n = Double(a.count)
        guard n > 0 else { return nil }
        var agree = 0.0
        var countA: [String: Double] = [:], countB: [String: Double] = [:]
        for (x, y) in zip(a, b) {
            if x == y { agree += 1 }
            countA[x, default: 0] += 1
            countB[y, default: 0] += 1
        }
        let po = agree / n
        var pe = 0.0
        for (label, ca) in countA { pe += ca / n * (countB[label] ?? 0) / n }
        guard pe < 1 else { return nil }
        return (po - pe) / (1 - pe)
    }

    /// Krippendorff's α for nominal data: `data[coder][unit]`, nil for a missing value.
    /// Units with fewer than two values are not pairable and are left out. Nil when undefined
    /// (no pairable values, or one value only).
    public static func krippendorffAlpha(_ data: [[String?]]) -> Double? {
        let units = data.map(\.count).max() ?? 0
        var total: [String: Double] = [:]
        var disagreement = 0.0
        var counts: [String: Double] = [:]
        for u in 0..<units {
            counts.removeAll(keepingCapacity: true)
            var m = 0.0
            for coder in data where u < coder.count {
                if let v = coder[u] {
                    counts[v, default: 0] += 1
                    m += 1
                }
            }
            guard m >= 2 else { continue }
            var squares = 0.0
            for (v, c) in counts {
                squares += c * c
                total[v, default: 0] += c
            }
            disagreement += (m * m - squares) / (m - 1)
        }
        let n = total.values.reduce(0, +)
        let sum = total.values.reduce(0, +)
        var expected = 0.0
        for c in total.values { expected += c * (sum - c) }
        guard n > 1, expected > 0 else { return nil }
        return 1 - (n - 1) * disagreement / expected
    }

    public struct Report: Sendable, Equatable {
        public var annotators: [String]
        /// Tokens compared (over the articles someone annotated).
        public var tokens: Int
        /// Krippendorff's α (nominal) over all annotators.
        public var alpha: Double?
        /// Cohen's κ for each pair, over the tokens of articles both annotated.
        public var pairwise: [Pair]

        public struct Pair: Sendable, Equatable {
            public var first: String
            public var second: String
            public var tokens: Int
            public var kappa: Double?
        }

        /// κ when there are exactly two annotators.
        public var kappa: Double? { annotators.count == 2 ? pairwise.first?.kappa : nil }

        /// Each label on its own: every token is that label or not, then α over all annotators
        /// and κ for each pair (in `pairwise` order).
        public var labels: [LabelAgreement] = []
        /// For each pair (in `pairwise` order): how often the first's label (row) met the
        /// second's (column) on a token both labelled, `O` included.
        public var confusion: [Confusion] = []
        /// Stretches of text where annotators who both annotated the article disagree, with
        /// what each said, for adjudication; in article and text order.
        public var disagreements: [Disagreement] = []

        public struct LabelAgreement: Sendable, Equatable {
            public var label: String
            /// Tokens any annotator gave this label.
            public var tokens: Int
            public var alpha: Double?
            public var kappas: [Double?]
        }

        public struct Confusion: Sendable, Equatable {
            public var first: String
            public var second: String
            /// Row and column labels: `O` first, then the others sorted.
            public var labels: [String]
            public var counts: [[Int]]
        }

        public struct Disagreement: Sendable, Equatable {
            public var article: String
            /// Scalar range in the article's text: from the first disputed token to the last.
            public var range: Range<Int>
            public var text: String
            public var views: [View]

            /// One annotator's reading of the stretch: the labels they gave its tokens (`O` for
            /// none) and the notes of their annotations over it.
            public struct View: Sendable, Equatable {
                public var annotator: String
                public var labels: [String]
                public var notes: [String]
            }
        }
    }

    /// Agreement of everyone who annotated the given articles. Articles without a text are skipped.
    public static func report(_ annotations: [Annotation], texts: [String: TextBuffer]) -> Report {
        let annotators = Array(Set(annotations.map(\.annotator))).sorted()
        let byArticle = Dictionary(grouping: annotations, by: \.articleID)
        var data = [[String?]](repeating: [], count: annotators.count)
        var disagreements: [Report.Disagreement] = []
        for id in byArticle.keys.sorted() {
            guard let text = texts[id] else { continue }
            let tokens = tokens(text)
            let byAnnotator = Dictionary(grouping: byArticle[id]!, by: \.annotator)
            var here: [(k: Int, labels: [String], spans: [Annotation])] = []
            for (k, who) in annotators.enumerated() {
                if let mine = byAnnotator[who] {
                    let spans = mine.sorted { ($0.position.start, -$0.position.end) < ($1.position.start, -$1.position.end) }
                    let labels = tokenLabels(tokens, spans: spans.map { ($0.range, $0.label) })
                    data[k].append(contentsOf: labels.map { Optional($0) })
                    here.append((k, labels, spans))
                } else {
                    data[k].append(contentsOf: repeatElement(nil, count: tokens.count))
                }
            }
            // Runs of tokens on which the annotators of this article do not all agree.
            guard here.count >= 2 else { continue }
            var t = 0
            while t < tokens.count {
                guard here.contains(where: { $0.labels[t] != here[0].labels[t] }) else { t += 1; continue }
                let first = t
                while t < tokens.count && here.contains(where: { $0.labels[t] != here[0].labels[t] }) { t += 1 }
                let range = tokens[first].lowerBound..<tokens[t - 1].upperBound
                let views = here.map { h -> Report.Disagreement.View in
                    var labels: [String] = []
                    for l in h.labels[first..<t] where !labels.contains(l) { labels.append(l) }
                    let notes = h.spans.filter { $0.range.overlaps(range) && !$0.note.isEmpty }.map(\.note)
                    return Report.Disagreement.View(annotator: annotators[h.k], labels: labels, notes: notes)
                }
                disagreements.append(Report.Disagreement(article: id, range: range, text: text.string(range), views: views))
            }
        }
        // Every pair of annotators, in order, and the labels both gave, token by token.
        let pairIndices = annotators.indices.flatMap { i in (i + 1..<annotators.count).map { (i, $0) } }
        func both(_ x: [String?], _ y: [String?]) -> (a: [String], b: [String]) {
            var a: [String] = [], b: [String] = []
            for case let (u?, v?) in zip(x, y) {
                a.append(u)
                b.append(v)
            }
            return (a, b)
        }
        func kappa(_ x: [String?], _ y: [String?]) -> (tokens: Int, kappa: Double?) {
            let (a, b) = both(x, y)
            return (a.count, a.isEmpty ? nil : cohensKappa(a, b))
        }
        let pairs = pairIndices.map { i, j in
            let k = kappa(data[i], data[j])
            return Report.Pair(first: annotators[i], second: annotators[j], tokens: k.tokens, kappa: k.kappa)
        }
        var report = Report(annotators: annotators, tokens: data.first?.count ?? 0, alpha: krippendorffAlpha(data), pairwise: pairs)
        report.disagreements = disagreements

        // Per label: that label against everything else.
        var used = Set<String>()
        for coder in data { for case let v? in coder where v != outside { used.insert(v) } }
        for label in used.sorted() {
            let binary = data.map { $0.map { $0.map { $0 == label ? label : outside } } }
            let tokens = (0..<report.tokens).count { u in data.contains { u < $0.count && $0[u] == label } }
            let kappas = pairIndices.map { i, j in kappa(binary[i], binary[j]).kappa }
            report.labels.append(Report.LabelAgreement(label: label, tokens: tokens, alpha: krippendorffAlpha(binary), kappas: kappas))
        }

        // A confusion matrix for each pair, over tokens both labelled.
        let order = [outside] + used.sorted()
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for (i, j) in pairIndices {
            var counts = [[Int]](repeating: [Int](repeating: 0, count: order.count), count: order.count)
            let (a, b) = both(data[i], data[j])
            for (x, y) in zip(a, b) {
                if let r = index[x], let c = index[y] { counts[r][c] += 1 }
            }
            report.confusion.append(Report.Confusion(first: annotators[i], second: annotators[j], labels: order, counts: counts))
        }
        return report
    }
}

extension Agreement.Report {
    /// The report as one JSON object: `annotators`, `tokens`, `alpha`, `pairs` (each with
    /// `kappa` and its `confusion` matrix), `labels` (per label `alpha` and `kappa` per pair),
    /// and, with `disagreements`, each disputed stretch with every annotator's labels and notes.
    /// Undefined coefficients are null.
    public func json(disagreements withDisputes: Bool) -> String {
        var out = JSONWriter()
        func number(_ v: Double?) {
            if let v, v.isFinite { out.raw(String(format: "%.6f", v)) } else { out.raw("null") }
        }
        func strings(_ list: [String]) {
            out.raw("[")
            for (i, s) in list.enumerated() {
                if i > 0 { out.raw(",") }
                out.string(s)
            }
            out.raw("]")
        }
        out.raw("{\"annotators\":"); strings(annotators)
        out.raw(",\"tokens\":\(tokens),\"alpha\":"); number(alpha)
        out.raw(",\"pairs\":[")
        for (i, p) in pairwise.enumerated() {
            if i > 0 { out.raw(",") }
            out.raw("{\"first\":"); out.string(p.first)
            out.raw(",\"second\":"); out.string(p.second)
            out.raw(",\"tokens\":\(p.tokens),\"kappa\":"); number(p.kappa)
            if i < confusion.count {
                out.raw(",\"confusion\":{\"labels\":"); strings(confusion[i].labels)
                out.raw(",\"counts\":[" + confusion[i].counts.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]}")
            }
            out.raw("}")
        }
        out.raw("],\"labels\":[")
        for (i, l) in labels.enumerated() {
            if i > 0 { out.raw(",") }
            out.raw("{\"label\":"); out.string(l.label)
            out.raw(",\"tokens\":\(l.tokens),\"alpha\":"); number(l.alpha)
            out.raw(",\"kappa\":[")
            for (k, v) in l.kappas.enumerated() {
                if k > 0 { out.raw(",") }
                number(v)
            }
            out.raw("]}")
        }
        out.raw("]")
        if withDisputes {
            out.raw(",\"disagreements\":[")
            for (i, d) in disagreements.enumerated() {
                if i > 0 { out.raw(",") }
                out.raw("{\"article\":"); out.string(d.article)
                out.raw(",\"start\":\(d.range.lowerBound),\"end\":\(d.range.upperBound),\"text\":"); out.string(d.text)
                out.raw(",\"annotators\":[")
                for (k, v) in d.views.enumerated() {
                    if k > 0 { out.raw(",") }
                    out.raw("{\"annotator\":"); out.string(v.annotator)
                    out.raw(",\"labels\":"); strings(v.labels)
                    out.raw(",\"notes\":"); strings(v.notes)
                    out.raw("}")
                }
                out.raw("]}")
            }
            out.raw("]")
        }
        out.raw("}\n")
        return out.result
    }

    /// The report as lines of text (what `parallax annotations agreement` prints).
    public func text(disagreements withDisputes: Bool) -> [String] {
        func f(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "n/a" }
        var lines = ["annotators: \(annotators.joined(separator: ", "))", "tokens: \(tokens)", "Krippendorff's alpha (nominal): \(f(alpha))"]
        for p in pairwise { lines.append("Cohen's kappa \(p.first) / \(p.second) (\(p.tokens) tokens): \(f(p.kappa))") }
        if !labels.isEmpty {
            lines.append("")
            lines.append("per label (that label against all others):")
            let width = max(8, labels.map(\.label.count).max() ?? 0)
            for l in labels {
                var line = "  " + l.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(l.tokens) tokens  alpha \(f(l.alpha))"
                for (k, p) in pairwise.enumerated() where k < l.kappas.count { line += "  kappa \(p.first)/\(p.second) \(f(l.kappas[k]))" }
                lines.append(line)
            }
        }
        for c in confusion {
            lines.append("")
            lines.append("confusion, tokens: \(c.first) (rows) × \(c.second) (columns)")
            let width = max(6, (c.labels.map(\.count).max() ?? 0) + 1)
            let cell = max(7, c.counts.flatMap { $0 }.map { String($0).count + 1 }.max() ?? 0, width)
            func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
            lines.append("  " + String(repeating: " ", count: width) + c.labels.map { pad($0, cell) }.joined())
            for (r, row) in c.counts.enumerated() {
                lines.append("  " + c.labels[r].padding(toLength: width, withPad: " ", startingAt: 0) + row.map { pad(String($0), cell) }.joined())
            }
        }
        if withDisputes {
            lines.append("")
            lines.append("disagreements: \(disagreements.count)")
            for d in disagreements {
                let shown = d.text.count > 80 ? String(d.text.prefix(79)) + "…" : d.text
                lines.append("  \(d.article) \(d.range.lowerBound)-\(d.range.upperBound) “\(shown.replacingOccurrences(of: "\n", with: " "))”")
                for v in d.views {
                    let notes = v.notes.isEmpty ? "" : " — " + v.notes.joined(separator: " | ").replacingOccurrences(of: "\n", with: " ")
                    lines.append("    \(v.annotator): \(v.labels.joined(separator: " + "))\(notes)")
                }
            }
        }
        return lines
    }
}
