import Foundation
import StackplayCLI
import Testing

/// find, authorized_key and known_hosts against real ansible-playbook (with ansible.posix): the same
/// playbook, each runner on its own copy of the same fixture tree, must give the same recap in check
/// mode, on the first run and on the second, leave the same files behind and register the same results
/// (paths, times, inodes and hashed host names normalised).
@Suite(.enabled(if: AnsiblePeer.hasPosixCollection, "needs STACKPLAY_ANSIBLE_VENV with ansible.posix"))
struct FileModulesDifferentialTests {
    static let alice = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMVA+lo6jXrQ7wtSwCKtaxjVQl42banwRokEqHcLr63/ alice@laptop"
    static let bob =
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDMVJXSvndFR88fLNzJ5aW3+f6zuyVXFzrn/wzpUmUGcfjDJ1kWEDyKaAAgh1LN1r0BK5jo6cmo4hKXzDTYozapdnN3f4wiQQwgNL3wKsUqfl27yfXAlI3IiWVkjvCXeojUw4Dnk1ftqeZIQlsJN7j19DwlUKkxCnpAr9ZezfhYzw== bob@desk"

    static let playbook = """
        - hosts: localhost
          gather_facts: false
          vars:
            root: "{{ playbook_dir }}"
            alice: "\(alice)"
            bob: "\(bob)"
            alice_key: "{{ alice.split(' ')[:2] | join(' ') }}"
            bob_key: "{{ bob.split(' ')[:2] | join(' ') }}"
          tasks:
            - find: {paths: "{{ root }}/tree", patterns: "*.log", recurse: true}
              register: logs
            - find:
                paths: "{{ root }}/tree/logs"
                patterns: ['^app', '^web']
                use_regex: true
                excludes: '.*\\.1$'
                recurse: true
                get_checksum: true
              register: regex
            - find: {paths: ["{{ root }}/tree", "{{ root }}/missing"], file_type: any, hidden: true, recurse: true, depth: 2}
              register: anything
            - find: {paths: "{{ root }}/tree/logs", contains: "ERROR"}
              register: errors
            - find: {paths: "{{ root }}/tree/logs", contains: "ERROR", read_whole_file: true, checksum_algorithm: sha256, get_checksum: true}
              register: errors_anywhere
            - find: {paths: "{{ root }}/tree", recurse: true, size: "1k"}
              register: large
            - find: {paths: "{{ root }}/tree", recurse: true, file_type: directory, limit: 1}
              register: dirs
            - find: {paths: "{{ root }}/tree/logs", file_type: link, age: "-1d"}
              register: links
            - find: {paths: "{{ root }}/tree", recurse: true, follow: true, patterns: ["*.log", "*.txt"]}
              register: followed
            - find: {paths: "{{ root }}/tree", recurse: true, mode: "0600"}
              register: private
            - find: {paths: "{{ root }}/tree", recurse: true, file_type: any, mode: "u+x", exact_mode: false}
              register: executable
            - authorized_key: {user: "{{ user }}", path: "{{ root }}/keys/removal", key: "{{ alice }}", comment: preview}
              check_mode: true
              diff: true
              register: keys_preview
            - known_hosts: {name: keep.example, key: "keep.example {{ bob_key }}", path: "{{ root }}/known_hosts"}
              check_mode: true
              register: hosts_preview
            - authorized_key: {user: "{{ user }}", path: "{{ root }}/ssh/authorized_keys", key: "{{ alice }}\\n{{ bob }}"}
              register: keys_added
            - authorized_key:
                user: "{{ user }}"
                path: "{{ root }}/keys/seeded"
                key: "{{ bob }}"
                key_options: 'no-pty,from="10.0.0.1,10.0.0.2"'
              register: keys_options
            - ansible.posix.authorized_key: {user: "{{ user }}", path: "{{ root }}/keys/seeded", key: "{{ alice }}", comment: ops, manage_dir: false}
              register: keys_comment
            - authorized_key: {user: "{{ user }}", path: "{{ root }}/keys/exclusive", key: "{{ alice }}", exclusive: true, manage_dir: false}
              register: keys_exclusive
            - authorized_key: {user: "{{ user }}", path: "{{ root }}/keys/removal", key: "{{ bob }}", state: absent, manage_dir: false}
              register: keys_absent
            - known_hosts: {name: web1.example, key: "web1.example {{ alice_key }}", path: "{{ root }}/known_hosts"}
              register: hosts_added
            - known_hosts: {name: old.example, key: "old.example {{ alice_key }}", path: "{{ root }}/known_hosts"}
              register: hosts_replaced
            - known_hosts: {name: gone.example, state: absent, path: "{{ root }}/known_hosts"}
              register: hosts_removed
            - ansible.builtin.known_hosts: {name: db.example, key: "db.example {{ bob_key }}", hash_host: true, path: "{{ root }}/known_hosts"}
              register: hosts_hashed
            - known_hosts: {name: other.example, key: "other.example {{ bob_key }}", state: absent, path: "{{ root }}/known_hosts"}
              register: hosts_absent_key
            - copy:
                dest: "{{ root }}/results.json"
                content: "{{ {'logs': logs, 'regex': regex, 'anything': anything, 'errors': errors,
                  'errors_anywhere': errors_anywhere, 'large': large, 'dirs': dirs, 'links': links,
                  'keys_added': keys_added, 'keys_options': keys_options, 'keys_comment': keys_comment,
                  'keys_exclusive': keys_exclusive, 'keys_absent': keys_absent, 'hosts_added': hosts_added,
                  'hosts_replaced': hosts_replaced, 'hosts_removed': hosts_removed, 'hosts_hashed': hosts_hashed,
                  'hosts_absent_key': hosts_absent_key, 'followed': followed, 'private': private,
                  'executable': executable, 'keys_preview': keys_preview, 'hosts_preview': hosts_preview} | to_json }}"
        """

