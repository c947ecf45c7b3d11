import ParallaxCore
import ParallaxUI

/// A terminal that lives in memory: it records frames and plays back queued events.
public final class TestBackend: TerminalBackend {
    public var width: Int
    public var height: Int
    public var colorCount: Int
    public private(set) var frames: [Frame] = []
    public var events: [InputEvent] = []

    public init(width: Int, height: Int, colorCount: Int = 256) {
        self.width = width
        self.height = height
        self.colorCount = colorCount
    }

    public func draw(_ frame: Frame, full: Bool) { frames.append(frame) }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        events.isEmpty ? nil : events.removeFirst()
    }

    public var lastFrame: Frame? { frames.last }
}

/// Drives an `AppState` with key sequences in vim notation and reads the screen back as text.
public struct ScreenDriver {
    public var state: AppState

    /// `analyze` runs the entity recognizer synchronously, as the reader's background thread would.
    public init(corpus: Corpus, width: Int = 160, height: Int = 45, tier: ColorTier = .color256, panes: Int? = nil,
                keymap: Keymap = .defaults, analyze: Bool = false) {
        state = AppState(corpus: corpus, width: width, height: height, keymap: keymap, theme: .make(tier), panes: panes)
        if analyze {
            let analysis = Pipeline.standard.run(corpus)
            state.receive(analysis.entities)
            state.receive(analysis.quotes)
        }
    }

    /// Sends keys written like `"5j<C-w>l/Trump<CR>"`.
    @discardableResult
    public mutating func send(_ keys: String) -> [Effect] {
        var effects: [Effect] = []
        // swiftlint:disable:next force_try
        for key in try! Key.parseSequence(keys) { effects += state.update(.key(key)) }
        return effects
    }

    public mutating func resize(_ width: Int, _ height: Int) {
        state.update(.resize(width: width, height: height))
    }

    public mutating func click(x: Int, y: Int) { state.update(.mouse(MouseEvent(x: x, y: y, action: .press))) }

    public var frame: Frame { state.render() }
    public var screen: String { frame.grid.text }
    public var lines: [String] { frame.grid.textLines }

    /// The screen with styles made visible, for tests that check highlighting: each run of a
    /// non-plain style is wrapped as `[text]`.
    public func styledRows(matching style: (Style) -> Bool) -> [String] {
        let g = frame.grid
        return (0..<g.height).map { y in
            var s = ""
            var inside = false
            for x in 0..<g.width {
                let c = g[x, y]
                if c.width == 0 { continue }
                let on = style(c.style)
                if on != inside { s += on ? "[" : "]"; inside = on }
                s += c.text
            }
            if inside { s += "]" }
            return s
        }
    }
}

/// Builds a small corpus in memory for screen tests.
public enum TestCorpus {
    public static func make(_ texts: [(id: String, title: String?, body: String)]) -> Corpus {
        let articles = texts.map { t -> Article in
            let buffer = TextBuffer(t.body)
            return Article(id: t.id, path: t.id + ".txt", format: .plainText, metadata: ArticleMetadata(title: t.title),
                           text: buffer, bodyStart: 0, hiddenRanges: [], warnings: [],
                           wordCount: t.body.split(whereSeparator: { $0 == " " || $0 == "\n" }).count)
        }
        return Corpus(articles: articles, warnings: [], root: nil)
    }
}
