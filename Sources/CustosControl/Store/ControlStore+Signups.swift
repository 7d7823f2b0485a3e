import CustosCore
import PostgresNIO

extension ControlStore {
    /// What counting a signup found.
    enum SignupCount: Sendable, Equatable {
        /// Counted: the signup may go ahead.
        case admitted
        /// The address has had its signups of the window; a place frees in `retryAfter` seconds.
        case addressFull(retryAfter: Int)
        /// The platform has had its signups of the window; a place frees in `retryAfter` seconds.
        case platformFull(retryAfter: Int)
    }

    /// Counts a signup from `address` in `control.signups`, or says which bound it met: at most `perAddress`
    /// from the address and `perPlatform` in all within the last `window` (by the database's clock, which every
    /// replica shares). One transaction-scoped advisory lock serialises the counting of every control plane, so
    /// two concurrent signups never both take the last place; rows older than the window are removed on the way.
    func countSignup(address: String, perAddress: Int, perPlatform: Int, window: Duration) async throws
        -> SignupCount
    {
        let seconds = Double(window.components.seconds)
        return try await database.run {
            try await client.transaction(logger: logger) { connection in
                _ = try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtext('control.signups'))", logger: logger)
                _ = try await connection.query(
                    "DELETE FROM control.signups WHERE at <= now() - make_interval(secs => \(seconds))",
                    logger: logger)
                // The n-th newest signup (of the address, of the platform) is the one whose place frees first.
                let rows = try await connection.query(
                    """
                    SELECT
                      (SELECT ceil(extract(epoch FROM at + make_interval(secs => \(seconds)) - now()))::bigint
                         FROM control.signups WHERE address = \(address)
                         ORDER BY at DESC OFFSET \(perAddress - 1) LIMIT 1),
                      (SELECT ceil(extract(epoch FROM at + make_interval(secs => \(seconds)) - now()))::bigint
                         FROM control.signups ORDER BY at DESC OFFSET \(perPlatform - 1) LIMIT 1)
                    """, logger: logger)
                var full: (address: Int64?, platform: Int64?) = (nil, nil)
                for try await row in rows.decode((Int64?, Int64?).self) { full = row }
                if let wait = full.address { return .addressFull(retryAfter: max(1, Int(wait))) }
                if let wait = full.platform { return .platformFull(retryAfter: max(1, Int(wait))) }
                _ = try await connection.query(
                    "INSERT INTO control.signups (address) VALUES (\(address))", logger: logger)
                return .admitted
            }
        }
    }
}
