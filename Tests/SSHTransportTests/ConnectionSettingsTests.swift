import Diagnostics
import ModuleAPI
import Templating
import Testing

@testable import SSHTransport

struct ConnectionSettingsTests {
    @Test func defaultsFollowAnsible() throws {
        let settings = try HostConnectionSettings(hostName: "web1", variables: [:])
        #expect(settings.transport == "ssh")
        #expect(settings.ssh.endpoint == SSHEndpoint(host: "web1", port: 22, user: nil))
        #expect(settings.ssh.hostKeyPolicy == .strict)
        #expect(settings.ssh.connectTimeout == 10)
        #expect(settings.ssh.jumpHosts.isEmpty)
        #expect(!settings.becomeEnabled)
        #expect(settings.become == BecomeRequest(method: "sudo", user: "root"))
    }

    @Test func readsConnectionVariablesWithCoercions() throws {
        let variables: [String: Value] = [
            "ansible_host": "10.0.0.5", "ansible_port": "2222", "ansible_user": "ubuntu",
            "ansible_ssh_private_key_file": "~/.ssh/vnf", "ansible_ssh_pass": "secret",
            "ansible_python_interpreter": "/usr/bin/python3", "ansible_become": "yes",
            "ansible_become_user": "postgres", "ansible_become_pass": "pw", "ansible_become_method": "su",
            "ansible_ssh_timeout": 30,
        ]
        let settings = try HostConnectionSettings(hostName: "vnf1", variables: variables)
        #expect(settings.ssh.displayName == "vnf1")
        #expect(settings.ssh.endpoint == SSHEndpoint(host: "10.0.0.5", port: 2222, user: "ubuntu"))
        #expect(settings.ssh.identityFiles == ["~/.ssh/vnf"])
        #expect(settings.ssh.password == "secret")
        #expect(settings.ssh.connectTimeout == 30)
        #expect(settings.becomeEnabled)
        #expect(settings.become == BecomeRequest(method: "su", user: "postgres", password: "pw"))
    }

    @Test func parsesSSHArgumentsAsAnsibleUsersWriteThem() throws {
        let variables: [String: Value] = [
            "ansible_ssh_common_args": .string(
                "-o ProxyJump=admin@bastion.example:2200 -o StrictHostKeyChecking=accept-new "
                    + "-o 'UserKnownHostsFile=/tmp/kh1 /tmp/kh2' -o ControlMaster=auto -o ConnectTimeout=5"),
            "ansible_ssh_extra_args": "-i /keys/extra -p 2022 -o ServerAliveInterval=15 -q",
        ]
        let settings = try HostConnectionSettings(hostName: "vnf", variables: variables)
        #expect(settings.ssh.jumpHosts == [SSHEndpoint(host: "bastion.example", port: 2200, user: "admin")])
        #expect(settings.ssh.hostKeyPolicy == .acceptNew)
        // OpenSSH takes several files separated by spaces; libssh checks one, the first.
        #expect(settings.ssh.knownHostsFile == "/tmp/kh1")
        #expect(settings.ssh.connectTimeout == 5)
        #expect(settings.ssh.identityFiles == ["/keys/extra"])
        #expect(settings.ssh.endpoint.port == 2022)
        #expect(settings.ssh.keepaliveInterval == 15)
        #expect(settings.ignoredSSHArguments == ["-o ControlMaster=auto"])
    }

    @Test func variablesWinOverArgumentsAndFirstArgumentWins() throws {
        let variables: [String: Value] = [
            "ansible_port": 22, "ansible_ssh_common_args": "-o Port=2200 -J a,b:2 -o ProxyJump=ignored",
        ]
        let settings = try HostConnectionSettings(hostName: "h", variables: variables)
        #expect(settings.ssh.endpoint.port == 22)
        #expect(settings.ssh.jumpHosts == [SSHEndpoint(host: "a"), SSHEndpoint(host: "b", port: 2)])
    }

    @Test func hostKeyCheckingOffWinsOverStrictArguments() throws {
        let off = try HostConnectionSettings(
            hostName: "h", variables: ["ansible_ssh_common_args": "-o StrictHostKeyChecking=yes"],
            hostKeyChecking: false)
        #expect(off.ssh.hostKeyPolicy == .off)
        let perHost = try HostConnectionSettings(hostName: "h", variables: ["ansible_host_key_checking": false])
        #expect(perHost.ssh.hostKeyPolicy == .off)
        let args = try HostConnectionSettings(
            hostName: "h", variables: ["ansible_ssh_extra_args": "-oStrictHostKeyChecking=no"])
        #expect(args.ssh.hostKeyPolicy == .off)
    }

