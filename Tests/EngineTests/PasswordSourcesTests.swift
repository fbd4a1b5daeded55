import Foundation
import ModuleAPI
import TestSupport
import Testing

@testable import Engine

/// Where vault, SSH and become passwords come from, as ansible-playbook takes them: files, scripts
/// (a `-client` script is asked for its label), prompts.
@Suite struct PasswordSourcesTests {
    /// `admin_password` encrypted by ansible-vault 2.21.5 with the password `stackpass`.
    static let vaulted = """
        admin_password: !vault |
                  $ANSIBLE_VAULT;1.1;AES256
                  62316362343835656561353835633636326161663334386561363564666530633964653235303534
                  3236366331316131383934643561633937313231326631390a663930356438633331343163393239
                  33333566316236386566383834623031346463383565323533353263356161313831643632306433
                  3261656232383031630a663562333637316538656335393662393863636438373734316166326434
                  6437
        """
    static let playbook = """
        - hosts: localhost
          gather_facts: false
          vars_files: [secrets.yml]
          tasks:
            - assert:
                that: admin_password == 'inline-secret'
        """

    func run(
        files: [String: String], executables: [String] = [], prompts: ScriptedPrompts = ScriptedPrompts(interactive: true),
        _ configure: @escaping (inout RunOptions) -> Void
    ) async throws -> (RunOutcome, String) {
        var components = RunComponents(registry: ModuleRegistry(), connections: [:], facts: FixedFacts())
        components.prompts = prompts
        let (outcome, output) = try await runPlaybook(
            Self.playbook, extraFiles: files.merging(["secrets.yml": Self.vaulted]) { a, _ in a },
            configure: { options in
                for name in executables {
                    chmod(options.workingDirectory + "/" + name, 0o755)
                }
                configure(&options)
            }, components: components)
        return (outcome, output.standardOutput + output.standardError)
    }

    @Test func aPasswordFileIsStrippedOfSurroundingWhitespace() async throws {
        let (outcome, output) = try await run(files: ["pw": "  stackpass \n\n"]) { $0.vaultPasswordFiles = ["pw"] }
        #expect(outcome == .success, "\(output)")
    }

    @Test func anExecutablePasswordFileIsRunForItsOutput() async throws {
        let (outcome, output) = try await run(
            files: ["pw.sh": "#!/bin/sh\necho stackpass\n"], executables: ["pw.sh"]
        ) { $0.vaultPasswordFiles = ["pw.sh"] }
        #expect(outcome == .success, "\(output)")
    }

    @Test func aClientScriptIsAskedForItsLabel() async throws {
        let script = "#!/bin/sh\n[ \"$1 $2\" = '--vault-id dev' ] && echo stackpass && exit 0\necho \"no $2\" >&2; exit 2\n"
        let (outcome, output) = try await run(files: ["keyring-client.sh": script], executables: ["keyring-client.sh"]) {
            $0.vaultIdentities = ["dev@keyring-client.sh"]
        }
        #expect(outcome == .success, "\(output)")
        let (missing, message) = try await run(files: ["keyring-client.sh": script], executables: ["keyring-client.sh"]) {
            $0.vaultIdentities = ["prod@keyring-client.sh"]
        }
        #expect(missing == .loadError)
        #expect(message.contains("vault password client script 'keyring-client.sh' did not find a secret for vault-id=prod: no prod"), "\(message)")
    }

    @Test func aFailingScriptStopsTheRunWithItsStatus() async throws {
        let (outcome, output) = try await run(
            files: ["pw.sh": "#!/bin/sh\necho locked >&2\nexit 3\n"], executables: ["pw.sh"]
        ) { $0.vaultPasswordFiles = ["pw.sh"] }
        #expect(outcome == .loadError)
        #expect(output.contains("vault password script 'pw.sh' returned non-zero (3): locked"), "\(output)")
    }

    @Test func promptsAskWithAnsiblesWords() async throws {
        let labelled = ScriptedPrompts(interactive: true, answers: ["stackpass"])
        let (outcome, output) = try await run(files: [:], prompts: labelled) { $0.vaultIdentities = ["dev@prompt"] }
        #expect(outcome == .success, "\(output)")
        #expect(labelled.asked.map(\.message) == ["Vault password (dev): "])
        #expect(labelled.asked.allSatisfy { $0.secret })

        let asked = ScriptedPrompts(interactive: true, answers: ["stackpass"])
        let (askedOutcome, _) = try await run(files: [:], prompts: asked) { $0.askVaultPassword = true }
        #expect(askedOutcome == .success)
        #expect(asked.asked.map(\.message) == ["Vault password: "])
    }

    @Test func theBecomePasswordDefaultsToTheSSHPassword() throws {
        var options = RunOptions(playbooks: [])
        options.askConnectionPassword = true
        options.askBecomePassword = true
        let prompts = ScriptedPrompts(interactive: true, answers: ["sshpw", ""])
        let passwords = try ConnectionPasswords.resolve(options, prompts: prompts)
        #expect(passwords == ConnectionPasswords(connection: "sshpw", become: "sshpw"))
        #expect(prompts.asked.map(\.message) == ["SSH password: ", "BECOME password[defaults to SSH password]: "])

        options.askConnectionPassword = false
        let becomeOnly = ScriptedPrompts(interactive: true, answers: ["becomepw"])
        let becomeOnlyPasswords = try ConnectionPasswords.resolve(options, prompts: becomeOnly)
        #expect(becomeOnlyPasswords == ConnectionPasswords(become: "becomepw"))
        #expect(becomeOnly.asked.map(\.message) == ["BECOME password: "])
    }

    @Test func passwordFilesFeedConnectionAndBecome() throws {
        let scratch = try Scratch()
        try scratch.write("conn", "sshpw\r\n")
        try scratch.write("become.sh", "#!/bin/sh\nprintf 'becomepw\\n'\n")
        chmod(scratch.path + "/become.sh", 0o755)
        try scratch.write("empty", "\n")
        var options = RunOptions(playbooks: [])
        options.workingDirectory = scratch.path
        options.connectionPasswordFile = "conn"
        options.becomePasswordFile = "become.sh"
        let passwords = try ConnectionPasswords.resolve(options, prompts: ScriptedPrompts(interactive: false))
        #expect(passwords == ConnectionPasswords(connection: "sshpw", become: "becomepw"))
        options.becomePasswordFile = "empty"
        #expect(throws: (any Error).self) { try ConnectionPasswords.resolve(options, prompts: ScriptedPrompts(interactive: false)) }
    }
}
