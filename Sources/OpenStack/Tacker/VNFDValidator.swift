import Crypto
import Diagnostics
import Foundation
import Yams

/// Offline checks of a VNF descriptor before anything is uploaded: what Tacker's tosca-parser would
/// reject later with a message and no line, reported here at file:line:column.
///
/// Understands ETSI SOL001 descriptors (`tosca.nodes.nfv.Vdu.Compute`, `VduCp`, `VnfVirtualLink`, …) and
/// the legacy Tacker TOSCA of older releases (`tosca.nodes.nfv.VDU.Tacker`, `CP.Tacker`, `VL`), whose
/// structure is checked too; a legacy descriptor is then refused with how to package it for a current
/// Tacker, which removed the legacy `/v1.0/vnfds` API.
///
/// Software images: a VDU's `tosca.artifacts.nfv.SwImage` artifact must be in the package, and the
/// `sw_image_data` checksum must be its hash (Tacker checks that only at instantiation, after uploading the
/// image to Glance). A checksum that is not SHA-512 is a warning, not an error: Tacker compares the VNFD's
/// hash with Glance's `os_hash_value`, whose algorithm is Glance's `hashing_algorithm` (SHA-512 unless the
/// operator changed it, as on DevStack), so such a package onboards but fails to instantiate on a default
/// Glance — yet is right for a Glance configured otherwise, which this offline check cannot see.
struct VNFDValidator {
    /// Files of the package by path inside it, and where each came from on the controller.
    let files: [String: Data]
    let sourcePaths: [String: String]

    static let knownVersions: Set<String> = [
        "tosca_simple_yaml_1_0", "tosca_simple_yaml_1_1", "tosca_simple_yaml_1_2", "tosca_simple_yaml_1_3",
        "tosca_simple_profile_for_nfv_1_0_0",
    ]

    /// Node types every SOL001 VNFD may use without defining them (etsi_nfv_sol001_vnfd_types.yaml and
    /// the TOSCA normative types).
    static let standardTypes: Set<String> = [
        "tosca.nodes.nfv.VNF", "tosca.nodes.nfv.Vdu.Compute", "tosca.nodes.nfv.Vdu.VirtualBlockStorage",
        "tosca.nodes.nfv.Vdu.VirtualObjectStorage", "tosca.nodes.nfv.Vdu.VirtualFileStorage", "tosca.nodes.nfv.VduCp",
        "tosca.nodes.nfv.VnfVirtualLink", "tosca.nodes.nfv.VnfExtCp", "tosca.nodes.nfv.Cp",
        "tosca.nodes.Root", "tosca.nodes.Compute", "tosca.nodes.network.Network", "tosca.nodes.network.Port",
    ]

    /// The legacy Tacker types and what replaces each in SOL001.
    static let legacyTypes: [String: String] = [
        "tosca.nodes.nfv.VDU.Tacker": "tosca.nodes.nfv.Vdu.Compute",
        "tosca.nodes.nfv.CP.Tacker": "tosca.nodes.nfv.VduCp",
        "tosca.nodes.nfv.VL": "tosca.nodes.nfv.VnfVirtualLink",
    ]

    /// Which node type a requirement must point at, for the relationships Annexes A and G use.
    static let requirementTargets: [String: [String]] = [
        "virtualLink": ["tosca.nodes.nfv.VL", "tosca.nodes.nfv.VnfVirtualLink"],
        "virtual_link": ["tosca.nodes.nfv.VnfVirtualLink", "tosca.nodes.nfv.VL"],
        "virtualBinding": ["tosca.nodes.nfv.VDU.Tacker", "tosca.nodes.nfv.Vdu.Compute"],
        "virtual_binding": ["tosca.nodes.nfv.Vdu.Compute", "tosca.nodes.nfv.VDU.Tacker"],
    ]

    /// A problem that does not stop the upload, located like an error.
    struct Warning: Sendable, Equatable, CustomStringConvertible {
        var message: String
        var location: SourceLocation?
        var description: String { location.map { "\($0): \(message)" } ?? message }
    }

