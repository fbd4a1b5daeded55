import PlaybookCore
import Synchronization
import Templating

/// The run's mutable state shared by all hosts: host records, group membership (which `add_host`
/// and `group_by` change), recap counters and `set_stats` data.
///
/// Host tasks run concurrently; every access goes through the mutex and is short (no awaits
/// inside), and readers take a copy-on-write ``Snapshot``.
public final class RunState: Sendable {
    /// An immutable view of the run for one task.
    public struct Snapshot: Sendable {
        public var hosts: [String: HostRecord]
        /// Group name → hosts in inventory order.
        public var groups: [(name: String, hosts: [String])] {
            didSet { groupsValue = Self.value(of: groups) }
        }
        /// Hosts in inventory order.
        public var hostOrder: [String]
        /// `groups` as templates see it (kept with `groups`: every task's scope uses it).
        public private(set) var groupsValue: Value

        public init(hosts: [String: HostRecord], groups: [(name: String, hosts: [String])], hostOrder: [String]) {
            self.hosts = hosts
            self.groups = groups
            self.hostOrder = hostOrder
            self.groupsValue = Self.value(of: groups)
        }

        private static func value(of groups: [(name: String, hosts: [String])]) -> Value {
            var dictionary = ValueDictionary()
            for group in groups { dictionary[group.name] = .list(group.hosts.map(Value.string)) }
            return .dict(dictionary)
        }
    }

    struct Storage {
        var snapshot: Snapshot
        /// The inventory with run-time additions, for host patterns of later plays.
        var inventory: Inventory
        var stats: [String: HostStats] = [:]
        var customStats = ValueDictionary()
        var perHostStats: [String: ValueDictionary] = [:]
    }

    private let storage: Mutex<Storage>

    public init(hosts: [HostRecord], inventory: Inventory) {
        var records: [String: HostRecord] = [:]
        for host in hosts { records[host.name] = host }
        let groups = inventory.groupOrder.map { (name: $0, hosts: inventory.hosts(in: $0)) }
        storage = Mutex(
            Storage(
                snapshot: Snapshot(hosts: records, groups: groups, hostOrder: hosts.map(\.name)), inventory: inventory))
    }

    /// The hosts a play pattern selects now (including hosts added by `add_host`).
    public func hosts(matching pattern: String, limit: [String]?) throws -> [String] {
        let inventory = storage.withLock { $0.inventory }
        return try inventory.hosts(matching: pattern, limit: limit)
    }

    /// The hosts a list of patterns selects now, with no `--limit` (for `inventory_hostnames`).
    public func hosts(matching patterns: [String]) throws -> [String] {
        let inventory = storage.withLock { $0.inventory }
        return try inventory.hosts(matching: patterns)
    }

    /// Registers a host the run has not seen yet (the implicit localhost).
    public func ensureHost(_ record: HostRecord) {
        storage.withLock { storage in
            guard storage.snapshot.hosts[record.name] == nil else { return }
            storage.snapshot.hosts[record.name] = record
        }
    }

    public func snapshot() -> Snapshot {
        storage.withLock { $0.snapshot }
    }

    public func record(_ host: String) -> HostRecord? {
        storage.withLock { $0.snapshot.hosts[host] }
    }

    /// Changes one host's record in place.
    public func update(_ host: String, _ change: (inout HostRecord) -> Void) {
        storage.withLock { storage in
            // In place: a copy of the record would make every change copy its dictionaries.
            guard storage.snapshot.hosts[host] != nil else { return }
            change(&storage.snapshot.hosts[host]!)
        }
    }

