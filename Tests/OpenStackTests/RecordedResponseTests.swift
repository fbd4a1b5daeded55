import Foundation
import Templating
import Testing

@testable import OpenStack

/// Decoding and normalisation of responses recorded from the test bed's real services
/// (`Recorded/*.json`, captured with curl from Keystone 30, Neutron 29, Glance 33 and Nova 34).
struct RecordedResponseTests {
    static func recorded(_ name: String) throws -> Value {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Recorded"))
        return try JSON.parse(Data(contentsOf: url))
    }

    @Test func keystoneRootDocumentLeadsToV3() throws {
        #expect(VersionDiscovery.link(in: try Self.recorded("keystone-root"), major: 3) == "http://127.0.0.1:5000/v3/")
        #expect(VersionDiscovery.link(in: try Self.recorded("keystone-root"), major: 2) == nil)
    }

    @Test func neutronAndGlanceRootDocumentsLeadToTheirV2Endpoints() throws {
        #expect(VersionDiscovery.link(in: try Self.recorded("neutron-root"), major: 2) == "http://127.0.0.1:9696/v2.0/")
        #expect(VersionDiscovery.link(in: try Self.recorded("glance-root"), major: 2) == "http://127.0.0.1:9292/v2/")
    }

    @Test func novaVersionDocumentGivesTheMaximumMicroversion() throws {
        let version = try Self.recorded("nova-v2.1").dictionary?["version"]?.dictionary?["version"]?.string
        let maximum = try #require(version.flatMap(Microversion.init))
        #expect(maximum >= Microversion(2, 96))
        #expect(min(maximum, KeypairModule.microversion) == Microversion(2, 10))
    }

    @Test func networkIsNormalisedToOpenstacksdkKeys() throws {
        let raw = try #require(try Self.recorded("neutron-networks-public").dictionary?["networks"]?.array?.first?.dictionary)
        let network = ResourceSchema.network.normalize(raw)
        #expect(network.keys.compactMap(\.string) == ResourceSchema.network.fields.map(\.key))
        #expect(network["is_router_external"] == true)
        #expect(network["is_admin_state_up"] == .bool(raw["admin_state_up"] == true))
        #expect(network["subnet_ids"] == raw["subnets"])
        #expect(network["provider_network_type"] == raw["provider:network_type"] ?? Value.none)
        #expect(network["if_match"] == Value.none)
        #expect(network["name"] == "public")
    }

    @Test func flavorsKeepNovasEmptySwapAndConvertExtensionFields() throws {
        let flavors = try #require(try Self.recorded("nova-flavors-detail-2.61").dictionary?["flavors"]?.array)
        let tiny = try #require(flavors.compactMap(\.dictionary).first { $0["name"] == "m1.tiny" })
        let flavor = ResourceSchema.flavor.normalize(tiny)
        #expect(flavor.keys.compactMap(\.string) == ResourceSchema.flavor.fields.map(\.key))
        #expect(flavor["ram"] == 512)
        #expect(flavor["is_public"] == true)
        #expect(flavor["ephemeral"] == 0)
        #expect(flavor["swap"] == "")
        #expect(flavor["rxtx_factor"] == 1.0)
        // `original_name` only exists on a server's embedded flavor; openstacksdk leaves it null here.
        #expect(flavor["original_name"] == Value.none)
    }

    @Test func serviceMessagesAreExtractedFromEachServicesErrorShape() {
        #expect(ServiceMessage.extract(from: Data(#"{"NeutronError": {"type": "X", "message": "Network abc could not be found."}}"#.utf8)) == "Network abc could not be found.")
        #expect(ServiceMessage.extract(from: Data(#"{"itemNotFound": {"code": 404, "message": "Flavor x could not be found."}}"#.utf8)) == "Flavor x could not be found.")
        #expect(ServiceMessage.extract(from: Data(#"{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"#.utf8)) == "The request you have made requires authentication.")
        #expect(ServiceMessage.extract(from: Data("<html><body><h1>415 Unsupported Media Type</h1></body></html>".utf8)) == "415 Unsupported Media Type")
        // Tacker's SOL013 ProblemDetails: the detail says what went wrong, the title only restates the status.
        #expect(ServiceMessage.extract(from: Data(#"{"title": "Bad Request", "status": 400, "detail": "VNF Package 1 is not ENABLED"}"#.utf8)) == "VNF Package 1 is not ENABLED")
    }
}
