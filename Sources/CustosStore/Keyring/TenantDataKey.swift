import CustosCore
import CustosCrypto

/// One tenant's data key for one component, opened from the keyring: it seals and opens that component's
/// secrets at rest.
///
/// The key itself never leaves this module. Each secret is sealed with XChaCha20-Poly1305 and the associated
/// data `custos/v1/<purpose>/<tenant>/<row>` (``SealedSecret/context(purpose:tenant:row:)``), so a sealed value
/// copied to another row, purpose or tenant does not open; the component is bound by the key, whose own
/// sealing under the master key names tenant and component.
public struct TenantDataKey: Sendable, CustomStringConvertible {
    /// The tenant.
    public let tenant: TenantID
    /// The component.
    public let component: KeyringComponent
    /// 1 for the first key, one more each time the key was destroyed and created again.
    public let generation: Int
    let key: SymmetricKey

    init(tenant: TenantID, component: KeyringComponent, generation: Int, key: SymmetricKey) {
        self.tenant = tenant
        self.component = component
        self.generation = generation
        self.key = key
    }

    /// Seals `secret` for the row `row` of kind `purpose` (for example `coordinator-key`, row `0`).
    public func seal(_ secret: [UInt8], purpose: String, row: String) throws -> [UInt8] {
        try SealedSecret.seal(secret, dataKey: key, context: context(purpose: purpose, row: row))
    }

    /// Opens a secret sealed by ``seal(_:purpose:row:)`` with the same purpose and row.
    ///
    /// Throws ``KeyringError/Reason/secretDoesNotOpen`` when it was sealed for another tenant, component, purpose
    /// or row, was altered, or was sealed under an earlier generation of this key.
    public func open(_ sealed: [UInt8], purpose: String, row: String) throws(KeyringError) -> [UInt8] {
        do {
            return try SealedSecret.open(sealed, dataKey: key, context: context(purpose: purpose, row: row))
        } catch {
            throw KeyringError(
                .secretDoesNotOpen,
                "the \(purpose) \(row) of \(tenant) does not open under its \(component) data key (generation "
                    + "\(generation)): it was moved or altered, or sealed under a data key that was destroyed")
        }
    }

    private func context(purpose: String, row: String) -> [UInt8] {
        SealedSecret.context(purpose: purpose, tenant: tenant, row: row)
    }

    public var description: String { "TenantDataKey(\(tenant)/\(component), generation \(generation), redacted)" }
}
