import Foundation
import ModuleAPI
import Templating

/// `openstack.cloud.image` (legacy `os_image`): a Glance v2 image, uploaded from a local file (or
/// imported from a URI / with interoperable import), with visibility, protection, properties and tags.
///
/// Same arguments, lookup (`get_image(id or name, checksum filter)`), update decision and `image`
/// result as openstack.cloud 2.6. Deliberate differences:
/// - `is_public` only acts when it is true or when `visibility` is given: its default `false` no longer
///   turns an existing public image private (openstack.cloud resets the visibility on every run).
///   Use `visibility: private` to make an image private.
/// - Creation is exact in check mode, and `--diff` shows the changed attributes.
/// - `volume` (image from a Cinder volume) is not supported: the test bed has no Cinder.
public struct ImageModule: StatefulModule {
    public static let spec = OpenStackArguments.spec(
        "image", legacy: ["os_image"],
        options: [
            "checksum": OptionSpec(.string),
            "container_format": OptionSpec(.string, default: "bare"),
            "disk_format": OptionSpec(.string, default: "qcow2"),
            "filename": OptionSpec(.string),
            "id": OptionSpec(.string),
            "is_protected": OptionSpec(.bool, aliases: ["protected"]),
            "is_public": OptionSpec(.bool, default: false),
            "kernel": OptionSpec(.string),
            "min_disk": OptionSpec(.int),
            "min_ram": OptionSpec(.int),
            "name": OptionSpec(.string, required: true),
            "owner": OptionSpec(.string, aliases: ["project"]),
            "owner_domain": OptionSpec(.string, aliases: ["project_domain"]),
            "properties": OptionSpec(.dict, default: .dict(ValueDictionary())),
            "ramdisk": OptionSpec(.string),
            "state": OptionSpec(.string, default: "present", choices: ["absent", "present", "inactive"]),
            "tags": OptionSpec(.list(elements: .string), default: .list([])),
            "visibility": OptionSpec(.string, choices: ["public", "private", "shared", "community"]),
            "volume": OptionSpec(.string),
            "use_import": OptionSpec(.bool),
            "import_method": OptionSpec(.string, choices: ["web-download", "glance-download"]),
            "uri": OptionSpec(.string),
        ],
        mutuallyExclusive: [["filename", "volume", "uri"], ["visibility", "is_public"]])

    public init() {}

    public struct Observed: Sendable {
        let context: OpenStackContext
        /// Raw Glance image JSON.
        let image: ValueDictionary?
        let ownerID: String?
        let kernelID: String?
        let ramdiskID: String?
    }

    public enum Change: Sendable {
        /// Create, upload or import, wait for `active`, then apply `patch` (if any).
        case create(body: ValueDictionary)
        /// Bring an existing image to the wanted state: reactivate/deactivate, upload into a queued image, patch.
        case converge(id: String, reactivate: Bool, deactivate: Bool, upload: Bool, patch: [Value])
        case delete(id: String)
    }

    public func read(_ invocation: ModuleInvocation) async throws -> Observed {
        let context = try OpenStackContext.make(invocation)
        let arguments = context.arguments
        if arguments.string("volume") != nil {
            throw OpenStackModuleError("creating an image from a volume is not supported by stackplay")
        }
        var ownerID: String?
        if let owner = arguments.string("owner") {
            let domainID = try await arguments.string("owner_domain").asyncMap { try await context.requireDomainID($0) }
            ownerID = try await context.requireProjectID(owner, domainID: domainID)
        }
        let nameOrID = arguments.string("id") ?? arguments.string("name") ?? ""
        let image = try await findImage(nameOrID, checksum: arguments.string("checksum"), context: context)
        let kernelID = try await arguments.string("kernel").asyncMap { try await requireImageID($0, context: context) }
        let ramdiskID = try await arguments.string("ramdisk").asyncMap { try await requireImageID($0, context: context) }
        return Observed(context: context, image: image, ownerID: ownerID, kernelID: kernelID, ramdiskID: ramdiskID)
    }

    /// openstacksdk's `get_image(name_or_id, filters)`: by id, else by name; a checksum narrows the match.
    func findImage(_ nameOrID: String, checksum: String?, context: OpenStackContext) async throws -> ValueDictionary? {
        if looksLikeID(nameOrID), let image = try await context.image.get("/images/\(nameOrID)", key: nil) {
            if checksum == nil || image["checksum"]?.string == checksum { return image }
            return nil
        }
        var matches = try await context.image.list("/images", key: "images", query: [("name", nameOrID)])
        if let checksum { matches = matches.filter { $0["checksum"]?.string == checksum } }
        guard matches.count <= 1 else { throw OpenStackModuleError("More than one Image exists with the name '\(nameOrID)'.") }
        return matches.first
    }

