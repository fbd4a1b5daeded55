import Foundation
import ModuleAPI
import Templating

@testable import BuiltinModules

/// A fresh temporary directory, removed by `cleanup()`.
struct Scratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "stackplay-modules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
    }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    func mode(_ name: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: file(name)))?[.posixPermissions] as? Int
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs modules over a local connection, as the engine would.
struct Harness {
    let connection = LocalConnection()
    var searchPaths: [String] = []
    var variables: [String: Value] = [:]

    func invocation(
        _ arguments: KeyValuePairs<String, Value>, check: Bool = false, diff: Bool = false
    ) -> ModuleInvocation {
        var dictionary = ValueDictionary()
        for (key, value) in arguments { dictionary[key] = value }
        let scope = DictionaryScope(variables)
        return ModuleInvocation(
            arguments: dictionary, connection: connection, checkMode: check, diffMode: diff, hostName: "localhost",
            variables: scope, searchPaths: searchPaths,
            renderTemplate: { source, _ in
                // A stand-in for the Jinja2 engine: replaces `{{ name }}` with the variable's text.
                var text = source
                for (name, value) in scope.variables {
                    text = text.replacingOccurrences(of: "{{ \(name) }}", with: value.string ?? "")
                }
                return text
            })
    }

    func run<M: Module>(
        _ module: M.Type, _ arguments: KeyValuePairs<String, Value>, check: Bool = false, diff: Bool = false
    ) async throws -> ModuleResult {
        try await M().run(invocation(arguments, check: check, diff: diff))
    }
}

extension ModuleResult {
    subscript(key: String) -> Value? { values[key] }
}