    /// Validates the entry descriptor and the package files it imports; throws the first problem,
    /// located, and returns the warnings.
    @discardableResult
    func validate(entry: String) throws -> [Warning] {
        var definedTypes: [String: String] = [:]  // type → its derived_from
        var visited: [String] = []
        try collectTypes(path: entry, into: &definedTypes, visited: &visited)
        var warnings: [Warning] = []
        // The entry first; then the imported files (a deployment flavour's topology lives in one).
        for path in visited {
            try validateTopology(path: path, definedTypes: definedTypes, warnings: &warnings, isEntry: path == entry)
        }
        return warnings
    }

    private func document(_ path: String) throws -> (Node, String) {
        let display = sourcePaths[path] ?? path
        guard let data = files[path] else {
            throw OpenStackModuleError("VNF package has no file '\(path)'")
        }
        do {
            guard let node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) else {
                throw OpenStackModuleError("\(display): empty VNF descriptor")
            }
            return (node, display)
        } catch let error as YamlError {
            throw OpenStackModuleError("\(display): invalid YAML: \(error)")
        }
    }

    private func location(_ node: Node, _ file: String) -> SourceLocation? {
        node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    private func failure(_ message: String, _ node: Node, _ file: String) -> OpenStackModuleError {
        OpenStackModuleError(message, location: location(node, file))
    }

    private func collectTypes(path: String, into types: inout [String: String], visited: inout [String]) throws {
        guard !visited.contains(path) else { return }
        visited.append(path)
        let (root, file) = try document(path)
        guard let mapping = root.mapping else { throw failure("a VNF descriptor must be a mapping", root, file) }
        if let nodeTypes = mapping["node_types"]?.mapping {
            for (name, body) in nodeTypes {
                types[name.string ?? ""] = body.mapping?["derived_from"]?.string ?? "tosca.nodes.Root"
            }
        }
        for entry in mapping["imports"]?.sequence ?? [] {
            // Imports are file names relative to the importing file, or {file: …} entries.
            guard let target = entry.string ?? entry.mapping?["file"]?.string else { continue }
            let directory = (path as NSString).deletingLastPathComponent
            let resolved = (directory.isEmpty ? target : (directory as NSString).appendingPathComponent(target))
            let normalized = (resolved as NSString).standardizingPath
            if files[normalized] != nil {
                try collectTypes(path: normalized, into: &types, visited: &visited)
            } else if !target.contains("etsi_nfv_sol001") {
                // The SOL001 type files themselves may be left out: Tacker ships them.
                throw failure("imported file '\(target)' is not in the VNF package", entry, file)
            }
        }
    }

    private func validateTopology(
        path: String, definedTypes: [String: String], warnings: inout [Warning], isEntry: Bool
    ) throws {
        let (root, file) = try document(path)
        guard let mapping = root.mapping else { throw failure("a VNF descriptor must be a mapping", root, file) }
        guard let versionNode = mapping["tosca_definitions_version"] else {
            if !isEntry { return }
            throw failure("missing 'tosca_definitions_version'", root, file)
        }
        guard let version = versionNode.string, Self.knownVersions.contains(version) else {
            throw failure(
                "unknown tosca_definitions_version '\(versionNode.string ?? "")'; expected one of "
                    + Self.knownVersions.sorted().map { "'\($0)'" }.joined(separator: ", "), versionNode, file)
        }
        guard let topology = mapping["topology_template"] else { return }
        guard let templates = topology.mapping?["node_templates"]?.mapping else {
            throw failure("'topology_template' has no 'node_templates'", topology, file)
        }
        var typeOf: [String: String] = [:]
        for (name, body) in templates {
            guard let bodyMapping = body.mapping else {
                throw failure("node template '\(name.string ?? "")' must be a mapping", body, file)
            }
            guard let typeNode = bodyMapping["type"], let type = typeNode.string else {
                throw failure("node template '\(name.string ?? "")' has no 'type'", body, file)
            }
            guard Self.standardTypes.contains(type) || Self.legacyTypes[type] != nil || definedTypes[type] != nil else {
                throw failure("node template '\(name.string ?? "")' has unknown type '\(type)'", typeNode, file)
            }
            typeOf[name.string ?? ""] = type
        }
        for (name, body) in templates {
            try validateNode(name.string ?? "", body, typeOf: typeOf, definedTypes: definedTypes, file: file)
            try validateSoftwareImage(name.string ?? "", body, path: path, file: file, warnings: &warnings)
        }
        for policy in topology.mapping?["policies"]?.sequence ?? [] {
            for (policyName, policyBody) in policy.mapping ?? [:] {
                for target in policyBody.mapping?["targets"]?.sequence ?? [] where typeOf[target.string ?? ""] == nil {
                    let groups = topology.mapping?["groups"]?.mapping?.keys.compactMap(\.string) ?? []
                    guard !groups.contains(target.string ?? "") else { continue }
                    throw failure(
                        "policy '\(policyName.string ?? "")' targets '\(target.string ?? "")', which is no node template or group",
                        target, file)
                }
            }
        }
        if let (legacyName, legacyType) = typeOf.sorted(by: { $0.key < $1.key }).first(where: { Self.legacyTypes[$0.value] != nil }),
            let node = templates[Node(legacyName)]?.mapping?["type"]
        {
            throw failure(
                "node template '\(legacyName)' uses the legacy Tacker type '\(legacyType)': current Tacker removed the "
                    + "/v1.0/vnfds API, so onboard it as an ETSI SOL001 VNF package instead — use '"
                    + (Self.legacyTypes[legacyType] ?? "") + "', a 'tosca.nodes.nfv.VNF' substitution, "
                    + "'tosca_definitions_version: tosca_simple_yaml_1_2', and TOSCA-Metadata/TOSCA.meta in a CSAR",
                node, file)
        }
    }

    private func validateNode(
        _ name: String, _ body: Node, typeOf: [String: String], definedTypes: [String: String], file: String
    ) throws {
        guard let mapping = body.mapping, let type = mapping["type"]?.string else { return }
        if type == "tosca.nodes.nfv.Vdu.Compute" || type == "tosca.nodes.nfv.VDU.Tacker" {
            if let properties = mapping["properties"], properties.mapping == nil {
                throw failure("'properties' of '\(name)' must be a mapping", properties, file)
            }
            if type == "tosca.nodes.nfv.Vdu.Compute", mapping["properties"]?.mapping?["name"] == nil {
                throw failure("VDU '\(name)' (tosca.nodes.nfv.Vdu.Compute) needs the property 'name'", body, file)
            }
        }
        guard let requirements = mapping["requirements"] else { return }
        guard let entries = requirements.sequence else {
            throw failure("'requirements' of '\(name)' must be a list", requirements, file)
        }
        for entry in entries {
            for (requirement, value) in entry.mapping ?? [:] {
                let targetNode = value.mapping?["node"] ?? value
                guard let target = targetNode.string else { continue }
                guard let targetType = typeOf[target] else {
                    throw failure(
                        "requirement '\(requirement.string ?? "")' of '\(name)' points at '\(target)', which is not a node template",
                        targetNode, file)
                }
                if let wanted = Self.requirementTargets[requirement.string ?? ""],
                    !wanted.contains(where: { derives(targetType, from: $0, definedTypes: definedTypes) })
                {
                    throw failure(
                        "requirement '\(requirement.string ?? "")' of '\(name)' must point at a \(wanted[0]), but '\(target)' is a \(targetType)",
                        targetNode, file)
                }
            }
        }
    }

    /// The hash algorithms whose digest is checked offline (swift-crypto's; Tacker also names sha-224).
    static func digest(_ algorithm: String, _ data: Data) -> String? {
        let bytes: [UInt8]
        switch algorithm.lowercased() {
        case "sha-256", "sha256": bytes = Array(SHA256.hash(data: data))
        case "sha-384", "sha384": bytes = Array(SHA384.hash(data: data))
        case "sha-512", "sha512": bytes = Array(SHA512.hash(data: data))
        default: return nil
        }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// A VDU's (or virtual storage's) `tosca.artifacts.nfv.SwImage` artifact and its `sw_image_data`: the
    /// artifact file is in the package and its hash is the declared checksum.
    private func validateSoftwareImage(
        _ name: String, _ body: Node, path: String, file: String, warnings: inout [Warning]
    ) throws {
        guard let mapping = body.mapping, let type = mapping["type"]?.string,
            type == "tosca.nodes.nfv.Vdu.Compute" || type == "tosca.nodes.nfv.Vdu.VirtualBlockStorage"
        else { return }
        // As Tacker reads it: an artifact of type SwImage, or a bare file name.
        var artifact: (name: String, file: Node)?
        for (key, value) in mapping["artifacts"]?.mapping ?? [:] {
            if let fileNode = value.mapping?["file"], value.mapping?["type"]?.string == "tosca.artifacts.nfv.SwImage" {
                artifact = (key.string ?? "", fileNode)
            } else if value.string != nil {
                artifact = (key.string ?? "", value)
            }
        }
        let imageData = mapping["properties"]?.mapping?["sw_image_data"]
        if let artifact, imageData == nil {
            throw failure(
                "VDU '\(name)' has the software image artifact '\(artifact.name)' but no property 'sw_image_data'",
                artifact.file, file)
        }
        guard let imageData else { return }
        guard let imageMapping = imageData.mapping else {
            throw failure("'sw_image_data' of '\(name)' must be a mapping", imageData, file)
        }
        let checksum = imageMapping["checksum"]
        let algorithmNode = checksum?.mapping?["algorithm"]
        let hashNode = checksum?.mapping?["hash"]
        if let checksum, algorithmNode?.string == nil || hashNode?.string == nil {
            throw failure("the checksum of '\(name)''s sw_image_data needs 'algorithm' and 'hash'", checksum, file)
        }
        if let algorithmNode, let algorithm = algorithmNode.string, algorithm.lowercased() != "sha-512" {
            warnings.append(
                Warning(
                    message: "the image checksum of '\(name)' is \(algorithm), but Tacker compares it with the hash Glance "
                        + "computes, which is SHA-512 unless Glance's hashing_algorithm says otherwise: use sha-512",
                    location: location(algorithmNode, file)))
        }
        guard let artifact, let target = artifact.file.string else { return }
        if target.contains("://") { return }  // an image Tacker downloads; nothing to check here
        // Relative to the descriptor, as TOSCA says; Tacker itself strips leading '../' and './' and reads
        // the rest from the package root, so accept that too.
        let directory = (path as NSString).deletingLastPathComponent
        let relative = ((directory.isEmpty ? target : (directory as NSString).appendingPathComponent(target)) as NSString)
            .standardizingPath
        let stripped = String(target.drop { $0 == "." || $0 == "/" })
        guard let image = files[relative] ?? files[stripped] else {
            throw failure(
                "the software image '\(target)' of '\(name)' is not in the VNF package (looked for '\(relative)')",
                artifact.file, file)
        }
        guard let hashNode, let hash = hashNode.string, let algorithm = algorithmNode?.string,
            let actual = Self.digest(algorithm, image)
        else { return }
        if hash.lowercased() != actual {
            throw failure(
                "the \(algorithm) checksum of '\(name)''s software image does not match '\(target)', whose "
                    + "\(algorithm) is \(actual)", hashNode, file)
        }
    }

    private func derives(_ type: String, from base: String, definedTypes: [String: String]) -> Bool {
        var current: String? = type
        var steps = 0
        while let candidate = current, steps < 32 {
            if candidate == base { return true }
            current = definedTypes[candidate]
            steps += 1
        }
        return false
    }
}
