import Templating

/// A module's arguments declared as data, as Ansible's `argument_spec`, so that the engine can
/// check every task's arguments when the playbook loads, before anything runs.
public struct ArgumentSpec: Sendable {
    public var options: [String: OptionSpec]
    public var mutuallyExclusive: [[String]]
    public var requiredTogether: [[String]]
    public var requiredOneOf: [[String]]
    /// `(option, value, requirements)`: when `option == value`, every name in `requirements` is required.
    public var requiredIf: [(String, Value, [String])]
    /// Whether the module takes a free-form string (`command: ls -l`, `shell: …`); it arrives as `_raw_params`.
    public var freeForm: Bool
    /// Whether other arguments are kept for a backend module that checks them when the task runs
    /// (`package` hands everything to `apt`, `dnf`, …; `enablerepo` is valid for one and not another).
    public var passesOtherArguments: Bool

    public init(
        _ options: [String: OptionSpec], mutuallyExclusive: [[String]] = [], requiredTogether: [[String]] = [],
        requiredOneOf: [[String]] = [], requiredIf: [(String, Value, [String])] = [], freeForm: Bool = false,
        passesOtherArguments: Bool = false
    ) {
        self.passesOtherArguments = passesOtherArguments
        self.options = options
        self.mutuallyExclusive = mutuallyExclusive
        self.requiredTogether = requiredTogether
        self.requiredOneOf = requiredOneOf
        self.requiredIf = requiredIf
        self.freeForm = freeForm
    }
}

/// One option of a module.
public struct OptionSpec: Sendable {
    public indirect enum Kind: Sendable {
        case string, bool, int, float, path, raw, dict, jsonarg
        /// A list; elements are converted to `elements` when given.
        case list(elements: Kind?)
        /// Octal or symbolic file mode (`'0644'`, `0644`, `u=rw,g=r`).
        case mode
        /// A dict with its own nested spec (Ansible's `type='dict', options=…`).
        case dictOf(ArgumentSpec)
    }

    public var kind: Kind
    public var required: Bool
    public var defaultValue: Value?
    public var choices: [Value]?
    public var aliases: [String]
    /// Never printed or returned (passwords, tokens, private keys).
    public var noLog: Bool

    public init(
        _ kind: Kind, required: Bool = false, default defaultValue: Value? = nil, choices: [Value]? = nil,
        aliases: [String] = [], noLog: Bool = false
    ) {
        self.kind = kind
        self.required = required
        self.defaultValue = defaultValue
        self.choices = choices
        self.aliases = aliases
        self.noLog = noLog
    }
}
