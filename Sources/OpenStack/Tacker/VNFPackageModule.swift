import Foundation
import ModuleAPI
import Templating

/// `stackplay.nfv.vnf_package`: onboards an ETSI SOL004 VNF package on Tacker (SOL005 `vnfpkgm/v1`).
///
/// The package is built from a directory (TOSCA-Metadata/TOSCA.meta + Definitions/, optional Files/ and
/// Scripts/), from a single VNFD YAML wrapped with generated metadata, or taken from a `.zip`; its VNFD is
/// validated offline first, so a bad descriptor fails with its file:line:column before any upload
/// (software image artifacts and their checksums included; a checksum other than SHA-512 is a warning).
/// Packages carry no name in SOL005: the task's `name` and the content checksum live in `userDefinedData`
/// (`name`, `stackplay_checksum`), which is what makes a re-run with the same content report no change.
/// Onboarded packages are immutable, so new content replaces the package (disable, delete, onboard).
/// The ETSI SOL001 type files a VNFD imports are added from `sol001_types_dir` (or the environment's
/// `STACKPLAY_SOL001_TYPES`) when the package does not carry them.
public struct VNFPackageModule: StatefulModule {
    public static let spec = TackerArguments.spec(
        "vnf_package",
        options: [
            "name": OptionSpec(.string, required: true),
            "state": OpenStackArguments.state,
            "src": OptionSpec(.path, aliases: ["path"]),
            "operational_state": OptionSpec(.string, default: "enabled", choices: ["enabled", "disabled"]),
            "user_defined_data": OptionSpec(.dict),
            "validate": OptionSpec(.bool, default: true),
            // Where the ETSI SOL001 type files live (Tacker ships them); added to packages that import them.
            "sol001_types_dir": OptionSpec(.path),
        ],
        requiredIf: [("state", "present", ["src"])])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        let api: PackageAPI
        let package: ValueDictionary?
        let csar: CSARPackage?
        let userData: ValueDictionary
        /// The offline validation's warnings, reported with the task's result.
        let warnings: [String]
    }

    public enum Change: Sendable {
        case onboard
        case replace
        case patch(ValueDictionary)
        case delete
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        let api = PackageAPI(session: context.session)
        var csar: CSARPackage?
        var userData = ValueDictionary()
        var warnings: [String] = []
        if arguments.state == "present", let src = arguments.string("src") {
            let path = Self.resolve(src, searchPaths: invocation.searchPaths)
            var environment = ProcessInfo.processInfo.environment
            for (key, value) in invocation.environment { environment[key] = value }
            let types = arguments.string("sol001_types_dir") ?? environment["STACKPLAY_SOL001_TYPES"]
            let loaded = try CSARPackage.load(from: path, typesDirectory: types)
            if arguments.bool("validate") ?? true {
                warnings = try VNFDValidator(files: loaded.files, sourcePaths: loaded.sourcePaths)
                    .validate(entry: loaded.entryDefinitions).map(\.description)
            }
            csar = loaded
            for (key, value) in arguments.dict("user_defined_data") ?? ValueDictionary() {
                userData[key] = .string(Arguments.text(value) ?? JSON.text(value, .compact))
            }
            userData["name"] = .string(arguments.string("name") ?? "")
            userData["stackplay_checksum"] = .string(loaded.checksum)
        }
        let package = try await api.find(named: arguments.string("name") ?? "")
        return Observed(context: context, api: api, package: package, csar: csar, userData: userData, warnings: warnings)
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "vnf package '\(arguments.string("name") ?? "")'"
        guard let csar = observed.csar else {
            guard let package = observed.package else { return nil }
            return Planned(.delete, diffs: [ResourceDiff.make(label, before: package, after: nil, fields: Self.diffFields)])
        }
        let wantedState = arguments.string("operational_state") == "disabled" ? "DISABLED" : "ENABLED"
        var after = ValueDictionary()
        after["onboardingState"] = "ONBOARDED"
        after["operationalState"] = .string(wantedState)
        after["userDefinedData"] = .dict(observed.userData)
        guard let package = observed.package else {
            return Planned(.onboard, diffs: [ResourceDiff.make(label, before: nil, after: after, fields: Self.diffFields)])
        }
        let current = package["userDefinedData"]?.dictionary ?? ValueDictionary()
        let onboarded = package["onboardingState"]?.string == "ONBOARDED"
        if !onboarded || current["stackplay_checksum"]?.string != csar.checksum {
            if package["usageState"]?.string == "IN_USE" {
                throw OpenStackModuleError(
                    "\(label) has new content but is in use by VNF instances; terminate and delete them first")
            }
            return Planned(.replace, diffs: [ResourceDiff.make(label, before: package, after: after, fields: Self.diffFields)])
        }
        var patch = ValueDictionary()
        if package["operationalState"]?.string != wantedState { patch["operationalState"] = .string(wantedState) }
        if current != observed.userData { patch["userDefinedData"] = .dict(observed.userData) }
        guard !patch.isEmpty else { return nil }
        var patched = package
        for (key, value) in patch { patched[key] = value }
        return Planned(.patch(patch), diffs: [ResourceDiff.make(label, before: package, after: patched, fields: Self.diffFields)])
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        var result = try await applyChange(change, observed: observed)
        result.warnings += observed.warnings
        return result
    }

    private func applyChange(_ change: Change, observed: Observed) async throws -> ModuleResult {
        let api = observed.api
        let arguments = observed.context.arguments
        switch change {
        case .delete:
            if let package = observed.package { try await remove(package, api: api) }
            return ModuleResult(changed: true)
        case .replace:
            if let package = observed.package { try await remove(package, api: api) }
            return try await onboard(observed, arguments)
        case .onboard:
            return try await onboard(observed, arguments)
        case .patch(let fields):
            guard let id = observed.package?["id"]?.string else { return ModuleResult(changed: false) }
            try await api.patch(id, fields)
            let package = try await api.get(id) ?? ValueDictionary()
            return Self.result(package, changed: true)
        }
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        var result = ModuleResult(changed: false)
        if let package = observed.package, observed.csar != nil { result = Self.result(package, changed: false) }
        result.warnings += observed.warnings
        return result
    }

    /// Creates the package resource, uploads the CSAR and waits for `ONBOARDED`, reporting Tacker's own
    /// failure details when onboarding fails.
    private func onboard(_ observed: Observed, _ arguments: Arguments) async throws -> ModuleResult {
        guard let csar = observed.csar else { return ModuleResult(changed: false) }
        let api = observed.api
        let created = try await api.create(userDefinedData: observed.userData)
        guard let id = created["id"]?.string else { throw OpenStackModuleError("Tacker returned a VNF package without an id") }
        do {
            try await api.upload(id, archive: csar.archive)
        } catch {
            try? await api.delete(id)
            throw error
        }
        var package = created
        if arguments.wait {
            // Tacker moves the package CREATED → UPLOADING → PROCESSING → ONBOARDED; when tosca-parser or
            // the CSAR checks fail, the conductor puts it back to CREATED (its log holds the parser's words).
            var progressed = false
            package = try await observed.context.poll("VNF package \(id) to be onboarded", timeout: arguments.timeout) {
                guard let package = try await api.get(id) else {
                    throw OpenStackModuleError("VNF package \(id) disappeared while onboarding")
                }
                switch package["onboardingState"]?.string {
                case "ONBOARDED":
                    return package
                case "UPLOADING", "PROCESSING":
                    progressed = true
                case "CREATED" where progressed:
                    try? await api.delete(id)
                    throw OpenStackModuleError(
                        "Tacker could not onboard the VNF package: its CSAR checks or tosca-parser rejected it "
                            + "(the package went back to CREATED; tacker-conductor's log has the parser's message)")
                default:
                    break
                }
                return nil
            }
            if arguments.string("operational_state") == "disabled" {
                try await api.patch(id, ValueDictionary([("operationalState", "DISABLED")]))
                package = try await api.get(id) ?? package
            }
        }
        return Self.result(package, changed: true)
    }

    private func remove(_ package: ValueDictionary, api: PackageAPI) async throws {
        guard let id = package["id"]?.string else { return }
        if package["usageState"]?.string == "IN_USE" {
            throw OpenStackModuleError("VNF package \(id) is in use by VNF instances; terminate and delete them first")
        }
        // SOL005: only a disabled package may be deleted.
        if package["operationalState"]?.string == "ENABLED" {
            try await api.patch(id, ValueDictionary([("operationalState", "DISABLED")]))
        }
        try await api.delete(id)
    }

    static let diffFields = ["onboardingState", "operationalState", "userDefinedData"]

    static func result(_ package: ValueDictionary, changed: Bool) -> ModuleResult {
        var result = ModuleResult.resource("vnf_package", package, changed: changed, withID: true)
        result.values["vnfd_id"] = package["vnfdId"] ?? Value.none
        return result
    }

    /// A relative `src` is looked up like Ansible's `files/` lookups: role files/, then the playbook dir.
    static func resolve(_ src: String, searchPaths: [String]) -> String {
        let expanded = (src as NSString).expandingTildeInPath
        guard !expanded.hasPrefix("/") else { return expanded }
        for base in searchPaths {
            let candidate = (base as NSString).appendingPathComponent(expanded)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return expanded
    }
}

