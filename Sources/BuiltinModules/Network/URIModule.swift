import Foundation
import ModuleAPI
import Templating

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `ansible.builtin.uri`: an HTTP request from the controller (URLSession), with Ansible's result
/// keys — response headers as lower_snake keys (`x_backend_server`), `json` for JSON bodies.
public struct URIModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.uri",
        arguments: ArgumentSpec([
            "url": OptionSpec(.string, required: true),
            "method": OptionSpec(.string, default: "GET"),
            "body": OptionSpec(.raw),
            "body_format": OptionSpec(.string, default: "raw", choices: ["raw", "json", "form-urlencoded", "form-multipart"]),
            "headers": OptionSpec(.dict, default: .dict(ValueDictionary())),
            "status_code": OptionSpec(.list(elements: .int), default: [200]),
            "return_content": OptionSpec(.bool, default: false),
            "timeout": OptionSpec(.int, default: 30),
            "follow_redirects": OptionSpec(.string, default: "safe"),
            "validate_certs": OptionSpec(.bool, default: true),
            "url_username": OptionSpec(.string, aliases: ["user"]),
            "url_password": OptionSpec(.string, aliases: ["password"], noLog: true),
            "force_basic_auth": OptionSpec(.bool, default: false),
            "dest": OptionSpec(.path),
            "creates": OptionSpec(.path),
            "removes": OptionSpec(.path),
            "use_proxy": OptionSpec(.bool, default: true),
        ]),
        runsOnController: true)

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let urlText = try arguments.requiredString("url")
            guard let url = URL(string: urlText), url.scheme != nil else {
                throw ModuleFailure("unknown url type: '\(urlText)'", values: ["status": -1, "url": .string(urlText)])
            }
            if let creates = arguments.string("creates"), FileManager.default.fileExists(atPath: creates) {
                return ModuleResult(message: "\(creates) exists, not performing request", values: ValueDictionary(["url": .string(urlText)]))
            }
            if let removes = arguments.string("removes"), !FileManager.default.fileExists(atPath: removes) {
                return ModuleResult(message: "\(removes) does not exist, not performing request", values: ValueDictionary(["url": .string(urlText)]))
            }
            let request = try Self.request(url: url, arguments: arguments)
            let accepted = (arguments.value("status_code").flatMap(Self.statusCodes) ?? [200])
            let started = Date()
            let outcome = await HTTPClient.send(
                request, followRedirects: arguments.string("follow_redirects", default: "safe"),
                timeout: arguments.double("timeout") ?? 30)
            let elapsed = Int(Date().timeIntervalSince(started))
            let acceptedText = "[" + accepted.map(String.init).joined(separator: ", ") + "]"
            switch outcome {
            case .failure(let failure):
                throw ModuleFailure(
                    "Status code was -1 and not \(acceptedText): Request failed: <urlopen error \(failure.message)>",
                    values: ["status": -1, "url": .string(urlText), "elapsed": .int(elapsed), "redirected": false])
            case .success(let response):
                var values = Self.values(response, returnContent: arguments.bool("return_content"))
                values["elapsed"] = .int(elapsed)
                var changed = false
                if let dest = arguments.string("dest"), !invocation.checkMode {
                    try await TargetShell(invocation).write(response.body, to: dest, mode: nil)
                    values["path"] = .string(dest)
                    changed = true
                }
                guard accepted.contains(response.status) else {
                    let message = "Status code was \(response.status) and not \(acceptedText): HTTP Error \(response.status): \(HTTPClient.reason(response.status))"
                    return ModuleResult(failed: true, message: message, values: values)
                }
                let length = response.headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "unknown"
                return ModuleResult(changed: changed, message: "OK (\(length) bytes)", values: values)
            }
        }
    }

    static func statusCodes(_ value: Value) -> [Int]? {
        switch value {
        case .int(let code): return [code]
        case .list(let codes): return codes.compactMap { ModuleArguments.text($0).flatMap { Int($0) } }
        case .string(let text): return text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        default: return nil
        }
    }

    static func request(url: URL, arguments: ModuleArguments) throws -> URLRequest {
        var request = URLRequest(url: url)
        request.httpMethod = arguments.string("method", default: "GET").uppercased()
        var headers: [(String, String)] = []
        for (key, value) in arguments.dictionary("headers") ?? ValueDictionary() {
            if let name = ModuleArguments.text(key), let text = ModuleArguments.text(value) { headers.append((name, text)) }
        }
        func hasHeader(_ name: String) -> Bool { headers.contains { $0.0.lowercased() == name.lowercased() } }
        if let body = arguments.value("body") {
            switch arguments.string("body_format", default: "raw") {
            case "json":
                request.httpBody = Data((body.string.map { $0 } ?? JSON.text(body, .python)).utf8)
                if !hasHeader("Content-Type") { headers.append(("Content-Type", "application/json")) }
            case "form-urlencoded":
                request.httpBody = Data(formEncoded(body).utf8)
                if !hasHeader("Content-Type") { headers.append(("Content-Type", "application/x-www-form-urlencoded")) }
            case "form-multipart":
                throw ModuleFailure("body_format form-multipart is not supported by stackplay")
            default:
                request.httpBody = Data((ModuleArguments.text(body) ?? JSON.text(body, .python)).utf8)
            }
        }
        if let user = arguments.string("url_username") {
            let password = arguments.string("url_password") ?? ""
            headers.append(("Authorization", HTTPClient.basicAuthorization(user: user, password: password)))
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return request
    }

    /// A dict (or list of pairs) as `application/x-www-form-urlencoded`; a string is sent as is.
    static func formEncoded(_ body: Value) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
        }
        switch body {
        case .dict(let dictionary):
            return dictionary.compactMap { pair -> String? in
                guard let key = ModuleArguments.text(pair.key) else { return nil }
                return encode(key) + "=" + encode(ModuleArguments.text(pair.value) ?? JSON.text(pair.value, .python))
            }.joined(separator: "&")
        case .list(let pairs):
            return pairs.compactMap { pair -> String? in
                guard let items = pair.array, items.count == 2, let key = ModuleArguments.text(items[0]) else { return nil }
                return encode(key) + "=" + encode(ModuleArguments.text(items[1]) ?? "")
            }.joined(separator: "&")
        default:
            return ModuleArguments.text(body) ?? ""
        }
    }

    /// Ansible's response keys: status, url, redirected, every header as a lower_snake key, content/json.
    static func values(_ response: HTTPClient.Response, returnContent: Bool) -> ValueDictionary {
        var values = ValueDictionary()
        values["status"] = .int(response.status)
        values["url"] = .string(response.url)
        values["redirected"] = .bool(response.redirected)
        values["cookies"] = .dict(ValueDictionary())
        values["cookies_string"] = ""
        var contentType = ""
        for (name, value) in response.headers {
            let key = name.lowercased().replacingOccurrences(of: "-", with: "_")
            values[key] = .string(value)
            if key == "content_type" { contentType = value }
            if key == "set_cookie" {
                let pair = value.split(separator: ";").first.map(String.init) ?? ""
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 {
                    values["cookies"] = .dict(ValueDictionary([(.string(parts[0]), .string(parts[1]))]))
                    values["cookies_string"] = .string(pair)
                }
            }
        }
        let text = response.body.utf8Text
        if contentType.contains("json"), let json = try? JSON.parse(response.body) { values["json"] = json }
        if returnContent { values["content"] = .string(text) }
        return values
    }
}
