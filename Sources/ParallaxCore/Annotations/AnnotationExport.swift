import Foundation

public struct AnnotationExportError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum AnnotationExportFormat: String, Sendable, CaseIterable {
    case w3c, brat, jsonl, csv, conll
    /// Formats that can be read back.
    public var canImport: Bool { self == .w3c || self == .brat || self == .jsonl }
}

/// What an import produced: annotations ready for `AnnotationStore.importAnnotations`, the
/// texts the file carried (JSONL, brat), and lines that were skipped.
public struct AnnotationImport: Sendable {
    public var annotations: [Annotation] = []
    public var texts: [String: TextBuffer] = [:]
    public var warnings: [String] = []
}

/// Export to and import from research tools. All offsets are Unicode scalar (code point) offsets
/// into the exact article text, CRLF counted as two.
public enum AnnotationExport {
    public static let w3cContext = "http://www.w3.org/ns/anno.jsonld"

    // MARK: W3C Web Annotation

    /// An `AnnotationPage` of W3C Web Annotations (JSON-LD). Each has a `tagging` body with the
    /// label, a `commenting` body with the note (when there is one), and a target whose `source`
    /// is the article id, with a `TextQuoteSelector` and a `TextPositionSelector`. The session and
    /// the content hash ride along as `parallax:session` and `parallax:contentHash`.
    public static func w3c(_ set: ExportSet, sources: [String: String] = [:]) -> String {
        w3c(set.annotations, states: set.states, unplaced: set.unplaced, sources: sources)
    }

    /// The IRI an article's annotations target: its `url` when known (`sources`), else
    /// `urn:parallax:article:` and the article id, percent-encoded.
    public static func sourceIRI(_ articleID: String, sources: [String: String] = [:]) -> String {
        if let iri = sources[articleID] { return iri }
        return "urn:parallax:article:" + (articleID.addingPercentEncoding(withAllowedCharacters: unreserved) ?? articleID)
    }

    /// RFC 3986's unreserved characters: everything else in an IRI part is percent-encoded.
    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// The page's id: a `urn:uuid:` made from the SHA-256 of the annotations' ids in order, so
    /// the same annotations always give the same page (and a re-export the same bytes).
    static func pageID(_ annotations: [Annotation]) -> String {
        var hasher = SHA256()
        for a in annotations {
            hasher.update(Array(a.id.utf8))
            hasher.update([0])
        }
        var d = Array(hasher.finalize().prefix(16))
        d[6] = (d[6] & 0x0F) | 0x50  // version 5 (name-based, SHA)
        d[8] = (d[8] & 0x3F) | 0x80  // RFC 4122 variant
        let digits = Array("0123456789abcdef")
        let c = d.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }
        return "urn:uuid:" + String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// `states` (annotation id → anchor state) adds `parallax:anchor`; ids in `unplaced` get no
    /// `TextPositionSelector` (their text is not where it was). The page and every annotation
    /// have an IRI `id`, and each target's `source` is an IRI (`sourceIRI`), the article id
    /// riding along as `parallax:article`.
    public static func w3c(
        _ annotations: [Annotation], states: [String: String] = [:], unplaced: Set<String> = [], sources: [String: String] = [:]
    ) -> String {
        var out = JSONWriter()
        out.raw("{\"@context\":")
        out.string(w3cContext)
        out.raw(",\"id\":"); out.string(pageID(annotations))
        out.raw(",\"type\":\"AnnotationPage\",\"items\":[\n")
        for (i, a) in annotations.enumerated() {
            if i > 0 { out.raw(",\n") }
            out.raw("{\"@context\":"); out.string(w3cContext)
            out.raw(",\"id\":"); out.string("urn:uuid:" + a.id)
            out.raw(",\"type\":\"Annotation\",\"created\":"); out.string(a.created)
            if a.revised != a.created { out.raw(",\"modified\":"); out.string(a.revised) }
            out.raw(",\"creator\":{\"type\":\"Person\",\"nickname\":"); out.string(a.annotator)
            out.raw("},\"body\":[{\"type\":\"TextualBody\",\"purpose\":\"tagging\",\"value\":"); out.string(a.label)
            out.raw("}")
            if !a.note.isEmpty {
                out.raw(",{\"type\":\"TextualBody\",\"purpose\":\"commenting\",\"format\":\"text/plain\",\"value\":")
                out.string(a.note)
                out.raw("}")
            }
            out.raw("],\"target\":{\"source\":"); out.string(sourceIRI(a.articleID, sources: sources))
            out.raw(",\"selector\":[{\"type\":\"TextQuoteSelector\",\"exact\":"); out.string(a.quote.exact)
            out.raw(",\"prefix\":"); out.string(a.quote.prefix)
            out.raw(",\"suffix\":"); out.string(a.quote.suffix)
            if unplaced.contains(a.id) {
                out.raw("}]}")
            } else {
                out.raw("},{\"type\":\"TextPositionSelector\",\"start\":\(a.position.start),\"end\":\(a.position.end)}]}")
            }
            out.raw(",\"parallax:article\":"); out.string(a.articleID)
            out.raw(",\"parallax:session\":"); out.string(a.session)
            out.raw(",\"parallax:contentHash\":"); out.string(a.contentHash)
            if let state = states[a.id] { out.raw(",\"parallax:anchor\":"); out.string(state) }
            out.raw("}")
        }
        out.raw("\n]}\n")
        return out.result
    }

