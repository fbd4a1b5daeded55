import ModuleAPI
import Templating

/// `ansible.builtin.group`: local groups through getent/groupadd/groupmod/groupdel.
public struct GroupModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.group",
        arguments: ArgumentSpec([
            "name": OptionSpec(.string, required: true),
            "state": OptionSpec(.string, default: "present", choices: ["absent", "present"]),
            "gid": OptionSpec(.int),
            "system": OptionSpec(.bool, default: false),
            "local": OptionSpec(.bool, default: false),
            "non_unique": OptionSpec(.bool, default: false),
        ]))

    public init() {}

    public struct Observed: Sendable {
        var name: String
        /// `getent group` fields, nil when the group does not exist.
        var gid: Int?
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let name = try ModuleArguments(invocation, for: Self.self).requiredString("name")
        let output = try await TargetShell(invocation).run("getent group \(Shell.quote(name))")
        let fields = output.stdoutText.trimmingTrailingNewlines.split(separator: ":", omittingEmptySubsequences: false)
        return Observed(name: name, gid: output.exitStatus == 0 && fields.count >= 3 ? Int(fields[2]) : nil)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<String>? {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let name = Shell.quote(observed.name)
        if arguments.string("state") == "absent" {
            return observed.gid == nil ? nil : Planned("groupdel \(name)")
        }
        let gid = arguments.int("gid")
        let nonUnique = arguments.bool("non_unique") ? " -o" : ""
        guard let current = observed.gid else {
            var command = "groupadd"
            if let gid { command += " -g \(gid)\(nonUnique)" }
            if arguments.bool("system") { command += " -r" }
            return Planned(command + " \(name)")
        }
        if let gid, gid != current { return Planned("groupmod -g \(gid)\(nonUnique) \(name)") }
        return nil
    }

    public func apply(_ invocation: ModuleInvocation, change: String, observed: Observed) async throws -> ModuleResult {
        try await TargetShell(invocation).check(change, failureMessage: "\(change.split(separator: " ").first ?? "") failed")
        let now = try await read(invocation)
        return ModuleResult(changed: true, values: Self.values(now, state: ModuleArguments(invocation, for: Self.self).string("state") ?? "present"))
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        ModuleResult(values: Self.values(observed, state: ModuleArguments(invocation, for: Self.self).string("state") ?? "present"))
    }

    static func values(_ observed: Observed, state: String) -> ValueDictionary {
        var values = ValueDictionary(["name": .string(observed.name), "state": .string(state)])
        if let gid = observed.gid { values["gid"] = .int(gid) }
        return values
    }
}

