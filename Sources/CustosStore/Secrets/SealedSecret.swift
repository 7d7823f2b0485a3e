import CustosCore
import CustosCrypto

/// Envelope encryption of secrets at rest (DESIGN §3): XChaCha20-Poly1305 with associated data that binds
/// the ciphertext to its tenant and row, so a sealed value copied to another row or tenant does not open.
public enum SealedSecret {
    /// Associated data for a secret: `custos/v1/<purpose>/<tenant>/<row>`.
    public static func context(purpose: String, tenant: TenantID, row: String) -> [UInt8] {
        Array("custos/v1/\(purpose)/\(tenant.rawValue)/\(row)".utf8)
    }

    /// Seals a tenant's data key under the master key.
    public static func sealDataKey(_ dataKey: SymmetricKey, tenant: TenantID, component: String, master: MasterKey)
        throws -> [UInt8]
    {
        try XChaCha20Poly1305.seal(
            dataKey.rawRepresentation, using: master.key,
            authenticating: context(purpose: "data-key", tenant: tenant, row: component))
    }

    /// Opens a tenant's data key.
    public static func openDataKey(_ sealed: [UInt8], tenant: TenantID, component: String, master: MasterKey) throws
        -> SymmetricKey
    {
        do {
            let raw = try XChaCha20Poly1305.open(
                sealed, using: master.key, authenticating: context(purpose: "data-key", tenant: tenant, row: component))
            return try SymmetricKey(rawRepresentation: raw)
        } catch {
            throw StoreError("data key of \(tenant) does not open under this master key (wrong CUSTOS_MASTER_KEY?)")
        }
    }

    /// Seals a secret under a tenant's data key for one row.
    public static func seal(_ secret: [UInt8], dataKey: SymmetricKey, context: [UInt8]) throws -> [UInt8] {
        try XChaCha20Poly1305.seal(secret, using: dataKey, authenticating: context)
    }

    /// Opens a sealed secret of one row.
    public static func open(_ sealed: [UInt8], dataKey: SymmetricKey, context: [UInt8]) throws -> [UInt8] {
        do { return try XChaCha20Poly1305.open(sealed, using: dataKey, authenticating: context) } catch {
            throw StoreError("sealed secret does not open: it was moved, altered, or its data key was destroyed")
        }
    }
}
