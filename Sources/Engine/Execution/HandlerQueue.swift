/// Which handlers are pending for which hosts, as a value-type state machine.
///
/// Handlers run in the order they are *defined*, not notified; a handler runs once per flush
/// however often it was notified; a handler notified by another handler during a flush runs in the
/// same flush if it comes later, or in the next round otherwise (ansible-core loops until no
/// handler is pending). `listen` topics notify every handler that listens to them.
public struct HandlerQueue: Sendable, Equatable {
    /// A handler's identity for notification: its name plus `listen` topics.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var listen: [String]
        public init(name: String, listen: [String] = []) {
            self.name = name
            self.listen = listen
        }
    }

    /// What the owner should do next.
    public enum Action: Sendable, Equatable {
        /// Run handler `index` (in definition order) on these hosts, in this order.
        case run(index: Int, hosts: [String])
        /// Nothing is pending.
        case done
    }

    public let handlers: [Entry]
    /// Hosts notified per handler index, in notification order.
    private var pending: [Int: [String]] = [:]

    public init(handlers: [Entry]) {
        self.handlers = handlers
    }

    /// Records a notification; returns false when no handler has that name or topic (an error in Ansible).
    @discardableResult
    public mutating func notify(_ nameOrTopic: String, host: String) -> Bool {
        var matched = false
        for (index, handler) in handlers.enumerated()
        where handler.name == nameOrTopic || handler.listen.contains(nameOrTopic) {
            matched = true
            if !(pending[index, default: []].contains(host)) { pending[index, default: []].append(host) }
        }
        return matched
    }

    /// Whether the handler named `nameOrTopic` exists.
    public func knows(_ nameOrTopic: String) -> Bool {
        handlers.contains { $0.name == nameOrTopic || $0.listen.contains(nameOrTopic) }
    }

    /// The next handler to run (lowest definition index with pending hosts), removing it from the queue.
    public mutating func next(activeHosts: Set<String>? = nil) -> Action {
        for index in pending.keys.sorted() {
            guard var hosts = pending.removeValue(forKey: index) else { continue }
            if let activeHosts { hosts = hosts.filter { activeHosts.contains($0) } }
            if !hosts.isEmpty { return .run(index: index, hosts: hosts) }
        }
        return .done
    }

    /// Forgets pending notifications of one host (it failed, or `meta: end_host`).
    public mutating func drop(host: String) {
        for index in pending.keys { pending[index]?.removeAll { $0 == host } }
    }

    public var isEmpty: Bool { pending.values.allSatisfy(\.isEmpty) }
}
