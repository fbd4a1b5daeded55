import NIOCore
import NIOEmbedded
import Testing

@testable import Balancer

/// The client-side timeouts, driven by EmbeddedEventLoop's virtual clock.
@Suite struct ClientConnectionGuardTests {
    static func pipeline(httpRequest: TimeAmount = .seconds(2), keepAlive: TimeAmount = .seconds(5))
        throws -> EmbeddedClientPipeline
    {
        try EmbeddedClientPipeline { config in
            config.frontends[0].timeouts.httpRequest = httpRequest
            config.frontends[0].timeouts.httpKeepAlive = keepAlive
        }
    }

    @Test func slowlorisGets408WhenHeadersDoNotCompleteInTime() throws {
        let pipeline = try Self.pipeline(httpRequest: .seconds(2))
        pipeline.send("GET / HTTP/1.1\r\nHost: x\r\n")
        // Trickle one header line every half second: progress must not extend the deadline.
        for index in 0..<3 {
            pipeline.channel.embeddedEventLoop.advanceTime(by: .milliseconds(500))
            pipeline.send("X-Slow-\(index): a\r\n")
        }
        #expect(pipeline.isOpen)
        pipeline.channel.embeddedEventLoop.advanceTime(by: .milliseconds(600))
        #expect(try pipeline.output().hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(!pipeline.isOpen)
    }

    @Test func silentNewConnectionIsClosedAfterHttpRequestTimeout() throws {
        let pipeline = try Self.pipeline(httpRequest: .seconds(2))
        pipeline.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1900))
        #expect(pipeline.isOpen)
        pipeline.channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!pipeline.isOpen)
        #expect(try pipeline.output().isEmpty)
    }

    @Test func idleKeepAliveConnectionIsClosedAfterKeepAliveTimeout() throws {
        let pipeline = try Self.pipeline(httpRequest: .seconds(2), keepAlive: .seconds(5))
        pipeline.send("GET /stats?json HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try pipeline.output().hasPrefix("HTTP/1.1 200 OK"))
        pipeline.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(pipeline.isOpen, "keep-alive allows 5 s of idleness, longer than http-request")
        pipeline.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1100))
        #expect(!pipeline.isOpen)
    }

    @Test func verdictFollowsTheRequestCycle() {
        var timeouts = TimeoutSettings()
        timeouts.httpRequest = .seconds(2)
        timeouts.httpKeepAlive = .seconds(10)
        timeouts.client = .seconds(3)
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let state = ClientConnectionState(now: start)
        #expect(ClientConnectionGuard.verdict(state: state, timeouts: timeouts, now: start) == .wait(until: start + .seconds(2)))
        state.exchangeStarted(expectingBody: true)
        #expect(ClientConnectionGuard.verdict(state: state, timeouts: timeouts, now: start + .seconds(4)) == .close)
        state.requestBodyFinished()
        #expect(ClientConnectionGuard.verdict(state: state, timeouts: timeouts, now: start + .seconds(4)) == .wait(until: start + .seconds(14)))
        state.exchangeEnded(now: start + .seconds(5))
        #expect(ClientConnectionGuard.verdict(state: state, timeouts: timeouts, now: start + .seconds(6)) == .wait(until: start + .seconds(15)))
        #expect(ClientConnectionGuard.verdict(state: state, timeouts: timeouts, now: start + .seconds(16)) == .close)
    }
}
