import Foundation
import ModuleAPI
import Templating

/// `stackplay.nfv.tacker_vim`: registers, updates or deletes a VIM in Tacker (`/v1.0/vims`), from a
/// descriptor file in the thesis's format (Annex E/F), a clouds.yaml entry or inline arguments (inline wins
/// over the file, the file over the clouds.yaml entry, so a committed descriptor can leave its password to
/// a vaulted variable), and waits
/// until Tacker reports it reachable.
///
/// Tacker never returns a VIM's password or bearer token, so a changed secret cannot be seen:
/// as openstack.cloud's `identity_user`, `update_password: on_create` (the default) leaves it alone and
/// `always` re-sends it (reporting changed). A different `type` or `auth_url` cannot be updated in
/// place; the VIM is registered anew. Secrets are never printed or returned.
public struct TackerVIMModule: StatefulModule {
    public static let spec = TackerArguments.spec(
        "tacker_vim",
        options: [
            "name": OptionSpec(.string, required: true),
            "state": OpenStackArguments.state,
            "type": OptionSpec(.string, choices: ["openstack", "kubernetes"]),
            "description": OptionSpec(.string),
            "is_default": OptionSpec(.bool, default: false),
            "config_file": OptionSpec(.path),
            "vim_cloud": OptionSpec(.string),
            "auth_url": OptionSpec(.string),
            "username": OptionSpec(.string),
            "password": OptionSpec(.string, noLog: true),
            "bearer_token": OptionSpec(.string, noLog: true),
            "ssl_ca_cert": OptionSpec(.string),
            "project_name": OptionSpec(.string),
            "user_domain_name": OptionSpec(.string),
            "project_domain_name": OptionSpec(.string),
            "cert_verify": OptionSpec(.bool),
            "update_password": OptionSpec(.string, default: "on_create", choices: ["always", "on_create"]),
        ])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let vim: ValueDictionary?
        let wanted: VIMDescriptor?
    }

    public enum Change: Sendable {
        case register
        case update(ValueDictionary)
        case replace
        case delete
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let name = context.arguments.string("name") ?? ""
        let vims = try await context.tacker.list("/v1.0/vims", key: "vims")
        let vim = vims.first { $0["name"]?.string == name }
        var wanted: VIMDescriptor?
        if context.arguments.state == "present" {
            var environment = ProcessInfo.processInfo.environment
            for (key, value) in invocation.environment { environment[key] = value }
            wanted = try VIMDescriptor.resolve(context.arguments, environment: environment)
        }
        return Observed(context: context, vim: vim, wanted: wanted)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "tacker vim '\(arguments.string("name") ?? "")'"
        guard let wanted = observed.wanted else {
            guard let vim = observed.vim else { return nil }
            return Planned(.delete, diffs: [ResourceDiff.make(label, before: Self.visible(vim), after: nil, fields: Self.diffFields)])
        }
        let desired = Self.desired(arguments, wanted)
        guard let vim = observed.vim else {
            return Planned(.register, diffs: [ResourceDiff.make(label, before: nil, after: desired, fields: Self.diffFields)])
        }
        let current = Self.visible(vim)
        if current["type"] != desired["type"] || current["auth_url"] != desired["auth_url"] {
            return Planned(.replace, diffs: [ResourceDiff.make(label, before: current, after: desired, fields: Self.diffFields)])
        }
        var update = ValueDictionary()
        for key in ["description", "is_default", "vim_project"] where current[key] != desired[key] {
            update[key] = desired[key]
        }
        let currentCred = current["auth_cred"]?.dictionary ?? ValueDictionary()
        let credChanged = Self.comparableCred(wanted).contains { key, value in currentCred[key] != value }
        if credChanged || arguments.string("update_password") == "always" {
            update["auth_cred"] = .dict(wanted.authCred)
        }
        guard !update.isEmpty else { return nil }
        var after = current
        for (key, value) in update where key.string != "auth_cred" { after[key] = value }
        return Planned(.update(update), diffs: [ResourceDiff.make(label, before: current, after: after, fields: Self.diffFields)])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let context = observed.context
        let arguments = context.arguments
        switch change {
        case .delete:
            if let id = observed.vim?["id"]?.string { _ = try await context.tacker.delete("/v1.0/vims/\(id)") }
            return ModuleResult(changed: true)
        case .replace:
            if let id = observed.vim?["id"]?.string { _ = try await context.tacker.delete("/v1.0/vims/\(id)") }
            return try await register(context, arguments, observed.wanted)
        case .register:
            return try await register(context, arguments, observed.wanted)
        case .update(let fields):
            guard let id = observed.vim?["id"]?.string else { return ModuleResult(changed: false) }
            let vim = try await context.tacker.update("/v1.0/vims/\(id)", key: "vim", body: fields)
            return try await finish(context, arguments, vim)
        }
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard let vim = observed.vim, observed.wanted != nil else { return ModuleResult(changed: false) }
        return ModuleResult.resource("vim", Self.visible(vim), changed: false, withID: true)
    }

    private func register(_ context: OpenStackContext, _ arguments: Arguments, _ wanted: VIMDescriptor?) async throws -> ModuleResult {
        guard let wanted else { return ModuleResult(changed: false) }
        var body = Self.desired(arguments, wanted)
        body["auth_cred"] = .dict(wanted.authCred)
        let vim = try await context.tacker.create("/v1.0/vims", key: "vim", body: body)
        return try await finish(context, arguments, vim)
    }

    /// Waits (when asked) until Tacker has checked the VIM: `PENDING` turns into `REACHABLE`/`ACTIVE`,
    /// or into `UNREACHABLE`, which fails the task with Tacker's view.
    private func finish(_ context: OpenStackContext, _ arguments: Arguments, _ vim: ValueDictionary) async throws -> ModuleResult {
        var current = vim
        if arguments.wait, let id = vim["id"]?.string {
            current = try await context.poll("VIM '\(arguments.string("name") ?? "")' to become reachable", timeout: arguments.timeout) {
                let vim = try await context.tacker.get("/v1.0/vims/\(id)", key: "vim")
                guard let vim, let status = vim["status"]?.string?.uppercased() else { return vim }
                return status == "PENDING" ? nil : vim
            }
        }
        if current["status"]?.string?.uppercased() == "UNREACHABLE" {
            var result = ModuleResult.failure("VIM '\(arguments.string("name") ?? "")' is registered but Tacker cannot reach it")
            result.changed = true
            result.values["vim"] = .dict(Self.visible(current))
            return result
        }
        return ModuleResult.resource("vim", Self.visible(current), changed: true, withID: true)
    }

    static let diffFields = ["name", "type", "auth_url", "description", "is_default", "vim_project"]

    /// What a `POST /v1.0/vims` sends, without the secrets.
    static func desired(_ arguments: Arguments, _ wanted: VIMDescriptor) -> ValueDictionary {
        var body = ValueDictionary()
        body["name"] = arguments.value("name") ?? Value.none
        body["description"] = .string(arguments.string("description") ?? "")
        body["type"] = .string(wanted.type)
        body["auth_url"] = wanted.authURL.map(Value.string) ?? Value.none
        body["is_default"] = .bool(arguments.bool("is_default") ?? false)
        body["vim_project"] = .dict(wanted.vimProject)
        return body
    }

    /// The credential fields Tacker shows back (everything but secrets), to detect a real difference.
    static func comparableCred(_ wanted: VIMDescriptor) -> ValueDictionary {
        var cred = wanted.authCred
        for secret in secretKeys { cred[secret] = nil }
        return cred
    }

    static let secretKeys = ["password", "bearer_token", "ssl_ca_cert", "key_type", "secret_uuid"]

    /// The VIM as returned to the playbook: Tacker's dict with every secret removed.
    static func visible(_ vim: ValueDictionary) -> ValueDictionary {
        var result = vim
        if var cred = vim["auth_cred"]?.dictionary {
            for secret in secretKeys { cred[secret] = nil }
            result["auth_cred"] = .dict(cred)
        }
        return result
    }
}
