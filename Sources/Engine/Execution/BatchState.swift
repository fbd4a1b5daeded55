import Templating

/// The state of one `serial` batch while a play runs: which hosts stopped and why, pending
/// handlers, and play-level stop requests (`meta: end_play`, `any_errors_fatal`).
struct BatchState: Sendable {
    let hosts: [String]
    var failed: Set<String> = []
    var unreachable: Set<String> = []
    /// `meta: end_host`.
    var ended: Set<String> = []
    var endPlay = false
    var endBatch = false
    var handlers: HandlerQueue
    var handlerPlans: [TaskPlan]
    /// Enclosing blocks that have a `rescue:` while their `block:` section runs: a failure there
    /// is counted as rescued, not failed.
    var rescueDepth = 0
    /// `--start-at-task`: shared by every batch and play of the run.
    var startAtTask: StartAtTask?

    init(hosts: [String], handlers: [TaskPlan], startAtTask: StartAtTask?) {
        self.hosts = hosts
        self.handlerPlans = handlers
        self.handlers = HandlerQueue(handlers: handlers.map(Self.entry))
        self.startAtTask = startAtTask
    }

    static func entry(_ handler: TaskPlan) -> HandlerQueue.Entry {
        var topics = handler.listen
        let name = handler.name ?? handler.actionName
        if let role = handler.role { topics.append("\(role.name) : \(name)") }
        return HandlerQueue.Entry(name: name, listen: topics)
    }

    /// Adds handlers brought in by `include_role` so they can be notified.
    mutating func addHandlers(_ plans: [TaskPlan]) {
        guard !plans.isEmpty else { return }
        var queue = HandlerQueue(handlers: (handlerPlans + plans).map(Self.entry))
        // Pending notifications move to the new queue in definition order.
        while case .run(let index, let hosts) = handlers.next() {
            for host in hosts { queue.notify(handlerPlans[index].name ?? handlerPlans[index].actionName, host: host) }
        }
        handlerPlans += plans
        handlers = queue
    }

    func isActive(_ host: String) -> Bool {
        !failed.contains(host) && !unreachable.contains(host) && !ended.contains(host)
    }

    /// Hosts still running, in batch order.
    var active: [String] { hosts.filter(isActive) }
}
