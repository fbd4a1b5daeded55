import Diagnostics
import TestSupport
import Testing
@testable import PlaybookCore

@Suite struct AnsibleConfigTests {
    let text = """
        # comment
        [defaults]
        inventory = inventory/hosts.ini, extra.yml
        forks=20
        remote_user: deploy ; inline comment
        host_key_checking = False
        roles_path = roles:~/shared-roles
        vault_password_file = .vault_pass
        stdout_callback = yaml

        [privilege_escalation]
        become = yes
        [ssh_connection]
        ssh_args = -o ControlMaster=auto
          -o ControlPersist=60s
        """

    func config(_ environment: [String: String] = ["HOME": "/home/u"]) throws -> AnsibleConfig {
        AnsibleConfig(file: try ConfigFile(path: "/proj/ansible.cfg", text: text), environment: environment)
    }

    @Test func readsTypedSettingsWithPathsRelativeToTheFile() throws {
        let config = try config()
        #expect(config.paths(.inventory, separator: ",") == ["/proj/inventory/hosts.ini", "/proj/extra.yml"])
        #expect(try config.int(.forks) == 20)
        #expect(config.string(.remoteUser) == "deploy")
        #expect(try config.bool(.hostKeyChecking) == false)
        #expect(config.paths(.rolesPath, separator: ":") == ["/proj/roles", "/home/u/shared-roles"])
        #expect(config.path(.vaultPasswordFile) == "/proj/.vault_pass")
        #expect(config.string(.stdoutCallback) == "yaml")
        #expect(try config.bool(.become) == true)
        #expect(config.string(.sshArgs) == "-o ControlMaster=auto\n-o ControlPersist=60s")
        #expect(try config.int(.timeout) == 10)
        #expect(config.string(.gathering) == "implicit")
    }

    @Test func environmentOverridesTheFile() throws {
        let config = try config(["HOME": "/home/u", "ANSIBLE_FORKS": "3", "ANSIBLE_HOST_KEY_CHECKING": "True",
                                 "ANSIBLE_ROLES_PATH": "/r1:/r2"])
        #expect(try config.int(.forks) == 3)
        #expect(try config.bool(.hostKeyChecking) == true)
        #expect(config.paths(.rolesPath, separator: ":") == ["/r1", "/r2"])
        #expect(config.raw(.forks)?.origin == .environment("ANSIBLE_FORKS"))
    }

    @Test func valuesAreReadRawWithDefaultSectionFallback() throws {
        // ansible-core reads values with `raw=True`: `%` needs no escaping and is never interpolated.
        let text = """
            [DEFAULT]
            remote_user = everywhere
            [defaults]
            roles_path = %(base)s/roles
            ansible_managed = Managed %%Y-%m by {uid}
            """
        let config = AnsibleConfig(file: try ConfigFile(path: "/p/ansible.cfg", text: text), environment: [:])
        #expect(config.paths(.rolesPath, separator: ":") == ["/p/%(base)s/roles"])
        #expect(config.string(.ansibleManaged) == "Managed %%Y-%m by {uid}")
        #expect(config.string(.remoteUser) == "everywhere")
        #expect(config.file?.entry("privilege_escalation", "remote_user")?.value == "everywhere")
    }

    @Test func badValuesAreLocated() throws {
        let config = AnsibleConfig(file: try ConfigFile(path: "a.cfg", text: "[defaults]\nforks = many\n"), environment: [:])
        expectLoadError(line: 2, column: 9, "'forks' in [defaults] must be an integer, got 'many'") {
            _ = try config.int(.forks)
        }
        expectLoadError(line: 1, column: 1, "has a setting before any [section]") {
            _ = try ConfigFile(path: "a.cfg", text: "forks = 1\n")
        }
    }

    @Test func locatesTheFileLikeAnsible() throws {
        let scratch = try Scratch()
        try scratch.write("proj/ansible.cfg", "[defaults]\nforks = 7\n")
        try scratch.write("home/.ansible.cfg", "[defaults]\nforks = 9\n")
        try scratch.write("custom/ansible.cfg", "[defaults]\nforks = 11\n")
        let home = scratch.path + "/home"
        #expect(AnsibleConfig.locate(environment: ["HOME": home], workingDirectory: scratch.path + "/proj")
            == scratch.path + "/proj/ansible.cfg")
        #expect(AnsibleConfig.locate(environment: ["HOME": home], workingDirectory: scratch.path)
            == home + "/.ansible.cfg")
        let custom = try AnsibleConfig.load(
            environment: ["HOME": home, "ANSIBLE_CONFIG": scratch.path + "/custom"], workingDirectory: scratch.path + "/proj")
        #expect(try custom.int(.forks) == 11)
    }

    @Test func vaultPasswordFilesAndIDs() throws {
        let scratch = try Scratch()
        try scratch.write("pw", "secret\n")
        #expect(try VaultSecrets.password(fromFile: scratch.path + "/pw") == "secret")
        let secret = try VaultSecrets.secret(fromVaultID: "prod@pw", relativeTo: scratch.path)
        #expect(secret == VaultSecrets.Secret(id: "prod", password: "secret"))
        #expect(throws: LoadError.self) { try VaultSecrets.password(fromFile: scratch.path + "/missing") }
    }
}
