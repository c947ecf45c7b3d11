import Foundation

/// Other names of one organisation that linking joins (`language/en/entity-aliases.tsv`): looked
/// up by the linker, never by the tagger, so the model does not depend on it.
struct EntityAliases: Sendable {
    let byPhrase: KeyMap<Int32>
    let names: [String]
    let maxTokens: Int
    /// The organisation whose members a group name names, by the group name folded
    /// ("republicans" → "Republican Party"): the third column.
    var membersOf: [String: String] = [:]

    static let english = EntityAliases.loadBundled(language: "en")

    static func loadBundled(language: String) -> EntityAliases {
        guard let dir = Bundle.module.url(forResource: "language", withExtension: nil),
            let data = FileManager.default.contents(atPath: dir.appendingPathComponent("\(language)/entity-aliases.tsv").path)
        else { return EntityAliases(byPhrase: KeyMap(), names: [], maxTokens: 0, membersOf: [:]) }
        return load(String(decoding: data, as: UTF8.self))
    }

    static func load(_ text: String) -> EntityAliases {
        var byPhrase = KeyMap<Int32>()
        var names: [String] = []
        var longest = 0
        var membersOf: [String: String] = [:]
        for row in Lexicon.rows(text) where row.count >= 2 {
            let index = Int32(names.count)
            names.append(row[0])
            if row.count >= 3 {
                for member in row[2].split(separator: "|") { membersOf[Linker.fold(String(member))] = row[0] }
            }
            for form in [row[0]] + row[1].split(separator: "|").map(String.init) {
                let keys = Tokenizer.tokens(of: form).1.map(\.key)
                guard var k = keys.first else { continue }
                for key in keys.dropFirst() { k = TokenKey.combine(k, key) }
                byPhrase[k] = index
                longest = max(longest, keys.count)
            }
        }
        return EntityAliases(byPhrase: byPhrase, names: names, maxTokens: longest, membersOf: membersOf)
    }

    /// The organisation whose members `group` names ("Republicans" → "Republican Party").
    func organisation(ofMembers group: String) -> String? { membersOf[Linker.fold(group)] }

    /// The canonical name of the organisation the tokens name (under that name or another).
    func name(_ doc: Doc, _ tokens: Range<Int>) -> String? {
        guard !tokens.isEmpty, tokens.count <= maxTokens else { return nil }
        var k = doc.tokens[tokens.lowerBound].key
        for i in tokens.dropFirst() { k = TokenKey.combine(k, doc.tokens[i].key) }
        return byPhrase[k].map { names[Int($0)] }
    }
}
