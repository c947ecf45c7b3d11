import Foundation
import XCTest
@testable import ParallaxUI

final class KeymapTests: XCTestCase {
    func testEveryDefaultKeyParsesAndIsBound() throws {
        let map = Keymap.defaults
        for command in Command.allCases {
            for notation in command.spec.keys {
                let keys = try Key.parseSequence(notation)
                XCTAssertEqual(map.lookup(keys), .command(command), "\(notation) → \(command)")
            }
        }
    }

    func testNoDefaultKeyIsBoundTwice() {
        var seen: [String: Command] = [:]
        for command in Command.allCases {
            for notation in command.spec.keys {
                XCTAssertNil(seen[notation], "\(notation) bound to \(seen[notation]!) and \(command)")
                seen[notation] = command
            }
        }
    }

    func testParseNotation() throws {
        XCTAssertEqual(try Key.parseSequence("<C-w>l"), [.ctrl("w"), .char("l")])
        XCTAssertEqual(try Key.parseSequence("]q"), [.char("]"), .char("q")])
        XCTAssertEqual(try Key.parseSequence("<S-Tab><Space><lt>"), [.backTab, .char(" "), .char("<")])
        XCTAssertEqual(try Key.parseSequence("<F1><PageDown>"), [.function(1), .pageDown])
        XCTAssertThrowsError(try Key.parseSequence("<Nope>"))
        XCTAssertEqual(Key.ctrl("w").notation, "<C-w>")
    }

    func testSequencerCountsAndPrefixes() {
        let map = Keymap.defaults
        var seq = KeySequencer()
        XCTAssertEqual(seq.feed(.char("1"), keymap: map), .pending)
        XCTAssertEqual(seq.feed(.char("2"), keymap: map), .pending)
        XCTAssertEqual(seq.display, "12")
        XCTAssertEqual(seq.feed(.char("j"), keymap: map), .command(.scrollDown, count: 12))
        XCTAssertEqual(seq.feed(.ctrl("w"), keymap: map), .pending)
        XCTAssertEqual(seq.feed(.char("l"), keymap: map), .command(.focusRight, count: nil))
        XCTAssertEqual(seq.feed(.ctrl("w"), keymap: map), .pending)
        XCTAssertEqual(seq.feed(.char("x"), keymap: map), .unbound([.ctrl("w"), .char("x")]))
        // 0 alone is not a count.
        XCTAssertEqual(seq.feed(.char("0"), keymap: map), .unbound([.char("0")]))
    }

    func testRebindReplacesAndUnbinds() throws {
        var map = Keymap.defaults
        map.bind(try Key.parseSequence("j"), to: .scrollUp)
        XCTAssertEqual(map.lookup([.char("j")]), .command(.scrollUp))
        map.bind(try Key.parseSequence("s"), to: nil)
        XCTAssertEqual(map.lookup([.char("s")]), .none)
        // The original is untouched (value semantics).
        XCTAssertEqual(Keymap.defaults.lookup([.char("j")]), .command(.scrollDown))
        XCTAssertEqual(map.keys(for: .scrollUp).first, "k")
        XCTAssertTrue(map.keys(for: .scrollUp).contains("j"))
    }
}

final class ConfigTests: XCTestCase {
    func testParsesThemeAndKeys() throws {
        let c = try Config.parse("theme = \"mono\"\n[keys]\n\"<C-j>\" = \"scroll-down\"\ns = \"none\"\n", path: "c.toml")
        XCTAssertEqual(c.theme, .monochrome)
        XCTAssertEqual(c.keymap.lookup([.ctrl("j")]), .command(.scrollDown))
        XCTAssertEqual(c.keymap.lookup([.char("s")]), .none)
    }

    func testErrorsCarryLineNumbers() {
        func error(_ text: String) -> Config.Error? {
            do { _ = try Config.parse(text, path: "c.toml"); return nil } catch { return error }
        }
        XCTAssertEqual(error("theme = \"auto\"\n\ntheme2 = 3\n")?.line, 3)
        XCTAssertEqual(error("theme = \"pink\"\n")?.line, 1)
        XCTAssertEqual(error("[keys]\nj = \"nope\"\n")?.line, 2)
        XCTAssertEqual(error("[keys]\n\"<Bogus>\" = \"quit\"\n")?.line, 2)
        XCTAssertEqual(error("theme = \n")?.line, 1)
        XCTAssertEqual(error("[keys]\nj = \"quit\"\nk = = 1\n")?.line, 3)
        XCTAssertTrue(error("theme = \"pink\"\n")!.description.hasPrefix("parallax: c.toml:1: "))
    }

    /// Oversized or special config files are refused before parsing, and a huge value is cut
    /// in the error line.
    func testHugeAndSpecialConfigsAreOneShortError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = dir.appendingPathComponent("big.toml")
        try Data(("theme = \"" + String(repeating: "x", count: Config.maxSize) + "\"\n").utf8).write(to: big)
        XCTAssertThrowsError(try Config.load(path: big.path, required: true)) { error in
            XCTAssertEqual((error as? Config.Error)?.message, "larger than 1024 KB: not a config file")
        }
        let fifo = dir.appendingPathComponent("fifo.toml").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try Config.load(path: fifo, required: true)) { error in
            XCTAssertEqual((error as? Config.Error)?.message, "not a regular file")
        }
        XCTAssertThrowsError(try Config.parse("theme = \"" + String(repeating: "y", count: 100_000) + "\"", path: "c.toml")) { error in
            let message = (error as? Config.Error)?.description ?? ""
            XCTAssertLessThan(message.count, 200, message)
            XCTAssertTrue(message.contains("unknown theme 'yyyy"), message)
        }
    }

    func testDefaultPathFollowsXDG() {
        XCTAssertEqual(Config.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]), "/x/parallax/config.toml")
        XCTAssertEqual(Config.defaultPath(environment: ["HOME": "/h"]), "/h/.config/parallax/config.toml")
    }

    func testColorTierResolution() {
        XCTAssertEqual(ColorTier.resolve(flag: .auto, configured: nil, noColor: true, terminalColors: 256), .monochrome)
        XCTAssertEqual(ColorTier.resolve(flag: .never, configured: .color256, noColor: false, terminalColors: 256), .monochrome)
        XCTAssertEqual(ColorTier.resolve(flag: .auto, configured: nil, noColor: false, terminalColors: 8), .color16)
        XCTAssertEqual(ColorTier.resolve(flag: .auto, configured: nil, noColor: false, terminalColors: 0), .monochrome)
        XCTAssertEqual(ColorTier.resolve(flag: .auto, configured: .color256, noColor: false, terminalColors: 16), .color16)
        XCTAssertEqual(ColorTier.resolve(flag: .always, configured: nil, noColor: true, terminalColors: 256), .color256)
    }
}
