import CustosControlAPI
import CustosControlInternalAPI

/// The control plane's bodies under the names the rest of the platform uses: the types
/// generated from docs/openapi/control.json and control-internal.yaml, never hand-kept copies.
public enum ControlAPI {
    public typealias CreateTenant = CustosControlAPI.Components.Schemas.CreateTenant
    public typealias Tenant = CustosControlAPI.Components.Schemas.Tenant
    public typealias TenantList = CustosControlAPI.Components.Schemas.TenantList
    public typealias CreateKey = CustosControlAPI.Components.Schemas.CreateKey
    public typealias Key = CustosControlAPI.Components.Schemas.Key
    public typealias KeyList = CustosControlAPI.Components.Schemas.KeyList
    public typealias CreatedKey = CustosControlAPI.Components.Schemas.CreatedKey
    public typealias CreatedTenant = CustosControlAPI.Components.Schemas.CreatedTenant
    public typealias Rotation = CustosControlAPI.Components.Schemas.Rotation
    public typealias Scope = CustosControlAPI.Components.Schemas.CreateKey.ScopesPayloadPayload
    public typealias TenantPolicies = CustosControlAPI.Components.Schemas.TenantPolicies
    public typealias AuditEvent = CustosControlAPI.Components.Schemas.AuditEvent
    public typealias AuditEventList = CustosControlAPI.Components.Schemas.AuditEventList
    public typealias PlatformAudit = CustosControlAPI.Components.Schemas.PlatformAudit
    public typealias AuditEntry = CustosControlAPI.Components.Schemas.AuditEntry
    public typealias AuditEntryList = CustosControlAPI.Components.Schemas.AuditEntryList
    public typealias Operation = CustosControlAPI.Components.Schemas.Operation
    public typealias OperationList = CustosControlAPI.Components.Schemas.OperationList
    public typealias Plan = CustosControlAPI.Components.Schemas.Plan
    public typealias PlanList = CustosControlAPI.Components.Schemas.PlanList

    /// A gateway the local provisioner should run (docs/openapi/control-internal.yaml).
    public typealias Gateway = CustosControlInternalAPI.Components.Schemas.Gateway
    /// A tenant's keys as the internal API gives them to its gateway's tenant administrators.
    public typealias InternalKey = CustosControlInternalAPI.Components.Schemas.Key
    public typealias InternalCreateKey = CustosControlInternalAPI.Components.Schemas.CreateKey
    public typealias InternalCreatedKey = CustosControlInternalAPI.Components.Schemas.CreatedKey
    public typealias InternalRotatedKey = CustosControlInternalAPI.Components.Schemas.RotatedKey
    public typealias RotatedKey = CustosControlAPI.Components.Schemas.RotatedKey
    /// A tenant's usage as the internal API gives it to its gateway.
    public typealias InternalUsage = CustosControlInternalAPI.Components.Schemas.Usage
    public typealias Usage = CustosControlAPI.Components.Schemas.Usage
    /// A tenant's own policies as the internal API gives them to its gateway.
    public typealias OwnPolicies = CustosControlInternalAPI.Components.Schemas.TenantPolicies
}
