import ArgumentParser
import Foundation
import ParallaxCore
import ParallaxTerminal
import ParallaxUI

struct Parallax: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parallax",
        abstract: "Read how different outlets cover the same story, side by side.",
        discussion: """
            With no PATH, opens ./corpus if present, else the demo corpus built into the binary.
            PATH may be folders (read recursively) or files: .txt, .md with front matter, .json, .jsonl.
            Keys: j/k scroll, Tab focus, o picker, / search, ]e entities, E entity panel, : command, h help, q quit.
            """,
        subcommands: [Read.self, Annotate.self, Annotations.self, Analyze.self, Evaluate.self],
        defaultSubcommand: Read.self)
}

/// The interactive reader (the default subcommand).
struct Read: ParsableCommand {
    // Names given rather than derived: deriving one from the type name goes through the
    // runtime's dynamic casts, a measurable share of start-up.
    static let configuration = CommandConfiguration(commandName: "read", abstract: "Open articles side by side in the terminal (default).")

    @Argument(help: "Folders or article files to open.")
    var paths: [String] = []

    @Option(name: .long, help: "Colour: auto, always or never (NO_COLOR also turns colour off).")
    var color: ColorMode = .auto

    @Option(name: .long, help: "Number of panes to start with (1–4); default: as many as fit at about 60 columns.")
    var panes: Int?

    @Option(name: .long, help: "Config file (default: $XDG_CONFIG_HOME/parallax/config.toml).")
    var config: String?

    @Flag(name: .long, help: "List the commands that keys can be bound to, and exit.")
    var listCommands = false

    func validate() throws {
        if let panes, !(1...4).contains(panes) {
            throw ValidationError("--panes must be between 1 and 4")
        }
    }

    func run() throws { try start(annotation: nil) }

    /// Opens the reader; with `annotation`, the annotation store of the session (`parallax annotate`).
    func start(annotation: AnnotationOptions?) throws {
        if listCommands {
            for c in Command.allCases {
                print("\(c.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(c.spec.doc)")
            }
            return
        }
        try ReaderLaunch(paths: paths, color: color, panes: panes, config: config).start(annotation: annotation)
    }
}

/// The reader's start-up from plain values, so the everyday `parallax [PATH...]` can reach it
/// without the argument parser (see the end of this file).
struct ReaderLaunch {
    var paths: [String]
    var color: ColorMode = .auto
    var panes: Int?
    var config: String?

    /// Articles above this size are read but not analysed: entity data for them would cost
    /// several times the text in memory.
    static let analysisLimitBytes = 16 * 1024 * 1024

