import ParallaxCore

/// Each article's index in the corpus, by id.
private func articleIndex(_ corpus: Corpus) -> [String: Int] {
    Dictionary(corpus.articles.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
}

/// The entity analysis arranged for the reader: each article's mentions by offset, and what the
/// entity panel sorts and filters on. Built off the input loop (on the analysis thread), so no
/// key waits for work proportional to the corpus.
public struct PreparedEntities: Sendable {
    /// The entities as shown: the linker's, with the user's corrections applied.
    public let analysis: EntityAnalysis
    /// The linker's entities before any correction, kept so a new correction re-applies the log
    /// to them rather than re-running the analysis.
    public let linked: EntityAnalysis
    /// Each article's mentions sorted by offset, by article index.
    public let mentionsByArticle: [[EntityMention]]
    /// Distinct articles mentioning each entity, by entity index.
    public let sourceCount: [Int]
    /// Lowercased name and aliases of each entity, what the panel's filter matches.
    let haystacks: [[String]]
    /// Entity indices in each of the panel's sort orders.
    let orders: [EntityPanelState.Sort: [Int]]
    /// The panel's count columns: mentions in each of the corpus's first articles, by entity
    /// index, for entities mentioned there.
    private let leadingCounts: [Int: [Int]]
    /// How many of the first articles `leadingCounts` covers (the panel never shows more columns).
    public static let countColumns = 40

    /// `linked`: the uncorrected entities `analysis` was made from (default: `analysis` itself).
    public init(_ analysis: EntityAnalysis, corpus: Corpus, linked: EntityAnalysis? = nil) {
        self.analysis = analysis
        self.linked = linked ?? analysis
        let byID = articleIndex(corpus)
        var lists = [[EntityMention]](repeating: [], count: corpus.articles.count)
        for (id, mentions) in analysis.mentionsByArticle {
            guard let i = byID[id] else { continue }
            lists[i] = mentions.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        }
        mentionsByArticle = lists
        let entities = analysis.entities
        let sources = entities.map { e -> Int in
            var seen = Set<String>()
            for m in e.mentions { seen.insert(m.article) }
            return seen.count
        }
        sourceCount = sources
        // A group of members is found under its organisation's names too ("gop" finds Republicans).
        haystacks = entities.map { e in
            var names = [e.name] + e.aliases
            if let org = e.memberOf, org.rawValue < entities.count { names += [entities[org.rawValue].name] + entities[org.rawValue].aliases }
            return names.map { $0.lowercased() }
        }
        let lowerNames = entities.map { $0.name.lowercased() }
        let all = Array(entities.indices)
        let mentions = entities.map(\.mentions.count)
        var orders: [EntityPanelState.Sort: [Int]] = [:]
        orders[.sources] = all.sorted { (-sources[$0], -mentions[$0], $0) < (-sources[$1], -mentions[$1], $1) }
        orders[.mentions] = all.sorted { (-mentions[$0], $0) < (-mentions[$1], $1) }
        orders[.name] = all.sorted { (lowerNames[$0], $0) < (lowerNames[$1], $1) }
        orders[.type] = all.sorted { (entities[$0].type, -mentions[$0], $0) < (entities[$1].type, -mentions[$1], $1) }
        self.orders = orders
        let columns = min(PreparedEntities.countColumns, corpus.articles.count)
        var column: [String: Int] = [:]
        for i in 0..<columns { column[corpus.articles[i].id] = i }
        var counts: [Int: [Int]] = [:]
        for (e, entity) in entities.enumerated() {
            for m in entity.mentions {
                guard let c = column[m.article] else { continue }
                counts[e, default: [Int](repeating: 0, count: columns)][c] += 1
            }
        }
        leadingCounts = counts
    }

    /// Mentions of an entity in each of the corpus's first `count` articles (at most `countColumns`).
    func counts(entity: Int, count: Int) -> [Int] {
        let n = min(count, PreparedEntities.countColumns)
        guard let c = leadingCounts[entity] else { return [Int](repeating: 0, count: n) }
        return Array(c.prefix(n)) + [Int](repeating: 0, count: max(0, n - c.count))
    }

    /// The panel's rows for a sort order and a filter (lowercased; empty: all).
    func rows(sort: EntityPanelState.Sort, query: String) -> [Int] {
        let order = orders[sort] ?? []
        guard !query.isEmpty else { return order }
        let entities = analysis.entities
        return order.filter { i in
            haystacks[i].contains { $0.contains(query) } || entities[i].type.rawValue.lowercased() == query
        }
    }
}

/// The quote analysis arranged for the reader: each article's quotes by offset, and the quote
/// map's rows, marks and version lists, so a frame of the map reads only what it shows.
public struct PreparedQuotes: Sendable {
    public let analysis: QuoteAnalysis
    /// Each article's quotes sorted by offset, by article index.
    public let quotesByArticle: [[Quote]]
    /// Clusters in the map: largest spread first, then by first appearance.
    public let mapRows: [ClusterID]
    /// Distinct articles holding a version, by cluster index.
    public let spread: [Int]
    /// How each clustered quote relates to its cluster's longest version (nil: the root, or unclustered).
    private let kinds: [QuoteLink.Kind?]
    /// Each cluster's versions by article id, in text order.
    private let versionsByArticle: [[String: [QuoteID]]]
    /// Each cluster's versions as the versions view lists them: the longest first, then by article and place.
    public let versionOrder: [[QuoteID]]

    public init(_ analysis: QuoteAnalysis, corpus: Corpus) {
        self.analysis = analysis
        let byID = articleIndex(corpus)
        var lists = [[Quote]](repeating: [], count: corpus.articles.count)
        for q in analysis.quotes {
            if let i = byID[q.article] { lists[i].append(q) }
        }
        for i in lists.indices { lists[i].sort { $0.range.lowerBound < $1.range.lowerBound } }
        quotesByArticle = lists

        var kinds = [QuoteLink.Kind?](repeating: nil, count: analysis.quotes.count)
        var byArticle: [[String: [QuoteID]]] = []
        var order: [[QuoteID]] = []
        var spread: [Int] = []
        byArticle.reserveCapacity(analysis.clusters.count)
        for c in analysis.clusters {
            // The first link naming a version gives its kind, as the map has always shown it.
            for link in c.links.reversed() {
                for id in [link.a, link.b] where id != c.root && id.rawValue < kinds.count { kinds[id.rawValue] = link.kind }
            }
            var here: [String: [QuoteID]] = [:]
            for id in c.quotes { here[analysis[id].article, default: []].append(id) }
            for (k, ids) in here where ids.count > 1 {
                here[k] = ids.sorted { analysis[$0].range.lowerBound < analysis[$1].range.lowerBound }
            }
            byArticle.append(here)
            spread.append(here.count)
            order.append(c.quotes.sorted {
                let a = analysis[$0], b = analysis[$1]
                return ($0 == c.root ? 0 : 1, a.article, a.range.lowerBound) < ($1 == c.root ? 0 : 1, b.article, b.range.lowerBound)
            })
        }
        self.kinds = kinds
        self.versionsByArticle = byArticle
        self.versionOrder = order
        self.spread = spread
        mapRows = analysis.clusters.map(\.id).sorted {
            (-spread[$0.rawValue], analysis.clusters[$0.rawValue].root.rawValue) < (-spread[$1.rawValue], analysis.clusters[$1.rawValue].root.rawValue)
        }
    }

    /// How a quote relates to its cluster's longest version (nil for the longest itself).
    public func kind(_ id: QuoteID) -> QuoteLink.Kind? {
        id.rawValue < kinds.count ? kinds[id.rawValue] : nil
    }

    /// A cluster's versions in one article, in text order.
    public func versions(_ cluster: ClusterID, article: String) -> [QuoteID] {
        cluster.rawValue < versionsByArticle.count ? versionsByArticle[cluster.rawValue][article] ?? [] : []
    }
}

/// Derived views the frames of one panel read again and again, kept until the state they come
/// from changes: the entity panel's filtered rows, the versions view's diffed, wrapped lines,
/// and what the article picker filters on.
public final class ViewCache {
    private var entityKey: (sort: EntityPanelState.Sort, query: String)?
    private var entityRows: [Int] = []
    private var versionLines: [QuoteID: (width: Int, lines: [[(String, Style)]])] = [:]

    /// What the article picker's filter matches, one string per article (the corpus never changes).
    private var haystacks: [[UInt8]]?

    public init() {}

    func articleHaystacks(_ make: () -> [[UInt8]]) -> [[UInt8]] {
        if let h = haystacks { return h }
        let h = make()
        haystacks = h
        return h
    }

    func entityRows(sort: EntityPanelState.Sort, query: String, _ make: () -> [Int]) -> [Int] {
        if let k = entityKey, k.sort == sort, k.query == query { return entityRows }
        entityRows = make()
        entityKey = (sort, query)
        return entityRows
    }

    func versionLines(_ id: QuoteID, width: Int, _ make: () -> [[(String, Style)]]) -> [[(String, Style)]] {
        if let v = versionLines[id], v.width == width { return v.lines }
        if versionLines.count > 4096 { versionLines = [:] }
        let lines = make()
        versionLines[id] = (width, lines)
        return lines
    }

    /// Forgets everything (a new analysis arrived).
    func clear() {
        entityKey = nil
        entityRows = []
        versionLines = [:]
    }
}
