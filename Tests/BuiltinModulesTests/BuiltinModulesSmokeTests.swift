import Testing
@testable import BuiltinModules
@Suite struct BuiltinModulesSmokeTests { @Test func moduleLoads() { #expect(Bool(true)) } }
