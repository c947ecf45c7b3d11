import ArgumentParser
import Foundation
import Glibc
import ParallaxCore

/// `parallax analyze`: the same loading and analysis as the reader, no terminal needed.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print the corpus analysis (articles, entities, quotes) as text or JSON; no terminal needed.",
        discussion: "JSON is a stable contract (see README, \"parallax analyze\"): offsets are Unicode scalar offsets into each article's text.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .customLong("max-article-mb"), help: ArgumentHelp("Articles larger than this are listed but not analysed, as in the reader; 0 analyses every article.", valueName: "MB"))
    var maxArticleMB: Int = ReaderLaunch.analysisLimitBytes >> 20

    @Option(name: .long, help: ArgumentHelp("Entity corrections to apply (default: the corpus's .parallax/entities.json, as the reader uses).", valueName: "FILE"))
    var corrections: String?

    @Flag(name: .customLong("no-corrections"), help: "Show the entities as recognised, without the user's corrections.")
    var noCorrections = false

    @Argument(help: "Folders or article files (default: ./corpus, else the built-in seeds).")
    var paths: [String] = []

    func validate() throws {
        if maxArticleMB < 0 { throw ValidationError("--max-article-mb must be 0 or more") }
        if noCorrections && corrections != nil { throw ValidationError("--corrections and --no-corrections exclude each other") }
    }

    func run() throws {
        var corpus: Corpus
        do {
            corpus = try CorpusLoader.loadDefault(paths: paths)
        } catch {
            fail(error.message)
        }
        // The reader's guard: a huge article is listed without analysis unless asked for.
        let limit = maxArticleMB == 0 ? Int.max : maxArticleMB << 20
        var analysed = corpus
        if corpus.articles.contains(where: { $0.text.bytes.count > limit }) {
            let skipped = corpus.articles.filter { $0.text.bytes.count > limit }.map {
                LoadWarning(path: $0.path, message: "over \(maxArticleMB) MB: listed without analysis (--max-article-mb 0 analyses it)")
            }
            corpus = Corpus(articles: corpus.articles, warnings: corpus.warnings + skipped, root: corpus.root, annotationLabels: corpus.annotationLabels)
            analysed = Corpus(articles: corpus.articles.filter { $0.text.bytes.count <= limit }, warnings: [], root: corpus.root)
        }
        for w in corpus.warnings { stderrLine("parallax: warning: \(w)") }
        let analysis = Pipeline.standard.run(analysed, corrections: loadCorrections(root: corpus.root))
        for w in analysis.quotes.depthWarnings(corpus: corpus) { stderrLine("parallax: warning: \(w)") }
        switch format {
        case .json:
            AnalysisJSON.stream(corpus: corpus, analysis: analysis) { writeOut($0) }
            [UInt8(0x0A)].withUnsafeBufferPointer { writeOut($0) }
        case .text:
            // Titles, sources and names come from the articles: escaped like everything bound for a terminal.
            print(TerminalText.escaped(AnalysisText.render(corpus: corpus, analysis: analysis), keepingNewlines: true), terminator: "")
        }
        // Everything is written: end here rather than free the analysis object by object, which
        // on a large corpus takes a noticeable share of the run. exit flushes standard output.
        Glibc.exit(0)
    }

    /// The corrections the entities are shown with: none with `--no-corrections`, the named file
    /// (which must exist), else the corpus's own file if there is one. A file that cannot be
    /// used is a warning, and the analysis goes on without corrections.
    private func loadCorrections(root: String?) -> EntityCorrections {
        if noCorrections { return EntityCorrections() }
        let path: String
        if let corrections {
            guard FileManager.default.fileExists(atPath: corrections) else { fail("parallax analyze: no corrections file \(corrections)") }
            path = corrections
        } else {
            guard let p = EntityCorrectionsFile.defaultPath(corpusRoot: root, environment: ProcessInfo.processInfo.environment) else { return EntityCorrections() }
            path = p
        }
        let file = EntityCorrectionsFile(path: path)
        if let problem = file.problem {
            stderrLine("parallax: warning: \(problem); entities shown without corrections")
        }
        return file.log
    }
}

/// Writes all of `buf` to standard output, retrying after interrupted or partial writes.
private func writeOut(_ buf: UnsafeBufferPointer<UInt8>) {
    guard let base = buf.baseAddress else { return }
    var done = 0
    while done < buf.count {
        let n = Glibc.write(1, base + done, buf.count - done)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { fail("parallax analyze: cannot write the output: \(String(cString: strerror(errno)))") }
        done += n
    }
}
