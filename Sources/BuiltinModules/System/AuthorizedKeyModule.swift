import Foundation
import ModuleAPI
import Templating

/// `ansible.posix.authorized_key` (ansible-core routes the short name `authorized_key` to it): adds or
/// removes SSH public keys in a user's `authorized_keys`, with the collection's matching, ordering and
/// file layout (`~/.ssh` 0700, the file 0600, both owned by the user).
public struct AuthorizedKeyModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.posix.authorized_key",
        // ansible-core's builtin routing redirects these to the collection.
        aliases: ["ansible.builtin.authorized_key", "ansible.legacy.authorized_key"],
        arguments: ArgumentSpec([
            "user": OptionSpec(.string, required: true),
            "key": OptionSpec(.string, required: true),
            "path": OptionSpec(.path),
            "manage_dir": OptionSpec(.bool, default: true),
            "state": OptionSpec(.string, default: "present", choices: ["absent", "present"]),
            "key_options": OptionSpec(.string),
            "exclusive": OptionSpec(.bool, default: false),
            "comment": OptionSpec(.string),
            "validate_certs": OptionSpec(.bool, default: true),
            "follow": OptionSpec(.bool, default: false),
        ]))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let user = try arguments.requiredString("user")
            var key = try arguments.requiredString("key")
            let state = arguments.string("state", default: "present")
            let shell = TargetShell(invocation)
            if key.hasPrefix("http") {
                throw ModuleFailure(
                    "Error getting key from: \(key): fetching keys from URLs is not supported; "
                        + "give the key text instead, e.g. with lookup('file', ...)")
            }
            let target = try await AuthorizedKeyTarget.read(
                user: user, path: arguments.string("path"), follow: arguments.bool("follow"),
                keySource: key.hasPrefix("file") ? Self.fileURLPath(key) : nil, shell: shell)
            if let source = target.keySource { key = source }
            if target.account == nil {
                // In check mode an explicit path is used without looking the user up, as the module does.
                if invocation.checkMode && !arguments.has("path") {
                    throw ModuleFailure("Either user must exist or you must provide full path to key file in check mode")
                }
                if !invocation.checkMode {
                    throw ModuleFailure("Failed to lookup user \(user): \"getpwnam(): name not found: '\(user)'\"")
                }
            }
            return try await enforce(
                key: key, state: state, arguments: arguments, target: target, account: target.account,
                invocation: invocation)
        }
    }

    private func enforce(
        key: String, state: String, arguments: ModuleArguments, target: AuthorizedKeyTarget,
        account: AuthorizedKeyTarget.Account?, invocation: ModuleInvocation
    ) async throws -> ModuleResult {
        let existingContent = target.content ?? ""
        var keys = AuthorizedKeys(parsing: existingContent)
        let newKeys = key.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
            .map(String.init).filter { !$0.hasPrefix("#") }
        let maxRank = keys.count
        var keysToExist: [String] = []
        var write = false
        let keyOptions = arguments.string("key_options")
        let comment = arguments.string("comment")
        for (rank, newKey) in newKeys.enumerated() {
            guard var parsed = AuthorizedKeys.parse(newKey, rank: rank) else {
                throw ModuleFailure("invalid key specified: \(newKey)")
            }
            if let keyOptions { parsed.options = AuthorizedKeys.Options(keyOptions) }
            if let comment { parsed.comment = comment }
            var matched = false
            var stale: AuthorizedKeys.Entry?
            if let existing = keys[parsed.blob] {
                if !parsed.sameKey(as: existing) && state == "present" { stale = existing } else { matched = true }
            }
            if state == "present" {
                keysToExist.append(parsed.blob)
                if let stale, keys[stale.blob] != nil {
                    keys.remove(stale.blob)
                    write = true
                }
                if !matched {
                    parsed.rank = maxRank + rank
                    keys.set(parsed)
                    write = true
                }
            } else if matched {
                keys.remove(parsed.blob)
                write = true
            }
        }
        if state == "present" && arguments.bool("exclusive") {
            let wanted = Set(keysToExist)
            for entry in keys.entries where !wanted.contains(entry.blob) {
                keys.remove(entry.blob)
                write = true
            }
        }

        var result = ModuleResult(values: Self.returnValues(arguments, keyfile: target.keyfile))
        if let path = target.path { result.values["path"] = .string(path) }
        guard write else {
            try await PathInfo.add(to: &result.values, shell: TargetShell(invocation))
            return result
        }
        let newContent = keys.text
        result.changed = true
        if invocation.diffMode {
            result.diffs = [
                FileDiff(
                    before: existingContent, after: newContent, beforeHeader: target.keyfile, afterHeader: target.keyfile)
            ]
        }
        if !invocation.checkMode, let account {
            try await target.write(
                Data(newContent.utf8), account: account, manageDir: arguments.bool("manage_dir", default: true),
                sshDirectory: target.path.map(TargetPath.directory(of:)) ?? account.home + "/.ssh",
                follow: arguments.bool("follow"), shell: TargetShell(invocation))
        }
        try await PathInfo.add(to: &result.values, shell: TargetShell(invocation))
        return result
    }

    /// Every option, as the module returns its parameters, plus `keyfile`.
    static func returnValues(_ arguments: ModuleArguments, keyfile: String) -> ValueDictionary {
        var values = ValueDictionary()
        for name in spec.arguments.options.keys.sorted() { values[name] = arguments.value(name) ?? Value.none }
        values["keyfile"] = .string(keyfile)
        return values
    }

    /// `urlparse(key).path` for `file:` keys: `file:///k` and `file://host/k` give `/k`.
    static func fileURLPath(_ key: String) -> String {
        var rest = Substring(key)
        if let colon = rest.firstIndex(of: ":") { rest = rest[rest.index(after: colon)...] }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        return String(rest)
    }
}
