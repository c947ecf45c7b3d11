import Foundation
import XCTest

/// The real binary in a real (tmux) terminal: keys in, screen out.
final class ReaderEndToEndTests: XCTestCase {
    var session: TmuxSession?

    override func tearDown() {
        session?.kill()
        session = nil
    }

    private func start(width: Int = 160, height: Int = 45, args: String = "corpus", env: [String: String] = [:]) throws -> TmuxSession {
        try requireHarness()
        let cmd = "'\(TmuxSession.binary)' \(args); echo EXIT=$?; sleep 60"
        let s = try TmuxSession(width: width, height: height, command: cmd, environment: env,
                                directory: TmuxSession.packageRoot.path)
        session = s
        s.waitFor("NORMAL")
        return s
    }

    func testOpensThreePanesWithHeadersAndStatus() throws {
        let s = try start()
        let screen = s.capture()
        XCTAssertTrue(screen.contains("000_f96229f3062a7620 · outlet ? · date ?"), screen)
        XCTAssertTrue(screen.contains("001_8f2effccef7adb49"), screen)
        XCTAssertTrue(screen.contains("002_f40aeade3fbf9a8e · CNBC"), screen)
        XCTAssertFalse(screen.contains("003_ca59708d16a0fad3"), "160 columns hold three panes")
        // The cleaned reading view hides related-link junk glued to names.
        XCTAssertTrue(screen.contains("President Trump directly asked"), screen)
        XCTAssertFalse(screen.contains("TrumpDonald"), screen)
        XCTAssertTrue(screen.contains("pane 1/3"), screen)
    }

    func testScrollFocusAndCounts() throws {
        let s = try start()
        func firstPaneHeader(_ screen: String) -> String {
            String(screen.split(separator: "\n")[0].split(separator: "│")[0])
        }
        XCTAssertTrue(firstPaneHeader(s.capture()).contains("Top"))
        s.send("5", "j")
        s.wait("first pane scrolled") { !firstPaneHeader($0).contains("Top") }
        s.send("Tab")
        s.waitFor("pane 2/3")
        s.send("C-w", "l")
        s.waitFor("pane 3/3")
        s.send("C-w", "h")
        s.waitFor("pane 2/3")
        s.send("G")
        s.wait("second pane at the bottom") { screen in
            let header = screen.split(separator: "\n")[0]
            return header.contains("Bot")
        }
        s.send("g")
        s.wait("second pane back at the top") { $0.split(separator: "\n")[0].components(separatedBy: "Top").count >= 3 }
    }

    func testOriginalViewShowsJunk() throws {
        let s = try start()
        s.send("r")
        s.waitFor("TrumpDonald Trump")
        s.send("r")
        s.wait("junk hidden again") { !$0.contains("TrumpDonald") }
    }

    func testPickerFiltersAndOpens() throws {
        let s = try start()
        s.send("o")
        s.waitFor("Open article in pane 1")
        s.send("cnn", literal: true)
        s.wait("filtered to CNN") { $0.contains("1/5") && $0.contains("004_1990f4e71a0f2eea") }
        s.send("Enter")
        s.wait("pane 1 shows 004") { $0.split(separator: "\n")[0].contains("004_1990f4e71a0f2eea · CNN · 2020-12-05") }
        XCTAssertTrue(s.capture().contains("President Donald Trump on Saturday called Georgia"))
    }

    func testSearchHighlightsInEveryPane() throws {
        let s = try start()
        s.send("/")
        s.send("raffensperger", literal: true)
        s.send("Enter")
        s.waitFor("match 1 of")
        let colored = s.capture(escapes: true)
        // The match style (a background colour) appears in several panes' text.
        let highlighted = colored.components(separatedBy: "Raffensperger").count - 1
        XCTAssertGreaterThan(highlighted, 2)
        XCTAssertTrue(colored.contains("48;5;222m"), "matches have a background colour: \(colored.prefix(3000))")
        s.send("n")
        s.waitFor("match 2 of")
        s.send("N")
        s.waitFor("match 1 of")
        s.send("/")
        s.send("zzzqqq", literal: true)
        s.send("Enter")
        s.waitFor("Pattern not found: zzzqqq")
    }

    func testCommandPromptCompletesAndRuns() throws {
        let s = try start()
        s.send(":")
        s.send("he", literal: true)
        s.send("Tab")
        s.waitFor(":help")
        s.send("Enter")
        s.waitFor("Help — j/k scroll")
        s.send("q")
        s.wait("help closed") { !$0.contains("Help —") }
        s.send(":")
        s.send("bogus", literal: true)
        s.send("Enter")
        s.waitFor("Not a command: bogus")
    }

