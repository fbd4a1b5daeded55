import Diagnostics
import Foundation
import ModuleAPI
import Templating
import TestSupport
import Testing
@testable import PlaybookCore

/// Runs `body`, expecting a ``LoadError`` at `line`:`column` whose message contains `message`.
func expectLoadError(
    line: Int, column: Int, _ message: String, note: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected an error '\(message)'", sourceLocation: sourceLocation)
    } catch let error as LoadError {
        #expect(error.location?.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.location?.column == column, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(message), "\(error.message)", sourceLocation: sourceLocation)
        if let note {
            #expect(error.notes.contains { $0.contains(note) }, "\(error.notes)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

/// Test modules with specs shaped like the real ones.
struct CopyModule: Module {
    static let spec = ModuleSpec(
        name: "ansible.builtin.copy",
        arguments: ArgumentSpec(
            [
                "src": OptionSpec(.path), "dest": OptionSpec(.path, required: true), "content": OptionSpec(.string),
                "mode": OptionSpec(.mode), "backup": OptionSpec(.bool, default: false),
                "force": OptionSpec(.bool, default: true, aliases: ["thirsty"]),
            ], mutuallyExclusive: [["src", "content"]]))
    func run(_ invocation: ModuleInvocation) async throws -> ModuleResult { ModuleResult() }
}

struct CommandModule: Module {
    static let spec = ModuleSpec(
        name: "ansible.builtin.command",
        arguments: ArgumentSpec(
            ["_raw_params": OptionSpec(.string), "chdir": OptionSpec(.path), "creates": OptionSpec(.path),
             "argv": OptionSpec(.list(elements: .string))],
            mutuallyExclusive: [["_raw_params", "argv"]], freeForm: true))
    func run(_ invocation: ModuleInvocation) async throws -> ModuleResult { ModuleResult() }
}

struct ShellModule: Module {
    static let spec = ModuleSpec(
        name: "ansible.builtin.shell",
        arguments: ArgumentSpec(["_raw_params": OptionSpec(.string), "chdir": OptionSpec(.path)], freeForm: true))
    func run(_ invocation: ModuleInvocation) async throws -> ModuleResult { ModuleResult() }
}

struct FileModule: Module {
    static let spec = ModuleSpec(
        name: "ansible.builtin.file",
        arguments: ArgumentSpec(
            [
                "path": OptionSpec(.path, required: true, aliases: ["dest", "name"]),
                "state": OptionSpec(.string, choices: ["absent", "directory", "file", "link", "touch"]),
                "src": OptionSpec(.path), "mode": OptionSpec(.mode),
            ], requiredIf: [("state", "link", ["src"])]))
    func run(_ invocation: ModuleInvocation) async throws -> ModuleResult { ModuleResult() }
}

struct SubnetModule: Module {
    static let spec = ModuleSpec(
        name: "openstack.cloud.subnet",
        arguments: ArgumentSpec([
            "name": OptionSpec(.string, required: true), "cidr": OptionSpec(.string),
            "allocation_pool": OptionSpec(.dictOf(ArgumentSpec(["start": OptionSpec(.string, required: true),
                                                                "end": OptionSpec(.string)]))),
            "dns_nameservers": OptionSpec(.list(elements: .string)), "ip_version": OptionSpec(.int, default: 4),
        ]),
        runsOnController: true, actionGroup: "openstack.cloud.openstack")
    func run(_ invocation: ModuleInvocation) async throws -> ModuleResult { ModuleResult() }
}

let testRegistry = ModuleRegistry([CopyModule.self, CommandModule.self, ShellModule.self, FileModule.self, SubnetModule.self])

func makeLoader(workingDirectory: String, rolesPath: [String] = [], vault: VaultSecrets = VaultSecrets(), validateArguments: Bool = true) -> PlaybookLoader {
    PlaybookLoader(
        options: .init(
            actions: ActionResolver(registry: testRegistry), vault: vault, rolesPath: rolesPath,
            workingDirectory: workingDirectory, validateArguments: validateArguments))
}

/// The tasks of the first play of a playbook written to a scratch directory.
func loadTasks(_ yaml: String, scratch: Scratch) throws -> [TaskEntry] {
    try scratch.write("site.yml", yaml)
    let playbook = try makeLoader(workingDirectory: scratch.path).loadPlaybook("site.yml")
    guard case .play(let play) = playbook.entries.first else { return [] }
    return play.tasks
}

extension TaskEntry {
    var task: PlaybookTask? {
        if case .task(let task) = self { return task }
        return nil
    }

    var block: Block? {
        if case .block(let block) = self { return block }
        return nil
    }
}

