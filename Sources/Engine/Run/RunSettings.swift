import Foundation

/// Settings resolved from the command line, `ANSIBLE_*` environment variables and defaults
/// (command line first).
struct RunSettings: Sendable {
    var forks: Int
    var inventorySources: [String]
    var rolesPath: [String]
    var hostKeyChecking: Bool
    var remoteUser: String?
    var privateKeyFile: String?
    var vaultPasswordFiles: [String]
    var gathering: String

    init(options: RunOptions) {
        let environment = options.environment
        func value(_ name: String) -> String? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            return text
        }
        func flag(_ name: String) -> Bool? {
            value(name).map { ["1", "true", "yes", "on", "y", "t"].contains($0.lowercased()) }
        }
        forks = options.forks ?? value("ANSIBLE_FORKS").flatMap { Int($0) } ?? 50
        let defaultInventory = FileManager.default.fileExists(atPath: "/etc/ansible/hosts") ? ["/etc/ansible/hosts"] : []
        inventorySources =
            options.inventories.isEmpty
            ? (value("ANSIBLE_INVENTORY").map { $0.split(separator: ",").map(String.init) } ?? defaultInventory)
            : options.inventories
        rolesPath = value("ANSIBLE_ROLES_PATH").map { $0.split(separator: ":").map(String.init) } ?? []
        hostKeyChecking = flag("ANSIBLE_HOST_KEY_CHECKING") ?? true
        remoteUser = options.remoteUser ?? value("ANSIBLE_REMOTE_USER")
        privateKeyFile = options.privateKeyFile ?? value("ANSIBLE_PRIVATE_KEY_FILE")
        vaultPasswordFiles = options.vaultPasswordFiles + (value("ANSIBLE_VAULT_PASSWORD_FILE").map { [$0] } ?? [])
        gathering = value("ANSIBLE_GATHERING") ?? "implicit"
    }
}
