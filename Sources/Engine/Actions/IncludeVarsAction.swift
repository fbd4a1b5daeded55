import Diagnostics
import Foundation
import Templating

/// `include_vars`: loads a YAML/JSON file (or every file of a directory) into the host's
/// `include_vars` layer, optionally under one `name`.
struct IncludeVarsAction: Sendable {
    let context: ExecutionContext
    let task: TaskPlan
    let play: PlayContext

    func run(_ arguments: ValueDictionary) throws -> ActionResult {
        let location = task.argumentLocations["file"] ?? task.argumentLocations["_raw_params"] ?? task.location
        var directories: [String] = []
        if let role = task.role { directories.append(role.path + "/vars") }
        if let file = task.location?.file, let slash = file.lastIndex(of: "/") {
            let directory = String(file[..<slash])
            directories += [directory + "/vars", directory]
        }
        directories += [play.plan.playbookDirectory + "/vars", play.plan.playbookDirectory]
        var loaded = ValueDictionary()
        var files: [String] = []
        if let directory = arguments["dir"].map({ PythonRepr.text($0) }) {
            let base = directory.hasPrefix("/") ? directory : (directories.last ?? ".") + "/" + directory
            let matching = arguments["files_matching"].map { PythonRepr.text($0) }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted()
            for name in names where name.hasSuffix(".yml") || name.hasSuffix(".yaml") || name.hasSuffix(".json") {
                if let matching, name.range(of: matching, options: .regularExpression) == nil { continue }
                let (path, variables) = try context.variableFiles.loadVariables(base + "/" + name, relativeTo: [])
                files.append(path)
                for (key, value) in variables { loaded[key] = value }
            }
        } else {
            guard let file = (arguments["file"] ?? arguments["_raw_params"]).map({ PythonRepr.text($0) }) else {
                throw SourceError("one of 'file', 'dir' or a free-form file name is required", at: location)
            }
            do {
                let (path, variables) = try context.variableFiles.loadVariables(file, relativeTo: directories)
                files.append(path)
                loaded = variables
            } catch let error as any LocatedError {
                throw error
            }
        }
        if let name = arguments["name"].map({ PythonRepr.text($0) }) {
            var wrapped = ValueDictionary()
            wrapped[.string(name)] = .dict(loaded)
            loaded = wrapped
        }
        var values = ValueDictionary()
        values["ansible_facts"] = .dict(loaded)
        values["ansible_included_var_files"] = .list(files.map(Value.string))
        values["changed"] = .bool(false)
        return ActionResult(values: values, effects: [.includeVars(loaded)])
    }
}
