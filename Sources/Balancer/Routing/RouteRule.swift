/// One ordered routing rule of a frontend: optional host and path conditions → a backend.
///
/// Mirrors HAProxy's `acl x path -i -m beg /foo` + `use_backend be if x`, and Octavia's L7 rules
/// (`PATH` with `STARTS_WITH` / `EQUAL_TO` / `REGEX`, `HOST_NAME`).
public struct RouteRule: Sendable {
    /// How the request path is compared.
    public enum PathMatch: Sendable {
        /// The path starts with the string.
        case prefix(String)
        /// The path equals the string.
        case exact(String)
        /// The regular expression matches somewhere in the path (anchor it with `^…$` for a full match).
        case regex(CompiledPattern)
    }

    /// Path condition, nil matches every path.
    public var path: PathMatch?
    /// Host condition (port ignored), nil matches every host.
    public var host: String?
    /// Compare path and host without regard to ASCII case.
    public var caseInsensitive: Bool
    /// Backend that serves matching requests.
    public var backend: String

    /// Creates a rule.
    public init(path: PathMatch?, host: String? = nil, caseInsensitive: Bool = false, backend: String) {
        self.path = path
        self.host = host
        self.caseInsensitive = caseInsensitive
        self.backend = backend
    }

    /// Whether a request for `uri` (query string ignored) with Host header `hostHeader` matches.
    public func matches(uri: String, hostHeader: String?) -> Bool {
        if let host {
            guard let hostHeader else { return false }
            // Host names are case-insensitive by definition, whatever the rule's flag says.
            guard Self.stripPort(hostHeader).lowercased() == host.lowercased() else { return false }
        }
        guard let path else { return true }
        let requestPath = Self.pathPart(of: uri)
        switch path {
        case .prefix(let prefix):
            return caseInsensitive ? requestPath.lowercased().hasPrefix(prefix.lowercased()) : requestPath.hasPrefix(prefix)
        case .exact(let exact):
            return caseInsensitive ? requestPath.lowercased() == exact.lowercased() : requestPath == exact
        case .regex(let pattern):
            return pattern.matches(requestPath)
        }
    }

    /// The path of a request target without the query string or fragment.
    static func pathPart(of uri: Substring) -> Substring {
        if let end = uri.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            return uri[..<end]
        }
        return uri
    }

    static func pathPart(of uri: String) -> String {
        String(pathPart(of: Substring(uri)))
    }

    static func stripPort(_ host: String) -> Substring {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return host[...close]
        }
        if let colon = host.lastIndex(of: ":") {
            return host[..<colon]
        }
        return Substring(host)
    }
}

/// A compiled regular expression that can be shared between event-loop threads.
public struct CompiledPattern: @unchecked Sendable {
    // `Regex` is an immutable value and its lazily compiled program is published atomically,
    // so matching from several threads is safe; the standard library just does not declare it Sendable.
    private let regex: Regex<AnyRegexOutput>
    /// The pattern as written.
    public let source: String

    /// Compiles `source`; throws the standard library's parse error for an invalid pattern.
    public init(_ source: String, caseInsensitive: Bool) throws {
        var regex = try Regex(source)
        if caseInsensitive { regex = regex.ignoresCase() }
        self.regex = regex
        self.source = source
    }

    /// Whether the pattern matches anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
