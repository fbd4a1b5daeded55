import Foundation
import ModuleAPI

/// Files on the controller that modules read: `src:` of copy, template, script, unarchive.
///
/// This is the only place a module touches the controller's filesystem; everything on the target
/// goes through the ``Connection``.
enum ControllerFiles {
    /// The first existing file for `source` in the invocation's search paths (role `files/` or
    /// `templates/`, then the playbook directory), or an Ansible-style "Could not find" failure.
    static func locate(_ source: String, in invocation: ModuleInvocation) throws -> String {
        let expanded = (source as NSString).expandingTildeInPath
        var candidates: [String] = []
        if expanded.hasPrefix("/") {
            candidates = [expanded]
        } else {
            candidates = invocation.searchPaths.map { ($0 as NSString).appendingPathComponent(expanded) }
            candidates.append(FileManager.default.currentDirectoryPath + "/" + expanded)
        }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            return found
        }
        let searched = candidates.map { "\t\($0)" }.joined(separator: "\n")
        throw ModuleFailure("Could not find or access '\(source)'\nSearched in:\n\(searched)")
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModuleFailure("Could not read source file '\(path)'")
        }
        return data
    }

    /// Every regular file and directory under `root`, relative to it, sorted (directories before their contents).
    static func tree(_ root: String) -> (directories: [String], files: [String]) {
        var directories: [String] = []
        var files: [String] = []
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return ([], []) }
        while let relative = enumerator.nextObject() as? String {
            if isDirectory((root as NSString).appendingPathComponent(relative)) {
                directories.append(relative)
            } else {
                files.append(relative)
            }
        }
        return (directories.sorted(), files.sorted())
    }
}
