import Foundation
import PlaybookCore
import Testing

@testable import Engine

/// ansible.cfg as ansible-playbook applies it: the file under `ANSIBLE_*` variables under the
/// command line, paths relative to the file.
@Suite struct AnsibleConfigSettingsTests {
    static let file = """
        [defaults]
        inventory = hosts.ini
        forks = 7
        remote_user = from_file
        remote_port = 2222
        private_key_file = keys/id_ed25519
        host_key_checking = False
        roles_path = roles:/abs/roles
        timeout = 33
        gathering = explicit
        stdout_callback = ansible.posix.jsonl
        vault_password_file = vault.txt
        vault_identity_list = dev@dev.txt, prod@prompt
        force_handlers = True
        any_errors_fatal = yes
        ansible_managed = Managed on {host}
        retry_files_enabled = False
        some_future_key = ignored like Ansible does

        [privilege_escalation]
        become = True
        become_user = admin
        become_method = su
        """

    func config(_ environment: [String: String] = [:]) throws -> AnsibleConfig {
        AnsibleConfig(file: try ConfigFile(path: "/proj/ansible.cfg", text: Self.file), environment: environment)
    }

    func options(_ configure: (inout RunOptions) -> Void = { _ in }) -> RunOptions {
        var options = RunOptions(playbooks: ["site.yml"])
        options.workingDirectory = "/work"
        configure(&options)
        return options
    }

    @Test func theFileAppliesWhenNothingOverridesIt() throws {
        let settings = try RunSettings(options: options(), config: config())
        #expect(settings.forks == 7)
        #expect(settings.inventorySources == ["/proj/hosts.ini"])
        #expect(settings.remoteUser == "from_file")
        #expect(settings.remotePort == 2222)
        #expect(settings.privateKeyFile == "/proj/keys/id_ed25519")
        #expect(settings.hostKeyChecking == false)
        #expect(settings.rolesPath == ["/proj/roles", "/abs/roles"])
        #expect(settings.timeout == 33)
        #expect(settings.gathering == .explicit)
        #expect(settings.output == .json)
        #expect(settings.vaultPasswordFiles == ["/proj/vault.txt"])
        #expect(settings.vaultIdentities == ["dev@dev.txt", "prod@prompt"])
        #expect(settings.forceHandlers && settings.anyErrorsFatal)
        #expect(settings.ansibleManaged == "Managed on {host}")
        #expect(settings.become == true)
        #expect(settings.becomeUser == "admin")
        #expect(settings.becomeMethod == "su")
        #expect(settings.warnings.isEmpty)
    }

    @Test func environmentOverridesTheFile() throws {
        let environment = [
            "ANSIBLE_FORKS": "3", "ANSIBLE_INVENTORY": "other.ini", "ANSIBLE_REMOTE_USER": "from_env",
            "ANSIBLE_PRIVATE_KEY_FILE": "env_key", "ANSIBLE_HOST_KEY_CHECKING": "yes", "ANSIBLE_ROLES_PATH": "r1:/r2",
            "ANSIBLE_TIMEOUT": "5", "ANSIBLE_GATHERING": "smart", "ANSIBLE_STDOUT_CALLBACK": "default",
            "ANSIBLE_BECOME": "false", "ANSIBLE_BECOME_USER": "env_user", "ANSIBLE_BECOME_METHOD": "sudo",
            "ANSIBLE_VAULT_PASSWORD_FILE": "/secrets/pw",
        ]
        let settings = try RunSettings(options: options(), config: config(environment))
        #expect(settings.forks == 3)
        #expect(settings.inventorySources == ["other.ini"])
        #expect(settings.remoteUser == "from_env")
        // Relative paths from the environment are taken from the working directory, as Ansible does.
        #expect(settings.privateKeyFile == "/work/env_key")
        #expect(settings.hostKeyChecking == true)
        #expect(settings.rolesPath == ["/work/r1", "/r2"])
        #expect(settings.timeout == 5)
        #expect(settings.gathering == .smart)
        #expect(settings.output == .text)
        #expect(settings.become == false)
        #expect(settings.becomeUser == "env_user")
        #expect(settings.becomeMethod == "sudo")
        #expect(settings.vaultPasswordFiles == ["/secrets/pw"])
    }

    @Test func commandLineOverridesEnvironmentAndFile() throws {
        let environment = ["ANSIBLE_FORKS": "3", "ANSIBLE_REMOTE_USER": "from_env", "ANSIBLE_TIMEOUT": "5"]
        let settings = try RunSettings(
            options: options {
                $0.forks = 12
                $0.inventories = ["cli.ini"]
                $0.remoteUser = "from_cli"
                $0.privateKeyFile = "/cli/key"
                $0.timeout = 99
                $0.become = true
                $0.becomeUser = "cli_user"
                $0.becomeMethod = "doas"
                $0.output = .text
                $0.connection = "local"
                $0.vaultPasswordFiles = ["cli_pw"]
            }, config: config(environment))
        #expect(settings.forks == 12)
        #expect(settings.inventorySources == ["cli.ini"])
        #expect(settings.remoteUser == "from_cli")
        #expect(settings.privateKeyFile == "/cli/key")
        #expect(settings.timeout == 99)
        #expect(settings.become == true)
        #expect(settings.becomeUser == "cli_user")
        #expect(settings.becomeMethod == "doas")
        #expect(settings.output == .text)
        #expect(settings.transport == "local")
        // Like ansible-playbook: the configured password file is used as well as the given ones.
        #expect(settings.vaultPasswordFiles == ["cli_pw", "/proj/vault.txt"])
    }

