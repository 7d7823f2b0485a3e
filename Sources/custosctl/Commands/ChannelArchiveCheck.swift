import CustosCore
import CustosLedger
import CustosStreams

/// Checks a channel archive (`custosctl channels export`, docs/channels.md §16) offline: that it is exactly the
/// RFC 8785 form of its content, that every receipt proves its message under a signed checkpoint of the tenant's
/// log, that every message carries its envelope under the channel's tag, and that the whole channel reads as a
/// keyless auditor reads it — every signature, chain, epoch and writer list. No byte of an archive escapes these
/// checks: its structure is fixed by the canonical form, and every value is bound by a signature or a hash, or
/// checked against one (the tenant against the log's origin, links against envelope ids).
enum ChannelArchiveCheck {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Report {
        var checks: [String] = []
        var keys: Set<NoteVerifierKey> = []
        var keyTrust = ReceiptReport.KeyTrust.trusted
        var envelopes = 0
        var entries = 0
        var epochs = 0
    }

    /// Archives are larger than the documents JSON parsing admits by default (up to 30 MiB, docs/channels.md §16).
    static let limits = JSONParser.Limits(maxBytes: 32 << 20)

    /// Whether a JSON document is an archive rather than a receipt or a credential.
    static func isArchive(_ json: JSONValue) -> Bool {
        json["format"]?.stringValue?.hasPrefix("custos-channel-archive/") == true
    }

    static func verify(_ bytes: [UInt8], trustedKey: NoteVerifierKey?, expectedOrigin: String?) throws(Failure)
        -> Report
    {
        var report = Report()
        let json: JSONValue
        do { json = try JSONParser.parse(bytes, limits: limits) } catch {
            throw Failure(description: "not JSON: \(error)")
        }
        guard json["format"]?.stringValue == "custos-channel-archive/1" else {
            throw Failure(description: "format must be custos-channel-archive/1")
        }
        guard (try? JCS.canonicalBytes(json)) == bytes else {
            throw Failure(description: "the archive is not in its RFC 8785 form: a byte was changed, added or removed")
        }
        report.checks.append("the archive is exactly the RFC 8785 form of its content")
        guard let tenant = json["tenant"]?.stringValue, let addressText = json["channelAddress"]?.stringValue,
            let entries = json["entries"]?.arrayValue, !entries.isEmpty
        else { throw Failure(description: "tenant, channelAddress and entries are required") }
        let address: ChannelAddress
        do { address = try ChannelAddress(addressText) } catch { throw Failure(description: "\(error)") }
        var reader = ChannelReader(address: address)
        var origin = expectedOrigin
        for (index, entry) in entries.enumerated() {
            func fail(_ reason: String) -> Failure { Failure(description: "entry \(index): \(reason)") }
            guard let link = entry["link"]?.stringValue, let receiptJSON = entry["receipt"] else {
                throw fail("needs link and receipt")
            }
            let receipt: Receipt
            let proof: ReceiptReport
            do {
                receipt = try Receipt(json: receiptJSON)
                // A member the receipt format does not know, or a value spelled otherwise, is a changed byte too.
                guard receipt.json == receiptJSON else { throw fail("the receipt holds more than a receipt") }
                proof = try ReceiptVerifier.verify(receipt, trustedKey: trustedKey, expectedOrigin: origin)
            } catch { throw fail("receipt rejected: \(error)") }
            guard receipt.tenant == tenant else { throw fail("the receipt is of tenant \(receipt.tenant)") }
            // One log: the first receipt's origin binds the others.
            origin = origin ?? proof.checkpoint.origin
            report.keys.insert(proof.key)
            if proof.keyTrust == .selfAsserted { report.keyTrust = .selfAsserted }
            guard let data = proof.message.payload.taggedData else { throw fail("the message carries no tagged data") }
            let envelope: Envelope
            do { envelope = try Envelope(bytes: data.data) } catch { throw fail("not an envelope: \(error)") }
            guard data.tag == envelope.ledgerTag, envelope.channel == address.channelID else {
                throw fail("the message is not under the channel's tag")
            }
            guard ChannelAddress(channelID: envelope.id).description == link else {
                throw fail("the link is not the envelope's id")
            }
            do {
                let event = try reader.receive(envelope)
                switch event.content {
                case .keyload: report.epochs += 1
                case .signedPacket, .taggedPacket: report.entries += 1
                default: break
                }
            } catch { throw fail("the channel refuses the envelope: \(error)") }
            report.envelopes += 1
        }
        report.checks.append("\(report.envelopes) receipts verify under signed checkpoints of \(origin ?? "?")")
        report.checks.append("every message carries its envelope under the channel's tag")
        report.checks.append(
            "the channel reads in order: \(report.entries) entries, \(report.epochs) keyloads, every signature, "
                + "chain and writer list checked")
        return report
    }
}
