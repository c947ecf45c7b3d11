/// Key bindings as data: a trie from key sequences to commands, built from the command
/// registry's defaults and then the user's config.
public struct Keymap: Sendable {
    final class Node: @unchecked Sendable {
        var command: Command?
        var children: [Key: Node] = [:]
        func copy() -> Node {
            let n = Node()
            n.command = command
            n.children = children.mapValues { $0.copy() }
            return n
        }
    }

    private var root = Node()

    public init() {}

    public static let defaults: Keymap = {
        var map = Keymap()
        for command in Command.allCases {
            for notation in command.spec.keys {
                // Defaults are declared in the registry and parsed at start-up; a typo there is a
                // programming error caught by the keymap tests.
                if let keys = try? Key.parseSequence(notation) { map.bind(keys, to: command) }
            }
        }
        return map
    }()

    /// Binds a sequence, replacing whatever it (or a prefix/extension of it) was bound to.
    public mutating func bind(_ keys: [Key], to command: Command?) {
        if !isKnownUniquelyReferenced(&root) { root = root.copy() }
        var node = root
        for (i, key) in keys.enumerated() {
            if i < keys.count - 1, node.command != nil { node.command = nil }
            if let next = node.children[key] {
                node = next
            } else {
                let next = Node()
                node.children[key] = next
                node = next
            }
        }
        node.command = command
        if command != nil { node.children = [:] }
    }

    public enum Lookup: Equatable {
        case command(Command)
        case prefix
        case none
    }

    public func lookup(_ keys: [Key]) -> Lookup {
        var node = root
        for key in keys {
            guard let next = node.children[key] else { return .none }
            node = next
        }
        if let c = node.command { return .command(c) }
        return node.children.isEmpty ? .none : .prefix
    }

    /// Every binding as (notation, command), in a stable order.
    public var bindings: [(keys: String, command: Command)] {
        var out: [(String, Command)] = []
        func walk(_ node: Node, _ prefix: String) {
            if let c = node.command { out.append((prefix, c)) }
            for (key, child) in node.children { walk(child, prefix + key.notation) }
        }
        walk(root, "")
        return out.sorted { $0.0 < $1.0 }
    }

    /// The keys bound to one command, defaults order first.
    public func keys(for command: Command) -> [String] {
        let bound = Set(bindings.filter { $0.command == command }.map(\.keys))
        var ordered = command.spec.keys.compactMap { notation -> String? in
            guard let keys = try? Key.parseSequence(notation) else { return nil }
            let canonical = keys.map(\.notation).joined()
            return bound.contains(canonical) ? canonical : nil
        }
        for k in bound.sorted() where !ordered.contains(k) { ordered.append(k) }
        return ordered
    }
}

/// Turns keys into commands: count prefixes (`5j`) and multi-key sequences (`<C-w>l`).
public struct KeySequencer: Sendable {
    public private(set) var count: Int?
    public private(set) var pending: [Key] = []

    public init() {}

    public enum Result: Equatable {
        case command(Command, count: Int?)
        case pending
        case unbound([Key])
    }

    public mutating func feed(_ key: Key, keymap: Keymap) -> Result {
        if pending.isEmpty, case .char(let c) = key, let digit = c.properties.numericType != nil ? Int(String(c)) : nil,
           c.isASCII, digit > 0 || count != nil {
            count = min((count ?? 0) * 10 + digit, 999_999)
            return .pending
        }
        pending.append(key)
        switch keymap.lookup(pending) {
        case .command(let c):
            let n = count
            reset()
            return .command(c, count: n)
        case .prefix:
            return .pending
        case .none:
            let keys = pending
            reset()
            return .unbound(keys)
        }
    }

    public mutating func reset() {
        count = nil
        pending = []
    }

    /// What has been typed so far, for the status line (`5`, `<C-w>`).
    public var display: String {
        (count.map(String.init) ?? "") + pending.map(\.notation).joined()
    }
}
