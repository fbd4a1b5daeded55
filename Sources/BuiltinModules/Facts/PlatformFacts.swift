import Foundation
import Templating

/// The minimal facts: platform, distribution, user, date, environment, DNS, service and package managers.
enum PlatformFacts {
    static func collect(_ sections: [String: [String]], into facts: inout ValueDictionary) {
        let uname = sections["uname"] ?? []
        func unameField(_ index: Int) -> String { index < uname.count ? uname[index] : "" }
        let nodename = unameField(4)
        let fqdn = sections["fqdn"]?.first.flatMap { $0.isEmpty ? nil : $0 } ?? nodename
        facts["ansible_system"] = .string(unameField(0))
        facts["ansible_kernel"] = .string(unameField(1))
        facts["ansible_kernel_version"] = .string(unameField(2))
        facts["ansible_machine"] = .string(unameField(3))
        facts["ansible_architecture"] = .string(architecture(unameField(3)))
        facts["ansible_nodename"] = .string(nodename)
        facts["ansible_hostname"] = .string(String(nodename.split(separator: ".").first ?? ""))
        facts["ansible_fqdn"] = .string(fqdn)
        facts["ansible_domain"] = .string(fqdn.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? "")
        Distribution(sections).store(into: &facts)
        collectUser(sections["user"] ?? [], into: &facts)
        facts["ansible_service_mgr"] = .string(serviceManager(sections))
        if let manager = sections["pkg_mgr"]?.first {
            facts["ansible_pkg_mgr"] = .string(manager == "apt-get" ? "apt" : manager)
        }
        if let date = sections["date"]?.first { facts["ansible_date_time"] = .dict(dateTime(date)) }
        facts["ansible_env"] = .dict(environment(sections["env"] ?? []))
        facts["ansible_dns"] = .dict(dns(sections["dns"] ?? []))
        if let machineID = sections["machine_id"]?.first, !machineID.isEmpty {
            facts["ansible_machine_id"] = .string(machineID)
        }
        facts["ansible_local"] = .dict(ValueDictionary())
    }

    /// Ansible's architecture names (`i386` for 32-bit x86, the machine name otherwise).
    static func architecture(_ machine: String) -> String {
        ["i686": "i386", "i586": "i386", "i486": "i386"][machine] ?? machine
    }

    /// `id -un; id -u; id -g; id -ru; id -rg; getent passwd <user>`.
    static func collectUser(_ lines: [String], into facts: inout ValueDictionary) {
        guard lines.count >= 5 else { return }
        let number = { (index: Int) in Value.int(Int(lines[index]) ?? 0) }
        facts["ansible_user_id"] = .string(lines[0])
        facts["ansible_user_uid"] = number(1)
        facts["ansible_user_gid"] = number(2)
        facts["ansible_effective_user_id"] = number(1)
        facts["ansible_effective_group_id"] = number(2)
        facts["ansible_real_user_id"] = number(3)
        facts["ansible_real_group_id"] = number(4)
        if lines.count > 5 {
            let entry = lines[5].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if entry.count >= 7 {
                facts["ansible_user_gecos"] = .string(entry[4])
                facts["ansible_user_dir"] = .string(entry[5])
                facts["ansible_user_shell"] = .string(entry[6])
            }
        }
    }

    /// Ansible's rule: PID 1's name, unless it is a generic init, then what the system shows.
    static func serviceManager(_ sections: [String: [String]]) -> String {
        let pid1 = sections["pid1"]?.first ?? ""
        let hints = sections["init_hints"] ?? []
        if pid1 == "systemd" || hints.contains("systemd") { return "systemd" }
        if !pid1.isEmpty, !["init", "sh", "bash", "dash", "su", "sudo"].contains(pid1) {
            return pid1 == "runit-init" ? "runit" : pid1
        }
        if hints.contains("openrc") { return "openrc" }
        if hints.contains("sysvinit") { return "sysvinit" }
        return "service"
    }

    /// `date '+%Y|%m|%d|%H|%M|%S|%s|%N|%Z|%z|%A|%w|%W'` → Ansible's `ansible_date_time`.
    static func dateTime(_ line: String) -> ValueDictionary {
        let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 13, let epoch = Int(fields[6]) else { return ValueDictionary() }
        let micros = String((fields[7] + "000000").prefix(6))
        let utc = Date(timeIntervalSince1970: TimeInterval(epoch))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: utc)
        let utcStamp = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0)
        let local = "\(fields[0])\(fields[1])\(fields[2])T\(fields[3])\(fields[4])\(fields[5])"
        return ValueDictionary([
            "date": .string("\(fields[0])-\(fields[1])-\(fields[2])"),
            "day": .string(fields[2]),
            "epoch": .string(fields[6]),
            "epoch_int": .string(fields[6]),
            "hour": .string(fields[3]),
            "iso8601": .string(utcStamp + "Z"),
            "iso8601_basic": .string(local + micros),
            "iso8601_basic_short": .string(local),
            "iso8601_micro": .string(utcStamp + ".\(micros)Z"),
            "minute": .string(fields[4]),
            "month": .string(fields[1]),
            "second": .string(fields[5]),
            "time": .string("\(fields[3]):\(fields[4]):\(fields[5])"),
            "tz": .string(fields[8]),
            "tz_dst": .string(fields[8]),
            "tz_offset": .string(fields[9]),
            "weekday": .string(fields[10]),
            "weekday_number": .string(fields[11]),
            "weeknumber": .string(fields[12]),
            "year": .string(fields[0]),
        ])
    }

    /// `env` output; a line without `=` continues the previous variable's multi-line value.
    static func environment(_ lines: [String]) -> ValueDictionary {
        var pairs: [(String, String)] = []
        for line in lines {
            if let equals = line.firstIndex(of: "="), !line[..<equals].contains(" "), !line[..<equals].isEmpty {
                pairs.append((String(line[..<equals]), String(line[line.index(after: equals)...])))
            } else if !pairs.isEmpty {
                pairs[pairs.count - 1].1 += "\n" + line
            }
        }
        var result = ValueDictionary()
        for (key, value) in pairs.sorted(by: { $0.0 < $1.0 }) { result[key] = .string(value) }
        return result
    }

    /// `/etc/resolv.conf` → `nameservers`, `search`, `domain`, `options`.
    static func dns(_ lines: [String]) -> ValueDictionary {
        var result = ValueDictionary()
        var nameservers: [Value] = []
        var options = ValueDictionary()
        for line in lines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first, !keyword.hasPrefix("#"), !keyword.hasPrefix(";") else { continue }
            switch keyword {
            case "nameserver" where words.count > 1: nameservers.append(.string(words[1]))
            case "domain" where words.count > 1: result["domain"] = .string(words[1])
            case "search": result["search"] = .list(words.dropFirst().map(Value.string))
            case "sortlist": result["sortlist"] = .list(words.dropFirst().map(Value.string))
            case "options":
                for option in words.dropFirst() {
                    let parts = option.split(separator: ":", maxSplits: 1).map(String.init)
                    options[parts[0]] = parts.count > 1 ? .string(parts[1]) : .bool(true)
                }
            default: break
            }
        }
        if !nameservers.isEmpty { result["nameservers"] = .list(nameservers) }
        if !options.isEmpty { result["options"] = .dict(options) }
        return result
    }
}
