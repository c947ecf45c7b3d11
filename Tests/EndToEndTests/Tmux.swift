import Foundation
import XCTest

/// Runs the real `parallax` binary inside a detached tmux session, sends keys and reads the
/// screen, as a person at a terminal would.
final class TmuxSession {
    let name: String
    let socket: String
    private(set) var started = false

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binary: String {
        if let bin = ProcessInfo.processInfo.environment["PARALLAX_BIN"], !bin.isEmpty { return bin }
        return packageRoot.appendingPathComponent(".build/debug/parallax").path
    }

    static var tmuxAvailable: Bool { run(["tmux", "-V"]).status == 0 }

    /// `command` runs through `sh -c` so tests can add `; echo EXIT=$?` and keep the pane open.
    init(width: Int = 160, height: Int = 45, command: String, environment: [String: String] = [:], directory: String? = nil) throws {
        name = "px\(UInt32.random(in: 0...UInt32.max))"
        socket = "parallax-test-\(getpid())-\(name)"
        var args = ["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)",
                    "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8", "-e", "TERM=tmux-256color"]
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(k)=\(v)"] }
        if let directory { args += ["-c", directory] }
        args.append(command)
        let r = tmux(args)
        guard r.status == 0 else { throw NSError(domain: "tmux", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.output]) }
        _ = tmux(["set-option", "-t", name, "status", "off"])
        _ = tmux(["set-option", "-t", name, "remain-on-exit", "on"])
        started = true
    }

    deinit { kill() }

    func kill() {
        guard started else { return }
        started = false
        _ = tmux(["kill-server"])
    }

    @discardableResult
    func tmux(_ args: [String]) -> (status: Int32, output: String) {
        TmuxSession.run(["tmux", "-L", socket] + args)
    }

    /// Sends tmux key names (`"j"`, `"Tab"`, `"C-w"`, `"Enter"`) or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) {
        tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    func sendHex(_ bytes: [UInt8]) {
        tmux(["send-keys", "-t", name, "-H"] + bytes.map { String(format: "%02x", $0) })
    }

    func resize(width: Int, height: Int) {
        tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    func capture(escapes: Bool = false) -> String {
        tmux(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : [])).output
    }

    func display(_ format: String) -> String {
        tmux(["display-message", "-p", "-t", name, format]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `predicate` holds or the deadline passes; returns the last capture.
    @discardableResult
    func wait(timeout: TimeInterval = 10, escapes: Bool = false, file: StaticString = #filePath, line: UInt = #line,
              _ what: String, until predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture(escapes: escapes)
        while !predicate(screen) {
            if Date() > deadline {
                XCTFail("timed out waiting for \(what); screen:\n\(screen)", file: file, line: line)
                return screen
            }
            usleep(30_000)
            screen = capture(escapes: escapes)
        }
        return screen
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) -> String {
        wait(timeout: timeout, file: file, line: line, "\"\(text)\"") { $0.contains(text) }
    }

    static func run(_ args: [String], stdin: FileHandle? = nil, environment: [String: String]? = nil) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        if let environment { p.environment = environment }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = stdin ?? FileHandle.nullDevice
        do { try p.run() } catch { return (127, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Skips nothing: a missing tmux or binary is a failure, since these tests are the proof the
/// reader works in a real terminal.
func requireHarness(file: StaticString = #filePath, line: UInt = #line) throws {
    guard TmuxSession.tmuxAvailable else {
        XCTFail("tmux is not installed (make test installs it)", file: file, line: line)
        throw CancellationError()
    }
    guard FileManager.default.isExecutableFile(atPath: TmuxSession.binary) else {
        XCTFail("no parallax binary at \(TmuxSession.binary): run `swift build` first (make test does)", file: file, line: line)
        throw CancellationError()
    }
}
