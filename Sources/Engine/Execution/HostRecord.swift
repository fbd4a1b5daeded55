import Templating

/// What the run knows about one host, kept across plays: its inventory variables (already
/// split into precedence layers, extra vars included) and the variables tasks have set.
public struct HostRecord: Sendable {
    public var name: String
    /// Groups the host belongs to, `all` first.
    public var groups: [String]
    /// Inventory layers plus extra vars; the play and task layers are added per task.
    public var baseLayers: VariableLayers
    /// Gathered facts (the `hostFacts` layer), keyed without the `ansible_` prefix as `ansible_facts` shows them.
    public var facts = ValueDictionary()
    /// `set_fact: … cacheable: true` values, which also live in the `hostFacts` layer under their own names.
    public var cachedFacts: [String: VariableLayers.Entry] = [:]
    /// `set_fact` and `register` (the `setFacts` layer).
    public var setFacts: [String: VariableLayers.Entry] = [:]
    /// `include_vars` (the `includeVars` layer).
    public var includedVars: [String: VariableLayers.Entry] = [:]

    public init(name: String, groups: [String], baseLayers: VariableLayers) {
        self.name = name
        self.groups = groups
        self.baseLayers = baseLayers
    }

    private static let noFacts: [String: VariableLayers.Entry] = ["ansible_facts": .init(.dict(ValueDictionary()))]

    /// Base layers with the host's run-time variables filled in.
    public var layers: VariableLayers {
        var layers = baseLayers
        if !facts.isEmpty {
            layers.merge(FactInjection.layer(for: facts), into: .hostFacts)
        } else {
            // Ansible defines `ansible_facts` (empty) before any gathering.
            layers.merge(Self.noFacts, into: .hostFacts)
        }
        if !cachedFacts.isEmpty { layers.merge(cachedFacts, into: .hostFacts) }
        if !includedVars.isEmpty { layers.merge(includedVars, into: .includeVars) }
        if !setFacts.isEmpty { layers.merge(setFacts, into: .setFacts) }
        return layers
    }
}

/// How facts become variables: `ansible_facts.x` and, as `inject_facts_as_vars` does, `ansible_x`.
public enum FactInjection {
    /// `ansible_hostname` → `hostname`: setup returns prefixed names, `ansible_facts` holds them bare.
    public static func unprefixed(_ key: Value) -> Value {
        guard case .string(let name) = key, name.hasPrefix("ansible_"), name != "ansible_facts" else { return key }
        return .string(String(name.dropFirst("ansible_".count)))
    }

    public static func layer(for facts: ValueDictionary) -> [String: VariableLayers.Entry] {
        var layer: [String: VariableLayers.Entry] = ["ansible_facts": .init(.dict(facts))]
        for (key, value) in facts {
            guard case .string(let name) = key else { continue }
            layer["ansible_" + name] = .init(value)
        }
        return layer
    }
}
