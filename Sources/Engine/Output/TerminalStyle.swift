/// ANSI colours as ansible-playbook uses them, switched off for `NO_COLOR`, `ANSIBLE_NOCOLOR` and
/// output that is not a terminal (unless `ANSIBLE_FORCE_COLOR` is set).
public struct TerminalStyle: Sendable {
    /// Ansible's default colour settings (`COLOR_OK`, `COLOR_CHANGED`, …) as ANSI SGR codes.
    public enum Color: Sendable {
        case ok, changed, skip, error, unreachable, warn, debug, verbose, included

        /// The SGR code of Ansible's default for this colour setting.
        var code: String {
            switch self {
            case .ok: "0;32"
            case .changed: "0;33"
            case .skip, .included: "0;36"
            case .error: "0;31"
            case .unreachable: "1;31"
            case .warn: "1;35"
            case .debug: "1;30"
            case .verbose: "0;34"
            }
        }
    }

    public var enabled: Bool

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Decides from the environment and whether stdout is a terminal.
    public static func detect(environment: [String: String], isTerminal: Bool) -> TerminalStyle {
        func isSet(_ name: String) -> Bool {
            guard let value = environment[name] else { return false }
            return !value.isEmpty && !["0", "false", "no", "off"].contains(value.lowercased())
        }
        if environment["NO_COLOR"].map({ !$0.isEmpty }) ?? false || isSet("ANSIBLE_NOCOLOR") {
            return TerminalStyle(enabled: false)
        }
        if isSet("ANSIBLE_FORCE_COLOR") { return TerminalStyle(enabled: true) }
        return TerminalStyle(enabled: isTerminal)
    }

    /// `text` wrapped in the colour's escape codes when colours are on.
    public func paint(_ text: String, _ color: Color?) -> String {
        guard enabled, let color else { return text }
        return "\u{1B}[\(color.code)m\(text)\u{1B}[0m"
    }
}
