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
        // The pane inherits the test runner's environment: pin what changes the reader's output.
        var env = ["NO_COLOR": "", "COLORTERM": "", "XDG_CONFIG_HOME": "/nonexistent-parallax-config"]
        env.merge(environment) { $1 }
        for (k, v) in env.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(k)=\(v)"] }
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

    /// The screen; with `history`, also the lines scrolled off it.
    func capture(escapes: Bool = false, history: Bool = false) -> String {
        tmux(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []) + (history ? ["-S", "-"] : [])).output
    }

    func display(_ format: String) -> String {
        tmux(["display-message", "-p", "-t", name, format]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts `command` afresh in the pane (through `sh -c`), killing whatever still runs there.
    /// Much cheaper than a new session: one tmux server serves many runs.
    func respawn(_ command: String) {
        tmux(["respawn-pane", "-k", "-t", name, command])
    }

    /// The pid of the pane's process: the program itself when the command `exec`s it.
    var panePID: pid_t { pid_t(display("#{pane_pid}")) ?? 0 }

    /// True once the pane's process has exited (the pane stays, `remain-on-exit`).
    var paneDead: Bool { display("#{pane_dead}") == "1" }

    /// The message on the reader's status line (between `│` and the key hints), or "" when
    /// there is none.
    static func statusMessage(_ screen: String) -> String {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard let last = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
              let bar = last.range(of: "│ ")
        else { return "" }
        var message = last[bar.upperBound...]
        if let hints = message.range(of: "h help", options: .backwards) { message = message[..<hints.lowerBound] }
        return message.trimmingCharacters(in: .whitespaces)
    }

    /// Polls the screen until `predicate` holds or the deadline passes; returns the last capture.
    @discardableResult
    func wait(timeout: TimeInterval = 10, escapes: Bool = false, history: Bool = false, file: StaticString = #filePath, line: UInt = #line,
              _ what: String, until predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture(escapes: escapes, history: history)
        while !predicate(screen) {
            if Date() > deadline {
                XCTFail("timed out waiting for \(what); screen:\n\(screen)", file: file, line: line)
                return screen
            }
            usleep(30_000)
            screen = capture(escapes: escapes, history: history)
        }
        return screen
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) -> String {
        wait(timeout: timeout, file: file, line: line, "\"\(text)\"") { $0.contains(text) }
    }

    /// Runs a command and waits for it. Uses posix_spawn and waitpid rather than Foundation's
    /// Process, which on Linux waits for every inheritor of its internal descriptors: the tmux
    /// server that `new-session` starts would keep it waiting until the server exits.
    static func run(_ args: [String], environment: [String: String]? = nil) -> (status: Int32, output: String) {
        let r = spawn(args, environment: environment, separateErrors: false)
        return (r.status, r.output)
    }

    /// Like `run`, with standard output and standard error kept apart.
    static func runSplit(_ args: [String], environment: [String: String]? = nil) -> (status: Int32, output: String, errors: String) {
        spawn(args, environment: environment, separateErrors: true)
    }

    private static func spawn(_ args: [String], environment: [String: String]?, separateErrors: Bool) -> (status: Int32, output: String, errors: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("px-run-\(UUID().uuidString)").path
        let errorPath = path + ".err"
        defer {
            unlink(path)
            unlink(errorPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if separateErrors {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = (["/usr/bin/env"] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, envp)
        guard rc == 0 else { return (127, "posix_spawn failed: \(rc)", "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let errors = separateErrors ? FileManager.default.contents(atPath: errorPath) ?? Data() : Data()
        let exited = status & 0x7F == 0
        return (exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), String(decoding: data, as: UTF8.self),
                String(decoding: errors, as: UTF8.self))
    }

    /// The command name (`/proc/PID/comm`) of a live process, or nil.
    static func processName(_ pid: pid_t) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/comm") else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The live descendants of a process (children first), from `/proc/*/stat`.
    static func descendants(of root: pid_t) -> [pid_t] {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/stat") else { continue }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
            let stat = String(decoding: data, as: UTF8.self)
            guard let close = stat.range(of: ")", options: .backwards) else { continue }
            let fields = stat[close.upperBound...].split(separator: " ")
            if fields.count > 1, let ppid = pid_t(fields[1]) { parents[pid] = ppid }
        }
        var found: [pid_t] = []
        var frontier = [root]
        while !frontier.isEmpty {
            let children = parents.filter { frontier.contains($0.value) }.map(\.key).sorted()
            found += children
            frontier = children
        }
        return found
    }

    /// Waits for the pane's descendant process named `name` (a program started by the pane's shell).
    func waitForProcess(named name: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) -> pid_t? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let root = panePID
            if TmuxSession.processName(root) == name { return root }
            if let pid = TmuxSession.descendants(of: root).first(where: { TmuxSession.processName($0) == name }) { return pid }
            usleep(20_000)
        } while Date() < deadline
        XCTFail("no process named \(name) under the pane; screen:\n\(capture())", file: file, line: line)
        return nil
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
