import CustosServer
import Testing

@Suite("Trusted proxies and X-Forwarded-For")
struct TrustedProxiesTests {
    let proxies = try! TrustedProxies(["10.0.0.0/8", "fd00::/8", "192.0.2.7"])

    @Test("networks contain exactly their addresses, IPv4 and IPv6, at the prefix boundary")
    func membership() throws {
        #expect(proxies.contains("10.0.0.1"))
        #expect(proxies.contains("10.255.255.255"))
        #expect(!proxies.contains("11.0.0.0"))
        #expect(!proxies.contains("9.255.255.255"))
        #expect(proxies.contains("192.0.2.7"))
        #expect(!proxies.contains("192.0.2.8"))
        #expect(proxies.contains("fd12:3456::1"))
        #expect(!proxies.contains("fe80::1"))
        #expect(!proxies.contains("not an address"))
        let narrow = try TrustedProxies(["172.16.0.0/12"])
        #expect(narrow.contains("172.31.255.255"))
        #expect(!narrow.contains("172.32.0.0"))
        #expect(try TrustedProxies(["0.0.0.0/0"]).contains("203.0.113.9"))
    }

    @Test("a header from a peer that is not a trusted proxy is ignored, whatever it claims")
    func untrustedPeer() {
        #expect(proxies.client(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"]) == "203.0.113.9")
        #expect(TrustedProxies.none.client(peer: "10.0.0.1", forwardedFor: ["198.51.100.1"]) == "10.0.0.1")
        #expect(proxies.client(peer: nil, forwardedFor: ["198.51.100.1"]) == nil)
    }

    @Test("through trusted proxies the client is the rightmost untrusted hop: what a client prepends is its own claim")
    func rightmostUntrusted() {
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
        // A client that sends its own X-Forwarded-For cannot choose its address: the proxy appended the real one.
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["1.1.1.1, 198.51.100.1"]) == "198.51.100.1")
        #expect(
            proxies.client(peer: "10.1.2.3", forwardedFor: ["1.1.1.1", "198.51.100.1, 10.9.9.9"]) == "198.51.100.1")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["2001:db8::5"]) == "2001:db8::5")
        // Only proxies: the leftmost; nothing listed, or garbage before any untrusted hop: the last believable one.
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["10.7.7.7, 10.8.8.8"]) == "10.7.7.7")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: []) == "10.1.2.3")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["1.1.1.1, bogus, 10.8.8.8"]) == "10.8.8.8")
    }

    @Test("networks that are not networks are refused with a reason")
    func refusals() {
        for bad in [
            "10.0.0.0/33", "fd00::/129", "10.0.0/8", "10.0.0.0/-1", "10.0.0.0/8/8", "", "example.com", "10.0.0.0/ 8",
        ] {
            #expect(throws: (any Error).self, "\(bad)") { try TrustedProxies([bad]) }
        }
    }
}
