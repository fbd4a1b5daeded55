import Testing
@testable import Engine
@Suite struct EngineSmokeTests { @Test func moduleLoads() { #expect(Bool(true)) } }
