import Foundation

/// The `parallax analyze --format json` document, version 1. Keys are sorted so output is
/// byte-for-byte stable for the same input.
public enum AnalysisJSON {
    public static let version = 1

    struct Document: Encodable {
        let version: Int
        let articles: [ArticleOut]
        let entities: [EntityOut]
        let quotes: [QuoteOut]
        let quoteClusters: [ClusterOut]
        let warnings: [WarningOut]
    }

    struct SpeakerOut: Encodable {
        let entity: String?
        let name: String
        let mention: String
        let form: String
        let evidence: String

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(entity, forKey: .entity)
            try c.encode(name, forKey: .name)
            try c.encode(mention, forKey: .mention)
            try c.encode(form, forKey: .form)
            try c.encode(evidence, forKey: .evidence)
        }

        enum CodingKeys: String, CodingKey { case entity, name, mention, form, evidence }
    }

    struct QuoteOut: Encodable {
        let id: String
        let article: String
        let start: Int
        let end: Int
        let text: String
        let speaker: SpeakerOut?
        let cluster: String?
        let fragment: Bool
        let parent: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(article, forKey: .article)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
            try c.encode(text, forKey: .text)
            try c.encode(speaker, forKey: .speaker)
            try c.encode(cluster, forKey: .cluster)
            try c.encode(fragment, forKey: .fragment)
            try c.encode(parent, forKey: .parent)
        }

        enum CodingKeys: String, CodingKey { case id, article, start, end, text, speaker, cluster, fragment, parent }
    }

    struct LinkOut: Encodable {
        let a: String
        let b: String
        let kind: String
        let score: Double
    }

    struct ClusterOut: Encodable {
        let id: String
        let quotes: [String]
        let links: [LinkOut]
        let root: String
    }

    struct ArticleOut: Encodable {
        let id: String
        let path: String
        let title: String?
        let source: String?
        let date: String?
        let url: String?
        let format: String
        let length: Int
        let bodyStart: Int

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(path, forKey: .path)
            // Unknown fields are explicit nulls, as the contract says.
            try c.encode(title, forKey: .title)
            try c.encode(source, forKey: .source)
            try c.encode(date, forKey: .date)
            try c.encode(url, forKey: .url)
            try c.encode(format, forKey: .format)
            try c.encode(length, forKey: .length)
            try c.encode(bodyStart, forKey: .bodyStart)
        }

        enum CodingKeys: String, CodingKey { case id, path, title, source, date, url, format, length, bodyStart }
    }

    struct MentionOut: Encodable {
        let article: String
        let start: Int
        let end: Int
        let text: String
        let evidence: String
        let resolvedDate: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(article, forKey: .article)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
            try c.encode(text, forKey: .text)
            try c.encode(evidence, forKey: .evidence)
            try c.encodeIfPresent(resolvedDate, forKey: .resolvedDate)
        }

        enum CodingKeys: String, CodingKey { case article, start, end, text, evidence, resolvedDate }
    }

    struct EntityOut: Encodable {
        let id: String
        let name: String
        let type: String
        let aliases: [String]
        let mentions: [MentionOut]
    }

    struct WarningOut: Encodable {
        let path: String
        let message: String
    }

    public static func encode(corpus: Corpus, analysis: Analysis) throws -> Data {
        let entities = analysis.entities
        let quotes = analysis.quotes
        let doc = Document(
            version: version,
            articles: corpus.articles.map {
                ArticleOut(id: $0.id, path: $0.path, title: $0.metadata.title, source: $0.metadata.source, date: $0.metadata.date,
                           url: $0.metadata.url, format: $0.format.rawValue, length: $0.text.scalarCount, bodyStart: $0.bodyStart)
            },
            entities: entities.entities.map { e in
                EntityOut(id: e.id.label, name: e.name, type: e.type.rawValue, aliases: e.aliases,
                          mentions: e.mentions.map {
                              MentionOut(article: $0.article, start: $0.range.lowerBound, end: $0.range.upperBound, text: $0.text,
                                         evidence: $0.evidence, resolvedDate: $0.resolvedDate)
                          })
            },
            quotes: quotes.quotes.map { q in
                QuoteOut(id: q.id.label, article: q.article, start: q.range.lowerBound, end: q.range.upperBound, text: q.text,
                         speaker: q.speaker.map { s in
                             SpeakerOut(entity: s.entity?.label, name: s.name, mention: s.mention, form: s.form.rawValue, evidence: s.evidence)
                         },
                         cluster: q.cluster?.label, fragment: q.isFragment, parent: q.parent?.label)
            },
            quoteClusters: quotes.clusters.map { c in
                ClusterOut(id: c.id.label, quotes: c.quotes.map(\.label),
                           links: c.links.map { LinkOut(a: $0.a.label, b: $0.b.label, kind: $0.kind.rawValue, score: ($0.score * 1000).rounded() / 1000) },
                           root: c.root.label)
            },
            warnings: corpus.warnings.map { WarningOut(path: $0.path, message: $0.message) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(doc)
    }
}

/// The human summary of `parallax analyze --format text`.
public enum AnalysisText {
    public static func render(corpus: Corpus, analysis: Analysis) -> String {
        let entities = analysis.entities
        let quotes = analysis.quotes
        var out = "\(corpus.articles.count) article\(corpus.articles.count == 1 ? "" : "s"), \(entities.entities.count) entities\n\n"
        for a in corpus.articles {
            let title = a.metadata.title ?? "(no headline)"
            out += "\(a.id)  \(a.metadata.source ?? "outlet ?") · \(a.metadata.date ?? "date ?") · \(a.wordCount) words  \(title)\n"
        }
        out += "\n"
        for type in EntityType.allCases {
            let ofType = entities.entities.filter { $0.type == type }
            guard !ofType.isEmpty else { continue }
            out += "\(type.rawValue) (\(ofType.count))\n"
            for e in ofType.sorted(by: { ($0.mentions.count, $1.name) > ($1.mentions.count, $0.name) }) {
                var perArticle: [String: Int] = [:]
                for m in e.mentions { perArticle[m.article, default: 0] += 1 }
                let counts = corpus.articles.compactMap { a in perArticle[a.id].map { "\(a.id.prefix(3)):\($0)" } }.joined(separator: " ")
                let aliases = e.aliases.filter { $0 != e.name }
                out += "  \(e.name)  [\(counts)]" + (aliases.isEmpty ? "" : "  also: " + aliases.joined(separator: ", ")) + "\n"
            }
            out += "\n"
        }
        out += "QUOTES (\(quotes.quotes.count), \(quotes.clusters.count) said in more than one version)\n"
        for c in quotes.clusters {
            let root = quotes[c.root]
            out += "  \(root.speaker?.name ?? "?"): “\(root.text)”\n"
            for id in c.quotes where id != c.root {
                let q = quotes[id]
                let kind = c.links.first { $0.a == id || $0.b == id }?.kind.rawValue ?? "variant"
                out += "    \(q.article.prefix(3)) \(kind): “\(q.text)”\n"
            }
        }
        out += "\n"
        for w in corpus.warnings { out += "warning: \(w)\n" }
        return out
    }
}
