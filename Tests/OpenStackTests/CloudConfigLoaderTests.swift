import Foundation
import Templating
import Testing

@testable import OpenStack

/// Cloud resolution against real files in a scratch directory laid out as openstacksdk searches them.
struct CloudConfigLoaderTests {
    /// A scratch tree: `cwd/`, `home/.config/openstack/`, `etc/`.
    final class Scratch {
        let root: String
        var cwd: String { root + "/cwd" }
        var home: String { root + "/home" }
        var site: String { root + "/etc" }

        init() throws {
            root = NSTemporaryDirectory() + "stackplay-cfg-" + UUID().uuidString
            for directory in [cwd, home + "/.config/openstack", site] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func write(_ path: String, _ text: String) throws {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        func loader(_ environment: [String: String] = [:]) -> CloudConfigLoader {
            CloudConfigLoader(environment: environment, currentDirectory: cwd, homeDirectory: home, siteDirectory: site)
        }
    }

    static let twoClouds = """
        clouds:
          devstack:
            auth:
              auth_url: http://10.0.0.1/identity
              username: demo
              project_name: demo
              user_domain_id: default
              project_domain_id: default
            region_name: RegionOne
          devstack-admin:
            auth:
              auth_url: http://10.0.0.1/identity
              username: admin
              password: secret
              project_name: admin
              domain_id: default
            interface: internal
            verify: false
            api_timeout: 30
        """

    @Test func namedCloudFromCurrentDirectoryWinsOverHome() throws {
        let scratch = try Scratch()
        try scratch.write(scratch.cwd + "/clouds.yaml", Self.twoClouds)
        try scratch.write(scratch.home + "/.config/openstack/clouds.yaml", "clouds: {devstack: {auth: {auth_url: http://other}}}")
        let config = try scratch.loader().resolve(arguments: ValueDictionary([("cloud", "devstack")]))
        #expect(config.name == "devstack")
        #expect(config.authURL == "http://10.0.0.1/identity")
        #expect(config.auth["username"] == "demo")
        #expect(config.regionName == "RegionOne")
        #expect(config.interface == "public")
        #expect(config.verify)
    }

    @Test func secureYamlMergesPasswordsAndDomainIDFillsBothDomains() throws {
        let scratch = try Scratch()
        try scratch.write(scratch.home + "/.config/openstack/clouds.yaml", Self.twoClouds)
        try scratch.write(scratch.site + "/secure.yaml", "clouds:\n  devstack:\n    auth:\n      password: from-secure\n")
        let demo = try scratch.loader().resolve(arguments: ValueDictionary([("cloud", "devstack")]))
        #expect(demo.auth["password"] == "from-secure")
        #expect(demo.auth["username"] == "demo")
        let admin = try scratch.loader().resolve(arguments: ValueDictionary([("cloud", "devstack-admin")]))
        #expect(admin.auth["user_domain_id"] == "default")
        #expect(admin.auth["project_domain_id"] == "default")
        #expect(admin.auth["domain_id"] == nil)
        #expect(admin.interface == "internal")
        #expect(!admin.verify)
        #expect(admin.apiTimeout == 30)
    }

    @Test func clientConfigFileVariableIsSearchedFirst() throws {
        let scratch = try Scratch()
        try scratch.write(scratch.cwd + "/clouds.yaml", Self.twoClouds)
        try scratch.write(scratch.root + "/elsewhere.yaml", "clouds: {devstack: {auth: {auth_url: http://override/v3, username: x, password: y}}}")
        let config = try scratch.loader(["OS_CLIENT_CONFIG_FILE": scratch.root + "/elsewhere.yaml"])
            .resolve(arguments: ValueDictionary([("cloud", "devstack")]))
        #expect(config.authURL == "http://override/v3")
    }

    @Test func osCloudSelectsTheDefaultCloud() throws {
        let scratch = try Scratch()
        try scratch.write(scratch.cwd + "/clouds.yaml", Self.twoClouds)
        let config = try scratch.loader(["OS_CLOUD": "devstack-admin"]).resolve(arguments: ValueDictionary())
        #expect(config.name == "devstack-admin")
        #expect(config.auth["username"] == "admin")
    }

    @Test func devstackOpenrcVariablesFormTheEnvvarsCloud() throws {
        let scratch = try Scratch()
        let openrc = [
            "OS_AUTH_URL": "http://10.0.0.1/identity", "OS_USERNAME": "admin", "OS_PASSWORD": "pw",
            "OS_PROJECT_NAME": "admin", "OS_USER_DOMAIN_ID": "default", "OS_PROJECT_DOMAIN_ID": "default",
            "OS_REGION_NAME": "RegionOne", "OS_AUTH_TYPE": "password", "OS_IDENTITY_API_VERSION": "3",
        ]
        let config = try scratch.loader(openrc).resolve(arguments: ValueDictionary())
        #expect(config.name == "envvars")
        #expect(config.authType == "password")
        #expect(config.auth["username"] == "admin")
        #expect(config.auth["password"] == "pw")
        #expect(config.auth["project_domain_id"] == "default")
        #expect(config.regionName == "RegionOne")
    }

    @Test func selectorVariablesAloneDoNotMakeAnEnvvarsCloud() throws {
        let scratch = try Scratch()
        try scratch.write(scratch.cwd + "/clouds.yaml", "clouds:\n  only:\n    auth: {auth_url: http://x/v3, username: u, password: p}\n")
        let config = try scratch.loader(["OS_REGION_NAME": "RegionTwo"]).resolve(arguments: ValueDictionary())
        #expect(config.name == "only")
    }

    @Test func moduleArgumentsOverrideTheCloudAndMergeAuth() throws {
        let scratch = try Scratch()
        try scratch.write(scratch.cwd + "/clouds.yaml", Self.twoClouds)
        var arguments = ValueDictionary()
        arguments["cloud"] = "devstack"
        arguments["auth"] = .object(["password": "from-task", "project_name": "alt_demo"])
        arguments["region_name"] = "RegionTwo"
        arguments["interface"] = "admin"
        arguments["validate_certs"] = false
        arguments["api_timeout"] = 12
        let config = try scratch.loader().resolve(arguments: arguments)
        #expect(config.auth["password"] == "from-task")
        #expect(config.auth["project_name"] == "alt_demo")
        #expect(config.auth["username"] == "demo")
        #expect(config.regionName == "RegionTwo")
        #expect(config.interface == "admin")
        #expect(!config.verify)
        #expect(config.apiTimeout == 12)
    }

    @Test func cloudGivenAsADictionaryIgnoresFiles() throws {
        let scratch = try Scratch()
        try scratch.write(scratch.cwd + "/clouds.yaml", Self.twoClouds)
        let inline: Value = .object([
            "auth_type": "v3applicationcredential",
            "auth": .object([
                "auth_url": "http://keystone/v3", "application_credential_id": "abc", "application_credential_secret": "s",
            ]),
        ])
        let config = try scratch.loader().resolve(arguments: ValueDictionary([("cloud", inline)]))
        #expect(config.authType == "v3applicationcredential")
        #expect(config.auth["application_credential_id"] == "abc")
        let body = try KeystoneToken.requestBody(for: config)
        let identity = body.dictionary?["auth"]?.dictionary?["identity"]?.dictionary
        #expect(identity?["methods"] == ["application_credential"])
        #expect(body.dictionary?["auth"]?.dictionary?["scope"] == nil)
    }

    @Test func tokenAuthBuildsATokenRequestScopedToTheProject() throws {
        let config = try CloudConfigLoaderTests.Scratch().loader([
            "OS_AUTH_URL": "http://k/v3", "OS_AUTH_TYPE": "token", "OS_TOKEN": "tok", "OS_PROJECT_ID": "p1",
        ]).resolve(arguments: ValueDictionary())
        let body = try KeystoneToken.requestBody(for: config)
        let auth = body.dictionary?["auth"]?.dictionary
        #expect(auth?["identity"]?.dictionary?["token"]?.dictionary?["id"] == "tok")
        #expect(auth?["scope"]?.dictionary?["project"]?.dictionary?["id"] == "p1")
    }

    @Test func unknownCloudNamesTheKnownOnes() throws {
        let scratch = try Scratch()
        try scratch.write(scratch.cwd + "/clouds.yaml", Self.twoClouds)
        #expect {
            try scratch.loader().resolve(arguments: ValueDictionary([("cloud", "nope")]))
        } throws: { error in
            guard let error = error as? CloudConfigError else { return false }
            return error.message == "cloud 'nope' was not found" && error.notes.contains { $0.contains("devstack, devstack-admin") }
        }
    }

