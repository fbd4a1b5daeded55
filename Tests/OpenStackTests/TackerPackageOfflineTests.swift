import Foundation
import Testing

@testable import OpenStack

/// CSAR building and offline VNFD validation: no Tacker needed.
@Suite struct TackerPackageOfflineTests {
    static let repoPackages = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Playbooks/vnf-packages").path

    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csar-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: ["web-server", "balancer"])
    func repositoryPackagesValidateAndBuildReproducibly(name: String) throws {
        let first = try CSARPackage.load(from: "\(Self.repoPackages)/\(name)")
        let second = try CSARPackage.load(from: "\(Self.repoPackages)/\(name)")
        #expect(first.checksum == second.checksum)
        #expect(first.entryDefinitions == "Definitions/\(name)_top.vnfd.yaml")
        let warnings = try VNFDValidator(files: first.files, sourcePaths: first.sourcePaths).validate(entry: first.entryDefinitions)
        #expect(warnings.isEmpty, "\(warnings)")
    }

    /// What Tacker needs to instantiate them: every VDU names a software image that the package carries
    /// (small, to keep the repository light), with a SHA-512 checksum (what Glance computes).
    @Test(arguments: ["web-server", "balancer"])
    func repositoryPackagesCarryTheirImages(name: String) throws {
        let package = try CSARPackage.load(from: "\(Self.repoPackages)/\(name)")
        let image = try #require(package.files["Files/images/\(name).img"])
        #expect(image.count <= 16 * 1024)
        let flavour = String(decoding: package.files["Definitions/\(name)_df_simple.yaml"] ?? Data(), as: UTF8.self)
        let vdus = flavour.components(separatedBy: "type: tosca.nodes.nfv.Vdu.Compute").count - 1
        #expect(vdus >= 1)
        #expect(flavour.components(separatedBy: "sw_image_data:").count - 1 == vdus)
        #expect(flavour.components(separatedBy: "algorithm: sha-512, hash: \(VNFDValidator.digest("sha-512", image) ?? "")").count - 1 == vdus)
        let meta = String(decoding: package.files["TOSCA-Metadata/TOSCA.meta"] ?? Data(), as: UTF8.self)
        #expect(meta.contains("Name: Files/images/\(name).img"))
    }

    /// The archive must be a ZIP that Info-ZIP (what Tacker's Python zipfile agrees with) reads back intact.
    @Test func archiveIsReadableByUnzip() throws {
        let package = try CSARPackage.load(from: "\(Self.repoPackages)/web-server")
        let directory = try Self.scratch()
        let zip = directory + "/package.zip"
        try package.archive.write(to: URL(fileURLWithPath: zip))
        let files = try ZipReader.entries(of: package.archive, path: zip)
        #expect(files == package.files)
        let reread = try CSARPackage.load(from: zip)
        #expect(reread.checksum == package.checksum)
        #expect(reread.entryDefinitions == package.entryDefinitions)
    }

    @Test func singleDescriptorIsWrappedWithGeneratedMetadata() throws {
        let directory = try Self.scratch()
        let path = directory + "/vnfd.yaml"
        try "tosca_definitions_version: tosca_simple_yaml_1_2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let package = try CSARPackage.load(from: path)
        #expect(package.entryDefinitions == "Definitions/vnfd.yaml")
        let meta = String(decoding: package.files["TOSCA-Metadata/TOSCA.meta"] ?? Data(), as: UTF8.self)
        #expect(meta.contains("Entry-Definitions: Definitions/vnfd.yaml"))
    }

    /// A package's files and the paths its errors are reported under.
    private typealias Package = (files: [String: Data], sources: [String: String])

    /// A package whose only file is the entry definitions `yaml`, reported as `pkg/top.yaml`.
    private func package(_ yaml: String) -> Package {
        (["Definitions/top.yaml": Data(yaml.utf8)], ["Definitions/top.yaml": "pkg/top.yaml"])
    }

    @discardableResult
    private func validate(_ package: Package) throws -> [VNFDValidator.Warning] {
        try VNFDValidator(files: package.files, sourcePaths: package.sources).validate(entry: "Definitions/top.yaml")
    }

    private func failure(_ package: Package) -> OpenStackModuleError? {
        do {
            try validate(package)
            return nil
        } catch let error as OpenStackModuleError {
            return error
        } catch {
            return OpenStackModuleError("unexpected \(error)")
        }
    }

    private func failure(_ yaml: String) -> OpenStackModuleError? {
        failure(package(yaml))
    }

    /// The thesis's Annex G descriptor: structurally valid legacy TOSCA, refused with how to repackage it.
    @Test func legacyTackerDescriptorGetsRepackagingAdvice() throws {
        let error = try #require(failure("""
            tosca_definitions_version: tosca_simple_profile_for_nfv_1_0_0
            metadata:
              template_name: site-backend-tosca-vnfd-for-vnfc
            topology_template:
              node_templates:
                VDU1:
                  type: tosca.nodes.nfv.VDU.Tacker
                  properties:
                    name: site1-web1
                    image: ubuntu-18.04
                CP1:
                  type: tosca.nodes.nfv.CP.Tacker
                  properties:
                    management: true
                  requirements:
                    - virtualLink:
                        node: VL1
                    - virtualBinding:
                        node: VDU1
                VL1:
                  type: tosca.nodes.nfv.VL
                  properties:
                    network_name: net0
            """))
        #expect(error.location?.file == "pkg/top.yaml")
        #expect(error.location?.line == 12)
        #expect(error.location?.column == 13)
        #expect(error.message.contains("legacy Tacker type 'tosca.nodes.nfv.CP.Tacker'"))
        #expect(error.message.contains("tosca.nodes.nfv.VduCp"))
    }

    /// VDU1 and a connection point CP1 whose one requirement, `requirement`, is on line 10 at column 11.
    private func connectionPoint(requiring requirement: String) -> String {
        """
        tosca_definitions_version: tosca_simple_yaml_1_2
        topology_template:
          node_templates:
            VDU1:
              type: tosca.nodes.nfv.Vdu.Compute
              properties: { name: web }
            CP1:
              type: tosca.nodes.nfv.VduCp
              requirements:
                - \(requirement)
        """
    }

    @Test func requirementToAMissingNodeIsLocated() throws {
        let error = try #require(failure(connectionPoint(requiring: "virtual_binding: VDU9")))
        #expect(error.location?.line == 10)
        #expect(error.location?.column == 28)
        #expect(error.message == "requirement 'virtual_binding' of 'CP1' points at 'VDU9', which is not a node template")
    }

    @Test func requirementToTheWrongKindOfNodeIsLocated() throws {
        let error = try #require(failure(connectionPoint(requiring: "virtual_link: VDU1")))
        #expect(error.location?.line == 10)
        #expect(error.message.contains("must point at a tosca.nodes.nfv.VnfVirtualLink"))
    }

    @Test func unknownVersionAndUnknownTypeAreLocated() throws {
        let version = try #require(failure("tosca_definitions_version: tosca_simple_yaml_9\n"))
        #expect(version.location?.line == 1)
        #expect(version.location?.column == 28)
        let type = try #require(failure("""
            tosca_definitions_version: tosca_simple_yaml_1_2
            topology_template:
              node_templates:
                VDU1:
                  type: tosca.nodes.nfv.Vdu.Compte
            """))
        #expect(type.location?.line == 5)
        #expect(type.message == "node template 'VDU1' has unknown type 'tosca.nodes.nfv.Vdu.Compte'")
    }

    @Test func policyTargetsMustExist() throws {
        let error = try #require(failure("""
            tosca_definitions_version: tosca_simple_yaml_1_2
            topology_template:
              node_templates:
                VDU1:
                  type: tosca.nodes.nfv.Vdu.Compute
                  properties: { name: web }
              policies:
                - scaling:
                    type: tosca.policies.nfv.ScalingAspects
                    targets: [ VDU2 ]
            """))
        #expect(error.location?.line == 10)
        #expect(error.message.contains("'VDU2'"))
    }

    // MARK: - Software images

    static let image = Data("stackplay".utf8)

    /// A flavour with one VDU whose software image is `file` with the given checksum; the package holds
    /// `Files/images/vdu.img` (when `withImage`).
    private func imagePackage(file: String = "../Files/images/vdu.img", algorithm: String = "sha-512", hash: String? = nil, withImage: Bool = true)
        -> Package
    {
        let yaml = """
            tosca_definitions_version: tosca_simple_yaml_1_2
            topology_template:
              node_templates:
                VDU1:
                  type: tosca.nodes.nfv.Vdu.Compute
                  artifacts:
                    sw_image:
                      type: tosca.artifacts.nfv.SwImage
                      file: \(file)
                  properties:
                    name: web
                    sw_image_data:
                      name: vdu-image
                      version: '1.0'
                      checksum: { algorithm: \(algorithm), hash: \(hash ?? VNFDValidator.digest(algorithm, Self.image) ?? "") }
                      container_format: bare
                      disk_format: raw
            """
        var files = ["Definitions/top.yaml": Data(yaml.utf8)]
        if withImage { files["Files/images/vdu.img"] = Self.image }
        return (files, ["Definitions/top.yaml": "pkg/Definitions/top.yaml"])
    }

    @Test func softwareImageWithMatchingSHA512Passes() throws {
        #expect(try validate(imagePackage()).isEmpty)
        #expect(VNFDValidator.digest("sha-512", Self.image)?.hasPrefix("f2d9d755c80753c2") == true)
        // Tacker's own reading of the path (leading ../ stripped, from the package root) works too.
        #expect(try validate(imagePackage(file: "Files/images/vdu.img")).isEmpty)
    }

    @Test func missingSoftwareImageIsLocated() throws {
        let error = try #require(failure(imagePackage(withImage: false)))
        #expect(error.location?.file == "pkg/Definitions/top.yaml")
        #expect(error.location?.line == 9)
        #expect(error.location?.column == 17)
        #expect(error.message.contains("'../Files/images/vdu.img' of 'VDU1' is not in the VNF package"))
    }

    @Test(arguments: ["sha-512", "sha-256"])
    func wrongChecksumIsLocated(algorithm: String) throws {
        let wrong = String(repeating: "0", count: algorithm == "sha-512" ? 128 : 64)
        let error = try #require(failure(imagePackage(algorithm: algorithm, hash: wrong)))
        #expect(error.location?.file == "pkg/Definitions/top.yaml")
        #expect(error.location?.line == 15)
        #expect(error.location?.column == 49)
        #expect(error.message.contains("\(algorithm) checksum of 'VDU1''s software image does not match"))
        #expect(error.message.contains(VNFDValidator.digest(algorithm, Self.image) ?? "-"))
    }

    /// SHA-256 is a valid checksum, but a default Glance computes SHA-512 and Tacker compares the two.
    @Test func sha256ChecksumIsAWarning() throws {
        let warnings = try validate(imagePackage(algorithm: "sha-256"))
        let warning = try #require(warnings.first)
        #expect(warnings.count == 1)
        #expect(warning.location == .init(file: "pkg/Definitions/top.yaml", line: 15, column: 34))
        #expect(warning.message.contains("is sha-256") && warning.message.contains("use sha-512"))
        #expect(warning.description.hasPrefix("pkg/Definitions/top.yaml:15:34: "))
        #expect(VNFDValidator.digest("sha-256", Self.image) == "27a04e41555ed929f6ac439a636f8a088b0ab4440b061d6557cae56f88514c3f")
    }

    @Test func softwareImageArtifactNeedsImageData() throws {
        let error = try #require(failure("""
            tosca_definitions_version: tosca_simple_yaml_1_2
            topology_template:
              node_templates:
                VDU1:
                  type: tosca.nodes.nfv.Vdu.Compute
                  artifacts:
                    sw_image:
                      type: tosca.artifacts.nfv.SwImage
                      file: ../Files/images/vdu.img
                  properties: { name: web }
            """))
        #expect(error.location?.line == 9)
        #expect(error.message.contains("no property 'sw_image_data'"))
    }

    /// The flavour's topology lives in an imported file: it is checked too, at its own path.
    @Test func importedFlavourTopologyIsValidated() throws {
        let top = """
            tosca_definitions_version: tosca_simple_yaml_1_2
            imports: [ df.yaml ]
            topology_template:
              node_templates: {}
            """
        let flavour = """
            tosca_definitions_version: tosca_simple_yaml_1_2
            topology_template:
              node_templates:
                CP1:
                  type: tosca.nodes.nfv.VduCp
                  requirements:
                    - virtual_binding: VDU9
            """
        let files = ["Definitions/top.yaml": Data(top.utf8), "Definitions/df.yaml": Data(flavour.utf8)]
        do {
            try VNFDValidator(files: files, sourcePaths: ["Definitions/df.yaml": "pkg/df.yaml"]).validate(entry: "Definitions/top.yaml")
            Issue.record("the imported flavour's broken requirement was not found")
        } catch let error as OpenStackModuleError {
            #expect(error.location == .init(file: "pkg/df.yaml", line: 7, column: 28))
        }
    }
}
