import ModuleAPI
import Templating

/// A requested file mode: octal (`'0644'`, `644`, an integer from YAML) or symbolic (`u=rw,g=r,o=r`, `a+x`).
enum FileMode: Sendable, Equatable {
    case absolute(UInt16)
    case symbolic([Clause])

    /// One `who op perms` clause of a symbolic mode.
    struct Clause: Sendable, Equatable {
        var who: UInt16  // mask of the affected bits
        var operation: Character  // + - =
        var permissions: String  // rwxXst, or u/g/o to copy
    }

    /// `0644`
    static func octal(_ mode: UInt16) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Parses a `mode:` argument; `preserve` is handled by callers (copy/template).
    static func parse(_ value: Value) throws(ModuleFailure) -> FileMode {
        switch value {
        case .int(let number):
            // An unquoted YAML 0644 arrives as the integer 420: its value is the mode, as in Ansible.
            guard (0...0o7777).contains(number) else { throw ModuleFailure("mode must be in octal or symbolic form") }
            return .absolute(UInt16(number))
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let number = UInt16(trimmed, radix: 8), trimmed.allSatisfy(\.isNumber) {
                guard number <= 0o7777 else { throw ModuleFailure("mode must be in octal or symbolic form") }
                return .absolute(number)
            }
            return .symbolic(try parseSymbolic(trimmed))
        default:
            throw ModuleFailure("mode must be in octal or symbolic form")
        }
    }

    private static func parseSymbolic(_ text: String) throws(ModuleFailure) -> [Clause] {
        var clauses: [Clause] = []
        for part in text.split(separator: ",") {
            guard let operatorIndex = part.firstIndex(where: { "+-=".contains($0) }) else {
                throw ModuleFailure("bad symbolic permission for mode: \(text)")
            }
            var who: UInt16 = 0
            for character in part[..<operatorIndex] {
                switch character {
                case "u": who |= 0o4700
                case "g": who |= 0o2070
                case "o": who |= 0o1007
                case "a": who |= 0o7777
                default: throw ModuleFailure("bad symbolic permission for mode: \(text)")
                }
            }
            if who == 0 { who = 0o7777 }
            // Several operators may follow one another: u+r-w.
            var rest = part[operatorIndex...]
            while let operation = rest.first {
                rest = rest.dropFirst()
                let permissions = rest.prefix { !"+-=".contains($0) }
                rest = rest.dropFirst(permissions.count)
                guard permissions.allSatisfy({ "rwxXstugo".contains($0) }) else {
                    throw ModuleFailure("bad symbolic permission for mode: \(text)")
                }
                clauses.append(Clause(who: who, operation: operation, permissions: String(permissions)))
            }
        }
        return clauses
    }

    /// The argument for `chmod -R`: an octal mode, or the symbolic clauses with their classes spelled
    /// out, so that chmod resolves `X` and relative operations per entry as Ansible does, and no
    /// umask applies to a clause without a class (Ansible reads a missing class as `a`).
    var chmodArgument: String {
        switch self {
        case .absolute(let mode): return Self.octal(mode)
        case .symbolic(let clauses):
            return clauses.map { clause in
                let who = clause.who == 0o7777 ? "a"
                    : [("u", UInt16(0o4700)), ("g", 0o2070), ("o", 0o1007)].filter { clause.who & $0.1 == $0.1 }.map(\.0).joined()
                return who + String(clause.operation) + clause.permissions
            }.joined(separator: ",")
        }
    }

    /// The mode a file ends up with when this mode is applied to `current`.
    func resolve(current: UInt16, isDirectory: Bool) -> UInt16 {
        switch self {
        case .absolute(let mode): return mode
        case .symbolic(let clauses):
            var mode = current & 0o7777
            for clause in clauses {
                let bits = Self.bits(for: clause, current: mode, isDirectory: isDirectory) & clause.who
                switch clause.operation {
                case "+": mode |= bits
                case "-": mode &= ~bits
                default: mode = (mode & ~clause.who) | bits
                }
            }
            return mode
        }
    }

    private static func bits(for clause: Clause, current: UInt16, isDirectory: Bool) -> UInt16 {
        var bits: UInt16 = 0
        for permission in clause.permissions {
            switch permission {
            case "r": bits |= 0o444
            case "w": bits |= 0o222
            case "x": bits |= 0o111
            case "X": if isDirectory || current & 0o111 != 0 { bits |= 0o111 }
            case "s": bits |= 0o6000
            case "t": bits |= 0o1000
            case "u": bits |= Self.spread((current >> 6) & 7)
            case "g": bits |= Self.spread((current >> 3) & 7)
            case "o": bits |= Self.spread(current & 7)
            default: break
            }
        }
        return bits
    }

    /// rwx bits copied into all three classes (masked by `who` afterwards).
    private static func spread(_ triple: UInt16) -> UInt16 { triple << 6 | triple << 3 | triple }
}
