import Diagnostics
import Templating

/// A role on disk: its tasks, handlers, variables and dependencies, loaded.
public struct Role: Sendable, Hashable {
    public var name: String
    /// The role's directory, absolute (`role_path`).
    public var path: String
    /// `tasks/main.yml` (or `tasks_from`); empty when the role has no tasks.
    public var tasks: [TaskEntry]
    public var handlers: [TaskEntry]
    public var defaults: Variables
    public var vars: Variables
    /// `meta/main.yml` dependencies, loaded recursively.
    public var dependencies: [RoleInclusion]
    /// `meta/main.yml` `allow_duplicates`.
    public var allowDuplicates: Bool
    /// `meta/argument_specs.yml` (or `argument_specs` in `meta/main.yml`), when the role has one.
    public var argumentSpecs: RoleArgumentSpecs?

    public init(
        name: String, path: String, tasks: [TaskEntry], handlers: [TaskEntry], defaults: Variables, vars: Variables,
        dependencies: [RoleInclusion], allowDuplicates: Bool, argumentSpecs: RoleArgumentSpecs? = nil
    ) {
        self.name = name
        self.path = path
        self.tasks = tasks
        self.handlers = handlers
        self.defaults = defaults
        self.vars = vars
        self.dependencies = dependencies
        self.allowDuplicates = allowDuplicates
        self.argumentSpecs = argumentSpecs
    }

    /// `templates/`, `files/`, `tasks/`, … of this role.
    public func directory(_ name: String) -> String {
        path + "/" + name
    }
}

/// A use of a role: a `roles:` entry, a meta dependency, or `import_role`.
public struct RoleInclusion: Sendable, Hashable {
    public var location: SourceLocation
    /// The role name or path as written.
    public var name: LocatedValue
    public var role: Role
    /// Keywords of the entry (become, delegate_to, …) that apply to every task of the role.
    public var keywords: Keywords
    /// `vars:` of the entry plus role parameters (other keys of the entry), both as role params.
    public var vars: Variables
    public var when: [LocatedValue]
    public var tags: TagList

    public init(
        location: SourceLocation, name: LocatedValue, role: Role, keywords: Keywords, vars: Variables,
        when: [LocatedValue], tags: TagList
    ) {
        self.location = location
        self.name = name
        self.role = role
        self.keywords = keywords
        self.vars = vars
        self.when = when
        self.tags = tags
    }
}

/// What a task knows about the role it belongs to.
public struct RoleScope: Sendable, Hashable {
    public var name: String
    public var path: String
    public var defaults: Variables
    public var vars: Variables
    /// The inclusion's `vars:` and parameters.
    public var parameters: Variables

    public init(name: String, path: String, defaults: Variables, vars: Variables, parameters: Variables) {
        self.name = name
        self.path = path
        self.defaults = defaults
        self.vars = vars
        self.parameters = parameters
    }
}
