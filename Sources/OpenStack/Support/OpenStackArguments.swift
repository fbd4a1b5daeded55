import ModuleAPI
import Templating

/// The options every openstack.cloud module takes (doc fragment `openstack.cloud.openstack`), and the
/// helper that builds a module's ``ModuleSpec`` around its own options.
public enum OpenStackArguments {
    /// `openstack_full_argument_spec()` of openstack.cloud 2.6.
    public static let common: [String: OptionSpec] = [
        "cloud": OptionSpec(.raw),
        "auth_type": OptionSpec(.string),
        "auth": OptionSpec(.dict, noLog: true),
        "region_name": OptionSpec(.string),
        "validate_certs": OptionSpec(.bool, aliases: ["verify"]),
        "ca_cert": OptionSpec(.string, aliases: ["cacert"]),
        "client_cert": OptionSpec(.string, aliases: ["cert"]),
        "client_key": OptionSpec(.string, aliases: ["key"], noLog: true),
        "wait": OptionSpec(.bool, default: true),
        "timeout": OptionSpec(.int, default: 180),
        "api_timeout": OptionSpec(.int),
        "interface": OptionSpec(
            .string, default: "public", choices: ["public", "internal", "admin"], aliases: ["endpoint_type"]),
        "sdk_log_path": OptionSpec(.string),
        "sdk_log_level": OptionSpec(.string, default: "INFO", choices: ["INFO", "DEBUG"]),
    ]

    /// The action group that `module_defaults: {group/openstack.cloud.openstack: …}` targets.
    public static let actionGroup = "openstack.cloud.openstack"

    /// A module spec named `openstack.cloud.<name>` with the common options merged in.
    ///
    /// Every stackplay OpenStack module supports check mode (read → plan), including those whose
    /// openstack.cloud counterparts do not (network, router, keypair, image, floating_ip), where Ansible
    /// skips the task instead.
    static func spec(
        _ name: String, legacy: [String] = [], options: [String: OptionSpec], mutuallyExclusive: [[String]] = [],
        requiredTogether: [[String]] = [], requiredOneOf: [[String]] = [], requiredIf: [(String, Value, [String])] = []
    ) -> ModuleSpec {
        var merged = common
        for (key, option) in options { merged[key] = option }
        return ModuleSpec(
            name: "openstack.cloud." + name, aliases: legacy,
            arguments: ArgumentSpec(
                merged, mutuallyExclusive: mutuallyExclusive, requiredTogether: requiredTogether,
                requiredOneOf: requiredOneOf, requiredIf: requiredIf),
            supportsCheckMode: true, runsOnController: true, actionGroup: actionGroup)
    }

    /// `state: present|absent`.
    static let state = OptionSpec(.string, default: "present", choices: ["absent", "present"])
}

/// Typed access to a module's canonical arguments; `null` and undefined read as absent.
struct Arguments: Sendable {
    let values: ValueDictionary

    init(_ values: ValueDictionary) { self.values = values }

    func value(_ name: String) -> Value? {
        guard let value = values[name], value != .none, !value.isUndefined else { return nil }
        return value
    }

    func string(_ name: String) -> String? {
        switch value(name) {
        case .string(let text)?: text
        case .int(let int)?: String(int)
        case .float(let double)?: String(double)
        case .bool(let bool)?: bool ? "True" : "False"
        default: nil
        }
    }

    func bool(_ name: String) -> Bool? {
        switch value(name) {
        case .bool(let bool)?: return bool
        case .string(let text)?:
            switch text.lowercased() {
            case "yes", "true", "on", "1", "y", "t": return true
            case "no", "false", "off", "0", "n", "f": return false
            default: return nil
            }
        case .int(let int)?: return int != 0
        default: return nil
        }
    }

    func int(_ name: String) -> Int? {
        switch value(name) {
        case .int(let int)?: int
        case .string(let text)?: Int(text)
        case .float(let double)?: Int(double)
        default: nil
        }
    }

    func list(_ name: String) -> [Value]? { value(name)?.array }
    func strings(_ name: String) -> [String]? { list(name)?.compactMap { Arguments.text($0) } }
    func dict(_ name: String) -> ValueDictionary? { value(name)?.dictionary }

    var state: String { string("state") ?? "present" }
    var wait: Bool { bool("wait") ?? true }
    var timeout: Double { Double(int("timeout") ?? 180) }

    static func text(_ value: Value) -> String? {
        switch value {
        case .string(let text): text
        case .int(let int): String(int)
        case .float(let double): String(double)
        case .bool(let bool): bool ? "True" : "False"
        default: nil
        }
    }
}
