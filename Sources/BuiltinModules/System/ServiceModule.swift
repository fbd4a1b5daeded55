import ModuleAPI
import Templating

/// `ansible.builtin.service` and `ansible.builtin.systemd`: start, stop, restart, reload and enable
/// services with whatever manager the target has (see ``ServiceManager``).
public struct ServiceModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.service",
        arguments: ArgumentSpec(
            [
                "name": OptionSpec(.string, required: true),
                "state": OptionSpec(.string, choices: ["reloaded", "restarted", "started", "stopped"]),
                "enabled": OptionSpec(.bool),
                "pattern": OptionSpec(.string),
                "sleep": OptionSpec(.int),
                "arguments": OptionSpec(.string, default: "", aliases: ["args"]),
                "runlevel": OptionSpec(.string, default: "default"),
                "use": OptionSpec(.string, default: "auto"),
            ],
            requiredOneOf: [["state", "enabled"]]))

    public init() {}

    public struct Observed: Sendable {
        var name: String
        var status: ServiceManager.Status
    }

    public struct Change: Sendable {
        var commands: [String]
        var state: String?
        var enabled: Bool?
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        try await ServiceLogic.read(invocation, arguments: ModuleArguments(invocation, for: Self.self))
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        try ServiceLogic.plan(ModuleArguments(invocation, for: Self.self), observed: observed)
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        try await ServiceLogic.apply(invocation, change: change, observed: observed, sleep: ModuleArguments(invocation, for: Self.self).int("sleep"))
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        ServiceLogic.result(observed: observed, arguments: ModuleArguments(invocation, for: Self.self))
    }
}

/// `ansible.builtin.systemd` (also `systemd_service`): the same operations, with systemd's argument names.
/// Where PID 1 is not systemd the same fallbacks apply, so playbooks written for systemd hosts also run in containers.
public struct SystemdModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.systemd", aliases: ["ansible.builtin.systemd_service", "systemd_service"],
        arguments: ArgumentSpec([
            "name": OptionSpec(.string, aliases: ["service", "unit"]),
            "state": OptionSpec(.string, choices: ["reloaded", "restarted", "started", "stopped"]),
            "enabled": OptionSpec(.bool),
            "force": OptionSpec(.bool),
            "masked": OptionSpec(.bool),
            "daemon_reload": OptionSpec(.bool, default: false, aliases: ["daemon-reload"]),
            "daemon_reexec": OptionSpec(.bool, default: false, aliases: ["daemon-reexec"]),
            "scope": OptionSpec(.string, default: "system", choices: ["system", "user", "global"]),
            "no_block": OptionSpec(.bool, default: false),
        ]))

    public init() {}

    public func read(_ invocation: ModuleInvocation) async throws -> ServiceModule.Observed {
        let arguments = ModuleArguments(invocation, for: Self.self)
        if arguments.bool("daemon_reload"), !invocation.checkMode {
            // Ansible reloads unit files before anything else, even when nothing else changes.
            _ = try await TargetShell(invocation).run(
                "[ \"$(cat /proc/1/comm 2>/dev/null)\" != systemd ] || systemctl daemon-reload")
        }
        guard arguments.has("name") else {
            return ServiceModule.Observed(name: "", status: .init(manager: .systemd, running: false, enabled: nil, exists: true))
        }
        return try await ServiceLogic.read(invocation, arguments: arguments)
    }

    public func plan(_ invocation: ModuleInvocation, observed: ServiceModule.Observed) throws -> Planned<ServiceModule.Change>? {
        let arguments = ModuleArguments(invocation, for: Self.self)
        guard arguments.has("name") else {
            if arguments.bool("daemon_reload") || arguments.bool("daemon_reexec") { return nil }
            throw ModuleFailure("one of the following is required: name, daemon_reload, daemon_reexec")
        }
        return try ServiceLogic.plan(arguments, observed: observed)
    }

    public func apply(_ invocation: ModuleInvocation, change: ServiceModule.Change, observed: ServiceModule.Observed) async throws -> ModuleResult {
        try await ServiceLogic.apply(invocation, change: change, observed: observed, sleep: nil)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: ServiceModule.Observed) -> ModuleResult {
        ServiceLogic.result(observed: observed, arguments: ModuleArguments(invocation, for: Self.self))
    }
}

