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
        for w in corpus.warnings { FileHandle.standardError.write(Data("parallax: warning: \(w)\n".utf8)) }
        let analysis = Pipeline.standard.run(corpus)
        switch format {
        case .json:
            var bytes = AnalysisJSON.bytes(corpus: corpus, analysis: analysis)
            bytes.append(0x0A)
            bytes.withUnsafeBufferPointer { buf in
                var done = 0
                while done < buf.count {
                    let n = Glibc.write(1, buf.baseAddress! + done, buf.count - done)
                    if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
                    done += n
                }
            }
        case .text:
            print(AnalysisText.render(corpus: corpus, analysis: analysis), terminator: "")
        }
    }
}
