import Foundation
import ModuleAPI
import Templating

/// `ansible.builtin.slurp`: a file's content, base64-encoded, as `content` with `encoding: base64`.
public struct SlurpModule: Module {
    public static let spec = ModuleSpec(
        name: "ansible.builtin.slurp",
        arguments: ArgumentSpec(["src": OptionSpec(.path, required: true, aliases: ["path"])]))

    public init() {}

    public func run(_ invocation: ModuleInvocation) async throws -> ModuleResult {
        try await reportingFailures {
            let source = try ModuleArguments(invocation, for: Self.self).requiredString("src")
            let shell = TargetShell(invocation)
            let observation = try await FileProbe.run(
                FileProbe.Request(path: source, follow: true, content: true), on: shell)
            guard let info = observation.info else { throw ModuleFailure("file not found: \(source)") }
            guard info.kind == .file else {
                throw ModuleFailure(info.kind == .directory ? "source is a directory and must be a file" : "file not found: \(source)")
            }
            guard info.readable, let content = observation.content else {
                throw ModuleFailure("file is not readable: \(source)")
            }
            return ModuleResult(
                values: ValueDictionary([
                    "content": .string(content.base64EncodedString()), "source": .string(source),
                    "encoding": "base64",
                ]))
        }
    }
}
