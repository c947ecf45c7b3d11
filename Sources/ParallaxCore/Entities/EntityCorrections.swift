import Foundation

/// How a correction names an entity. Entity ids are indices that change whenever the corpus or
/// the recogniser changes, so a correction names an entity by what the user saw: its canonical
/// name and its type ("Brad Raffensperger", PERSON). A key names every entity of that name and
/// type (the linker may keep two "Clinton"s apart); where none has the exact name, one whose
/// name matches with case and accents folded does; where none matches at all, the correction
/// no longer applies and is skipped.
public struct EntityKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    public var type: EntityType

    public init(name: String, type: EntityType) {
        self.name = name
        self.type = type
    }

    public init(_ entity: Entity) {
        self.init(name: entity.name, type: entity.type)
    }

    public var description: String { "\(name) (\(type.rawValue))" }
}

/// One correction of the entity analysis by a user.
public enum EntityCorrection: Sendable, Equatable {
    /// Every mention of `from` becomes a mention of `into`.
    case merge(from: EntityKey, into: EntityKey)
    /// The mentions written exactly `alias` leave the entity and become an entity of their own,
    /// named by the alias, of the same type.
    case split(alias: String, of: EntityKey)
    /// The entity, and each of its mentions, takes another type.
    case retype(EntityKey, to: EntityType)
    /// One mention is not an entity at all. The text is kept so the mention is found again after
    /// the article changed: the mention at the stored offset if its text is the same, else the
    /// mention of that text nearest to the offset in the article; else the correction is skipped.
    case notEntity(article: String, range: Range<Int>, text: String)

    /// What it does, for the status line and `analyze`'s warnings.
    public var summary: String {
        switch self {
        case .merge(let from, let into): return "merged \(from.name) into \(into.name)"
        case .split(let alias, let of): return "split \(alias) off \(of.name)"
        case .retype(let key, let to): return "\(key.name) is now \(to.rawValue)"
        case .notEntity(let article, _, let text): return "\(text) in \(article) is not an entity"
        }
    }
}

