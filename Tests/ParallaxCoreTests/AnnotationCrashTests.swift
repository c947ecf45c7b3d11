import Foundation
import XCTest

@testable import ParallaxCore

#if canImport(Glibc)
    import Glibc
#endif

/// SIGKILL at random moments of a scripted annotation session loses no acknowledged annotation
/// and leaves an intact store.
final class AnnotationCrashTests: XCTestCase {
    func helperPath() throws -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle(for: AnnotationCrashTests.self).bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("parallax-annotate-stress").path }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            // `make test` builds every product first; a missing helper is a failure, not a skip.
            XCTFail("parallax-annotate-stress is not built next to the tests (\(candidates)): run `swift build` first")
            throw CancellationError()
        }
        return path
    }

    func testSIGKILLLosesNoConfirmedAnnotation() throws {
        let helper = try helperPath()
        let folder = try makeTempFolder(self)
        let store = folder.appendingPathComponent("crash.sqlite").path
        var confirmed: [(id: String, revision: Int64, state: String)] = []
        var generator = SystemRandomNumberGenerator()
        let kills = 60
        let started = Date()
        for round in 0..<kills {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: helper)
            process.arguments = [store, "run\(round)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Mostly mid-session; sometimes while the store is still opening.
            let delay = round % 5 == 0 ? UInt32.random(in: 0..<15_000, using: &generator) : UInt32.random(in: 15_000..<80_000, using: &generator)
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, "round \(round): the helper stopped by itself")
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: " ")
                // A line cut by the kill is not an acknowledgement.
                guard parts.count == 4, parts[0] == "ack", let revision = Int64(parts[2]),
                    ["claim", "disputed", "deleted"].contains(parts[3])
                else { continue }
                confirmed.append((String(parts[1]), revision, String(parts[3])))
            }
        }
        let reopened = try AnnotationStore(path: store)
        XCTAssertEqual(try reopened.integrityCheck(), ["ok"])
        XCTAssertGreaterThan(confirmed.count, kills)
        // Every acknowledged revision is stored as acknowledged.
        var revisions: [Int64: Annotation] = [:]
        for id in Set(confirmed.map(\.id)) {
            for r in try reopened.history(id: id) { revisions[r.revision] = r }
        }
        var lost = 0
        for ack in confirmed {
            guard let r = revisions[ack.revision], r.id == ack.id,
                ack.state == "deleted" ? r.isDeleted : (!r.isDeleted && r.label == ack.state)
            else {
                lost += 1
                continue
            }
        }
        XCTAssertEqual(lost, 0, "acknowledged revisions missing or different")
        // Only the action in flight at a kill may be missing from the current state: the last
        // acknowledged state of each annotation is current unless a later revision superseded it.
        for ack in confirmed {
            let head = try reopened.annotation(id: ack.id)
            XCTAssertNotNil(head)
            XCTAssertGreaterThanOrEqual(head?.revision ?? 0, ack.revision)
        }
        // Writing still works after all those kills.
        let text = TextBuffer("after the crashes")
        XCTAssertNoThrow(try reopened.create(AnnotationDraft(articleID: "after", range: 0..<5, label: "claim"), text: text, session: "s", annotator: "a"))
        print("crash test: \(kills) kills, \(confirmed.count) acknowledged annotations, \(try reopened.revisionCount()) revisions, \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
