import Diagnostics
import Foundation
import Templating

extension VaultSecrets {
    /// Reads a password as `--vault-password-file`/`--vault-id id@FILE` does: the file's first line
    /// (surrounding whitespace stripped), or, when the file is executable, its standard output.
    public static func password(fromFile path: String) throws -> String {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path) else {
            throw LoadError("the vault password file '\(path)' was not found", at: nil)
        }
        if manager.isExecutableFile(atPath: path) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw LoadError("vault password script '\(path)' returned non-zero (\(process.terminationStatus))", at: nil)
            }
            return firstLine(String(decoding: data, as: UTF8.self))
        }
        guard let data = manager.contents(atPath: path) else {
            throw LoadError("could not read the vault password file '\(path)'", at: nil)
        }
        let password = firstLine(String(decoding: data, as: UTF8.self))
        guard !password.isEmpty else {
            throw LoadError("invalid vault password was provided from file '\(path)': it is empty", at: nil)
        }
        return password
    }

    /// A `--vault-id` value: `id@path`, or a bare path (id `default`).
    public static func secret(fromVaultID argument: String, relativeTo directory: String) throws -> Secret {
        let (id, path): (String, String)
        if let at = argument.firstIndex(of: "@") {
            (id, path) = (String(argument[..<at]), String(argument[argument.index(after: at)...]))
        } else {
            (id, path) = ("default", argument)
        }
        let absolute = path.hasPrefix("/") ? path : directory + "/" + path
        return Secret(id: id, password: try password(fromFile: absolute))
    }

    private static func firstLine(_ text: String) -> String {
        (text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "").trimmingPythonWhitespace()
    }
}