    @Test func defaultsWithoutAConfigFile() throws {
        let settings = try RunSettings(options: options(), config: AnsibleConfig(file: nil, environment: [:]))
        #expect(settings.forks == RunSettings.defaultForks)
        #expect(settings.timeout == nil)
        #expect(settings.become == false)
        #expect(settings.becomeUser == nil)
        #expect(settings.transport == nil)
        #expect(settings.gathering == .implicit)
        #expect(settings.output == .text)
        #expect(settings.hostKeyChecking == true)
        #expect(settings.ansibleManaged == "Ansible managed")
    }

    @Test func anUnknownStdoutCallbackFallsBackToDefaultWithAWarning() throws {
        let settings = try RunSettings(
            options: options(), config: AnsibleConfig(file: nil, environment: ["ANSIBLE_STDOUT_CALLBACK": "yaml"]))
        #expect(settings.output == .text)
        #expect(settings.warnings == ["stackplay has no 'yaml' stdout callback (stdout_callback); using 'default'"])
    }

    @Test func badValuesInTheFileAreLocated() throws {
        let config = AnsibleConfig(
            file: try ConfigFile(path: "/p/ansible.cfg", text: "[defaults]\n\ngathering = sometimes\n"), environment: [:])
        do {
            _ = try RunSettings(options: options(), config: config)
            Issue.record("expected an error")
        } catch let error as LoadError {
            #expect(error.location?.line == 3)
            #expect(error.message == "'gathering' in [defaults] must be one of: implicit, explicit, smart, got 'sometimes'")
        }
    }

    @Test func theRepositoryConfigPutsItsRolesOnTheSearchPath() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        var options = RunOptions(playbooks: ["Playbooks/site.yml"])
        options.workingDirectory = root
        let settings = try RunSettings(options: options)
        #expect(settings.config.file?.path == root + "/ansible.cfg")
        #expect(settings.rolesPath.first == root + "/Roles")
    }

    // MARK: - Running with a configuration file

    @Test func aRunTakesInventoryRolesAndGatheringFromTheConfigFile() async throws {
        let (outcome, output) = try await runPlaybook(
            """
            - hosts: web
              roles: [greeter]
              tasks:
                - assert:
                    that:
                      - ansible_facts == {}
                      - greeting == 'hello from ' ~ inventory_hostname
            """,
            extraFiles: [
                "ansible.cfg": "[defaults]\ninventory = hosts.ini\nroles_path = elsewhere/roles\nforks = 1\ngathering = explicit\n",
                "hosts.ini": "[web]\nalpha\nbeta\n",
                "elsewhere/roles/greeter/tasks/main.yml": "- set_fact:\n    greeting: hello from {{ inventory_hostname }}\n",
            ],
            configure: { $0.inventories = [] })
        #expect(outcome == .success, "\(output.standardOutput)\(output.standardError)")
        let text = output.standardOutput
        #expect(!text.contains("Gathering Facts"))
        #expect(text.contains("TASK [greeter : set_fact]"))
        #expect(text.contains("alpha                      : ok=2"))
        #expect(text.contains("beta                       : ok=2"))
    }

    @Test func ansibleConfigNamesTheFileToUse() async throws {
        let (outcome, output) = try await runPlaybook(
            "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n",
            extraFiles: [
                "ansible.cfg": "[defaults]\ninventory = ignored.ini\n",
                "conf/custom.cfg": "[defaults]\ninventory = ../hosts.ini\n",
                "hosts.ini": "gamma\n",
            ],
            configure: {
                $0.inventories = []
                $0.environment["ANSIBLE_CONFIG"] = $0.workingDirectory + "/conf/custom.cfg"
            })
        #expect(outcome == .success, "\(output.standardError)")
        #expect(output.standardOutput.contains("ok: [gamma]"))
    }

    @Test func aMalformedConfigLineIsALoadErrorAtItsLine() async throws {
        let (outcome, output) = try await runPlaybook(
            "- hosts: localhost\n  tasks: []\n",
            extraFiles: ["ansible.cfg": "[defaults]\nforks = 2\nthis line is not a setting\n"])
        #expect(outcome == .loadError)
        #expect(output.standardError.contains("ansible.cfg:3:1: error: expected 'key = value' in config file"))
    }
}
