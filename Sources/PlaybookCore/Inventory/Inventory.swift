import Diagnostics
import Templating

/// Hosts and groups, as Ansible's `InventoryData`: every host is in `all`; hosts in no other group
/// are also in `ungrouped`; groups form a DAG under `all`. Mutable so the engine can apply
/// `add_host` and `group_by` at run time.
public struct Inventory: Sendable, Hashable {
    /// Host names in the order they were first defined.
    public private(set) var hostOrder: [String] = []
    public private(set) var hosts: [String: InventoryHost] = [:]
    /// Group names in the order they were first defined (`all` and `ungrouped` first).
    public private(set) var groupOrder: [String] = []
    public private(set) var groups: [String: InventoryGroup] = [:]
    /// Groups made children of `all` explicitly (YAML `all: children:`); they stay under `all`
    /// when they get another parent, as in Ansible.
    private var explicitTopLevel: Set<String> = []

    public init() {
        addGroup("all")
        addGroup("ungrouped")
    }

    /// Adds a group (under `all` when it has no parent yet). Adding an existing group does nothing.
    public mutating func addGroup(_ name: String, at location: SourceLocation? = nil) {
        guard groups[name] == nil else { return }
        groups[name] = InventoryGroup(name: name, location: location)
        groupOrder.append(name)
        if name != "all" {
            link(name, to: "all")
        }
    }

    /// Adds a host, optionally to `group` (created if needed). Re-adding keeps its position.
    public mutating func addHost(_ name: String, to group: String? = nil, at location: SourceLocation? = nil) {
        if hosts[name] == nil {
            hosts[name] = InventoryHost(name: name, location: location)
            hostOrder.append(name)
            groups["all"]?.hosts.append(name)
            hosts[name]?.groups.append("all")
        }
        if let group, group != "all" {
            addGroup(group)
            if hosts[name]?.groups.contains(group) == false {
                groups[group]?.hosts.append(name)
                hosts[name]?.groups.append(group)
            }
            if group != "ungrouped", hosts[name]?.groups.contains("ungrouped") == true {
                groups["ungrouped"]?.hosts.removeAll { $0 == name }
                hosts[name]?.groups.removeAll { $0 == "ungrouped" }
            }
        }
        if directGroups(of: name).isEmpty, hosts[name]?.groups.contains("ungrouped") == false {
            groups["ungrouped"]?.hosts.append(name)
            hosts[name]?.groups.append("ungrouped")
        }
    }

    /// Makes `child` a child group of `parent` (both created if needed); a group that gets a real
    /// parent stops being a direct child of `all`.
    public mutating func addChild(_ child: String, to parent: String) {
        addGroup(parent)
        addGroup(child)
        if parent == "all" { explicitTopLevel.insert(child) }
        link(child, to: parent)
    }

    private mutating func link(_ child: String, to parent: String) {
        guard child != parent, groups[parent]?.children.contains(child) == false else { return }
        groups[parent]?.children.append(child)
        groups[child]?.parents.append(parent)
        if parent != "all", !explicitTopLevel.contains(child), groups[child]?.parents.contains("all") == true {
            groups[child]?.parents.removeAll { $0 == "all" }
            groups["all"]?.children.removeAll { $0 == child }
        }
    }

    /// Sets a variable of a host (inventory host vars: inline INI vars, YAML `hosts:` values).
    public mutating func setHostVariable(_ host: String, _ definition: Variables.Definition) {
        hosts[host]?.vars.set(definition)
    }

    /// Sets a variable of a group (`[g:vars]`, YAML `vars:`).
    /// `ansible_group_priority` sets the group's priority instead of a variable, as in Ansible.
    public mutating func setGroupVariable(_ group: String, _ definition: Variables.Definition) {
        if definition.name == "ansible_group_priority" {
            switch definition.value.value {
            case .int(let priority): groups[group]?.priority = priority
            case .string(let text): if let priority = Int(text) { groups[group]?.priority = priority }
            default: break
            }
            return
        }
        groups[group]?.vars.set(definition)
    }

    /// The groups that list `host` directly (not `all`).
    public func directGroups(of host: String) -> [String] {
        (hosts[host]?.groups ?? []).filter { $0 != "all" && $0 != "ungrouped" }
    }

    /// Every group `host` belongs to, directly or through child groups, including `all`.
    public func allGroups(of host: String) -> Set<String> {
        var result: Set<String> = []
        var pending = hosts[host]?.groups ?? []
        while let group = pending.popLast() {
            guard result.insert(group).inserted else { continue }
            pending.append(contentsOf: groups[group]?.parents ?? [])
        }
        result.insert("all")
        return result
    }

    /// `group_names`: the host's groups except `all`, sorted.
    public func groupNames(of host: String) -> [String] {
        allGroups(of: host).subtracting(["all"]).sorted()
    }

