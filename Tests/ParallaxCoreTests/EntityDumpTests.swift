import XCTest

@testable import ParallaxCore

final class EntityDumpTests: XCTestCase {
    func testDumpSeedEntities() throws {
        guard ProcessInfo.processInfo.environment["PARALLAX_DUMP_ENTITIES"] != nil else { return }
        let corpus = try load([seedCorpusPath])
        let a = EntityRecognizer.analyze(corpus)
        for e in a.entities {
            let arts = Set(e.mentions.map { String($0.article.prefix(3)) }).sorted().joined(separator: ",")
            print("\(e.id)\t\(e.type.rawValue)\t\(e.name)\t[\(arts)]\t\(e.aliases)\t\(e.mentions.first!.evidence)\t\(e.mentions.compactMap(\.resolvedDate).first ?? "")")
        }
    }
}
