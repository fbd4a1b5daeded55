import Foundation
import Templating

/// Typed helpers over ``CloudSession`` for the REST shapes OpenStack services share: a resource
/// wrapped in a singular key (`{"network": {…}}`), collections with `*_links`/`next` pagination.
public struct ResourceAPI: Sendable {
    public let session: CloudSession
    public let service: String
    public var microversion: Microversion?

    public init(session: CloudSession, service: String, microversion: Microversion? = nil) {
        self.session = session
        self.service = service
        self.microversion = microversion
    }

    /// GET one resource; nil on 404.
    public func get(_ path: String, key: String?) async throws -> ValueDictionary? {
        do {
            let response = try await session.send(service, "GET", path, microversion: microversion)
            let body = try response.json()
            return (key.flatMap { body.dictionary?[$0] } ?? body).dictionary
        } catch let error as OpenStackAPIError where error.status == 404 {
            return nil
        }
    }

    /// GET a collection and follow its pagination links to the end.
    public func list(_ path: String, key: String, query: [(String, String)] = []) async throws -> [ValueDictionary] {
        var items: [ValueDictionary] = []
        var nextPath: String? = path
        var nextQuery = query
        var pages = 0
        while let current = nextPath, pages < 1000 {
            pages += 1
            let response = try await session.send(service, "GET", current, query: nextQuery, microversion: microversion)
            let body = try response.json().dictionary ?? ValueDictionary()
            let page = body[key]?.array?.compactMap(\.dictionary) ?? []
            items.append(contentsOf: page)
            nextPath = nil
            nextQuery = []
            // Neutron/Nova: `<key>_links: [{rel: next, href}]`; Glance: `next: "/v2/images?marker=…"`; Keystone: `links.next`.
            if let links = body["\(key)_links"]?.array {
                for link in links {
                    if let link = link.dictionary, link["rel"]?.string == "next", let href = link["href"]?.string {
                        nextPath = href
                    }
                }
            } else if let next = body["next"]?.string, !page.isEmpty {
                nextPath = try await absolute(next)
            } else if let next = body["links"]?.dictionary?["next"]?.string {
                nextPath = next
            }
        }
        return items
    }

    /// Glance returns `next` relative to the host root (`/v2/images?marker=…`).
    private func absolute(_ path: String) async throws -> String {
        if path.hasPrefix("http") { return path }
        let endpoint = try await session.endpoint(service)
        guard let url = URL(string: endpoint.url), let scheme = url.scheme, let host = url.host else { return path }
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(host)\(port)\(path)"
    }

    /// The collection a path names (`/subnets/<id>` → `subnets`), the key of its remembered lookups.
    static func collection(of path: String) -> String {
        path.split(separator: "/").first.map(String.init) ?? path
    }

    /// POST a resource wrapped in `key`; returns the created resource.
    @discardableResult
    public func create(_ path: String, key: String, body: ValueDictionary) async throws -> ValueDictionary {
        if let name = body["name"]?.string { await session.forget(collection: Self.collection(of: path), name: name) }
        let response = try await session.send(
            service, "POST", path, json: Value.dict(ValueDictionary([(.string(key), .dict(body))])), microversion: microversion)
        let answer = try response.json()
        return (answer.dictionary?[key] ?? answer).dictionary ?? ValueDictionary()
    }

    /// PUT changed attributes wrapped in `key`; returns the updated resource.
    @discardableResult
    public func update(_ path: String, key: String, body: ValueDictionary) async throws -> ValueDictionary {
        if body["name"] != nil { await session.forget(collection: Self.collection(of: path)) }
        let response = try await session.send(
            service, "PUT", path, json: Value.dict(ValueDictionary([(.string(key), .dict(body))])), microversion: microversion)
        let answer = try response.json()
        return (answer.dictionary?[key] ?? answer).dictionary ?? ValueDictionary()
    }

    /// DELETE; a 404 counts as already gone (returns false).
    @discardableResult
    public func delete(_ path: String) async throws -> Bool {
        await session.forget(collection: Self.collection(of: path))
        do {
            _ = try await session.send(service, "DELETE", path, microversion: microversion)
            return true
        } catch let error as OpenStackAPIError where error.status == 404 {
            return false
        }
    }
}
