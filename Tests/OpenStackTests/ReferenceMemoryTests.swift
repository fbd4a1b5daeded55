import Foundation
import Testing

@testable import OpenStack

/// The run's memory of resolved references must never outlive what made it true.
struct ReferenceMemoryTests {
    @Test func creatingANameForgetsItsLookupsAndDeletingForgetsTheCollection() async {
        let session = CloudSession(config: CloudConfig(name: "memory", auth: ["auth_url": "http://127.0.0.1:5000"]))
        let bare = OpenStackContext.referenceKey("subnets", "subnet0", [])
        let filtered = OpenStackContext.referenceKey("subnets", "subnet0", [("network_id", "n1")])
        let other = OpenStackContext.referenceKey("subnets", "subnet1", [])
        let network = OpenStackContext.referenceKey("networks", "subnet0", [])
        for key in [bare, filtered, other, network] { await session.remember(key, id: key) }

        // A second `subnet0` (in another network) makes the bare name ambiguous.
        await session.forget(collection: "subnets", name: "subnet0")
        #expect(await session.referenceID(bare) == nil)
        #expect(await session.referenceID(filtered) == nil)
        #expect(await session.referenceID(other) == other)
        #expect(await session.referenceID(network) == network)

        await session.forget(collection: "subnets")
        #expect(await session.referenceID(other) == nil)
        #expect(await session.referenceID(network) == network)
        #expect(ResourceAPI.collection(of: "/subnets/1234") == "subnets")
    }
}
