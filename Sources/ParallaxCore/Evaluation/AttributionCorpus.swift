import Foundation

/// One article of an attribution corpus: its text, its annotations and its publisher.
public struct AttributedArticle: Sendable {
    /// The text file's name without `.txt` (the Parallax article id).
    public var id: String
    public var publisher: String
    public var textPath: String
    public var annotationPath: String
    public var text: ScalarText
    public var annotations: BratDocument

    public init(id: String, publisher: String, textPath: String, annotationPath: String, text: ScalarText, annotations: BratDocument) {
        self.id = id
        self.publisher = publisher
        self.textPath = textPath
        self.annotationPath = annotationPath
        self.text = text
        self.annotations = annotations
    }
}

/// A folder of brat attribution annotations, in one of two layouts:
/// - PolNeAR: `text/NAME.txt`, `attributions/NAME_ANNOTATOR.ann` (when an article has several
///   annotators, the one whose id sorts first), and an optional `metadata.tsv`;
/// - plain brat: `NAME.txt` beside `NAME.ann`, optionally with a `metadata.tsv`.
///
/// The publisher is the `publisher` column of `metadata.tsv` (keyed by `filename`), else the
/// file name's prefix before the first `_`.
public struct AttributionCorpus: Sendable {
    /// The folder whose `.txt` files are the articles (`text/` in the PolNeAR layout).
    public var textFolder: String
    /// Sorted by id.
    public var articles: [AttributedArticle]
    /// Files that were left out (a text without annotations, annotations without a text).
    public var warnings: [String]

    public init(textFolder: String, articles: [AttributedArticle], warnings: [String]) {
        self.textFolder = textFolder
        self.articles = articles
        self.warnings = warnings
    }

    public static func load(folder: String) throws(EvaluationError) -> AttributionCorpus {
        let fm = FileManager.default
        let textDir = (folder as NSString).appendingPathComponent("text")
        let annDir = (folder as NSString).appendingPathComponent("attributions")
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw EvaluationError("no such folder: \(folder)")
        }
        let polnear = directoryExists(textDir) && directoryExists(annDir)
        let texts = polnear ? textDir : folder
        let textNames = try stems(in: texts, extension: "txt")
        let annNames = try stems(in: polnear ? annDir : folder, extension: "ann")

        // Article name → annotation file name (without .ann).
        var annotationOf: [String: String] = [:]
        var warnings: [String] = []
        if polnear {
            for ann in annNames.sorted() {
                guard let cut = ann.lastIndex(of: "_") else {
                    warnings.append("\(ann).ann: no _ANNOTATOR suffix, skipped")
                    continue
                }
                let name = String(ann[..<cut])
                // Sorted, so the first annotator file of an article comes first.
                if annotationOf[name] == nil { annotationOf[name] = ann }
            }
        } else {
            for ann in annNames { annotationOf[ann] = ann }
        }
        let names = Set(textNames)
        let unmatched = annotationOf.keys.filter { !names.contains($0) }.sorted()
        if !unmatched.isEmpty {
            warnings.append("\(unmatched.count) annotation file(s) without a text skipped (\(unmatched[0]), …)")
        }
        let withoutAnnotations = textNames.filter { annotationOf[$0] == nil }.sorted()
        if !withoutAnnotations.isEmpty {
            warnings.append("\(withoutAnnotations.count) text(s) without annotations skipped (\(withoutAnnotations[0]).txt, …)")
        }

        let publishers = metadataPublishers((folder as NSString).appendingPathComponent("metadata.tsv"))
        var articles: [AttributedArticle] = []
        for name in textNames.sorted() {
            guard let ann = annotationOf[name] else { continue }
            let textPath = (texts as NSString).appendingPathComponent(name + ".txt")
            let annPath = ((polnear ? annDir : folder) as NSString).appendingPathComponent(ann + ".ann")
            let text = try ScalarText(contentsOfFile: textPath)
            guard let data = fm.contents(atPath: annPath) else { throw EvaluationError("cannot read \(annPath)") }
            let doc = try BratDocument.parse(String(decoding: data, as: UTF8.self), file: annPath)
            let publisher = publishers[name] ?? String(name.prefix { $0 != "_" })
            articles.append(
                AttributedArticle(id: name, publisher: publisher, textPath: textPath, annotationPath: annPath, text: text, annotations: doc))
        }
        guard !articles.isEmpty else {
            throw EvaluationError("no annotated articles in \(folder) (expected text/NAME.txt with attributions/NAME_ANNOTATOR.ann, or NAME.txt beside NAME.ann)")
        }
        return AttributionCorpus(textFolder: texts, articles: articles, warnings: warnings)
    }

    static func directoryExists(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Names of the files in `folder` ending in `.EXT` (not hidden), without the extension.
    static func stems(in folder: String, extension ext: String) throws(EvaluationError) -> [String] {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw EvaluationError("cannot list \(folder)")
        }
        return entries.filter { !$0.hasPrefix(".") && ($0 as NSString).pathExtension == ext }
            .map { ($0 as NSString).deletingPathExtension }
    }

    /// `filename` → `publisher` from a metadata table; empty when the file does not exist.
    static func metadataPublishers(_ path: String) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        let lines = textLines(String(decoding: data, as: UTF8.self)).filter { !$0.isEmpty }
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false) else { return [:] }
        guard let file = header.firstIndex(of: "filename"), let publisher = header.firstIndex(of: "publisher") else {
            return [:]
        }
        var out: [String: String] = [:]
        for line in lines.dropFirst() {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cells.count > max(file, publisher) else { continue }
            var name = String(cells[file])
            if name.hasSuffix(".txt") { name = String(name.dropLast(4)) }
            let value = cells[publisher].trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { out[name] = value }
        }
        return out
    }
}