    @Test func proxyCommandThroughSSHBecomesAJumpHost() throws {
        let settings = try HostConnectionSettings(
            hostName: "h",
            variables: ["ansible_ssh_common_args": #"-o ProxyCommand="ssh -W %h:%p -q -p 2201 ops@10.1.0.1""#])
        #expect(settings.ssh.jumpHosts == [SSHEndpoint(host: "10.1.0.1", port: 2201, user: "ops")])
        #expect(throws: ConnectionSettingsError.self) {
            try HostConnectionSettings(
                hostName: "h", variables: ["ansible_ssh_common_args": "-o ProxyCommand='nc %h %p'"])
        }
    }

    @Test func identitiesOnlyAndDisabledPasswords() throws {
        let settings = try HostConnectionSettings(
            hostName: "h",
            variables: [
                "ansible_password": "pw",
                "ansible_ssh_common_args": "-o IdentitiesOnly=yes -o PasswordAuthentication=no",
            ])
        #expect(!settings.ssh.useAgent)
        #expect(!settings.ssh.tryDefaultIdentities)
        #expect(settings.ssh.password == nil)
        let agent = try HostConnectionSettings(
            hostName: "h", variables: ["ansible_ssh_extra_args": "-o IdentityAgent=/run/agent.sock"])
        #expect(agent.ssh.useAgent)
        #expect(agent.ssh.agentSocket == "/run/agent.sock")
        let noAgent = try HostConnectionSettings(
            hostName: "h", variables: ["ansible_ssh_extra_args": "-o IdentityAgent=none"])
        #expect(!noAgent.ssh.useAgent)
    }

    @Test func badValuesAreLocatedErrorsNamingHostAndVariable() {
        let location = SourceLocation(file: "inventory.ini", line: 3, column: 7)
        do {
            _ = try HostConnectionSettings(
                hostName: "web1", variables: ["ansible_port": "http"], locations: ["ansible_port": location])
            Issue.record("expected an error")
        } catch {
            #expect(error.location == location)
            #expect(error.message == "host 'web1': ansible_port: expected a port number, got 'http'")
        }
        #expect(throws: ConnectionSettingsError.self) {
            try HostConnectionSettings(hostName: "h", variables: ["ansible_connection": "winrm"])
        }
        #expect(throws: ConnectionSettingsError.self) {
            try HostConnectionSettings(hostName: "h", variables: ["ansible_ssh_common_args": "-o 'unterminated"])
        }
        #expect(throws: ConnectionSettingsError.self) {
            try HostConnectionSettings(hostName: "h", variables: ["ansible_ssh_common_args": "-o ProxyJump=@:x"])
        }
    }

    @Test func localConnection() throws {
        let settings = try HostConnectionSettings(hostName: "localhost", variables: ["ansible_connection": "local"])
        #expect(settings.transport == "local")
    }

    @Test func proxyJumpHopSyntax() {
        #expect(SSHEndpoint(proxyJump: "host") == SSHEndpoint(host: "host"))
        #expect(SSHEndpoint(proxyJump: "u@h:2") == SSHEndpoint(host: "h", port: 2, user: "u"))
        #expect(SSHEndpoint(proxyJump: "ssh://u@h:3") == SSHEndpoint(host: "h", port: 3, user: "u"))
        #expect(SSHEndpoint(proxyJump: "[fe80::1]:22") == SSHEndpoint(host: "fe80::1"))
        #expect(SSHEndpoint(proxyJump: "h:99999") == nil)
        #expect(SSHEndpoint(proxyJump: "@h") == nil)
        #expect(SSHEndpoint(host: "h", port: 2200, user: "u").description == "u@h:2200")
    }

    @Test func shellWordSplitting() throws {
        #expect(
            try shellWords(#"-o "A=b c" -o 'D=e f' g\ h "x\"y""#) == ["-o", "A=b c", "-o", "D=e f", "g h", #"x"y"#])
        #expect(throws: ArgumentFailure.self) { try shellWords("'open") }
    }
}
