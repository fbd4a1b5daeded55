import Diagnostics
import Templating

/// Variables as written in `vars:`, a vars file, `group_vars/` or role defaults: names in order,
/// each value with its location (variable values are templated lazily by the engine).
public struct Variables: Sendable, Hashable {
    /// One variable definition.
    public struct Definition: Sendable, Hashable {
        public var name: String
        public var value: LocatedValue
        /// Where the name is written.
        public var location: SourceLocation

        public init(name: String, value: LocatedValue, location: SourceLocation) {
            self.name = name
            self.value = value
            self.location = location
        }
    }

    public private(set) var definitions: [Definition] = []

    public init() {}

    public init(_ definitions: [Definition]) {
        for definition in definitions { set(definition) }
    }

    /// Adds or replaces a definition (a later definition of the same name wins, in its new place).
    public mutating func set(_ definition: Definition) {
        definitions.removeAll { $0.name == definition.name }
        definitions.append(definition)
    }

    /// Adds every definition of `other`, replacing same-named ones.
    public mutating func merge(_ other: Variables) {
        for definition in other.definitions { set(definition) }
    }

    public var isEmpty: Bool { definitions.isEmpty }

    public subscript(name: String) -> Definition? {
        definitions.last { $0.name == name }
    }

    /// The plain values, in definition order.
    public var dictionary: ValueDictionary {
        var dictionary = ValueDictionary()
        for definition in definitions { dictionary[definition.name] = definition.value.value }
        return dictionary
    }
}
