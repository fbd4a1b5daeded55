import Testing
import Templating

@Suite struct ValueDictionaryTests {
    @Test func keepsInsertionOrderAndPositionOnReplace() {
        var dictionary = ValueDictionary()
        dictionary["b"] = 1
        dictionary["a"] = 2
        dictionary["b"] = 3
        #expect(dictionary.keys == ["b", "a"])
        #expect(dictionary.values == [3, 2])
    }

    @Test func removingAKeyDropsItFromTheOrder() {
        var dictionary = ValueDictionary([("x", 1), ("y", 2)])
        dictionary["x"] = nil
        #expect(dictionary.keys == ["y"])
        #expect(dictionary.count == 1)
    }

    @Test func equalityIgnoresOrderLikePython() {
        #expect(ValueDictionary([("x", 1), ("y", 2)]) == ValueDictionary([("y", 2), ("x", 1)]))
    }
}
