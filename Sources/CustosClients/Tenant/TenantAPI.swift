import CustosTenantAPI

/// The tenant API's bodies under the names the rest of the platform uses: the types generated from
/// docs/openapi/tenant.json, never hand-kept copies.
public enum TenantAPI {
    public typealias Ledger = Components.Schemas.Ledger
    public typealias Milestone = Components.Schemas.Milestone
    public typealias ConsistencyProof = Components.Schemas.ConsistencyProof
    public typealias IdentityKeys = Components.Schemas.IdentityKeys
    public typealias IdentitySummary = Components.Schemas.IdentitySummary
    public typealias ChannelInfo = Components.Schemas.ChannelInfo
    public typealias ChannelSummary = Components.Schemas.ChannelSummary
    public typealias Subscription = Components.Schemas.Subscription
}
