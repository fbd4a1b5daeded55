import Testing
@testable import PlaybookCore
@Suite struct PlaybookCoreSmokeTests { @Test func moduleLoads() { #expect(Bool(true)) } }
