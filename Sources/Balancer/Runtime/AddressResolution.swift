import NIOCore

extension BalancerConfiguration {
    /// Resolves every server's host (IP literals, /etc/hosts names, DNS) once, at load time.
    ///
    /// Returns the addresses per backend in server order, or a located error naming the server.
    func resolveServerAddresses(source: String) throws(ConfigurationError) -> [String: [SocketAddress]] {
        var result: [String: [SocketAddress]] = [:]
        for backend in backends {
            var addresses: [SocketAddress] = []
            for server in backend.servers {
                do {
                    addresses.append(try SocketAddress.makeAddressResolvingHost(server.host, port: server.port))
                } catch {
                    throw ConfigurationError(
                        file: source,
                        message: "cannot resolve server '\(server.name)' address '\(server.addressDescription)'")
                }
            }
            result[backend.name] = addresses
        }
        return result
    }
}
