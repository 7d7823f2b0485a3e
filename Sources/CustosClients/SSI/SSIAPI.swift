import CustosSSIWorkerAPI

/// The ssi worker's contract types (docs/openapi/ssi-worker.yaml), under names for callers outside the module.
public enum SSIAPI {
    public typealias TrustRoot = CustosSSIWorkerAPI.Components.Schemas.TrustRoot
    public typealias JWKS = CustosSSIWorkerAPI.Components.Schemas.Jwks
    public typealias Facts = CustosSSIWorkerAPI.Components.Schemas.Facts
    public typealias FactsRequest = CustosSSIWorkerAPI.Components.Schemas.FactsRequest
}
