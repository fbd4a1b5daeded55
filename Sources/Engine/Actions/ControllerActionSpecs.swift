import ModuleAPI
import Templating

/// Argument specs of the controller actions, checked at load time like module arguments.
/// Actions that take arbitrary names (`set_fact`, `add_host` host variables) have none.
public enum ControllerActionSpecs {
    public static func spec(for action: ControllerAction) -> ArgumentSpec? {
        switch action {
        case .debug:
            return ArgumentSpec(
                ["msg": OptionSpec(.raw), "var": OptionSpec(.raw), "verbosity": OptionSpec(.int, default: 0)],
                mutuallyExclusive: [["msg", "var"]])
        case .assert:
            return ArgumentSpec([
                // `raw`: a string is one condition, never split on commas as list options are.
                "that": OptionSpec(.raw, required: true),
                "fail_msg": OptionSpec(.raw, aliases: ["msg"]),
                "success_msg": OptionSpec(.raw),
                "quiet": OptionSpec(.bool, default: false),
            ])
        case .fail:
            return ArgumentSpec(["msg": OptionSpec(.raw)])
        case .meta:
            return ArgumentSpec([:], freeForm: true)
        case .includeVars:
            return ArgumentSpec(
                [
                    "file": OptionSpec(.path), "dir": OptionSpec(.path), "name": OptionSpec(.string),
                    "depth": OptionSpec(.int, default: 0), "files_matching": OptionSpec(.string),
                    "ignore_files": OptionSpec(.list(elements: .string)),
                    "extensions": OptionSpec(.list(elements: .string)),
                    "ignore_unknown_extensions": OptionSpec(.bool, default: false),
                    "hash_behaviour": OptionSpec(.string), "free-form": OptionSpec(.string),
                ], freeForm: true)
        case .groupBy:
            return ArgumentSpec([
                "key": OptionSpec(.string, required: true), "parents": OptionSpec(.list(elements: .string)),
            ])
        case .pause:
            return ArgumentSpec(
                [
                    "seconds": OptionSpec(.raw), "minutes": OptionSpec(.raw), "prompt": OptionSpec(.string),
                    "echo": OptionSpec(.bool, default: true),
                ], mutuallyExclusive: [["minutes", "seconds"]])
        case .setStats:
            return ArgumentSpec([
                "data": OptionSpec(.dict, required: true), "per_host": OptionSpec(.bool, default: false),
                "aggregate": OptionSpec(.bool, default: true),
            ])
        case .tempfile:
            return ArgumentSpec([
                "state": OptionSpec(.string, default: "file", choices: ["file", "directory"]),
                "path": OptionSpec(.path), "prefix": OptionSpec(.string, default: "ansible."),
                "suffix": OptionSpec(.string, default: ""),
            ])
        case .waitFor:
            return ArgumentSpec([
                "host": OptionSpec(.string, default: "127.0.0.1"), "port": OptionSpec(.int),
                "path": OptionSpec(.path), "timeout": OptionSpec(.int, default: 300),
                "delay": OptionSpec(.int, default: 0), "sleep": OptionSpec(.int, default: 1),
                "connect_timeout": OptionSpec(.int, default: 5), "search_regex": OptionSpec(.string),
                "state": OptionSpec(
                    .string, default: "started", choices: ["absent", "drained", "present", "started", "stopped"]),
                "msg": OptionSpec(.string),
            ])
        case .includeTasks:
            return ArgumentSpec(
                ["file": OptionSpec(.string), "apply": OptionSpec(.dict)], freeForm: true)
        case .includeRole:
            return ArgumentSpec([
                "name": OptionSpec(.string, required: true), "tasks_from": OptionSpec(.string),
                "vars_from": OptionSpec(.string), "defaults_from": OptionSpec(.string),
                "handlers_from": OptionSpec(.string), "apply": OptionSpec(.dict),
                "public": OptionSpec(.bool, default: false), "allow_duplicates": OptionSpec(.bool, default: true),
                "rolespec_validate": OptionSpec(.bool, default: true),
            ])
        case .gatherFacts:
            return ArgumentSpec([
                "gather_subset": OptionSpec(.list(elements: .string), default: ["all"]),
                "gather_timeout": OptionSpec(.int, default: 10), "filter": OptionSpec(.list(elements: .string)),
                "fact_path": OptionSpec(.path),
            ])
        case .setFact, .addHost:
            return nil
        }
    }
}
