import Foundation

/// Names below `localhost` (`acme.localhost`) are loopback names (RFC 6761 §6.3), which curl and browsers resolve
/// to the loopback address but the system resolver often does not. Custos's clients connect to `127.0.0.1` for
/// them and keep the name in the `Host` header, which is what a pooled gateway routes by.
public enum LoopbackName {
    /// The URL to connect to and the `Host` header to send, when `url`'s host is below `localhost`; nil otherwise.
    public static func rewrite(_ url: URL) -> (url: URL, host: String)? {
        guard let name = url.host?.lowercased(), name.hasSuffix(".localhost"),
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        else { return nil }
        components.host = "127.0.0.1"
        guard let rewritten = components.url else { return nil }
        return (rewritten, url.port.map { "\(name):\($0)" } ?? name)
    }

    /// ``rewrite(_:)`` for a URL string.
    public static func rewrite(_ url: String) -> (url: String, host: String)? {
        guard let parsed = URL(string: url), let (rewritten, host) = rewrite(parsed) else { return nil }
        return (rewritten.absoluteString, host)
    }
}
