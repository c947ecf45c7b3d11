import Foundation
import XCTest

/// `parallax analyze` applies the corpus's entity corrections (`.parallax/entities.json`) unless
/// told not to, and takes another file with `--corrections`.
final class EntityCorrectionsCLITests: XCTestCase {
    private func analyze(_ args: [String]) throws -> (status: Int32, output: String, json: [String: Any]?) {
        try requireHarness()
        let r = TmuxSession.run([TmuxSession.binary, "analyze", "--format", "json"] + args, environment: ProcessInfo.processInfo.environment)
        let line = r.output.split(separator: "\n").last { $0.hasPrefix("{") }
        let json = line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return (r.status, r.output, json)
    }

    /// name → (type, mention texts) of the output's entities.
    private func entities(_ json: [String: Any]?) throws -> [String: (type: String, mentions: [String])] {
        let list = try XCTUnwrap(json?["entities"] as? [[String: Any]])
        var out: [String: (String, [String])] = [:]
        for e in list {
            let mentions = (e["mentions"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            out[e["name"] as! String] = (e["type"] as! String, mentions)
        }
        return out
    }

    func testAnalyzeAppliesTheCorpusCorrections() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-corrections-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".parallax"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The user decides "Ann Lee" is a band (an organisation), not a person: the kind of call
        // corrections are for.
        try "Count day\n\nBrad Raffensperger met Ann Lee in Atlanta, Georgia, on Monday.\n\n\"We will win,\" said Ann Lee. Raffensperger agreed.\n"
            .write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)

        let plain = try entities(try analyze([dir.path]).json)
        XCTAssertEqual(plain["Ann Lee"]?.type, "PERSON", "the uncorrected analysis this test corrects")
        XCTAssertNotNil(plain["Atlanta"])
        XCTAssertNotNil(plain["Monday"])

        let corrections = """
            {"version": 1, "corrections": [
             {"action": "retype", "entity": {"name": "Ann Lee", "type": "PERSON"}, "to": "ORG", "by": "ana", "at": "2026-03-01T10:00:00Z"},
             {"action": "merge", "from": {"name": "Atlanta", "type": "GPE"}, "into": {"name": "Georgia", "type": "GPE"}, "by": "ana", "at": "2026-03-01T10:00:01Z"},
             {"action": "not-entity", "article": "a", "start": 66, "end": 72, "text": "Monday", "by": "ana", "at": "2026-03-01T10:00:02Z"},
             {"action": "split", "alias": "Raffensperger", "of": {"name": "Brad Raffensperger", "type": "PERSON"}, "by": "ana", "at": "2026-03-01T10:00:03Z"},
             {"action": "undo", "by": "ana", "at": "2026-03-01T10:00:04Z"}
            ]}
            """
        try corrections.write(to: dir.appendingPathComponent(".parallax/entities.json"), atomically: true, encoding: .utf8)
        let run = try analyze([dir.path])
        XCTAssertEqual(run.status, 0, run.output)
        let corrected = try entities(run.json)
        XCTAssertEqual(corrected["Ann Lee"]?.type, "ORG")
        XCTAssertNil(corrected["Atlanta"], "merged into Georgia")
        XCTAssertEqual(corrected["Georgia"]?.mentions.sorted(), ["Atlanta", "Georgia"])
        XCTAssertNil(corrected["Monday"], "its only mention is not an entity")
        XCTAssertNil(corrected["Raffensperger"], "the split was undone")
        XCTAssertEqual(corrected["Brad Raffensperger"]?.mentions.count, 2)
        let georgia = try XCTUnwrap((run.json?["entities"] as? [[String: Any]])?.first { $0["name"] as? String == "Georgia" })
        let evidence = (georgia["mentions"] as? [[String: Any]] ?? []).compactMap { $0["evidence"] as? String }
        XCTAssertTrue(evidence.contains { $0.contains("corrected by user: merged into Georgia") }, "\(evidence)")
        // The quote's speaker is the corrected entity.
        let quote = try XCTUnwrap((run.json?["quotes"] as? [[String: Any]])?.first)
        let speaker = try XCTUnwrap(quote["speaker"] as? [String: Any])
        let ids = (run.json?["entities"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0["name"] as! String) }
        XCTAssertEqual(ids.first { $0.0 == speaker["entity"] as? String }?.1, "Ann Lee")

        // --no-corrections: as recognised.
        let skipped = try entities(try analyze(["--no-corrections", dir.path]).json)
        XCTAssertEqual(skipped["Ann Lee"]?.type, "PERSON")
        XCTAssertNotNil(skipped["Atlanta"])

        // --corrections FILE: another file instead.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("px-other-corrections-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: other) }
        try """
            {"version": 1, "corrections": [{"action": "retype", "entity": {"name": "Atlanta", "type": "GPE"}, "to": "LOC", "by": "bo", "at": "2026-03-02T09:00:00Z"}]}
            """.write(to: other, atomically: true, encoding: .utf8)
        let chosen = try entities(try analyze(["--corrections", other.path, dir.path]).json)
        XCTAssertEqual(chosen["Atlanta"]?.type, "LOC")
        XCTAssertEqual(chosen["Ann Lee"]?.type, "PERSON", "the corpus's own file is not applied then")

        // A corrupt file: one warning line, the analysis without corrections, the file untouched.
        try "{not json".write(to: dir.appendingPathComponent(".parallax/entities.json"), atomically: true, encoding: .utf8)
        let bad = try analyze([dir.path])
        XCTAssertEqual(bad.status, 0, bad.output)
        XCTAssertTrue(bad.output.contains("entities shown without corrections"), bad.output)
        XCTAssertEqual(try entities(bad.json)["Ann Lee"]?.type, "PERSON")
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent(".parallax/entities.json"), encoding: .utf8), "{not json")
    }
}
