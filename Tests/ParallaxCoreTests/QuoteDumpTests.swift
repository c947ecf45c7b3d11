import XCTest

@testable import ParallaxCore

final class QuoteDumpTests: XCTestCase {
    /// Prints every quotation of the seeds with its speaker and cluster (set PARALLAX_DUMP_QUOTES).
    func testDumpSeedQuotes() throws {
        guard ProcessInfo.processInfo.environment["PARALLAX_DUMP_QUOTES"] != nil else { return }
        let corpus = try load([seedCorpusPath])
        let a = Pipeline.standard.run(corpus).quotes
        for q in a.quotes {
            print("\(q.id.label)\t\(q.article.prefix(3))\t\(q.cluster?.label ?? "-")\t\(q.isFragment ? "F" : "")\(q.continues ? "C" : "")\t\(q.speaker?.name ?? "nil")\t\(q.text)\t[\(q.speaker?.evidence ?? "")]")
        }
        for c in a.clusters {
            print("\(c.id.label) root \(c.root.label): " + c.links.map { "\($0.a.label)-\($0.b.label) \($0.kind.rawValue) \($0.score)" }.joined(separator: ", "))
        }
    }
}

final class QuoteMentionDumpTests: XCTestCase {
    func testDumpMentions() {
        guard ProcessInfo.processInfo.environment["PARALLAX_DUMP_QUOTES"] != nil else { return }
        let a = CorpusLoader.plainTextArticle(id: "n", path: "n.txt", text: TextBuffer("T\n\nCouncilman Raj Patel told reporters the plan was \"reckless.\" He added: \"No.\"\n\n“The engineers warned us in 2019,” said Patel.\n"))
        for m in EntityRecognizer.mentions(in: a) { print("M \(m.text) \(m.type) \(m.evidence)") }
    }
}
