import Foundation

/// The `parallax analyze --format json` document, version 1. Keys are sorted so output is
/// byte-for-byte stable for the same input.
///
/// Written by hand into a byte buffer rather than through `JSONEncoder`: on 12 MB of news the
/// encoder took longer than the whole analysis (about 1.2 s of 3); this writer takes a tenth of
/// that and produces the same bytes (compact, sorted keys, `/` unescaped, explicit nulls).
public enum AnalysisJSON {
    public static let version = 1

    public static func encode(corpus: Corpus, analysis: Analysis) throws -> Data {
        Data(bytes(corpus: corpus, analysis: analysis))
    }

    /// The document as UTF-8 bytes.
    public static func bytes(corpus: Corpus, analysis: Analysis) -> [UInt8] {
        var w = JSONWriter()
        w.reserve(corpus.articles.reduce(0) { $0 + $1.text.bytes.count } * 7 / 2 + 1024)
        write(&w, corpus: corpus, analysis: analysis)
        return w.bytes
    }

    /// The document handed to `sink` in pieces of about a megabyte, in order (what `parallax
    /// analyze` writes to its output): the whole document is never held in memory.
    public static func stream(corpus: Corpus, analysis: Analysis, to sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        var w = JSONWriter()
        w.reserve(1 << 21)
        w.sink = sink
        write(&w, corpus: corpus, analysis: analysis)
        w.drain(threshold: 0)
    }

    private static func write(_ w: inout JSONWriter, corpus: Corpus, analysis: Analysis) {
        let entities = analysis.entities
        let quotes = analysis.quotes
        w.beginObject()
            w.key("articles")
            w.beginArray()
                for a in corpus.articles {
                    w.beginObject()
                        w.field("bodyStart", a.bodyStart)
                        w.field("date", a.metadata.date)
                        w.field("format", a.format.rawValue)
                        w.field("id", a.id)
                        w.field("length", a.text.scalarCount)
                        w.field("path", a.path)
                        w.field("source", a.metadata.source)
                        w.field("title", a.metadata.title)
                        w.field("url", a.metadata.url)
                    w.endObject()
                    w.drain()
                }
            w.endArray()
            w.key("entities")
            w.beginArray()
                for e in entities.entities {
                    w.beginObject()
                        w.key("aliases")
                        w.beginArray()
                            for x in e.aliases { w.string(x) }
                        w.endArray()
                        w.field("id", label: 0x65, e.id.rawValue + 1)
                        if let org = e.memberOf { w.field("memberOf", label: 0x65, org.rawValue + 1) }
                        w.key("mentions")
                        w.beginArray()
                            for m in e.mentions {
                                w.beginObject()
                                    w.field("article", m.article)
                                    w.field("end", m.range.upperBound)
                                    w.field("evidence", m.evidence)
                                    if let d = m.resolvedDate { w.field("resolvedDate", d) }
                                    w.field("start", m.range.lowerBound)
                                    w.field("text", m.text)
                                w.endObject()
                            }
                        w.endArray()
                        w.field("name", e.name)
                        w.field("type", e.type.rawValue)
                    w.endObject()
                    w.drain()
                }
            w.endArray()
            w.key("quoteClusters")
            w.beginArray()
                for c in quotes.clusters {
                    w.beginObject()
                        w.field("id", label: 0x63, c.id.rawValue + 1)
                        w.key("links")
                        w.beginArray()
                            for l in c.links {
                                w.beginObject()
                                    w.field("a", label: 0x71, l.a.rawValue + 1)
                                    w.field("b", label: 0x71, l.b.rawValue + 1)
                                    w.field("kind", l.kind.rawValue)
                                    w.key("score")
                                    w.number((l.score * 1000).rounded() / 1000)
                                w.endObject()
                            }
                        w.endArray()
                        w.key("quotes")
                        w.beginArray()
                            for x in c.quotes { w.label(0x71, x.rawValue + 1) }
                        w.endArray()
                        w.field("root", label: 0x71, c.root.rawValue + 1)
                    w.endObject()
                    w.drain()
                }
            w.endArray()
            w.key("quotes")
            w.beginArray()
                for q in quotes.quotes {
                    w.beginObject()
                        w.field("article", q.article)
                        w.field("cluster", label: 0x63, q.cluster.map { $0.rawValue + 1 })
                        w.field("end", q.range.upperBound)
                        w.field("fragment", q.isFragment)
                        w.field("id", label: 0x71, q.id.rawValue + 1)
                        w.field("parent", label: 0x71, q.parent.map { $0.rawValue + 1 })
                        w.key("speaker")
                        if let sp = q.speaker {
                            w.beginObject()
                                w.field("entity", label: 0x65, sp.entity.map { $0.rawValue + 1 })
                                w.field("evidence", sp.evidence)
                                w.field("form", sp.form.rawValue)
                                w.field("mention", sp.mention)
                                w.field("name", sp.name)
                            w.endObject()
                        } else {
                            w.null()
                        }
                        w.field("start", q.range.lowerBound)
                        w.field("text", q.text)
                    w.endObject()
                    w.drain()
                }
            w.endArray()
            w.field("version", version)
            w.key("warnings")
            w.beginArray()
                for x in corpus.warnings {
                    w.beginObject()
                        w.field("message", x.message)
                        w.field("path", x.path)
                    w.endObject()
                }
            w.endArray()
        w.endObject()
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
                let members = e.memberOf.map { "  members of: \(entities[$0].name)" } ?? ""
                out += "  \(e.name)  [\(counts)]" + (aliases.isEmpty ? "" : "  also: " + aliases.joined(separator: ", ")) + members + "\n"
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
