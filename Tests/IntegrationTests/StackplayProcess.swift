import Foundation

/// The built `stackplay` and `stackplay-balancer` binaries and a way to run them as a user would.
enum StackplayBinaries {
    /// The package root, from this file's place in `Tests/IntegrationTests/`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The build products directory: `$STACKPLAY_BIN_DIR`, else the directory holding the test
    /// bundle (SwiftPM puts it beside the executables), else `swift build --show-bin-path`.
    static let binDirectory: URL? = {
        let fileManager = FileManager.default
        func holdsStackplay(_ directory: URL) -> Bool {
            fileManager.isExecutableFile(atPath: directory.appendingPathComponent("stackplay").path)
        }
        if let explicit = ProcessInfo.processInfo.environment["STACKPLAY_BIN_DIR"] {
            return URL(fileURLWithPath: explicit)
        }
        var candidates: [URL] = []
        for start in [Bundle.main.bundleURL, Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
            // The bundle is `<bin>/stackplayPackageTests.xctest` (a file on Linux, a directory
            // elsewhere, with the executable deeper inside): walk up until stackplay appears.
            var directory = start?.deletingLastPathComponent()
            for _ in 0..<4 {
                guard let current = directory else { break }
                candidates.append(current)
                directory = current.deletingLastPathComponent()
            }
        }
        if let found = candidates.first(where: holdsStackplay) { return found }
        guard let shown = try? ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["swift", "build", "--show-bin-path"], in: packageRoot)
        else { return nil }
        let path = shown.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : URL(fileURLWithPath: path)
    }()

    static var stackplay: URL? {
        binDirectory.map { $0.appendingPathComponent("stackplay") }
    }

    /// The balancer binary the `balancer` role copies: the role's own `files/stackplay-balancer`
    /// when someone put the release build there, else the one built beside stackplay.
    static var balancerBinary: URL? {
        let roleCopy = packageRoot.appendingPathComponent("Roles/balancer/files/stackplay-balancer")
        if FileManager.default.isExecutableFile(atPath: roleCopy.path) { return roleCopy }
        guard let built = binDirectory?.appendingPathComponent("stackplay-balancer"),
            FileManager.default.isExecutableFile(atPath: built.path)
        else { return nil }
        return built
    }
}

/// What one process printed and how it ended.
struct ProcessOutcome {
    var status: Int32
    var output: String
}

enum ProcessRunner {
    /// Runs `executable` with `arguments` to completion, stdout and stderr merged.
    static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> ProcessOutcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read before waiting: a full pipe would otherwise block the child forever.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessOutcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
