import Diagnostics

/// A block (block/rescue/always) or a statically imported group of tasks.
public struct Block: Sendable, Hashable {
    /// Where this block came from: written by the user, or made by the loader for a static import.
    public enum Origin: Sendable, Hashable {
        case block
        /// `import_tasks: file`; the block's keywords are the import task's (when, tags, vars, …).
        case importTasks(file: String)
        /// `import_role:`; the block's children are the role's tasks (dependencies first).
        case importRole(RoleInclusion)
        /// The tasks of a role listed in `roles:` or a role dependency.
        case role(RoleInclusion)
    }

    public var location: SourceLocation
    public var name: LocatedValue?
    public var origin: Origin
    public var block: [TaskEntry]
    public var rescue: [TaskEntry]
    public var always: [TaskEntry]
    public var keywords: Keywords
    public var vars: Variables
    public var when: [LocatedValue]
    public var tags: TagList
    public var notify: [LocatedValue]
    public var role: RoleScope?

    public init(
        location: SourceLocation, name: LocatedValue? = nil, origin: Origin = .block, block: [TaskEntry],
        rescue: [TaskEntry] = [], always: [TaskEntry] = [], keywords: Keywords = Keywords(),
        vars: Variables = Variables(), when: [LocatedValue] = [], tags: TagList = TagList(),
        notify: [LocatedValue] = [], role: RoleScope? = nil
    ) {
        self.location = location
        self.name = name
        self.origin = origin
        self.block = block
        self.rescue = rescue
        self.always = always
        self.keywords = keywords
        self.vars = vars
        self.when = when
        self.tags = tags
        self.notify = notify
        self.role = role
    }
}
