import Diagnostics
import Templating

/// One host's variables for one task, kept as separate precedence layers (see ``VariableSource``).
///
/// Lookup walks the layers from the highest precedence down and stops at the first layer that
/// defines the name, which is Ansible's default `hash_behaviour=replace`: a dictionary defined at a
/// higher level replaces the whole dictionary of a lower level. Layers are plain dictionaries and
/// the struct is a value, so building the layers for a task is cheap copy-on-write sharing.
public struct VariableLayers: Sendable {
    /// A variable's raw (untemplated) value and where it was defined, when known.
    public struct Entry: Sendable {
        public var value: Value
        public var origin: SourceLocation?

        public init(_ value: Value, origin: SourceLocation? = nil) {
            self.value = value
            self.origin = origin
        }
    }

    private var layers: [[String: Entry]]

    public init() {
        layers = Array(repeating: [:], count: VariableSource.allCases.count)
    }

    private static func index(_ source: VariableSource) -> Int { source.rawValue - 1 }

    /// Sets one variable in one layer, replacing what that layer held for the name.
    public mutating func set(_ name: String, to value: Value, in source: VariableSource, origin: SourceLocation? = nil) {
        layers[Self.index(source)][name] = Entry(value, origin: origin)
    }

    /// Merges a dictionary of variables into one layer; later calls override earlier ones, which is
    /// how nested blocks, several groups or several `vars_files` combine within one level.
    public mutating func merge(_ variables: ValueDictionary, into source: VariableSource, origin: SourceLocation? = nil) {
        let index = Self.index(source)
        for (key, value) in variables {
            guard case .string(let name) = key else { continue }
            layers[index][name] = Entry(value, origin: origin)
        }
    }

    /// Merges located entries into one layer.
    public mutating func merge(_ entries: [String: Entry], into source: VariableSource) {
        let index = Self.index(source)
        if layers[index].isEmpty {
            layers[index] = entries
        } else {
            layers[index].merge(entries) { _, new in new }
        }
    }

    /// Removes every variable of one layer.
    public mutating func clear(_ source: VariableSource) {
        layers[Self.index(source)] = [:]
    }

    /// The winning entry for `name` and the layer it comes from.
    public func lookup(_ name: String) -> (entry: Entry, source: VariableSource)? {
        for index in stride(from: layers.count - 1, through: 0, by: -1) {
            if let entry = layers[index][name], let source = VariableSource(rawValue: index + 1) {
                return (entry, source)
            }
        }
        return nil
    }

    /// The variables of one layer.
    public func variables(in source: VariableSource) -> [String: Entry] {
        layers[Self.index(source)]
    }

    /// Every defined name with its winning raw value, in no particular order (for `vars`, `hostvars`).
    public var flattened: [String: Entry] {
        var result: [String: Entry] = [:]
        for layer in layers { result.merge(layer) { _, new in new } }
        return result
    }
}
