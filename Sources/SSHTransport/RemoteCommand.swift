import Foundation
import ModuleAPI

/// The exact string sent in an SSH exec request for one `CommandRequest`, plus how to talk to it.
///
/// sshd runs the string with the login shell, so everything is wrapped in an explicit
/// `/bin/sh -c '…'` (or the request's `executable`) to behave the same whatever that shell is.
struct RemoteCommand: Equatable {
    /// What the exec request carries.
    var line: String
    /// Whether a pseudo-terminal is needed (`su` reads passwords from a terminal only).
    var needsTerminal: Bool
    /// Set when a password must be typed before the command proper starts.
    var handshake: BecomeHandshake?
    /// Bytes to send on stdin once the command runs (empty when stdin went into `line`).
    var input: Data

    /// Builds the command line. `marker` is a fresh random token that tells the become step is over.
    init(_ request: CommandRequest, marker: String = BecomeHandshake.makeMarker()) throws(SessionFailure) {
        let shell = request.executable ?? "/bin/sh"
        var script = try Self.environmentPrefix(request.environment) + request.commandLine
        guard let become = request.become else {
            self.init(line: "\(shellQuote(shell)) -c \(shellQuote(script))", input: request.stdin ?? Data())
            return
        }
        let user = shellQuote(become.user)
        switch become.method {
        case "sudo":
            var flags = become.flags ?? "-H -S -n"
            guard let password = become.password else {
                self.init(
                    line: "sudo \(flags) -u \(user) \(shellQuote(shell)) -c \(shellQuote(script))",
                    input: request.stdin ?? Data())
                return
            }
            // -n would make sudo fail instead of asking; -S makes it read the password from stdin.
            flags = flags.split(separator: " ").filter { $0 != "-n" }.joined(separator: " ")
            if !flags.split(separator: " ").contains("-S") { flags += " -S" }
            let prompt = "[sudo via stackplay, key=\(marker)] password:"
            let wrapped = "echo \(marker); \(script)"
            self.init(
                line:
                    "sudo \(flags) -p \(shellQuote(prompt)) -u \(user) \(shellQuote(shell)) -c \(shellQuote(wrapped))",
                handshake: BecomeHandshake(marker: marker, password: password, method: "sudo", promptOnStderr: true),
                input: request.stdin ?? Data())
        case "su":
            let flags = become.flags.map { $0 + " " } ?? ""
            guard let password = become.password else {
                let inner = "\(shellQuote(shell)) -c \(shellQuote(script))"
                self.init(line: "su \(flags)\(user) -c \(shellQuote(inner))", input: request.stdin ?? Data())
                return
            }
            // On a terminal, stdin would be echoed and line-edited: ship it inside the command instead.
            if let stdin = request.stdin, !stdin.isEmpty {
                // Linux caps one argument at 128 KiB (MAX_ARG_STRLEN), and the script is one argument.
                guard stdin.count <= Self.maximumTerminalInput else {
                    throw SessionFailure(
                        .io,
                        "stdin of \(stdin.count) bytes is too large to pass through su with a password "
                            + "(limit \(Self.maximumTerminalInput) bytes); upload the data to a file instead, "
                            + "or use sudo")
                }
                script =
                    "printf %s \(shellQuote(stdin.base64EncodedString())) | base64 -d | "
                    + "\(shellQuote(shell)) -c \(shellQuote(script))"
            } else {
                script = "\(shellQuote(shell)) -c \(shellQuote(script)) </dev/null"
            }
            // -onlcr keeps the terminal from turning the command's "\n" into "\r\n".
            let wrapped = "stty -onlcr 2>/dev/null; echo \(marker); \(script)"
            let inner = "\(shellQuote(shell)) -c \(shellQuote(wrapped))"
            self.init(
                line: "su \(flags)\(user) -c \(shellQuote(inner))", needsTerminal: true,
                handshake: BecomeHandshake(marker: marker, password: password, method: "su", promptOnStderr: false),
                input: Data())
        default:
            throw SessionFailure(.io, "become method '\(become.method)' is not supported over ssh (use sudo or su)")
        }
    }

    /// The most stdin that can ride inside the command line (base64 grows it by a third).
    static let maximumTerminalInput = 90 * 1024

    init(line: String, needsTerminal: Bool = false, handshake: BecomeHandshake? = nil, input: Data) {
        self.line = line
        self.needsTerminal = needsTerminal
        self.handshake = handshake
        self.input = input
    }

    /// `export A='1' B='2'; ` in name order, since sshd only accepts `AcceptEnv` names via env requests.
    static func environmentPrefix(_ environment: [String: String]) throws(SessionFailure) -> String {
        guard !environment.isEmpty else { return "" }
        var assignments: [String] = []
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            guard isShellName(name) else {
                throw SessionFailure(.io, "invalid environment variable name '\(name)'")
            }
            assignments.append("\(name)=\(shellQuote(value))")
        }
        return "export \(assignments.joined(separator: " ")); "
    }

    private static func isShellName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
        }
    }
}

/// Quotes `text` for a POSIX shell: `'…'` with embedded quotes as `'\''`.
func shellQuote(_ text: String) -> String {
    let safe =
        !text.isEmpty
        && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "@%+=:,./-_".unicodeScalars.contains(scalar))
        }
    if safe { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// What to watch for while `sudo`/`su` asks for its password.
struct BecomeHandshake: Equatable {
    /// Printed by the wrapped command once privileges are in place.
    var marker: String
    var password: String
    var method: String
    /// sudo -S writes its prompt to stderr; su writes to the terminal (stdout).
    var promptOnStderr: Bool

    static func makeMarker() -> String {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<16).map { _ in String(generator.next() % 36, radix: 36) }.joined()
        return "STACKPLAY-BECOME-\(token)"
    }

    /// Whether `output` (the stream the prompt goes to) ends with a password prompt.
    func isPrompt(_ output: Data) -> Bool {
        let tail = String(decoding: output.suffix(200), as: UTF8.self)
            .trimmingCharacters(in: .whitespaces).lowercased()
        if method == "sudo" { return tail.hasSuffix("key=\(marker.lowercased())] password:") }
        // su's prompt is localised; these cover the common locales (Ansible keeps a longer list).
        let words = ["password", "passwort", "mot de passe", "contraseña", "senha", "parola", "пароль", "密码"]
        return (tail.hasSuffix(":") || tail.hasSuffix("：")) && words.contains { tail.contains($0) }
    }
}
