import Foundation
import ModuleAPI
import Templating
import Yams

@testable import OpenStack

/// The tasks of one of our OpenStack playbooks, with play variables substituted, so the tests can run
/// them module by module. Only what these playbooks use is understood: play `vars`, `{{ name }}`
/// references and `playbook_dir`; the engine proper (another target) runs real playbooks.
struct PlaybookTasks {
    struct Task {
        var name: String
        var module: any Module.Type
        var arguments: [String: Value]
    }

    var tasks: [Task]

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func modulesByName() -> [String: any Module.Type] {
        var byName: [String: any Module.Type] = [:]
        for module in OpenStackModules.modules {
            let spec = module.spec
            for name in [spec.name, String(spec.name.split(separator: ".").last ?? "")] + spec.aliases { byName[name] = module }
        }
        return byName
    }

    init(playbook relativePath: String, overrides: [String: Value] = [:]) throws {
        let path = Self.repositoryRoot + "/" + relativePath
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let plays = YAMLValue.convert(try Yams.load(yaml: text)).array, let play = plays.first?.dictionary else {
            throw OpenStackModuleError("\(relativePath) holds no play")
        }
        var variables: [String: Value] = ["playbook_dir": .string((path as NSString).deletingLastPathComponent)]
        for (key, value) in play["vars"]?.dictionary ?? ValueDictionary() { if let key = key.string { variables[key] = value } }
        for (key, value) in overrides { variables[key] = value }
        for _ in 0..<3 { variables = variables.mapValues { Self.substitute($0, variables) } }
        let modules = Self.modulesByName()
        tasks = try (play["tasks"]?.array ?? []).compactMap(\.dictionary).map { task in
            guard let (moduleName, module) = task.keys.compactMap(\.string).compactMap({ name in modules[name].map { (name, $0) } }).first,
                let arguments = task[moduleName]?.dictionary
            else { throw OpenStackModuleError("task without an OpenStack module: \(task)") }
            var resolved: [String: Value] = [:]
            for (key, value) in arguments { if let key = key.string { resolved[key] = Self.substitute(value, variables) } }
            return Task(name: task["name"]?.string ?? moduleName, module: module, arguments: resolved)
        }
    }

    /// `{{ name }}` alone becomes the variable's value; inside a longer string it is spliced in as text.
    static func substitute(_ value: Value, _ variables: [String: Value]) -> Value {
        switch value {
        case .string(let text):
            let pattern = #"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"#
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return value }
            let whole = NSRange(text.startIndex..., in: text)
            if let match = regex.firstMatch(in: text, range: whole), match.range == whole,
                let nameRange = Range(match.range(at: 1), in: text), let replacement = variables[String(text[nameRange])]
            {
                return replacement
            }
            var result = text
            for match in regex.matches(in: text, range: whole).reversed() {
                guard let range = Range(match.range, in: text), let nameRange = Range(match.range(at: 1), in: text),
                    let replacement = variables[String(text[nameRange])], let replacementText = Arguments.text(replacement)
                else { continue }
                result.replaceSubrange(range, with: replacementText)
            }
            return .string(result)
        case .list(let items): return .list(items.map { substitute($0, variables) })
        case .dict(let dictionary):
            return .dict(ValueDictionary(dictionary.map { ($0.key, substitute($0.value, variables)) }))
        default: return value
        }
    }

    /// Runs every task through `ModuleHarness` and returns the results in order.
    func run(check: Bool = false, services: ServiceContainer) async throws -> [(name: String, result: ModuleResult)] {
        var results: [(String, ModuleResult)] = []
        for task in tasks {
            func execute<M: Module>(_ module: M.Type) async throws -> ModuleResult {
                try await ModuleHarness.run(module, task.arguments, check: check, services: services)
            }
            results.append((task.name, try await execute(task.module)))
        }
        return results
    }
}