    private func requireImageID(_ nameOrID: String, context: OpenStackContext) async throws -> String {
        guard let id = try await findImage(nameOrID, checksum: nil, context: context)?["id"]?.string else {
            throw OpenStackModuleError("No Image found for \(nameOrID)")
        }
        return id
    }

    private func wantedVisibility(_ arguments: Arguments, creating: Bool) -> String? {
        if let visibility = arguments.string("visibility") { return visibility }
        if arguments.bool("is_public") == true { return "public" }
        return creating ? "private" : nil
    }

    public func plan(_ invocation: ModuleInvocation, observed: Observed) throws -> Planned<Change>? {
        let arguments = observed.context.arguments
        let label = "image '\(arguments.string("name") ?? "")'"
        let state = arguments.state
        guard let image = observed.image, let id = image["id"]?.string else {
            guard state == "present" else { return nil }
            var body = ValueDictionary()
            if let id = arguments.string("id") { body["id"] = .string(id) }
            body["name"] = arguments.value("name")
            body["disk_format"] = arguments.value("disk_format")
            body["container_format"] = arguments.value("container_format")
            body["visibility"] = wantedVisibility(arguments, creating: true).map(Value.string)
            for (argument, field) in [("is_protected", "protected"), ("min_disk", "min_disk"), ("min_ram", "min_ram")] {
                if let value = arguments.value(argument) { body[field] = value }
            }
            if let tags = arguments.list("tags"), !tags.isEmpty { body["tags"] = .list(tags) }
            if let ownerID = observed.ownerID { body["owner"] = .string(ownerID) }
            if let kernelID = observed.kernelID { body["kernel_id"] = .string(kernelID) }
            if let ramdiskID = observed.ramdiskID { body["ramdisk_id"] = .string(ramdiskID) }
            for (key, value) in arguments.dict("properties") ?? ValueDictionary() {
                body[key] = Arguments.text(value).map(Value.string) ?? value
            }
            // openstacksdk stamps every image it creates with these (empty hashes: openstack.cloud does
            // not ask it to hash the file); tools built on it read them, so the same image carries them.
            body["owner_specified.openstack.md5"] = ""
            body["owner_specified.openstack.sha256"] = ""
            body["owner_specified.openstack.object"] = .string("images/" + (arguments.string("name") ?? ""))
            var after = body
            if let file = arguments.string("filename") { after["file"] = .string(file) }
            return Planned(.create(body: body), diffs: [ResourceDiff.make(label, before: nil, after: after)])
        }
        if state == "absent" {
            return Planned(.delete(id: id), diffs: [ResourceDiff.make(label, before: image, after: nil, fields: ["id", "name"])])
        }
        let status = image["status"]?.string ?? ""
        let reactivate = state == "present" && status == "deactivated"
        let deactivate = state == "inactive" && status == "active"
        let upload = state == "present" && status == "queued" && arguments.string("filename") != nil
        let patch = patchOperations(image, observed: observed)
        guard reactivate || deactivate || upload || !patch.isEmpty else { return nil }
        var after = image
        var fields: [String] = []
        for operation in patch {
            guard let operation = operation.dictionary, let path = operation["path"]?.string else { continue }
            let key = String(path.dropFirst())
            after[key] = operation["value"] ?? Value.none
            fields.append(key)
        }
        if reactivate || deactivate || upload {
            after["status"] = .string(deactivate ? "deactivated" : "active")
            fields.append("status")
        }
        return Planned(
            .converge(id: id, reactivate: reactivate, deactivate: deactivate, upload: upload, patch: patch),
            diffs: [ResourceDiff.make(label, before: image, after: after, fields: fields)])
    }

    /// openstack.cloud's `_build_update` as a JSON patch (Glance's `openstack-images-v2.1-json-patch`).
    private func patchOperations(_ image: ValueDictionary, observed: Observed) -> [Value] {
        let arguments = observed.context.arguments
        var wanted: [(String, Value)] = []
        if let visibility = wantedVisibility(arguments, creating: false) { wanted.append(("visibility", .string(visibility))) }
        for (argument, field) in [("is_protected", "protected"), ("min_disk", "min_disk"), ("min_ram", "min_ram")] {
            if let value = arguments.value(argument) { wanted.append((field, value)) }
        }
        if let kernelID = observed.kernelID { wanted.append(("kernel_id", .string(kernelID))) }
        if let ramdiskID = observed.ramdiskID { wanted.append(("ramdisk_id", .string(ramdiskID))) }
        for (key, value) in arguments.dict("properties") ?? ValueDictionary() {
            if let key = key.string { wanted.append((key, Arguments.text(value).map(Value.string) ?? value)) }
        }
        if let tags = arguments.strings("tags"), !tags.isEmpty,
            Set(tags) != Set((image["tags"]?.array ?? []).compactMap(\.string))
        {
            wanted.append(("tags", .list(tags.map(Value.string))))
        }
        if arguments.string("id") != nil, let name = arguments.value("name"), image["name"] != name { wanted.append(("name", name)) }
        var operations: [Value] = []
        for (field, value) in wanted where image[field] != value {
            operations.append(.object(["op": image[field] == nil ? "add" : "replace", "path": .string("/" + field), "value": value]))
        }
        return operations
    }

