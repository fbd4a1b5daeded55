import Diagnostics
import Templating

extension YAMLNode {
    /// The node as a typed value: scalars as the loader typed them, mappings as ordered dicts.
    ///
    /// Mapping keys keep their scalar type (`1: x` has an integer key, as in Python).
    public var value: Value {
        switch content {
        case .scalar(let scalar):
            return scalar.value
        case .sequence(let elements):
            return .list(elements.map(\.value))
        case .mapping(let pairs):
            var dictionary = ValueDictionary()
            for pair in pairs {
                dictionary[pair.key.value] = pair.value.value
            }
            return .dict(dictionary)
        }
    }

    /// The location of the node at `path` below this one (string keys for mappings, integer
    /// indices for lists); the deepest node that exists when the path leaves the tree.
    ///
    /// Used to point errors at a module argument or an element of a list.
    public func location(at path: [Value]) -> SourceLocation {
        node(at: path).location
    }

    /// The node at `path`, or the deepest existing ancestor.
    public func node(at path: [Value]) -> YAMLNode {
        var current = self
        for component in path {
            switch (current.content, component) {
            case (.mapping(let pairs), _):
                guard let pair = pairs.first(where: { $0.key.value == component }) else { return current }
                current = pair.value
            case (.sequence(let elements), .int(let index)) where elements.indices.contains(index):
                current = elements[index]
            default:
                return current
            }
        }
        return current
    }

    /// The location of the key `key` in this mapping (where "unknown argument" errors point).
    public func keyLocation(_ key: String) -> SourceLocation? {
        pair(key)?.key.location
    }
}
