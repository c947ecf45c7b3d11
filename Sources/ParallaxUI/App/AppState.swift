import ParallaxCore

/// One pane: which article it shows and where it is anchored. The anchor is the text offset of the
/// top visual line, never a line number, so resizing keeps the reading position and a 50 MB
/// article never needs a full layout.
public struct PaneState: Equatable, Sendable {
    public var article: Int
    public var top: Int
    public init(article: Int, top: Int) {
        self.article = article
        self.top = top
    }
}

public struct SearchState: Equatable, Sendable {
    public var pattern: SearchPattern
    public var forward: Bool
    /// The match last jumped to, in the focused pane's article.
    public var current: Range<Int>?
    public var currentArticle: Int?
}

public struct PromptState: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case search(forward: Bool), command }
    public var kind: Kind
    public var editor = LineEditor()
    /// Completion candidates being cycled with Tab.
    public var completions: [String] = []
    public var completionIndex: Int?

    public var prefix: String {
        switch kind {
        case .search(let forward): return forward ? "/" : "?"
        case .command: return ":"
        }
    }
}

public struct PickerState: Equatable, Sendable {
    public var editor = LineEditor()
    public var selected = 0
    public var matches: [Int] = []
}

public struct OverlayState: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case help, messages }
    public var kind: Kind
    public var scroll = 0
}

public enum Mode: Equatable, Sendable {
    case normal
    case prompt(PromptState)
    case picker(PickerState)
    case overlay(OverlayState)
    case entityPanel(EntityPanelState)
    case quoteMap(QuoteMapState)
    case annotationForm(AnnotationFormState)
    case annotationPanel(AnnotationPanelState)

    public var name: String {
        switch self {
        case .normal: return "NORMAL"
        case .prompt(let p): return p.kind == .command ? "COMMAND" : "SEARCH"
        case .picker: return "PICKER"
        case .overlay(let o): return o.kind == .help ? "HELP" : "MESSAGES"
        case .entityPanel: return "ENTITIES"
        case .quoteMap(let q): return q.versionsOf == nil ? "QUOTES" : "VERSIONS"
        case .annotationForm: return "ANNOTATE"
        case .annotationPanel: return "ANNOTATIONS"
        }
    }
}

public struct CurrentMention: Equatable, Sendable {
    public var article: Int
    /// Index into that article's sorted mentions.
    public var index: Int
}

public struct JumpPoint: Equatable, Sendable {
    public var panes: [PaneState]
    public var focus: Int
}

public struct QuoteMapState: Equatable, Sendable {
    public var selected = 0
    /// The cluster whose versions are open (Enter), or nil for the map itself.
    public var versionsOf: ClusterID?
    /// The version (in the view's order) on the top row, and which of its wrapped lines.
    public var scroll = 0
    public var scrollLine = 0
}

public struct EntityPanelState: Equatable, Sendable {
    public enum Sort: String, CaseIterable, Sendable {
        case sources = "sources, then mentions"
        case mentions = "mentions"
        case name = "name"
        case type = "type"
    }
    /// A choice the footer line offers for the selected entity: which alias to split off (`S`),
    /// which type to give it (`t`). The index is into the aliases, or into `EntityType.allCases`.
    public enum Choosing: Equatable, Sendable {
        case alias(Int)
        case type(Int)
    }
    public var sort: Sort = .sources
    public var selected = 0
    public var filter = LineEditor()
    /// True while `/` edits the filter.
    public var editingFilter = false
    /// The entity `m` marked, to merge into the next one `m` (or `M`) is pressed on.
    public var marked: EntityKey?
    public var choosing: Choosing?
}

public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isWarning: Bool

    public init(text: String, isWarning: Bool) {
        self.text = text
        self.isWarning = isWarning
    }
}

/// Wrapped layouts by (article, width, original view), shared across frames.
public final class LayoutCache {
    private struct Key: Hashable {
        let article: Int
        let width: Int
        let original: Bool
    }
    private var layouts: [Key: TextLayout] = [:]
    private let corpus: Corpus

    public init(corpus: Corpus) { self.corpus = corpus }

    public func layout(article: Int, width: Int, original: Bool) -> TextLayout {
        let key = Key(article: article, width: width, original: original)
        if let l = layouts[key] { return l }
        if layouts.count > 16 { layouts = layouts.filter { $0.key.width == width } }
        let a = corpus.articles[article]
        let l = TextLayout(text: a.text, range: a.bodyRange, hidden: original ? [] : a.hiddenRanges, width: max(1, width))
        layouts[key] = l
        return l
    }
}

