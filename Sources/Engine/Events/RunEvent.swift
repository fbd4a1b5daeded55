import Diagnostics
import Templating

/// Everything output callbacks learn about a run, in order. Typed events replace Ansible's
/// `v2_*` callback methods.
public enum RunEvent: Sendable {
    case playbookStarted(path: String)
    case playStarted(PlayInfo)
    /// The play's host pattern matched nothing.
    case noHostsMatched
    case taskStarted(TaskInfo)
    /// One loop item finished on one host.
    case itemResult(TaskInfo, HostTaskResult)
    /// The task finished on one host (for loops: the aggregate of all items).
    case hostResult(TaskInfo, HostTaskResult)
    /// An `until` attempt failed and the task will be retried.
    case retrying(TaskInfo, host: String, attempt: Int, retriesLeft: Int, result: HostTaskResult)
    /// An `async:` task with `poll:` was still running when polled (`ASYNC POLL`).
    case asyncPoll(TaskInfo, host: String, jid: String)
    /// An `async:` task with `poll:` finished (`ASYNC OK` / `ASYNC FAILED`).
    case asyncFinished(TaskInfo, host: String, jid: String, failed: Bool)
    /// A `--diff` block for one host.
    case diff(TaskInfo, host: String, diffs: [Value])
    /// `include_tasks` / `include_role` loaded a file for some hosts.
    case included(path: String, hosts: [String], itemLabel: Value?)
    case handlerNotified(handler: String, host: String)
    case warning(String)
    /// Every host of the play failed: the play stops.
    case noMoreHosts
    /// The run is over; the final per-host counters, sorted by host name, plus `set_stats` data.
    case recap(hosts: [(String, HostStats)], customStats: ValueDictionary)
}

/// What callbacks know about a play.
public struct PlayInfo: Sendable, Equatable {
    public var name: String
    public var hostPattern: String
    public var hosts: [String]
    public var checkMode: Bool

    public init(name: String, hostPattern: String, hosts: [String], checkMode: Bool) {
        self.name = name
        self.hostPattern = hostPattern
        self.hosts = hosts
        self.checkMode = checkMode
    }
}

/// What callbacks know about a task.
public struct TaskInfo: Sendable, Equatable {
    public enum Kind: String, Sendable { case task = "TASK", handler = "RUNNING HANDLER" }
    /// Unique per task per play iteration, so callbacks can tell two tasks with the same name apart.
    public var id: Int
    /// The name as ansible-playbook prints it: `role : name`, or the action when there is no name.
    public var displayName: String
    public var action: String
    public var kind: Kind
    public var location: SourceLocation?
    public var checkMode: Bool
    public var isLoop: Bool
    /// `include_tasks`/`include_role`: their `included:` line stands for the result, so the default
    /// callback prints no `ok:` for them (it still counts in the recap).
    public var isInclude: Bool
    /// An action the controller runs without a module (`fail`, `assert`, `set_fact`, …), whose failure
    /// ansible-core reports as "Action failed" rather than "Module failed".
    public var isAction: Bool

    public init(
        id: Int, displayName: String, action: String, kind: Kind = .task, location: SourceLocation? = nil,
        checkMode: Bool = false, isLoop: Bool = false, isInclude: Bool = false, isAction: Bool = false
    ) {
        self.isInclude = isInclude
        self.isAction = isAction
        self.id = id
        self.displayName = displayName
        self.action = action
        self.kind = kind
        self.location = location
        self.checkMode = checkMode
        self.isLoop = isLoop
    }
}
