import Crypto
import Foundation

/// An ETSI SOL004 CSAR ready to upload: its ZIP bytes, the path of its entry VNFD, and a content
/// checksum that identifies it across runs.
struct CSARPackage: Sendable {
    /// The archive as uploaded.
    let archive: Data
    /// Files of the package by path inside it (for offline validation).
    let files: [String: Data]
    /// `Entry-Definitions` of TOSCA.meta: the top-level VNFD.
    let entryDefinitions: String
    /// Where each file came from on the controller, for located validation errors.
    let sourcePaths: [String: String]

    /// SHA-256 of the archive, hex; the archive is deterministic, so equal content gives an equal checksum.
    var checksum: String {
        SHA256.hash(data: archive).map { String(format: "%02x", $0) }.joined()
    }

    /// Builds the package from what the user points at:
    /// - a directory holding `TOSCA-Metadata/TOSCA.meta` (and `Definitions/`, optional `Files/`, `Scripts/`),
    /// - a directory without TOSCA.meta but with `Definitions/`: its single top VNFD becomes the entry,
    /// - a single VNFD YAML file, wrapped with generated metadata,
    /// - a `.zip` taken as is.
    static func load(from path: String) throws -> CSARPackage {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw OpenStackModuleError("VNF package source '\(path)' does not exist")
        }
        if isDirectory.boolValue { return try fromDirectory(path) }
        if path.lowercased().hasSuffix(".zip") || path.lowercased().hasSuffix(".csar") {
            return try fromArchive(path)
        }
        return try fromDescriptor(path)
    }

    private static func fromDirectory(_ root: String) throws -> CSARPackage {
        var files: [String: Data] = [:]
        var sources: [String: String] = [:]
        let base = URL(fileURLWithPath: root).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw OpenStackModuleError("cannot read VNF package directory '\(root)'")
        }
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(base.path.count + 1))
            files[relative] = try Data(contentsOf: url)
            sources[relative] = (root as NSString).appendingPathComponent(relative)
        }
        let entry: String
        if let meta = files["TOSCA-Metadata/TOSCA.meta"] {
            entry = try entryDefinitions(in: meta, at: (root as NSString).appendingPathComponent("TOSCA-Metadata/TOSCA.meta"))
        } else {
            // No metadata: the top VNFD is the one YAML under Definitions/ that imports the others.
            let candidates = files.keys.filter { $0.hasPrefix("Definitions/") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
            let tops = candidates.filter { key in
                let text = String(decoding: files[key] ?? Data(), as: UTF8.self)
                return text.contains("topology_template") && text.contains("imports")
            }
            guard let top = (tops.count == 1 ? tops : candidates).sorted().first, tops.count <= 1 else {
                throw OpenStackModuleError(
                    "VNF package directory '\(root)' has no TOSCA-Metadata/TOSCA.meta and no single top-level VNFD in Definitions/")
            }
            entry = top
            files["TOSCA-Metadata/TOSCA.meta"] = metadata(entry: entry)
        }
        guard files[entry] != nil else {
            throw OpenStackModuleError("TOSCA.meta names Entry-Definitions '\(entry)', which is not in '\(root)'")
        }
        return CSARPackage(archive: archive(files), files: files, entryDefinitions: entry, sourcePaths: sources)
    }

    private static func fromDescriptor(_ path: String) throws -> CSARPackage {
        let name = "Definitions/" + (path as NSString).lastPathComponent
        let files = [name: try Data(contentsOf: URL(fileURLWithPath: path)), "TOSCA-Metadata/TOSCA.meta": metadata(entry: name)]
        return CSARPackage(archive: archive(files), files: files, entryDefinitions: name, sourcePaths: [name: path])
    }

    private static func fromArchive(_ path: String) throws -> CSARPackage {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let files = try ZipReader.entries(of: data, path: path)
        let entry: String
        if let meta = files["TOSCA-Metadata/TOSCA.meta"] {
            entry = try entryDefinitions(in: meta, at: path + ":TOSCA-Metadata/TOSCA.meta")
        } else {
            throw OpenStackModuleError("'\(path)' is not a CSAR: it has no TOSCA-Metadata/TOSCA.meta")
        }
        var sources: [String: String] = [:]
        for key in files.keys { sources[key] = "\(path):\(key)" }
        return CSARPackage(archive: data, files: files, entryDefinitions: entry, sourcePaths: sources)
    }

    private static func metadata(entry: String) -> Data {
        Data(
            """
            TOSCA-Meta-File-Version: 1.0
            CSAR-Version: 1.1
            Created-by: stackplay
            Entry-Definitions: \(entry)

            """.utf8)
    }

    private static func entryDefinitions(in meta: Data, at path: String) throws -> String {
        for line in String(decoding: meta, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "Entry-Definitions" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        throw OpenStackModuleError("\(path): TOSCA.meta has no 'Entry-Definitions'")
    }

    private static func archive(_ files: [String: Data]) -> Data {
        var writer = ZipWriter()
        // TOSCA.meta first, as SOL004 recommends; then every other file in path order.
        if let meta = files["TOSCA-Metadata/TOSCA.meta"] { writer.add(path: "TOSCA-Metadata/TOSCA.meta", contents: meta) }
        for path in files.keys.sorted() where path != "TOSCA-Metadata/TOSCA.meta" {
            writer.add(path: path, contents: files[path] ?? Data())
        }
        return writer.archive()
    }
}
