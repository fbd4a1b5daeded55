import Foundation
import Templating

/// A Keystone v3 token with its catalog and scope.
public struct KeystoneToken: Sendable {
    public var value: String
    public var expiresAt: Date?
    public var catalog: ServiceCatalog
    public var projectID: String?
    public var projectName: String?
    public var projectDomainID: String?
    public var userID: String?
    public var domainID: String?

    /// Whether the token should be renewed before the next request (a minute of slack for clock skew).
    public func isExpiring(now: Date = Date()) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt.timeIntervalSince(now) < 60
    }

    /// The JSON body of `POST /v3/auth/tokens` for the configured plugin.
    static func requestBody(for config: CloudConfig) throws -> Value {
        let auth = config.auth
        var identity = ValueDictionary()
        switch config.authType {
        case "token", "v3token":
            guard let token = auth["token"] else { throw CloudConfigError("auth_type 'token' needs auth.token") }
            identity["methods"] = ["token"]
            identity["token"] = .object(["id": .string(token)])
        case "v3applicationcredential":
            guard let secret = auth["application_credential_secret"] else {
                throw CloudConfigError("auth_type 'v3applicationcredential' needs auth.application_credential_secret")
            }
            var credential = ValueDictionary()
            if let id = auth["application_credential_id"] {
                credential["id"] = .string(id)
            } else if let name = auth["application_credential_name"] {
                credential["name"] = .string(name)
                credential["user"] = userReference(auth)
            } else {
                throw CloudConfigError(
                    "auth_type 'v3applicationcredential' needs application_credential_id or application_credential_name")
            }
            credential["secret"] = .string(secret)
            identity["methods"] = ["application_credential"]
            identity["application_credential"] = .dict(credential)
            // Application credentials carry their own scope; Keystone rejects an explicit one.
            return .object(["auth": .object(["identity": .dict(identity)])])
        case "password", "v3password":
            guard let password = auth["password"] else {
                throw CloudConfigError("auth_type '\(config.authType)' needs auth.password")
            }
            guard auth["username"] != nil || auth["user_id"] != nil else {
                throw CloudConfigError("auth_type '\(config.authType)' needs auth.username or auth.user_id")
            }
            var user = userReference(auth).dictionary ?? ValueDictionary()
            user["password"] = .string(password)
            identity["methods"] = ["password"]
            identity["password"] = .object(["user": .dict(user)])
        default:
            throw CloudConfigError(
                "auth_type '\(config.authType)' is not supported",
                notes: ["supported: password, v3password, token, v3token, v3applicationcredential"])
        }
        var body = ValueDictionary()
        body["identity"] = .dict(identity)
        if let scope = scope(auth) { body["scope"] = scope }
        return .object(["auth": .dict(body)])
    }

    private static func userReference(_ auth: [String: String]) -> Value {
        var user = ValueDictionary()
        if let id = auth["user_id"] {
            user["id"] = .string(id)
        } else if let name = auth["username"] {
            user["name"] = .string(name)
            user["domain"] = domainReference(id: auth["user_domain_id"], name: auth["user_domain_name"])
        }
        return .dict(user)
    }

    private static func domainReference(id: String?, name: String?) -> Value {
        if let id { return .object(["id": .string(id)]) }
        return .object(["name": .string(name ?? "Default")])
    }

    private static func scope(_ auth: [String: String]) -> Value? {
        if let id = auth["project_id"] { return .object(["project": .object(["id": .string(id)])]) }
        if let name = auth["project_name"] {
            return .object([
                "project": .object([
                    "name": .string(name),
                    "domain": domainReference(id: auth["project_domain_id"], name: auth["project_domain_name"]),
                ])
            ])
        }
        if let id = auth["domain_id"] { return .object(["domain": .object(["id": .string(id)])]) }
        if let name = auth["domain_name"] { return .object(["domain": .object(["name": .string(name)])]) }
        if let system = auth["system_scope"] { return .object(["system": .object([system: .bool(true)])]) }
        return nil
    }

    /// Reads a `201` token response.
    static func parse(response: HTTPResponse) throws -> KeystoneToken {
        guard let value = response.header("X-Subject-Token") else {
            throw CloudConfigError("Keystone answered without an X-Subject-Token header")
        }
        let body = try response.json().dictionary?["token"]?.dictionary ?? ValueDictionary()
        var expiresAt: Date?
        if let text = body["expires_at"]?.string {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            expiresAt = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
        }
        return KeystoneToken(
            value: value, expiresAt: expiresAt, catalog: ServiceCatalog(token: body),
            projectID: body["project"]?.dictionary?["id"]?.string, projectName: body["project"]?.dictionary?["name"]?.string,
            projectDomainID: body["project"]?.dictionary?["domain"]?.dictionary?["id"]?.string,
            userID: body["user"]?.dictionary?["id"]?.string,
            domainID: body["domain"]?.dictionary?["id"]?.string)
    }
}
