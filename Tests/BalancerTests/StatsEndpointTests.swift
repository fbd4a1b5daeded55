import Foundation
import Testing

@testable import Balancer

@Suite struct StatsEndpointTests {
    @Test func servesJSONWithPerServerState() throws {
        let pipeline = try EmbeddedClientPipeline()
        pipeline.send("GET /stats?json HTTP/1.1\r\nHost: x\r\n\r\n")
        let output = try pipeline.output()
        #expect(output.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(output.lowercased().contains("content-type: application/json"))
        let body = try #require(output.range(of: "\r\n\r\n").map { String(output[$0.upperBound...]) })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let backends = try #require(json["backends"] as? [[String: Any]])
        let servers = try #require(backends.first?["servers"] as? [[String: Any]])
        #expect(servers.first?["name"] as? String == "s1")
        #expect(servers.first?["state"] as? String == "UP")
        #expect(servers.first?["address"] as? String == "127.0.0.1:9")
        for key in ["active", "requests", "connect_errors", "response_errors", "retries", "redispatches", "check"] {
            #expect(servers.first?[key] != nil, "missing \(key)")
        }
        let frontends = try #require(json["frontends"] as? [[String: Any]])
        #expect(frontends.first?["requests"] as? Int == 1)
        #expect(pipeline.isOpen, "stats keep the connection alive")
    }

    @Test func servesHTMLByDefault() throws {
        let pipeline = try EmbeddedClientPipeline()
        pipeline.send("GET /stats HTTP/1.1\r\nHost: x\r\n\r\n")
        let output = try pipeline.output()
        #expect(output.contains("content-type: text/html"))
        #expect(output.contains("<td>s1</td>"))
        #expect(output.contains("class=\"UP\""))
    }
}
