/// An insertion-ordered dictionary of values, with Python dict semantics: keys are any hashable
/// ``Value`` (in practice almost always strings), iteration follows insertion order, and
/// replacing a key keeps its original position.
public struct ValueDictionary: Sendable, Hashable, Sequence {
    public private(set) var keys: [Value] = []
    private var storage: [Value: Value] = [:]

    public init() {}

    public init(_ pairs: [(Value, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: Value) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public subscript(key: String) -> Value? {
        get { storage[.string(key)] }
        set { self[.string(key)] = newValue }
    }

    /// The values, in key order.
    public var values: [Value] { keys.map { storage[$0] ?? .none } }

    public func makeIterator() -> AnyIterator<(key: Value, value: Value)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            let key = keys[index]
            return (key, storage[key] ?? .none)
        }
    }

    /// Equality ignores order, as Python's dict equality does.
    public static func == (lhs: ValueDictionary, rhs: ValueDictionary) -> Bool {
        lhs.storage == rhs.storage
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage)
    }
}
