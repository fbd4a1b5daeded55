import Diagnostics
import Foundation
import ModuleAPI
import PlaybookCore
import Templating

/// Everything loaded and validated before the first task runs.
struct PreparedRun: Sendable {
    var plays: [PlayPlan]
    var inventory: Inventory
    var hostVariables: HostVariablesBuilder
    var limit: [String]?
    var runtimeLoader: RuntimeLoader
    var templar: Templar
    var options: RunOptions
    var settings: RunSettings
    var components: RunComponents
    var extraVars: [String: VariableLayers.Entry]
    var inventoryDirectory: String?
    var inventoryFile: String?
    /// `-k`/`-K` answers or password files: defaults under the hosts' own `ansible_password`/`ansible_become_password`.
    var passwords: ConnectionPasswords
    /// The vault secrets, for `lookup('unvault', …)`.
    var vault: VaultSecrets

    func context(bus: EventBus) -> ExecutionContext {
        let records = inventory.hostOrder.map { hostVariables.record(for: $0) }
        let state = RunState(hosts: records, inventory: inventory)
        var context = ExecutionContext(
            templar: templar, state: state, bus: bus, connections: ConnectionPool(factories: components.connections),
            checkMode: options.check, diffMode: options.diff, verbosity: options.verbosity,
            tags: TagSelection(only: options.tags, skip: options.skipTags), includes: runtimeLoader,
            variableFiles: runtimeLoader, facts: components.facts)
        context.registry = components.registry
        context.inventoryDirectory = inventoryDirectory
        context.inventoryFile = inventoryFile
        var defaults = ConnectionSettings.Defaults()
        defaults.transport = settings.transport
        defaults.user = settings.remoteUser
        defaults.port = settings.remotePort
        defaults.privateKeyFile = settings.privateKeyFile
        defaults.timeout = settings.timeout
        defaults.hostKeyChecking = settings.hostKeyChecking
        defaults.become = settings.become
        defaults.becomeUser = settings.becomeUser
        defaults.becomeMethod = settings.becomeMethod
        defaults.password = passwords.connection
        defaults.becomePassword = passwords.become
        context.connectionDefaults = defaults
        context.ansibleManaged = settings.ansibleManaged
        context.lookupServices = EngineLookupServices(state: state, vault: vault, config: settings.config)
        return context
    }

    /// The play's hosts: its pattern (templated with the play-level variables) matched against the inventory and `--limit`.
    func hosts(for play: PlayPlan, state: RunState) throws -> [String] {
        var pattern = play.hostPattern
        if templar.containsTemplate(pattern) {
            let scope = play.playLevelScope(extraVars: extraVars, templar: templar)
            pattern = PlayPreparation.patternText(try templar.evaluate(pattern, at: play.location, scope: scope))
        }
        var hosts = try state.hosts(matching: pattern, limit: limit)
        for host in hosts where state.record(host) == nil { state.ensureHost(hostVariables.record(for: host)) }
        switch play.order {
        case "reverse_inventory": hosts.reverse()
        case "sorted": hosts.sort()
        case "reverse_sorted": hosts.sort(by: >)
        case "shuffle": hosts.shuffle()
        default: break
        }
        return hosts
    }
}

/// Loads inventory, extra vars and playbooks and compiles the plays, validating as it goes.
struct RunPreparation: Sendable {
    let options: RunOptions
    let settings: RunSettings
    let components: RunComponents

    /// Controller actions the engine provides beyond the loader's standard set, unless a module claims the name.
    private static let extraControllerActions: Set<String> = ["tempfile", "wait_for", "setup", "gather_facts"]

    func prepare() throws -> PreparedRun {
        let passwords = try ConnectionPasswords.resolve(options, prompts: components.prompts)
        let vault = try VaultPasswords.load(
            identities: settings.vaultIdentities, files: settings.vaultPasswordFiles, ask: options.askVaultPassword,
            prompts: components.prompts, workingDirectory: options.workingDirectory)
        let yaml = YAMLLoader(vault: vault)
        let inventoryLoader = InventoryLoader(yaml: yaml, workingDirectory: options.workingDirectory)
        let inventory = try inventoryLoader.load(settings.inventorySources)
        let extraVars = try ExtraVars.parse(options.extraVars, yaml: yaml, workingDirectory: options.workingDirectory)
        var controllerActions = ActionResolver.standardControllerActions
        for name in Self.extraControllerActions where components.registry.module(named: name) == nil {
            controllerActions.insert(name)
        }
        let resolver = ActionResolver(registry: components.registry, controllerActions: controllerActions)
        let loader = PlaybookLoader(
            options: PlaybookLoader.Options(
                actions: resolver, vault: vault, rolesPath: settings.rolesPath, workingDirectory: options.workingDirectory))
        let templar = Templar()
        let compiler = PlanCompiler(
            registry: components.registry, ids: TaskIdentifiers(), syntax: TemplateSyntaxCheck(templar: templar))
        let preparation = PlayPreparation(
            compiler: compiler, gathering: settings.gathering, forceHandlers: settings.forceHandlers,
            anyErrorsFatal: settings.anyErrorsFatal)
        var plays: [PlayPlan] = []
        var playbookDirectory = options.workingDirectory
        for (index, path) in options.playbooks.enumerated() {
            let playbook = try loader.loadPlaybook(path)
            if index == 0 { playbookDirectory = playbook.directory }
            for (play, imports) in playbook.flattenedPlays {
                var plan = try preparation.prepare(play, imports: imports)
                plan.playbookPath = path
                plan.varsFilesSource = play.varsFiles.isEmpty ? nil : VarsFiles(play, loader: loader)
                try plan.readVarsFiles(extraVars: extraVars, templar: templar)
                plays.append(plan)
            }
        }
        let variablesLoader = InventoryVariablesLoader(yaml: yaml)
        let directories = inventoryDirectories()
        let inventoryFiles = try directories.map { try variablesLoader.load(beside: $0, for: inventory) }
        let playbookFiles =
            directories.contains(playbookDirectory)
            ? (groups: [:], hosts: [:]) : try variablesLoader.load(beside: playbookDirectory, for: inventory)
        let limit = try options.limit.map {
            try Inventory.limitPatterns($0, workingDirectory: options.workingDirectory)
        }
        return PreparedRun(
            plays: plays, inventory: inventory,
            hostVariables: HostVariablesBuilder(
                inventory: inventory, inventoryFiles: inventoryFiles, playbookFiles: playbookFiles, extraVars: extraVars),
            limit: limit,
            runtimeLoader: RuntimeLoader(loader: loader, compiler: compiler, playbookDirectory: playbookDirectory),
            templar: templar, options: options, settings: settings, components: components, extraVars: extraVars,
            inventoryDirectory: directories.first, inventoryFile: inventoryFile(), passwords: passwords,
            vault: vault)
    }

    /// Directories holding the inventory sources (for `group_vars`/`host_vars` and `inventory_dir`).
    private func inventoryDirectories() -> [String] {
        settings.inventorySources.compactMap { source in
            let path = absolute(source)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
            return isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
        }
    }

    private func inventoryFile() -> String? {
        settings.inventorySources.first.map(absolute).flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (options.workingDirectory as NSString).appendingPathComponent(path)
    }
}
