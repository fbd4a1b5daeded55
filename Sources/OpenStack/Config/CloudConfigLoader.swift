import Foundation
import Templating
import Yams

/// Resolves a ``CloudConfig`` the way openstacksdk's `OpenStackConfig().get_one(cloud, **kwargs)` does:
///
/// 1. the first existing of `OS_CLIENT_CONFIG_FILE`, `./clouds.{yaml,yml,json}`,
///    `~/.config/openstack/clouds.*`, `/etc/openstack/clouds.*`;
/// 2. deep-merged with the first existing `secure.*` file (`OS_CLIENT_SECURE_FILE` first) from the same places;
/// 3. `OS_*` variables form a cloud named `envvars` (or `OS_CLOUD_NAME`), the default unless `OS_CLOUD` names one;
/// 4. a lone cloud in clouds.yaml is the default; with nothing configured the cloud is `defaults`;
/// 5. the module's arguments (`auth`, `auth_type`, `region_name`, `interface`, TLS, `api_timeout`) override it,
///    `auth` merged key by key; `cloud` may also be a whole dict, used instead of any file.
///
/// Not supported: `clouds-public.yaml` vendor profiles and `regions:` lists with per-region values
/// (a region's name is honoured); openstacksdk's on-disk token cache.
public struct CloudConfigLoader: Sendable {
    public var environment: [String: String]
    public var currentDirectory: String
    public var homeDirectory: String
    /// `/etc/openstack` normally; injectable for tests.
    public var siteDirectory: String

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        homeDirectory: String = NSHomeDirectory(), siteDirectory: String = "/etc/openstack"
    ) {
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.homeDirectory = homeDirectory
        self.siteDirectory = siteDirectory
    }

    /// Keys openstacksdk treats as selectors only: with nothing else set, no `envvars` cloud exists.
    private static let selectorVariables: Set<String> = [
        "OS_CLOUD", "OS_REGION_NAME", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE", "OS_CLOUD_NAME",
    ]

    /// Resolves the cloud for one module run from its common OpenStack arguments.
    public func resolve(arguments: ValueDictionary) throws -> CloudConfig {
        var config: ValueDictionary
        var name: String
        switch arguments["cloud"] {
        case .dict(let inline)?:
            // openstack.cloud passes a dict straight to `openstack.connect(**cloud)`: no files involved.
            config = inline
            name = ""
        case .string(let cloudName)? where !cloudName.isEmpty:
            let clouds = try loadClouds()
            guard let found = clouds.clouds[cloudName]?.dictionary else {
                throw CloudConfigError(
                    "cloud '\(cloudName)' was not found",
                    notes: [clouds.source.map { "searched \($0)" } ?? "no clouds.yaml was found in \(searchDirectories.joined(separator: ", "))"]
                        + ["known clouds: \(clouds.clouds.keys.compactMap(\.string).sorted().joined(separator: ", "))"])
            }
            config = found
            name = cloudName
        default:
            let clouds = try loadClouds()
            guard let defaultName = clouds.defaultCloud, let found = clouds.clouds[defaultName]?.dictionary else {
                config = ValueDictionary()
                name = "defaults"
                break
            }
            config = found
            name = defaultName
        }
        config = Self.overlay(config, with: arguments)
        return try Self.finish(config, name: name)
    }

    // MARK: - Files and environment

    private var searchDirectories: [String] {
        [currentDirectory, homeDirectory + "/.config/openstack", siteDirectory]
    }

    private func candidates(_ base: String, override variable: String) -> [String] {
        var files = environment[variable].map { [$0] } ?? []
        for directory in searchDirectories {
            for suffix in [".yaml", ".yml", ".json"] { files.append("\(directory)/\(base)\(suffix)") }
        }
        return files
    }

    struct LoadedClouds {
        var clouds: ValueDictionary
        var defaultCloud: String?
        var source: String?
    }

    func loadClouds() throws -> LoadedClouds {
        let configFile = candidates("clouds", override: "OS_CLIENT_CONFIG_FILE").first(where: fileExists)
        var document = try configFile.map(Self.loadDocument) ?? ValueDictionary()
        if let secureFile = candidates("secure", override: "OS_CLIENT_SECURE_FILE").first(where: fileExists) {
            document = Self.deepMerge(document, try Self.loadDocument(secureFile))
        }
        var clouds = document["clouds"]?.dictionary ?? ValueDictionary()
        var defaultCloud = environment["OS_CLOUD"].flatMap { $0.isEmpty ? nil : $0 }
        let envvarsName = environment["OS_CLOUD_NAME"] ?? "envvars"
        if let envvars = environmentCloud() {
            if clouds[envvarsName] != nil {
                throw CloudConfigError(
                    "'\(configFile ?? "clouds.yaml")' defines a cloud named '\(envvarsName)', but OS_CLOUD_NAME is also set to '\(envvarsName)'"
                )
            }
            clouds[envvarsName] = .dict(envvars)
            if defaultCloud == nil { defaultCloud = envvarsName }
        }
        if defaultCloud == nil, clouds.count == 1 { defaultCloud = clouds.keys.first?.string }
        return LoadedClouds(clouds: clouds, defaultCloud: defaultCloud, source: configFile)
    }

    private func fileExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// `OS_FOO_BAR` → `foo_bar`, as openstacksdk's `_get_os_environ`; nil when only selectors are set.
    func environmentCloud() -> ValueDictionary? {
        let keys = environment.keys.filter {
            $0.hasPrefix("OS_") && !$0.hasPrefix("OS_TEST") && !$0.hasPrefix("OS_STD") && !$0.hasPrefix("OS_LOG")
        }
        guard !Set(keys).subtracting(Self.selectorVariables).isEmpty else { return nil }
        var cloud = ValueDictionary()
        for key in keys.sorted() {
            cloud[String(key.dropFirst(3)).lowercased()] = .string(environment[key] ?? "")
        }
        return cloud
    }

    static func loadDocument(_ path: String) throws -> ValueDictionary {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CloudConfigError("cannot read '\(path)': \(error.localizedDescription)")
        }
        if path.hasSuffix(".json") {
            guard let dictionary = try? JSON.parse(Data(text.utf8)).dictionary else {
                throw CloudConfigError("'\(path)' is not a JSON object")
            }
            return dictionary
        }
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text)
        } catch {
            throw CloudConfigError("'\(path)' is not valid YAML: \(error)")
        }
        return YAMLValue.convert(loaded).dictionary ?? ValueDictionary()
    }

    /// openstacksdk's `merge_clouds`: dictionaries merge recursively, anything else is replaced.
    static func deepMerge(_ base: ValueDictionary, _ overlay: ValueDictionary) -> ValueDictionary {
        var merged = base
        for (key, value) in overlay {
            if case .dict(let overlayDictionary) = value, case .dict(let baseDictionary)? = merged[key] {
                merged[key] = .dict(deepMerge(baseDictionary, overlayDictionary))
            } else {
                merged[key] = value
            }
        }
        return merged
    }

    // MARK: - Module arguments and normalisation

    /// Applies the module's arguments as openstack.cloud passes them to `openstack.connect`: None values
    /// are skipped, `auth` is merged key by key.
    static func overlay(_ config: ValueDictionary, with arguments: ValueDictionary) -> ValueDictionary {
        var config = config
        let mapping: [(String, String)] = [
            ("auth_type", "auth_type"), ("region_name", "region_name"), ("interface", "interface"),
            ("validate_certs", "verify"), ("ca_cert", "cacert"), ("client_cert", "cert"), ("client_key", "key"),
            ("api_timeout", "api_timeout"),
        ]
        for (argument, key) in mapping {
            if let value = arguments[argument], value != .none, !value.isUndefined { config[key] = value }
        }
        if case .dict(let auth)? = arguments["auth"] {
            let existing = config["auth"]?.dictionary ?? ValueDictionary()
            config["auth"] = .dict(deepMerge(existing, auth))
        }
        return config
    }

    /// Options each keystoneauth plugin takes; top-level keys with these names move into `auth`.
    static func pluginOptions(_ authType: String) -> Set<String> {
        let common: Set<String> = [
            "auth_url", "project_name", "project_id", "project_domain_name", "project_domain_id", "domain_name",
            "domain_id", "system_scope", "trust_id", "default_domain_id", "default_domain_name",
        ]
        switch authType {
        case "token", "v3token": return common.union(["token"])
        case "v3applicationcredential":
            return [
                "auth_url", "application_credential_id", "application_credential_name",
                "application_credential_secret", "user_id", "username", "user_domain_id", "user_domain_name",
            ]
        default: return common.union(["username", "user_id", "password", "user_domain_name", "user_domain_id"])
        }
    }

    static func finish(_ raw: ValueDictionary, name: String) throws -> CloudConfig {
        var config = ValueDictionary()
        for (key, value) in raw {
            // openstacksdk's `_fix_args`: dashes become underscores, `os_` prefixes are dropped.
            guard var text = key.string else { continue }
            text = text.replacingOccurrences(of: "-", with: "_")
            if text.hasPrefix("os_") { text = String(text.dropFirst(3)) }
            config[text] = value
        }
        let authType = (config["auth_type"]?.string ?? config["auth_plugin"]?.string).flatMap { $0.isEmpty ? nil : $0 }
            ?? "password"
        var auth: [String: String] = [:]
        for (key, value) in config["auth"]?.dictionary ?? ValueDictionary() {
            if let key = key.string, let text = scalarText(value) { auth[key.replacingOccurrences(of: "-", with: "_")] = text }
        }
        // Backwards names: tenant → project, auth_token → token.
        for (old, new) in [("tenant_name", "project_name"), ("tenant_id", "project_id"), ("auth_token", "token")] {
            if let value = config[old].flatMap(scalarText), config[new] == nil { config[new] = .string(value) }
            if let value = auth[old], auth[new] == nil { auth[new] = value }
            auth[old] = nil
        }
        // Top-level plugin options (from OS_* variables) win over the auth dict, as in `_validate_auth`.
        for option in pluginOptions(authType) {
            if let value = config[option].flatMap(scalarText), !value.isEmpty { auth[option] = value }
        }
        // `_handle_domain_id`: a single domain serves both user and project when project-scoped.
        let projectScoped = auth["project_name"] != nil || auth["project_id"] != nil
        for (domain, targets) in [
            ("domain_id", ["user_domain_id", "project_domain_id"]),
            ("domain_name", ["user_domain_name", "project_domain_name"]),
        ] where projectScoped {
            if let value = auth[domain] {
                for target in targets where auth[target] == nil { auth[target] = value }
                auth[domain] = nil
            }
        }
        guard auth["auth_url"].map({ !$0.isEmpty }) == true else {
            throw CloudConfigError(
                "cloud '\(name)' has no auth_url",
                notes: ["set it in clouds.yaml under auth:, in OS_AUTH_URL, or in the task's 'auth' argument"])
        }
        var interface = config["interface"]?.string ?? config["endpoint_type"]?.string ?? "public"
        if interface.hasSuffix("URL") { interface = String(interface.dropLast(3)) }  // publicURL → public
        var verify = true
        if let value = config["verify"] { verify = boolValue(value) ?? true }
        if let insecure = config["insecure"], boolValue(insecure) == true { verify = false }
        var overrides: [String: String] = [:]
        for (key, value) in config {
            if let key = key.string, key.hasSuffix("_endpoint_override"), let url = value.string {
                overrides[String(key.dropLast("_endpoint_override".count)).replacingOccurrences(of: "_", with: "-")] = url
            }
        }
        var apiTimeout: Double?
        switch config["api_timeout"] {
        case .int(let seconds)?: apiTimeout = Double(seconds)
        case .float(let seconds)?: apiTimeout = seconds
        case .string(let text)?: apiTimeout = Double(text)
        default: apiTimeout = nil
        }
        let region = config["region_name"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        return CloudConfig(
            name: name, authType: authType, auth: auth, regionName: region, interface: interface, verify: verify,
            caCert: config["cacert"]?.string, clientCert: config["cert"]?.string, clientKey: config["key"]?.string,
            apiTimeout: apiTimeout, endpointOverrides: overrides)
    }

    static func scalarText(_ value: Value) -> String? {
        switch value {
        case .string(let text): text
        case .int(let int): String(int)
        case .bool(let bool): bool ? "True" : "False"
        case .float(let double): String(double)
        default: nil
        }
    }

    static func boolValue(_ value: Value) -> Bool? {
        switch value {
        case .bool(let bool): return bool
        case .string(let text):
            switch text.lowercased() {
            case "true", "yes", "1", "on": return true
            case "false", "no", "0", "off": return false
            default: return nil
            }
        case .int(let int): return int != 0
        default: return nil
        }
    }
}

/// Converts what Yams' `load` returns into ``Value``.
enum YAMLValue {
    static func convert(_ any: Any?) -> Value {
        switch any {
        case nil: return .none
        case let bool as Bool: return .bool(bool)
        case let int as Int: return .int(int)
        case let double as Double: return .float(double)
        case let string as String: return .string(string)
        case let array as [Any?]: return .list(array.map(convert))
        case let dictionary as [AnyHashable: Any?]:
            var result = ValueDictionary()
            for (key, value) in dictionary.sorted(by: { "\($0.key)" < "\($1.key)" }) {
                result["\(key)"] = convert(value)
            }
            return .dict(result)
        default: return .string("\(any.map { "\($0)" } ?? "")")
        }
    }
}
