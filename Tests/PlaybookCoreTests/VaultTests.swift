import Foundation
import TestSupport
import Testing
@testable import PlaybookCore

/// Decrypts files produced by the real `ansible-vault` (Fixtures/vault/README.md) and round-trips ours.
@Suite struct VaultTests {
    static let fixtures = Bundle.module.resourcePath.map { $0 + "/Fixtures/vault" } ?? ""
    let stack = VaultSecrets.Secret(password: "stackpass")
    let prod = VaultSecrets.Secret(id: "prod", password: "otherpass")

    func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: Self.fixtures + "/" + name, encoding: .utf8)
    }

    @Test func decryptsFormat11() throws {
        let plaintext = try VaultSecrets([stack]).decrypt(try fixture("secrets.yml"))
        #expect(plaintext == "db_password: s3cr3t\napi_token: \"abc{{ not_templated }}\"\n")
    }

    @Test func decryptsFormat12PreferringTheMatchingVaultID() throws {
        let plaintext = try VaultSecrets([stack, prod]).decrypt(try fixture("note-1.2.txt"))
        #expect(plaintext == "line one\nline two\n")
    }

    @Test func wrongOrMissingSecrets() throws {
        let text = try fixture("secrets.yml")
        #expect(throws: VaultError.noMatchingSecret) { try VaultSecrets([prod]).decrypt(text) }
        #expect(throws: VaultError.noSecrets) { try VaultSecrets().decrypt(text) }
        #expect(throws: VaultError.self) { try VaultSecrets([stack]).decrypt("$ANSIBLE_VAULT;1.1;AES256\nzz\n") }
    }

    @Test func vaultedFilesAndInlineValuesLoad() throws {
        let loader = YAMLLoader(vault: VaultSecrets([stack]))
        let file = try #require(try loader.loadFile(Self.fixtures + "/secrets.yml", displayPath: "secrets.yml"))
        #expect(file["db_password"]?.value == "s3cr3t")
        let inline = try #require(try loader.loadFile(Self.fixtures + "/inline.yml", displayPath: "inline.yml"))
        #expect(inline["admin_password"]?.value == "inline-secret")
        #expect(inline["admin_password"]?.scalar?.tag == "!vault")
    }

    @Test func encryptionRoundTripsInBothFormats() throws {
        for secret in [stack, prod] {
            let encrypted = try VaultSecrets.encrypt("päss\nword", with: secret)
            #expect(encrypted.hasPrefix(secret.id == "default" ? "$ANSIBLE_VAULT;1.1;AES256\n" : "$ANSIBLE_VAULT;1.2;AES256;prod\n"))
            let lines = encrypted.split(separator: Character("\n"))
            #expect(lines.dropFirst().allSatisfy { $0.count <= 80 })
            #expect(try VaultSecrets([secret]).decrypt(encrypted) == "päss\nword")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["STACKPLAY_ANSIBLE_VENV"] != nil))
    func ansibleVaultDecryptsOurOutput() throws {
        let venv = try #require(ProcessInfo.processInfo.environment["STACKPLAY_ANSIBLE_VENV"])
        let scratch = try Scratch()
        let password = try scratch.write("pw", "stackpass")
        let file = try scratch.write("ours.txt", try VaultSecrets.encrypt("from swift\n", with: stack))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: venv + "/bin/ansible-vault")
        process.arguments = ["view", "--vault-password-file", password, file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text == "from swift\n")
    }
}
