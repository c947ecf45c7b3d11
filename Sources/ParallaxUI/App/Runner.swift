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

import Foundation
import ParallaxCore

/// Results of work done off the main loop (analysis, arranged for the reader there), delivered
/// between frames.
public enum BackgroundResult: Sendable {
    case entities(PreparedEntities)
    case quotes(PreparedQuotes)
}

/// A thread-safe mailbox the background work posts to and the event loop drains.
public final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [BackgroundResult] = []

    public init() {}

    public func post(_ item: BackgroundResult) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }

    public func drain() -> [BackgroundResult] {
        lock.lock()
        defer { lock.unlock() }
        let out = items
        items = []
        return out
    }
}

extension AppState {
    /// Work for when no key arrived for a while: picks up other instances' annotations, and
    /// builds the annotation panel's index a slice at a time, so opening it never waits long.
    public mutating func idle() {
        _ = annotations?.refreshIfChanged()
        guard let index = annotations?.prepareIndex(corpus, budget: .milliseconds(15)), !anchorsReported else { return }
        // Once the whole corpus is anchored: say how many annotations need a look, if any,
        // unless a warning is up.
        anchorsReported = true
        var counts: [Anchor.State: Int] = [:]
        for row in index.rows { counts[row.item.anchor.state, default: 0] += 1 }
        let parts = [Anchor.State.moved, .ambiguous, .orphaned].compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }
        guard !parts.isEmpty, message?.isWarning != true else { return }
        message = StatusMessage(text: "annotations since the text changed: " + parts.joined(separator: ", ") + " (A reviews them)", isWarning: true)
    }

    public mutating func receive(_ result: BackgroundResult) {
        switch result {
        case .entities(let analysis): receive(analysis)
        case .quotes(let analysis): receive(analysis)
        }
    }
}

/// The event loop: draw, wait for input, update, repeat, until the state asks to quit or
/// `interrupted` (a signal) says to stop.
public enum Runner {
    /// `afterFirstFrame` starts background work once the first frame is on screen, so start-up
    /// never competes with it.
    public static func run(_ state: inout AppState, backend: TerminalBackend, inbox: Inbox? = nil,
                           afterFirstFrame: (() -> Void)? = nil, interrupted: () -> Bool) {
        var full = true
        var started = false
        while !state.quit && !interrupted() {
            for result in inbox?.drain() ?? [] { state.receive(result) }
            backend.draw(state.render(), full: full)
            full = false
            if !started {
                started = true
                afterFirstFrame?()
            }
            // Wait briefly while background work is pending so its result shows promptly.
            let wait = state.analysisPending ? 50 : 250
            // Draw once after a burst of input rather than after every key (fast key repeat, paste).
            guard var event = backend.nextEvent(timeoutMilliseconds: wait) else {
                // Idle: show what another instance saved to the annotation store meanwhile.
                state.idle()
                continue
            }
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
