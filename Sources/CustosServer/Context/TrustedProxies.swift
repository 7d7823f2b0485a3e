import CustosCore
import Foundation

/// The networks whose connections may name the client in `X-Forwarded-For`: an ingress controller or load balancer
/// in front of a process, which would otherwise be the only client address the process ever sees.
///
/// The client is the nearest address that is not a trusted proxy, read from the right of the header: a proxy
/// appends the address it received the request from, and whatever a client put in front of that is its own claim.
/// Only a connection from a trusted proxy is read at all; from anywhere else the header is ignored.
public struct TrustedProxies: Sendable, Equatable {
    /// One network, as address bytes (4 or 16) and a prefix length.
    struct Network: Sendable, Equatable {
        let address: [UInt8]
        let prefix: Int

        func contains(_ bytes: [UInt8]) -> Bool {
            guard bytes.count == address.count else { return false }
            var remaining = prefix
            for (index, byte) in address.enumerated() where remaining > 0 {
                let bits = min(remaining, 8)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if byte & mask != bytes[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    let networks: [Network]

    /// No proxy is trusted: the client is always the connection's peer.
    public static let none = TrustedProxies(networks: [])

    private init(networks: [Network]) { self.networks = networks }

    /// Parses networks such as `10.0.0.0/8`, `fd00::/8` or a single address (`192.0.2.7`, all bits).
    public init(_ cidrs: [String]) throws(RequestError) {
        var networks: [Network] = []
        for cidr in cidrs {
            let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let address = Self.bytes(of: String(parts[0])) else {
                throw RequestError(.invalidInput, "\(cidr) is not an IP network such as 10.0.0.0/8 or fd00::/8")
            }
            let maximum = address.count * 8
            let prefix = parts.count == 2 ? Int(parts[1]) : maximum
            guard let prefix, (0...maximum).contains(prefix), parts.count == 1 || parts[1].allSatisfy(\.isNumber)
            else {
                throw RequestError(.invalidInput, "\(cidr): the prefix length must be 0 to \(maximum)")
            }
            networks.append(Network(address: address, prefix: prefix))
        }
        self.networks = networks
    }

    /// Whether `address` (textual IPv4 or IPv6) is in a trusted network.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client of a request that came from `peer` with `forwardedFor` (the `X-Forwarded-For` values, joined
    /// or as they came): the peer itself unless it is trusted; otherwise the rightmost listed address that is
    /// not trusted, the leftmost one when all are, or the peer when the list is empty or holds something that is
    /// not an address (nothing beyond it can be believed).
    public func client(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, !networks.isEmpty, contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var client = peer
        for hop in hops.reversed() {
            guard Self.bytes(of: hop) != nil else { return client }
            client = hop
            if !contains(hop) { return hop }
        }
        return client
    }

    /// The 4 or 16 bytes of a textual IPv4 or IPv6 address, or nil.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
