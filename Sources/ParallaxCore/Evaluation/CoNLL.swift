import Foundation

/// A named-entity span of a CoNLL document.
public struct GoldMention: Sendable, Equatable {
    public var range: Range<Int>
    /// `PER`, `ORG`, `LOC`, `MISC`, … as tagged.
    public var type: String

    public init(range: Range<Int>, type: String) {
        self.range = range
        self.type = type
    }
}

/// One CoNLL document rebuilt as text: its sentences one per line, tokens joined by single
/// spaces, with each token's code-point range.
public struct CoNLLDocument: Sendable {
    /// `FILESTEM#N`, N counting documents of the file from 1.
    public var id: String
    public var text: String
    public var tokens: [Range<Int>]
    public var mentions: [GoldMention]

    public init(id: String, text: String, tokens: [Range<Int>], mentions: [GoldMention]) {
        self.id = id
        self.text = text
        self.tokens = tokens
        self.mentions = mentions
    }
}

/// Reads CoNLL NER files: one token a line with the tag in the last column (`TOKEN POS CHUNK TAG`,
/// or `TOKEN TAG`), blank lines between sentences, `-DOCSTART-` lines between documents.
/// Tags are IOB2; IOB1 (`I-` starting an entity) and IOBES (`E-`, `S-`) are read too.
public enum CoNLLReader {
    public static func load(path: String, name: String? = nil) throws(EvaluationError) -> [CoNLLDocument] {
        guard let data = FileManager.default.contents(atPath: path) else { throw EvaluationError("cannot read \(path)") }
        let stem = name ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(String(decoding: data, as: UTF8.self), name: stem, file: path)
    }

    public static func parse(_ content: String, name: String, file: String? = nil) throws(EvaluationError) -> [CoNLLDocument] {
        var documents: [CoNLLDocument] = []
        var builder = Builder()
        func finishDocument() {
            if let doc = builder.finish(id: "\(name)#\(documents.count + 1)") { documents.append(doc) }
            builder = Builder()
        }
        for (n, line) in textLines(content).enumerated() {
            let cells = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if cells.isEmpty {
                builder.endSentence()
                continue
            }
            if cells[0] == "-DOCSTART-" {
                finishDocument()
                continue
            }
            guard cells.count >= 2 else {
                throw EvaluationError("\(file ?? name):\(n + 1): expected a token and a tag")
            }
            builder.add(token: String(cells[0]), tag: String(cells[cells.count - 1]))
        }
        finishDocument()
        return documents
    }

    struct Builder {
        var text = String.UnicodeScalarView()
        var length = 0
        var tokens: [Range<Int>] = []
        var mentions: [GoldMention] = []
        var sentenceHasTokens = false
        /// The entity being read: its type and start.
        var open: (type: String, start: Int)?
        var lastTokenEnd = 0

        mutating func add(token: String, tag: String) {
            if sentenceHasTokens {
                text.append(" ")
                length += 1
            } else if !tokens.isEmpty {
                text.append("\n")
                length += 1
            }
            let start = length
            text.append(contentsOf: token.unicodeScalars)
            length += token.unicodeScalars.count
            tokens.append(start..<length)
            sentenceHasTokens = true

            // `B-PER` → ("B", "PER"); `O` and anything unknown → outside.
            var prefix: Character = "O", type = ""
            if tag.count >= 3, let first = tag.first, tag.dropFirst().first == "-" {
                prefix = first
                type = String(tag.dropFirst(2))
            }
            switch prefix {
            case "B", "S":
                close()
                open = (type, start)
            case "I", "E":
                if open?.type != type {
                    close()
                    open = (type, start)
                }
            default:
                close()
            }
            lastTokenEnd = length
            if prefix == "E" || prefix == "S" { close() }
        }

        mutating func close() {
            if let o = open { mentions.append(GoldMention(range: o.start..<lastTokenEnd, type: o.type)) }
            open = nil
        }

        mutating func endSentence() {
            close()
            sentenceHasTokens = false
        }

        mutating func finish(id: String) -> CoNLLDocument? {
            close()
            guard !tokens.isEmpty else { return nil }
            return CoNLLDocument(id: id, text: String(text), tokens: tokens, mentions: mentions)
        }
    }
}
