import Diagnostics
import Templating

/// A loaded playbook file: its plays and (already loaded) `import_playbook` entries.
public struct Playbook: Sendable, Hashable {
    /// The path as the user gave it.
    public var path: String
    /// The directory of the playbook (`playbook_dir`), absolute.
    public var directory: String
    public var entries: [PlaybookEntry]

    public init(path: String, directory: String, entries: [PlaybookEntry]) {
        self.path = path
        self.directory = directory
        self.entries = entries
    }

    /// Every play in order, with imported playbooks expanded, each with the imports that lead to it
    /// (their `vars`, `when` and `tags` apply to the play).
    public var flattenedPlays: [(play: Play, imports: [PlaybookImport])] {
        var result: [(play: Play, imports: [PlaybookImport])] = []
        for entry in entries {
            switch entry {
            case .play(let play):
                result.append((play, []))
            case .importPlaybook(let playbookImport):
                for (play, imports) in playbookImport.playbook.flattenedPlays {
                    result.append((play, [playbookImport] + imports))
                }
            }
        }
        return result
    }
}

/// One top-level entry of a playbook.
public indirect enum PlaybookEntry: Sendable, Hashable {
    case play(Play)
    case importPlaybook(PlaybookImport)
}

/// `- import_playbook: other.yml` with its keywords; the imported playbook is loaded statically.
public struct PlaybookImport: Sendable, Hashable {
    public var location: SourceLocation
    /// The path as written.
    public var path: LocatedValue
    public var playbook: Playbook
    public var keywords: Keywords
    public var vars: Variables
    public var when: [LocatedValue]
    public var tags: TagList

    public init(
        location: SourceLocation, path: LocatedValue, playbook: Playbook, keywords: Keywords, vars: Variables,
        when: [LocatedValue], tags: TagList
    ) {
        self.location = location
        self.path = path
        self.playbook = playbook
        self.keywords = keywords
        self.vars = vars
        self.when = when
        self.tags = tags
    }
}

/// A play.
public struct Play: Sendable, Hashable {
    public var location: SourceLocation
    public var name: LocatedValue?
    /// The host pattern: a string (`web:&prod`) or a list of patterns; may be a template.
    public var hosts: LocatedValue
    /// Every other scalar keyword: gather_facts, serial, strategy, become*, connection, environment,
    /// module_defaults, collections, order, throttle, max_fail_percentage, force_handlers, …
    public var keywords: Keywords
    public var vars: Variables
    /// `vars_files` entries in order; an entry that is a list means "first file that exists".
    public var varsFiles: [LocatedValue]
    public var varsPrompt: LocatedValue?
    public var tags: TagList
    public var roles: [RoleInclusion]
    public var preTasks: [TaskEntry]
    public var tasks: [TaskEntry]
    public var postTasks: [TaskEntry]
    public var handlers: [TaskEntry]
    /// The playbook's directory, absolute (`playbook_dir`; relative `vars_files` resolve here).
    public var directory: String

    public init(
        location: SourceLocation, name: LocatedValue?, hosts: LocatedValue, keywords: Keywords, vars: Variables,
        varsFiles: [LocatedValue], varsPrompt: LocatedValue?, tags: TagList, roles: [RoleInclusion],
        preTasks: [TaskEntry], tasks: [TaskEntry], postTasks: [TaskEntry], handlers: [TaskEntry], directory: String
    ) {
        self.location = location
        self.name = name
        self.hosts = hosts
        self.keywords = keywords
        self.vars = vars
        self.varsFiles = varsFiles
        self.varsPrompt = varsPrompt
        self.tags = tags
        self.roles = roles
        self.preTasks = preTasks
        self.tasks = tasks
        self.postTasks = postTasks
        self.handlers = handlers
        self.directory = directory
    }
}
