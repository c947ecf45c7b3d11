import ArgumentParser
import Foundation
import ParallaxCore

/// `parallax evaluate`: scores the analysis on annotated corpora, so quality is a number anyone
/// can reproduce. The scoring lives in ParallaxCore (`Evaluation/`); this file reads the options,
/// runs the analysis and hands its results over as plain values.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score quotes, speakers and entities against annotated corpora (brat attributions, CoNLL).",
        discussion: """
            Without options, uses \(defaultAttributions), \(defaultCoNLL) and \(defaultPronounGold) \
            (relative to the current folder), each when present. Rules: see the data README and the \
            README section "parallax evaluate".
            """)

    static let defaultAttributions = "../shared/data/polnear-dev"
    static let defaultCoNLL = "../shared/data/conllpp/conllpp_dev.txt"
    static let defaultPronounGold = "Tests/gold/attribution-dev-pronoun-sample.tsv"

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case quotes, entities
    }

    @Option(name: .long, help: ArgumentHelp("Brat attribution folder: text/ + attributions/ (PolNeAR), or NAME.txt beside NAME.ann.", valueName: "dir"))
    var attributions: String?

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("CoNLL NER files (IOB2 or IOB1; -DOCSTART- between documents).", valueName: "file"))
    var conll: [String] = []

    @Option(name: .customLong("pronoun-gold"), help: ArgumentHelp("TSV of referents for pronoun sources: file, start, end, pronoun, referent, note.", valueName: "file"))
    var pronounGold: String?

    @Option(name: .customLong("nyt-double-apostrophes"), help: ArgumentHelp("When '' is a double quote mark: auto (New York Times texts), always or never.", valueName: "when"))
    var nytDoubleApostrophes: DoubleApostrophes = .auto

    @Option(name: .customLong("write-outlets"), help: ArgumentHelp("Also write the second outlet's articles of the cross-source test into this folder, to read them.", valueName: "dir"))
    var writeOutlets: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("Errors listed of each kind.", valueName: "n"))
    var errors: Int = 10

    @Option(name: .long, help: ArgumentHelp("Evaluate only quotes or only entities.", valueName: "target"))
    var only: Target?

    func validate() throws {
        if errors < 0 { throw ValidationError("--errors must be 0 or more") }
    }

    func run() throws {
        var skipped: [String] = []
        /// A path given explicitly must exist; a default one is used when present.
        func input(_ given: String?, _ fallback: String, _ what: String) -> String? {
            if let given {
                guard FileManager.default.fileExists(atPath: given) else {
                    fail("parallax evaluate: no such file or directory: \(given)")
                }
                return given
            }
            if FileManager.default.fileExists(atPath: fallback) { return fallback }
            skipped.append("\(what) \(fallback)")
            return nil
        }
        let attributionsPath = only == .entities ? nil : input(attributions, Evaluate.defaultAttributions, "attributions")
        let pronounPath = only == .entities ? nil : input(pronounGold, Evaluate.defaultPronounGold, "pronoun gold")
        var conllPaths: [String] = []
        if only != .quotes {
            conllPaths = conll.isEmpty ? [input(nil, Evaluate.defaultCoNLL, "conll")].compactMap { $0 } : conll.compactMap { input($0, "", "conll") }
        }
        if !skipped.isEmpty {
            stderrLine("parallax evaluate: not found, skipped: \(skipped.joined(separator: "; "))")
        }
        guard attributionsPath != nil || !conllPaths.isEmpty else {
            fail("parallax evaluate: nothing to evaluate (give --attributions DIR or --conll FILE)")
        }

        var warnings: [String] = []
        var quotes: QuoteEvaluation?
        var entities: EntityEvaluation?
        do {
            if let attributionsPath {
                let gold = try AttributionCorpus.load(folder: attributionsPath)
                warnings += gold.warnings.map { "\(attributionsPath): \($0)" }
                let corpus = try loadCorpus([gold.textFolder], &warnings)
                let pronouns = try pronounPath.map { path throws(EvaluationError) in try PronounGold.load(path: path) }
                let articles = gold.articles.map { QuoteArticle($0, doubleApostrophes: nytDoubleApostrophes) }
                quotes = QuoteScorer.score(articles: articles, system: systemQuotes(corpus), pronounGold: pronouns)
                // The same texts with a second outlet re-reporting each article's quotations.
                let outlets = CrossSource.rewrites(of: articles)
                if let dir = writeOutlets {
                    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    for o in outlets {
                        let path = (dir as NSString).appendingPathComponent(o.id + ".txt")
                        guard FileManager.default.createFile(atPath: path, contents: Data(o.text.utf8)) else {
                            fail("parallax evaluate: cannot write \(path)")
                        }
                    }
                }
                let combined = Corpus(
                    articles: corpus.articles + outlets.map { CorpusLoader.plainTextArticle(id: $0.id, path: $0.id + ".txt", text: TextBuffer($0.text)) },
                    warnings: [], root: nil)
                quotes?.crossSource = CrossSource.score(articles: articles + outlets.map(\.article), system: systemQuotes(combined))
            }
            if !conllPaths.isEmpty {
                var documents: [CoNLLDocument] = []
                var articles: [Article] = []
                var names = Set<String>()
                for path in conllPaths {
                    // Article ids are FILESTEM#N; a second file with the same stem gets a suffix.
                    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                    var name = stem
                    var k = 2
                    while !names.insert(name).inserted {
                        name = "\(stem)-\(k)"
                        k += 1
                    }
                    let docs = try CoNLLReader.load(path: path, name: name)
                    documents += docs
                    articles += docs.enumerated().map { i, doc in conllArticle(doc, path: "\(path)#\(i + 1)") }
                }
                entities = EntityScorer.score(
                    documents: documents, system: systemMentions(Corpus(articles: articles, warnings: [], root: nil)))
            }
        } catch {
            fail("parallax evaluate: \(error.message)")
        }
        for w in warnings { stderrLine("parallax evaluate: warning: \(w)") }

        let report = EvaluationReport(
            attributions: attributionsPath, quotes: quotes, conll: conllPaths, entities: entities,
            skipped: skipped, warnings: warnings)
        switch format {
        case .json:
            FileHandle.standardOutput.write(try report.json(errors: errors))
            FileHandle.standardOutput.write(Data("\n".utf8))
        case .text:
            print(TerminalText.escaped(report.text(errors: errors), keepingNewlines: true), terminator: "")
        }
    }

    private func loadCorpus(_ paths: [String], _ warnings: inout [String]) throws(EvaluationError) -> Corpus {
        do {
            let corpus = try CorpusLoader.load(paths: paths)
            warnings += corpus.warnings.map(\.description)
            return corpus
        } catch {
            throw EvaluationError(error.message)
        }
    }

    /// A CoNLL document as an article: the whole text is body, nothing hidden.
    private func conllArticle(_ doc: CoNLLDocument, path: String) -> Article {
        Article(
            id: doc.id, path: path, format: .plainText, metadata: ArticleMetadata(), text: TextBuffer(doc.text),
            bodyStart: 0, hiddenRanges: [], warnings: [], wordCount: doc.tokens.count)
    }
}

// MARK: - Glue to the analysis
// The only places that know the analysis API: when it changes, these two functions change.

/// Every quotation the analysis finds, with its speaker's name.
func systemQuotes(_ corpus: Corpus) -> [SystemQuote] {
    // Direct quotations only: scare quotes ("fragment") are quoted terms, not what someone said.
    Pipeline.standard.run(corpus).quotes.quotes.filter { !$0.isFragment }.map {
        SystemQuote(article: $0.article, range: $0.range, speaker: $0.speaker?.name, mention: $0.speaker?.mention, cluster: $0.cluster?.rawValue)
    }
}

/// Every entity mention the analysis finds, with its Parallax type name.
func systemMentions(_ corpus: Corpus) -> [SystemMention] {
    let pipeline = Pipeline.standard
    let entities = pipeline.entities(pipeline.tokenize(corpus))
    return corpus.articles.flatMap { article in
        (entities.mentionsByArticle[article.id] ?? []).map {
            SystemMention(article: article.id, range: $0.range, type: $0.type.rawValue)
        }
    }
}

extension DoubleApostrophes: ExpressibleByArgument {}
