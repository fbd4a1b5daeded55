import Templating

/// `--output json`: one JSON object per line per event, for machines (CI logs, dashboards).
public struct JSONLinesCallback: OutputCallback {
    private let output: any TextOutput

    public init(output: any TextOutput) {
        self.output = output
    }

    public mutating func handle(_ event: RunEvent) {
        guard let object = Self.object(for: event) else { return }
        output.write(JSON.text(.dict(object), .results(indent: nil, sortKeys: false)) + "\n", toStandardError: false)
    }

    static func object(for event: RunEvent) -> ValueDictionary? {
        var object = ValueDictionary()
        switch event {
        case .playbookStarted(let path):
            object["event"] = "playbook_start"
            object["path"] = .string(path)
        case .playStarted(let play):
            object["event"] = "play_start"
            object["name"] = .string(play.name)
            object["pattern"] = .string(play.hostPattern)
            object["hosts"] = .list(play.hosts.map(Value.string))
            object["check_mode"] = .bool(play.checkMode)
        case .noHostsMatched:
            object["event"] = "no_hosts_matched"
        case .taskStarted(let task):
            object["event"] = task.kind == .handler ? "handler_start" : "task_start"
            add(task, to: &object)
        case .itemResult(let task, let result):
            object["event"] = "item_result"
            add(task, to: &object)
            add(result, to: &object)
        case .hostResult(let task, let result):
            object["event"] = "host_result"
            add(task, to: &object)
            add(result, to: &object)
        case .retrying(let task, let host, let attempt, let retriesLeft, _):
            object["event"] = "retrying"
            add(task, to: &object)
            object["host"] = .string(host)
            object["attempt"] = .int(attempt)
            object["retries_left"] = .int(retriesLeft)
        case .asyncPoll(let task, let host, let jid):
            object["event"] = "async_poll"
            add(task, to: &object)
            object["host"] = .string(host)
            object["jid"] = .string(jid)
        case .asyncFinished(let task, let host, let jid, let failed):
            object["event"] = failed ? "async_failed" : "async_ok"
            add(task, to: &object)
            object["host"] = .string(host)
            object["jid"] = .string(jid)
        case .diff(let task, let host, let diffs):
            object["event"] = "diff"
            add(task, to: &object)
            object["host"] = .string(host)
            object["diff"] = .list(diffs)
        case .included(let path, let hosts, _):
            object["event"] = "included"
            object["path"] = .string(path)
            object["hosts"] = .list(hosts.map(Value.string))
        case .handlerNotified(let handler, let host):
            object["event"] = "handler_notified"
            object["handler"] = .string(handler)
            object["host"] = .string(host)
        case .warning(let message):
            object["event"] = "warning"
            object["message"] = .string(message)
        case .noMoreHosts:
            object["event"] = "no_more_hosts"
        case .recap(let hosts, let custom):
            object["event"] = "recap"
            var stats = ValueDictionary()
            for (host, counters) in hosts {
                stats[host] = .object([
                    "ok": .int(counters.ok), "changed": .int(counters.changed),
                    "unreachable": .int(counters.unreachable), "failed": .int(counters.failed),
                    "skipped": .int(counters.skipped), "rescued": .int(counters.rescued),
                    "ignored": .int(counters.ignored),
                ])
            }
            object["stats"] = .dict(stats)
            if !custom.isEmpty { object["custom_stats"] = .dict(custom) }
        }
        return object
    }

    private static func add(_ task: TaskInfo, to object: inout ValueDictionary) {
        object["task"] = .string(task.displayName)
        object["action"] = .string(task.action)
        if let location = task.location { object["location"] = .string(location.description) }
    }

    private static func add(_ result: HostTaskResult, to object: inout ValueDictionary) {
        object["host"] = .string(result.host)
        object["status"] = .string(statusName(result.status))
        if let delegate = result.delegatedTo { object["delegated_to"] = .string(delegate) }
        if let label = result.itemLabel { object["item"] = label }
        object["result"] = result.noLog
            ? .object(["censored": .string(ResultFormatting.censoredMessage)]) : .dict(result.values)
    }

    static func statusName(_ status: TaskStatus) -> String {
        switch status {
        case .ok(changed: true): "changed"
        case .ok: "ok"
        case .skipped: "skipped"
        case .failed(ignored: true): "ignored"
        case .failed: "failed"
        case .unreachable(ignored: true): "unreachable_ignored"
        case .unreachable: "unreachable"
        }
    }
}