/// The user's corrections of the entity analysis: an ordered, append-only log. Undo and redo are
/// entries of the log too, so the file says what happened and when, and replaying it gives the
/// corrections in force (`effective`). Applied after linking (`apply(to:articles:)`), before
/// anything reads the entities, so the reader, `analyze` and speaker attribution agree.
public struct EntityCorrections: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case correct(EntityCorrection)
        case undo
        case redo
    }

    /// One entry of the log, with who made it and when.
    public struct Entry: Sendable, Equatable {
        public var action: Action
        public var by: String
        public var at: Date

        public init(_ action: Action, by: String, at: Date = Date()) {
            self.action = action
            self.by = by
            // Whole seconds: the file stores ISO 8601 without fractions, and a round trip must compare equal.
            self.at = Date(timeIntervalSince1970: at.timeIntervalSince1970.rounded(.down))
        }
    }

    public private(set) var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// The log replayed: corrections in force, in order, and those undone (last undone last).
    private var replayed: (active: [EntityCorrection], undone: [EntityCorrection]) {
        var active: [EntityCorrection] = []
        var undone: [EntityCorrection] = []
        for e in entries {
            switch e.action {
            case .correct(let c):
                active.append(c)
                undone.removeAll()
            case .undo:
                if let c = active.popLast() { undone.append(c) }
            case .redo:
                if let c = undone.popLast() { active.append(c) }
            }
        }
        return (active, undone)
    }

    /// The corrections in force, in the order they were made.
    public var effective: [EntityCorrection] { replayed.active }
    public var isEmpty: Bool { entries.isEmpty }

    public mutating func add(_ correction: EntityCorrection, by: String, at: Date = Date()) {
        entries.append(Entry(.correct(correction), by: by, at: at))
    }

    /// Undoes the last correction in force; returns it, or nil when there is none.
    @discardableResult
    public mutating func undo(by: String, at: Date = Date()) -> EntityCorrection? {
        guard let last = replayed.active.last else { return nil }
        entries.append(Entry(.undo, by: by, at: at))
        return last
    }

    /// Redoes the last undone correction; returns it, or nil when there is none.
    @discardableResult
    public mutating func redo(by: String, at: Date = Date()) -> EntityCorrection? {
        guard let last = replayed.undone.last else { return nil }
        entries.append(Entry(.redo, by: by, at: at))
        return last
    }

    /// Appends entries read from elsewhere (the file, as another instance left it).
    mutating func append(contentsOf more: some Sequence<Entry>) {
        entries.append(contentsOf: more)
    }

    /// The analysis with the corrections in force applied. `articles` (ids in corpus order) orders
    /// the mentions of merged entities; without it they are ordered by article id.
    public func apply(to analysis: EntityAnalysis, articles: [String]? = nil) -> EntityAnalysis {
        EntityCorrections.apply(effective, to: analysis, articles: articles).analysis
    }

    /// Applies `corrections` in order; `skipped` counts those whose entity or mention is gone.
    /// Each correction sees the entities as the earlier ones left them (a split-off alias can be
    /// merged elsewhere next). Entity ids are renumbered densely in the linker's order, new
    /// entities last, and every mention's `entity` follows.
    public static func apply(_ corrections: [EntityCorrection], to analysis: EntityAnalysis, articles: [String]? = nil)
        -> (analysis: EntityAnalysis, skipped: Int)
    {
        guard !corrections.isEmpty else { return (analysis, 0) }
        var entities: [Entity?] = analysis.entities
        var skipped = 0
        /// Live entities a key names: exact name first, else with case and accents folded.
        func find(_ key: EntityKey) -> [Int] {
            let exact = entities.indices.filter { entities[$0]?.name == key.name && entities[$0]?.type == key.type }
            if !exact.isEmpty { return exact }
            let folded = Linker.fold(key.name)
            return entities.indices.filter { entities[$0]?.type == key.type && entities[$0].map { Linker.fold($0.name) } == folded }
        }
        func mark(_ m: inout EntityMention, _ note: String) {
            m.evidence = m.evidence.isEmpty ? "corrected by user: \(note)" : "\(m.evidence); corrected by user: \(note)"
        }
        var touched = Set<Int>()

        for correction in corrections {
            switch correction {
            case .merge(let from, let into):
                let targets = find(into)
                let sources = find(from).filter { $0 != targets.first }
                guard let t = targets.first, !sources.isEmpty || targets.count > 1 else { skipped += 1; continue }
                var target = entities[t]!
                for s in Set(sources + targets.dropFirst()).sorted() {
                    guard let source = entities[s] else { continue }
                    for var m in source.mentions {
                        mark(&m, "merged into \(target.name)")
                        m.type = target.type
                        target.mentions.append(m)
                    }
                    for a in source.aliases where !target.aliases.contains(a) { target.aliases.append(a) }
                    entities[s] = nil
                }
                entities[t] = target
                touched.insert(t)
            case .split(let alias, let key):
                let surface = plainAlias(alias)
                var made = false
                for i in find(key) {
                    var e = entities[i]!
                    let leaving = e.mentions.filter { $0.text == surface }
                    guard !leaving.isEmpty, leaving.count < e.mentions.count else { continue }
                    e.mentions.removeAll { $0.text == surface }
                    e.aliases.removeAll { plainAlias($0) == surface }
                    if e.name == surface {
                        // The name left with the alias: the longest form that stayed names it now.
                        e.name = e.aliases.map(plainAlias).max { $0.unicodeScalars.count < $1.unicodeScalars.count } ?? e.name
                    }
                    let fromName = e.name
                    entities[i] = e
                    let newIndex = entities.count
                    let moved = leaving.map { m -> EntityMention in
                        var m = m
                        mark(&m, "split off from \(fromName)")
                        return m
                    }
                    entities.append(Entity(id: EntityID(newIndex), name: surface, type: e.type, aliases: [surface], mentions: moved))
                    made = true
                }
                if !made { skipped += 1 }
            case .retype(let key, let type):
                let found = find(key)
                guard !found.isEmpty else { skipped += 1; continue }
                for i in found {
                    var e = entities[i]!
                    let old = e.type
                    guard old != type else { continue }
                    e.type = type
                    for j in e.mentions.indices {
                        e.mentions[j].type = type
                        mark(&e.mentions[j], "type \(old.rawValue) → \(type.rawValue)")
                    }
                    entities[i] = e
                }
            case .notEntity(let article, let range, let text):
                // The mention at the stored place, else the nearest mention of the same text.
                var best: (entity: Int, mention: Int, distance: Int)?
                for (i, e) in entities.enumerated() {
                    guard let e else { continue }
                    for (j, m) in e.mentions.enumerated() where m.article == article && m.text == text {
                        let d = abs(m.range.lowerBound - range.lowerBound) + (m.range == range ? 0 : 1)
                        if best == nil || d < best!.distance { best = (i, j, d) }
                    }
                }
                guard let (i, j, _) = best else { skipped += 1; continue }
                entities[i]!.mentions.remove(at: j)
                if entities[i]!.mentions.isEmpty { entities[i] = nil }
            }
        }

        // Renumber, and gather each article's mentions again, sorted by offset.
        let rank = Dictionary((articles ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [Entity] = []
        var byArticle: [String: [EntityMention]] = analysis.mentionsByArticle.mapValues { _ in [] }
        for (i, e) in entities.enumerated() {
            guard var e else { continue }
            let id = EntityID(out.count)
            e.id = id
            for j in e.mentions.indices { e.mentions[j].entity = id }
            if touched.contains(i) {
                e.mentions.sort {
                    let a = rank[$0.article] ?? Int.max, b = rank[$1.article] ?? Int.max
                    if a != b { return a < b }
                    if $0.article != $1.article { return $0.article < $1.article }
                    return $0.range.lowerBound < $1.range.lowerBound
                }
            }
            for m in e.mentions { byArticle[m.article, default: []].append(m) }
            out.append(e)
        }
        for k in byArticle.keys { byArticle[k]!.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) } }
        // Ids changed and organisations may have been merged, split or retyped.
        Linker.linkMembers(&out)
        return (EntityAnalysis(entities: out, mentionsByArticle: byArticle), skipped)
    }

    /// An alias as the panel lists it, without the linker's " (spelling)" note.
    public static func plainAlias(_ alias: String) -> String {
        alias.hasSuffix(" (spelling)") ? String(alias.dropLast(" (spelling)".count)) : alias
    }
}

