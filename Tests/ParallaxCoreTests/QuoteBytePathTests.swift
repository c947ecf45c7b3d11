import XCTest

@testable import ParallaxCore

/// The attributor reads words from the article bytes; these tests hold it to the `String` and
/// `Character` rules it replaced, on text made to trip them (combining marks, CR LF, curly marks).
final class QuoteBytePathTests: XCTestCase {
    static let samples: [String] = [
        "Said Gov. Brian Kemp, \u{201C}We\u{2019}re fine,\u{201D} he said. Vice President Mike Pence agreed.",
        "The e\u{301}cole Pre\u{301}sident Jose\u{301}'s aide said: \u{201C}No.\u{201D}",
        "A\u{301}B x\r\nSen. Hall said\r\nthat President Trump's lawyer, Rudy Giuliani, said so.",
        " \u{301}President  Vice\tPresident Trump and \u{0600} Mayor Lee ; Sen. \u{200D}Kim told him",
        "U.S. Rep. Hall\u{2019}s aide and the U.K. Prime Minister of Britain, Boris Johnson: \u{201C}Yes!\u{201D}",
        "na\u{EF}ve \u{2019}s Trump\u{2019}s dog's x\u{2019}s's \u{130}stanbul \u{212A}elvin IF \u{1F44D}\u{1F3FD} President Biden",
        "\"It's over,\" said Secretary of State Brad Raffensperger.\n\"Not yet.\" He added, \"We will see.\u{0301}\"",
        "Chancellor Angela Merkel\u{2014}who spoke\u{2026} Senator Ted Cruz\u{00A0}said; Queen \u{0915}\u{093F} Elizabeth",
    ]

    func testTitleHeadMatchesTheStringRule() {
        for sample in Self.samples {
            let text = TextBuffer(sample)
            text.bytes.withUnsafeBufferPointer { buf in
                for end in 0...text.scalarCount {
                    for width in [3, 12, 48] {
                        let r = max(0, end - width)..<end
                        XCTAssertEqual(
                            TitleMap.titleHead(buf, text.byteRange(r)), TitleMap.titleHead(before: text.string(r)),
                            "\(sample.debugDescription) \(r)")
                    }
                }
            }
        }
    }

    func testSubjectPositionMatchesTheStringRule() {
        for sample in Self.samples {
            let a = CorpusLoader.plainTextArticle(id: "t", path: "t.txt", text: TextBuffer(sample))
            let corpus = Corpus(articles: [a], warnings: [], root: nil)
            let entities = EntityAnalysis(entities: [], mentionsByArticle: [:])
            let attributor = SpeakerAttributor(
                article: a, quotes: [], mentions: [], entities: entities, titles: TitleMap(corpus: corpus, entities: entities))
            let n = a.text.scalarCount
            for lo in 0..<n {
                for hi in (lo + 1)...min(n, lo + 3) {
                    XCTAssertEqual(
                        attributor.isSubjectPosition(lo..<hi), Self.referenceSubjectPosition(a.text, lo..<hi),
                        "\(sample.debugDescription) \(lo..<hi)")
                }
            }
        }
    }

    func testTokensMatchTheStringTokenizer() {
        for sample in Self.samples {
            let a = CorpusLoader.plainTextArticle(id: "t", path: "t.txt", text: TextBuffer(sample))
            let corpus = Corpus(articles: [a], warnings: [], root: nil)
            let entities = EntityAnalysis(entities: [], mentionsByArticle: [:])
            let attributor = SpeakerAttributor(
                article: a, quotes: [], mentions: [], entities: entities, titles: TitleMap(corpus: corpus, entities: entities))
            let whole = 0..<a.text.scalarCount
            let got = attributor.tokenize(whole, quoteIndices: []).map { "\($0.lower)|\($0.range)|\($0.isWord)|\($0.isCap)" }
            let want = Self.referenceTokens(a.text, whole).map { "\($0.lower)|\($0.range)|\($0.isWord)|\($0.isCap)" }
            XCTAssertEqual(got, want, sample.debugDescription)
        }
    }

    // MARK: References: the String rules

    static func referenceSubjectPosition(_ text: TextBuffer, _ range: Range<Int>) -> Bool {
        let after = text.string(range.upperBound..<(range.upperBound + 2))
        if after == "'s" || after == "\u{2019}s" { return false }
        let before = text.string(max(0, range.lowerBound - 60)..<range.lowerBound)
        var words = before.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if before.last == "\n" || before.isEmpty { return true }
        while let w = words.last, let f = w.first, f.isUppercase || w == "of" {
            if w.last == "," || w.last == ";" || w.last == ":" { return true }
            words.removeLast()
        }
        guard let w = words.last else { return true }
        if let l = w.last, !(l.isLetter || l.isNumber) { return true }
        if w.contains("\n") { return true }
        return SpeakerAttributor.introducers.contains(w.lowercased())
    }

    static func referenceTokens(_ text: TextBuffer, _ paragraph: Range<Int>) -> [(lower: String, range: Range<Int>, isWord: Bool, isCap: Bool)] {
        var toks: [(lower: String, range: Range<Int>, isWord: Bool, isCap: Bool)] = []
        let str = text.string(paragraph)
        let scalars = str.unicodeScalars
        var offset = paragraph.lowerBound
        var wordStart: String.UnicodeScalarView.Index? = nil
        var wordOffset = 0
        var idx = scalars.startIndex
        func isAbbreviation(_ word: Substring.UnicodeScalarView) -> Bool {
            let w = String(word).lowercased()
            return SpeakerAttributor.abbreviations.contains(w) || (w.count == 1 && String(word).first!.isUppercase)
        }
        func flushWord(_ end: String.UnicodeScalarView.Index, _ endOffset: Int) {
            guard let ws = wordStart else { return }
            var t = Substring(scalars[ws..<end])
            var r = wordOffset..<endOffset
            var poss: (lower: String, range: Range<Int>, isWord: Bool, isCap: Bool)? = nil
            for suffix in ["'s", "\u{2019}s"] where t.count > 2 && t.hasSuffix(suffix) {
                poss = ("'s", (r.upperBound - 2)..<r.upperBound, false, false)
                t = t.dropLast(2)
                r = r.lowerBound..<(r.upperBound - 2)
            }
            toks.append((t.lowercased(), r, true, t.first?.isUppercase ?? false))
            if let poss { toks.append(poss) }
            wordStart = nil
        }
        while idx < scalars.endIndex {
            let s = scalars[idx]
            let next = scalars.index(after: idx)
            if s.properties.isAlphabetic || s.properties.numericType != nil {
                if wordStart == nil { wordStart = idx; wordOffset = offset }
            } else if wordStart != nil && (s == "'" || s == "\u{2019}" || s == "-" || s == ".")
                && next < scalars.endIndex && scalars[next].properties.isAlphabetic {
            } else if wordStart != nil && s == "." && isAbbreviation(scalars[wordStart!..<idx]) {
                let t = Substring(scalars[wordStart!..<next])
                toks.append((t.lowercased(), wordOffset..<(offset + 1), true, t.first?.isUppercase ?? false))
                wordStart = nil
                idx = next
                offset += 1
                continue
            } else {
                flushWord(idx, offset)
                if !(s.value <= 0x20 || s.properties.isWhitespace) {
                    toks.append((String(s), offset..<(offset + 1), false, false))
                }
            }
            idx = next
            offset += 1
        }
        flushWord(idx, offset)
        return toks
    }
}
