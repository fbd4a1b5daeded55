import Foundation
import ModuleAPI
import Templating

/// ansible-core's `AnsibleModule.add_path_info`: a result with a `path` (or `dest`) that exists gets
/// that file's `uid`, `gid`, `owner`, `group`, `mode`, `size` and `state` (which replaces a module's
/// own `state` option in the result, as it does in ansible-core).
enum PathInfo {
    static func add(to values: inout ValueDictionary, shell: TargetShell) async throws {
        guard let path = (values["path"] ?? values["dest"])?.string else { return }
        let observation = try await FileProbe.run(FileProbe.Request(path: path), on: shell)
        guard let info = observation.info else { return }
        values["uid"] = .int(info.uid)
        values["gid"] = .int(info.gid)
        values["owner"] = .string(info.owner.isEmpty ? String(info.uid) : info.owner)
        values["group"] = .string(info.group.isEmpty ? String(info.gid) : info.group)
        let octal = String(info.mode & 0o7777, radix: 8)
        values["mode"] = .string("0" + String(repeating: "0", count: max(0, 3 - octal.count)) + octal)
        let state: String
        switch info.kind {
        case .link: state = "link"
        case .directory: state = "directory"
        default: state = info.links > 1 ? "hard" : "file"
        }
        values["state"] = .string(state)
        values["size"] = .int(info.size)
    }
}