    public func apply(_ invocation: ModuleInvocation, change: Change, observed: Observed) async throws -> ModuleResult {
        let context = observed.context
        let arguments = context.arguments
        switch change {
        case .delete(let id):
            try await context.image.delete("/images/\(id)")
            if arguments.wait {
                _ = try await context.poll("image \(id) to be deleted", timeout: arguments.timeout) {
                    try await context.image.get("/images/\(id)", key: nil) == nil ? true : nil
                }
            }
            return ModuleResult(changed: true)
        case .create(let body):
            let created = try await context.image.session.send("image", "POST", "/images", json: .dict(body))
            let id = try created.json().dictionary?["id"]?.string ?? ""
            if let file = arguments.string("filename") {
                try await upload(file, to: id, context: context)
            } else if let uri = arguments.string("uri") {
                _ = try await context.image.session.send(
                    "image", "POST", "/images/\(id)/import",
                    json: .object(["method": .object(["name": .string(arguments.string("import_method") ?? "web-download"), "uri": .string(uri)])]))
            }
            guard arguments.wait, arguments.string("filename") != nil || arguments.string("uri") != nil else {
                return try await result(id, context: context, changed: true)
            }
            try await waitActive(id, context: context)
            return try await result(id, context: context, changed: true)
        case .converge(let id, let reactivate, let deactivate, let upload, let patch):
            if reactivate { _ = try await context.image.session.send("image", "POST", "/images/\(id)/actions/reactivate") }
            if deactivate { _ = try await context.image.session.send("image", "POST", "/images/\(id)/actions/deactivate") }
            if upload, let file = arguments.string("filename") {
                try await self.upload(file, to: id, context: context)
                if arguments.wait { try await waitActive(id, context: context) }
            }
            if !patch.isEmpty {
                _ = try await context.image.session.send(
                    "image", "PATCH", "/images/\(id)", body: Data(JSON.text(.list(patch), .compact).utf8),
                    contentType: "application/openstack-images-v2.1-json-patch")
            }
            return try await result(id, context: context, changed: true)
        }
    }

    /// Uploads the file's bytes (`PUT /v2/images/{id}/file`), or stages and imports them with
    /// `glance-direct` when `use_import` is set (Glance's interoperable import).
    private func upload(_ file: String, to id: String, context: OpenStackContext) async throws {
        let path = (file as NSString).expandingTildeInPath
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw OpenStackModuleError("cannot read image file '\(file)': \(error.localizedDescription)")
        }
        if context.arguments.bool("use_import") == true {
            _ = try await context.image.session.send("image", "PUT", "/images/\(id)/stage", body: data)
            _ = try await context.image.session.send(
                "image", "POST", "/images/\(id)/import", json: .object(["method": .object(["name": "glance-direct"])]))
        } else {
            _ = try await context.image.session.send("image", "PUT", "/images/\(id)/file", body: data)
        }
    }

    private func waitActive(_ id: String, context: OpenStackContext) async throws {
        _ = try await context.poll("image \(id) to become active", timeout: context.arguments.timeout) { () -> Bool? in
            let image = try await context.image.get("/images/\(id)", key: nil)
            let status = image?["status"]?.string ?? ""
            if ["error", "deleted", "killed"].contains(status) {
                throw OpenStackModuleError("image \(id) went to status '\(status)' while waiting for 'active'")
            }
            return status == "active" ? true : nil
        }
    }

    private func result(_ id: String, context: OpenStackContext, changed: Bool) async throws -> ModuleResult {
        let image = try await context.image.get("/images/\(id)", key: nil) ?? ValueDictionary()
        return .resource("image", ResourceSchema.image.normalize(image), changed: changed)
    }

    public func unchanged(_ invocation: ModuleInvocation, observed: Observed) -> ModuleResult {
        guard observed.context.arguments.state != "absent", let image = observed.image else { return ModuleResult(changed: false) }
        return .resource("image", ResourceSchema.image.normalize(image), changed: false)
    }
}
