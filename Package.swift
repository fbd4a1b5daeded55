// swift-tools-version:6.0
import PackageDescription

// Layers, bottom to top (each target depends only downward):
//   Diagnostics → Templating → PlaybookCore / ModuleAPI → BuiltinModules, SSHTransport → Engine → StackplayCLI → stackplay
// The balancer is independent of all of them and is the only target that links SwiftNIO.
let package = Package(
    name: "stackplay",
    products: [
        .executable(name: "stackplay", targets: ["stackplay"]),
        .executable(name: "stackplay-balancer", targets: ["stackplay-balancer"]),
        .library(name: "Templating", targets: ["Templating"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Source locations and located error rendering, shared by every layer.
        .target(name: "Diagnostics"),
        // Jinja2-compatible template engine and the typed value model; knows nothing of playbooks.
        .target(
            name: "Templating",
            dependencies: ["Diagnostics", "Yams", .product(name: "Crypto", package: "swift-crypto")]),
        // YAML loading with locations, the playbook model, inventory, config, vault. No I/O beyond reading files.
        .target(
            name: "PlaybookCore",
            dependencies: [
                "Diagnostics", "Templating", "ModuleAPI", "Yams",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        // The module protocol, argument specs, results and the Connection abstraction.
        .target(name: "ModuleAPI", dependencies: ["Diagnostics", "Templating"]),
        // Connection-agnostic core modules (command, copy, template, file, …).
        .target(
            name: "BuiltinModules",
            dependencies: ["ModuleAPI", "Templating", .product(name: "Crypto", package: "swift-crypto")]),
        // libssh, found through pkg-config (Debian: libssh-dev).
        .systemLibrary(name: "CLibSSH", pkgConfig: "libssh", providers: [.apt(["libssh-dev"])]),
        // One libssh session per host on its own thread, exposed as a ModuleAPI Connection.
        .target(name: "SSHTransport", dependencies: ["CLibSSH", "ModuleAPI", "Diagnostics", "Templating"]),
        // Keystone/Neutron/Nova/Glance client over URLSession (libcurl), cloud config, openstack.cloud modules.
        .target(
            name: "OpenStack",
            dependencies: ["Diagnostics", "ModuleAPI", "Templating", "Yams", .product(name: "Crypto", package: "swift-crypto")]),
        // Variables, strategies, handlers, task execution and output callbacks.
        .target(
            name: "Engine",
            dependencies: [
                "PlaybookCore", "ModuleAPI", "BuiltinModules", "SSHTransport", "OpenStack", "Templating",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The ansible-playbook-compatible command line, as a library so it can be tested.
        .target(
            name: "StackplayCLI",
            dependencies: [
                "Engine", "SSHTransport", "OpenStack",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "stackplay", dependencies: ["StackplayCLI"]),
        // The SwiftNIO HTTP load balancer.
        .target(
            name: "Balancer",
            dependencies: [
                "Yams",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "stackplay-balancer",
            dependencies: ["Balancer", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Templating benchmark against Python Jinja2 (Benchmarks/templating/run.sh).
        .executableTarget(
            name: "TemplatingBenchmark", dependencies: ["Templating"], path: "Benchmarks/templating/Sources/TemplatingBenchmark"),

        // Test helpers shared by several test targets (a scratch directory).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TemplatingTests", dependencies: ["Templating"], resources: [.copy("Conformance")]),
        .testTarget(
            name: "PlaybookCoreTests",
            dependencies: ["PlaybookCore", "ModuleAPI", "Templating", "Diagnostics", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "BuiltinModulesTests", dependencies: ["BuiltinModules"]),
        .testTarget(name: "SSHTransportTests", dependencies: ["SSHTransport", "ModuleAPI", "Templating"]),
        .testTarget(name: "OpenStackTests", dependencies: ["OpenStack", "Yams"], exclude: ["Faults"], resources: [.copy("Recorded")]),
        .testTarget(
            name: "EngineTests", dependencies: ["Engine", "StackplayCLI", "TestSupport"], exclude: ["Corpus", "BadInput"]),
        // Runs the built `stackplay` (and the balancer it deploys) against the test bed; `swift test`
        // builds every product first, so the binaries sit beside the test bundle.
        .testTarget(name: "IntegrationTests", exclude: ["ModuleDefaults", "RemoteState", "VIMState"]),
        .testTarget(
            name: "BalancerTests",
            dependencies: [
                "Balancer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]),
    ]
)
