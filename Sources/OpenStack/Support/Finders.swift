import Foundation
import ModuleAPI
import Templating

extension OpenStackContext {
    /// openstacksdk's `find_<resource>(name_or_id)` for a Neutron collection: an id-shaped value is
    /// fetched directly, anything else (or an id that is not found) is listed by name with `filters`;
    /// more than one match is an error, as in openstacksdk.
    func findNeutron(
        _ collection: String, key: String, nameOrID: String, filters: [(String, String)] = [], label: String
    ) async throws -> ValueDictionary? {
        if looksLikeID(nameOrID), let found = try await network.get("/\(collection)/\(nameOrID)", key: key) {
            return found
        }
        let listKey = collection.replacingOccurrences(of: "-", with: "_")
        // Listed by name alone and filtered here (every filter is an exact match on a field of the same
        // name), so that the same answer also tells whether the name is unique without filters: a later
        // task that refers to the object by bare name (a router's interface subnets) then needs no read.
        let named = try await network.list("/\(collection)", key: listKey, query: [("name", nameOrID)])
        if named.count == 1, !filters.isEmpty, let id = named[0]["id"]?.string {
            await session.remember(Self.referenceKey(collection, nameOrID, []), id: id)
        }
        var matches = named.filter { object in filters.allSatisfy { object[$0.0]?.string == $0.1 } }
        if matches.count > 1, filters.isEmpty {
            // An admin token sees every project's `default` security group; the one the user means is the
            // one of the project they are scoped to (openstack.cloud fails here instead).
            let projectID = try await session.currentToken().projectID
            let own = matches.filter { $0["project_id"]?.string == projectID }
            if own.count == 1 { matches = own }
        }
        guard matches.count <= 1 else {
            throw OpenStackModuleError("More than one \(label) exists with the name '\(nameOrID)'.")
        }
        if let id = matches.first?["id"]?.string {
            await session.remember(Self.referenceKey(collection, nameOrID, filters), id: id)
        }
        return matches.first
    }

    static func referenceKey(_ collection: String, _ nameOrID: String, _ filters: [(String, String)]) -> String {
        ([collection, nameOrID] + filters.map { "\($0.0)=\($0.1)" }).joined(separator: "|")
    }

    /// The id of an object a task only refers to (a subnet's network, a router's subnets): remembered for
    /// the run once any task has looked it up, so each referenced object is read once per run.
    func referenceID(
        _ collection: String, key: String, nameOrID: String, filters: [(String, String)] = [], label: String
    ) async throws -> String {
        if let id = await session.referenceID(Self.referenceKey(collection, nameOrID, filters)) { return id }
        let found = try await requireNeutron(collection, key: key, nameOrID: nameOrID, filters: filters, label: label)
        return found["id"]?.string ?? ""
    }

    /// Resolves several referenced names of one collection with a single list request (Neutron ORs a
    /// repeated filter: `?name=a&name=b`) and remembers their ids for ``referenceID(_:key:nameOrID:filters:label:)``.
    /// Names already remembered and id-shaped values are left to it; a missing or ambiguous name is left
    /// too, so that the per-name lookup reports it in openstacksdk's words.
    func prefetchReferences(_ collection: String, names: [String], filters: [(String, String)] = []) async throws {
        var pending: [String] = []
        for name in names where !looksLikeID(name) && !pending.contains(name) {
            if await session.referenceID(Self.referenceKey(collection, name, filters)) == nil { pending.append(name) }
        }
        guard pending.count > 1 else { return }
        let listKey = collection.replacingOccurrences(of: "-", with: "_")
        let found = try await network.list("/\(collection)", key: listKey, query: pending.map { ("name", $0) } + filters)
        for name in pending {
            let matches = found.filter { $0["name"]?.string == name }
            if matches.count == 1, let id = matches[0]["id"]?.string {
                await session.remember(Self.referenceKey(collection, name, filters), id: id)
            }
        }
    }

    /// Like ``findNeutron(_:key:nameOrID:filters:label:)`` but missing is an error (`ignore_missing=False`).
    func requireNeutron(
        _ collection: String, key: String, nameOrID: String, filters: [(String, String)] = [], label: String
    ) async throws -> ValueDictionary {
        guard let found = try await findNeutron(collection, key: key, nameOrID: nameOrID, filters: filters, label: label)
        else { throw OpenStackModuleError("No \(label) found for \(nameOrID)") }
        return found
    }

    /// Keystone `find_project(name_or_id[, domain_id])`.
    func findProject(_ nameOrID: String, domainID: String? = nil) async throws -> ValueDictionary? {
        if looksLikeID(nameOrID), let found = try await identity.get("/projects/\(nameOrID)", key: "project") {
            return found
        }
        var query = [("name", nameOrID)]
        if let domainID { query.append(("domain_id", domainID)) }
        let matches = try await identity.list("/projects", key: "projects", query: query)
        guard matches.count <= 1 else { throw OpenStackModuleError("More than one Project exists with the name '\(nameOrID)'.") }
        return matches.first
    }

    func requireProjectID(_ nameOrID: String, domainID: String? = nil) async throws -> String {
        // The project the token is scoped to needs no lookup: Keystone named it in the token.
        let token = try await session.currentToken()
        if let id = token.projectID, nameOrID == id || (nameOrID == token.projectName && (domainID == nil || domainID == token.projectDomainID)) {
            return id
        }
        guard let id = try await findProject(nameOrID, domainID: domainID)?["id"]?.string else {
            throw OpenStackModuleError("No Project found for \(nameOrID)")
        }
        return id
    }

    /// Keystone `find_domain(name_or_id)`.
    func requireDomainID(_ nameOrID: String) async throws -> String {
        if looksLikeID(nameOrID) || nameOrID == "default",
            let found = try await identity.get("/domains/\(nameOrID)", key: "domain"), let id = found["id"]?.string
        {
            return id
        }
        let matches = try await identity.list("/domains", key: "domains", query: [("name", nameOrID)])
        guard let id = matches.first?["id"]?.string else { throw OpenStackModuleError("No Domain found for \(nameOrID)") }
        return id
    }
}

/// Builds `--diff` output from the fields a plan changes.
enum ResourceDiff {
    /// Before/after of `fields` for a resource called `label`; `before`/`after` nil mean absent.
    static func make(_ label: String, before: ValueDictionary?, after: ValueDictionary?, fields: [String]? = nil) -> FileDiff {
        FileDiff(
            before: render(before, fields: fields), after: render(after, fields: fields),
            beforeHeader: "\(label) (current)", afterHeader: "\(label) (planned)")
    }

    private static func render(_ dictionary: ValueDictionary?, fields: [String]?) -> String {
        guard let dictionary else { return "" }
        var lines: [String] = []
        let keys = fields ?? dictionary.keys.compactMap(\.string)
        for key in keys {
            lines.append("\(key): \(JSON.text(dictionary[key] ?? Value.none, .compact))")
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }
}
