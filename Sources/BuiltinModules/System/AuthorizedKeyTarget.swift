import Foundation
import ModuleAPI
import Templating

/// What authorized_key learns from the target in one command: the user's account, the keys file's
/// path and content, and — for `file:` keys — the key file's text.
struct AuthorizedKeyTarget: Sendable {
    struct Account: Sendable {
        var uid: Int
        var gid: Int
        var home: String
    }

    var account: Account?
    var keyfile: String
    /// The keys file's content; nil when it does not exist.
    var content: String?
    /// The text of a `file:` key.
    var keySource: String?
    /// The `path` option with `~` expanded.
    var path: String?

    static func script(user: String, path: String?, follow: Bool, keySource: String?) -> String {
        var lines: [String] = []
        if let keySource {
            let quoted = Shell.quote(keySource)
            lines.append(
                "if [ ! -e \(quoted) ]; then printf 'keysource-missing\\0'; elif [ ! -f \(quoted) ]; then "
                    + "printf 'keysource-directory\\0'; else printf 'keysource\\0'; cat -- \(quoted) || exit 3; printf '\\0'; fi")
        }
        lines.append("u=$(getent passwd \(Shell.quote(user))); printf 'account\\0%s\\0' \"$u\"")
        if let path {
            // `~` expands on the target, as the option's `type='path'` does.
            lines.append("kf=\(Shell.quote(path)); case $kf in \"~\") kf=$HOME ;; \"~/\"*) kf=\"$HOME/${kf#\\~/}\" ;; esac")
            lines.append("printf 'path\\0%s\\0' \"$kf\"")
        } else {
            lines.append("kf=\"$(printf '%s' \"$u\" | cut -d: -f6)/.ssh/authorized_keys\"")
        }
        if follow { lines.append("kf=$(realpath -m -- \"$kf\")") }
        lines.append("printf 'keyfile\\0%s\\0' \"$kf\"")
        lines.append(
            "if [ -f \"$kf\" ]; then printf 'content\\0'; cat -- \"$kf\" || exit 4; printf '\\0'; "
                + "elif [ -e \"$kf\" ]; then exit 5; fi")
        return lines.joined(separator: "\n")
    }

    static func read(user: String, path: String?, follow: Bool, keySource: String?, shell: TargetShell) async throws
        -> AuthorizedKeyTarget
    {
        let output = try await shell.run(script(user: user, path: path, follow: follow, keySource: keySource))
        let fields = output.stdout.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        var target = AuthorizedKeyTarget(account: nil, keyfile: "", content: nil, keySource: nil)
        var index = 0
        func next() -> String {
            defer { index += 1 }
            return index < fields.count ? fields[index] : ""
        }
        while index < fields.count {
            switch next() {
            case "keysource-missing": throw ModuleFailure("Path to a key file not found: \(keySource ?? "")")
            case "keysource-directory":
                throw ModuleFailure("Path to a key is a directory and must be a file: \(keySource ?? "")")
            case "keysource": target.keySource = next()
            case "account":
                let entry = next().split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                if entry.count >= 7, let uid = Int(entry[2]), let gid = Int(entry[3]) {
                    target.account = Account(uid: uid, gid: gid, home: entry[5])
                }
            case "path": target.path = next()
            case "keyfile": target.keyfile = next()
            case "content": target.content = next()
            default: break
            }
        }
        switch output.exitStatus {
        case 0: return target
        case 3: throw ModuleFailure("Failed to read key file \(keySource ?? "") : \(output.stderrText.trimmingTrailingNewlines)")
        case 4:
            throw ModuleFailure("Permission denied on file or path for authorized keys file: \(target.keyfile)")
        case 5: throw ModuleFailure("[Errno 21] Is a directory: '\(target.keyfile)'")
        default: throw ModuleFailure("could not read \(target.keyfile): \(output.stderrText)")
        }
    }

    /// Creates the directory and file as the module's `keyfile(write=True)` does, then replaces the
    /// content and sets the file's owner and mode 0600.
    func write(
        _ content: Data, account: Account, manageDir: Bool, sshDirectory: String, follow: Bool, shell: TargetShell
    ) async throws {
        let owner = "\(account.uid):\(account.gid)"
        let noFollow = follow ? "" : "-h "
        let file = Shell.quote(keyfile)
        var script: [String] = []
        if manageDir {
            let directory = Shell.quote(sshDirectory)
            script.append("{ [ -e \(directory) ] || mkdir -m 0700 -- \(directory); }")
            script.append("chown \(noFollow)\(owner) \(directory)")
            script.append("chmod 0700 \(directory)")
        }
        script.append(
            "{ [ -e \(file) ] || { mkdir -p -- \"$(dirname -- \(file))\" && (umask 077 && : > \(file)); }; }")
        try await shell.check(script.joined(separator: " && "), failureMessage: "could not prepare \(keyfile)")
        try await shell.write(content, to: keyfile, mode: 0o600)
        try await shell.check(
            "chown \(noFollow)\(owner) \(file) && chmod 0600 \(file)", failureMessage: "could not set the owner of \(keyfile)")
    }
}
