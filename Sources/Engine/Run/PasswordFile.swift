import Foundation
import PlaybookCore

/// A password kept in a file, or printed by the file when it is executable — how ansible-playbook
/// reads `--vault-password-file`, `--become-password-file` and `--connection-password-file`.
struct PasswordFile {
    /// As written (for messages).
    let name: String
    /// Absolute.
    let path: String

    init(_ name: String, workingDirectory: String) {
        self.name = name
        let expanded = (name as NSString).expandingTildeInPath
        path = expanded.hasPrefix("/") ? expanded : workingDirectory + "/" + expanded
    }

    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    var isDirectory: Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    var isExecutable: Bool { !isDirectory && FileManager.default.isExecutableFile(atPath: path) }

    /// The file's text with surrounding whitespace removed, as Python's `bytes.strip()` leaves it.
    func contents() throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError("could not read password file '\(name)'", at: nil)
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What the executable prints on stdout (stderr is captured for the message), and its status.
    func run(arguments: [String] = []) throws -> (stdout: String, stderr: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw LoadError(
                "problem running the password script '\(name)' (\(error.localizedDescription)); if it is not a script, "
                    + "remove the executable bit from the file", at: nil)
        }
        // Read both pipes before waiting, so a chatty script can't fill one and stall.
        let errors = StderrCollector(stderr.fileHandleForReading)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            String(decoding: output, as: UTF8.self), String(decoding: errors.data(), as: UTF8.self),
            process.terminationStatus
        )
    }

    /// Python's `strip(b'\r\n')`: newlines and carriage returns at both ends.
    static func trimmingLineEnds(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text = text.dropLast() }
        while let first = text.first, first == "\n" || first == "\r" || first == "\r\n" { text = text.dropFirst() }
        return String(text)
    }
}

/// Drains a pipe on its own thread while the other pipe is read.
private final class StderrCollector: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var collected = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            collected = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func data() -> Data {
        done.wait()
        return collected
    }
}
