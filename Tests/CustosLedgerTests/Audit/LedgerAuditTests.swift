import CustosCore
import CustosCrypto
import CustosLedger
import Testing

/// `LedgerAudit` against logs built in memory. Each adversarial log is valid but for the one thing under test,
/// and each expectation names the exact reason, so a missing check shows as an accepted log or another reason.
@Suite("Ledger audit against pins (docs/ledger.md §9.1)")
struct LedgerAuditTests {
    private static let keyA = seededKey(0x0A)
    private static let keyB = seededKey(0x0B)
    private static let keyC = seededKey(0x0C)

    /// A log with one milestone over 3 entries.
    private static func started() -> AuditLedger {
        var ledger = AuditLedger(key: keyA)
        ledger.append(3)
        ledger.milestone()
        return ledger
    }

    /// The pin a first audit of `ledger` stores.
    private static func pin(_ ledger: AuditLedger) throws -> LedgerAudit.Pin {
        let verdict = try ledger.server.audit([])
        guard case .firstUse = verdict else { throw Failure("expected a first use, got \(verdict)") }
        return verdict.pin
    }

    private struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: First use

    @Test("first use pins the newest milestone under the presented key; the next audit finds the log unchanged")
    func firstUse() throws {
        let ledger = Self.started()
        let (result, requests) = ledger.server.run([])
        guard case .firstUse(let log) = try result.get() else { throw Failure("\(result)") }
        #expect(requests.isEmpty)
        #expect(
            log.pin
                == LedgerAudit.Pin(
                    origin: AuditLedger.origin, coordinatorKey: ledger.verifierKey().text, checkpoint: ledger.notes[0],
                    milestone: ledger.entry(1).message))
        #expect(log.size == 3 && log.key == ledger.verifierKey())

