import CustosLedgerWorkerAPI

/// The ledger worker's bodies under the names the rest of the platform uses: the types generated from
/// docs/openapi/ledger-worker.yaml, never hand-kept copies.
public enum LedgerAPI {
    public typealias CreateNetwork = Components.Schemas.CreateNetwork
    public typealias Network = Components.Schemas.Network
    public typealias MessageList = Components.Schemas.MessageList
    public typealias ConsistencyProof = Components.Schemas.ConsistencyProof
    public typealias MilestoneEntry = Components.Schemas.MilestoneEntry
    public typealias MilestoneList = Components.Schemas.MilestoneList
    public typealias Rotation = Components.Schemas.Rotation
    public typealias Submit = Components.Schemas.Submit
    public typealias Submitted = Components.Schemas.Submitted
    public typealias Message = Components.Schemas.Message
}
