/// What the app needs from a terminal. The ncurses backend is the real one; tests use an
/// in-memory grid.
public protocol TerminalBackend: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Colours the terminal can show (0 when it has none).
    var colorCount: Int { get }
    /// Draws a frame; `full` repaints every cell.
    func draw(_ frame: Frame, full: Bool)
    /// The next input event, or nil after `timeoutMilliseconds` without one.
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
}

/// The event loop: draw, wait for input, update, repeat, until the state asks to quit or
/// `interrupted` (a signal) says to stop.
public enum Runner {
    public static func run(_ state: inout AppState, backend: TerminalBackend, interrupted: () -> Bool) {
        var full = true
        while !state.quit && !interrupted() {
            backend.draw(state.render(), full: full)
            full = false
            // Draw once after a burst of input rather than after every key (fast key repeat, paste).
            guard var event = backend.nextEvent(timeoutMilliseconds: 250) else { continue }
            var pending = 0
            while true {
                let effects = state.update(event)
                if effects.contains(.fullRedraw) { full = true }
                if state.quit || pending > 64 { break }
                guard let next = backend.nextEvent(timeoutMilliseconds: 0) else { break }
                event = next
                pending += 1
            }
        }
    }
}
