import Templating

/// A unit of work a task names (`copy`, `openstack.cloud.network`, …).
///
/// Modules are values registered explicitly in a ``ModuleRegistry``; the engine validates a
/// task's arguments against ``spec`` at load time and calls ``run(_:)`` once per host.
public protocol Module: Sendable {
    /// Names, argument spec and capabilities.
    static var spec: ModuleSpec { get }
    init()
    /// Runs the module. Check mode and diff mode are in `invocation`; a module that cannot
    /// predict in check mode reports `skipped` through its result values, as Ansible does.
    func run(_ invocation: ModuleInvocation) async throws -> ModuleResult
}

/// A module that manages state the Terraform/pyinfra way: read the current state, plan the
/// change purely, apply it. ``run(_:)`` is derived: check mode is read + plan, and the diff comes
/// from the plan, so `--check` predicts exactly what a real run does.
public protocol StatefulModule: Module {
    associatedtype Observed: Sendable
    associatedtype Change: Sendable
    func read(_ invocation: ModuleInvocation) async throws -> Observed
    /// Pure: no I/O. Returns nil when nothing needs to change.
    func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>?
    func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult
    /// The result reported when nothing changes (or in check mode, with `changed` set from the plan).
    func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult
}

/// A planned change with its diff.
public struct Planned<Change: Sendable>: Sendable {
    public var change: Change
    public var diffs: [FileDiff]
    public init(_ change: Change, diffs: [FileDiff] = []) {
        self.change = change
        self.diffs = diffs
    }
}

extension StatefulModule {
    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures { try await runPlanned(invocation) }
    }

    /// read → plan → apply (or, in check mode, read → plan), with the plan's diff attached in diff mode.
    /// A ``ModuleFailure`` thrown by any step propagates; ``run(_:)`` turns it into a failed result.
    public func runPlanned(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        let observed = try await read(invocation)
        guard let planned = try plan(invocation, observed: observed) else {
            return unchanged(invocation, observed: observed)
        }
        var result: ModuleResult
        if invocation.checkMode {
            result = unchanged(invocation, observed: observed)
            result.changed = true
        } else {
            result = try await apply(invocation, change: planned.change, observed: observed)
        }
        if invocation.diffMode { result.diffs = planned.diffs }
        return result
    }
}

/// What the engine needs to know about a module.
public struct ModuleSpec: Sendable {
    /// The canonical FQCN, e.g. `ansible.builtin.copy`, `openstack.cloud.network`.
    public var name: String
    /// Other names that resolve to it (short name, legacy `os_*` names, `ansible.legacy.*` are derived).
    public var aliases: [String]
    public var arguments: ArgumentSpec
    public var supportsCheckMode: Bool
    /// Runs on the controller whatever the host's connection (OpenStack and Tacker API modules).
    public var runsOnController: Bool
    /// Action group for `module_defaults: {group/…}` (e.g. `openstack.cloud.openstack`).
    public var actionGroup: String?

    public init(
        name: String, aliases: [String] = [], arguments: ArgumentSpec, supportsCheckMode: Bool = true,
        runsOnController: Bool = false, actionGroup: String? = nil
    ) {
        self.name = name
        self.aliases = aliases
        self.arguments = arguments
        self.supportsCheckMode = supportsCheckMode
        self.runsOnController = runsOnController
        self.actionGroup = actionGroup
    }
}

/// Everything one module run gets: validated arguments, the host's connection and the run's modes.
public struct ModuleInvocation: Sendable {
    /// Arguments after templating, alias resolution, defaults and type conversion (keys are canonical names).
    public var arguments: ValueDictionary
    public var connection: any Connection
    public var checkMode: Bool
    public var diffMode: Bool
    public var hostName: String
    /// All variables of the host for this task (for `template` and modules that read facts).
    public var variables: any VariableScope
    /// Where relative `src:` paths are searched: the role's `files/` or `templates/`, then the playbook dir.
    public var searchPaths: [String]
    /// Task `environment:`.
    public var environment: [String: String]
    public var become: BecomeRequest?
    /// Renders a template file's text with the task's variables (Ansible's template-module settings).
    public var renderTemplate: @Sendable (_ source: String, _ path: String) throws -> String
    /// Controller-side services shared by all tasks of the run (e.g. the OpenStack token cache).
    public var services: ServiceContainer

    public init(
        arguments: ValueDictionary, connection: any Connection, checkMode: Bool = false, diffMode: Bool = false,
        hostName: String, variables: any VariableScope, searchPaths: [String] = [], environment: [String: String] = [:],
        become: BecomeRequest? = nil,
        renderTemplate: @escaping @Sendable (_ source: String, _ path: String) throws -> String,
        services: ServiceContainer = ServiceContainer()
    ) {
        self.arguments = arguments
        self.connection = connection
        self.checkMode = checkMode
        self.diffMode = diffMode
        self.hostName = hostName
        self.variables = variables
        self.searchPaths = searchPaths
        self.environment = environment
        self.become = become
        self.renderTemplate = renderTemplate
        self.services = services
    }
}
