/// An insertion-ordered dictionary of values, with Python dict semantics: keys are any hashable
/// ``Value`` (in practice almost always strings), iteration follows insertion order, and
/// replacing a key keeps its original position.
///
/// Entries live in two parallel arrays behind one copy-on-write reference, so copying a `Value`
/// that holds a dictionary costs one retain. Small dictionaries (the typical `server`, `acl` or
/// module-result object) are searched linearly, which beats hashing the key; larger ones get a
/// hash index from key to position.
public struct ValueDictionary: Sendable, Hashable, Sequence {
    private var storage: Storage

    public init() {
        storage = Storage.empty
    }

    public init(_ pairs: [(Value, Value)]) {
        storage = Storage.empty
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { storage.keys.count }
    public var isEmpty: Bool { storage.keys.isEmpty }

    /// The keys, in insertion order.
    public var keys: [Value] { storage.keys }

    /// The values, in key order.
    public var values: [Value] { storage.values }

    public subscript(key: Value) -> Value? {
        get { storage.position(of: key).map { storage.values[$0] } }
        set {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            if let newValue { storage.set(newValue, for: key) } else { storage.remove(key) }
        }
    }

    public subscript(key: String) -> Value? {
        get { storage.position(of: key).map { storage.values[$0] } }
        set { self[.string(key)] = newValue }
    }

    public func makeIterator() -> Iterator {
        Iterator(storage: storage)
    }

    /// Walks the entries in insertion order.
    public struct Iterator: IteratorProtocol {
        fileprivate let storage: Storage
        private var position = 0

        fileprivate init(storage: Storage) {
            self.storage = storage
        }

        public mutating func next() -> (key: Value, value: Value)? {
            guard position < storage.keys.count else { return nil }
            defer { position += 1 }
            return (storage.keys[position], storage.values[position])
        }
    }

    /// Equality ignores order, as Python's dict equality does.
    public static func == (lhs: ValueDictionary, rhs: ValueDictionary) -> Bool {
        if lhs.storage === rhs.storage { return true }
        guard lhs.count == rhs.count else { return false }
        for (position, key) in lhs.storage.keys.enumerated() {
            guard let other = rhs.storage.position(of: key), rhs.storage.values[other] == lhs.storage.values[position]
            else { return false }
        }
        return true
    }

    /// Order-independent, to agree with `==`: the entries' own hashes are combined with XOR.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for position in storage.keys.indices {
            var entry = Hasher()
            entry.combine(storage.keys[position])
            entry.combine(storage.values[position])
            combined ^= entry.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension ValueDictionary {
    /// The entries behind a ``ValueDictionary``. Only mutated while uniquely referenced (the
    /// struct copies it first otherwise), which is what makes the unchecked `Sendable` sound,
    /// and never re-entrantly, so the runtime exclusivity checks (a measurable share of every
    /// attribute lookup) are switched off for its properties.
    fileprivate final class Storage: @unchecked Sendable {
        /// Above this many entries a lookup hashes the key instead of comparing every key.
        static let linearSearchLimit = 8
        static let empty = Storage()

        @exclusivity(unchecked) var keys: [Value] = []
        @exclusivity(unchecked) var values: [Value] = []
        /// Key → position; only built once the dictionary outgrows ``linearSearchLimit``.
        @exclusivity(unchecked) var index: [Value: Int]?

        func copy() -> Storage {
            let copy = Storage()
            copy.keys = keys
            copy.values = values
            copy.index = index
            return copy
        }

        func position(of key: Value) -> Int? {
            if let index { return index[key] }
            if case .string(let name) = key { return position(of: name) }
            return keys.firstIndex(of: key)
        }

        func position(of name: String) -> Int? {
            if let index { return index[.string(name)] }
            let length = name.utf8.count
            for position in keys.indices {
                // Comparing lengths first skips most non-matching keys without a string comparison.
                if case .string(let key) = keys[position], key.utf8.count == length, key == name { return position }
            }
            return nil
        }

        func set(_ value: Value, for key: Value) {
            if let position = position(of: key) {
                values[position] = value
                return
            }
            keys.append(key)
            values.append(value)
            if index != nil {
                index?[key] = keys.count - 1
            } else if keys.count > Self.linearSearchLimit {
                rebuildIndex()
            }
        }

        func remove(_ key: Value) {
            guard let position = position(of: key) else { return }
            keys.remove(at: position)
            values.remove(at: position)
            if index != nil { rebuildIndex() }
        }

        private func rebuildIndex() {
            var index: [Value: Int] = [:]
            index.reserveCapacity(keys.count)
            for (position, key) in keys.enumerated() { index[key] = position }
            self.index = index
        }
    }
}
