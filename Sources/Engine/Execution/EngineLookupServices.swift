import PlaybookCore
import Templating

/// The run as lookups see it: the inventory with the run's additions (`inventory_hostnames`), the
/// vault secrets (`unvault`) and the configuration (`config`).
struct EngineLookupServices: LookupRunServices {
    let state: RunState
    let vault: VaultSecrets
    let config: AnsibleConfig

    func inventoryHostnames(matching patterns: [String]) throws -> [String] {
        // ansible-core's plugin builds a fresh inventory from `groups`: no --limit applies.
        try state.hosts(matching: patterns)
    }

    func decryptVault(_ text: String) throws -> String {
        try vault.decrypt(text)
    }

    func configSetting(_ name: String) throws -> (value: Value, origin: String)? {
        try config.lookupValue(name)
    }
}
