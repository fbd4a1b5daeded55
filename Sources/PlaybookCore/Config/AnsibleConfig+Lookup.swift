import Foundation
import ModuleAPI
import Templating

/// `lookup('config', NAME)`: the settings stackplay reads, under ansible-core's names and typed
/// as ansible-core's `base.yml` types them.
extension AnsibleConfig {
    /// How ansible-core types a setting's value.
    enum LookupType {
        case string, boolean, integer, path, pathList, pathSpec, list
    }

    /// ansible-core's names of the settings stackplay reads. Settings stackplay reads from a
    /// different place than ansible-core's own definition (`pipelining`, `ssh_args`, `nocolor`)
    /// are left out rather than answered wrongly.
    static let lookupSettings: [String: (setting: ConfigSetting, type: LookupType)] = [
        "DEFAULT_HOST_LIST": (.inventory, .pathList),
        "DEFAULT_FORKS": (.forks, .integer),
        "DEFAULT_REMOTE_USER": (.remoteUser, .string),
        "DEFAULT_REMOTE_PORT": (.remotePort, .integer),
        "DEFAULT_PRIVATE_KEY_FILE": (.privateKeyFile, .path),
        "HOST_KEY_CHECKING": (.hostKeyChecking, .boolean),
        "DEFAULT_ROLES_PATH": (.rolesPath, .pathSpec),
        "DEFAULT_STDOUT_CALLBACK": (.stdoutCallback, .string),
        "DEFAULT_VAULT_PASSWORD_FILE": (.vaultPasswordFile, .path),
        "DEFAULT_VAULT_IDENTITY_LIST": (.vaultIdentityList, .list),
        "DEFAULT_TIMEOUT": (.timeout, .integer),
        "DEFAULT_GATHERING": (.gathering, .string),
        "DEFAULT_TRANSPORT": (.transport, .string),
        "DEFAULT_STRATEGY": (.strategy, .string),
        "ANY_ERRORS_FATAL": (.anyErrorsFatal, .boolean),
        "DEFAULT_FORCE_HANDLERS": (.forceHandlers, .boolean),
        "ANSIBLE_FORCE_COLOR": (.forceColor, .boolean),
        "DEFAULT_HASH_BEHAVIOUR": (.hashBehaviour, .string),
        "DEFAULT_BECOME": (.become, .boolean),
        "DEFAULT_BECOME_USER": (.becomeUser, .string),
        "DEFAULT_BECOME_METHOD": (.becomeMethod, .string),
        "DEFAULT_MANAGED_STR": (.ansibleManaged, .string),
    ]

    /// The typed value of the setting ansible-core calls `name` and its origin as ansible-core
    /// reports it (`default`, `env: ANSIBLE_FORKS`, the config file's path); nil for names
    /// stackplay does not read.
    public func lookupValue(_ name: String) throws -> (value: Value, origin: String)? {
        guard let (setting, type) = Self.lookupSettings[name] else { return nil }
        let found = raw(setting)
        let origin: String
        switch found?.origin {
        case .environment(let variable)?: origin = "env: \(variable)"
        case .file(let location)?: origin = location.file
        case .defaultValue?, nil: origin = "default"
        }
        guard found != nil || setting.defaultValue != nil else {
            return (type == .list || type == .pathList || type == .pathSpec ? .list([]) : .none, origin)
        }
        let value: Value
        switch type {
        case .string: value = string(setting).map(Value.string) ?? .none
        case .boolean:
            // ansible-core converts config booleans leniently: anything not true-ish is False.
            value = .bool((found?.value ?? setting.defaultValue).flatMap(ArgumentValidation.bool) ?? false)
        case .integer: value = try int(setting).map(Value.int) ?? .none
        case .path: value = path(setting).map(Value.string) ?? .none
        case .pathList: value = .list(paths(setting, separator: ",").map(Value.string))
        case .pathSpec: value = .list(paths(setting, separator: ":").map(Value.string))
        case .list:
            let text = found?.value ?? setting.defaultValue ?? ""
            value = .list(
                text.split(separator: ",").map { $0.trimmingPythonWhitespace() }.filter { !$0.isEmpty }.map(Value.string))
        }
        return (value, origin)
    }
}