    @Test func missingAuthURLIsAConfigError() throws {
        let scratch = try Scratch()
        #expect(throws: CloudConfigError.self) {
            try scratch.loader().resolve(arguments: ValueDictionary())
        }
    }
}

/// TLS settings URLSession on Linux cannot honour are refused, never ignored.
struct TLSSettingsTests {
    @Test func customTLSOnHTTPSCloudsIsRefusedAndPlainHTTPIsFine() throws {
        var config = CloudConfig(name: "tls", auth: ["auth_url": "https://keystone.example/v3"], verify: false)
        #expect(throws: CloudConfigError.self) { try CloudSession.checkTLSSupport(config) }
        config.verify = true
        try CloudSession.checkTLSSupport(config)
        config.clientCert = "/etc/ssl/client.pem"
        #expect(throws: CloudConfigError.self) { try CloudSession.checkTLSSupport(config) }
        config.clientCert = nil
        config.caCert = "/nonexistent/private-ca.pem"
        #expect(throws: CloudConfigError.self) { try CloudSession.checkTLSSupport(config) }
        config.auth["auth_url"] = "http://127.0.0.1:5000"
        try CloudSession.checkTLSSupport(config)
    }

    /// DevStack's case: clouds.yaml names a CA bundle whose certificates the system store holds.
    @Test func caCertIsAcceptedOnlyWhenTheSystemStoreHoldsEveryCertificate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stackplay-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func pem(_ body: String) -> String { "-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n" }
        let ours = pem("MIIBszCCAVmgAwIBAgIUQUJD\nREVGR0hJSktMTU5PUFFSU1RV"), theirs = pem("MIIBtDCCAVqgAwIBAgIUWFla")
        let bundle = directory.appendingPathComponent("ca-certificates.crt").path
        try (ours.replacingOccurrences(of: "\n", with: "\r\n") + "junk between certificates\n").write(
            toFile: bundle, atomically: true, encoding: .utf8)
        let trusted = directory.appendingPathComponent("devstack-ca.pem").path
        try ("subject=CN=DevStack\n" + ours).write(toFile: trusted, atomically: true, encoding: .utf8)
        let mixed = directory.appendingPathComponent("mixed.pem").path
        try (ours + theirs).write(toFile: mixed, atomically: true, encoding: .utf8)
        let empty = directory.appendingPathComponent("empty.pem").path
        try "no certificates here\n".write(toFile: empty, atomically: true, encoding: .utf8)

        var config = CloudConfig(name: "tls", auth: ["auth_url": "https://keystone.example/v3"])
        config.caCert = trusted
        try CloudSession.checkTLSSupport(config, systemBundle: bundle)
        for refused in [mixed, empty] {
            config.caCert = refused
            #expect(throws: CloudConfigError.self) { try CloudSession.checkTLSSupport(config, systemBundle: bundle) }
        }
    }
}
