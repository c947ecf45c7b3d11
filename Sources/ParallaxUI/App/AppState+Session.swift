import ParallaxCore

/// What starting an annotation session from inside the reader needs to know: the store of this
/// corpus, the annotator's name and the label set, resolved once at start-up as
/// `parallax annotate` resolves them.
public struct AnnotationSetup: Sendable, Equatable {
    /// The default store (`<corpus>/.parallax/annotations.sqlite`); nil when none is known.
    public var storePath: String?
    public var annotator: String
    public var labels: [String]

    public init(storePath: String?, annotator: String, labels: [String]) {
        self.storePath = storePath
        self.annotator = annotator
        self.labels = labels.isEmpty ? AnnotationLabels.defaults : labels
    }
}

/// The arguments of `:session` and `:annotate`: `NAME`, `--session NAME`, `--annotator NAME`,
/// `--adjudicator NAME`, `--store PATH`, with `"…"` or `'…'` quoting for names with spaces.
struct SessionArguments: Equatable {
    var session: String?
    var annotator: String?
    var adjudicator: String?
    var store: String?

    struct Invalid: Error { let message: String }

    static func parse(_ line: String) throws(Invalid) -> SessionArguments {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var started = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                started = true
            } else if c == " " || c == "\t" {
                if started || !current.isEmpty { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(c)
            }
        }
        guard quote == nil else { throw Invalid(message: "unclosed quote") }
        if started || !current.isEmpty { words.append(current) }

        var out = SessionArguments()
        var i = 0
        while i < words.count {
            let w = words[i]
            func value() throws(Invalid) -> String {
                guard i + 1 < words.count, !words[i + 1].trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw Invalid(message: "\(w) needs a value")
                }
                i += 1
                return words[i]
            }
            switch w {
            case "--session", "-s": out.session = try value()
            case "--annotator", "-a": out.annotator = try value()
            case "--adjudicator": out.adjudicator = try value()
            case "--store": out.store = try value()
            default:
                if w.hasPrefix("-") { throw Invalid(message: "unknown option \(w) (known: --session, --annotator, --adjudicator, --store)") }
                guard out.session == nil else { throw Invalid(message: "one session name only (quote names with spaces)") }
                out.session = w
            }
            i += 1
        }
        if let s = out.session, s.trimmingCharacters(in: .whitespaces).isEmpty {
            throw Invalid(message: "the session name is empty")
        }
        if out.annotator != nil && out.adjudicator != nil { throw Invalid(message: "give --annotator or --adjudicator, not both") }
        if (out.adjudicator ?? out.annotator) == AnnotationStore.goldLayer {
            throw Invalid(message: "'\(AnnotationStore.goldLayer)' is kept for the adjudicated layer: choose another name")
        }
        return out
    }
}

extension AppState {
    static let annotationOffHint = "annotation is off: :session NAME starts a session"

    /// `:session [NAME] [--annotator NAME] [--store PATH]` (also `:annotate --session NAME …`):
    /// starts or switches the annotation session without leaving the reader. With no argument it
    /// says which session is on.
    mutating func startSession(_ argument: String?) {
        let args: SessionArguments
        do {
            args = try SessionArguments.parse(argument ?? "")
        } catch {
            message = StatusMessage(text: "session: \(error.message)", isWarning: true)
            return
        }
        guard let name = args.session else {
            if args.annotator != nil || args.adjudicator != nil || args.store != nil {
                message = StatusMessage(text: "session: give the session name (:session NAME --annotator NAME)", isWarning: true)
            } else if let service = annotations {
                message = StatusMessage(
                    text: "session \(service.session) · \(service.isAdjudicator ? "adjudicator" : "annotator") \(service.annotator) · \(service.store.path)",
                    isWarning: false)
            } else {
                message = StatusMessage(text: Self.annotationOffHint, isWarning: false)
            }
            return
        }
        let setup = annotationSetup
        guard let path = args.store ?? annotations?.store.path ?? setup.storePath else {
            message = StatusMessage(text: "session: no store for these articles (:session NAME --store PATH)", isWarning: true)
            return
        }
        // An adjudicator stays one until another name is given with --annotator.
        let adjudicating = args.adjudicator != nil || (args.annotator == nil && annotations?.isAdjudicator == true)
        let annotator = args.adjudicator ?? args.annotator ?? annotations?.annotator ?? setup.annotator
        let store: AnnotationStore
        if let current = annotations?.store, current.path == path {
            store = current
        } else {
            do {
                store = try AnnotationStore(path: path, options: AnnotationStoreOptions(busyTimeout: AnnotationStoreOptions.interactiveBusyTimeout))
            } catch {
                message = StatusMessage(text: "session not started: \(error.description)", isWarning: true)
                return
            }
        }
        annotations = AnnotationService(store: store, session: name, annotator: annotator, labels: setup.labels, adjudicator: adjudicating)
        if let note = store.openMessage {
            message = StatusMessage(text: "session \(name): \(note)", isWarning: true)
        } else if adjudicating {
            message = StatusMessage(
                text: "session \(name), adjudicator \(annotator): A, then D lists disputes and y adopts a label into the gold layer", isWarning: false)
        } else {
            message = StatusMessage(
                text: "session \(name), annotator \(annotator) (w cursor, v select, a annotate, A panel)", isWarning: false)
        }
    }

    /// Session names already in the store, for `:session` completion.
    func knownSessions() -> [String] {
        guard let store = annotations?.store ?? annotationSetup.storePath.flatMap({ path in
            // Completion never creates a store: only an existing file is opened, read-only.
            try? AnnotationStore(path: path, options: AnnotationStoreOptions(readOnly: true))
        }) else { return [] }
        return (try? store.sessions()) ?? []
    }
}
