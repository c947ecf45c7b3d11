import ArgumentParser
import Foundation
import ParallaxCore

/// `parallax annotations export|import|agreement`: the annotation store without the reader.
struct Annotations: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotations",
        abstract: "Export, import and compare annotations; no terminal needed.",
        subcommands: [AnnotationsExport.self, AnnotationsImport.self, AnnotationsAgreement.self])
}

/// Options shared by the annotation subcommands: the corpus and the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Annotation store (default: <corpus>/.parallax/annotations.sqlite).")
    var store: String?

    @Argument(help: "Folders or article files (default: ./corpus, else the built-in seeds).")
    var paths: [String] = []

    @Flag(name: .long, help: "When the store cannot be used, also print what SQLite says about it.")
    var verbose = false

    func corpus() -> Corpus {
        do {
            return try CorpusLoader.loadDefault(paths: paths)
        } catch {
            fail(error.message)
        }
    }

    func open(_ corpus: Corpus, readOnly: Bool) -> AnnotationStore {
        guard let path = store ?? AnnotationStore.defaultPath(corpusRoot: corpus.root, environment: ProcessInfo.processInfo.environment) else {
            fail("parallax annotations: give --store PATH (no corpus folder and no home folder to keep annotations in)")
        }
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            fail("parallax annotations: no annotation store at \(path)")
        }
        do {
            return try AnnotationStore(path: path, options: AnnotationStoreOptions(readOnly: readOnly))
        } catch {
            failOnStore(error, path: path, verbose: verbose)
        }
    }

    static func texts(_ corpus: Corpus) -> [String: TextBuffer] {
        Dictionary(corpus.articles.map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a })
    }
}

extension AnnotationExportFormat: ExpressibleByArgument {}

struct AnnotationsExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the current annotations as w3c (JSON-LD), brat (.ann/.txt pairs in --out DIR), jsonl, csv or conll.")

    @Option(name: .long, help: "w3c, brat, jsonl, csv or conll.")
    var format: AnnotationExportFormat

    @Option(name: .long, help: "Output file (a folder for brat); default: standard output.")
    var out: String?

    @Flag(name: .long, help: "Also write orphaned and unplaced ambiguous annotations, with their stored quote and no position (w3c, jsonl, csv).")
    var includeUnanchored = false

    @Option(name: .long, help: "Only this annotator's annotations (repeatable; in conll, their columns in this order).")
    var annotator: [String] = []

    @OptionGroup var options: StoreOptions

    func validate() throws {
        if format == .brat && out == nil { throw ValidationError("--format brat needs --out DIR") }
    }

    func run() throws {
        let corpus = options.corpus()
        let store = options.open(corpus, readOnly: true)
        // Every annotation where it lands in its article's text now (README, "Exports").
        var set: ExportSet
        do {
            set = try store.exportSet(corpus: StoreOptions.texts(corpus), includeUnanchored: includeUnanchored)
        } catch {
            fail(error.description)
        }
        for w in set.warnings { stderrLine("parallax: warning: \(w)") }
        if !annotator.isEmpty {
            let wanted = Set(annotator)
            set.annotations.removeAll { !wanted.contains($0.annotator) }
            for name in annotator where !set.annotations.contains(where: { $0.annotator == name }) {
                stderrLine("parallax: warning: no annotation by \(name) to export")
            }
        }
        if (format == .brat || format == .conll) && !set.unplaced.isEmpty {
            stderrLine("parallax: warning: \(set.unplaced.count) annotation(s) without a position left out: \(format.rawValue) cannot write them")
            set.annotations.removeAll { set.unplaced.contains($0.id) }
        }
        let all = set.annotations, texts = set.texts
        let output: String
        do {
            switch format {
            case .w3c:
                // Targets are the articles' URLs where known (else urn:parallax:article:ID).
                let urls = corpus.articles.compactMap { a in a.metadata.url.map { (a.id, $0) } }
                output = AnnotationExport.w3c(set, sources: Dictionary(urls, uniquingKeysWith: { a, _ in a }))
            case .csv: output = AnnotationExport.csv(set)
            case .jsonl: output = try AnnotationExport.jsonl(set)
            case .conll: output = try AnnotationExport.conll(all, texts: texts, annotators: annotator.isEmpty ? nil : annotator)
            case .brat:
                let files = try AnnotationExport.writeBratPerAnnotator(all, texts: texts, to: URL(fileURLWithPath: out ?? "."))
                stderrLine("parallax: wrote \(files.count) file(s) to \(out ?? ".")")
                return
            }
        } catch {
            fail("parallax annotations export: \(error.description)")
        }
        if let out {
            do {
                try Data(output.utf8).write(to: URL(fileURLWithPath: out))
            } catch {
                fail("parallax annotations export: cannot write \(out): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(output.utf8))
        }
    }
}

struct AnnotationsImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add annotations from a w3c, brat (.ann beside its .txt) or jsonl file; ids already in the store are skipped.")

    @Option(name: .long, help: "w3c, brat or jsonl.")
    var format: AnnotationExportFormat

    @Option(name: .long, help: "Session recorded for the import.")
    var session: String = "import"

    @Option(name: .long, help: "Annotator recorded for annotations that name none (default: $USER).")
    var annotator: String?

    @Option(name: .long, help: "The file to import.")
    var file: String

    @OptionGroup var options: StoreOptions

    func validate() throws {
        if !format.canImport { throw ValidationError("\(format.rawValue) is export only") }
    }

    func run() throws {
        let corpus = options.corpus()
        let store = options.open(corpus, readOnly: false)
        let name = annotator ?? ProcessInfo.processInfo.environment["USER"] ?? "anonymous"
        guard let data = FileManager.default.contents(atPath: file) else { fail("parallax annotations import: cannot read \(file)") }
        var result: AnnotationImport
        do {
            switch format {
            case .w3c: result = try AnnotationExport.importW3C(data, texts: StoreOptions.texts(corpus), session: session, annotator: name)
            case .jsonl: result = AnnotationExport.importJSONL(data, session: session, annotator: name)
            default:
                let url = URL(fileURLWithPath: file)
                let txt = url.deletingPathExtension().appendingPathExtension("txt")
                guard let textData = FileManager.default.contents(atPath: txt.path) else {
                    fail("parallax annotations import: brat needs \(txt.path) beside \(file)")
                }
                let stem = url.deletingPathExtension().lastPathComponent
                let id = corpus.articles.first { AnnotationExport.bratName($0.id) == stem }?.id ?? stem
                result = AnnotationExport.importBrat(ann: String(decoding: data, as: UTF8.self), text: TextBuffer(validUTF8: Array(String(decoding: textData, as: UTF8.self).utf8)),
                                                     articleID: id, session: session, annotator: name)
            }
        } catch {
            fail("parallax annotations import: \(file): \(error.description)")
        }
        for w in result.warnings { stderrLine("parallax: warning: \(w)") }
        do {
            let added = try store.importAnnotations(result.annotations, texts: result.texts, session: session, annotator: name)
            print("imported \(added) of \(result.annotations.count) annotation(s)")
        } catch {
            fail(error.description)
        }
    }
}

