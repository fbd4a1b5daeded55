import Testing
@testable import Balancer
@Suite struct BalancerSmokeTests { @Test func moduleLoads() { #expect(Bool(true)) } }
