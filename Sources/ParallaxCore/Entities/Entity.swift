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
///
/// The strings (text, evidence, dates, hints) sit in one immutable box, so a mention copies with
/// two reference counts rather than seven: corpora hold hundreds of thousands of mentions, and
/// every stage passes them along.
public struct EntityMention: Sendable, Equatable, Hashable {
    public var article: String
    public var range: Range<Int>
    public var type: EntityType
    /// The entity this mention names, once linked (`LinkEntities`); nil before.
    public var entity: EntityID?
    /// Token indices of the mention in its article's `Doc`.
    public var tokens: Range<Int>
    private var details: Details

    final class Details: Sendable {
        let text: String
        let evidence: String
        let resolvedDate: String?
        let canonicalHint: String?

        init(text: String, evidence: String, resolvedDate: String?, canonicalHint: String?) {
            self.text = text
            self.evidence = evidence
            self.resolvedDate = resolvedDate
            self.canonicalHint = canonicalHint
        }
    }

    public var text: String {
        get { details.text }
        set { details = Details(text: newValue, evidence: evidence, resolvedDate: resolvedDate, canonicalHint: canonicalHint) }
    }
    /// A short human explanation: "title 'Secretary of State' before a name", "gazetteer: US state".
    public var evidence: String {
        get { details.evidence }
        set { details = Details(text: text, evidence: newValue, resolvedDate: resolvedDate, canonicalHint: canonicalHint) }
    }
    /// For DATE mentions: the calendar date resolved against the article's own date (YYYY-MM-DD).
    public var resolvedDate: String? {
        get { details.resolvedDate }
        set { details = Details(text: text, evidence: evidence, resolvedDate: newValue, canonicalHint: canonicalHint) }
    }
    /// The gazetteer's name for this mention when it is an alias ("Ga." → "Georgia", "U.S." →
    /// "United States", "Republicans" → "Republican", "Washington Post" → "The Washington Post").
    public var canonicalHint: String? {
        get { details.canonicalHint }
        set { details = Details(text: text, evidence: evidence, resolvedDate: resolvedDate, canonicalHint: newValue) }
    }

    public init(
        article: String, range: Range<Int>, tokens: Range<Int>, text: String, type: EntityType, entity: EntityID? = nil,
        evidence: String, resolvedDate: String? = nil, canonicalHint: String? = nil
    ) {
        self.article = article
        self.range = range
        self.tokens = tokens
        self.type = type
        self.entity = entity
        self.details = Details(text: text, evidence: evidence, resolvedDate: resolvedDate, canonicalHint: canonicalHint)
    }

    public static func == (a: EntityMention, b: EntityMention) -> Bool {
        a.article == b.article && a.range == b.range && a.type == b.type && a.entity == b.entity && a.tokens == b.tokens
            && a.text == b.text && a.evidence == b.evidence && a.resolvedDate == b.resolvedDate && a.canonicalHint == b.canonicalHint
    }

    public func hash(into h: inout Hasher) {
        h.combine(article)
        h.combine(range.lowerBound)
        h.combine(range.upperBound)
        h.combine(type)
        h.combine(entity)
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
    /// For a group named by its members' adjective or plural (NORP "Republicans"), the
    /// organisation they are members of when the corpus names it ("Republican Party", also
    /// written "GOP"): a link between two entities, not one referent (`language/en/entity-aliases.tsv`).
    public var memberOf: EntityID?

    public init(id: EntityID, name: String, type: EntityType, aliases: [String], mentions: [EntityMention], memberOf: EntityID? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.aliases = aliases
        self.mentions = mentions
        self.memberOf = memberOf
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
