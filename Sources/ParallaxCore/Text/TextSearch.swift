/// A search pattern with vim's smart case: case-insensitive unless the pattern has a capital.
/// Curly and straight quote marks match each other, so `there's` finds `there’s`.
public struct SearchPattern: Sendable, Equatable {
    public let raw: String
    public let caseSensitive: Bool
    let folded: [UInt32]

    public init?(_ raw: String) {
        guard !raw.isEmpty else { return nil }
        self.raw = raw
        let sensitive = raw.unicodeScalars.contains { $0.properties.isUppercase }
        self.caseSensitive = sensitive
        self.folded = raw.unicodeScalars.map { SearchPattern.fold($0, caseSensitive: sensitive) }
    }

    @inline(__always)
    static func fold(_ s: Unicode.Scalar, caseSensitive: Bool) -> UInt32 {
        let v = s.value
        if v < 0x80 {
            if !caseSensitive && v >= 0x41 && v <= 0x5A { return v + 32 }
            return v
        }
        switch v {
        case 0x2018, 0x2019, 0x201B, 0x2032: return 0x27
        case 0x201C, 0x201D, 0x201F, 0x2033: return 0x22
        case 0x00A0: return 0x20
        default: break
        }
        if caseSensitive { return v }
        let lower = s.properties.lowercaseMapping.unicodeScalars
        if lower.count == 1, let first = lower.first { return first.value }
        return v
    }
}

/// Linear-time search (Knuth–Morris–Pratt over folded scalars) in the visible text of an article:
/// hidden ranges are skipped as if absent, so a match may span a hidden run.
public enum TextSearch {
    /// All matches in `range`, at most `limit`.
    public static func matches(
        of pattern: SearchPattern, in text: TextBuffer, range: Range<Int>, hidden: [Range<Int>] = [], limit: Int = .max
    ) -> [Range<Int>] {
        var out: [Range<Int>] = []
        scan(pattern, text, range, hidden) { m in
            out.append(m)
            return out.count < limit
        }
        return out
    }

    /// The first match starting at or after `offset` (forward) or before `offset` (backward),
    /// without wrapping around.
    public static func find(
        _ pattern: SearchPattern, in text: TextBuffer, range: Range<Int>, hidden: [Range<Int>] = [],
        from offset: Int, forward: Bool
    ) -> Range<Int>? {
        if forward {
            var found: Range<Int>?
            scan(pattern, text, max(offset, range.lowerBound)..<range.upperBound, hidden) { m in
                found = m
                return false
            }
            return found
        }
        // Backward: search growing windows before `offset` and keep the last match in each.
        var window = 64 * 1024
        var hi = min(offset, range.upperBound)
        let patternLength = pattern.folded.count
        while hi > range.lowerBound {
            let lo = max(range.lowerBound, hi - window)
            var last: Range<Int>?
            let scanEnd = min(range.upperBound, hi + patternLength + 64)
            scan(pattern, text, lo..<scanEnd, hidden) { m in
                if m.lowerBound < offset { last = m; return true }
                return false
            }
            if let last { return last }
            if lo == range.lowerBound { break }
            hi = lo + patternLength
            window *= 2
        }
        return nil
    }

    private static func scan(
        _ pattern: SearchPattern, _ text: TextBuffer, _ range: Range<Int>, _ hidden: [Range<Int>],
        _ report: (Range<Int>) -> Bool
    ) {
        let p = pattern.folded
        let m = p.count
        guard m > 0 else { return }
        // KMP failure table.
        var fail = [Int](repeating: 0, count: m)
        var k = 0
        for i in 1..<max(m, 1) where m > 1 {
            while k > 0 && p[i] != p[k] { k = fail[k - 1] }
            if p[i] == p[k] { k += 1 }
            fail[i] = k
        }
        // The offsets of the last m visible scalars: a match's start is m scalars back.
        var recent = [Int](repeating: 0, count: m)
        var seen = 0
        var q = 0
        var hiddenIndex = hidden.firstIndex { $0.upperBound > range.lowerBound } ?? hidden.count
        let sensitive = pattern.caseSensitive
        text.forEachScalar(in: range) { scalar, offset in
            while hiddenIndex < hidden.count && hidden[hiddenIndex].upperBound <= offset { hiddenIndex += 1 }
            if hiddenIndex < hidden.count && hidden[hiddenIndex].contains(offset) { return true }
            recent[seen % m] = offset
            seen += 1
            let c = SearchPattern.fold(scalar, caseSensitive: sensitive)
            while q > 0 && p[q] != c { q = fail[q - 1] }
            if p[q] == c { q += 1 }
            if q == m {
                let start = recent[seen % m]
                q = fail[q - 1]
                return report(start..<(offset + 1))
            }
            return true
        }
    }
}
