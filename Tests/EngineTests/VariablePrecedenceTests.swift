import Templating
import Testing

@testable import Engine

/// The precedence order, tested as a table: for every pair of sources, the higher one wins.
@Suite struct VariablePrecedenceTests {
    /// Ansible's documented order, lowest first ("Understanding variable precedence").
    static let documentedOrder: [VariableSource] = [
        .roleDefaults, .inventoryGroupVars, .inventoryGroupVarsAll, .playbookGroupVarsAll,
        .inventoryGroupVarsFiles, .playbookGroupVarsFiles, .inventoryHostVars, .inventoryHostVarsFiles,
        .playbookHostVarsFiles, .hostFacts, .playVars, .playVarsPrompt, .playVarsFiles, .roleVars, .blockVars,
        .taskVars, .includeVars, .setFacts, .roleParams, .includeParams, .extraVars,
    ]

    @Test func orderMatchesTheDocumentedTable() {
        #expect(VariableSource.allCases == Self.documentedOrder)
        #expect(VariableSource.allCases.count == 21)
    }

    @Test(arguments: VariableSource.allCases)
    func higherSourceWinsOverEveryLowerOne(_ higher: VariableSource) {
        for lower in VariableSource.allCases where lower < higher {
            var layers = VariableLayers()
            layers.set("x", to: .string("\(lower)"), in: lower)
            layers.set("x", to: .string("\(higher)"), in: higher)
            #expect(layers.lookup("x")?.source == higher)
            #expect(layers.lookup("x")?.entry.value == .string("\(higher)"))
        }
    }

    @Test func dictionariesAreReplacedNotMerged() {
        var layers = VariableLayers()
        layers.set("d", to: .object(["a": 1, "b": 2]), in: .playVars)
        layers.set("d", to: .object(["a": 9]), in: .extraVars)
        #expect(layers.lookup("d")?.entry.value == .object(["a": 9]))
    }

    @Test func laterMergesWithinOneLayerOverrideEarlierOnes() {
        var layers = VariableLayers()
        var outer = ValueDictionary()
        outer["v"] = "outer"
        var inner = ValueDictionary()
        inner["v"] = "inner"
        layers.merge(outer, into: .blockVars)
        layers.merge(inner, into: .blockVars)
        #expect(layers.lookup("v")?.entry.value == "inner")
        #expect(layers.lookup("missing") == nil)
    }
}
