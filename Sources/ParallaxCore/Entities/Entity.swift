/// Named-entity types, with the names spaCy/OntoNotes use.
public enum EntityType: String, Sendable, Codable, CaseIterable, Comparable {
    case person = "PERSON"
    case org = "ORG"
    case gpe = "GPE"
    case loc = "LOC"
    case norp = "NORP"
    case date = "DATE"
    case cardinal = "CARDINAL"

    public static func < (a: EntityType, b: EntityType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One mention of an entity in one article: a half-open range of Unicode scalar offsets into
/// `Article.text`, plus why the recognizer thinks it is an entity of this type.
public struct EntityMention: Sendable, Equatable, Hashable {
    public var article: String
    public var range: Range<Int>
    public var text: String
    public var type: EntityType
    /// The entity this mention names, once linked (`LinkEntities`); nil before.
    public var entity: EntityID?
    /// Token indices of the mention in its article's `Doc`.
    public var tokens: Range<Int>
    /// A short human explanation: "title 'Secretary of State' before a name", "gazetteer: US state".
    public var evidence: String
    /// For DATE mentions: the calendar date resolved against the article's own date (YYYY-MM-DD).
    public var resolvedDate: String?
    /// The gazetteer's name for this mention when it is an alias ("Ga." → "Georgia", "U.S." →
    /// "United States", "Republicans" → "Republican", "Washington Post" → "The Washington Post").
    public var canonicalHint: String?

    public init(
        article: String, range: Range<Int>, tokens: Range<Int>, text: String, type: EntityType, entity: EntityID? = nil,
        evidence: String, resolvedDate: String? = nil
    ) {
        self.article = article
        self.range = range
        self.tokens = tokens
        self.text = text
        self.type = type
        self.entity = entity
        self.evidence = evidence
        self.resolvedDate = resolvedDate
    }
}

/// One real-world referent across all loaded articles.
public struct Entity: Sendable, Equatable {
    /// Its index in `EntityAnalysis.entities` ("e1", "e2", … in the analysis output).
    public var id: EntityID
    /// The canonical name: its longest full form ("Brad Raffensperger").
    public var name: String
    public var type: EntityType
    /// Distinct surface forms seen, with a note where one is a variant spelling.
    public var aliases: [String]
    public var mentions: [EntityMention]

    public init(id: EntityID, name: String, type: EntityType, aliases: [String], mentions: [EntityMention]) {
        self.id = id
        self.name = name
        self.type = type
        self.aliases = aliases
        self.mentions = mentions
    }
}

/// Entities of a whole corpus, and each article's mentions sorted by offset.
public struct EntityAnalysis: Sendable {
    public var entities: [Entity]
    public var mentionsByArticle: [String: [EntityMention]]

    public init(entities: [Entity], mentionsByArticle: [String: [EntityMention]]) {
        self.entities = entities
        self.mentionsByArticle = mentionsByArticle
    }

    public subscript(id: EntityID) -> Entity { entities[id.rawValue] }
}
