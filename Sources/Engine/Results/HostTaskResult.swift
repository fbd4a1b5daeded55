import Templating

/// The result of one task (or one loop item) on one host, as reported to output callbacks and
/// stored by `register:`.
public struct HostTaskResult: Sendable, Equatable {
    public var host: String
    public var status: TaskStatus
    /// Ansible's result dictionary (`changed`, `failed`, `msg`, `rc`, `results`, …), which is also
    /// what `register:` stores.
    public var values: ValueDictionary
    /// The loop item's label (`loop_control.label` or the item) when this is a loop item result.
    public var itemLabel: Value?
    /// The host the task ran on when `delegate_to` sent it elsewhere.
    public var delegatedTo: String?
    /// Show the result dictionary even without `-v` (`debug` does this).
    public var verboseAlways: Bool
    /// `no_log: true`: callbacks print a censored result.
    public var noLog: Bool

    public init(
        host: String, status: TaskStatus, values: ValueDictionary = .init(), itemLabel: Value? = nil,
        delegatedTo: String? = nil, verboseAlways: Bool = false, noLog: Bool = false
    ) {
        self.host = host
        self.status = status
        self.values = values
        self.itemLabel = itemLabel
        self.delegatedTo = delegatedTo
        self.verboseAlways = verboseAlways
        self.noLog = noLog
    }

    /// The result's `msg`, when it is a string.
    public var message: String? { values["msg"]?.string }
}