    func start(annotation: AnnotationOptions?) throws {
        let env = ProcessInfo.processInfo.environment
        let settings = loadConfig(env)
        let corpus = loadCorpus()
        let setup = annotationSetup(corpus: corpus, settings: settings, env: env)
        // The store opens before the terminal, so an unusable one is a plain one-line error.
        let service = annotation.map { openAnnotations($0, setup: setup) }
        if let service {
            // Its file check runs on another thread meanwhile: re-anchor what the first frame
            // shows, then wait for the verdict.
            if let size = NcursesBackend.terminalSize() {
                for i in AppState.initialArticles(corpus: corpus, width: size.width, panes: panes) {
                    _ = service.spans(corpus.articles[i])
                }
            }
            do {
                try service.store.waitForVerification()
            } catch {
                failOnStore(error, path: service.store.path, verbose: annotation?.verbose ?? false)
            }
        }
        let backend = openTerminal()
        let noColor = !(env["NO_COLOR"] ?? "").isEmpty
        let tier = ColorTier.resolve(flag: color, configured: settings.theme, noColor: noColor, terminalColors: backend.colorCount)
        var state = AppState(
            corpus: corpus, width: backend.width, height: backend.height,
            keymap: settings.keymap, theme: .make(tier), panes: panes)
        state.annotationSetup = setup
        // The corpus's entity corrections: a file that cannot be used is said once and left
        // alone, and the reader goes on without it.
        if let path = EntityCorrectionsFile.defaultPath(corpusRoot: corpus.root, environment: env) {
            state.entityCorrections = EntityCorrectionsFile(path: path)
            if let problem = state.entityCorrections.problem, state.message == nil {
                state.message = StatusMessage(text: "\(problem); entities shown without corrections", isWarning: true)
            }
        }
        let corrections = state.entityCorrections.log
        if let service {
            state.annotations = service
            if let note = service.store.openMessage {
                state.message = StatusMessage(text: note, isWarning: true)
            } else if state.message == nil {
                state.message = StatusMessage(
                    text: service.isAdjudicator
                        ? "adjudicating: session \(service.session), adjudicator \(service.annotator): A, then D lists disputes and y adopts a label into the gold layer"
                        : "annotating: session \(service.session), annotator \(service.annotator) (w cursor, v select, a annotate)",
                    isWarning: false)
            }
        }
        // The first frame never waits for analysis: it runs on another thread and arrives later.
        let inbox = Inbox()
        state.analysisPending = true
        let analysable = corpus.articles.filter { $0.text.bytes.count <= ReaderLaunch.analysisLimitBytes }
        if analysable.count < corpus.articles.count {
            state.message = StatusMessage(
                text: "\(corpus.articles.count - analysable.count) article(s) over \(ReaderLaunch.analysisLimitBytes >> 20) MB are shown without entity analysis",
                isWarning: true)
        }
        let subset = Corpus(articles: analysable, warnings: [], root: corpus.root, annotationLabels: corpus.annotationLabels)
        Runner.run(&state, backend: backend, inbox: inbox, afterFirstFrame: {
            Thread.detachNewThread {
                let pipeline = Pipeline.standard
                let docs = pipeline.tokenize(subset)
                let linked = pipeline.entities(docs)
                // Corrections apply before quotes are attributed, so speakers are the corrected entities.
                let entities = corrections.apply(to: linked, articles: corpus.articles.map(\.id))
                inbox.post(.entities(PreparedEntities(entities, corpus: corpus, linked: linked)))
                inbox.post(.quotes(PreparedQuotes(pipeline.quotes(docs, entities: entities), corpus: corpus)))
            }
        }, interrupted: { NcursesBackend.pendingSignal != 0 })
        backend.restore()
        // A terminal that hung up ends the reader as SIGHUP would.
        let signal = backend.hungUp && NcursesBackend.pendingSignal == 0 ? SIGHUP : NcursesBackend.pendingSignal
        if signal != 0 {
            // Conventional exit status for death by signal, after the terminal is restored.
            Foundation.exit(128 + signal)
        }
    }

    private func loadConfig(_ env: [String: String]) -> Config {
        do {
            return try Config.load(path: config ?? Config.defaultPath(environment: env), required: config != nil)
        } catch {
            fail(error.description)
        }
    }

    private func loadCorpus() -> Corpus {
        do {
            return try CorpusLoader.loadDefault(paths: paths)
        } catch {
            fail(error.message)
        }
    }

    /// The default store, annotator and labels: the store of the corpus folder (else the user's
    /// data folder), `[annotation] annotator` else the user name, and the labels the corpus
    /// manifest names, else the config's, else the built-in set.
    private func annotationSetup(corpus: Corpus, settings: Config, env: [String: String]) -> AnnotationSetup {
        AnnotationSetup(
            storePath: AnnotationStore.defaultPath(corpusRoot: corpus.root, environment: env),
            annotator: settings.annotator ?? env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "anonymous",
            labels: AnnotationLabels.resolve(manifest: corpus.annotationLabels, config: settings.labels))
    }

    private func openAnnotations(_ options: AnnotationOptions, setup: AnnotationSetup) -> AnnotationService {
        guard let path = options.store ?? setup.storePath else {
            fail("parallax annotate: give --store PATH (no corpus folder and no home folder to keep annotations in)")
        }
        do {
            let store = try AnnotationStore(
                path: path, options: AnnotationStoreOptions(busyTimeout: AnnotationStoreOptions.interactiveBusyTimeout, verifyInBackground: true))
            let name = options.adjudicator ?? options.annotator ?? setup.annotator
            if name == AnnotationStore.goldLayer {
                fail("parallax annotate: the annotator name '\(name)' is kept for the adjudicated layer: choose another (or --adjudicator NAME)")
            }
            return AnnotationService(
                store: store, session: options.session, annotator: name, labels: setup.labels, adjudicator: options.adjudicator != nil)
        } catch {
            failOnStore(error, path: path, verbose: options.verbose)
        }
    }

