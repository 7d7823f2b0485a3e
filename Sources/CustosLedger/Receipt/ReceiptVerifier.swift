import CustosCore

/// Verifies receipts offline; see docs/ledger.md for the algorithm as an independent verifier would run it.
public enum ReceiptVerifier {
    /// Checks every claim of a receipt and reports what was established, or throws the first failure.
    ///
    /// - Parameters:
    ///   - trustedKey: the coordinator key the caller trusts; nil falls back to the receipt's own key and
    ///     marks the result `selfAsserted`.
    ///   - expectedOrigin: the log the caller expects, if known.
    public static func verify(
        _ receipt: Receipt, trustedKey: NoteVerifierKey?, expectedOrigin: String? = nil
    ) throws(ReceiptError) -> ReceiptReport {
        var checks: [String] = []

        let message: LedgerMessage
        do { message = try LedgerMessage(bytes: receipt.message) } catch { throw .invalidMessage(error) }
        checks.append("message bytes are a canonical ledger message")

        let computedID = LedgerMessage.id(of: receipt.message)
        guard computedID == receipt.messageID else {
            throw .messageIDMismatch(claimed: receipt.messageID, computed: computedID)
        }
        checks.append("message id \(computedID) is BLAKE2b-256 of the message bytes")

        guard message.networkID == receipt.networkID else {
            throw .networkMismatch(claimed: receipt.networkID, message: message.networkID)
        }
        let derived = LedgerMessage.networkID(forName: receipt.networkName)
        guard derived == receipt.networkID else {
            throw .networkNameMismatch(name: receipt.networkName, claimed: receipt.networkID, derived: derived)
        }
        checks.append("message belongs to network \(receipt.networkName) (\(receipt.networkID))")

        let key: NoteVerifierKey
        let trust: ReceiptReport.KeyTrust
        if let trustedKey {
            (key, trust) = (trustedKey, .trusted)
        } else {
            do { key = try NoteVerifierKey(parsing: receipt.coordinatorKey) } catch {
                throw .invalidCoordinatorKey(error)
            }
            trust = .selfAsserted
        }
        let checkpoint: Checkpoint
        do {
            let note = try SignedNote(parsing: receipt.checkpoint)
            try note.verify(using: key)
            checkpoint = try Checkpoint(text: note.text)
        } catch {
            throw .checkpoint(error)
        }
        checks.append(
            "checkpoint is signed by \(key.shortName) ("
                + (trust == .trusted ? "trusted key" : "key taken from the receipt itself") + ")")

        if let expectedOrigin, checkpoint.origin != expectedOrigin {
            throw .originMismatch(expected: expectedOrigin, actual: checkpoint.origin)
        }
        guard checkpoint.origin == key.name else {
            throw .originKeyMismatch(origin: checkpoint.origin, keyName: key.name)
        }
        guard checkpoint.origin.split(separator: "/").last.map(String.init) == receipt.tenant else {
            throw .tenantMismatch(tenant: receipt.tenant, origin: checkpoint.origin)
        }
        checks.append("checkpoint origin \(checkpoint.origin) is the log of tenant \(receipt.tenant)")

        guard receipt.leafIndex < checkpoint.size else {
            throw .leafIndexOutOfRange(index: receipt.leafIndex, size: checkpoint.size)
        }
        let leafHash = MerkleHash.leafHash(messageID: computedID)
        do {
            try MerkleVerifier.verifyInclusion(
                leafHash: leafHash, index: receipt.leafIndex, size: checkpoint.size, proof: receipt.inclusionProof,
                root: checkpoint.root)
        } catch {
            throw .inclusion(error)
        }
        checks.append(
            "leaf \(receipt.leafIndex) is included in the tree of size \(checkpoint.size) at root \(checkpoint.root)")

        return ReceiptReport(
            message: message, messageID: computedID, leafIndex: receipt.leafIndex, checkpoint: checkpoint, key: key,
            keyTrust: trust, checks: checks)
    }

    /// Parses and verifies a receipt from its JSON text.
    public static func verify(
        jsonText: String, trustedKey: NoteVerifierKey?, expectedOrigin: String? = nil
    ) throws(ReceiptError) -> ReceiptReport {
        try verify(Receipt(jsonText: jsonText), trustedKey: trustedKey, expectedOrigin: expectedOrigin)
    }
}
