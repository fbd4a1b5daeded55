import Foundation

/// Private nginx instances on loopback, each answering `<name> <uri>` with `X-Backend-Server: <name>`.
///
/// Every instance has its own prefix directory (config, pid, logs) under a temporary directory, so
/// tests never touch the machine's nginx. `/health` answers the status set with `setHealth`.
final class NginxBackends: @unchecked Sendable {
    // Mutated only by the test that owns the fixture, one call at a time.
    struct Instance {
        let name: String
        let port: Int
        let directory: URL
        var healthStatus: Int
    }

    static let binary = "/usr/sbin/nginx"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    private(set) var instances: [Instance] = []
    let root: URL

    init(count: Int, namePrefix: String = "b") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("balancer-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for index in 1...count {
            let name = "\(namePrefix)\(index)"
            let directory = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
            let instance = Instance(name: name, port: try FreePort.find(), directory: directory, healthStatus: 200)
            try writeConfig(instance)
            try run([Self.binary, "-p", directory.path, "-c", directory.appendingPathComponent("nginx.conf").path])
            instances.append(instance)
        }
        for instance in instances { try FreePort.waitUntilListening(instance.port) }
    }

    var addresses: [String] { instances.map { "127.0.0.1:\($0.port)" } }
    var names: [String] { instances.map(\.name) }

    /// Makes `/health` of instance `index` answer `status` (nginx reloads gracefully).
    func setHealth(_ index: Int, status: Int) throws {
        instances[index].healthStatus = status
        try writeConfig(instances[index])
        try signal(index, "reload")
    }

    /// Kills instance `index` hard (master and worker), like a crashed process.
    func kill(_ index: Int) throws {
        let pidFile = instances[index].directory.appendingPathComponent("nginx.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        // The worker is a child of the master: kill the whole process group nginx leaves it in.
        try Subprocess.run(["/usr/bin/pkill", "-KILL", "-P", String(pid)])
        Foundation.kill(pid, SIGKILL)
    }

    /// Stops every instance and removes the directory.
    func stop() {
        for index in instances.indices {
            try? signal(index, "stop")
        }
        try? FileManager.default.removeItem(at: root)
    }

    private func signal(_ index: Int, _ command: String) throws {
        let directory = instances[index].directory
        try run([Self.binary, "-p", directory.path, "-c", directory.appendingPathComponent("nginx.conf").path, "-s", command])
    }

    private func writeConfig(_ instance: Instance) throws {
        let dir = instance.directory.path
        let config = """
            worker_processes 1;
            daemon on;
            pid \(dir)/nginx.pid;
            error_log \(dir)/logs/error.log;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path \(dir)/body; proxy_temp_path \(dir)/proxy;
              fastcgi_temp_path \(dir)/fastcgi; uwsgi_temp_path \(dir)/uwsgi; scgi_temp_path \(dir)/scgi;
              keepalive_requests 100000;
              server {
                listen 127.0.0.1:\(instance.port);
                location = /health { return \(instance.healthStatus) "health \(instance.name)\\n"; }
                location / {
                  add_header X-Backend-Server \(instance.name) always;
                  add_header X-Seen-Forwarded-For "$http_x_forwarded_for" always;
                  add_header X-Seen-Forwarded-Proto "$http_x_forwarded_proto" always;
                  return 200 "\(instance.name) $request_uri\\n";
                }
              }
            }
            """
        try config.write(to: instance.directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
    }

    private func run(_ arguments: [String]) throws {
        let status = try Subprocess.run(arguments)
        guard status == 0 else {
            throw FixtureError("'\(arguments.joined(separator: " "))' exited with \(status)")
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
