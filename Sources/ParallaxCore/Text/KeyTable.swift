/// Open-addressing hash map from `TokenKey` hashes to values.
///
/// The keys are already well-mixed 64-bit hashes, so the table indexes with their bits directly
/// and skips `Hasher`: one multiply-free probe sequence per lookup in the hot token loop.
public struct KeyMap<Value: Sendable>: Sendable {
    private var keys: [UInt64]
    private var values: [Value?]
    private var used: [Bool]
    private var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        used = Array(repeating: false, count: size)
        mask = size - 1
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key ^ (key >> 29)) & UInt64(mask)) }

    public subscript(key: UInt64) -> Value? {
        get {
            var i = slot(key)
            while used[i] {
                if keys[i] == key { return values[i] }
                i = (i + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { return }  // removal is not needed
            if (count + 1) * 2 > keys.count { grow() }
            var i = slot(key)
            while used[i] {
                if keys[i] == key { values[i] = newValue; return }
                i = (i + 1) & mask
            }
            used[i] = true
            keys[i] = key
            values[i] = newValue
            count += 1
        }
    }

    @inline(__always) public func contains(_ key: UInt64) -> Bool {
        var i = slot(key)
        while used[i] {
            if keys[i] == key { return true }
            i = (i + 1) & mask
        }
        return false
    }

    private mutating func grow() {
        var bigger = KeyMap(capacity: keys.count)
        for i in 0..<keys.count where used[i] { bigger[keys[i]] = values[i] }
        self = bigger
    }
}

/// A set of `TokenKey` hashes (see `KeyMap`).
public struct KeySet: Sendable {
    private var map: KeyMap<Bool>

    public init(capacity: Int = 16) { map = KeyMap(capacity: capacity) }

    public init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        map = KeyMap(capacity: 16)
        for k in keys { map[k] = true }
    }

    @inline(__always) public func contains(_ key: UInt64) -> Bool { map.contains(key) }
    public mutating func insert(_ key: UInt64) { map[key] = true }
    public var count: Int { map.count }
}
