import Foundation
import PlaybookCore

/// The SSH and become passwords asked for on the command line, in ansible-playbook's order and words:
/// `-k` ("SSH password: ") or `--connection-password-file`, then `-K` ("BECOME password: ", which
/// defaults to the SSH password when left empty after `-k`) or `--become-password-file`.
struct ConnectionPasswords: Sendable, Equatable {
    var connection: String?
    var become: String?

    static func resolve(_ options: RunOptions, prompts: any PromptSource) throws -> ConnectionPasswords {
        var passwords = ConnectionPasswords()
        var becomePrompt = "BECOME password: "
        if options.askConnectionPassword {
            passwords.connection = try prompts.password("SSH password: ")
            becomePrompt = "BECOME password[defaults to SSH password]: "
        } else if let file = options.connectionPasswordFile {
            passwords.connection = try read(file, workingDirectory: options.workingDirectory)
        }
        if options.askBecomePassword {
            let answer = try prompts.password(becomePrompt)
            passwords.become = answer.isEmpty && options.askConnectionPassword ? passwords.connection : answer
        } else if let file = options.becomePasswordFile {
            passwords.become = try read(file, workingDirectory: options.workingDirectory)
        }
        return passwords
    }

    /// ansible-playbook's `get_password_from_file`: `-` is standard input, an executable is run.
    private static func read(_ name: String, workingDirectory: String) throws -> String {
        let secret: String
        if name == "-" {
            secret = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            let file = PasswordFile(name, workingDirectory: workingDirectory)
            guard file.exists else { throw LoadError("the password file '\(name)' was not found", at: nil) }
            if file.isExecutable {
                let result = try file.run()
                guard result.status == 0 else {
                    throw LoadError(
                        "the password script '\(name)' returned an error (rc=\(result.status)): \(result.stderr)", at: nil)
                }
                secret = result.stdout
            } else {
                secret = try file.contents()
            }
        }
        let password = PasswordFile.trimmingLineEnds(secret)
        guard !password.isEmpty else { throw LoadError("empty password was provided from file (\(name))", at: nil) }
        return password
    }
}

extension PromptSource {
    /// Asks for a password with the input hidden; the end of input is an error naming the prompt.
    func password(_ message: String) throws -> String {
        guard let answer = read(message, secret: true) else {
            throw LoadError("no answer (end of input) for the prompt '\(message.trimmingCharacters(in: .whitespaces))'", at: nil)
        }
        return answer
    }
}
