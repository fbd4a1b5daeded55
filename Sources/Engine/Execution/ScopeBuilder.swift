import Templating

/// Builds the variables a task sees on a host: the host's layers, the play's and task's layers,
/// and the magic variables (`inventory_hostname`, `groups`, `hostvars`, `ansible_check_mode`, …).
struct ScopeBuilder: Sendable {
    let context: ExecutionContext
    let play: PlayContext

    func scope(for task: TaskPlan?, host: String, snapshot: RunState.Snapshot, includePlay: Bool = true) -> TaskScope {
        var layers = snapshot.hosts[host]?.layers ?? VariableLayers()
        var magic = magicVariables(host: host, snapshot: snapshot)
        if includePlay {
            layers.merge(play.plan.exportedRoleDefaults, into: .roleDefaults)
            layers.merge(play.plan.vars, into: .playVars)
            if !play.plan.promptedVars.isEmpty { layers.merge(play.plan.promptedVars, into: .playVarsPrompt) }
            layers.merge(varsFiles(layers: layers, magic: magic), into: .playVarsFiles)
            layers.merge(play.plan.exportedRoleVars, into: .roleVars)
        }
        if let task {
            if let role = task.role {
                layers.merge(role.defaults, into: .roleDefaults)
                layers.merge(role.vars, into: .roleVars)
                layers.merge(role.params, into: .roleParams)
            }
            for vars in task.blockVars { layers.merge(vars, into: .blockVars) }
            layers.merge(task.taskVars, into: .taskVars)
            layers.merge(task.includeParams, into: .includeParams)
        }
        if let role = task?.role {
            magic["role_name"] = .string(role.name)
            magic["ansible_role_name"] = .string(role.name)
            magic["role_path"] = .string(role.path)
        }
        let templar = context.templar
        let builder = self
        let hostvars: @Sendable () -> Value = { builder.hostvars(snapshot: snapshot) }
        let frozenLayers = layers
        let frozenMagic = magic
        let vars: @Sendable () -> Value = {
            ScopeBuilder.renderedLeniently(frozenLayers, magic: frozenMagic, templar: templar)
        }
        return TaskScope(
            layers: layers, magic: magic, deferred: ["hostvars": hostvars, "vars": vars], templar: templar,
            lookupContext: lookupContext(for: task))
    }

    /// The play's `vars_files` for this host: templated entries are read with the host's variables
    /// so far (inventory, facts, play vars), as ansible-core does on every `get_vars`.
    private func varsFiles(layers: VariableLayers, magic: [String: Value]) -> ValueDictionary {
        guard let source = play.plan.varsFilesSource, source.isTemplated else { return play.plan.varsFiles }
        let bus = context.bus
        do {
            let reading = try source.read(in: TaskScope(layers: layers, magic: magic, templar: context.templar))
            for location in reading.undefinedEntries { source.warnOnce(about: location) { bus.emit(.warning($0)) } }
            return reading.variables
        } catch {
            // Building a scope cannot fail a task here; a file that stopped loading keeps the play's reading.
            bus.emit(.warning("vars_files: \(error)"))
            return play.plan.varsFiles
        }
    }

    /// Where lookups find relative files: the role's `files/`, the task file's directory, the playbook's.
    private func lookupContext(for task: TaskPlan?) -> LookupContext {
        var files: [String] = []
        var templates: [String] = []
        if let role = task?.role {
            files += [role.path + "/files", role.path + "/tasks", role.path]
            templates += [role.path + "/templates", role.path]
        }
        if let file = task?.location?.file, let slash = file.lastIndex(of: "/") {
            let directory = String(file[..<slash])
            files += [directory + "/files", directory]
            templates += [directory + "/templates", directory]
        }
        let playbook = play.plan.playbookDirectory
        files += [playbook + "/files", playbook]
        templates += [playbook + "/templates", playbook]
        return LookupContext(
            fileSearchPaths: files, templateSearchPaths: templates, ansibleManaged: context.ansibleManaged,
            run: context.lookupServices)
    }

    private func magicVariables(host: String, snapshot: RunState.Snapshot) -> [String: Value] {
        let record = snapshot.hosts[host]
        let groupNames = (record?.groups ?? []).filter { $0 != "all" && $0 != "ungrouped" }.sorted()
        let activeHosts = Value.list(play.activeHosts.map(Value.string))
        var magic: [String: Value] = [
            "inventory_hostname": .string(host),
            "inventory_hostname_short": .string(String(host.split(separator: ".").first ?? Substring(host))),
            "group_names": .list(groupNames.map(Value.string)),
            "groups": snapshot.groupsValue,
            "play_hosts": activeHosts,
            "ansible_play_hosts": activeHosts,
            "ansible_play_hosts_all": .list(play.allHosts.map(Value.string)),
            "ansible_play_batch": .list(play.batch.map(Value.string)),
            "ansible_play_name": .string(play.plan.name),
            "playbook_dir": .string(play.plan.playbookDirectory),
            "ansible_check_mode": .bool(context.checkMode),
            "ansible_diff_mode": .bool(context.diffMode),
            "ansible_run_tags": .list(context.tags.runTags.map(Value.string)),
            "ansible_skip_tags": .list(context.tags.skipTags.map(Value.string)),
            "ansible_verbosity": .int(context.verbosity),
            "ansible_forks": .int(0),
            "omit": .string(context.omitPlaceholder),
            "ansible_version": .object([
                "full": "2.21.5", "major": 2, "minor": 21, "revision": 5, "string": "2.21.5",
            ]),
        ]
        if let directory = context.inventoryDirectory { magic["inventory_dir"] = .string(directory) }
        if let file = context.inventoryFile { magic["inventory_file"] = .string(file) }
        return magic
    }

    /// `hostvars`: every host's inventory variables, facts and set_facts (not play or task
    /// variables, as in ansible-core 2.19+), templated leniently (a value that fails to render is
    /// shown raw, as Ansible's lazy hostvars only fail when that value is used).
    func hostvars(snapshot: RunState.Snapshot) -> Value {
        var all = ValueDictionary()
        let extra = snapshot.hosts.keys.filter { !snapshot.hostOrder.contains($0) }.sorted()
        for name in snapshot.hostOrder + extra {
            let hostScope = scope(for: nil, host: name, snapshot: snapshot, includePlay: false)
            all[name] = Self.renderedLeniently(hostScope.layers, magic: hostScope.magic, templar: context.templar)
        }
        return .dict(all)
    }

    static func renderedLeniently(_ layers: VariableLayers, magic: [String: Value], templar: any TemplateEvaluator)
        -> Value
    {
        let scope = TaskScope(layers: layers, magic: magic, templar: templar)
        var dictionary = ValueDictionary()
        for (name, entry) in layers.flattened.sorted(by: { $0.key < $1.key }) {
            dictionary[name] = (try? scope.value(of: name)) ?? entry.value
        }
        for key in ["inventory_hostname", "inventory_hostname_short", "group_names", "playbook_dir"] {
            if let value = magic[key] { dictionary[key] = value }
        }
        return .dict(dictionary)
    }
}
