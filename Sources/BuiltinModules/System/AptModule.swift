import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.apt`: Debian packages through dpkg-query (read) and apt-get (apply).
public struct AptModule: StatefulModule {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.apt",
        arguments: ArgumentSpec([
            "name": OptionSpec(.list(elements: .string), aliases: ["package", "pkg"]),
            "state": OptionSpec(
                .string, default: "present",
                choices: ["absent", "build-dep", "latest", "present", "fixed", "installed", "removed"]),
            "update_cache": OptionSpec(.bool, aliases: ["update-cache"]),
            "cache_valid_time": OptionSpec(.int, default: 0),
            "purge": OptionSpec(.bool, default: false),
            "install_recommends": OptionSpec(.bool, aliases: ["install-recommends"]),
            "autoremove": OptionSpec(.bool, default: false),
            "force": OptionSpec(.bool, default: false),
            "default_release": OptionSpec(.string, aliases: ["default-release"]),
            "only_upgrade": OptionSpec(.bool, default: false),
            "allow_unauthenticated": OptionSpec(.bool, default: false, aliases: ["allow-unauthenticated"]),
            "dpkg_options": OptionSpec(.string, default: "force-confdef,force-confold"),
            "lock_timeout": OptionSpec(.int, default: 60),
        ]))

    public init() {}

    /// One requested package: `nginx` or `nginx=1.22.1-9`.
    struct Request: Sendable {
        var name: String
        var version: String?
    }

    public struct Observed: Sendable {
        var requests: [Request]
        /// Installed version per package name (absent when not installed).
        var installed: [String: String]
        /// Candidate version per package name from `apt-cache policy` (absent when none).
        var candidates: [String: String]
        /// Seconds since the package lists were last updated, nil when unknown.
        var cacheAge: Int?
    }

    public struct Change: Sendable {
        var updateCache: Bool
        var install: [String]
        var remove: [String]
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let requests = (arguments.stringList("name") ?? []).map { item -> Request in
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            return Request(name: parts[0], version: parts.count > 1 ? parts[1] : nil)
        }
        let names = requests.map { Shell.quote($0.name) }.joined(separator: " ")
        var script = """
            command -v dpkg-query >/dev/null 2>&1 || { echo 'apt is not available on this host' >&2; exit 3; }
            echo '@@stamp'
            for f in /var/lib/apt/periodic/update-success-stamp /var/lib/apt/lists; do [ -e "$f" ] && { echo $(( $(date +%s) - $(stat -c %Y "$f") )); break; }; done
            """
        if !requests.isEmpty {
            script += "\necho '@@installed'; dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' \(names) 2>/dev/null"
            script += "\necho '@@policy'; apt-cache policy \(names) 2>/dev/null"
        }
        let output = try await TargetShell(invocation).run(script, timeout: 120)
        if output.exitStatus == 3 { throw ModuleFailure(output.stderrText.trimmingTrailingNewlines) }
        let sections = Self.sections(output.stdoutText)
        var installed: [String: String] = [:]
        for line in sections["installed"] ?? [] {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            // `ii ` is "installed"; `rc ` (removed, config files left) counts as absent.
            if fields.count == 3, fields[1].hasPrefix("ii") { installed[fields[0]] = fields[2] }
        }
        return Observed(
            requests: requests, installed: installed, candidates: Self.candidates(sections["policy"] ?? []),
            cacheAge: sections["stamp"]?.first.flatMap { Int($0) })
    }

    static func sections(_ text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var current = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("@@") { current = String(line.dropFirst(2)); result[current] = [] } else {
                result[current, default: []].append(String(line))
            }
        }
        return result
    }

    /// `apt-cache policy` → candidate version per package (`(none)` means not installable).
    static func candidates(_ lines: [String]) -> [String: String] {
        var result: [String: String] = [:]
        var package: String?
        for line in lines {
            if !line.hasPrefix(" "), line.hasSuffix(":") {
                package = String(line.dropLast())
            } else if let package, line.trimmingCharacters(in: .whitespaces).hasPrefix("Candidate:") {
                let version = line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
                if version != "(none)" { result[package] = version }
            }
        }
        return result
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let state = arguments.string("state", default: "present")
        let validTime = arguments.int("cache_valid_time") ?? 0
        let updateCache = (arguments.bool("update_cache") || (validTime > 0 && arguments.optionalBool("update_cache") != false))
            && (validTime == 0 || (observed.cacheAge ?? Int.max) > validTime)
        var install: [String] = []
        var remove: [String] = []
        for request in observed.requests {
            let current = observed.installed[request.name]
            switch state {
            case "absent", "removed":
                if current != nil { remove.append(request.name) }
            case "latest":
                guard let candidate = observed.candidates[request.name] else {
                    throw ModuleFailure("No package matching '\(request.name)' is available")
                }
                if current != candidate { install.append(request.name) }
            default:
                if let version = request.version {
                    if let current, Self.matches(current, version) { continue }
                    install.append("\(request.name)=\(version)")
                } else if current == nil {
                    if observed.candidates[request.name] == nil && !updateCache {
                        throw ModuleFailure("No package matching '\(request.name)' is available")
                    }
                    install.append(request.name)
                }
            }
        }
        guard updateCache || !install.isEmpty || !remove.isEmpty else { return nil }
        return Planned(Change(updateCache: updateCache, install: install, remove: remove))
    }

    /// `1.22*` style version patterns, as apt accepts.
    static func matches(_ version: String, _ pattern: String) -> Bool {
        pattern.hasSuffix("*") ? version.hasPrefix(String(pattern.dropLast())) : version == pattern
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let arguments = ModuleArguments(invocation, for: Self.self)
        let shell = TargetShell(invocation)
        var outputs: [CommandOutput] = []
        let options = (arguments.string("dpkg_options") ?? "").split(separator: ",").map { "-o Dpkg::Options::=--\($0)" }
            .joined(separator: " ")
        let environment = "DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true"
        if change.updateCache {
            let output = try await shell.run("apt-get update -q", timeout: 600)
            guard output.exitStatus == 0 else {
                throw ModuleFailure("Failed to update apt cache: \(output.stderrText.trimmingTrailingNewlines)")
            }
            outputs.append(output)
        }
        if !change.install.isEmpty {
            var flags = "-y -q \(options)"
            if let recommends = arguments.optionalBool("install_recommends") {
                flags += recommends ? " --install-recommends" : " --no-install-recommends"
            }
            if let release = arguments.string("default_release") { flags += " -t \(Shell.quote(release))" }
            if arguments.bool("allow_unauthenticated") { flags += " --allow-unauthenticated" }
            if arguments.bool("only_upgrade") { flags += " --only-upgrade" }
            let output = try await shell.run(
                "\(environment) apt-get install \(flags) \(change.install.map(Shell.quote).joined(separator: " "))",
                timeout: 3600)
            guard output.exitStatus == 0 else {
                throw ModuleFailure(
                    "'apt-get install \(change.install.joined(separator: " "))' failed: \(output.stderrText.trimmingTrailingNewlines)",
                    values: TargetShell.outputValues(output))
            }
            outputs.append(output)
        }
        if !change.remove.isEmpty {
            let purge = arguments.bool("purge") ? " --purge" : ""
            let autoremove = arguments.bool("autoremove") ? " --auto-remove" : ""
            let output = try await shell.run(
                "\(environment) apt-get remove -y -q\(purge)\(autoremove) \(change.remove.map(Shell.quote).joined(separator: " "))",
                timeout: 3600)
            guard output.exitStatus == 0 else {
                throw ModuleFailure(
                    "'apt-get remove \(change.remove.joined(separator: " "))' failed: \(output.stderrText.trimmingTrailingNewlines)",
                    values: TargetShell.outputValues(output))
            }
            outputs.append(output)
        }
        var values = ValueDictionary(["cache_updated": .bool(change.updateCache)])
        values["cache_update_time"] = .int(Int(Date().timeIntervalSince1970))
        values["stdout"] = .string(outputs.map(\.stdoutText).joined())
        values["stderr"] = .string(outputs.map(\.stderrText).joined())
        values["stdout_lines"] = .list(outputs.map(\.stdoutText).joined().ansibleLines.map(Value.string))
        // Refreshing the cache counts as a change on its own, as in Ansible's apt.
        return ModuleResult(changed: !change.install.isEmpty || !change.remove.isEmpty || change.updateCache, values: values)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        ModuleResult(values: ValueDictionary(["cache_updated": false]))
    }
}

/// `ansible.builtin.package`: the generic package module; dispatches on the target's package manager.
public struct PackageModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.package",
        arguments: ArgumentSpec([
            "name": OptionSpec(.list(elements: .string), required: true),
            "state": OptionSpec(.string, required: true),
            "use": OptionSpec(.string, default: "auto"),
        ], passesOtherArguments: true))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            var manager = arguments.string("use", default: "auto")
            if manager == "auto" {
                if case .dict(let facts)? = try? invocation.variables.value(of: "ansible_facts"),
                    let known = facts["pkg_mgr"]?.string
                {
                    manager = known
                } else {
                    let output = try await TargetShell(invocation).run(
                        "for m in apt-get dnf yum apk zypper pacman; do command -v $m >/dev/null 2>&1 && { echo $m; exit 0; }; done")
                    manager = output.stdoutText.trimmingTrailingNewlines
                }
            }
            guard manager == "apt" || manager == "apt-get" else {
                throw ModuleFailure(
                    manager.isEmpty
                        ? "Could not detect which package manager to use. Try gathering facts or setting the \"use\" option."
                        : "package manager '\(manager)' is not supported by stackplay (supported: apt)")
            }
            // As ansible-core's action plugin: everything but `use` goes to the backend, which checks it.
            var forwarded = ValueDictionary()
            for (key, value) in invocation.arguments where key != "use" { forwarded[key] = value }
            var aptInvocation = invocation
            do {
                aptInvocation.arguments = try ArgumentValidation.validate(
                    forwarded, against: AptModule.spec.arguments, module: AptModule.spec.name, location: nil,
                    skipTemplated: false)
            } catch let error as ArgumentError {
                throw ModuleFailure(error.message)
            }
            return try await AptModule().run(aptInvocation)
        }
    }
}
