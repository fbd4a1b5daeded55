// Renders the haproxy.cfg (50 backends, ACLs, stats) and nginx site templates N times each:
// compile once + render many, and compile + render every time. Prints one JSON line of timings.
// Usage: TemplatingBenchmark <dir with templates/ and vars.json> [iterations] [render-only]
// (`render-only` skips the compile + render mode, for profiling the renderer alone.)
import Foundation
import Templating

let arguments = CommandLine.arguments
let directory = arguments.count > 1 ? arguments[1] : "Benchmarks/templating"
let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 10_000 : 10_000
let renderOnly = arguments.count > 3 && arguments[3] == "render-only"

func read(_ name: String) throws -> String {
    try String(contentsOfFile: (directory as NSString).appendingPathComponent(name), encoding: .utf8)
}

let variables = try Value(json: read("vars.json"))
var scopeVariables: [String: Value] = [:]
for (key, value) in variables.dictionary ?? ValueDictionary() { scopeVariables[key.string ?? ""] = value }
let scope = DictionaryScope(scopeVariables)
let templates = [("haproxy", try read("templates/haproxy.cfg.j2")), ("nginx", try read("templates/nginx-site.j2"))]

/// CPU time of this process: the machine is shared, so wall-clock time would measure the neighbours.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func measure(_ body: () throws -> Int) rethrows -> (seconds: Double, bytes: Int) {
    let start = cpuSeconds()
    let bytes = try body()
    return (cpuSeconds() - start, bytes)
}

if arguments.count > 2 && arguments[2] == "print" {
    // Prints the renderings, to compare them with Jinja2's.
    for (name, source) in templates { print(try TemplateEngine().render(source, name: name, scope: scope), terminator: "") }
    exit(0)
}

var results: [String] = []
for (name, source) in templates {
    let engine = TemplateEngine()
    _ = try engine.render(source, name: name, scope: scope)
    let cached = try measure {
        var bytes = 0
        for _ in 0..<iterations { bytes += try engine.render(source, name: name, scope: scope).utf8.count }
        return bytes
    }
    let uncached = try measure {
        var bytes = 0
        for _ in 0..<(renderOnly ? 0 : iterations) {
            // A fresh engine has an empty cache: every render compiles the template first.
            bytes += try TemplateEngine().render(source, name: name, scope: scope).utf8.count
        }
        return bytes
    }
    results.append(
        "\"\(name)\": {\"render\": \(cached.seconds), \"compile_render\": \(uncached.seconds), \"bytes\": \(cached.bytes / iterations)}")
}
print("{\"iterations\": \(iterations), " + results.joined(separator: ", ") + "}")
