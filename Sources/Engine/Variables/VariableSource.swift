/// Where a variable comes from, in Ansible's precedence order: a later case overrides an earlier one.
///
/// This is the single definition of variable precedence in stackplay (the order documented in
/// Ansible's "Understanding variable precedence", lowest first). Command-line options such as `-u`
/// are not variables and are therefore not a case here; connection variables set in inventory
/// (`ansible_user`) override them because they are ordinary inventory variables.
public enum VariableSource: Int, Comparable, CaseIterable, Sendable, CustomStringConvertible {
    /// `defaults/main.yml` of a role.
    case roleDefaults = 1
    /// `[group:vars]` / `vars:` of a group in the inventory file itself.
    case inventoryGroupVars
    /// `group_vars/all` beside the inventory.
    case inventoryGroupVarsAll
    /// `group_vars/all` beside the playbook.
    case playbookGroupVarsAll
    /// `group_vars/<group>` beside the inventory.
    case inventoryGroupVarsFiles
    /// `group_vars/<group>` beside the playbook.
    case playbookGroupVarsFiles
    /// Inline host variables in the inventory file.
    case inventoryHostVars
    /// `host_vars/<host>` beside the inventory.
    case inventoryHostVarsFiles
    /// `host_vars/<host>` beside the playbook.
    case playbookHostVarsFiles
    /// Gathered facts and `set_fact: … cacheable: true`.
    case hostFacts
    /// The play's `vars:`.
    case playVars
    /// Answers to the play's `vars_prompt:`.
    case playVarsPrompt
    /// The play's `vars_files:`.
    case playVarsFiles
    /// `vars/main.yml` of a role.
    case roleVars
    /// `vars:` of enclosing blocks.
    case blockVars
    /// `vars:` of the task.
    case taskVars
    /// `include_vars`.
    case includeVars
    /// `set_fact` and `register`.
    case setFacts
    /// Parameters given to a role (`roles: [{role: x, param: 1}]`, `include_role` `vars:`).
    case roleParams
    /// `vars:` given to `include_tasks` / `import_tasks`.
    case includeParams
    /// `-e` / `--extra-vars`: always win.
    case extraVars

    public static func < (lhs: VariableSource, rhs: VariableSource) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Human-readable name used by `-vvv` output and documentation.
    public var description: String {
        switch self {
        case .roleDefaults: "role defaults"
        case .inventoryGroupVars: "inventory file group vars"
        case .inventoryGroupVarsAll: "inventory group_vars/all"
        case .playbookGroupVarsAll: "playbook group_vars/all"
        case .inventoryGroupVarsFiles: "inventory group_vars/*"
        case .playbookGroupVarsFiles: "playbook group_vars/*"
        case .inventoryHostVars: "inventory file host vars"
        case .inventoryHostVarsFiles: "inventory host_vars/*"
        case .playbookHostVarsFiles: "playbook host_vars/*"
        case .hostFacts: "host facts and cached set_facts"
        case .playVars: "play vars"
        case .playVarsPrompt: "play vars_prompt"
        case .playVarsFiles: "play vars_files"
        case .roleVars: "role vars"
        case .blockVars: "block vars"
        case .taskVars: "task vars"
        case .includeVars: "include_vars"
        case .setFacts: "set_facts and registered vars"
        case .roleParams: "role params"
        case .includeParams: "include params"
        case .extraVars: "extra vars"
        }
    }
}
