import Foundation
import PlaybookCore

/// `--vault-password-file` / `ANSIBLE_VAULT_PASSWORD_FILE`: each file's first line is a password.
enum VaultPasswords {
    static func load(_ files: [String], workingDirectory: String) throws -> VaultSecrets {
        var secrets: [VaultSecrets.Secret] = []
        for file in files {
            let path = file.hasPrefix("/") ? file : workingDirectory + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LoadError("the vault password file '\(file)' was not found", at: nil)
            }
            let text = String(decoding: data, as: UTF8.self)
            let password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            secrets.append(VaultSecrets.Secret(password: password.trimmingSpaces))
        }
        return VaultSecrets(secrets)
    }
}
