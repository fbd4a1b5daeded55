import Testing
@testable import SSHTransport
@Suite struct SSHTransportSmokeTests { @Test func moduleLoads() { #expect(Bool(true)) } }