    /// The fixture tree both runners start from.
    static func materialize() throws -> String {
        let root = NSTemporaryDirectory() + "stackplay-filemodules-" + UUID().uuidString
        let manager = FileManager.default
        for directory in ["tree/logs/old", "tree/.cache", "tree/empty/deeper/deepest", "keys"] {
            try manager.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        let files: [String: String] = [
            "tree/logs/app.log": "started\nERROR disk full\n",
            "tree/logs/web.log": "ok\n",
            "tree/logs/notes.txt": "the ERROR is in the middle\n",
            "tree/logs/old/app.log.1": String(repeating: "x", count: 2048),
            "tree/.hidden.log": "h\n",
            "tree/.cache/inner.log": "c\n",
            "tree/empty/deeper/deepest/far.log": "far\n",
            "keys/seeded": "# seeded by hand\n\(alice)\n\n\n\(bob)\n",
            "keys/exclusive": "# comment goes too\n\(bob)\n",
            "keys/removal": "\(alice)\n\(bob)\n",
            "known_hosts": "# header\nold.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMZBnZpPAXX9Ldto3U8888g/jFJDxIU+/2Zjtnk9q9+O\n"
                + "gone.example,10.0.0.9 \(bob)\n@cert-authority *.corp.example \(bob)\nkeep.example \(alice)\n",
            "site.yml": playbook,
        ]
        for (path, content) in files { try Data(content.utf8).write(to: URL(fileURLWithPath: root + "/" + path)) }
        try manager.createSymbolicLink(atPath: root + "/tree/logs/current.log", withDestinationPath: "app.log")
        try manager.createSymbolicLink(atPath: root + "/tree/linked", withDestinationPath: "logs/old")
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root + "/tree/logs/web.log")
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/tree/logs/notes.txt")
        let inventory = "localhost ansible_connection=local ansible_python_interpreter=\(AnsiblePeer.interpreter)\n"
        try inventory.write(toFile: root + "/inventory", atomically: true, encoding: .utf8)
        return root
    }

    func arguments(_ root: String, check: Bool) -> [String] {
        ["-i", root + "/inventory", root + "/site.yml", "-e", "user=\(NSUserName())"] + (check ? ["--check", "--diff"] : [])
    }

    func stackplay(_ root: String, check: Bool = false) async -> String {
        let output = CapturedOutput()
        _ = await StackplayMain.run(
            arguments(root, check: check), environment: ["NO_COLOR": "1"], output: output, workingDirectory: root,
            prompts: ScriptedPrompts(interactive: false))
        return output.standardOutput + output.standardError
    }

    func ansible(_ root: String, check: Bool = false) throws -> String {
        let venv = AnsiblePeer.venv ?? ""
        return try AnsiblePeer.run(
            arguments(root, check: check), in: root, environment: ["ANSIBLE_COLLECTIONS_PATH": venv + "/collections"]
        ).output
    }

