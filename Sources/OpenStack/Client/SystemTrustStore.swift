import Foundation

/// The certificates URLSession on Linux trusts: libcurl verifies against Debian's bundle, which
/// `update-ca-certificates` writes, and cannot be pointed at another file per request.
///
/// A cloud's `ca_cert` can still be honoured when every certificate in it is already in that bundle:
/// verification then accepts the servers the file vouches for. That is the usual case on DevStack with
/// TLS, whose `tls-proxy` installs its CA into the system store and writes the same CA to clouds.yaml.
enum SystemTrustStore {
    static let bundlePath = "/etc/ssl/certs/ca-certificates.crt"

    /// The DER bodies (base64, whitespace removed) of the PEM certificates in `text`.
    static func certificates(inPEM text: String) -> Set<String> {
        var found: Set<String> = []
        var body: String?
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "-----BEGIN CERTIFICATE-----" {
                body = ""
            } else if trimmed == "-----END CERTIFICATE-----" {
                if let body, !body.isEmpty { found.insert(body) }
                body = nil
            } else if body != nil {
                body? += trimmed
            }
        }
        return found
    }

    /// How many certificates the PEM file at `path` holds, and how many of them `bundle` lacks.
    static func coverage(of path: String, bundle: String = bundlePath) throws -> (total: Int, missing: Int) {
        let wanted = certificates(inPEM: try String(contentsOfFile: path, encoding: .utf8))
        let trusted = certificates(inPEM: (try? String(contentsOfFile: bundle, encoding: .utf8)) ?? "")
        return (wanted.count, wanted.subtracting(trusted).count)
    }
}