extension QuoteAnalysis {
    /// The quotations with their speakers pointed from `old` entities to `new` ones, where `new`
    /// is `old` corrected again (the reader applies a correction without attributing speakers
    /// again): each old entity becomes the new entity that holds most of its mentions, and a
    /// speaker named by its entity takes the new entity's name. A speaker whose mentions all
    /// stopped being an entity keeps its name and loses its entity. A merge or retype is thus
    /// followed exactly; a split keeps speakers with the entity that kept most mentions until
    /// the next analysis attributes them again.
    public func remappingSpeakers(from old: EntityAnalysis, to new: EntityAnalysis) -> QuoteAnalysis {
        var place: [String: [Int: EntityID]] = [:]
        for (article, mentions) in new.mentionsByArticle {
            var here: [Int: EntityID] = [:]
            for m in mentions { if let e = m.entity { here[m.range.lowerBound] = e } }
            place[article] = here
        }
        var map: [EntityID: EntityID] = [:]
        for e in old.entities {
            var votes: [EntityID: Int] = [:]
            for m in e.mentions { if let n = place[m.article]?[m.range.lowerBound] { votes[n, default: 0] += 1 } }
            if let best = votes.max(by: { ($0.value, -$0.key.rawValue) < ($1.value, -$1.key.rawValue) }) { map[e.id] = best.key }
        }
        var out = self
        for i in out.quotes.indices {
            guard var speaker = out.quotes[i].speaker, let id = speaker.entity else { continue }
            let wasName = id.rawValue < old.entities.count && speaker.name == old.entities[id.rawValue].name
            speaker.entity = map[id]
            if let n = map[id], wasName { speaker.name = new.entities[n.rawValue].name }
            out.quotes[i].speaker = speaker
        }
        return out
    }
}
