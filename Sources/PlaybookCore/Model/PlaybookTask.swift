import Diagnostics
import Templating

/// One entry of a task list: a task or a block. Static imports (`import_tasks`, `import_role`)
/// are already expanded into blocks by the loader.
public indirect enum TaskEntry: Sendable, Hashable {
    case task(PlaybookTask)
    case block(Block)

    /// Where the entry starts.
    public var location: SourceLocation {
        switch self {
        case .task(let task): return task.location
        case .block(let block): return block.location
        }
    }
}

/// A task (or handler): one action with its keywords. (Named so to stay clear of Swift's `Task`.)
public struct PlaybookTask: Sendable, Hashable {
    /// Where the task's mapping starts.
    public var location: SourceLocation
    public var name: LocatedValue?
    public var action: TaskAction
    /// Keywords not modelled as fields below (`become`, `delegate_to`, `changed_when`, `until`, …).
    /// `local_action:` sets `delegate_to: localhost` here.
    public var keywords: Keywords
    public var vars: Variables
    /// Conditions, all of which must hold (a `when:` list is AND). Strings are raw Jinja2 expressions.
    public var when: [LocatedValue]
    public var tags: TagList
    public var loop: TaskLoop?
    public var loopControl: LocatedValue?
    public var register: LocatedValue?
    /// Handler names or `listen` topics to notify.
    public var notify: [LocatedValue]
    /// For handlers: the topics this handler also answers to.
    public var listen: [LocatedValue]
    /// The role this task belongs to, for `role_path`, role variables and `files/`/`templates/` lookup.
    public var role: RoleScope?
    /// The file the task was loaded from (relative `include_tasks` paths resolve against its directory).
    public var file: String
    /// `include_tasks`/`include_role`'s `apply:`: block keywords the included tasks get as their parent.
    public var apply: Block?

    public init(
        location: SourceLocation, name: LocatedValue? = nil, action: TaskAction, keywords: Keywords = Keywords(),
        vars: Variables = Variables(), when: [LocatedValue] = [], tags: TagList = TagList(), loop: TaskLoop? = nil,
        loopControl: LocatedValue? = nil, register: LocatedValue? = nil, notify: [LocatedValue] = [],
        listen: [LocatedValue] = [], role: RoleScope? = nil, file: String
    ) {
        self.location = location
        self.name = name
        self.action = action
        self.keywords = keywords
        self.vars = vars
        self.when = when
        self.tags = tags
        self.loop = loop
        self.loopControl = loopControl
        self.register = register
        self.notify = notify
        self.listen = listen
        self.role = role
        self.file = file
    }
}

/// What a task does: the action as written, what it resolved to, and its arguments.
public struct TaskAction: Sendable, Hashable {
    /// The name as the user wrote it (`os_subnet`, `ansible.builtin.copy`, `debug`).
    public var writtenName: String
    /// The canonical name: the module's FQCN (`openstack.cloud.subnet`) or, for actions the engine
    /// runs itself, `ansible.builtin.<name>` (`ansible.builtin.debug`).
    public var resolvedName: String
    /// Whether the engine runs it on the controller (debug, set_fact, include_tasks, …) rather
    /// than a registered module.
    public var isControllerAction: Bool
    /// The arguments after merging `args:`, the dict or `k=v` form; free-form text is `_raw_params`.
    public var arguments: TaskArguments
    /// Where the action key (or `action:`/`local_action:`) is written.
    public var location: SourceLocation

    public init(
        writtenName: String, resolvedName: String, isControllerAction: Bool, arguments: TaskArguments,
        location: SourceLocation
    ) {
        self.writtenName = writtenName
        self.resolvedName = resolvedName
        self.isControllerAction = isControllerAction
        self.arguments = arguments
        self.location = location
    }

    /// The short name (`copy` for `ansible.builtin.copy`), what ansible-playbook prints in `TASK [...]`.
    public var shortName: String {
        resolvedName.split(separator: ".").last.map(String.init) ?? resolvedName
    }
}

/// A task's arguments with the location of each, so that argument errors point at the argument.
public struct TaskArguments: Sendable, Hashable {
    /// One argument.
    public struct Argument: Sendable, Hashable {
        public var name: String
        public var value: LocatedValue
        /// Where the argument's name is written (for `k=v` text: the text itself).
        public var keyLocation: SourceLocation

        public init(name: String, value: LocatedValue, keyLocation: SourceLocation) {
            self.name = name
            self.value = value
            self.keyLocation = keyLocation
        }
    }

    public private(set) var arguments: [Argument] = []
    /// A whole-args template (`args: "{{ module_args }}"`), resolved at run time.
    public var variableParameters: LocatedValue?

    public init(_ arguments: [Argument] = []) {
        for argument in arguments { set(argument) }
    }

    /// Adds or replaces an argument.
    public mutating func set(_ argument: Argument) {
        if let index = arguments.firstIndex(where: { $0.name == argument.name }) {
            arguments[index] = argument
        } else {
            arguments.append(argument)
        }
    }

    public subscript(name: String) -> Argument? {
        arguments.first { $0.name == name }
    }

    /// The plain values, in order.
    public var dictionary: ValueDictionary {
        var dictionary = ValueDictionary()
        for argument in arguments { dictionary[argument.name] = argument.value.value }
        return dictionary
    }

    /// The location of the value at `path` (first component: argument name), or of its key.
    public func location(at path: [String], key: Bool) -> SourceLocation? {
        guard let first = path.first, let argument = self[first] else { return nil }
        if path.count == 1 {
            return key ? argument.keyLocation : argument.value.location
        }
        let rest = path.dropFirst().map { Value.string($0) }
        if key, let parent = Optional(argument.value.node.node(at: Array(rest.dropLast()))),
            let last = path.last, let keyLocation = parent.keyLocation(last)
        {
            return keyLocation
        }
        return argument.value.location(at: rest)
    }
}

/// A task's loop: `loop:` or `with_<lookup>:`.
public struct TaskLoop: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case loop
        /// `with_items`, `with_dict`, … ; the associated value is the lookup name (`items`, `dict`).
        case with(String)
    }

    public var kind: Kind
    public var items: LocatedValue

    public init(kind: Kind, items: LocatedValue) {
        self.kind = kind
        self.items = items
    }
}

/// Tags of a play, block, role or task: a list or a comma-separated string, normalized.
public struct TagList: Sendable, Hashable {
    public var tags: [String]
    public var location: SourceLocation?

    public init(_ tags: [String] = [], at location: SourceLocation? = nil) {
        self.tags = tags
        self.location = location
    }
}
