import Foundation

/// A text-bound brat annotation (`T` line): a label over one or more segments of code points.
public struct BratTextBound: Sendable, Equatable {
    public var id: String
    public var label: String
    /// In file order; `;`-separated in the file.
    public var segments: [Range<Int>]

    public init(id: String, label: String, segments: [Range<Int>]) {
        self.id = id
        self.label = label
        self.segments = segments
    }

    /// Total length of the segments.
    public var length: Int { segments.reduce(0) { $0 + $1.count } }
}

/// An attribution event (`E` line, type `Attribution` or `Attribution-no-source`): text-bound
/// ids for its roles.
public struct BratAttribution: Sendable, Equatable {
    public var id: String
    public var type: String
    public var source: String?
    public var cue: String?
    /// `Content`, `Content2`, …: brat numbers a role given more than once.
    public var contents: [String]

    public init(id: String, type: String, source: String?, cue: String?, contents: [String]) {
        self.id = id
        self.type = type
        self.source = source
        self.cue = cue
        self.contents = contents
    }
}

/// The attribution part of a brat `.ann` file. Other event types (`Discuss`, `Discard`, …),
/// relations, attributes and notes are skipped, and so are the continuation lines of a surface
/// text that runs over several lines.
public struct BratDocument: Sendable {
    public static let attributionTypes: Set<String> = ["Attribution", "Attribution-no-source"]

    public var textBounds: [String: BratTextBound]
    /// In file order.
    public var attributions: [BratAttribution]

    public init(textBounds: [String: BratTextBound], attributions: [BratAttribution]) {
        self.textBounds = textBounds
        self.attributions = attributions
    }

    /// Parses `.ann` text; `file` names the file in error messages ("FILE:LINE: …").
    public static func parse(_ ann: String, file: String = "<ann>") throws(EvaluationError) -> BratDocument {
        var bounds: [String: BratTextBound] = [:]
        var events: [BratAttribution] = []
        for (n, line) in textLines(ann).enumerated() {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2, let kind = fields[0].first, fields[0].dropFirst().allSatisfy(\.isASCIIDigit),
                fields[0].count > 1
            else { continue }
            let id = String(fields[0])
            switch kind {
            case "T":
                bounds[id] = try textBound(id: id, fields[1], at: "\(file):\(n + 1)")
            case "E":
                if let event = attribution(id: id, fields[1]) { events.append(event) }
            default:
                continue
            }
        }
        return BratDocument(textBounds: bounds, attributions: events)
    }

    /// `Label 12 30;41 57`.
    static func textBound(id: String, _ field: Substring, at place: String) throws(EvaluationError) -> BratTextBound {
        guard let space = field.firstIndex(of: " ") else {
            throw EvaluationError("\(place): \(id) has no offsets")
        }
        var segments: [Range<Int>] = []
        for part in field[field.index(after: space)...].split(separator: ";") {
            let numbers = part.split(separator: " ")
            guard numbers.count == 2, let a = Int(numbers[0]), let b = Int(numbers[1]), a >= 0, a <= b else {
                throw EvaluationError("\(place): \(id) has bad offsets '\(part)'")
            }
            segments.append(a..<b)
        }
        guard !segments.isEmpty else { throw EvaluationError("\(place): \(id) has no offsets") }
        return BratTextBound(id: id, label: String(field[..<space]), segments: segments)
    }

    /// `Attribution:T4 Content:T3 Cue:T2 Source:T1`; nil for other event types.
    static func attribution(id: String, _ field: Substring) -> BratAttribution? {
        let args = field.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let trigger = args.first, let colon = trigger.firstIndex(of: ":") else { return nil }
        let type = String(trigger[..<colon])
        guard attributionTypes.contains(type) else { return nil }
        var event = BratAttribution(id: id, type: type, source: nil, cue: nil, contents: [])
        for arg in args.dropFirst() {
            guard let colon = arg.firstIndex(of: ":") else { continue }
            var role = arg[..<colon]
            while let last = role.last, last.isASCIIDigit { role = role.dropLast() }
            let target = String(arg[arg.index(after: colon)...])
            switch role {
            case "Source": if event.source == nil { event.source = target }
            case "Cue": if event.cue == nil { event.cue = target }
            case "Content": event.contents.append(target)
            default: continue
            }
        }
        return event
    }

    /// The text of a text-bound annotation: its segments joined by single spaces (as brat writes it).
    public func surface(_ id: String, in text: ScalarText) -> String? {
        textBounds[id].map { $0.segments.map { text.string($0) }.joined(separator: " ") }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