/// What service and systemd share.
enum ServiceLogic {
    static func read(_ invocation: ModuleInvocation, arguments: ModuleArguments) async throws -> ServiceModule.Observed {
        let name = try arguments.requiredString("name")
        let output = try await TargetShell(invocation).run(
            ServiceManager.statusScript(name: name, pattern: arguments.string("pattern")))
        return ServiceModule.Observed(name: name, status: ServiceManager.parseStatus(output.stdoutText))
    }

    static func plan(_ arguments: ModuleArguments, observed: ServiceModule.Observed) throws -> Planned<ServiceModule.Change>? {
        let status = observed.status
        let name = observed.name
        let state = arguments.string("state")
        let enabled = arguments.optionalBool("enabled")
        guard status.exists || status.running else {
            throw ModuleFailure("Could not find the requested service \(name): host")
        }
        let pattern = arguments.string("pattern")
        let extra = arguments.string("arguments").flatMap { $0.isEmpty ? nil : $0 }
        var commands: [String] = []
        switch state {
        case "started" where !status.running:
            commands.append(status.manager.command("start", name: name, pattern: pattern, arguments: extra))
        case "stopped" where status.running:
            commands.append(status.manager.command("stop", name: name, pattern: pattern, arguments: extra))
        case "restarted":
            commands.append(status.manager.command(status.running ? "restart" : "start", name: name, pattern: pattern, arguments: extra))
        case "reloaded":
            // Reloading a stopped service starts it, as Ansible does.
            commands.append(status.manager.command(status.running ? "reload" : "start", name: name, pattern: pattern, arguments: extra))
        default: break
        }
        if let enabled, status.enabled != enabled {
            guard let command = status.manager.enableCommand(enabled, name: name) else {
                throw ModuleFailure("Could not \(enabled ? "enable" : "disable") service \(name): no init system manages it on this host")
            }
            commands.append(command)
        }
        guard !commands.isEmpty else { return nil }
        var before = [("name", name), ("state", status.running ? "started" : "stopped")]
        var after = [("name", name), ("state", ["stopped": "stopped"][state ?? ""] ?? (state == nil ? (status.running ? "started" : "stopped") : "started"))]
        if let enabled {
            before.append(("enabled", status.enabled == true ? "true" : "false"))
            after.append(("enabled", enabled ? "true" : "false"))
        }
        return Planned(
            ServiceModule.Change(commands: commands, state: state, enabled: enabled),
            diffs: [FileDiff(before: DiffText.object(before), after: DiffText.object(after))])
    }

    static func apply(
        _ invocation: ModuleInvocation, change: ServiceModule.Change, observed: ServiceModule.Observed, sleep: Int?
    ) async throws -> ModuleResult {
        let shell = TargetShell(invocation)
        for command in change.commands {
            let output = try await shell.run(command)
            guard output.exitStatus == 0 else {
                let detail = (output.stderrText + output.stdoutText).trimmingCharacters(in: .whitespacesAndNewlines)
                throw ModuleFailure(
                    "Unable to \(change.state.map(verb) ?? "change") service \(observed.name): \(detail)",
                    values: TargetShell.outputValues(output))
            }
            if let sleep, sleep > 0 { try await Task.sleep(nanoseconds: UInt64(sleep) * 1_000_000_000) }
        }
        var result = ModuleResult(changed: true, values: ValueDictionary(["name": .string(observed.name)]))
        if let state = change.state { result.values["state"] = .string(state) }
        if let enabled = change.enabled { result.values["enabled"] = .bool(enabled) }
        return result
    }

    static func verb(_ state: String) -> String {
        ["started": "start", "stopped": "stop", "restarted": "restart", "reloaded": "reload"][state] ?? state
    }

    static func result(observed: ServiceModule.Observed, arguments: ModuleArguments) -> ModuleResult {
        var values = ValueDictionary(["name": .string(observed.name)])
        values["state"] = .string(arguments.string("state") ?? (observed.status.running ? "started" : "stopped"))
        if let enabled = arguments.optionalBool("enabled") ?? observed.status.enabled { values["enabled"] = .bool(enabled) }
        values["status"] = .dict(
            ValueDictionary([
                "ActiveState": .string(observed.status.running ? "active" : "inactive"),
                "manager": .string(observed.status.manager.rawValue),
            ]))
        return ModuleResult(values: values)
    }
}
