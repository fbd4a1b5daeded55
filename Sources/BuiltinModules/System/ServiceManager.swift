import ModuleAPI
import Templating

/// How a service is controlled on a target: systemd when PID 1 is systemd, else SysV init scripts
/// through `service`, else the daemon's own commands (test hosts and containers have no init).
enum ServiceManager: String, Sendable {
    case systemd, sysv, direct

    /// A service's state as read in one command.
    struct Status: Sendable {
        var manager: ServiceManager
        var running: Bool
        /// nil when the manager cannot tell (direct control has no notion of enabled).
        var enabled: Bool?
        var exists: Bool
    }

    /// The read script: detects the manager and reports `manager=`, `running=`, `enabled=`, `exists=`.
    static func statusScript(name: String, pattern: String?) -> String {
        let unit = Shell.quote(name)
        let process = Shell.quote(pattern ?? name)
        let matchFlag = pattern == nil ? "-x" : "-f"
        return """
            if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && command -v systemctl >/dev/null 2>&1; then
              echo manager=systemd
              systemctl is-active --quiet \(unit) && echo running=yes || echo running=no
              e=$(systemctl is-enabled \(unit) 2>/dev/null); echo "enabled=$e"
              systemctl cat \(unit) >/dev/null 2>&1 && echo exists=yes || echo exists=no
            elif [ -x /etc/init.d/\(unit) ] && command -v service >/dev/null 2>&1; then
              echo manager=sysv; echo exists=yes
              service \(unit) status >/dev/null 2>&1; rc=$?
              if [ $rc = 0 ]; then echo running=yes
              elif [ $rc = 3 ] || [ $rc = 1 ] || [ $rc = 2 ]; then echo running=no
              else pgrep \(matchFlag) \(process) >/dev/null 2>&1 && echo running=yes || echo running=no; fi
              ls /etc/rc[2345].d/S[0-9][0-9]\(unit) >/dev/null 2>&1 && echo enabled=yes || echo enabled=no
            else
              echo manager=direct
              command -v \(unit) >/dev/null 2>&1 && echo exists=yes || echo exists=no
              pgrep \(matchFlag) \(process) >/dev/null 2>&1 && echo running=yes || echo running=no
            fi
            """
    }

    static func parseStatus(_ output: String) -> Status {
        var fields: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        let manager = ServiceManager(rawValue: fields["manager"] ?? "") ?? .direct
        let enabled: Bool?
        switch fields["enabled"] {
        case "yes", "enabled", "enabled-runtime", "static", "alias", "indirect", "generated": enabled = true
        case "no", "disabled", "masked", "masked-runtime", "linked", "linked-runtime": enabled = false
        default: enabled = manager == .direct ? nil : false
        }
        return Status(
            manager: manager, running: fields["running"] == "yes", enabled: enabled, exists: fields["exists"] == "yes")
    }

    /// The command performing `action` (start, stop, restart, reload) with this manager.
    func command(_ action: String, name: String, pattern: String?, arguments: String?) -> String {
        let unit = Shell.quote(name)
        let extra = arguments.map { " " + $0 } ?? ""
        switch self {
        case .systemd: return "systemctl \(action) \(unit)"
        case .sysv: return "service \(unit) \(action)\(extra)"
        case .direct:
            let process = Shell.quote(pattern ?? name)
            let matchFlag = pattern == nil ? "-x" : "-f"
            switch action {
            // Started in its own session with output detached, so the command returns while the daemon runs on;
            // it waits (up to 5 s) for the process to appear so that a later status check sees it.
            case "start":
                return "setsid \(unit)\(extra) </dev/null >/dev/null 2>&1 & "
                    + "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do pgrep \(matchFlag) \(process) >/dev/null && exit 0; sleep 0.25; done; "
                    + "echo \(Shell.quote("\(name) did not start")) >&2; exit 1"
            case "stop": return "pkill \(matchFlag) \(process); for i in 1 2 3 4 5 6 7 8 9 10; do pgrep \(matchFlag) \(process) >/dev/null || exit 0; sleep 0.5; done; pkill -9 \(matchFlag) \(process); exit 0"
            case "reload": return "pkill -HUP \(matchFlag) \(process)"
            default:
                return "{ \(command("stop", name: name, pattern: pattern, arguments: arguments)); } && \(command("start", name: name, pattern: pattern, arguments: arguments))"
            }
        }
    }

    /// The command enabling or disabling start at boot.
    func enableCommand(_ enable: Bool, name: String) -> String? {
        let unit = Shell.quote(name)
        switch self {
        case .systemd: return "systemctl \(enable ? "enable" : "disable") \(unit)"
        case .sysv:
            return "if command -v update-rc.d >/dev/null 2>&1; then update-rc.d \(unit) \(enable ? "defaults" : "disable"); "
                + "else chkconfig \(unit) \(enable ? "on" : "off"); fi"
        case .direct: return nil
        }
    }
}
