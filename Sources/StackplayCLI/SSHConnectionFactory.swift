import Engine
import ModuleAPI
import SSHTransport
import Templating

/// The `ssh` connection plugin: turns the engine's ``ConnectionTarget`` back into the inventory
/// variables SSHTransport reads (so `-o` options in `ansible_ssh_common_args` keep their meaning)
/// and opens a libssh session kept for the whole run.
enum SSHConnectionFactory {
    static let make: ConnectionFactory = { target throws(ConnectionError) in
        var variables: [String: Value] = ["ansible_host": .string(target.address)]
        if let port = target.port { variables["ansible_port"] = .int(port) }
        if let user = target.user { variables["ansible_user"] = .string(user) }
        if let key = target.privateKeyFile { variables["ansible_ssh_private_key_file"] = .string(key) }
        if let password = target.password { variables["ansible_password"] = .string(password) }
        if let timeout = target.timeout { variables["ansible_timeout"] = .int(timeout) }
        if !target.sshArguments.isEmpty {
            variables["ansible_ssh_common_args"] = .string(target.sshArguments.joined(separator: " "))
        }
        let settings: HostConnectionSettings
        do throws(ConnectionSettingsError) {
            settings = try HostConnectionSettings(
                hostName: target.inventoryName, variables: variables, hostKeyChecking: target.hostKeyChecking)
        } catch {
            throw ConnectionError(.unreachable, host: target.inventoryName, message: error.message)
        }
        let connection = SSHConnection(options: settings.ssh)
        // Connect now so an unreachable host fails its first task as UNREACHABLE, not mid-module.
        try await connection.connect()
        return connection
    }
}