/// The whole state of the reader. `update` (AppState+Update.swift) is the only place it changes.
public struct AppState {
    public let corpus: Corpus
    public var keymap: Keymap
    public var theme: Theme
    public var width: Int
    public var height: Int
    public var panes: [PaneState]
    public var focus: Int = 0
    public var sync = false
    public var showOriginal = false
    public var search: SearchState?
    public var mode: Mode = .normal
    public var message: StatusMessage?
    public var sequencer = KeySequencer()
    public var quit = false
    public var commandHistory: [String] = []
    /// Entities of the corpus arranged for the reader, once the background analysis has delivered them.
    public internal(set) var preparedEntities: PreparedEntities?
    /// Entities of the corpus, once the background analysis has delivered them.
    public var entities: EntityAnalysis? { preparedEntities?.analysis }
    /// True while a background analysis is running (set by whoever starts it).
    public var analysisPending = false
    /// Each article's mentions sorted by offset, by article index.
    public var mentionsByArticle: [[EntityMention]] { preparedEntities?.mentionsByArticle ?? [] }
    /// Entity types whose mentions are highlighted.
    public var highlightTypes: Set<EntityType> = Set(EntityType.allCases)
    /// The mention the user moved to with the entity keys, in the focused pane's article.
    public var currentMention: CurrentMention?
    /// Quotations arranged for the reader (per article, the quote map's rows), once the
    /// background analysis has delivered them.
    public internal(set) var preparedQuotes: PreparedQuotes?
    /// Quotations, once the background analysis has delivered them.
    public var quotes: QuoteAnalysis? { preparedQuotes?.analysis }
    /// Each article's quotes sorted by offset, by article index.
    public var quotesByArticle: [[Quote]] { preparedQuotes?.quotesByArticle ?? [] }
    /// The quote `]q`/`[q` moved to.
    public var currentQuote: CurrentMention?
    /// Where the twins key put each other pane: pane index → the twin's range.
    public var twinQuotes: [Int: Range<Int>] = [:]
    /// Positions to return to (`<C-o>`): every pane's top and the focus, before a jump.
    public var jumpBack: [JumpPoint] = []
    /// Where `*` put each other pane: pane index → mention range shown as the current one's twin.
    public var twinMentions: [Int: Range<Int>] = [:]
    public var searchHistory: [String] = []
    /// The reading cursor and selection (`w`, `v`…), in the pane it was placed in.
    public var cursor: ReadingCursor?
    /// The annotation store, session and annotator; nil when annotation is off.
    public var annotations: AnnotationService?
    /// The status text last put up for the annotations under the cursor (taken down when it moves off).
    var cursorSummary: String?
    /// The last new-annotation form cancelled with a note typed, offered again on the same span.
    var cancelledForm: AnnotationFormState?
    /// The annotation being re-placed: the next `a` moves it to the selection.
    public var placing: PlacingAnnotation?
    /// Whether the counts of annotations the text moved under were reported (once, when the
    /// panel's index is first complete).
    var anchorsReported = false
    /// The store, annotator and labels `:session NAME` starts a session with.
    public var annotationSetup = AnnotationSetup(storePath: nil, annotator: "anonymous", labels: AnnotationLabels.defaults)
    /// The user's entity corrections and the file they are kept in (`EntityCorrectionsFile`); an
    /// in-memory log until the reader sets the corpus's file.
    public var entityCorrections = EntityCorrectionsFile.memory()
    /// The entities the quotes' speakers were attributed against, when a correction came since
    /// (before the quotes arrived): their speakers are pointed at the corrected entities then.
    var speakerEntities: EntityAnalysis?
    public var annotationSession: String? { annotations?.session }
    public var annotator: String? { annotations?.annotator }
    public let layouts: LayoutCache
    public let textIndexes: TextIndexCache
    /// Panel rows and word diffs, kept between frames.
    public let views = ViewCache()

    public init(corpus: Corpus, width: Int, height: Int, keymap: Keymap = .defaults, theme: Theme = .make(.color256), panes requested: Int? = nil) {
        self.corpus = corpus
        self.keymap = keymap
        self.theme = theme
        self.width = width
        self.height = height
        self.layouts = LayoutCache(corpus: corpus)
        self.textIndexes = TextIndexCache(corpus: corpus)
        self.panes = AppState.initialArticles(corpus: corpus, width: width, panes: requested).map {
            PaneState(article: $0, top: corpus.articles[$0].bodyStart)
        }
        if !corpus.warnings.isEmpty {
            // The status line names the file; `:messages` gives full paths.
            let w = corpus.warnings[0]
            let first = "\(w.path.split(separator: "/").last.map(String.init) ?? w.path): \(w.message)"
            let more = corpus.warnings.count > 1 ? " (+\(corpus.warnings.count - 1) more, :messages)" : ""
            message = StatusMessage(text: first + more, isWarning: true)
        }
        for i in panes.indices { panes[i].top = layout(for: i).lineStart(containing: panes[i].top) }
    }

    /// The articles (indices) the panes show when the reader opens `width` columns wide.
    public static func initialArticles(corpus: Corpus, width: Int, panes requested: Int? = nil) -> Range<Int> {
        let count = requested ?? Geometry.defaultPaneCount(width: width)
        return 0..<max(1, min(count, corpus.articles.count, 4))
    }

    public var geometry: Geometry { Geometry(width: width, height: height, paneCount: panes.count, focus: focus) }

    public func layout(for pane: Int) -> TextLayout {
        layouts.layout(article: panes[pane].article, width: geometry.bodyWidth(pane: pane), original: showOriginal)
    }

    public func article(for pane: Int) -> Article { corpus.articles[panes[pane].article] }
}
