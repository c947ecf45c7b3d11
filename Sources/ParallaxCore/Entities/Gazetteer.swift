import Foundation

/// Name lists loaded once from the bundled resources (see `Resources/gazetteer/ATTRIBUTION.md`).
///
/// Every entry is keyed by `TokenKey` (case-folded hash of a token, or of a phrase's tokens), so a
/// lookup needs no `String`. One table holds all facts about a key.
public final class Gazetteer: Sendable {
    public struct Kind: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let firstName = Kind(rawValue: 1 << 0)
        public static let surname = Kind(rawValue: 1 << 1)
        public static let country = Kind(rawValue: 1 << 2)
        public static let usState = Kind(rawValue: 1 << 3)
        public static let county = Kind(rawValue: 1 << 4)
        public static let city = Kind(rawValue: 1 << 5)
        public static let region = Kind(rawValue: 1 << 6)
        public static let title = Kind(rawValue: 1 << 7)
        public static let pluralTitle = Kind(rawValue: 1 << 8)
        public static let role = Kind(rawValue: 1 << 9)
        public static let norp = Kind(rawValue: 1 << 10)
        public static let org = Kind(rawValue: 1 << 11)
        public static let common = Kind(rawValue: 1 << 12)
        public static let stateCode = Kind(rawValue: 1 << 13)
        public static let place: Kind = [.country, .usState, .county, .city, .region]
    }

    public struct Entry: Sendable {
        public var kind: Kind = []
        /// 1-based frequency ranks; 0 when absent.
        public var firstNameRank: Int32 = 0
        public var surnameRank: Int32 = 0
        public var commonRank: Int32 = 0
        /// Largest population among places with this name.
        public var population: Int32 = 0
        /// Index into `canonicalNames` for aliases ("Ga." → "Georgia", "U.S." → "United States",
        /// "Republicans" → "Republican", "Washington Post" → "The Washington Post"); -1 when none.
        public var canonical: Int32 = -1
        /// ISO country code (two ASCII letters packed) when the entry is a country.
        public var countryCode: UInt16 = 0
        /// ISO country code of the most populous city with this name.
        public var cityCountry: UInt16 = 0
        /// The sex a first name says (see `first_names.txt`), when it says one.
        public var firstNameSex: Lexicon.Sex? = nil
    }

    /// Two ASCII letters packed into 16 bits ("GE" → 0x4745); 0 when not two letters.
    public static func packCountry<S: Sequence>(_ code: S) -> UInt16 where S.Element == UInt8 {
        let b = Array(code)
        guard b.count == 2 else { return 0 }
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }

    public let table: KeyMap<Entry>
    public let canonicalNames: [String]
    /// Longest phrase length (in tokens) among entries.
    public let maxPhraseTokens: Int

    public static let shared: Gazetteer = Gazetteer.loadBundled()

    public func entry(_ key: UInt64) -> Entry? { table[key] }

    public func canonicalName(_ e: Entry) -> String? {
        e.canonical >= 0 ? canonicalNames[Int(e.canonical)] : nil
    }

    init(table: KeyMap<Entry>, canonicalNames: [String], maxPhraseTokens: Int) {
        self.table = table
        self.canonicalNames = canonicalNames
        self.maxPhraseTokens = maxPhraseTokens
    }

    /// Reads the bundled lists (what `shared` does once); public for load-time measurements.
    public static func loadBundled() -> Gazetteer {
        var b = Builder()
        let dir = Bundle.module.url(forResource: "gazetteer", withExtension: nil)
        func read(_ name: String) -> [UInt8] {
            guard let dir, let d = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) else { return [] }
            return [UInt8](d)
        }
        b.load(read("first_names.txt"), format: .firstNames)
        b.load(read("surnames.txt"), format: .surnames)
        b.load(read("common_words.txt"), format: .common)
        b.load(read("places.txt"), format: .places)
        // Titles, honorifics and roles: the one list in the language data.
        if let lang = Bundle.module.url(forResource: "language", withExtension: nil),
            let d = FileManager.default.contents(atPath: lang.appendingPathComponent("en/person-words.tsv").path)
        {
            b.load([UInt8](d), format: .titles)
        }
        b.load(read("nationalities.txt"), format: .nationalities)
        b.load(read("orgs.txt"), format: .orgs)
        return Gazetteer(table: b.table, canonicalNames: b.names, maxPhraseTokens: b.maxTokens)
    }

    struct Builder {
        enum Format { case firstNames, surnames, common, places, titles, nationalities, orgs }
        var table = KeyMap<Entry>(capacity: 120_000)
        var names: [String] = []
        var nameIndex: [String: Int32] = [:]
        var maxTokens = 1


        mutating func intern(_ s: String) -> Int32 {
            if let i = nameIndex[s] { return i }
            let i = Int32(names.count)
            names.append(s)
            nameIndex[s] = i
            return i
        }

        /// Key of the bytes of one name as the segmenter would see it: tokens split at spaces.
        func key(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (UInt64, Int) {
            var k: UInt64 = 0
            var count = 0
            var s = r.lowerBound
            var i = r.lowerBound
            while i <= r.upperBound {
                if i == r.upperBound || buf[i] == 0x20 {
                    if i > s {
                        let h = TokenKey.hash(buf, s..<i)
                        k = count == 0 ? h : TokenKey.combine(k, h)
                        count += 1
                    }
                    s = i + 1
                }
                i += 1
            }
            return (k, count)
        }

        mutating func update(_ k: UInt64, tokens: Int, _ body: (inout Entry) -> Void) {
            var e = table[k] ?? Entry()
            body(&e)
            table[k] = e
            if tokens > maxTokens { maxTokens = tokens }
        }

        mutating func load(_ bytes: [UInt8], format: Format) {
            bytes.withUnsafeBufferPointer { buf in
                var line: Int32 = 0
                DataRows.forEach(buf) { fields in
                    line += 1
                    handle(buf, fields, line: line, format: format)
                }
            }
        }

        static func equals(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ word: StaticString) -> Bool {
            guard r.count == word.utf8CodeUnitCount else { return false }
            let w = word.utf8Start
            for k in 0..<r.count where buf[r.lowerBound + k] != w[k] { return false }
            return true
        }

        /// A decimal integer of at most 18 digits (optional sign), nil when the field is not one.
        static func integer(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
            var i = r.lowerBound
            var negative = false
            if i < r.upperBound && (buf[i] == 0x2D || buf[i] == 0x2B) { negative = buf[i] == 0x2D; i += 1 }
            guard i < r.upperBound, r.upperBound - i <= 18 else { return nil }
            var v = 0
            while i < r.upperBound {
                let d = buf[i] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
                i += 1
            }
            return negative ? -v : v
        }

        func text(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self)
        }

        mutating func handle(_ buf: UnsafeBufferPointer<UInt8>, _ f: [Range<Int>], line: Int32, format: Format) {
            let (k, tokens) = key(buf, f[0])
            switch format {
            case .firstNames:
                let sex = f.count >= 2 ? text(buf, f[1]) : ""
                update(k, tokens: tokens) { e in
                    e.kind.insert(.firstName)
                    if e.firstNameRank == 0 {
                        e.firstNameRank = line
                        e.firstNameSex = sex == "m" ? .male : sex == "f" ? .female : nil
                    }
                }
            case .surnames:
                update(k, tokens: tokens) { e in e.kind.insert(.surname); if e.surnameRank == 0 { e.surnameRank = line } }
            case .common:
                update(k, tokens: tokens) { e in e.kind.insert(.common); if e.commonRank == 0 { e.commonRank = line } }
            case .places:
                guard f.count >= 5 else { return }
                // 36,000 lines at every start: kind and population are read from the bytes.
                let pop = Int32(clamping: Self.integer(buf, f[3]) ?? 0)
                let canon: Int32 = f[4].isEmpty ? -1 : intern(text(buf, f[4]))
                let kind: Kind
                if Self.equals(buf, f[1], "country") { kind = .country }
                else if Self.equals(buf, f[1], "state") { kind = .usState }
                else if Self.equals(buf, f[1], "state-code") { kind = .stateCode }
                else if Self.equals(buf, f[1], "county") { kind = .county }
                else if Self.equals(buf, f[1], "city") { kind = .city }
                else { kind = .region }
                let code = Gazetteer.packCountry(buf[f[2]])
                update(k, tokens: tokens) { e in
                    e.kind.insert(kind)
                    if kind == .country { e.countryCode = code }
                    if kind == .city && pop > e.population { e.cityCountry = code }
                    if pop > e.population { e.population = pop }
                    if canon >= 0 && e.canonical < 0 && kind != .stateCode { e.canonical = canon }
                }
            case .titles:
                guard f.count >= 2 else { return }
                let kindText = text(buf, f[1])
                let kind: Kind = kindText == "title" || kindText == "honorific" ? .title : kindText == "title-plural" ? [.title, .pluralTitle] : .role
                update(k, tokens: tokens) { e in e.kind.insert(kind) }
            case .nationalities:
                let canonical = intern(text(buf, f[0]))
                update(k, tokens: tokens) { e in e.kind.insert(.norp); e.canonical = canonical }
                if f.count >= 2 && !f[1].isEmpty {
                    for alt in text(buf, f[1]).split(separator: "|") {
                        let ak = TokenKey.phrase(String(alt))
                        update(ak, tokens: 1) { e in e.kind.insert(.norp); e.canonical = canonical }
                    }
                }
            case .orgs:
                let forms = text(buf, f[0]).split(separator: "|").map(String.init)
                let canonical = intern(forms[0])
                for form in forms {
                    let words = form.split(separator: " ").count
                    update(TokenKey.phrase(form), tokens: words) { e in e.kind.insert(.org); e.canonical = canonical }
                }
            }
        }
    }
}