/// `ansible.builtin.user`: local accounts through getent/id and useradd/usermod/userdel.
public struct UserModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.user",
        arguments: ArgumentSpec([
            "name": OptionSpec(.string, required: true, aliases: ["user"]),
            "state": OptionSpec(.string, default: "present", choices: ["absent", "present"]),
            "uid": OptionSpec(.int),
            "group": OptionSpec(.string),
            "groups": OptionSpec(.list(elements: .string)),
            "append": OptionSpec(.bool, default: false),
            "comment": OptionSpec(.string),
            "home": OptionSpec(.path),
            "shell": OptionSpec(.string),
            "password": OptionSpec(.string, noLog: true),
            "create_home": OptionSpec(.bool, default: true, aliases: ["createhome"]),
            "move_home": OptionSpec(.bool, default: false),
            "system": OptionSpec(.bool, default: false),
            "remove": OptionSpec(.bool, default: false),
            "force": OptionSpec(.bool, default: false),
            "non_unique": OptionSpec(.bool, default: false),
            "password_lock": OptionSpec(.bool),
            "expires": OptionSpec(.float),
            "update_password": OptionSpec(.string, default: "always", choices: ["always", "on_create"]),
        ]))

    public init() {}

    public struct Observed: Sendable {
        var name: String
        /// `getent passwd` fields: name, x, uid, gid, gecos, home, shell.
        var entry: [String]?
        var primaryGroup: String?
        var groups: [String]
        var passwordHash: String?
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let name = try ModuleArguments(invocation, for: Self.self).requiredString("name")
        let quoted = Shell.quote(name)
        let output = try await TargetShell(invocation).run(
            "getent passwd \(quoted) || exit 2; echo; id -gn \(quoted); id -Gn \(quoted); getent shadow \(quoted) 2>/dev/null | cut -d: -f2")
        guard output.exitStatus == 0 else { return Observed(name: name, entry: nil, groups: []) }
        let lines = output.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let entry = lines.first?.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let primary = lines.count > 2 ? lines[2] : nil
        let groups = lines.count > 3 ? lines[3].split(separator: " ").map(String.init).filter { $0 != primary } : []
        let hash = lines.count > 4 && !lines[4].isEmpty ? lines[4] : nil
        return Observed(name: name, entry: entry, primaryGroup: primary, groups: groups, passwordHash: hash)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<String>? {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let name = Shell.quote(observed.name)
        if arguments.string("state") == "absent" {
            guard observed.entry != nil else { return nil }
            return Planned("userdel\(arguments.bool("remove") ? " -r" : "")\(arguments.bool("force") ? " -f" : "") \(name)")
        }
        var options: [String] = []
        let entry = observed.entry
        func field(_ index: Int) -> String? { entry.flatMap { index < $0.count ? $0[index] : nil } }
        if let uid = arguments.int("uid"), field(2) != String(uid) {
            options.append("-u \(uid)" + (arguments.bool("non_unique") ? " -o" : ""))
        }
        if let group = arguments.string("group"), group != observed.primaryGroup, group != field(3) {
            options.append("-g \(Shell.quote(group))")
        }
        if let comment = arguments.string("comment"), comment != field(4) { options.append("-c \(Shell.quote(comment))") }
        if let home = arguments.string("home"), home != field(5) {
            options.append("-d \(Shell.quote(home))" + (entry != nil && arguments.bool("move_home") ? " -m" : ""))
        }
        if let shell = arguments.string("shell"), shell != field(6) { options.append("-s \(Shell.quote(shell))") }
        if let password = arguments.string("password"), password != observed.passwordHash,
            entry == nil || arguments.string("update_password") != "on_create"
        {
            options.append("-p \(Shell.quote(password))")
        }
        if let wanted = arguments.stringList("groups") {
            let append = arguments.bool("append")
            let current = Set(observed.groups)
            let missing = wanted.filter { !current.contains($0) }
            if !missing.isEmpty || (!append && entry != nil && current != Set(wanted)) {
                options.append("-G \(Shell.quote(wanted.joined(separator: ",")))" + (append && entry != nil ? " -a" : ""))
            }
        }
        guard entry != nil else {
            var command = "useradd"
            if arguments.bool("system") { command += " -r" }
            command += arguments.bool("create_home", default: true) ? " -m" : " -M"
            return Planned(([command] + options + [name]).joined(separator: " "))
        }
        guard !options.isEmpty else { return nil }
        return Planned((["usermod"] + options + [name]).joined(separator: " "))
    }

    public func apply(_ invocation: ModuleInvocation, change: String, observed: Observed) async throws -> ModuleResult {
        try await TargetShell(invocation).check(change, failureMessage: "\(change.split(separator: " ").first ?? "") failed")
        var result = unchanged(invocation, observed: try await read(invocation))
        result.changed = true
        return result
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        let arguments = ModuleArguments(invocation, for: Self.self)
        var values = ValueDictionary([
            "name": .string(observed.name), "state": .string(arguments.string("state") ?? "present"),
        ])
        if let entry = observed.entry, entry.count >= 7 {
            values["uid"] = .int(Int(entry[2]) ?? 0)
            values["group"] = .int(Int(entry[3]) ?? 0)
            values["comment"] = .string(entry[4])
            values["home"] = .string(entry[5])
            values["shell"] = .string(entry[6])
            values["groups"] = .string(observed.groups.joined(separator: ","))
            values["system"] = .bool(arguments.bool("system"))
        }
        return ModuleResult(values: values)
    }
}
