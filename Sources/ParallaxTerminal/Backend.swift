import CNcursesw
import Foundation
import Glibc
import ParallaxUI
import Synchronization

/// A terminal that cannot be used, with a one-line message for the user.
public struct TerminalError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Signals that ask the reader to stop (SIGINT, SIGTERM, SIGHUP). The handler records the
/// signal and wakes the watchdog through a pipe (both async-signal-safe); the event loop, woken
/// from its wait by the interrupted read, notices it, restores the terminal and exits normally.
/// Should the loop be busy, the watchdog gives the terminal back itself and ends the process,
/// so a signal is honoured within 100 ms whatever the reader is doing.
private let receivedSignal = Atomic<Int32>(0)
/// Who ends the reader: 0 nobody yet, 1 the event loop (normal shutdown), 2 the watchdog.
private let shutdownOwner = Atomic<Int32>(0)
/// The pipe's write end, for the handler, and its read end, which the watchdog and the event
/// loop's wait for a key both watch.
private let wakeDescriptor = Atomic<Int32>(-1)
private let wakeReadDescriptor = Atomic<Int32>(-1)

private func recordSignal(_ signal: Int32) {
    receivedSignal.store(signal, ordering: .sequentiallyConsistent)
    let fd = wakeDescriptor.load(ordering: .sequentiallyConsistent)
    if fd >= 0 {
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }
}

/// What the watchdog writes and sets to give the terminal back when the event loop cannot.
private struct EmergencyRestore: @unchecked Sendable {
    /// The terminal's own strings to leave the alternate screen, show the cursor, reset
    /// attributes and leave keypad mode, and the mouse-reporting resets.
    var bytes: [UInt8]
    var output: Int32
    var input: Int32
    /// The terminal modes from before curses started.
    var shellMode: termios?
}

/// How long the watchdog lets the event loop end the reader itself before doing it.
private let watchdogGraceMilliseconds = 40

/// The ncurses backend: the only code in Parallax that touches curses.
public final class NcursesBackend: TerminalBackend {
    private var screen: OpaquePointer?
    private var previous: CellGrid?
    private var active = false
    private var inputDescriptor: Int32 = -1
    /// True once the terminal's input hung up (the reader then quits).
    public private(set) var hungUp = false
    public private(set) var colorCount: Int = 0

