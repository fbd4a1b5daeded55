import Foundation
import ModuleAPI
import Templating

@testable import OpenStack

/// What the running test bed offers beyond the control plane, asked of the cloud itself.
extension TestBed {
    /// The test run's session as devstack-admin.
    static func adminSession() throws -> CloudSession {
        let config = try CloudConfigLoader(environment: environment)
            .resolve(arguments: ValueDictionary([("cloud", "devstack-admin")]))
        return SessionRegistry.shared(in: ModuleHarness.services).session(for: config)
    }

    /// An enabled nova-compute that is up (`Scripts/testbed up --compute`): servers really boot.
    static func hasCompute() async -> Bool {
        guard isAvailable, let session = try? adminSession(),
            let response = try? await session.send("compute", "GET", "/os-services", query: [("binary", "nova-compute")]),
            let services = try? response.json().dictionary?["services"]?.array
        else { return false }
        return services.contains {
            $0.dictionary?["state"]?.string == "up" && $0.dictionary?["status"]?.string == "enabled"
        }
    }

    /// Heat in the catalog and a nova-compute that is up: what instantiation needs beyond Tacker.
    static func hasHeatAndCompute() async -> Bool {
        guard isAvailable, let session = try? adminSession(),
            let token = try? await session.currentToken(),
            token.catalog.url(for: "orchestration", interface: "public", region: nil) != nil
        else { return false }
        return await hasCompute()
    }
}