        let again = ledger.server.run([log.pin])
        guard case .consistent(pin: 0, let audited) = try again.result.get() else { throw Failure("\(again)") }
        #expect(again.requests.isEmpty, "nothing to fetch: same milestone, same size")
        #expect(audited.outcome == .unchanged && audited.pin == log.pin && audited.milestones == 1...1)
        #expect(audited.report == ["unchanged: custos.example/acme still at size 3"])
    }

    @Test("first use while a rotation is under way: the newest milestone is not signed by the presented key")
    func firstUseDuringRotation() {
        var ledger = Self.started()
        ledger.append(2)
        // The worker presents the announced key as soon as the announcing milestone, signed by the old key, is out.
        ledger.milestone(announcing: Self.keyB)
        #expect(ledger.server.failure([]) == .newestMilestoneUnsigned)
        #expect(LedgerAuditError.newestMilestoneUnsigned.kind == .unavailable)
    }

    // MARK: Growth

    @Test("growth: every milestone since the pin is followed page by page, then a consistency proof")
    func growth() throws {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.append(9)
        ledger.milestone()
        ledger.append(8)
        ledger.milestone()
        var server = ledger.server
        server.pageSize = 1
        let (result, requests) = server.run([pin])
        guard case .consistent(pin: 0, let audited) = try result.get() else { throw Failure("\(result)") }
        #expect(requests == [.milestones(after: 1), .milestones(after: 2), .consistencyProof(from: 3, to: 20)])
        #expect(audited.outcome == .extended(from: 3, to: 20) && audited.size == 20 && audited.milestones == 1...3)
        #expect(
            audited.pin
                == LedgerAudit.Pin(
                    origin: AuditLedger.origin, coordinatorKey: pin.coordinatorKey, checkpoint: ledger.notes[2],
                    milestone: ledger.entry(3).message))
        #expect(
            audited.report == [
                "consistent: custos.example/acme grew from 3 to 20 entries, append-only (milestones 1 to 3)"
            ])

        // The stored pin is where the next audit starts; pages may hold more than the audit needs.
        ledger.append(1)
        ledger.milestone()
        server = ledger.server
        server.pageSize = 10
        let next = server.run([audited.pin])
        guard case .consistent(pin: 0, let grown) = try next.result.get() else { throw Failure("\(next)") }
        #expect(next.requests == [.milestones(after: 3), .consistencyProof(from: 20, to: 21)])
        #expect(grown.outcome == .extended(from: 20, to: 21))
    }

    // MARK: Rollback

    @Test("rollback: the log serves an older milestone than the pinned one")
    func rollback() throws {
        var ledger = Self.started()
        let backup = ledger
        ledger.append(9)
        ledger.milestone()
        ledger.append(8)
        ledger.milestone()
        let pin = try Self.pin(ledger)
        #expect(backup.server.failure([pin]) == .rollback(newest: 1, pinned: 3))
        #expect(LedgerAuditError.rollback(newest: 1, pinned: 3).kind == .conflict)

        // The backup, grown again past the pinned milestone, cannot continue the pinned chain.
        var restored = backup
        for _ in 0..<3 {
            restored.append(2, salt: "after restore")
            restored.milestone()
        }
        guard case .brokenChain(milestone: 4, let reason) = restored.server.failure([pin]) else {
            throw Failure("expected a broken chain at milestone 4")
        }
        #expect(reason.message.contains("names previous milestone"))
    }

    @Test("rollback: a milestone since the pin that commits to a smaller log breaks the chain")
    func shrinkingMilestone() throws {
        var ledger = Self.started()
        ledger.append(9)
        ledger.milestone()
        let pin = try Self.pin(ledger)
        ledger.milestone(size: 5)
        // Grown back past the pin: the newest checkpoint extends the pinned one, only the chain shows the shrink.
        ledger.append(2)
        ledger.milestone()
        guard case .brokenChain(milestone: 3, let reason) = ledger.server.failure([pin]) else {
            throw Failure("expected a broken chain at milestone 3")
        }
        #expect(reason.message.contains("shrinks the log from 12 to 5"))
    }

    // MARK: Split views

    @Test("split view: a milestone after the pin commits to a tree of the pinned size with another root")
    func splitViewSameSize() throws {
        var ledger = Self.started()
        ledger.append(9)
        ledger.milestone()
        let pin = try Self.pin(ledger)
        var fork = ledger
        fork.rewrite(12, salt: "fork")
        fork.milestone()
        let (result, requests) = fork.server.run([pin])
        #expect(
            result
                == .failure(
                    .inconsistent(.splitView(size: 12, pinnedRoot: ledger.log.root, newerRoot: fork.log.root))))
        #expect(requests == [.milestones(after: 2)])
    }

    @Test("split view: a larger tree that does not extend the pinned one, with the fork's own consistency proof")
    func splitViewLargerTree() throws {
        var ledger = Self.started()
        ledger.append(9)
        ledger.milestone()
        let pin = try Self.pin(ledger)
        var fork = ledger
        fork.rewrite(20, salt: "fork")
        fork.milestone()
        let (result, requests) = fork.server.run([pin])
        guard case .failure(.inconsistent(.inconsistent(pinnedSize: 12, newerSize: 20, _))) = result else {
            throw Failure("\(result)")
        }
        #expect(requests.last == .consistencyProof(from: 12, to: 20))
    }

    @Test("split view: the log's newest milestone is not the one the chain from the pin leads to")
    func splitViewMilestone() throws {
        var ledger = Self.started()
        var fork = ledger
        ledger.append(9)
        ledger.milestone()
        let pin = try Self.pin(ledger)
        // A second milestone 2, over a log that even extends the pinned one: two histories of milestones.
        fork.append(9)
        fork.append(1)
        let forked = fork.milestone()
        #expect(fork.log.size == 13)
        #expect(try fork.log.rootHash(size: 12) == ledger.log.root)
        #expect(fork.server.failure([pin]) == .unexpectedNewestMilestone(forked.id))
    }

    @Test("split view: the signed checkpoint and the newest milestone commit to different roots")
    func checkpointDisagrees() throws {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.append(9)
        ledger.milestone()
        var server = ledger.server
        let other = try Checkpoint(origin: AuditLedger.origin, size: 12, root: syntheticDigest(12, salt: "other"))
        server.presented.checkpoint = try other.signed(by: [ledger.noteSigner()]).serialized
        #expect(server.failure([pin]) == .checkpointDisagrees(size: 12))
    }

    // MARK: Consistency proofs

    @Test("a tampered consistency proof is rejected")
    func tamperedProof() throws {
        var ledger = Self.started()
        ledger.append(9)
        ledger.milestone()
        let pin = try Self.pin(ledger)
        ledger.append(8)
        ledger.milestone()
        let honest = ledger.server
        guard case .consistent = try honest.audit([pin]) else { throw Failure("the honest log must pass") }
        let proof = try ledger.log.consistencyProof(from: 12, to: 20)
        let tampered = [
            [flipped(proof[0], bit: 7)] + proof.dropFirst(), Array(proof.dropLast()), [], proof + [proof[0]],
        ]
        for bad in tampered {
            var server = honest
            server.proof = { _, _ in bad }
            let result = server.run([pin]).result
            guard case .failure(.inconsistent(.inconsistent(pinnedSize: 12, newerSize: 20, _))) = result else {
                Issue.record("accepted or misreported a tampered proof of \(bad.count) hashes")
                continue
            }
        }
    }

    // MARK: Milestone chain

    @Test("a gap in the milestones since the pin breaks the chain")
    func gap() throws {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        for count in [2, 3, 4] {
            ledger.append(count)
            ledger.milestone()
        }
        var server = ledger.server
        server.milestones.removeAll { $0.index == 3 }
        guard case .brokenChain(milestone: 4, let reason) = server.failure([pin]) else {
            throw Failure("expected a broken chain at milestone 4")
        }
        #expect(reason.message.contains("does not follow 2"))

        server.milestones.removeAll { $0.index > 2 }
        #expect(server.failure([pin]) == .milestonesMissing(from: 3, to: 4))

        // A milestone that skips an index but links to its predecessor.
        var skipping = Self.started()
        let skippingPin = try Self.pin(skipping)
        skipping.append(2)
        let second = skipping.milestone()
        skipping.milestone()
        skipping.append(2)
        skipping.milestone(previous: second.id)
        server = skipping.server
        server.milestones.removeAll { $0.index == 3 }
        guard case .brokenChain(milestone: 4, let skipped) = server.failure([skippingPin]) else {
            throw Failure("expected a broken chain at milestone 4")
        }
        #expect(skipped.message.contains("index 4 does not follow 2"))
    }

    @Test("a milestone that names another predecessor breaks the chain")
    func brokenLink() throws {
        var ledger = Self.started()
        ledger.append(2)
        ledger.milestone()
        let pin = try Self.pin(ledger)
        ledger.append(2)
        ledger.milestone(previous: ledger.milestones[0].id)
        guard case .brokenChain(milestone: 3, let reason) = ledger.server.failure([pin]) else {
            throw Failure("expected a broken chain at milestone 3")
        }
        #expect(reason.message.contains("names previous milestone"))
    }

    @Test("a milestone signed by a key nobody announced breaks the chain of a log that presents the pinned key")
    func unannouncedSigner() throws {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.append(2)
        ledger.milestone(signer: Self.keyC)
        #expect(ledger.server.presented.coordinatorKey == pin.coordinatorKey)
        guard case .brokenChain(milestone: 2, let reason) = ledger.server.failure([pin]) else {
            throw Failure("expected a broken chain at milestone 2")
        }
        #expect(reason.message.contains("signature does not verify"))
    }

    @Test("a milestone that is not the message its id names ends the audit")
    func malformedMilestone() throws {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.append(2)
        ledger.milestone()
        ledger.milestone()
        var server = ledger.server
        server.milestones[1].messageID = Digest32.zero.hex
        #expect(server.failure([pin]) == .malformedMilestone(index: 2))
        server.presented.newestMilestone.messageID = Digest32.zero.hex
        #expect(server.failure([pin]) == .malformedMilestone(index: 3))
    }

    // MARK: Key rotation

    @Test("an announced key rotation is followed: the pin moves to the new key")
    func announcedRotation() throws {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.append(2)
        ledger.milestone(announcing: Self.keyB)
        ledger.append(2)
        ledger.milestone()
        #expect(ledger.server.presented.coordinatorKey == ledger.verifierKey(Self.keyB).text)
        guard case .rotated(pin: 0, let audited) = try ledger.server.audit([pin]) else {
            throw Failure("expected the rotation to be followed")
        }
        #expect(audited.pin.coordinatorKey == ledger.verifierKey(Self.keyB).text)
        #expect(audited.rotations == [2] && audited.outcome == .extended(from: 3, to: 7))
        #expect(
            audited.report == [
                "milestone 2: coordinator key rotation announced by the previous key",
                "consistent: custos.example/acme grew from 3 to 7 entries, append-only (milestones 1 to 3)",
            ])
        // The moved pin has the presented key now.
        guard case .consistent(pin: 0, let again) = try ledger.server.audit([audited.pin]) else {
            throw Failure("expected the moved pin to be this log's")
        }
        #expect(again.outcome == .unchanged)
    }

    @Test("of several pins with the origin, the one whose announced rotations lead to the presented key is followed")
    func rotationAmongPins() throws {
        var other = AuditLedger(network: "custos-other", key: Self.keyC)
        other.append(5)
        other.milestone()
        let otherPin = try Self.pin(other)
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.append(2)
        ledger.milestone(announcing: Self.keyB)
        ledger.append(2)
        ledger.milestone()
        guard case .rotated(pin: 1, let audited) = try ledger.server.audit([otherPin, pin]) else {
            throw Failure("expected the second pin to be followed")
        }
        #expect(audited.pin.coordinatorKey == ledger.verifierKey(Self.keyB).text)
    }

    @Test("a log that presents the pinned key while its milestones hand over to another fails as KEY CHANGED")
    func keyChanged() throws {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.append(2)
        ledger.milestone(announcing: Self.keyB)
        ledger.append(2)
        ledger.milestone()
        var server = ledger.server
        server.presented.coordinatorKey = pin.coordinatorKey
        #expect(
            server.failure([pin])
                == .keyChanged(presented: pin.coordinatorKey, chainKey: ledger.verifierKey(Self.keyB).shortName))
    }

    /// A pin stored by an audit at milestone 2, which announces `keyB` (signed by `keyA`), while the log already
    /// presents `keyB`, as the ledger worker does once the announcing milestone is out.
    private static func pinnedAtAnnouncingMilestone() throws -> (AuditLedger, LedgerAudit.Pin) {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.append(2)
        ledger.milestone(announcing: Self.keyB)
        guard case .rotated(pin: 0, let audited) = try ledger.server.audit([pin]) else {
            throw Failure("expected the rotation to be followed")
        }
        return (ledger, audited.pin)
    }

    @Test("an audit that stores a pin at the announcing milestone can resume from it")
    func resumeAtAnnouncingMilestone() throws {
        var (ledger, pin) = try Self.pinnedAtAnnouncingMilestone()
        let (keyA, keyB) = (ledger.verifierKey(Self.keyA), ledger.verifierKey(Self.keyB))
        #expect(ledger.server.presented.coordinatorKey == keyB.text)
        // The pin trusts the announced key and keeps the key that signed its milestone.
        #expect(
            pin
                == LedgerAudit.Pin(
                    origin: AuditLedger.origin, coordinatorKey: keyB.text, checkpoint: ledger.notes[1],
                    milestone: ledger.entry(2).message, milestoneKey: keyA.text))

        // The next audit resumes from it: the pin has the presented key, and nothing changed.
        let (result, requests) = ledger.server.run([pin])
        guard case .consistent(pin: 0, let unchanged) = try result.get() else { throw Failure("\(result)") }
        #expect(requests.isEmpty)
        #expect(unchanged.outcome == .unchanged && unchanged.pin == pin && unchanged.rotations.isEmpty)

        // Milestones signed by the announced key follow; the pin then needs no second key.
        ledger.append(2)
        ledger.milestone()
        let grown = ledger.server.run([unchanged.pin])
        guard case .consistent(pin: 0, let audited) = try grown.result.get() else { throw Failure("\(grown)") }
        #expect(grown.requests == [.milestones(after: 2), .consistencyProof(from: 5, to: 7)])
        #expect(audited.outcome == .extended(from: 5, to: 7) && audited.milestones == 2...3)
        #expect(
            audited.pin
                == LedgerAudit.Pin(
                    origin: AuditLedger.origin, coordinatorKey: keyB.text, checkpoint: ledger.notes[2],
                    milestone: ledger.entry(3).message))

        // A pin of the announcing milestone under the previous key (first use in the moment the log still
        // presented it, written without a key for its milestone): the announced key is followed from it.
        var window = Self.started()
        window.append(2)
        window.milestone(announcing: Self.keyB)
        var early = window.server
        early.presented.coordinatorKey = keyA.text
        guard case .firstUse(let log) = try early.audit([]) else { throw Failure("expected a first use") }
        #expect(log.pin.coordinatorKey == keyA.text && log.pin.milestoneKey == nil)
        guard case .rotated(pin: 0, let moved) = try window.server.audit([log.pin]) else {
            throw Failure("expected the announced key to be followed")
        }
        #expect(moved.pin.coordinatorKey == keyB.text && moved.pin.milestoneKey == keyA.text)
        guard case .consistent(pin: 0, _) = try window.server.audit([moved.pin]) else {
            throw Failure("expected the moved pin to resume")
        }
    }

    @Test("after a pin at the announcing milestone, an unannounced key change is still KEY DIFFERS or KEY CHANGED")
    func unannouncedKeyChangeAfterAnnouncingMilestone() throws {
        let (ledger, pin) = try Self.pinnedAtAnnouncingMilestone()
        let keyB = ledger.verifierKey(Self.keyB)
        let keyC = ledger.verifierKey(Self.keyC)

        // From a pin before the announcing milestone, too: the chain leads to the announced key, not to this one.
        var fromBefore = Self.started()
        let before = try Self.pin(fromBefore)
        fromBefore.append(2)
        fromBefore.milestone(announcing: Self.keyB)
        fromBefore.swapKey(to: Self.keyC)
        #expect(
            fromBefore.server.failure([before])
                == .keyDiffers(
                    origin: AuditLedger.origin, presented: keyC.text,
                    mismatches: [.init(pin: 0, reason: .keyChanged(presented: keyC.text, chainKey: keyB.shortName))]))

        // Swapped for an unannounced key right after the announcing milestone: the chain leads to the announced key.
        var swapped = ledger
        swapped.swapKey(to: Self.keyC)
        #expect(
            swapped.server.failure([pin])
                == .keyDiffers(
                    origin: AuditLedger.origin, presented: keyC.text,
                    mismatches: [.init(pin: 0, reason: .keyChanged(presented: keyC.text, chainKey: keyB.shortName))]))
        // A milestone signed by the unannounced key breaks the chain.
        swapped.append(2)
        swapped.milestone()
        guard case .keyDiffers(_, keyC.text, let mismatches) = swapped.server.failure([pin]), mismatches.count == 1,
            case .brokenChain(milestone: 3, let reason) = mismatches[0].reason
        else { throw Failure("expected KEY DIFFERS with a broken chain at milestone 3") }
        #expect(reason.message.contains("signature does not verify"))

        // The log presents the previous key again, the one that signed the pinned milestone: not announced either.
        var server = ledger.server
        server.presented.coordinatorKey = ledger.verifierKey(Self.keyA).text
        #expect(
            server.failure([pin])
                == .keyDiffers(
                    origin: AuditLedger.origin, presented: server.presented.coordinatorKey,
                    mismatches: [
                        .init(
                            pin: 0,
                            reason: .keyChanged(presented: server.presented.coordinatorKey, chainKey: keyB.shortName))
                    ]))

        // Still presenting the announced key, a milestone signed by another key fails the audit as the log's.
        var forged = ledger
        forged.append(2)
        forged.milestone(signer: Self.keyC)
        #expect(forged.server.presented.coordinatorKey == keyB.text)
        guard case .brokenChain(milestone: 3, _) = forged.server.failure([pin]) else {
            throw Failure("expected a broken chain at milestone 3")
        }

        // Still presenting the announced key while the milestones hand over to another: KEY CHANGED.
        var handedOver = ledger
        handedOver.append(2)
        handedOver.milestone(announcing: Self.keyC)
        handedOver.append(2)
        handedOver.milestone()
        server = handedOver.server
        server.presented.coordinatorKey = keyB.text
        #expect(server.failure([pin]) == .keyChanged(presented: keyB.text, chainKey: keyC.shortName))
    }

    @Test("a log presenting the announced key that goes back behind a pin at the announcing milestone is a rollback")
    func rollbackBehindAnnouncingMilestone() throws {
        let (_, pin) = try Self.pinnedAtAnnouncingMilestone()
        var backup = Self.started()
        backup.swapKey(to: Self.keyB)
        #expect(backup.server.presented.coordinatorKey == pin.coordinatorKey)
        #expect(backup.server.failure([pin]) == .rollback(newest: 1, pinned: 2))
    }

    // MARK: KEY DIFFERS

    @Test("an unannounced key change is KEY DIFFERS, never a rollback and never a new pin")
    func unannouncedKeyChange() throws {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.swapKey(to: Self.keyC)
        let presented = ledger.verifierKey(Self.keyC)
        let pinnedKey = ledger.verifierKey(Self.keyA).shortName
        // Swapped before any milestone: the chain leads to the pinned key.
        #expect(
            ledger.server.failure([pin])
                == .keyDiffers(
                    origin: AuditLedger.origin, presented: presented.text,
                    mismatches: [
                        .init(pin: 0, reason: .keyChanged(presented: presented.text, chainKey: pinnedKey))
                    ]))
        // Milestones signed by the swapped key: the chain breaks.
        ledger.append(2)
        ledger.milestone()
        guard case .keyDiffers(_, presented.text, let mismatches) = ledger.server.failure([pin]),
            mismatches.count == 1, case .brokenChain(milestone: 2, _) = mismatches[0].reason
        else { throw Failure("expected KEY DIFFERS with a broken chain") }
        #expect(mismatches[0].reason.neutralDescription.hasPrefix("milestone 2 does not continue the pinned chain"))
    }

    @Test("a different log with a pinned origin is KEY DIFFERS, worded without a rollback; confirmed, it is pinned")
    func differentLogSameOrigin() throws {
        var first = AuditLedger(network: "custos-first", key: Self.keyA)
        for count in [3, 2, 2, 2] {
            first.append(count)
            first.milestone()
        }
        let pin = try Self.pin(first)
        var second = AuditLedger(network: "custos-second", key: Self.keyB)
        for count in [2, 1] {
            second.append(count)
            second.milestone()
        }
        let presented = second.verifierKey().text
        let error = second.server.failure([pin])
        #expect(
            error
                == .keyDiffers(
                    origin: AuditLedger.origin, presented: presented,
                    mismatches: [.init(pin: 0, reason: .rollback(newest: 2, pinned: 4))]))
        guard case .keyDiffers(_, _, let mismatches) = error else { throw Failure("expected KEY DIFFERS") }
        #expect(
            mismatches[0].reason.neutralDescription
                == "the log's newest milestone 2 comes before the pinned milestone 4")
        #expect(!mismatches[0].reason.neutralDescription.contains("rollback"))

        // Confirmed out of band: pinned beside the other log's pin, only under exactly the presented key.
        guard case .newLog(let log) = try second.server.audit([pin], confirming: presented) else {
            throw Failure("expected a new log")
        }
        #expect(log.pin.coordinatorKey == presented && log.size == 3 && log.pin.milestone == second.entry(2).message)
        #expect(
            second.server.failure([pin], confirming: pin.coordinatorKey)
                == .confirmedKeyNotPresented(presented: presented, confirmed: pin.coordinatorKey))
        guard case .confirmedKeyMalformed = second.server.failure([pin], confirming: "not a key") else {
            throw Failure("expected a malformed confirmed key")
        }
        // Once both are pinned, each log is audited against its own pin, and a confirmed key plays no part.
        guard case .consistent(pin: 1, _) = try second.server.audit([pin, log.pin], confirming: presented) else {
            throw Failure("expected the second pin to be this log's")
        }
        guard case .consistent(pin: 0, _) = try first.server.audit([pin, log.pin]) else {
            throw Failure("expected the first pin to be the first log's")
        }
    }

    // MARK: Origins and pins

    @Test("a pin of another origin never vouches for a log")
    func otherOrigin() throws {
        var ledger = Self.started()
        let pin = try Self.pin(ledger)
        ledger.append(2)
        ledger.milestone()
        var server = ledger.server
        server.presented.origin = "custos.example/other"
        #expect(
            throws: LedgerAuditError.originMismatch(pinned: AuditLedger.origin, presented: "custos.example/other")
        ) {
            try LedgerAudit.PinAudit(pin: pin, presented: server.presented)
        }
        // The audit does not follow it: the other origin is a new log, to be pinned on first use.
        let (result, requests) = server.run([pin])
        guard case .firstUse(let log) = try result.get() else { throw Failure("\(result)") }
        #expect(requests.isEmpty && log.pin.origin == "custos.example/other")

        // The same pin against its own origin is followed.
        var audit = try LedgerAudit.PinAudit(pin: pin, presented: ledger.server.presented)
        #expect(try audit.start() == .milestones(after: 1))
    }

    @Test("a pin whose key did not sign its milestone, or that does not parse, fails")
    func forgedPin() throws {
        var ledger = Self.started()
        var pin = try Self.pin(ledger)
        ledger.append(2)
        ledger.milestone(announcing: Self.keyB)
        ledger.append(2)
        ledger.milestone()
        let newKey = ledger.verifierKey(Self.keyB)
        pin.coordinatorKey = newKey.text
        guard case .pinnedMilestoneUnverified(key: newKey.shortName, _) = ledger.server.failure([pin]) else {
            throw Failure("expected the forged pin to fail")
        }
        pin.milestone = "not base64"
        guard case .pinDamaged = ledger.server.failure([pin]) else { throw Failure("expected a damaged pin") }

        // A pin at an announcing milestone: the key kept for its milestone must have signed it, and the milestone
        // must announce the pinned key.
        let (announced, atRotation) = try Self.pinnedAtAnnouncingMilestone()
        let keyC = announced.verifierKey(Self.keyC)
        var forged = atRotation
        forged.milestoneKey = keyC.text
        guard case .pinnedMilestoneUnverified(key: keyC.shortName, _) = announced.server.failure([forged]) else {
            throw Failure("expected the pinned milestone not to verify under the forged milestone key")
        }
        forged = atRotation
        forged.coordinatorKey = keyC.text
        #expect(
            announced.server.failure([forged])
                == .keyDiffers(
                    origin: AuditLedger.origin, presented: newKey.text,
                    mismatches: [
                        .init(
                            pin: 0,
                            reason: .pinnedKeyNotAnnounced(
                                key: keyC.shortName, signer: announced.verifierKey(Self.keyA).shortName))
                    ]))
        forged = atRotation
        forged.milestoneKey = "not a key"
        guard case .pinDamaged = announced.server.failure([forged]) else { throw Failure("expected a damaged pin") }
    }
}
