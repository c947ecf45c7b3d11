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
    }

    /// Agreement of everyone who annotated the given articles. Articles without a text are skipped.
    public static func report(_ annotations: [Annotation], texts: [String: TextBuffer]) -> Report {
        let annotators = Array(Set(annotations.map(\.annotator))).sorted()
        let byArticle = Dictionary(grouping: annotations, by: \.articleID)
        var data = [[String?]](repeating: [], count: annotators.count)
        for id in byArticle.keys.sorted() {
            guard let text = texts[id] else { continue }
            let tokens = tokens(text)
            let byAnnotator = Dictionary(grouping: byArticle[id]!, by: \.annotator)
            for (k, who) in annotators.enumerated() {
                if let mine = byAnnotator[who] {
                    let spans = mine.sorted { ($0.position.start, -$0.position.end) < ($1.position.start, -$1.position.end) }
                    data[k].append(contentsOf: tokenLabels(tokens, spans: spans.map { ($0.range, $0.label) }).map { Optional($0) })
                } else {
                    data[k].append(contentsOf: repeatElement(nil, count: tokens.count))
                }
            }
        }
        var pairs: [Report.Pair] = []
        for i in 0..<annotators.count {
            for j in i + 1..<annotators.count {
                var a: [String] = [], b: [String] = []
                for (x, y) in zip(data[i], data[j]) {
                    if let x, let y {
                        a.append(x)
                        b.append(y)
                    }
                }
                pairs.append(Report.Pair(first: annotators[i], second: annotators[j], tokens: a.count, kappa: a.isEmpty ? nil : cohensKappa(a, b)))
            }
        }
        return Report(annotators: annotators, tokens: data.first?.count ?? 0, alpha: krippendorffAlpha(data), pairwise: pairs)
    }
}
