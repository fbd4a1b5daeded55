import ArgumentParser

/// Which hosts and variables: `-i`, `-l`, `-e`.
struct InventoryOptions: ParsableArguments {
    @Option(
        name: [.customShort("i"), .customLong("inventory"), .customLong("inventory-file")],
        help: ArgumentHelp("Inventory path or comma-separated host list (repeatable).", valueName: "INVENTORY"))
    var inventories: [String] = []

    @Option(
        name: [.customShort("l"), .customLong("limit")],
        help: ArgumentHelp("Further limit selected hosts to an additional pattern.", valueName: "SUBSET"))
    var limit: String?

    @Option(
        name: [.customShort("e"), .customLong("extra-vars")],
        help: ArgumentHelp("Set additional variables as key=value, YAML/JSON, or @file (repeatable).", valueName: "EXTRA_VARS"))
    var extraVars: [String] = []

    @Option(
        name: .customLong("vault-password-file"),
        help: ArgumentHelp("Vault password file (repeatable).", valueName: "FILE"))
    var vaultPasswordFiles: [String] = []

    @Option(
        name: .customLong("vault-id"),
        help: ArgumentHelp(
            "Vault identity as label@source: a password file, a script, or 'prompt' (repeatable).", valueName: "ID"))
    var vaultIDs: [String] = []

    @Flag(
        name: [.customShort("J"), .customLong("ask-vault-password"), .customLong("ask-vault-pass")],
        help: "Ask for the vault password.")
    var askVaultPassword = false
}