struct AnnotationsAgreement: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Inter-annotator agreement over tokens: Cohen's kappa per pair, Krippendorff's alpha (nominal) over all, per label, confusion matrices.")

    @Flag(name: .long, help: "Also list every disputed stretch of text with each annotator's labels and notes, for adjudication.")
    var disagreements = false

    @Option(name: .long, help: "text or json.")
    var format: AgreementFormat = .text

    @Flag(name: .long, help: "Also compare each annotator with the gold layer of adjudication (left out by default: it is not an annotator).")
    var includeGold = false

    @OptionGroup var options: StoreOptions

    func run() throws {
        let corpus = options.corpus()
        let store = options.open(corpus, readOnly: true)
        // Compared where the annotations land in the texts now; unanchored ones are left out.
        let set: ExportSet
        do {
            set = try store.exportSet(corpus: StoreOptions.texts(corpus))
        } catch {
            fail(error.description)
        }
        for w in set.warnings { stderrLine("parallax: warning: \(w)") }
        let annotations = includeGold ? set.annotations : set.annotations.filter { $0.annotator != AnnotationStore.goldLayer }
        let r = Agreement.report(annotations, texts: set.texts)
        switch format {
        case .json: FileHandle.standardOutput.write(Data(r.json(disagreements: disagreements).utf8))
        case .text: for line in r.text(disagreements: disagreements) { print(TerminalText.escaped(line)) }
        }
    }
}

enum AgreementFormat: String, ExpressibleByArgument {
    case text, json
}

/// A store that cannot be used: its one-line message, then with `--verbose` SQLite's own
/// details (the integrity check), indented.
func failOnStore(_ error: AnnotationStoreError, path: String, verbose: Bool) -> Never {
    stderrLine(error.description)
    if verbose, case .unreadable = error {
        for line in AnnotationStore.diagnostics(path: path) { stderrLine("  " + line) }
    }
    Foundation.exit(1)
}