    @Test func ansiblePlaybookAgreesOnRecapFilesAndResults() async throws {
        let ours = try Self.materialize()
        let theirs = try Self.materialize()
        defer {
            try? FileManager.default.removeItem(atPath: ours)
            try? FileManager.default.removeItem(atPath: theirs)
        }
        // Check mode predicts the first run's changes; the second run changes only results.json and
        // reports the two check-mode previews.
        let expectedChanged = [12, 12, 3]
        for (run, check) in [true, false, false].enumerated() {
            let ourOutput = await stackplay(ours, check: check)
            let theirOutput = try ansible(theirs, check: check)
            #expect(AnsiblePeer.recap(theirOutput).first?.contains("changed=\(expectedChanged[run]) ") == true, "\(theirOutput)")
            #expect(
                AnsiblePeer.recap(ourOutput) == AnsiblePeer.recap(theirOutput),
                "check=\(check)\nstackplay:\n\(ourOutput)\nansible:\n\(theirOutput)")
            #expect(try FileSnapshot.take(ours) == FileSnapshot.take(theirs), "check=\(check)")
            if !check {
                let ourResults = try FileSnapshot.results(ours)
                let theirResults = try FileSnapshot.results(theirs)
                #expect(theirResults.count == 23)
                for name in theirResults.keys.sorted() {
                    #expect(ourResults[name] == theirResults[name], "\(name)")
                }
            }
        }
    }
}

extension AnsiblePeer {
    /// Whether the peer's venv holds ansible.posix (authorized_key), which Scripts/lib.sh extracts.
    static var hasPosixCollection: Bool {
        guard let venv else { return false }
        return FileManager.default.fileExists(
            atPath: venv + "/collections/ansible_collections/ansible/posix/plugins/modules/authorized_key.py")
    }
}

/// Runner-independent views of a fixture directory after a run.
enum FileSnapshot {
    /// Every path below `root` but the runners' own files: type, mode and (normalised) content.
    static func take(_ root: String) throws -> [String] {
        let manager = FileManager.default
        let ignored: Set<String> = ["site.yml", "inventory", "results.json", ".ansible-tmp"]
        var lines: [String] = []
        for path in try manager.subpathsOfDirectory(atPath: root).sorted() {
            guard !ignored.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) else { continue }
            let attributes = try manager.attributesOfItem(atPath: root + "/" + path)
            let mode = String((attributes[.posixPermissions] as? Int) ?? 0, radix: 8)
            let type = (attributes[.type] as? FileAttributeType).map(\.rawValue) ?? "?"
            var line = "\(path) \(type) \(mode)"
            if type == FileAttributeType.typeRegular.rawValue, let data = manager.contents(atPath: root + "/" + path) {
                line += "\n" + normalise(String(decoding: data, as: UTF8.self), root: root)
            }
            lines.append(line)
        }
        return lines
    }

    /// The registered results the playbook wrote, normalised for comparison: one JSON text per result.
    static func results(_ root: String) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/results.json"))
        guard let results = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var texts: [String: String] = [:]
        for (name, value) in results {
            let cleaned = clean(value)
            let json = try JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys, .withoutEscapingSlashes])
            texts[name] = normalise(String(decoding: json, as: UTF8.self), root: root)
        }
        return texts
    }

    /// Drops what differs between two copies or two runners by nature (times, inodes, ansible's
    /// `invocation` echo) and `diff`, which stackplay's engine shows but never registers; orders
    /// `files` by path.
    static func clean(_ value: Any) -> Any {
        let volatile: Set<String> = ["atime", "mtime", "ctime", "inode", "dev", "invocation", "warnings", "diff"]
        if let dictionary = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, element) in dictionary where !volatile.contains(key) {
                if key == "files", let files = element as? [[String: Any]] {
                    result[key] = files.sorted { ($0["path"] as? String ?? "") < ($1["path"] as? String ?? "") }.map(clean)
                } else {
                    result[key] = clean(element)
                }
            }
            return result
        }
        if let list = value as? [Any] { return list.map(clean) }
        return value
    }

    /// The fixture's own path becomes `ROOT`; hashed host names become `|1|HASHED`.
    static func normalise(_ text: String, root: String) -> String {
        text.replacingOccurrences(of: root, with: "ROOT")
            .replacingOccurrences(of: #"\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+"#, with: "|1|HASHED", options: .regularExpression)
    }
}
