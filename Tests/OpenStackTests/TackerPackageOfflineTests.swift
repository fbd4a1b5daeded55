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
        try VNFDValidator(files: first.files, sourcePaths: first.sourcePaths).validate(entry: first.entryDefinitions)
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

    private func validate(_ yaml: String) throws {
        let files = ["Definitions/top.yaml": Data(yaml.utf8)]
        try VNFDValidator(files: files, sourcePaths: ["Definitions/top.yaml": "pkg/top.yaml"]).validate(entry: "Definitions/top.yaml")
    }

    private func failure(_ yaml: String) -> OpenStackModuleError? {
        do {
            try validate(yaml)
            return nil
        } catch let error as OpenStackModuleError {
            return error
        } catch {
            return OpenStackModuleError("unexpected \(error)")
        }
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

    @Test func requirementToAMissingNodeIsLocated() throws {
        let error = try #require(failure("""
            tosca_definitions_version: tosca_simple_yaml_1_2
            topology_template:
              node_templates:
                VDU1:
                  type: tosca.nodes.nfv.Vdu.Compute
                  properties: { name: web }
                CP1:
                  type: tosca.nodes.nfv.VduCp
                  requirements:
                    - virtual_binding: VDU9
            """))
        #expect(error.location?.line == 10)
        #expect(error.location?.column == 28)
        #expect(error.message == "requirement 'virtual_binding' of 'CP1' points at 'VDU9', which is not a node template")
    }

    @Test func requirementToTheWrongKindOfNodeIsLocated() throws {
        let error = try #require(failure("""
            tosca_definitions_version: tosca_simple_yaml_1_2
            topology_template:
              node_templates:
                VDU1:
                  type: tosca.nodes.nfv.Vdu.Compute
                  properties: { name: web }
                CP1:
                  type: tosca.nodes.nfv.VduCp
                  requirements:
                    - virtual_link: VDU1
            """))
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
}
