import CustosCore
import CustosCrypto

/// One control-plane mutation as an entry of the platform's audit ledger records it: the entry's data is the
/// RFC 8785 JSON of these fields, so the bytes a receipt commits to have exactly one reading.
///
/// The control plane writes it; `custosctl audit verify` reads it back from a verified receipt and compares it
/// with what the admin API listed. Version 2 records are signed by the control plane's audit signing key
/// (``PlatformAuditSigningKey``): `signer` names the key, `signature` is Ed25519 over ``signingDomain``
/// followed by the record's RFC 8785 JSON without `signature`. Version 1 records (written before the control
/// plane had a key) carry neither. A record of ``rotationEvent`` hands the audit over to a new key: signed by
/// the old one, it names the new one in `nextSigner`, and the records after it are signed by that.
public struct PlatformAuditRecord: Sendable, Equatable {
    /// The tag of every audit entry.
    public static let tag = "custos.platform.audit"
    /// The version of unsigned records, `v` in the JSON.
    public static let unsignedVersion = 1
    /// The version of signed records.
    public static let signedVersion = 2
    /// What a signature covers before the record's JSON, so that no other message of the platform's keys can
    /// be taken for a record's signature.
    public static let signingDomain = Array("custos platform audit record\n".utf8)
    /// The event of the record that hands the audit over to a new signing key (`nextSigner`).
    public static let rotationEvent = "platform.audit-signing-key.rotated"
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
    /// The control plane's signing key (base64 of the Ed25519 public key), in version 2 records.
    public var signer: String?
    /// The signature (base64) by `signer`, in version 2 records.
    public var signature: String?
    /// The key that signs the records after this one, in the record of a ``rotationEvent`` alone.
    public var nextSigner: String?

    /// Creates an unsigned record (``signed(by:)`` signs it); `nextSigner` for a ``rotationEvent``.
    public init(
        index: Int64, sequence: Int64, at: String, actor: String, event: String, tenant: String?, operation: String?,
        detail: String, nextSigner: String? = nil
    ) {
        self.index = index
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.event = event
        self.tenant = tenant
        self.operation = operation
        self.detail = detail
        self.nextSigner = nextSigner
    }

    /// Reads an entry's data: canonical JSON with exactly the record's members, or an error that says what is
    /// wrong.
    public init(data: [UInt8]) throws(PlatformAuditError) {
        let value: JSONValue
        do { value = try JSONParser.parse(data) } catch { throw PlatformAuditError("not JSON: \(error)") }
        guard case .object(let members) = value else { throw PlatformAuditError("not a JSON object") }
        guard let version = members["v"]?.intValue, [Self.unsignedVersion, Self.signedVersion].contains(version)
        else { throw PlatformAuditError("version is not \(Self.unsignedVersion) or \(Self.signedVersion)") }
        var known: Set = ["v", "index", "sequence", "at", "actor", "event", "tenant", "operation", "detail"]
        if version == Self.signedVersion { known.formUnion(["signer", "signature", "nextSigner"]) }
        if let extra = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw PlatformAuditError("unknown member \(extra) in a version \(version) record")
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
        if version == Self.signedVersion {
            signer = try text("signer")
            signature = try text("signature")
            nextSigner = try optionalText("nextSigner")
            try checkRotation()
            try verifySignature()
        }
        guard (try? data == self.data()) == true else {
            throw PlatformAuditError("not in RFC 8785 canonical form")
        }
    }

    /// A rotation names a key other than its signer, and only a rotation names one.
    private func checkRotation() throws(PlatformAuditError) {
        guard event == Self.rotationEvent else {
            if nextSigner != nil { throw PlatformAuditError("nextSigner in a record of \(event), not of a rotation") }
            return
        }
        guard let nextSigner else { throw PlatformAuditError("a rotation record without nextSigner") }
        guard Self.isPublicKey(nextSigner) else {
            throw PlatformAuditError("nextSigner is not the base64 of an Ed25519 public key")
        }
        guard nextSigner != signer else { throw PlatformAuditError("a rotation to the key that signs it") }
    }

    private static func isPublicKey(_ text: String) -> Bool {
        guard let bytes = try? Base64.decode(text) else { return false }
        return (try? Ed25519.PublicKey(rawRepresentation: bytes)) != nil
    }

    /// Whether the record is of version 2.
    public var isSigned: Bool { signer != nil }

    /// The record signed by `key`.
    public func signed(by key: PlatformAuditSigningKey) throws(JSONError) -> PlatformAuditRecord {
        var signed = self
        signed.signer = key.signer
        signed.signature = Base64.encode(key.privateKey.signature(for: try signed.signingInput()))
        return signed
    }

    /// What the signature covers: the domain, then the record's JSON without `signature`.
    private func signingInput() throws(JSONError) -> [UInt8] {
        var unsigned = self
        unsigned.signature = nil
        return Self.signingDomain + (try unsigned.data())
    }

    /// Checks that `signature` is `signer`'s over the rest of the record; which key may sign is the verifier's
    /// to decide.
    public func verifySignature() throws(PlatformAuditError) {
        guard let signer, let signature else { throw PlatformAuditError("the record is not signed") }
        guard let signerBytes = try? Base64.decode(signer),
            let key = try? Ed25519.PublicKey(rawRepresentation: signerBytes)
        else { throw PlatformAuditError("signer is not the base64 of an Ed25519 public key") }
        guard let signatureBytes = try? Base64.decode(signature), signatureBytes.count == Ed25519.signatureByteCount
        else { throw PlatformAuditError("signature is not the base64 of an Ed25519 signature") }
        guard let input = try? signingInput(), key.isValidSignature(signatureBytes, for: input) else {
            throw PlatformAuditError("the signature does not verify under the record's signer")
        }
    }

    /// The entry's data: with `signer` a version 2 record (with `signature` when it is set), else version 1.
    public func data() throws(JSONError) -> [UInt8] {
        var members: [String: JSONValue] = [
            "v": .number(Double(isSigned ? Self.signedVersion : Self.unsignedVersion)),
            "index": .number(Double(index)), "sequence": .number(Double(sequence)), "at": .string(at),
            "actor": .string(actor), "event": .string(event), "detail": .string(detail),
        ]
        if let tenant { members["tenant"] = .string(tenant) }
        if let operation { members["operation"] = .string(operation) }
        if let signer { members["signer"] = .string(signer) }
        if let signature { members["signature"] = .string(signature) }
        if let nextSigner { members["nextSigner"] = .string(nextSigner) }
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
