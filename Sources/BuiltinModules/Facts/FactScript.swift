import ModuleAPI

/// The shell script that reads everything fact gathering needs in one round trip, and the
/// parser that splits its output back into named sections.
///
/// Each section starts with a line `@@stackplay:<name>`; commands missing on the target simply
/// leave their section empty, so the script runs on any POSIX system without Python.
enum FactScript {
    static let marker = "@@stackplay:"

    /// The section commands per fact subset (Ansible's `gather_subset` names).
    static func script(for subsets: Set<FactSubset>) -> String {
        var sections: [(String, String)] = [
            ("uname", "uname -s; uname -r; uname -v; uname -m; uname -n"),
            ("os_release", "cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null"),
            ("debian_version", "cat /etc/debian_version 2>/dev/null"),
            ("redhat_release", "cat /etc/redhat-release 2>/dev/null"),
            ("alpine_release", "cat /etc/alpine-release 2>/dev/null"),
            ("fqdn", "hostname -f 2>/dev/null || hostname 2>/dev/null"),
            ("user", "id -un; id -u; id -g; id -ru; id -rg; getent passwd \"$(id -un)\" 2>/dev/null"),
            ("pid1", "cat /proc/1/comm 2>/dev/null"),
            (
                "init_hints",
                "[ -d /run/systemd/system ] && echo systemd; [ -x /sbin/openrc ] && echo openrc; [ -d /etc/init.d ] && echo sysvinit"
            ),
            ("pkg_mgr", "for m in apt-get dnf yum apk zypper pacman; do command -v $m >/dev/null 2>&1 && echo $m; done"),
            ("date", "date '+%Y|%m|%d|%H|%M|%S|%s|%N|%Z|%z|%A|%w|%W'"),
            ("env", "env"),
            ("dns", "cat /etc/resolv.conf 2>/dev/null"),
            ("machine_id", "cat /etc/machine-id 2>/dev/null"),
        ]
        if subsets.contains(.network) {
            sections += [
                ("links", "ip -o -d link 2>/dev/null"),
                ("addresses", "ip -o addr 2>/dev/null"),
                ("route4", "ip -4 route show default 2>/dev/null"),
                ("route6", "ip -6 route show default 2>/dev/null"),
            ]
        }
        if subsets.contains(.hardware) {
            sections += [
                ("meminfo", "cat /proc/meminfo 2>/dev/null"),
                ("cpuinfo", "cat /proc/cpuinfo 2>/dev/null"),
                ("nproc", "nproc 2>/dev/null"),
                ("uptime", "cat /proc/uptime 2>/dev/null"),
                ("loadavg", "cat /proc/loadavg 2>/dev/null"),
                ("mounts", "cat /proc/mounts 2>/dev/null"),
                (
                    "statfs",
                    // statvfs of every device-backed mount point: block size, blocks, free, available, inodes, free inodes.
                    "awk '$1 ~ /^\\// {print $2}' /proc/mounts 2>/dev/null | while read -r m; do m=$(printf '%b' \"$m\"); stat -f -c '%S|%b|%f|%a|%c|%d|%n' \"$m\" 2>/dev/null; done"
                ),
            ]
        }
        if subsets.contains(.virtual) {
            sections.append(
                ("virtual", "systemd-detect-virt 2>/dev/null; [ -f /.dockerenv ] && echo docker; grep -qa container=lxc /proc/1/environ 2>/dev/null && echo lxc"))
        }
        return sections.map { "echo '\(marker)\($0.0)'; \($0.1)" }.joined(separator: "\n")
    }

    /// The output split into sections, each a list of lines.
    static func sections(of output: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var current: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(marker) {
                current = String(line.dropFirst(marker.count))
                result[current ?? ""] = []
            } else if let current {
                result[current, default: []].append(String(line))
            }
        }
        for (name, lines) in result {
            var trimmed = lines
            while trimmed.last == "" { trimmed.removeLast() }
            result[name] = trimmed
        }
        return result
    }
}

/// Ansible's `gather_subset` groups that stackplay implements.
enum FactSubset: String, CaseIterable, Sendable {
    case min, network, hardware, virtual

    /// Resolves a `gather_subset` list (`all`, `min`, `network`, `!hardware`, `!all`…). The minimal
    /// facts are always gathered, as in Ansible.
    static func resolve(_ requested: [String]) throws(ModuleFailure) -> Set<FactSubset> {
        var included: Set<FactSubset> = [.min]
        var excluded: Set<FactSubset> = []
        var explicit: Set<FactSubset> = []
        var anyInclusion = false
        for item in requested {
            let negated = item.hasPrefix("!")
            let name = negated ? String(item.dropFirst()) : item
            let members = try members(of: name)
            if negated {
                excluded.formUnion(members)
            } else {
                anyInclusion = true
                included.formUnion(members)
                if name != "all" { explicit.formUnion(members) }
            }
        }
        // Only exclusions means "everything but those"; a subset named explicitly wins over `!all`.
        if !anyInclusion { included = Set(allCases) }
        excluded.subtract(explicit)
        return included.subtracting(excluded).union([.min])
    }

    private static func members(of name: String) throws(ModuleFailure) -> Set<FactSubset> {
        switch name {
        case "all": return Set(allCases)
        case "min": return [.min]
        case "network", "interfaces", "all_ipv4_addresses", "all_ipv6_addresses": return [.network]
        case "hardware", "devices", "mounts": return [.hardware]
        case "virtual": return [.virtual]
        case "facter", "ohai", "distribution", "platform", "env", "date_time", "dns", "user", "service_mgr",
            "pkg_mgr", "local", "lsb", "fips", "apparmor", "selinux", "caps", "cmdline", "python", "ssh_pub_keys":
            return [.min]
        default:
            throw ModuleFailure(
                "Bad subset '\(name)' given to Ansible. gather_subset options allowed: all, all_ipv4_addresses, all_ipv6_addresses, hardware, min, network, virtual")
        }
    }
}
