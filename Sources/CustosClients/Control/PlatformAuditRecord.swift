import CustosCore

/// One control-plane mutation as an entry of the platform's audit ledger records it: the entry's data is the
/// RFC 8785 JSON of these fields, so the bytes a receipt commits to have exactly one reading.
///
/// The control plane writes it; `custosctl audit verify` reads it back from a verified receipt and compares it
/// with what the admin API listed.
public struct PlatformAuditRecord: Sendable, Equatable {
    /// The tag of every audit entry.
    public static let tag = "custos.platform.audit"
    /// The format's version, `v` in the JSON.
    public static let version = 1
    /// The ledger (a private ledger like a tenant's) that holds the platform's audit; the id is reserved, no
    /// tenant can have it.
    public static let ledgerTenant = TenantID("platform")!

    /// The entry's position in the audit, 1, 2, 3, ... without gaps: a verifier that saw every index up to its
    /// last saw every entry up to it. An entry attached again after a crash repeats its index and content.
    public var index: Int64
    /// The control plane's event number (in the order events were stored, which is not always the order they
    /// committed; a rolled-back change leaves a gap).
    public var sequence: Int64
    /// When it was stored, RFC 3339 with milliseconds.
    public var at: String
    /// Who asked: an administrator credential id, `<key id> (tenant API)`, or `signup`.
    public var actor: String
    /// What happened, e.g. `tenant.suspend.started`.
    public var event: String
    /// The tenant it changed.
    public var tenant: String?
    /// The operation it belongs to.
    public var operation: String?
    /// The particulars, never a secret.
    public var detail: String

    /// Creates a record.
    public init(
        index: Int64, sequence: Int64, at: String, actor: String, event: String, tenant: String?, operation: String?,
        detail: String
    ) {
        self.index = index
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.event = event
        self.tenant = tenant
        self.operation = operation
        self.detail = detail
    }

    /// Reads an entry's data: canonical JSON with exactly the record's members, or an error that says what is
    /// wrong.
    public init(data: [UInt8]) throws(PlatformAuditError) {
        let value: JSONValue
        do { value = try JSONParser.parse(data) } catch { throw PlatformAuditError("not JSON: \(error)") }
        guard case .object(let members) = value else { throw PlatformAuditError("not a JSON object") }
        let known: Set = ["v", "index", "sequence", "at", "actor", "event", "tenant", "operation", "detail"]
        if let extra = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw PlatformAuditError("unknown member \(extra)")
        }
        guard members["v"]?.intValue == Self.version else {
            throw PlatformAuditError("version is not \(Self.version)")
        }
        guard let index = members["index"]?.intValue, index > 0 else {
            throw PlatformAuditError("index is not a positive integer")
        }
        guard let sequence = members["sequence"]?.intValue, sequence > 0 else {
            throw PlatformAuditError("sequence is not a positive integer")
        }
        func text(_ name: String) throws(PlatformAuditError) -> String {
            guard let value = members[name]?.stringValue else { throw PlatformAuditError("\(name) is not a string") }
            return value
        }
        func optionalText(_ name: String) throws(PlatformAuditError) -> String? {
            guard let value = members[name] else { return nil }
            guard let text = value.stringValue else { throw PlatformAuditError("\(name) is not a string") }
            return text
        }
        self.init(
            index: Int64(index), sequence: Int64(sequence), at: try text("at"), actor: try text("actor"),
            event: try text("event"),
            tenant: try optionalText("tenant"), operation: try optionalText("operation"), detail: try text("detail"))
        guard (try? data == self.data()) == true else {
            throw PlatformAuditError("not in RFC 8785 canonical form")
        }
    }

    /// The entry's data.
    public func data() throws(JSONError) -> [UInt8] {
        var members: [String: JSONValue] = [
            "v": .number(Double(Self.version)), "index": .number(Double(index)), "sequence": .number(Double(sequence)),
            "at": .string(at),
            "actor": .string(actor), "event": .string(event), "detail": .string(detail),
        ]
        if let tenant { members["tenant"] = .string(tenant) }
        if let operation { members["operation"] = .string(operation) }
        return try JCS.canonicalBytes(.object(members))
    }
}

/// Why an audit entry's data is not a ``PlatformAuditRecord``.
public struct PlatformAuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// An error that says what is wrong.
    public init(_ description: String) { self.description = description }
}