    /// Reads one annotation, an array, an `AnnotationPage` (`items`) or an `AnnotationCollection` (`first.items`).
    /// Annotations without a `TextPositionSelector` are placed by their quote when `texts` has the article.
    public static func importW3C(_ data: Data, texts: [String: TextBuffer] = [:], session: String, annotator: String) throws(AnnotationExportError) -> AnnotationImport {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch { throw AnnotationExportError("not valid JSON: \(error.localizedDescription)") }
        var items: [[String: Any]] = []
        if let array = json as? [[String: Any]] {
            items = array
        } else if let object = json as? [String: Any] {
            if let list = object["items"] as? [[String: Any]] {
                items = list
            } else if let first = object["first"] as? [String: Any], let list = first["items"] as? [[String: Any]] {
                items = list
            } else {
                items = [object]
            }
        }
        var result = AnnotationImport()
        for (n, item) in items.enumerated() {
            guard (item["type"] as? String) == "Annotation" || (item["type"] as? [String])?.contains("Annotation") == true else {
                result.warnings.append("item \(n + 1): not an Annotation")
                continue
            }
            var label = "", note = ""
            let bodies = (item["body"] as? [[String: Any]]) ?? ((item["body"] as? [String: Any]).map { [$0] } ?? [])
            for body in bodies {
                let value = body["value"] as? String ?? ""
                switch body["purpose"] as? String {
                case "tagging", "classifying": label = value
                default: note = note.isEmpty ? value : note + "\n" + value
                }
            }
            // The article: `parallax:article` (written by Parallax), else the source itself (an id
            // or an IRI of another tool's).
            guard let target = item["target"] as? [String: Any], let iri = target["source"] as? String else {
                result.warnings.append("item \(n + 1): no target source")
                continue
            }
            let source = item["parallax:article"] as? String ?? iri
            let selectors = (target["selector"] as? [[String: Any]]) ?? ((target["selector"] as? [String: Any]).map { [$0] } ?? [])
            var quote: QuoteSelector? = nil
            var position: PositionSelector? = nil
            for s in selectors {
                switch s["type"] as? String {
                case "TextQuoteSelector":
                    quote = QuoteSelector(exact: s["exact"] as? String ?? "", prefix: s["prefix"] as? String ?? "", suffix: s["suffix"] as? String ?? "")
                case "TextPositionSelector":
                    if let start = exactInteger(s["start"]), let end = exactInteger(s["end"]) { position = PositionSelector(start: start, end: end) }
                default: break
                }
            }
            let text = texts[source]
            if position == nil, let quote, let text {
                let anchor = Anchoring.anchor(quote: quote, position: 0..<0, contentHash: "", in: text)
                if let r = anchor.range { position = PositionSelector(start: r.lowerBound, end: r.upperBound) }
            }
            guard let position, position.start >= 0, position.end > position.start else {
                result.warnings.append("item \(n + 1): no usable selector")
                continue
            }
            if let text, position.end > text.scalarCount {
                result.warnings.append("item \(n + 1): position \(position.start)-\(position.end) beyond the text of \(source) (\(text.scalarCount) characters)")
                continue
            }
            if quote == nil, let text { quote = QuoteSelector(range: position.range, in: text) }
            guard let quote else {
                result.warnings.append("item \(n + 1): no quote and no text for \(source)")
                continue
            }
            // Without the text, the position must at least span its quote.
            if text == nil, position.end - position.start != quote.exact.unicodeScalars.count {
                result.warnings.append("item \(n + 1): position \(position.start)-\(position.end) does not match its quote (\(quote.exact.unicodeScalars.count) characters)")
                continue
            }
            var id = (item["id"] as? String) ?? UUID().uuidString.lowercased()
            if id.hasPrefix("urn:uuid:") { id.removeFirst(9) }
            let creator = item["creator"]
            let who = (creator as? String) ?? ((creator as? [String: Any]).flatMap { ($0["nickname"] ?? $0["name"]) as? String }) ?? annotator
            let created = item["created"] as? String ?? ISOTime.now()
            let hash = item["parallax:contentHash"] as? String ?? text?.contentHash ?? ""
            result.annotations.append(
                Annotation(
                    id: id, annotator: who, session: item["parallax:session"] as? String ?? session, created: created,
                    // Never modified: its revision time is its creation (so a re-export writes no `modified`).
                    revisedBy: annotator, revisedInSession: session, revised: item["modified"] as? String ?? created,
                    articleID: source, contentHash: hash, label: label, note: note, quote: quote, position: position))
        }
        return result
    }

