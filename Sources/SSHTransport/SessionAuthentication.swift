import CLibSSH
import Foundation

extension LibSSHSession {
    /// Logs in the way OpenSSH's client does: the given identity files, then the ssh-agent, then the
    /// default `~/.ssh/id_*` keys, then the password (plain, then keyboard-interactive).
    func authenticate(options: SSHConnectionOptions) throws(SessionFailure) {
        // "none" first: it returns the methods the server offers (and logs in where no auth is needed).
        let first = ssh_userauth_none(handle, nil)
        if first == SSH_AUTH_SUCCESS.rawValue { return }
        if first == SSH_AUTH_ERROR.rawValue {
            throw SessionFailure(.disconnected, "authentication to \(endpoint) failed: \(libsshError(handle))")
        }
        let offered = UInt32(bitPattern: ssh_userauth_list(handle, nil))
        var attempts: [String] = []

        if offered & SSH_AUTH_METHOD_PUBLICKEY != 0 {
            let passphrase = try resolvePassphrase(options.keyPassphrase)
            for file in options.identityFiles.map(expandingTilde) {
                if try logIn(withKeyFile: file, passphrase: passphrase, explicit: true, attempts: &attempts) { return }
            }
            let agentKnown =
                options.agentSocket != nil || ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"]?.isEmpty == false
            if options.useAgent, agentKnown {
                attempts.append("ssh-agent")
                if try succeeded(ssh_userauth_agent(handle, nil)) { return }
            }
            if options.tryDefaultIdentities {
                let explicit = Set(options.identityFiles.map(expandingTilde))
                for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
                    let file = expandingTilde("~/.ssh/\(name)")
                    guard !explicit.contains(file), FileManager.default.isReadableFile(atPath: file) else { continue }
                    if try logIn(withKeyFile: file, passphrase: passphrase, explicit: false, attempts: &attempts) {
                        return
                    }
                }
            }
        }
        if let password = options.password {
            if offered & SSH_AUTH_METHOD_PASSWORD != 0 {
                attempts.append("password")
                if try succeeded(ssh_userauth_password(handle, nil, password)) { return }
            }
            if offered & SSH_AUTH_METHOD_INTERACTIVE != 0 {
                attempts.append("keyboard-interactive")
                if try logInInteractively(password: password) { return }
            }
        }
        let user = endpoint.user ?? ProcessInfo.processInfo.environment["USER"] ?? "the current user"
        throw SessionFailure(
            .authenticationFailed,
            "permission denied for '\(user)' on \(endpoint.host) port \(endpoint.port) (tried: "
                + "\(attempts.isEmpty ? "nothing usable" : attempts.joined(separator: ", ")); "
                + "the server accepts: \(Self.methodNames(offered)))")
    }

    /// Tries one private key file. Unreadable or undecryptable keys are noted and skipped, like OpenSSH.
    private func logIn(
        withKeyFile file: String, passphrase: String?, explicit: Bool, attempts: inout [String]
    ) throws(SessionFailure) -> Bool {
        var key: OpaquePointer?
        let status = ssh_pki_import_privkey_file(file, passphrase, nil, nil, &key)
        guard status == SSH_OK, let key else {
            if status == SSH_EOF {
                attempts.append("key \(file) (\(explicit ? "not found or unreadable" : "unreadable"))")
            } else {
                let reason =
                    passphrase == nil ? "encrypted or invalid; no passphrase given" : "wrong passphrase or invalid"
                attempts.append("key \(file) (\(reason))")
            }
            return false
        }
        defer { ssh_key_free(key) }
        attempts.append("key \(file)")
        return try succeeded(ssh_userauth_publickey(handle, nil, key))
    }

    /// Answers every keyboard-interactive prompt with the password (what PAM's password prompt wants).
    private func logInInteractively(password: String) throws(SessionFailure) -> Bool {
        var status = ssh_userauth_kbdint(handle, nil, nil)
        var rounds = 0
        while status == SSH_AUTH_INFO.rawValue, rounds < 5 {
            rounds += 1
            let prompts = ssh_userauth_kbdint_getnprompts(handle)
            for index in 0..<max(prompts, 0) {
                _ = ssh_userauth_kbdint_setanswer(handle, UInt32(index), password)
            }
            status = ssh_userauth_kbdint(handle, nil, nil)
        }
        return try succeeded(status)
    }

    /// True on success, false on denial (or a partial success that needs more methods).
    private func succeeded(_ status: Int32) throws(SessionFailure) -> Bool {
        if status == SSH_AUTH_SUCCESS.rawValue { return true }
        if status == SSH_AUTH_ERROR.rawValue {
            throw SessionFailure(.disconnected, "authentication to \(endpoint) failed: \(libsshError(handle))")
        }
        return false
    }

    private func resolvePassphrase(_ source: PassphraseSource?) throws(SessionFailure) -> String? {
        let environment = ProcessInfo.processInfo.environment
        let effective =
            source
            ?? environment["STACKPLAY_SSH_KEY_PASSPHRASE_FILE"].map(PassphraseSource.file)
            ?? environment["STACKPLAY_SSH_KEY_PASSPHRASE"].map(PassphraseSource.literal)
        switch effective {
        case nil: return nil
        case .literal(let text): return text
        case .environment(let name):
            guard let value = environment[name] else {
                throw SessionFailure(.authenticationFailed, "the key passphrase variable '\(name)' is not set")
            }
            return value
        case .file(let path):
            guard let contents = FileManager.default.contents(atPath: expandingTilde(path)) else {
                throw SessionFailure(.authenticationFailed, "cannot read the key passphrase file '\(path)'")
            }
            let text = String(decoding: contents, as: UTF8.self)
            return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        }
    }

    static func methodNames(_ mask: UInt32) -> String {
        let names: [(UInt32, String)] = [
            (SSH_AUTH_METHOD_PUBLICKEY, "publickey"), (SSH_AUTH_METHOD_PASSWORD, "password"),
            (SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive"), (SSH_AUTH_METHOD_HOSTBASED, "hostbased"),
            (SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic"),
        ]
        let offered = names.filter { mask & $0.0 != 0 }.map(\.1)
        return offered.isEmpty ? "none" : offered.joined(separator: ",")
    }
}
