import Foundation
import PlaybookCore

/// The vault secrets of a run, from `--vault-id label@source`, `vault_identity_list`,
/// `--vault-password-file` / `vault_password_file` and `--ask-vault-password`, as ansible-playbook
/// builds them: a source is `prompt`, a file (its content), or an executable (its output; a
/// `…-client` script is asked for the label with `--vault-id`).
enum VaultPasswords {
    struct Identity: Equatable {
        var label: String
        var source: String

        /// `label@source`, or a bare source for the `default` label.
        init(_ text: String) {
            if let at = text.firstIndex(of: "@") {
                label = String(text[..<at])
                source = String(text[text.index(after: at)...])
            } else {
                label = "default"
                source = text
            }
        }
    }

    static func load(
        identities: [String], files: [String], ask: Bool, prompts: any PromptSource, workingDirectory: String
    ) throws -> VaultSecrets {
        var secrets: [VaultSecrets.Secret] = []
        for identity in identities.map(Identity.init) + files.map({ Identity("default@" + $0) }) {
            let password: String
            if identity.source == "prompt" {
                password = try vaultPassword(prompts.password("Vault password (\(identity.label)): "))
            } else {
                password = try read(PasswordFile(identity.source, workingDirectory: workingDirectory), label: identity.label)
            }
            secrets.append(VaultSecrets.Secret(id: identity.label, password: password))
        }
        if ask { secrets.append(VaultSecrets.Secret(password: try vaultPassword(prompts.password("Vault password: ")))) }
        return VaultSecrets(secrets)
    }

    private static func vaultPassword(_ answer: String) throws -> String {
        let password = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !password.isEmpty else { throw LoadError("Invalid vault password was provided", at: nil) }
        return password
    }

    private static func read(_ file: PasswordFile, label: String) throws -> String {
        guard file.exists else { throw LoadError("the vault password file '\(file.name)' was not found", at: nil) }
        guard !file.isDirectory else {
            throw LoadError("the vault password file '\(file.name)' can not be a directory", at: nil)
        }
        let password: String
        if file.isExecutable {
            let isClient = ((file.path as NSString).deletingPathExtension as String).hasSuffix("-client")
            let result = try file.run(arguments: isClient ? ["--vault-id", label] : [])
            if isClient && result.status == 2 {
                throw LoadError(
                    "vault password client script '\(file.name)' did not find a secret for vault-id=\(label): \(result.stderr)",
                    at: nil)
            }
            guard result.status == 0 else {
                throw LoadError(
                    "vault password script '\(file.name)' returned non-zero (\(result.status)): \(result.stderr)", at: nil)
            }
            password = PasswordFile.trimmingLineEnds(result.stdout)
        } else {
            password = PasswordFile.trimmingLineEnds(try file.contents())
        }
        guard !password.isEmpty else {
            throw LoadError("Invalid vault password was provided from \(file.isExecutable ? "script" : "file") (\(file.name))", at: nil)
        }
        return password
    }
}
