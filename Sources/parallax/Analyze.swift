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

    @Argument(help: "Folders or article files (default: ./corpus, else the built-in seeds).")
    var paths: [String] = []

    func run() throws {
        let corpus: Corpus
        do {
            corpus = try CorpusLoader.loadDefault(paths: paths)
        } catch {
            fail(error.message)
        }
        for w in corpus.warnings { warnLine("parallax: warning: \(w)") }
        let analysis = Pipeline.standard.run(corpus)
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
