import Glibc
import ParallaxTerminal
import ParallaxUI
import XCTest

/// ncurses on a headless terminal (`newterm` on /dev/null): frames drawn through the real
/// backend read back cell by cell.
final class HeadlessSmokeTests: XCTestCase {
    func testDrawsWideAndStyledCellsAndDiffs() throws {
        guard let out = fopen("/dev/null", "w"), let inp = fopen("/dev/null", "r") else { return XCTFail("no /dev/null") }
        defer { fclose(out); fclose(inp) }
        let backend = try NcursesBackend(terminalType: "xterm-256color", output: out, input: inp)
        defer { backend.restore() }
        backend.resize(width: 40, height: 5)
        XCTAssertEqual(backend.width, 40)
        XCTAssertEqual(backend.height, 5)
        XCTAssertEqual(backend.colorCount, 256)

        var grid = CellGrid(width: 40, height: 5)
        grid.put(string: "Hello 中文 é", x: 0, y: 0, style: Style(fg: .palette(208), attributes: .bold))
        grid.put(string: "😀!", x: 2, y: 1, style: .plain)
        backend.draw(Frame(grid: grid, cursor: nil), full: true)
        XCTAssertEqual(backend.readBack(x: 0, y: 0), "H")
        XCTAssertEqual(backend.readBack(x: 6, y: 0), "中")
        XCTAssertEqual(backend.readBack(x: 8, y: 0), "文")
        XCTAssertEqual(backend.readBack(x: 11, y: 0), "é")
        XCTAssertEqual(backend.readBack(x: 2, y: 1), "😀")
        XCTAssertEqual(backend.readBack(x: 4, y: 1), "!")

        // A second frame changes one cell; the diff writes it.
        grid.put(string: "J", x: 0, y: 0, style: .plain)
        backend.draw(Frame(grid: grid, cursor: (x: 3, y: 3)), full: false)
        XCTAssertEqual(backend.readBack(x: 0, y: 0), "J")
        XCTAssertEqual(backend.readBack(x: 6, y: 0), "中")
    }

    func testUnknownTerminalTypeIsAnError() {
        guard let out = fopen("/dev/null", "w"), let inp = fopen("/dev/null", "r") else { return XCTFail("no /dev/null") }
        defer { fclose(out); fclose(inp) }
        XCTAssertThrowsError(try NcursesBackend(terminalType: "no-such-terminal-xyz", output: out, input: inp)) { error in
            XCTAssertTrue("\(error)".contains("unknown terminal type"))
        }
        XCTAssertThrowsError(try NcursesBackend(terminalType: "dumb", output: out, input: inp)) { error in
            XCTAssertTrue("\(error)".contains("cannot position the cursor"))
        }
    }
}