    /// The host's groups in the order their variables apply (later wins): by depth below `all`,
    /// then `ansible_group_priority`, then name (ansible-core's `sort_groups`).
    public func groupsInPrecedenceOrder(of host: String) -> [String] {
        allGroups(of: host).sorted { lhs, rhs in
            let left = (depth(of: lhs), groups[lhs]?.priority ?? 1, lhs)
            let right = (depth(of: rhs), groups[rhs]?.priority ?? 1, rhs)
            return left < right
        }
    }

    /// A group's depth: 0 for `all`, 1 for its children, the longest path below `all` otherwise.
    public func depth(of group: String) -> Int {
        var seen: Set<String> = []
        func walk(_ name: String) -> Int {
            guard name != "all", seen.insert(name).inserted else { return 0 }
            defer { seen.remove(name) }
            let parents = groups[name]?.parents ?? []
            return 1 + (parents.map(walk).max() ?? 0)
        }
        return walk(group)
    }

    /// Every host of `group`, directly or through its child groups, in inventory order.
    public func hosts(in group: String) -> [String] {
        guard groups[group] != nil else { return [] }
        if group == "all" { return hostOrder }
        var members: Set<String> = []
        var seen: Set<String> = []
        var pending = [group]
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let current = groups[name] else { continue }
            members.formUnion(current.hosts)
            pending.append(contentsOf: current.children)
        }
        return hostOrder.filter(members.contains)
    }

    /// The inventory variables of `host` in the order they apply (later wins): each group's
    /// variables by ``groupsInPrecedenceOrder(of:)``, then the host's own.
    public func variableLayers(of host: String) -> [(source: String, variables: Variables)] {
        var layers = groupsInPrecedenceOrder(of: host).compactMap { name in
            groups[name].map { (source: "group '\(name)'", variables: $0.vars) }
        }
        if let own = hosts[host]?.vars { layers.append((source: "host '\(host)'", variables: own)) }
        return layers
    }

    /// The `groups` magic variable: every group with its hosts.
    public var groupsVariable: Value {
        var dictionary = ValueDictionary()
        for group in groupOrder {
            dictionary[group] = .list(hosts(in: group).map { .string($0) })
        }
        return .dict(dictionary)
    }

    /// Adds everything from `other` (multiple `-i` sources): hosts, groups, memberships, variables.
    public mutating func merge(_ other: Inventory) {
        for name in other.groupOrder {
            guard let group = other.groups[name] else { continue }
            addGroup(name, at: group.location)
            for definition in group.vars.definitions { setGroupVariable(name, definition) }
        }
        for name in other.hostOrder {
            guard let host = other.hosts[name] else { continue }
            addHost(name, at: host.location)
            for definition in host.vars.definitions { setHostVariable(name, definition) }
        }
        for name in other.groupOrder {
            guard let group = other.groups[name] else { continue }
            for child in group.children where name != "all" || other.explicitTopLevel.contains(child) {
                addChild(child, to: name)
            }
            if group.priority != 1 { groups[name]?.priority = group.priority }
            for host in group.hosts where name != "all" && name != "ungrouped" { addHost(host, to: name) }
        }
    }

    /// The implicit `localhost` Ansible uses when the inventory does not define it: local
    /// connection, in no group (not even `all`).
    public static let implicitLocalhost: InventoryHost = {
        var host = InventoryHost(name: "localhost", location: nil)
        host.isImplicit = true
        let node = YAMLNode(
            .scalar(YAMLScalar(text: "local", style: .plain, tag: nil, value: "local")),
            at: SourceLocation(file: "<implicit localhost>", line: 1, column: 1))
        host.vars.set(.init(name: "ansible_connection", value: LocatedValue(node), location: node.location))
        return host
    }()

    /// Names that refer to the implicit localhost.
    public static let localhostNames: Set<String> = ["localhost", "127.0.0.1", "::1"]
}

/// A host of the inventory.
public struct InventoryHost: Sendable, Hashable {
    public var name: String
    /// Variables set in the inventory source itself (inline, YAML `hosts:` values, `ansible_port` from `host:port`).
    public var vars: Variables = Variables()
    /// Where the host is first defined.
    public var location: SourceLocation?
    /// The implicit localhost (not part of `all`).
    public var isImplicit = false
    /// The groups that list this host directly (including `all` and `ungrouped`), in the order it joined them.
    public internal(set) var groups: [String] = []

    public init(name: String, location: SourceLocation?) {
        self.name = name
        self.location = location
    }
}

/// A group of the inventory.
public struct InventoryGroup: Sendable, Hashable {
    public var name: String
    /// Hosts listed directly in this group, in order.
    public var hosts: [String] = []
    public var children: [String] = []
    public var parents: [String] = []
    public var vars: Variables = Variables()
    /// `ansible_group_priority` (default 1): among groups of the same depth, higher applies later.
    public var priority = 1
    public var location: SourceLocation?

    public init(name: String, location: SourceLocation?) {
        self.name = name
        self.location = location
    }
}
