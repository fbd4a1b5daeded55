import ModuleAPI
import Templating

/// `ansible.builtin.hostname`: the running hostname and `/etc/hostname` (hostnamectl under systemd).
public struct HostnameModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.hostname",
        arguments: ArgumentSpec([
            "name": OptionSpec(.string, required: true),
            "use": OptionSpec(.string),
        ]))

    public init() {}

    public struct Observed: Sendable {
        var running: String
        var permanent: String
        var systemd: Bool
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let output = try await TargetShell(invocation).run(
            "hostname 2>/dev/null || cat /proc/sys/kernel/hostname; cat /etc/hostname 2>/dev/null | head -1; echo; "
                + "[ \"$(cat /proc/1/comm 2>/dev/null)\" = systemd ] && command -v hostnamectl >/dev/null && echo systemd")
        let lines = output.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return Observed(
            running: lines.first ?? "", permanent: lines.count > 1 ? lines[1] : "",
            systemd: lines.contains("systemd"))
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<String>? {
        let name = try ModuleArguments(invocation, for: Self.self).requiredString("name")
        guard observed.running != name || observed.permanent != name else { return nil }
        let quoted = Shell.quote(name)
        let command = observed.systemd
            ? "hostnamectl set-hostname \(quoted)"
            : "hostname \(quoted) && printf '%s\\n' \(quoted) > /etc/hostname"
        return Planned(
            command,
            diffs: [FileDiff(before: "hostname = \(observed.running)\n", after: "hostname = \(name)\n")])
    }

    public func apply(_ invocation: ModuleInvocation, change: String, observed: Observed) async throws -> ModuleResult {
        try await TargetShell(invocation).check(change, failureMessage: "Command failed")
        var result = unchanged(invocation, observed: observed)
        result.changed = true
        return result
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        let name = ModuleArguments(invocation, for: Self.self).string("name") ?? observed.running
        let short = String(name.split(separator: ".").first ?? "")
        let domain = name.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        return ModuleResult(
            values: ValueDictionary(["name": .string(name)]),
            facts: ValueDictionary([
                "ansible_hostname": .string(short), "ansible_nodename": .string(name), "ansible_fqdn": .string(name),
                "ansible_domain": .string(domain),
            ]))
    }
}
