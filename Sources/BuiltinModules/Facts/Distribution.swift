import Templating

/// Distribution facts from `/etc/os-release` (and the release files Ansible prefers for versions).
struct Distribution {
    var name = "NA"
    var version = "NA"
    var release = "NA"
    var family = "NA"
    var major = "NA"
    var minor: String?

    /// os-release `ID` → Ansible's distribution name.
    static let names: [String: String] = [
        "debian": "Debian", "ubuntu": "Ubuntu", "linuxmint": "Linux Mint", "raspbian": "Debian", "kali": "Kali",
        "devuan": "Devuan", "centos": "CentOS", "rhel": "RedHat", "fedora": "Fedora", "rocky": "Rocky",
        "almalinux": "AlmaLinux", "ol": "OracleLinux", "amzn": "Amazon", "alpine": "Alpine", "arch": "Archlinux",
        "opensuse-leap": "openSUSE Leap", "opensuse-tumbleweed": "openSUSE Tumbleweed", "sles": "SLES",
        "gentoo": "Gentoo", "void": "Void", "nixos": "NixOS",
    ]

    /// Ansible's `os_family` of each distribution.
    static let families: [String: String] = [
        "Debian": "Debian", "Ubuntu": "Debian", "Linux Mint": "Debian", "Kali": "Debian", "Devuan": "Debian",
        "CentOS": "RedHat", "RedHat": "RedHat", "Fedora": "RedHat", "Rocky": "RedHat", "AlmaLinux": "RedHat",
        "OracleLinux": "RedHat", "Amazon": "RedHat", "Alpine": "Alpine", "Archlinux": "Archlinux",
        "openSUSE Leap": "Suse", "openSUSE Tumbleweed": "Suse", "SLES": "Suse", "Gentoo": "Gentoo", "Void": "Void",
        "NixOS": "NixOS",
    ]

    init(_ sections: [String: [String]]) {
        var osRelease: [String: String] = [:]
        for line in sections["os_release"] ?? [] {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = String(line[line.index(after: equals)...])
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            osRelease[String(line[..<equals])] = value
        }
        let system = sections["uname"]?.first ?? ""
        guard let id = osRelease["ID"] else {
            name = system
            family = system
            return
        }
        name = Self.names[id] ?? osRelease["NAME"] ?? id
        family = Self.families[name] ?? name
        version = osRelease["VERSION_ID"] ?? "NA"
        release = osRelease["VERSION_CODENAME"] ?? osRelease["UBUNTU_CODENAME"] ?? "NA"
        // Debian's point release lives in /etc/debian_version (12.11); os-release only says 12.
        if name == "Debian", let point = sections["debian_version"]?.first, point.first?.isNumber == true {
            version = point
        }
        if name == "Alpine", let point = sections["alpine_release"]?.first, !point.isEmpty { version = point }
        let components = version.split(separator: ".").map(String.init)
        major = components.first ?? version
        if components.count > 1 { minor = components[1] }
        if family == "RedHat", release == "NA", let line = sections["redhat_release"]?.first,
            let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"), open < close
        {
            release = String(line[line.index(after: open)..<close])
        }
    }

    func store(into facts: inout ValueDictionary) {
        facts["ansible_distribution"] = .string(name)
        facts["ansible_distribution_version"] = .string(version)
        facts["ansible_distribution_release"] = .string(release)
        facts["ansible_distribution_major_version"] = .string(major)
        if let minor { facts["ansible_distribution_minor_version"] = .string(minor) }
        facts["ansible_os_family"] = .string(family)
    }
}
