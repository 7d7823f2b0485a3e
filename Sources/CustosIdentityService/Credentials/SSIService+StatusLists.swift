import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation

extension SSIService {
    /// Bits per list: the Bitstring Status List minimum, which gives holders herd privacy.
    static let statusListCapacity = BitstringStatusList.minimumBitCount
    /// How long verifiers may cache a status list credential, in milliseconds.
    static let statusListTTL = 60_000

    /// The public URL of a status list: under the tenant's gateway, readable without a key.
    static func statusListURL(gatewayURL: String, list: String, purpose: StatusPurpose) -> String {
        "\(gatewayURL)/status/v1/lists/\(list)/\(purpose.rawValue)"
    }

    /// A new list id: random, so ids say nothing about a tenant's volume.
    static func newStatusListID() -> String { "sl" + Hex.encode(SecureRandom.bytes(count: 12)) }

    /// The signed status list credential of `list` for `purpose` as of now, with the URL it is published at.
    ///
    /// Built from the credentials table and kept for a second (``SSICaches``); a revocation here drops it, so it
    /// shows at once.
    func statusListCredential(_ list: String, purpose: StatusPurpose) async throws -> (JSONValue, String) {
        try await caches.value(\.statusLists, list + "/" + purpose.rawValue, lifetime: SSICaches.statusListLifetime) {
            try await signedStatusList(list, purpose: purpose)
        }
    }

    private func signedStatusList(_ list: String, purpose: StatusPurpose) async throws -> (JSONValue, String) {
        let (issued, url) = try await issuedStatusList(list, purpose: purpose)
        guard let tenant = try await store.statusList(list)?.tenant else {
            throw RequestError(.notFound, "no status list \(list) for \(purpose.rawValue)")
        }
        let draft = try BitstringStatusListCredential.draft(
            id: url, issuer: issued.issuer, purpose: purpose, list: issued.list, ttl: Self.statusListTTL)
        let signer = try await trustRootSigner(try await self.tenant(tenant))
        return (try VerifiableCredential.issue(draft, signer: signer, created: now()), url)
    }

    /// The bits of `list` for `purpose` as of now, with the URL they are published at; kept for a second like
    /// the signed list, so checking a credential of this platform decodes and verifies no list.
    func issuedStatusList(_ list: String, purpose: StatusPurpose) async throws -> (IssuedStatusList, String) {
        try await caches.value(\.issuedLists, list + "/" + purpose.rawValue, lifetime: SSICaches.statusListLifetime) {
            guard purpose == .revocation || purpose == .suspension,
                let (tenant, capacity) = try await store.statusList(list)
            else { throw RequestError(.notFound, "no status list \(list) for \(purpose.rawValue)") }
            let row = try await self.tenant(tenant)
            var bits = try BitstringStatusList(bitCount: capacity)
            for index in try await store.setIndices(list: list, suspension: purpose == .suspension) {
                try bits.set(index)
            }
            let url = Self.statusListURL(gatewayURL: row.gatewayURL, list: list, purpose: purpose)
            return (IssuedStatusList(issuer: try DID(row.trustRoot), purpose: purpose, list: bits), url)
        }
    }

    /// The revocation and suspension entries of a credential at `index` of `list`.
    static func statusEntries(gatewayURL: String, list: String, index: Int) -> [JSONValue] {
        [StatusPurpose.revocation, .suspension].map { purpose in
            BitstringStatusListEntry(
                statusListCredential: statusListURL(gatewayURL: gatewayURL, list: list, purpose: purpose),
                index: index, purpose: purpose
            ).json
        }
    }
}
