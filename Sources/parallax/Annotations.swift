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

    @OptionGroup var options: StoreOptions

    func validate() throws {
        if format == .brat && out == nil { throw ValidationError("--format brat needs --out DIR") }
    }

    func run() throws {
        let corpus = options.corpus()
        let store = options.open(corpus, readOnly: true)
        var texts = StoreOptions.texts(corpus)
        var all: [Annotation]
        do {
            all = try store.allAnnotations()
        } catch {
            fail(error.description)
        }
        if format == .jsonl || format == .conll || format == .brat {
            let found = AnnotationExport.textsForExport(all, corpus: texts) { hash in try? store.snapshot(contentHash: hash) }
            for w in found.warnings { stderrLine("parallax: warning: \(w)") }
            texts = found.texts
            all = found.annotations
        }
        let output: String
        do {
            switch format {
            case .w3c: output = AnnotationExport.w3c(all)
            case .csv: output = AnnotationExport.csv(all)
            case .jsonl: output = try AnnotationExport.jsonl(all, texts: texts)
            case .conll: output = try AnnotationExport.conll(all, texts: texts)
            case .brat:
                let files = try AnnotationExport.writeBrat(all, texts: texts, to: URL(fileURLWithPath: out ?? "."))
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
        abstract: "Inter-annotator agreement over tokens: Cohen's kappa per pair, Krippendorff's alpha (nominal) over all.")

    @OptionGroup var options: StoreOptions

    func run() throws {
        let corpus = options.corpus()
        let store = options.open(corpus, readOnly: true)
        let all: [Annotation]
        do {
            all = try store.allAnnotations()
        } catch {
            fail(error.description)
        }
        let r = Agreement.report(all, texts: StoreOptions.texts(corpus))
        func f(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "n/a" }
        print(TerminalText.escaped("annotators: \(r.annotators.joined(separator: ", "))"))
        print("tokens: \(r.tokens)")
        print("Krippendorff's alpha (nominal): \(f(r.alpha))")
        for p in r.pairwise { print(TerminalText.escaped("Cohen's kappa \(p.first) / \(p.second) (\(p.tokens) tokens): \(f(p.kappa))")) }
    }
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
