/// Every command of the reader, declared once: its name (used by the `:` prompt, the config
/// file and help), a one-line doc, its default keys, and whether a count prefix applies.
/// Help, key bindings and prompt completion are all generated from this table.
public enum Command: String, CaseIterable, Sendable {
    case scrollDown = "scroll-down"
    case scrollUp = "scroll-up"
    case pageDown = "page-down"
    case pageUp = "page-up"
    case halfPageDown = "half-page-down"
    case halfPageUp = "half-page-up"
    case top = "top"
    case bottom = "bottom"
    case focusNext = "focus-next"
    case focusPrevious = "focus-prev"
    case focusLeft = "focus-left"
    case focusRight = "focus-right"
    case addPane = "add-pane"
    case closePane = "close-pane"
    case openPicker = "open"
    case toggleSync = "sync"
    case searchForward = "search"
    case searchBackward = "search-back"
    case nextMatch = "next-match"
    case previousMatch = "prev-match"
    case clearSearch = "nohlsearch"
    case nextEntity = "next-entity"
    case previousEntity = "prev-entity"
    case nextSameEntity = "next-same-entity"
    case previousSameEntity = "prev-same-entity"
    case entityInOtherPanes = "entity-others"
    case entityInOtherPanesBack = "entity-others-back"
    case entityPanel = "entities"
    case highlight = "highlight"
    case notEntity = "not-entity"
    case entityUndo = "entity-undo"
    case entityRedo = "entity-redo"
    case nextQuote = "next-quote"
    case previousQuote = "prev-quote"
    case quoteTwins = "twins"
    case jumpBack = "back"
    case quoteMap = "quotes"
    case nextWord = "next-word"
    case previousWord = "prev-word"
    case nextSentence = "next-sentence"
    case previousSentence = "prev-sentence"
    case nextParagraph = "next-paragraph"
    case previousParagraph = "prev-paragraph"
    case visual = "visual"
    case selectSentence = "select-sentence"
    case selectMention = "select-mention"
    case selectQuote = "select-quote"
    case annotate = "annotate"
    case annotationPanel = "annotations"
    case undoAnnotation = "undo"
    case redoAnnotation = "redo"
    case session = "session"
    case toggleOriginal = "original"
    case commandPrompt = "command"
    case help = "help"
    case messages = "messages"
    case redraw = "redraw"
    case quit = "quit"

    public struct Spec: Sendable {
        public let group: String
        public let doc: String
        public let keys: [String]
        public let takesCount: Bool
    }