    func testHelpOverlayListsBindingsFromRegistry() throws {
        let s = try start()
        s.send("h")
        // The whole overlay, not just its title: a capture can land while a frame is being written.
        let screen = s.wait("help with bindings") { $0.contains("Help — j/k scroll") && $0.contains(":scroll-down") && $0.contains("<C-w>l") }
        XCTAssertTrue(screen.contains("Help — j/k scroll"), screen)
        s.send("Escape")
        s.wait("help closed") { !$0.contains("Help —") }
    }

    func testResizeReflowsAndTooSmall() throws {
        let s = try start()
        s.send("3", "j")
        s.resize(width: 90, height: 20)
        s.wait("reflowed to 90 columns") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count <= 21 && lines.allSatisfy { $0.count <= 90 } && screen.contains("NORMAL")
        }
        s.resize(width: 15, height: 5)
        s.waitFor("too small")
        s.resize(width: 160, height: 45)
        s.waitFor("NORMAL")
    }

    func testMouseClickFocusesAndWheelScrolls() throws {
        let s = try start()
        // X10 mouse: ESC [ M, button+32, column+33, row+33 (0-based column 120, row 10).
        s.sendHex([0x1B, 0x5B, 0x4D, 32, 120 + 33, 10 + 33])
        s.waitFor("pane 3/3")
        // Wheel down (button 65 = 64 + 1) over the first pane.
        s.sendHex([0x1B, 0x5B, 0x4D, 65 + 32, 10 + 33, 10 + 33])
        s.wait("first pane scrolled by the wheel") { !String($0.split(separator: "\n")[0].split(separator: "│")[0]).contains("Top") }
        XCTAssertTrue(s.capture().contains("pane 3/3"), "the wheel does not move the focus")
    }

    func testQuitRestoresTerminal() throws {
        let s = try start()
        XCTAssertEqual(s.display("#{alternate_on}"), "1")
        s.send("q")
        let screen = s.waitFor("EXIT=0")
        XCTAssertFalse(screen.contains("NORMAL"), "the reader's screen is gone after quitting")
        XCTAssertEqual(s.display("#{alternate_on}"), "0")
        XCTAssertEqual(s.display("#{cursor_flag}"), "1", "cursor visible again")
    }

    func testSigtermRestoresTerminal() throws {
        let s = try start()
        let pid = s.display("#{pane_pid}")
        // The pane runs sh; signal its child, the reader.
        _ = TmuxSession.run(["pkill", "-TERM", "-P", pid, "-x", "parallax"])
        let screen = s.waitFor("EXIT=143")
        XCTAssertFalse(screen.contains("NORMAL"))
        XCTAssertEqual(s.display("#{alternate_on}"), "0")
    }

    func testMonochromeWithNoColor() throws {
        let s = try start(env: ["NO_COLOR": "1"])
        let colored = s.capture(escapes: true)
        XCTAssertFalse(colored.contains("[38;5;"), "no palette colours under NO_COLOR")
        XCTAssertTrue(colored.contains("\u{1B}[7m") || colored.contains(";7m"), "reverse video marks headers")
    }

    func testEntityKeysAndPanel() throws {
        let s = try start()
        s.wait("analysis done") { !$0.contains("analysing entities") }
        s.send("]", "e")
        s.waitFor("PERSON Donald Trump")
        s.send("*")
        s.waitFor("Donald Trump: 001_8f2effccef7adb49 1/13")
        s.send("E")
        s.waitFor("Entities — ")
        XCTAssertTrue(s.capture().contains("[P] Brad Raffensperger"))
        s.send("/")
        s.send("kemp", literal: true)
        s.send("Enter", "Enter")
        s.waitFor("PERSON Brian Kemp")
    }

    func testQuoteTwinsAlignAndQuoteMap() throws {
        let s = try start()
        s.wait("analysis done") { !$0.contains("analysing") }
        // Pane 2 (001): its first quote is Trump's "There's nothing wrong with saying..."
        s.send("Tab")
        s.send("]", "q")
        s.waitFor("quote 1/")
        s.waitFor("Donald Trump")
        s.send("t")
        s.waitFor("twins: 000_f96229f3062a7620")
        s.send("C-o")
        s.waitFor("back")
        s.send("Q")
        let map = s.wait("quote map drawn") { $0.contains("Quote map —") && $0.contains("Brad Raffensperger") }
        XCTAssertTrue(map.contains("Brad Raffensperger"), map)
        s.send("Enter")
        s.waitFor("Versions —")
        s.send("q", "q")
        s.wait("back to normal") { $0.contains("NORMAL") && !$0.contains("Quote map") }
    }
}
