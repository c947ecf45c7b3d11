import Foundation

/// How a system speaker is judged against a gold source (or a pronoun's referent): right when
/// the source's words contain the last word of the speaker's name, or the name's words contain
/// the last word of the source.
///
/// Words are runs of letters, digits, apostrophes and hyphens, lower-cased, with straight and
/// curly apostrophes alike, apostrophes at either end of a word dropped, and a possessive "'s"
/// dropped ("Trump's" is the word "trump": PolNeAR marks possessors as sources).
public enum SpeakerRule {
    public static let barePronouns: Set<String> = [
        "he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "his", "its", "their", "me", "us",
    ]

    public static func isBarePronoun(_ source: String) -> Bool {
        barePronouns.contains(source.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }

    public static func isRight(speaker: String?, source: String) -> Bool {
        guard let speaker else { return false }
        let nameWords = words(speaker), sourceWords = words(source)
        guard let lastOfName = nameWords.last, let lastOfSource = sourceWords.last else { return false }
        return sourceWords.contains(lastOfName) || nameWords.contains(lastOfSource)
    }

    public static func words(_ s: String) -> [String] {
        var out: [String] = []
        var word: [Unicode.Scalar] = []
        func flush() {
            // Apostrophes at either end of a word are quote marks or a plural possessive's.
            var core = Array(word.drop { $0 == "'" }.reversed().drop { $0 == "'" }.reversed())
            if core.count > 2, core[core.count - 2] == "'", core[core.count - 1] == "s" { core.removeLast(2) }
            if !core.isEmpty {
                var w = String.UnicodeScalarView()
                w.append(contentsOf: core)
                out.append(String(w))
            }
            word = []
        }
        for c in s.lowercased().unicodeScalars {
            if c == "'" || c == "\u{2019}" || c == "\u{2018}" || c == "\u{02BC}" {
                word.append("'")
            } else if c == "-" || isWordScalar(c) {
                word.append(c)
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        let p = c.properties
        if p.isAlphabetic || p.numericType != nil { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber: return true
        default: return false
        }
    }
}
