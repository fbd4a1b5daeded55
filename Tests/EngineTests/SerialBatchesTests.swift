import Testing

@testable import Engine

@Suite struct SerialBatchesTests {
    let hosts = ["h1", "h2", "h3", "h4", "h5"]

    @Test func noSerialIsOneBatch() {
        #expect(SerialBatches.batches(hosts, sizes: []) == [hosts])
    }

    @Test func countsAndPercentagesAndListsWithTheLastSizeRepeating() throws {
        #expect(SerialBatches.batches(hosts, sizes: [.count(2)]) == [["h1", "h2"], ["h3", "h4"], ["h5"]])
        #expect(SerialBatches.batches(hosts, sizes: [.percent(40)]) == [["h1", "h2"], ["h3", "h4"], ["h5"]])
        #expect(SerialBatches.batches(hosts, sizes: [.count(1), .count(3)]) == [["h1"], ["h2", "h3", "h4"], ["h5"]])
        #expect(SerialBatches.batches(hosts, sizes: [.percent(10)]).count == 5)
        #expect(SerialBatches.Size(text: "30%") == .percent(30))
        #expect(SerialBatches.Size(text: "3") == .count(3))
        #expect(SerialBatches.Size(text: "x") == nil)
    }
}
