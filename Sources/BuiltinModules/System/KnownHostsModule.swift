import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.known_hosts`: adds, replaces or removes a host's key in a `known_hosts` file.
/// The file is read in one command and edited here (the module's `ssh-keygen -F`/`-R` lookups are
/// reproduced by ``KnownHosts``), with ansible-core's messages, diff and `path.old` backup on removal.
public struct KnownHostsModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.known_hosts",
        arguments: ArgumentSpec([
            "name": OptionSpec(.string, required: true, aliases: ["host"]),
            "key": OptionSpec(.string),
            "path": OptionSpec(.path, default: "~/.ssh/known_hosts"),
            "hash_host": OptionSpec(.bool, default: false),
            "state": OptionSpec(.string, default: "present", choices: ["absent", "present"]),
        ]))

    public init() {}

    /// The file as the target holds it.
    struct Observed: Sendable {
        var path: String
        var content: String?
        var mode: UInt16?
        var umask: UInt16
    }

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let name = try arguments.requiredString("name")
            let host = name.lowercased()
            let state = arguments.string("state", default: "present")
            var key = arguments.string("key").flatMap { $0.isEmpty ? nil : $0 }
            guard key != nil || state == "absent" else { throw ModuleFailure("No key specified when adding a host") }
            if let given = key, arguments.bool("hash_host") { key = KnownHosts.hashHost(host, in: given) }
            if let given = key, !given.hasSuffix("\n") { key = given + "\n" }
            if let key { try Self.sanityCheck(host: host, key: key) }

            let shell = TargetShell(invocation)
            let observed = try await Self.read(arguments.string("path", default: "~/.ssh/known_hosts"), shell: shell)
            var values = ValueDictionary()
            for option in ["name", "key", "hash_host", "state"] { values[option] = arguments.value(option) ?? Value.none }
            values["path"] = .string(observed.path)

            let lines = TextLines(observed.content ?? "").lines
            let search = KnownHosts.search(lines: lines, host: host, key: key)
            let diff = Self.diff(observed, lines: lines, search: search, state: state, key: key)
            var result = ModuleResult(values: values, diffs: [diff])
            if state == "absent" && search.line == nil && key != nil { return try await Self.withPathInfo(result, shell) }
            if invocation.checkMode {
                // ansible-core exits from inside enforce_state here: only `changed` and `diff`, no parameters.
                return ModuleResult(changed: search.replaceOrAdd || (state == "present") != search.found, diffs: [diff])
            }
            var remaining = lines
            var backup: String?
            if search.found && key == nil && state == "absent" {
                // `ssh-keygen -R`: every entry for the host goes (CA and revocation lines stay); the
                // old file is kept as `path.old`.
                remaining = lines.filter { line in
                    guard KnownHosts.lineMatches(line, host: host) else { return true }
                    return KnownHosts.NormalizedKey(line)?.options?.hasPrefix("@") == true
                }
                backup = observed.content
                result.changed = true
            }
            guard search.replaceOrAdd || search.found != (state == "present") else {
                return try await Self.withPathInfo(result, shell)
            }
            var output = ""
            for (index, line) in remaining.enumerated() {
                if search.line == index + 1, search.replaceOrAdd || state == "absent" { continue }
                output += line
            }
            if state == "present", let key { output += key }
            try await Self.write(output, backup: backup, observed: observed, shell: shell)
            result.changed = true
            return try await Self.withPathInfo(result, shell)
        }
    }

    private static func withPathInfo(_ result: ModuleResult, _ shell: TargetShell) async throws -> ModuleResult {
        var result = result
        try await PathInfo.add(to: &result.values, shell: shell)
        return result
    }

    /// The host must match the key's own host field, and be a single name.
    static func sanityCheck(host: String, key: String) throws(ModuleFailure) {
        if host.range(of: #"\S+(\s+)?,(\s+)?"#, options: .regularExpression) != nil {
            throw ModuleFailure(
                "Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.")
        }
        let matches = TextLines(key).lines.contains { KnownHosts.lineMatches($0, host: host) }
        if !matches {
            throw ModuleFailure("Host parameter does not match hashed host field in supplied key", values: ["rc": 1])
        }
    }

    /// ansible-core's `compute_diff`.
    static func diff(
        _ observed: Observed, lines: [String], search: (found: Bool, replaceOrAdd: Bool, line: Int?), state: String,
        key: String?
    ) -> FileDiff {
        var after = lines
        if search.replaceOrAdd || state == "absent", let line = search.line, (1...after.count).contains(line) {
            after.remove(at: line - 1)
        }
        if state == "present", search.replaceOrAdd || search.line == nil, let key { after.append(key) }
        return FileDiff(
            before: observed.content ?? "", after: after.joined(),
            beforeHeader: observed.content == nil ? "/dev/null" : observed.path, afterHeader: observed.path)
    }

    /// Expands `~` as the module's `type='path'` does on the target, and reads the file, its mode and the umask.
    static func read(_ path: String, shell: TargetShell) async throws -> Observed {
        let script = """
            p=\(Shell.quote(path))
            case $p in "~") p=$HOME ;; "~/"*) p="$HOME/${p#\\~/}" ;; esac
            printf '%s\\0%s\\0' "$p" "$(umask)"
            if [ -f "$p" ]; then stat -L -c '%a' -- "$p" | tr -d '\\n'; printf '\\0'; cat -- "$p" || exit 3
            elif [ -e "$p" ]; then exit 4; fi
            exit 0
            """
        let output = try await shell.run(script)
        let fields = output.stdout.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let expanded = fields.first ?? path
        switch output.exitStatus {
        case 0: break
        case 4: throw ModuleFailure("Failed to read '\(expanded)'.")
        default: throw ModuleFailure("Failed to read '\(expanded)'.: \(output.stderrText.trimmingTrailingNewlines)")
        }
        let umask = fields.count > 1 ? UInt16(fields[1], radix: 8) ?? 0o022 : 0o022
        guard fields.count >= 4 else { return Observed(path: expanded, content: nil, mode: nil, umask: umask) }
        return Observed(path: expanded, content: fields[3], mode: UInt16(fields[2], radix: 8), umask: umask)
    }

    /// Replaces the file atomically: an existing file keeps its mode, a new one gets 0666 less the
    /// umask, as ansible-core's `atomic_move` leaves them.
    static func write(_ text: String, backup: String?, observed: Observed, shell: TargetShell) async throws {
        let directory = TargetPath.directory(of: observed.path)
        let exists = try await shell.run("[ -d \(Shell.quote(directory)) ]")
        guard exists.exitStatus == 0 else { throw ModuleFailure("Failed to write to file '\(observed.path)'.") }
        if let backup {
            try await shell.write(Data(backup.utf8), to: observed.path + ".old", mode: observed.mode ?? 0o600)
        }
        try await shell.write(Data(text.utf8), to: observed.path, mode: observed.mode ?? (0o666 & ~observed.umask))
    }
}
