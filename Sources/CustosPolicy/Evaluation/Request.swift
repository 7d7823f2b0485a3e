/// An authorization request: who does what to which resource, in which context.
public struct Request: Sendable {
    /// The principal, such as `ApiKey::"key_..."`.
    public let principal: EntityUID
    /// The action, such as `Action::"createLedgerMessage"`.
    public let action: EntityUID
    /// The resource, such as `Ledger::"acme"`.
    public let resource: EntityUID
    /// The context record.
    public let context: [String: Value]

    /// Creates a request.
    public init(principal: EntityUID, action: EntityUID, resource: EntityUID, context: [String: Value] = [:]) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
    }

    /// Creates a request whose context is given in Cedar's JSON value format (an object).
    public init(principal: EntityUID, action: EntityUID, resource: EntityUID, contextJSON: String)
        throws(PolicyError)
    {
        guard
            case .record(let context) = try JSONValue.parse(contextJSON, what: "the context").cedarValue(at: "context")
        else { throw .request("the context must be a JSON object") }
        self.init(principal: principal, action: action, resource: resource, context: context)
    }
}
