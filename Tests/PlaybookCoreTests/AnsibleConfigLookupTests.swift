import Templating
import Testing

@testable import PlaybookCore

/// `lookup('config', …)` values: ansible-core's names and types over stackplay's settings.
@Suite struct AnsibleConfigLookupTests {
    static let text = """
        [defaults]
        forks = 9
        host_key_checking = no
        roles_path = roles:/opt/roles
        vault_identity_list = a@x, b@y
        [privilege_escalation]
        become_user = admin
        """

    func config(_ environment: [String: String] = [:]) throws -> AnsibleConfig {
        AnsibleConfig(file: try ConfigFile(path: "/proj/ansible.cfg", text: Self.text), environment: environment)
    }

    @Test func valuesAreTypedAsAnsibleCoreTypesThem() throws {
        let config = try config()
        #expect(try config.lookupValue("DEFAULT_FORKS")?.value == 9)
        #expect(try config.lookupValue("HOST_KEY_CHECKING")?.value == false)
        #expect(try config.lookupValue("DEFAULT_ROLES_PATH")?.value == ["/proj/roles", "/opt/roles"])
        #expect(try config.lookupValue("DEFAULT_VAULT_IDENTITY_LIST")?.value == ["a@x", "b@y"])
        #expect(try config.lookupValue("DEFAULT_BECOME_USER")?.value == "admin")
        #expect(try config.lookupValue("DEFAULT_REMOTE_PORT")?.value == Value.none)
        #expect(try config.lookupValue("DEFAULT_TIMEOUT")?.value == 10)
    }

    @Test func originsNameTheEnvironmentVariableTheFileOrTheDefault() throws {
        let config = try config(["ANSIBLE_BECOME_USER": "ops"])
        #expect(try config.lookupValue("DEFAULT_BECOME_USER")?.origin == "env: ANSIBLE_BECOME_USER")
        #expect(try config.lookupValue("DEFAULT_BECOME_USER")?.value == "ops")
        #expect(try config.lookupValue("DEFAULT_FORKS")?.origin == "/proj/ansible.cfg")
        #expect(try config.lookupValue("DEFAULT_STRATEGY")?.origin == "default")
    }

    @Test func settingsStackplayDoesNotReadAreUnknown() throws {
        #expect(try config().lookupValue("DEFAULT_LOCAL_TMP") == nil)
        #expect(try config().lookupValue("ANSIBLE_PIPELINING") == nil)
    }
}
