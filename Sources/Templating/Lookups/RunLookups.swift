import Foundation

/// Lookups that read the playbook run rather than files or arguments: `inventory_hostnames`,
/// `unvault`, `varnames` and `config`, as ansible-core 2.21 implements them.
enum RunLookups {
    /// The run behind the template, or the error ansible-core gives when a lookup runs without one.
    private static func services(_ renderer: Renderer, lookup: String) throws -> any LookupRunServices {
        guard let run = renderer.context.run else {
            throw RenderFailure("the '\(lookup)' lookup needs a playbook run (inventory, vault, configuration)")
        }
        return run
    }

    /// Host names matching the terms as one host pattern list; a bad pattern gives no hosts.
    static func inventoryHostnames(_ terms: [Value], _ options: CallArguments, renderer: Renderer) throws -> [Value] {
        let run = try services(renderer, lookup: "inventory_hostnames")
        let patterns = try terms.map { try $0.pythonString() }
        // The plugin answers any AnsibleError from pattern matching with an empty list.
        let hosts = (try? run.inventoryHostnames(matching: patterns)) ?? []
        return hosts.map(Value.string)
    }

    /// File contents, decrypted with the run's vault secrets when the file is vaulted.
    static func unvault(_ terms: [Value], _ options: CallArguments, renderer: Renderer) throws -> [Value] {
        try terms.map { term in
            let name = try term.pythonString()
            guard let path = renderer.context.resolveFile(name), let data = FileManager.default.contents(atPath: path)
            else {
                throw RenderFailure("Unable to find file matching \"\(name)\" ")
            }
            let text = String(decoding: data, as: UTF8.self)
            guard text.hasPrefix("$ANSIBLE_VAULT;") else { return .string(text) }
            do {
                return .string(try services(renderer, lookup: "unvault").decryptVault(text))
            } catch let failure as RenderFailure {
                throw failure
            } catch {
                throw RenderFailure("\(error) on \(path)")
            }
        }
    }

    /// The names of the visible variables that each regular expression finds (`re.search`).
    static func varnames(_ terms: [Value], _ options: CallArguments, renderer: Renderer) throws -> [Value] {
        let names = renderer.scope.variableNames()
        var found: [Value] = []
        for term in terms {
            guard case .string(let pattern) = term else {
                throw RenderFailure(
                    "Invalid setting identifier, \"\(term.displayString)\" is not a string, it is a <class '\(term.pythonTypeName)'>")
            }
            let regex: PythonRegex
            do { regex = try PythonRegex(pattern) } catch {
                throw RenderFailure("Unable to use \"\(pattern)\" as a search parameter: \(error.message)")
            }
            found += names.filter { regex.firstMatch(in: $0) != nil }.map(Value.string)
        }
        return found
    }

    /// ansible-core settings by name (`DEFAULT_BECOME_USER`), typed; `on_missing` decides what an
    /// unknown name does, `show_origin` pairs each value with where it came from.
    static func config(_ terms: [Value], _ options: CallArguments, renderer: Renderer) throws -> [Value] {
        let onMissing = try options.named("on_missing").map { try $0.pythonString() } ?? "error"
        guard ["error", "warn", "skip"].contains(onMissing) else {
            throw RenderFailure("Invalid value '\(onMissing)' for config 'on_missing' for 'config' lookup plugin.")
        }
        let pluginType = try options.named("plugin_type").map { try $0.pythonString() } ?? ""
        let pluginName = try options.named("plugin_name").map { try $0.pythonString() } ?? ""
        if pluginType.isEmpty != pluginName.isEmpty {
            throw RenderFailure("Both plugin_type and plugin_name are required, cannot use one without the other.")
        }
        if !pluginType.isEmpty {
            throw RenderFailure("stackplay's config lookup reads ansible-core's own settings, not \(pluginType) plugin options")
        }
        let showOrigin = try options.named("show_origin")?.truthy() ?? false
        let run = try services(renderer, lookup: "config")
        var values: [Value] = []
        for term in terms {
            guard case .string(let name) = term else {
                throw RenderFailure(
                    "Invalid setting identifier, \(term.pythonRepr) is not a <class 'str'>, its a <class '\(term.pythonTypeName)'>.")
            }
            guard let (value, origin) = try run.configSetting(name) else {
                // `warn` only reports the missing setting; stackplay's templates have no warning channel.
                if onMissing == "error" { throw RenderFailure("No config definition exists for '\(name)'.") }
                continue
            }
            values.append(showOrigin ? .list([value, .string(origin)]) : value)
        }
        return values
    }
}