    public var spec: Spec {
        switch self {
        case .scrollDown: return Spec(group: "Move", doc: "scroll down one line (count: lines)", keys: ["j", "<Down>", "<C-e>", "<C-n>", "<CR>"], takesCount: true)
        case .scrollUp: return Spec(group: "Move", doc: "scroll up one line (count: lines)", keys: ["k", "<Up>", "<C-y>", "<C-p>"], takesCount: true)
        case .pageDown: return Spec(group: "Move", doc: "scroll down one screen", keys: ["<Space>", "f", "<PageDown>", "<C-f>"], takesCount: true)
        case .pageUp: return Spec(group: "Move", doc: "scroll up one screen", keys: ["b", "<PageUp>", "<C-b>"], takesCount: true)
        case .halfPageDown: return Spec(group: "Move", doc: "scroll down half a screen", keys: ["<C-d>", "d"], takesCount: true)
        case .halfPageUp: return Spec(group: "Move", doc: "scroll up half a screen", keys: ["<C-u>", "u"], takesCount: true)
        case .top: return Spec(group: "Move", doc: "go to the first line (count: line N)", keys: ["g", "<Home>", "<lt>"], takesCount: true)
        case .bottom: return Spec(group: "Move", doc: "go to the last line (count: line N)", keys: ["G", "<End>", "<gt>"], takesCount: true)
        case .focusNext: return Spec(group: "Panes", doc: "focus the next pane", keys: ["<Tab>", "<C-w>w", "<C-w><C-w>"], takesCount: false)
        case .focusPrevious: return Spec(group: "Panes", doc: "focus the previous pane", keys: ["<S-Tab>", "<C-w>W", "<C-w>p"], takesCount: false)
        case .focusLeft: return Spec(group: "Panes", doc: "focus the pane on the left", keys: ["<C-w>h", "<C-w><Left>"], takesCount: false)
        case .focusRight: return Spec(group: "Panes", doc: "focus the pane on the right", keys: ["<C-w>l", "<C-w><Right>"], takesCount: false)
        case .addPane: return Spec(group: "Panes", doc: "add a pane with the next article not shown", keys: ["<C-w>v", "<C-w>n", "+"], takesCount: false)
        case .closePane: return Spec(group: "Panes", doc: "close the focused pane", keys: ["<C-w>c", "<C-w>q", "-"], takesCount: false)
        case .openPicker: return Spec(group: "Panes", doc: "choose the article of the focused pane (picker)", keys: ["o", "e"], takesCount: false)
        case .toggleSync: return Spec(group: "Panes", doc: "toggle synchronised scrolling (scrollbind)", keys: ["s"], takesCount: false)
        case .searchForward: return Spec(group: "Search", doc: "search forward (smart case)", keys: ["/"], takesCount: false)
        case .searchBackward: return Spec(group: "Search", doc: "search backward (smart case)", keys: ["?"], takesCount: false)
        case .nextMatch: return Spec(group: "Search", doc: "next match in the search direction", keys: ["n"], takesCount: true)
        case .previousMatch: return Spec(group: "Search", doc: "previous match", keys: ["N"], takesCount: true)
        case .clearSearch: return Spec(group: "Search", doc: "clear the selection, else search, else the cursor", keys: ["<Esc>"], takesCount: false)
        case .nextEntity: return Spec(group: "Entities", doc: "next entity mention in the focused pane", keys: ["]e"], takesCount: true)
        case .previousEntity: return Spec(group: "Entities", doc: "previous entity mention", keys: ["[e"], takesCount: true)
        case .nextSameEntity: return Spec(group: "Entities", doc: "next mention of the same entity", keys: ["]E"], takesCount: true)
        case .previousSameEntity: return Spec(group: "Entities", doc: "previous mention of the same entity", keys: ["[E"], takesCount: true)
        case .entityInOtherPanes: return Spec(group: "Entities", doc: "show the entity's next mention in every other pane", keys: ["*"], takesCount: false)
        case .entityInOtherPanesBack: return Spec(group: "Entities", doc: "show its previous mention in every other pane", keys: ["#"], takesCount: false)
        case .entityPanel: return Spec(
            group: "Entities",
            doc: "entity × source matrix (s sorts, / filters, Enter jumps; corrections: m marks then m merges it into another, S splits an alias off, t sets the type, u/^R undo/redo)",
            keys: ["E"], takesCount: false)
        case .highlight: return Spec(group: "Entities", doc: "toggle highlighting: all, or :highlight TYPE|all|none", keys: ["T"], takesCount: false)
        case .notEntity: return Spec(group: "Entities", doc: "mention at the cursor (else ]e's) is not an entity", keys: ["x"], takesCount: false)
        case .entityUndo: return Spec(group: "Entities", doc: "undo the last entity correction (u in E)", keys: [], takesCount: false)
        case .entityRedo: return Spec(group: "Entities", doc: "redo an undone entity correction (^R in E)", keys: [], takesCount: false)
        case .nextQuote: return Spec(group: "Quotes", doc: "next quotation in the focused pane", keys: ["]q"], takesCount: true)
        case .previousQuote: return Spec(group: "Quotes", doc: "previous quotation", keys: ["[q"], takesCount: true)
        case .quoteTwins: return Spec(group: "Quotes", doc: "align every other pane on this quote's twin (again: cycle)", keys: ["t", "="], takesCount: false)
        case .jumpBack: return Spec(group: "Quotes", doc: "back to where the panes were before the jump", keys: ["<C-o>", "''"], takesCount: false)
        case .quoteMap: return Spec(group: "Quotes", doc: "quote map: clusters × sources; Enter shows versions with a word diff", keys: ["Q"], takesCount: false)
        case .nextWord: return Spec(group: "Select", doc: "cursor to the next word (first use: the first word on screen)", keys: ["w"], takesCount: true)
        case .previousWord: return Spec(group: "Select", doc: "cursor to the previous word (b pages up)", keys: ["B"], takesCount: true)
        case .nextSentence: return Spec(group: "Select", doc: "cursor to the next sentence", keys: [")"], takesCount: true)
        case .previousSentence: return Spec(group: "Select", doc: "cursor to the start of the sentence, or the previous one", keys: ["("], takesCount: true)
        case .nextParagraph: return Spec(group: "Select", doc: "cursor to the next paragraph", keys: ["}"], takesCount: true)
        case .previousParagraph: return Spec(group: "Select", doc: "cursor to the start of the paragraph, or the previous one", keys: ["{"], takesCount: true)
        case .visual: return Spec(group: "Select", doc: "start a selection at the cursor (motions extend it; again: drop it)", keys: ["v"], takesCount: false)
        case .selectSentence: return Spec(group: "Select", doc: "select the sentence under the cursor", keys: ["V"], takesCount: false)
        case .selectMention: return Spec(group: "Select", doc: "select the entity mention under the cursor", keys: ["m"], takesCount: false)
        case .selectQuote: return Spec(group: "Select", doc: "select the quotation under the cursor", keys: ["M"], takesCount: false)
        case .annotate: return Spec(group: "Annotate", doc: "annotate the selection: 1-9 pick the label, type a note, Enter saves", keys: ["a"], takesCount: false)
        case .annotationPanel: return Spec(group: "Annotate", doc: "annotation panel: l/n/D filter, Enter jumps, [ ] pick a place, c/C confirm one/all moved, p re-places, e edits, d deletes, y adopts into gold (adjudicator), u/^R undo/redo", keys: ["A"], takesCount: false)
        case .undoAnnotation: return Spec(group: "Annotate", doc: "undo the session's last annotation action, whole (works across restarts)", keys: ["U"], takesCount: false)
        case .redoAnnotation: return Spec(group: "Annotate", doc: "redo the last undone annotation action", keys: ["<C-r>"], takesCount: false)
        case .session: return Spec(group: "Annotate", doc: "start or switch the annotation session: :session NAME [--annotator NAME] [--store PATH]", keys: [], takesCount: false)
        case .toggleOriginal: return Spec(group: "View", doc: "toggle the original text (related-link junk shown)", keys: ["r"], takesCount: false)
        case .commandPrompt: return Spec(group: "View", doc: "command prompt (Tab completes)", keys: [":"], takesCount: false)
        case .help: return Spec(group: "View", doc: "show this help", keys: ["h", "H", "<F1>"], takesCount: false)
        case .messages: return Spec(group: "View", doc: "list load warnings and messages", keys: [], takesCount: false)
        case .redraw: return Spec(group: "View", doc: "redraw the screen", keys: ["<C-l>"], takesCount: false)
        case .quit: return Spec(group: "View", doc: "quit (^C cancels a form or prompt instead)", keys: ["q", "ZZ", "<C-c>"], takesCount: false)
        }
    }

    public static func named(_ name: String) -> Command? {
        if let c = Command(rawValue: name) { return c }
        return aliases[name]
    }

    /// Extra names accepted at the `:` prompt, as vim and less users type them.
    public static let aliases: [String: Command] = [
        "q": .quit, "qa": .quit, "quit!": .quit, "q!": .quit, "exit": .quit,
        "noh": .clearSearch, "scrollbind": .toggleSync, "picker": .openPicker,
        "vsplit": .addPane, "vs": .addPane, "close": .closePane, "only": .closePane,
    ]

    public static let groups = ["Move", "Panes", "Search", "Entities", "Quotes", "Select", "Annotate", "View"]

    /// Commands whose `:` argument is text rather than a count.
    public var takesTextArgument: Bool { self == .openPicker || self == .highlight || self == .session || self == .annotate }
}
