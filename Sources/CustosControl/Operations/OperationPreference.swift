import CustosCore

/// How long a mutating admin call waits for its operation, from its `Prefer` header (RFC 7240): `respond-async`
/// not at all, `wait=N` up to N seconds (at most ``maximum``), otherwise ``standard``.
struct OperationPreference: Sendable, Equatable {
    static let standard: Duration = .seconds(30)
    static let maximum: Duration = .seconds(60)

    var wait: Duration

    init(prefer header: String?) {
        wait = Self.standard
        guard let header else { return }
        for preference in header.split(separator: ",") {
            let token = preference.split(separator: ";").first?.trimmingPrefix(" ") ?? ""
            let parts = token.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " \"") }
            switch parts.first?.lowercased() {
            case "respond-async": wait = .zero
            case "wait":
                if parts.count == 2, let seconds = Int(parts[1]), seconds >= 0 {
                    wait = min(.seconds(seconds), Self.maximum)
                }
            default: continue
            }
        }
    }

    /// The idempotency key, checked: 1 to 255 visible ASCII characters.
    static func idempotencyKey(_ raw: String?) throws(RequestError) -> String? {
        guard let raw else { return nil }
        guard (1...255).contains(raw.utf8.count), raw.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            throw RequestError(
                .invalidInput, "Idempotency-Key must be 1 to 255 visible ASCII characters, without spaces")
        }
        return raw
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
