import ArgumentParser
import Foundation
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
            let data = try AnalysisJSON.encode(corpus: corpus, analysis: analysis)
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        case .text:
            print(AnalysisText.render(corpus: corpus, analysis: analysis), terminator: "")
        }
    }
}
