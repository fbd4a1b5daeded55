import Foundation
import ModuleAPI
import Templating

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Gathers Ansible's facts (`ansible_hostname`, `ansible_default_ipv4`, `ansible_mounts`, …) over
/// any ``Connection`` with one shell command — no Python on the target.
public enum FactGatherer {
    /// The facts of the host behind `connection`, keyed with the `ansible_` prefix as Ansible's
    /// `setup` returns them, plus `gather_subset` and `module_setup`.
    ///
    /// - Parameters:
    ///   - subset: `gather_subset` entries (`all`, `min`, `network`, `hardware`, `virtual`, `!name`).
    ///   - filter: shell-style patterns (`ansible_eth*`); empty keeps every fact.
    ///   - timeout: `gather_timeout` in seconds.
    public static func gather(
        over connection: any Connection, subset: [String] = ["all"], filter: [String] = [], timeout: Double? = 10,
        become: BecomeRequest? = nil
    ) async throws -> ValueDictionary {
        let subsets = try FactSubset.resolve(subset)
        // A fixed locale keeps `date` and tool output in the formats the parsers expect.
        let output = try await connection.execute(
            CommandRequest(
                FactScript.script(for: subsets), environment: ["LC_ALL": "C"], become: become, timeout: timeout))
        return facts(from: output.stdoutText, subsets: subsets, requested: subset, filter: filter)
    }

    /// Parses the fact script's output.
    static func facts(from output: String, subsets: Set<FactSubset>, requested: [String], filter: [String])
        -> ValueDictionary
    {
        let sections = FactScript.sections(of: output)
        var facts = ValueDictionary()
        PlatformFacts.collect(sections, into: &facts)
        if subsets.contains(.network) { NetworkFacts.collect(sections, into: &facts) }
        if subsets.contains(.hardware) { HardwareFacts.collect(sections, into: &facts) }
        if subsets.contains(.virtual) { collectVirtual(sections["virtual"] ?? [], into: &facts) }
        if !filter.isEmpty {
            var kept = ValueDictionary()
            for (key, value) in facts {
                guard let name = key.string, filter.contains(where: { fnmatch($0, name, 0) == 0 }) else { continue }
                kept[key] = value
            }
            facts = kept
        }
        facts["gather_subset"] = .list((requested.isEmpty ? ["all"] : requested).map(Value.string))
        facts["module_setup"] = true
        return facts
    }

    static func collectVirtual(_ lines: [String], into facts: inout ValueDictionary) {
        let detected = lines.first { !$0.isEmpty && $0 != "none" }
        facts["ansible_virtualization_type"] = .string(detected ?? "NA")
        facts["ansible_virtualization_role"] = .string(detected == nil ? "NA" : "guest")
    }
}

/// `ansible.builtin.setup` (what `gather_facts` runs): the host's facts as `ansible_facts`.
public struct SetupModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.setup", aliases: ["ansible.builtin.gather_facts", "gather_facts"],
        arguments: ArgumentSpec([
            "gather_subset": OptionSpec(.list(elements: .string), default: ["all"]),
            "gather_timeout": OptionSpec(.int, default: 10),
            "filter": OptionSpec(.list(elements: .string), default: []),
            "fact_path": OptionSpec(.path, default: "/etc/ansible/facts.d"),
        ]))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let facts = try await FactGatherer.gather(
                over: invocation.connection, subset: arguments.stringList("gather_subset") ?? ["all"],
                filter: arguments.stringList("filter") ?? [], timeout: arguments.double("gather_timeout") ?? 10,
                become: invocation.become)
            return ModuleResult(facts: facts)
        }
    }
}
