import Foundation

/// The real ansible-playbook from the venv named by `STACKPLAY_ANSIBLE_VENV`.
enum AnsiblePeer {
    static var venv: String? {
        guard let path = ProcessInfo.processInfo.environment["STACKPLAY_ANSIBLE_VENV"], !path.isEmpty else { return nil }
        return path
    }

    static var isAvailable: Bool { venv != nil }

    /// The Python the inventory points ansible at (the venv's, so modules find their imports).
    static var interpreter: String { venv.map { $0 + "/bin/python" } ?? "/usr/bin/python3" }

    /// Runs ansible-playbook in `directory`; returns its exit code and stdout.
    static func run(_ arguments: [String], in directory: String, environment extra: [String: String] = [:]) throws
        -> (code: Int32, output: String)
    {
        guard let venv else { throw CorpusError("STACKPLAY_ANSIBLE_VENV is not set") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: venv + "/bin/ansible-playbook")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["ANSIBLE_NOCOLOR"] = "1"
        environment["ANSIBLE_RETRY_FILES_ENABLED"] = "0"
        environment["ANSIBLE_LOCAL_TEMP"] = directory + "/.ansible-tmp"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        // Never a terminal: vars_prompt must take its defaults, as stackplay's runs in the corpus do.
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The recap lines (`host : ok=… changed=…`), whitespace-normalised, for comparing runners.
    static func recap(_ output: String) -> [String] {
        guard let start = output.range(of: "PLAY RECAP") else { return [] }
        return output[start.upperBound...].split(separator: "\n").filter { $0.contains(" : ok=") }
            .map { $0.split(separator: " ").joined(separator: " ") }
    }
}