    /// Opens the user's terminal. Fails with a one-line message when stdin/stdout is not a
    /// terminal, TERM is unknown, or the terminal cannot address the cursor.
    public static func interactive() throws -> NcursesBackend {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError(message: "parallax: standard input and output must be a terminal; for batch use run `parallax analyze`")
        }
        return try NcursesBackend(terminalType: nil, output: fdopen(STDOUT_FILENO, "w"), input: fdopen(STDIN_FILENO, "r"))
    }

    /// The size of the terminal on standard output, read before curses starts (nil when
    /// standard output is not a terminal).
    public static func terminalSize() -> (width: Int, height: Int)? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// Opens curses on the given streams (tests pass /dev/null and a terminal type).
    public init(terminalType: String?, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>) throws {
        setlocale(LC_ALL, "")
        var shellMode = termios()
        let hasShellMode = tcgetattr(fileno(input), &shellMode) == 0
        if getenv("ESCDELAY") == nil { set_escdelay(25) }
        let term = terminalType ?? String(cString: getenv("TERM") ?? strdup(""))
        if term.isEmpty {
            throw TerminalError(message: "parallax: TERM is not set; set it to your terminal type, or run `parallax analyze` for batch use")
        }
        let scr: OpaquePointer? = term.withCString { newterm(terminalType == nil ? nil : UnsafeMutablePointer(mutating: $0), output, input) }
        guard let scr else {
            throw TerminalError(message: "parallax: unknown terminal type '\(term)'; set TERM, or run `parallax analyze` for batch use")
        }
        screen = scr
        set_term(scr)
        // A terminal that cannot move the cursor (TERM=dumb) cannot show panes.
        let cup = tigetstr("cup")
        if cup == nil || Int(bitPattern: cup) == -1 {
            endwin()
            delscreen(scr)
            screen = nil
            throw TerminalError(message: "parallax: terminal '\(term)' cannot position the cursor; use a full-screen terminal, or run `parallax analyze` for batch use")
        }
        active = true
        cbreak()
        // ^C is a key (cancel in forms and prompts, quit in normal mode), not SIGINT: a typed
        // note is never lost to a reflex ^C. curses records this as the program's tty mode and
        // gives the shell its own mode back on exit or suspend.
        inputDescriptor = fileno(input)
        if px_disable_interrupt_key(inputDescriptor) == 0 { def_prog_mode() }
        noecho()
        nonl()
        intrflush(px_stdscr(), false)
        keypad(px_stdscr(), true)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(px_colors())
        }
        mousemask(px_all_mouse_events(), nil)
        mouseinterval(0)
        var bytes: [UInt8] = []
        for cap in ["rmcup", "cnorm", "sgr0", "rmkx"] {
            if let p = tigetstr(cap), Int(bitPattern: p) != -1 { bytes += Array(String(cString: p).utf8) }
        }
        if let p = tigetstr("kmous"), Int(bitPattern: p) != -1 {
            bytes += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l".utf8)
        }
        NcursesBackend.installSignalHandling(EmergencyRestore(
            bytes: bytes, output: fileno(output), input: inputDescriptor, shellMode: hasShellMode ? shellMode : nil))
    }

    deinit { restore() }

    /// The signal that asked the reader to stop, if any.
    public static var pendingSignal: Int32 { receivedSignal.load(ordering: .sequentiallyConsistent) }

    nonisolated(unsafe) private static var signalsInstalled = false

    /// Installs the handlers (without SA_RESTART, so a signal interrupts the event loop's wait
    /// for a key at once) and starts the watchdog thread. Once per process.
    private static func installSignalHandling(_ restore: EmergencyRestore) {
        guard !signalsInstalled else { return }
        signalsInstalled = true
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, recordSignal) }
            return
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        // The globals the handler reads are set before it can run (their first use initialises them).
        _ = receivedSignal.load(ordering: .sequentiallyConsistent)
        _ = shutdownOwner.load(ordering: .sequentiallyConsistent)
        wakeDescriptor.store(fds[1], ordering: .sequentiallyConsistent)
        wakeReadDescriptor.store(fds[0], ordering: .sequentiallyConsistent)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = recordSignal
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
        let readEnd = fds[0]
        Thread.detachNewThread {
            var p = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            while true {
                let n = poll(&p, 1, -1)
                if n > 0 && receivedSignal.load(ordering: .sequentiallyConsistent) != 0 { break }
                if n < 0 && errno != EINTR { return }
            }
            // The event loop normally ends the reader within a few milliseconds of the signal.
            var waited = 0
            while waited < watchdogGraceMilliseconds {
                if shutdownOwner.load(ordering: .sequentiallyConsistent) == 1 { return }
                usleep(5_000)
                waited += 5
            }
            guard shutdownOwner.compareExchange(expected: 0, desired: 2, ordering: .sequentiallyConsistent).exchanged else { return }
            // The loop is busy: give the terminal back as it was and end with 128 + signal.
            // Saved annotations are committed already; nothing here touches the store.
            restore.bytes.withUnsafeBufferPointer { b in _ = write(restore.output, b.baseAddress, b.count) }
            if var mode = restore.shellMode { _ = tcsetattr(restore.input, TCSADRAIN, &mode) }
            _exit(128 + receivedSignal.load(ordering: .sequentiallyConsistent))
        }
    }

    /// Leaves curses mode and gives the terminal back as it was. Safe to call twice. Once the
    /// watchdog has started giving the terminal back (the event loop was busy when a signal
    /// came), the terminal is its to restore: this waits for the process to end.
    public func restore() {
        guard active else { return }
        if !shutdownOwner.compareExchange(expected: 0, desired: 1, ordering: .sequentiallyConsistent).exchanged,
           shutdownOwner.load(ordering: .sequentiallyConsistent) == 2 {
            while true { pause() }
        }
        active = false
        curs_set(1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
    }

    public var width: Int { Int(px_getmaxx(px_stdscr())) }
    public var height: Int { Int(px_getmaxy(px_stdscr())) }

    public func draw(_ frame: Frame, full: Bool) {
        let grid = frame.grid
        let win = px_stdscr()
        if full || previous?.width != grid.width || previous?.height != grid.height {
            previous = nil
            clearok(win, true)
        }
        for index in grid.changedCells(since: previous) {
            put(grid.cells[index], x: index % grid.width, y: index / grid.width, win: win)
        }
        previous = grid
        if let c = frame.cursor {
            curs_set(1)
            wmove(win, Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(win)
        doupdate()
    }

    // The last style written and its curses attributes and pair: runs of one style are common.
    private var lastStyle: Style?
    private var lastAttributes: attr_t = 0
    private var lastPair: Int32 = 0
    private var wide: [wchar_t] = [0, 0, 0, 0, 0, 0]

    private func put(_ cell: Cell, x: Int, y: Int, win: UnsafeMutablePointer<WINDOW>?) {
        if cell.style != lastStyle {
            lastStyle = cell.style
            lastAttributes = attributes(cell.style.attributes)
            lastPair = colorPair(cell.style)
        }
        // A cchar_t holds up to five wide characters: a base and its combining marks.
        var n = 0
        for scalar in cell.text.unicodeScalars {
            if n == 5 { break }
            wide[n] = wchar_t(bitPattern: scalar.value)
            n += 1
        }
        if n == 0 {
            wide[0] = 0x20
            n = 1
        }
        wide[n] = 0
        var cc = cchar_t()
        var pair = lastPair
        _ = setcchar(&cc, wide, lastAttributes, Int16(truncatingIfNeeded: min(pair, 32767)), &pair)
        mvwadd_wch(win, Int32(y), Int32(x), &cc)
    }

    private func attributes(_ a: Attributes) -> attr_t {
        var out = px_a_normal()
        if a.contains(.bold) { out |= px_a_bold() }
        if a.contains(.underline) { out |= px_a_underline() }
        if a.contains(.reverse) { out |= px_a_reverse() }
        if a.contains(.dim) { out |= px_a_dim() }
        if a.contains(.italic) { out |= px_a_italic() }
        return out
    }

    private var pairs: [Int64: Int32] = [:]

    private func colorPair(_ style: Style) -> Int32 {
        guard colorCount > 0 else { return 0 }
        func number(_ c: Color) -> Int32 {
            switch c {
            case .default: return -1
            case .palette(let n): return Int32(n) < Int32(colorCount) ? Int32(n) : Int32(n % 8)
            }
        }
        let fg = number(style.fg), bg = number(style.bg)
        if fg == -1 && bg == -1 { return 0 }
        let key = Int64(fg) << 32 | Int64(UInt32(bitPattern: bg))
        if let p = pairs[key] { return p }
        // alloc_pair reuses pairs least recently used when COLOR_PAIRS runs out.
        let p = alloc_pair(fg, bg)
        let pair = p < 0 ? 0 : p
        pairs[key] = pair
        return pair
    }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        // A key curses has read already comes first; otherwise wait on the terminal and on the
        // signal pipe together, so a signal ends the wait at once (curses's own wait resumes
        // after an interrupted one).
        wtimeout(px_stdscr(), 0)
        var ch: wint_t = 0
        var rc = px_get_wch(&ch)
        if rc == px_err() && timeoutMilliseconds > 0 {
            var ready = true
            let wake = wakeReadDescriptor.load(ordering: .sequentiallyConsistent)
            if wake >= 0 && inputDescriptor >= 0 {
                var fds = [pollfd(fd: inputDescriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
                _ = poll(&fds, 2, Int32(timeoutMilliseconds))
                if NcursesBackend.pendingSignal != 0 { return nil }
                ready = fds[0].revents != 0
            }
            if ready {
                wtimeout(px_stdscr(), Int32(timeoutMilliseconds))
                rc = px_get_wch(&ch)
            }
        }
        if rc == px_err() {
            // No key: a timeout, or a terminal that is gone (closed window, dropped connection
            // without SIGHUP), where every read fails at once; that must end the reader, not spin.
            var p = pollfd(fd: inputDescriptor, events: Int16(POLLIN), revents: 0)
            if inputDescriptor >= 0, poll(&p, 1, 0) == 1, p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                hungUp = true
                return .hangup
            }
            return nil
        }
        if rc == px_key_code_yes() {
            return special(Int32(ch))
        }
        let v = UInt32(ch)
        switch v {
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 0: return .key(.ctrl("@"))
        case 1...26: return .key(.ctrl(Unicode.Scalar(v + 96)!))
        case 28...31: return .key(.ctrl(Unicode.Scalar(v + 64)!))
        default:
            guard let s = Unicode.Scalar(v) else { return nil }
            return .key(.char(s))
        }
    }

    private func special(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_IC: return .key(.insert)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        case KEY_RESIZE: return .resize(width: width, height: height)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let b = event.bstate
            let action: MouseAction
            if b & px_button4_pressed() != 0 {
                action = .wheelUp
            } else if px_button5_pressed() != 0 && b & px_button5_pressed() != 0 {
                action = .wheelDown
            } else if b & (px_button1_pressed() | px_button1_clicked()) != 0 {
                action = .press
            } else {
                return nil
            }
            return .mouse(MouseEvent(x: Int(event.x), y: Int(event.y), action: action))
        default:
            for n in 1...24 where code == px_key_f(Int32(n)) { return .key(.function(n)) }
            return nil
        }
    }

    /// Reads a cell back from the curses screen (for the headless smoke test).
    public func readBack(x: Int, y: Int) -> String {
        var cc = cchar_t()
        guard mvwin_wch(px_stdscr(), Int32(y), Int32(x), &cc) == OK else { return "" }
        var chars = [wchar_t](repeating: 0, count: 8)
        var attrs: attr_t = 0
        var pair: Int16 = 0
        _ = getcchar(&cc, &chars, &attrs, &pair, nil)
        return String(String.UnicodeScalarView(chars.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }))
    }

    /// Resizes the headless screen (tests).
    public func resize(width: Int, height: Int) {
        resizeterm(Int32(height), Int32(width))
    }
}