    private func openTerminal() -> NcursesBackend {
        do {
            return try NcursesBackend.interactive()
        } catch {
            fail("\(error)")
        }
    }
}

/// The session settings `parallax annotate` passes to the reader.
struct AnnotationOptions {
    var session: String
    var annotator: String?
    var store: String?
    /// An adjudication session: this adjudicator writes the gold layer.
    var adjudicator: String? = nil
    /// On a store error, also print SQLite's own details.
    var verbose = false
}

/// The reader with annotation on.
struct Annotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Open the reader with annotation on (w cursor, v select, a annotate).",
        discussion: """
            Annotations are saved the moment they are confirmed, in <corpus>/.parallax/annotations.sqlite
            unless --store is given. Inside plain `parallax`, :session NAME does the same.
            """)

    @Option(name: .long, help: "Session name.")
    var session: String

    @Option(name: .long, help: "Annotator name (default: [annotation] annotator in the config, else $USER).")
    var annotator: String?

    @Option(name: .long, help: "Adjudicate as NAME: annotations made go to the gold layer, and y in the panel (A) adopts an annotator's label there; the annotators' own work is not changed.")
    var adjudicator: String?

    @Option(name: .long, help: "Annotation store (default: <corpus>/.parallax/annotations.sqlite, else ~/.local/share/parallax/).")
    var store: String?

    @Argument(help: "Folders or article files to open.")
    var paths: [String] = []

    @Option(name: .long, help: "Colour: auto, always or never (NO_COLOR also turns colour off).")
    var color: ColorMode = .auto

    @Option(name: .long, help: "Number of panes to start with (1–4).")
    var panes: Int?

    @Option(name: .long, help: "Config file (default: $XDG_CONFIG_HOME/parallax/config.toml).")
    var config: String?

    @Flag(name: .long, help: "When the store cannot be used, also print what SQLite says about it.")
    var verbose = false

    func validate() throws {
        if session.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--session must not be empty") }
        if let panes, !(1...4).contains(panes) { throw ValidationError("--panes must be between 1 and 4") }
        if adjudicator != nil && annotator != nil { throw ValidationError("give --annotator or --adjudicator, not both") }
        if let adjudicator, adjudicator.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--adjudicator must not be empty") }
    }

    func run() throws {
        var args = ["--color", color.rawValue]
        if let panes { args += ["--panes", String(panes)] }
        if let config { args += ["--config", config] }
        let reader = try Read.parse(args + ["--"] + paths)
        try reader.start(annotation: AnnotationOptions(session: session, annotator: annotator, store: store, adjudicator: adjudicator, verbose: verbose))
    }
}

func fail(_ message: String) -> Never {
    stderrLine(message)
    Foundation.exit(1)
}

/// One line on standard error, escaped: paths, config values and article text in a message
/// never reach the terminal raw, and a newline inside one cannot split the line.
func stderrLine(_ message: String) {
    FileHandle.standardError.write(Data((TerminalText.escaped(message) + "\n").utf8))
}

extension ColorMode: ExpressibleByArgument {}

// Plain `parallax [PATH...]`, the everyday start, skips the argument parser: building its command
// tree (reflection and dynamic casts in the Swift runtime) costs about as much as everything
// else before the first frame. Anything else, options and subcommands included, is parsed.
// Arguments from the raw bytes: a file name that is not UTF-8 (`caf\xE9.txt`) keeps its exact
// bytes behind its escaped display form (RawPaths) instead of becoming U+FFFD and a missing file.
let rawArguments: [String] = (1..<Int(CommandLine.argc)).map { i in
    guard let p = CommandLine.unsafeArgv[i] else { return "" }
    return RawPaths.name(Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))))
}
let plainArguments = rawArguments
let subcommandNames: Set<String> = ["read", "annotate", "annotations", "analyze", "evaluate", "help"]
if !plainArguments.contains(where: { $0.hasPrefix("-") }) && !(plainArguments.first.map(subcommandNames.contains) ?? false) {
    do {
        try ReaderLaunch(paths: plainArguments).start(annotation: nil)
    } catch {
        fail("parallax: \(error)")
    }
} else {
    Parallax.main(rawArguments)
}
