import Foundation
import Templating
import Yams

/// The VIM a `tacker_vim` task registers: from a descriptor file in the thesis's format (Annex E for
/// OpenStack, Annex F for Kubernetes), a clouds.yaml entry (`vim_cloud`), and inline arguments, which win.
struct VIMDescriptor: Sendable, Equatable {
    var type = "openstack"
    var authURL: String?
    var username: String?
    var password: String?
    var bearerToken: String?
    var sslCACert: String?
    var projectName: String?
    var userDomainName = "Default"
    var projectDomainName = "Default"
    var certVerify = true

    static func resolve(_ arguments: Arguments, environment: [String: String]) throws -> VIMDescriptor {
        var descriptor = VIMDescriptor()
        if let cloudName = arguments.string("vim_cloud") {
            let cloud = try CloudConfigLoader(environment: environment).resolve(
                arguments: ValueDictionary([("cloud", .string(cloudName))]))
            descriptor.authURL = cloud.auth["auth_url"]
            descriptor.username = cloud.auth["username"]
            descriptor.password = cloud.auth["password"]
            descriptor.projectName = cloud.auth["project_name"]
            descriptor.userDomainName = cloud.auth["user_domain_name"] ?? "Default"
            descriptor.projectDomainName = cloud.auth["project_domain_name"] ?? "Default"
            descriptor.certVerify = cloud.verify
        }
        if let file = arguments.string("config_file") {
            try descriptor.merge(file: (file as NSString).expandingTildeInPath)
        }
        if let type = arguments.string("type") { descriptor.type = type }
        if let value = arguments.string("auth_url") { descriptor.authURL = value }
        if let value = arguments.string("username") { descriptor.username = value }
        if let value = arguments.string("password") { descriptor.password = value }
        if let value = arguments.string("bearer_token") { descriptor.bearerToken = value }
        if let value = arguments.string("ssl_ca_cert") { descriptor.sslCACert = value }
        if let value = arguments.string("project_name") { descriptor.projectName = value }
        if let value = arguments.string("user_domain_name") { descriptor.userDomainName = value }
        if let value = arguments.string("project_domain_name") { descriptor.projectDomainName = value }
        if let value = arguments.bool("cert_verify") { descriptor.certVerify = value }
        guard descriptor.authURL != nil else {
            throw OpenStackModuleError("tacker_vim needs 'auth_url' (inline, in 'config_file' or through 'vim_cloud')")
        }
        if descriptor.type == "openstack", descriptor.username == nil || descriptor.password == nil {
            throw OpenStackModuleError("an OpenStack VIM needs 'username' and 'password'")
        }
        if descriptor.type == "kubernetes", descriptor.bearerToken == nil,
            descriptor.username == nil || descriptor.password == nil
        {
            throw OpenStackModuleError("a Kubernetes VIM needs 'bearer_token', or 'username' and 'password'")
        }
        return descriptor
    }

    /// Reads an Annex E/F descriptor; `cert_verify` is a string there (`'False'`) as Tacker's CLI takes it.
    private mutating func merge(file: String) throws {
        let contents: String
        do {
            contents = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw OpenStackModuleError("cannot read VIM descriptor '\(file)': \(error.localizedDescription)")
        }
        guard let mapping = try Yams.compose(yaml: contents)?.mapping else {
            throw OpenStackModuleError("\(file): a VIM descriptor must be a mapping")
        }
        func text(_ key: String) -> String? { mapping[key]?.string }
        if let value = text("type") { type = value }
        authURL = text("auth_url") ?? authURL
        username = text("username") ?? username
        password = text("password") ?? password
        bearerToken = text("bearer_token") ?? bearerToken
        sslCACert = text("ssl_ca_cert") ?? sslCACert
        projectName = text("project_name") ?? projectName
        let domain = text("domain_name")
        userDomainName = text("user_domain_name") ?? domain ?? userDomainName
        projectDomainName = text("project_domain_name") ?? domain ?? projectDomainName
        if let verify = text("cert_verify") { certVerify = ["true", "yes", "1"].contains(verify.lowercased()) }
    }

    /// The `auth_cred` Tacker stores (secrets included: this goes only into the request body).
    var authCred: ValueDictionary {
        var cred = ValueDictionary()
        if type == "kubernetes" {
            if let bearerToken { cred["bearer_token"] = .string(bearerToken) }
            if let username { cred["username"] = .string(username) }
            if let password { cred["password"] = .string(password) }
            if let sslCACert { cred["ssl_ca_cert"] = .string(sslCACert) }
        } else {
            cred["username"] = username.map(Value.string) ?? Value.none
            cred["password"] = password.map(Value.string) ?? Value.none
            cred["user_domain_name"] = .string(userDomainName)
            cred["cert_verify"] = .string(certVerify ? "True" : "False")
        }
        return cred
    }

    var vimProject: ValueDictionary {
        var project = ValueDictionary()
        project["name"] = .string(projectName ?? (type == "kubernetes" ? "default" : "admin"))
        if type == "openstack" { project["project_domain_name"] = .string(projectDomainName) }
        return project
    }
}
