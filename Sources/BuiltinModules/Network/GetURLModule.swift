import Foundation
import ModuleAPI
import Templating

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `ansible.builtin.get_url`: downloads on the controller and writes the file to the target
/// through copy's write path (checksum comparison, atomic replace, attributes).
public struct GetURLModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.get_url",
        arguments: ArgumentSpec(
            FileAttributes.specOptions.merging([
                "url": OptionSpec(.string, required: true),
                "dest": OptionSpec(.path, required: true),
                "force": OptionSpec(.bool, default: false),
                "checksum": OptionSpec(.string, default: ""),
                "headers": OptionSpec(.dict),
                "timeout": OptionSpec(.int, default: 10),
                "validate_certs": OptionSpec(.bool, default: true),
                "url_username": OptionSpec(.string, aliases: ["username"]),
                "url_password": OptionSpec(.string, aliases: ["password"], noLog: true),
                "backup": OptionSpec(.bool, default: false),
                "tmp_dest": OptionSpec(.path),
                "use_proxy": OptionSpec(.bool, default: true),
            ]) { _, own in own }))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let arguments = ModuleArguments(invocation, for: Self.self)
            let urlText = try arguments.requiredString("url")
            guard let url = URL(string: urlText), url.scheme != nil else { throw ModuleFailure("unknown url type: '\(urlText)'") }
            var dest = try arguments.requiredString("dest")
            let shell = TargetShell(invocation)
            let expected = try Self.expectedChecksum(arguments.string("checksum", default: ""))
            var destination = try await FileWriter.observe(dest, withContent: false, shell: shell)
            if destination.info?.kind == .directory || dest.hasSuffix("/") {
                let name = url.lastPathComponent.isEmpty ? "index.html" : url.lastPathComponent
                dest = TargetPath.join(dest, name)
                destination = try await FileWriter.observe(dest, withContent: false, shell: shell)
            }
            let attributes = try FileAttributes(arguments)
            var values = ValueDictionary(["dest": .string(dest), "url": .string(urlText)])
            // An existing file is kept unless forced, or unless a given checksum says it is wrong.
            if let info = destination.info, !arguments.bool("force") {
                let current = try await Self.checksum(of: dest, algorithm: expected?.algorithm, shell: shell)
                if expected == nil || current == expected?.digest {
                    let change = attributes.change(from: info, isDirectory: false)
                    if !change.isEmpty, !invocation.checkMode {
                        try await shell.check(FileAttributes.commands(for: change, path: dest).joined(separator: " && "), failureMessage: "failed to set attributes on \(dest)")
                    }
                    values["checksum_dest"] = .string(info.checksum ?? "")
                    return ModuleResult(changed: !change.isEmpty, message: "file already exists", values: values)
                }
            }
            if invocation.checkMode { return ModuleResult(changed: true, message: "file would be downloaded", values: values) }
            var request = URLRequest(url: url)
            for (key, value) in arguments.dictionary("headers") ?? ValueDictionary() {
                if let name = ModuleArguments.text(key), let text = ModuleArguments.text(value) { request.setValue(text, forHTTPHeaderField: name) }
            }
            if let user = arguments.string("url_username") {
                request.setValue(
                    HTTPClient.basicAuthorization(user: user, password: arguments.string("url_password") ?? ""),
                    forHTTPHeaderField: "Authorization")
            }
            let started = Date()
            let response: HTTPClient.Response
            switch await HTTPClient.send(request, followRedirects: "all", timeout: arguments.double("timeout") ?? 10) {
            case .failure(let failure):
                throw ModuleFailure("Request failed: <urlopen error \(failure.message)>", values: ["status_code": -1, "url": .string(urlText), "dest": .string(dest)])
            case .success(let success): response = success
            }
            values["status_code"] = .int(response.status)
            values["elapsed"] = .int(Int(Date().timeIntervalSince(started)))
            guard (200..<300).contains(response.status) else {
                throw ModuleFailure("Request failed", values: ["status_code": .int(response.status), "url": .string(urlText), "dest": .string(dest)])
            }
            if let expected, Self.digest(response.body, algorithm: expected.algorithm) != expected.digest {
                throw ModuleFailure(
                    "The checksum for \(dest) did not match \(expected.digest); it was \(Self.digest(response.body, algorithm: expected.algorithm)).",
                    values: values)
            }
            let source = FileWriter.sha1(response.body)
            values["checksum_src"] = .string(source)
            values["checksum_dest"] = .string(source)
            values["md5sum"] = .string(FileWriter.md5(response.body))
            values["size"] = .int(response.body.count)
            values["msg"] = .string("OK (\(response.body.count) bytes)")
            guard
                let planned = try FileWriter.plan(
                    content: response.body, destination: destination, attributes: attributes, afterHeader: urlText, diffMode: false)
            else { return ModuleResult(message: "OK (\(response.body.count) bytes)", values: values) }
            let backup = try await FileWriter.apply(
                planned.change, content: response.body, destination: destination, validate: nil, backup: arguments.bool("backup"),
                shell: shell)
            if let backup { values["backup_file"] = .string(backup) }
            return ModuleResult(changed: true, message: "OK (\(response.body.count) bytes)", values: values)
        }
    }

    /// `sha256:abc…` → (algorithm, digest); empty means no checksum.
    static func expectedChecksum(_ text: String) throws -> (algorithm: String, digest: String)? {
        guard !text.isEmpty else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["md5", "sha1", "sha256", "sha384", "sha512"].contains(parts[0].lowercased()) else {
            throw ModuleFailure("The checksum parameter has to be in format <algorithm>:<checksum>")
        }
        return (parts[0].lowercased(), parts[1].lowercased())
    }

    static func checksum(of path: String, algorithm: String?, shell: TargetShell) async throws -> String? {
        let output = try await shell.run("\(algorithm ?? "sha1")sum < \(Shell.quote(path)) | cut -d' ' -f1")
        return output.exitStatus == 0 ? output.stdoutText.trimmingTrailingNewlines : nil
    }

    static func digest(_ data: Data, algorithm: String) -> String {
        switch algorithm {
        case "md5": return FileWriter.md5(data)
        case "sha1": return FileWriter.sha1(data)
        default: return FileWriter.digest(data, algorithm: algorithm)
        }
    }
}
