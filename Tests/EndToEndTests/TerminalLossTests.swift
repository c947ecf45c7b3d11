import Foundation
import XCTest

/// A terminal that goes away without a SIGHUP reaching the reader (a window closed under a
/// program that is not the session's leader, a dropped connection): every read then fails at
/// once. The reader must notice, give up and exit, not spin on the dead input.
final class TerminalLossTests: XCTestCase {
    func testReaderExitsWhenItsTerminalHangsUp() throws {
        try requireHarness()
        // A new pseudo-terminal, the Linux way (posix_openpt and friends are not visible to Swift
        // without feature macros): /dev/ptmx, unlock the other side, ask its number.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)  // not inherited: the reader must not hold its own terminal open
        XCTAssertGreaterThanOrEqual(master, 0)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430
        guard master >= 0, ioctl(master, TIOCSPTLCK, &unlock) == 0, ioctl(master, TIOCGPTN, &number) == 0 else {
            return XCTFail("no pseudo-terminal: errno \(errno)")
        }
        let slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: 30, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        // The reader gets the terminal opened O_NOCTTY: it is nobody's controlling terminal, so
        // closing it sends the reader no signal.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, slavePath, O_RDWR | O_NOCTTY, 0)
        }
        let corpus = TmuxSession.packageRoot.appendingPathComponent("corpus").path
        let args: [String] = [TmuxSession.binary, "--panes", "1", corpus]
        let env: [String] = ["TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "NO_COLOR=1",
                    "XDG_CONFIG_HOME=/nonexistent-parallax-config", "HOME=/nonexistent-parallax-home"]
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        XCTAssertEqual(posix_spawn(&pid, TmuxSession.binary, &actions, nil, argv, envp), 0)

        // Wait for the first frame.
        var output = [UInt8]()
        let deadline = Date().addingTimeInterval(10)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline && !String(decoding: output, as: UTF8.self).contains("NORMAL") {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 100) == 1 {
                let n = read(master, &buffer, buffer.count)
                if n > 0 { output += buffer[0..<n] } else { break }
            }
        }
        XCTAssertTrue(String(decoding: output, as: UTF8.self).contains("NORMAL"), "no first frame")

        // The terminal goes away.
        close(master)
        let start = Date()
        var status: Int32 = 0
        var done = false
        while Date().timeIntervalSince(start) < 5 {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                done = true
                break
            }
            usleep(20_000)
        }
        if !done {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            return XCTFail("the reader kept running after its terminal hung up")
        }
        // Exited (not killed by a signal), with SIGHUP's conventional status.
        XCTAssertEqual(status & 0x7f, 0, "killed by signal \(status & 0x7f)")
        XCTAssertEqual((status >> 8) & 0xff, 128 + SIGHUP)
    }

    /// A signal while the reader is busy on its input loop (a search through a long article that
    /// has no match, seconds in this build) still ends it at once: the terminal comes back as it
    /// was and the status is 128 + signal. Before, the signal waited for the search to finish.
    func testSignalWhileBusyIsHonouredAtOnce() throws {
        try requireHarness()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("px-busy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let paragraph = String(repeating: "The quick brown fox jumps over the lazy dog near the river today. ", count: 20) + "\n\n"
        let file = dir.appendingPathComponent("long.txt")
        try ("Long\n\n" + String(repeating: paragraph, count: 8_000_000 / paragraph.utf8.count)).write(to: file, atomically: true, encoding: .utf8)
        for (sig, name) in [(SIGTERM, "TERM"), (SIGHUP, "HUP")] {
            let s = try TmuxSession(width: 120, height: 30, command: "\(TmuxSession.binary) --panes 1 \(file.path); echo EXIT=$?; sleep 60")
            s.waitFor("Long")
            guard let pid = s.waitForProcess(named: "parallax") else { return }
            s.send("/zqzq", "Enter")
            // The search is under way (the reader reads the key within milliseconds).
            usleep(300_000)
            let start = Date()
            XCTAssertEqual(kill(pid, sig), 0)
            while ProcessProbe.alive(pid) && Date().timeIntervalSince(start) < 10 { usleep(2_000) }
            let took = Date().timeIntervalSince(start)
            XCTAssertLessThan(took, 1.0, "SIG\(name): the reader took \(took) s to end")
            let screen = s.waitFor("EXIT=\(128 + sig)")
            XCTAssertEqual(s.display("#{alternate_on}"), "0", "SIG\(name): still on the alternate screen:\n\(screen)")
            XCTAssertEqual(s.display("#{cursor_flag}"), "1", "SIG\(name): cursor left hidden")
            XCTAssertEqual(s.display("#{mouse_any_flag}"), "0", "SIG\(name): mouse reporting left on")
            XCTAssertEqual(s.display("#{keypad_flag}"), "0", "SIG\(name): keypad mode left on")
            // The shell's terminal modes are back: typing echoes.
            s.send("echo-check", literal: true)
            s.waitFor("echo-check")
            s.kill()
        }
    }
}

/// Whether a process (not reaped: a grandchild) still runs.
enum ProcessProbe {
    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // A zombie has ended; its parent has not collected it yet.
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
    }
}