    /// Adds a host (or new groups for it) at run time, as `add_host` does.
    public func addHost(_ record: HostRecord, groups newGroups: [String]) {
        storage.withLock { storage in
            let name = record.name
            if var existing = storage.snapshot.hosts[name] {
                for (key, entry) in record.baseLayers.variables(in: .inventoryHostVars) {
                    existing.baseLayers.set(key, to: entry.value, in: .inventoryHostVars, origin: entry.origin)
                }
                for group in newGroups where !existing.groups.contains(group) { existing.groups.append(group) }
                storage.snapshot.hosts[name] = existing
            } else {
                var added = record
                for group in newGroups where !added.groups.contains(group) { added.groups.append(group) }
                storage.snapshot.hosts[name] = added
                storage.snapshot.hostOrder.append(name)
                Self.addMember(name, to: "all", in: &storage.snapshot)
                if newGroups.isEmpty { Self.addMember(name, to: "ungrouped", in: &storage.snapshot) }
            }
            for group in newGroups { Self.addMember(name, to: group, in: &storage.snapshot) }
            storage.inventory.addHost(name)
            for group in newGroups { storage.inventory.addHost(name, to: group) }
        }
    }

    /// Puts a host into a group (creating it), as `group_by` does.
    public func addToGroup(_ host: String, group: String, parents: [String]) {
        storage.withLock { storage in
            Self.addMember(host, to: group, in: &storage.snapshot)
            storage.snapshot.hosts[host].map { record in
                var record = record
                if !record.groups.contains(group) { record.groups.append(group) }
                storage.snapshot.hosts[host] = record
            }
            for parent in parents where parent != "all" {
                if !storage.snapshot.groups.contains(where: { $0.name == parent }) {
                    storage.snapshot.groups.append((parent, []))
                }
                storage.inventory.addChild(group, to: parent)
            }
            storage.inventory.addHost(host, to: group)
        }
    }

    private static func addMember(_ host: String, to group: String, in snapshot: inout Snapshot) {
        if let index = snapshot.groups.firstIndex(where: { $0.name == group }) {
            if !snapshot.groups[index].hosts.contains(host) { snapshot.groups[index].hosts.append(host) }
        } else {
            snapshot.groups.append((group, [host]))
        }
    }

    public func count(_ host: String, _ status: TaskStatus, resultChanged: Bool = false) {
        storage.withLock { $0.stats[host, default: HostStats()].record(status, resultChanged: resultChanged) }
    }

    /// A failure inside a block whose `rescue` ran: counted as rescued instead of failed.
    public func countRescued(_ host: String) {
        storage.withLock { storage in
            storage.stats[host, default: HostStats()].rescued += 1
        }
    }

    /// Makes sure a host appears in the recap even if no task counted for it.
    public func touch(_ host: String) {
        storage.withLock { storage in
            if storage.stats[host] == nil { storage.stats[host] = HostStats() }
        }
    }

    public var stats: [String: HostStats] { storage.withLock { $0.stats } }

    /// `set_stats`: merges `data` into the run-wide (or per-host) custom stats.
    public func setStats(_ data: ValueDictionary, host: String, perHost: Bool, aggregate: Bool) {
        storage.withLock { storage in
            func merge(_ target: inout ValueDictionary) {
                for (key, value) in data {
                    if aggregate, let existing = target[key] {
                        target[key] = Self.aggregate(existing, value)
                    } else {
                        target[key] = value
                    }
                }
            }
            if perHost {
                merge(&storage.perHostStats[host, default: ValueDictionary()])
            } else {
                merge(&storage.customStats)
            }
        }
    }

    /// ansible-core's aggregation: dicts merge, lists concatenate, numbers add, else replace.
    private static func aggregate(_ old: Value, _ new: Value) -> Value {
        switch (old, new) {
        case (.dict(var left), .dict(let right)):
            for (key, value) in right { left[key] = value }
            return .dict(left)
        case (.list(let left), .list(let right)): return .list(left + right)
        case (.int(let left), .int(let right)): return .int(left + right)
        case (.float(let left), .float(let right)): return .float(left + right)
        default: return new
        }
    }

    public var customStats: ValueDictionary {
        storage.withLock { storage in
            var all = storage.customStats
            for (host, data) in storage.perHostStats.sorted(by: { $0.key < $1.key }) { all[host] = .dict(data) }
            return all
        }
    }
}