    // MARK: brat standoff

    /// The `.ann` file for one article's annotations; write it beside an exact copy of the text
    /// (`writeBrat`). Spans crossing line breaks become discontinuous fragments (brat cannot
    /// show a span across lines); labels have spaces replaced by `_`; notes have tabs and line
    /// breaks replaced by spaces.
    public static func brat(_ annotations: [Annotation], text: TextBuffer) -> String {
        var out = ""
        var noteNumber = 0
        for (i, a) in annotations.enumerated() {
            let t = "T\(i + 1)"
            let fragments = lineFragments(a.range, in: text)
            let offsets = fragments.map { "\($0.lowerBound) \($0.upperBound)" }.joined(separator: ";")
            let covered = fragments.map { text.string($0) }.joined(separator: " ")
            out += "\(t)\t\(bratLabel(a.label)) \(offsets)\t\(covered)\n"
            if !a.note.isEmpty {
                noteNumber += 1
                out += "#\(noteNumber)\tAnnotatorNotes \(t)\t\(oneLine(a.note))\n"
            }
        }
        return out
    }

    /// Writes `<name>.txt` (the exact bytes) and `<name>.ann` for each article that has annotations;
    /// `name` is the article id with `/` replaced. Returns the written `.ann` paths.
    @discardableResult
    public static func writeBrat(_ annotations: [Annotation], texts: [String: TextBuffer], to folder: URL) throws(AnnotationExportError) -> [String] {
        var written: [String] = []
        let grouped = Dictionary(grouping: annotations, by: \.articleID)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for id in grouped.keys.sorted() {
                guard let text = texts[id] else { throw AnnotationExportError("no text for article \(id)") }
                let name = bratName(id)
                try Data(text.bytes).write(to: folder.appendingPathComponent(name + ".txt"))
                let ann = folder.appendingPathComponent(name + ".ann")
                try Data(brat(grouped[id]!, text: text).utf8).write(to: ann)
                written.append(ann.path)
            }
        } catch let error as AnnotationExportError {
            throw error
        } catch {
            throw AnnotationExportError("cannot write brat files in \(folder.path): \(error.localizedDescription)")
        }
        return written
    }

    public static func bratName(_ articleID: String) -> String {
        articleID.replacingOccurrences(of: "/", with: "_")
    }

    /// Reads a `.ann` file against its `.txt`: text-bound annotations (`T`) and their
    /// `AnnotatorNotes`; other lines are ignored. A span is first fragment start to last fragment end.
    public static func importBrat(ann: String, text: TextBuffer, articleID: String, session: String, annotator: String) -> AnnotationImport {
        var result = AnnotationImport()
        result.texts[articleID] = text
        let hash = text.contentHash
        var byID: [String: Int] = [:]
        var notes: [(String, String)] = []
        let created = ISOTime.now()
        for (n, line) in ann.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2 else { continue }
            if fields[0].hasPrefix("T") {
                let parts = fields[1].split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    result.warnings.append("line \(n + 1): cannot read \(fields[0])")
                    continue
                }
                let fragments = parts[1].split(separator: ";").compactMap { f -> Range<Int>? in
                    let xy = f.split(separator: " ").compactMap { Int($0) }
                    return xy.count == 2 && xy[0] <= xy[1] ? xy[0]..<xy[1] : nil
                }
                guard let first = fragments.first, let last = fragments.last, first.lowerBound >= 0,
                    last.upperBound <= text.scalarCount, last.upperBound > first.lowerBound
                else {
                    result.warnings.append("line \(n + 1): offsets outside the text")
                    continue
                }
                let range = first.lowerBound..<last.upperBound
                if fields.count == 3, fields[2] != fragments.map({ text.string($0) }).joined(separator: " ") {
                    result.warnings.append("line \(n + 1): the text of \(fields[0]) does not match the offsets")
                }
                byID[fields[0]] = result.annotations.count
                result.annotations.append(
                    Annotation(
                        annotator: annotator, session: session, created: created, articleID: articleID, contentHash: hash,
                        label: parts[0], note: "", quote: QuoteSelector(range: range, in: text),
                        position: PositionSelector(start: range.lowerBound, end: range.upperBound)))
            } else if fields[0].hasPrefix("#"), fields.count == 3 {
                let parts = fields[1].split(separator: " ")
                if parts.count == 2, parts[0] == "AnnotatorNotes" { notes.append((String(parts[1]), fields[2])) }
            }
        }
        for (t, note) in notes {
            if let i = byID[t] {
                result.annotations[i].note = result.annotations[i].note.isEmpty ? note : result.annotations[i].note + "\n" + note
            }
        }
        return result
    }

    static func lineFragments(_ range: Range<Int>, in text: TextBuffer) -> [Range<Int>] {
        var fragments: [Range<Int>] = []
        var start: Int? = nil
        text.forEachScalar(in: range) { scalar, offset in
            let isBreak = scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{85}"
            if isBreak {
                if let s = start { fragments.append(s..<offset); start = nil }
            } else if start == nil {
                start = offset
            }
            return true
        }
        if let s = start { fragments.append(s..<range.upperBound) }
        return fragments.isEmpty ? [range] : fragments
    }

    static func bratLabel(_ label: String) -> String {
        String(label.unicodeScalars.map { $0.properties.isWhitespace ? "_" : Character($0) })
    }

    static func oneLine(_ s: String) -> String {
        String(s.unicodeScalars.map { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : Character($0) })
    }

    // MARK: spaCy / Prodigy JSONL

    /// One line per (article, annotator, session): `text`, `spans` (`start`, `end`, `label`, and
    /// `note` when there is one), `meta` (`article`, `content_hash`), `_annotator_id`, `_session_id`.
    public static func jsonl(_ set: ExportSet) throws(AnnotationExportError) -> String {
        try jsonl(set.annotations, texts: set.texts, states: set.states, unplaced: set.unplaced)
    }

    /// With `states`, each span carries `anchor`; a span in `unplaced` has `start` and `end`
    /// null and its stored `exact` quote.
    public static func jsonl(
        _ annotations: [Annotation], texts: [String: TextBuffer], states: [String: String] = [:], unplaced: Set<String> = []
    ) throws(AnnotationExportError) -> String {
        struct Key: Hashable { let article, annotator, session: String }
        var order: [Key] = []
        var groups: [Key: [Annotation]] = [:]
        for a in annotations {
            let key = Key(article: a.articleID, annotator: a.annotator, session: a.session)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(a)
        }
        var out = JSONWriter()
        for key in order {
            guard let text = texts[key.article] else { throw AnnotationExportError("no text for article \(key.article)") }
            out.raw("{\"text\":"); out.string(text.string)
            out.raw(",\"spans\":[")
            for (i, a) in groups[key]!.sorted(by: { ($0.position.start, $0.position.end) < ($1.position.start, $1.position.end) }).enumerated() {
                if i > 0 { out.raw(",") }
                if unplaced.contains(a.id) {
                    out.raw("{\"start\":null,\"end\":null,\"exact\":"); out.string(a.quote.exact)
                    out.raw(",\"label\":")
                } else {
                    out.raw("{\"start\":\(a.position.start),\"end\":\(a.position.end),\"label\":")
                }
                out.string(a.label)
                if !a.note.isEmpty { out.raw(",\"note\":"); out.string(a.note) }
                out.raw(",\"id\":"); out.string(a.id)
                if let state = states[a.id] { out.raw(",\"anchor\":"); out.string(state) }
                out.raw("}")
            }
            out.raw("],\"meta\":{\"article\":"); out.string(key.article)
            out.raw(",\"content_hash\":"); out.string(text.contentHash)
            out.raw("},\"_annotator_id\":"); out.string(key.annotator)
            out.raw(",\"_session_id\":"); out.string(key.session)
            out.raw("}\n")
        }
        return out.result
    }

    /// The texts an export needs, for formats that write text (JSONL, CoNLL, brat): the corpus's
    /// text of each article, else the store's snapshot of the text the annotations were made on
    /// (an article file that went missing does not block the export of every other article).
    /// Annotations whose text is neither loaded nor kept are left out, with one warning per article.
    public static func textsForExport(
        _ annotations: [Annotation], corpus: [String: TextBuffer], snapshot: (String) -> TextBuffer?
    ) -> (texts: [String: TextBuffer], annotations: [Annotation], warnings: [String]) {
        var texts = corpus
        var warnings: [String] = []
        // Of an article that is not loaded: the text its latest annotation was made on, if kept.
        var usedHash: [String: String] = [:]
        let missing = Dictionary(grouping: annotations.filter { corpus[$0.articleID] == nil }, by: \.articleID)
        for (article, list) in missing.sorted(by: { $0.key < $1.key }) {
            let latest = list.max { ($0.revised, $0.created) < ($1.revised, $1.created) }!
            guard let text = snapshot(latest.contentHash) else {
                warnings.append("article \(article) is not loaded and the store keeps no copy of its text: \(list.count) annotation(s) left out")
                continue
            }
            texts[article] = text
            usedHash[article] = latest.contentHash
            let other = list.count { $0.contentHash != latest.contentHash }
            warnings.append("article \(article) is not loaded: exported on the store's copy of its text"
                + (other > 0 ? "; \(other) annotation(s) made on another version left out" : ""))
        }
        let kept = annotations.filter { corpus[$0.articleID] != nil || usedHash[$0.articleID] == $0.contentHash }
        return (texts, kept, warnings)
    }

    /// A JSON number that is a whole number in range ("1.9" and 2^63 are not offsets).
    static func exactInteger(_ value: Any?) -> Int? {
        guard let n = value as? NSNumber else { return nil }
        let d = n.doubleValue
        guard d.isFinite, d == d.rounded(), d.magnitude < 9_007_199_254_740_992 else { return nil }
        return Int(d)
    }

    /// Reads JSONL lines with `text` and `spans`; the article id comes from `meta.article`
    /// (else `line N`), the annotator from `_annotator_id` (else the one given).
    public static func importJSONL(_ data: Data, session: String, annotator: String) -> AnnotationImport {
        var result = AnnotationImport()
        let created = ISOTime.now()
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any],
                let string = object["text"] as? String
            else {
                result.warnings.append("line \(lineNumber): not a JSON object with text")
                continue
            }
            let text = TextBuffer(string)
            let meta = object["meta"] as? [String: Any]
            let article = meta?["article"] as? String ?? "line \(lineNumber)"
            result.texts[article] = text
            let hash = text.contentHash
            let who = object["_annotator_id"] as? String ?? annotator
            let inSession = object["_session_id"] as? String ?? session
            for span in object["spans"] as? [[String: Any]] ?? [] {
                guard let start = exactInteger(span["start"]), let end = exactInteger(span["end"]) else {
                    result.warnings.append("line \(lineNumber): span offsets are not whole numbers")
                    continue
                }
                guard start >= 0, end > start, end <= text.scalarCount else {
                    result.warnings.append("line \(lineNumber): span outside the text")
                    continue
                }
                result.annotations.append(
                    Annotation(
                        id: span["id"] as? String ?? UUID().uuidString.lowercased(), annotator: who, session: inSession,
                        created: created, revisedBy: annotator, revisedInSession: session, articleID: article, contentHash: hash,
                        label: span["label"] as? String ?? "", note: span["note"] as? String ?? "",
                        quote: QuoteSelector(range: start..<end, in: text), position: PositionSelector(start: start, end: end)))
            }
        }
        return result
    }

    // MARK: CSV

    public static let csvHeader = ["article", "hash", "start", "end", "exact", "label", "note", "annotator", "session", "created", "anchor"]

    public static func csv(_ set: ExportSet) -> String {
        csv(set.annotations, states: set.states, unplaced: set.unplaced)
    }

    /// RFC 4180: CRLF line ends; fields with a comma, quote, CR or LF quoted, quotes doubled.
    /// Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
    /// tab or CR) get a leading `'`, as OWASP recommends against CSV injection. `anchor` is the
    /// anchor state (empty without `states`); an annotation in `unplaced` has empty offsets.
    public static func csv(_ annotations: [Annotation], states: [String: String] = [:], unplaced: Set<String> = []) -> String {
        var out = csvHeader.joined(separator: ",") + "\r\n"
        out.reserveCapacity(annotations.count * 160)
        for a in annotations {
            let placed = !unplaced.contains(a.id)
            let fields = [
                csvText(a.articleID), a.contentHash, placed ? String(a.position.start) : "", placed ? String(a.position.end) : "",
                csvText(a.quote.exact), csvText(a.label), csvText(a.note), csvText(a.annotator), csvText(a.session), a.created,
                states[a.id] ?? "",
            ]
            var first = true
            for f in fields {
                if !first { out += "," }
                first = false
                out += csvField(f)
            }
            out += "\r\n"
        }
        return out
    }

    /// A text cell neutralised against formula injection: `'` before a leading `=`, `+`, `-`,
    /// `@`, tab or CR.
    static func csvText(_ s: String) -> String {
        guard let first = s.utf8.first, [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first) else { return s }
        return "'" + s
    }

    static func csvField(_ s: String) -> String {
        var needs = false
        for u in s.utf8 where u == 0x2C || u == 0x22 || u == 0x0D || u == 0x0A {
            needs = true
            break
        }
        if !needs { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: CoNLL BIO

    /// Tokens (the shared tokenizer's words and punctuation), one per line, then one BIO tag
    /// column per annotator (`annotators`, default: every annotator in name order), tab-separated,
    /// so annotators who disagree keep their own labels; a blank line between paragraphs. Each
    /// article starts with `-DOCSTART-` and its id in the token column. Where one annotator's
    /// spans overlap, the earlier (then longer) one wins. Export only.
    public static func conll(_ annotations: [Annotation], texts: [String: TextBuffer], annotators: [String]? = nil) throws(AnnotationExportError) -> String {
        let columns = annotators ?? Array(Set(annotations.map(\.annotator))).sorted()
        let grouped = Dictionary(grouping: annotations, by: \.articleID)
        var out = ""
        for id in grouped.keys.sorted() {
            guard let text = texts[id] else { throw AnnotationExportError("no text for article \(id)") }
            out += "-DOCSTART- " + oneLine(id).replacingOccurrences(of: " ", with: "_")
                + String(repeating: "\tO", count: max(1, columns.count)) + "\n\n"
            let tokens = Agreement.tokens(text)
            let byAnnotator = Dictionary(grouping: grouped[id]!, by: \.annotator)
            let tags = columns.map { who -> [String] in
                let spans = (byAnnotator[who] ?? []).sorted { ($0.position.start, -$0.position.end) < ($1.position.start, -$1.position.end) }
                return Agreement.tokenTags(tokens, spans: spans.map { ($0.range, bratLabel($0.label)) })
            }
            var previousEnd = 0
            for (i, token) in tokens.enumerated() {
                if i > 0 {
                    let gap = text.string(previousEnd..<token.lowerBound)
                    if gap.unicodeScalars.filter({ $0 == "\n" }).count >= 2 { out += "\n" }
                }
                out += text.string(token)
                for column in tags { out += "\t" + column[i] }
                if tags.isEmpty { out += "\tO" }
                out += "\n"
                previousEnd = token.upperBound
            }
            out += "\n"
        }
        return out
    }

    // MARK: brat, one folder per annotator

    /// brat standoff for a team: one folder per annotator (its name made safe for a file name),
    /// each with that annotator's `.ann` files beside exact copies of the texts and an
    /// `annotation.conf` declaring the labels as entity types, so brat opens it as is. A span
    /// across a line break is written as a discontinuous span of its lines (brat cannot show
    /// one across lines). Returns the written `.ann` paths.
    @discardableResult
    public static func writeBratPerAnnotator(_ annotations: [Annotation], texts: [String: TextBuffer], to folder: URL) throws(AnnotationExportError) -> [String] {
        var written: [String] = []
        let labels = Array(Set(annotations.map { bratLabel($0.label) })).sorted()
        for (who, mine) in Dictionary(grouping: annotations, by: \.annotator).sorted(by: { $0.key < $1.key }) {
            var name = who.replacingOccurrences(of: "/", with: "_")
            if name.hasPrefix(".") || name.isEmpty { name = "_" + name }
            let sub = folder.appendingPathComponent(name, isDirectory: true)
            written += try writeBrat(mine, texts: texts, to: sub)
            let conf = "# brat configuration written by Parallax: the labels of this export\n[entities]\n"
                + labels.joined(separator: "\n") + "\n\n[relations]\n\n[events]\n\n[attributes]\n"
            do {
                try Data(conf.utf8).write(to: sub.appendingPathComponent("annotation.conf"))
            } catch {
                throw AnnotationExportError("cannot write brat files in \(sub.path): \(error.localizedDescription)")
            }
        }
        return written
    }
}
