import CustosCore
import CustosIdentity
import Foundation
import Testing

@Suite("Bitstring Status List: encoding, revocation, suspension, index allocation")
struct StatusListTests {
    static let specExample = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
    static let twoBitExample = "uH4sIAAAAAAACA-3QAQ0AAAgDIN_c6ObwgwjsAAAAAAAAAAAAAADQJgoAAAAA3jky_qmsAEAAAA"
    static let revocationURL = "https://status.example/lists/revocation-1"
    static let suspensionURL = "https://status.example/lists/suspension-1"

    @Test("vector #14a: the specification's example decodes to 16,384 zero bytes")
    func specExampleDecodes() throws {
        let list = try BitstringStatusList(encodedList: Self.specExample)
        #expect(list.bytes.count == 16_384)
        #expect(list.bytes.allSatisfy { $0 == 0 })
        #expect(list.bitCount == BitstringStatusList.minimumBitCount)
        #expect(list.setIndices.isEmpty)
    }

    @Test("vector #14b: bits 0 and 94567 set, MSB first")
    func twoBitExampleDecodes() throws {
        let list = try BitstringStatusList(encodedList: Self.twoBitExample)
        #expect(list.bytes[0] == 0x80)
        #expect(list.bytes[11_820] == 0x01)
        #expect(list.setIndices == [0, 94_567])
        #expect(try list.isSet(0) && list.isSet(94_567))
        #expect(try !list.isSet(1) && !list.isSet(94_566))
    }

    @Test("create, set, clear, encode and decode round-trip; the encoding is GZIP + multibase 'u'")
    func roundTrip() throws {
        var list = try BitstringStatusList()
        try list.set(0)
        try list.set(94_567)
        try list.set(131_071)
        try list.set(7)
        try list.set(7, to: false)
        let encoded = try list.encoded()
        #expect(encoded.hasPrefix("u"))
        #expect(try Base64URL.decode(encoded.dropFirst()).prefix(2) == [0x1F, 0x8B])
        let decoded = try BitstringStatusList(encodedList: encoded)
        #expect(decoded == list)
        #expect(decoded.setIndices == [0, 94_567, 131_071])
        // Our encoder writes exactly the bits of the computed two-bit example.
        var twoBits = try BitstringStatusList()
        try twoBits.set(0)
        try twoBits.set(94_567)
        #expect(
            try BitstringStatusList(encodedList: try twoBits.encoded())
                == BitstringStatusList(encodedList: Self.twoBitExample))
    }

    @Test("multi-bit statuses read statusSize bits starting at index × statusSize")
    func multiBit() throws {
        var list = try BitstringStatusList()
        try list.set(6)
        try list.set(7)
        try list.set(9)
        #expect(try list.status(at: 3, size: 2) == 3)
        #expect(try list.status(at: 4, size: 2) == 1)
        #expect(try list.status(at: 2, size: 4) == 0b0100)
        #expect(throws: IdentityError.statusIndexOutOfRange(index: 65_536, size: 65_536)) {
            try list.status(at: 65_536, size: 2)
        }
    }

    @Test("failure: short lists, out-of-range indices and bad encodings are refused")
    func invalidLists() throws {
        #expect(throws: IdentityError.self) { try BitstringStatusList(bitCount: 8) }
        #expect(throws: IdentityError.self) { try BitstringStatusList(bytes: [0, 0]) }
        var list = try BitstringStatusList()
        #expect(throws: IdentityError.statusIndexOutOfRange(index: 131_072, size: 131_072)) { try list.set(131_072) }
        #expect(throws: IdentityError.statusIndexOutOfRange(index: -1, size: 131_072)) { try list.isSet(-1) }
        // GZIP of 100 zero bytes (Python gzip, mtime 0): valid, but far shorter than 16 KiB.
        let short = "uH4sIAAAAAAACA2NgoD0AAMrGiJlkAAAA"
        #expect(
            throws: IdentityError.malformed(
                field: "encodedList", reason: "expands to 800 bits, fewer than the required 131072")
        ) { try BitstringStatusList(encodedList: short) }
        #expect(throws: IdentityError.self) { try BitstringStatusList(encodedList: "z" + Self.specExample.dropFirst()) }
        #expect(throws: IdentityError.self) { try BitstringStatusList(encodedList: "uAAAA") }
    }

    /// An issuer with a revocation list and a suspension list, and a credential in both.
    struct Lists {
        let issuer: Fixture.Identity
        var revocation: BitstringStatusList
        var suspension: BitstringStatusList
        let index: Int
        let credential: JSONValue

        func listCredential(_ purpose: StatusPurpose, issuer: Fixture.Identity? = nil) throws -> JSONValue {
            let url = purpose == .revocation ? StatusListTests.revocationURL : StatusListTests.suspensionURL
            let signer = issuer ?? self.issuer
            let draft = try BitstringStatusListCredential.draft(
                id: url, issuer: signer.did, purpose: purpose, list: purpose == .revocation ? revocation : suspension,
                ttl: 300_000)
            return try VerifiableCredential.issue(draft, signer: signer.signer, created: Fixture.issued)
        }

        func verify(
            lists: [JSONValue]? = nil, credential: JSONValue? = nil, options: CredentialVerifier.Options = .init()
        ) async throws -> IdentityError? {
            let supplied = try lists ?? [listCredential(.revocation), listCredential(.suspension)]
            let verifier = CredentialVerifier(
                resolver: Fixture.resolver(issuer, Fixture.identity(2)),
                statusFetcher: StaticStatusListFetcher(supplied),
                options: options)
            let target = credential ?? self.credential
            return await Fixture.failure { () async throws(IdentityError) in
                try await verifier.verify(target, now: Fixture.now)
            }
        }
    }

    static func lists() throws -> Lists {
        let issuer = Fixture.identity(1)
        var allocator = try StatusIndexAllocator()
        let index = try allocator.allocate()
        let status = [
            BitstringStatusListEntry(statusListCredential: revocationURL, index: index, purpose: .revocation).json,
            BitstringStatusListEntry(statusListCredential: suspensionURL, index: index, purpose: .suspension).json,
        ]
        return Lists(
            issuer: issuer, revocation: try BitstringStatusList(), suspension: try BitstringStatusList(), index: index,
            credential: Fixture.credential(by: issuer, status: status))
    }

    @Test("the status list credential and entries have the specified shape")
    func shapes() throws {
        let lists = try Self.lists()
        let list = try lists.listCredential(.revocation)
        #expect(list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"])
        #expect(list["id"]?.stringValue == Self.revocationURL)
        #expect(list["credentialSubject"]?["type"] == "BitstringStatusList")
        #expect(list["credentialSubject"]?["statusPurpose"] == "revocation")
        #expect(list["credentialSubject"]?["encodedList"]?.stringValue?.hasPrefix("u") == true)
        #expect(list["credentialSubject"]?["ttl"] == 300_000)
        let entry = try #require(lists.credential["credentialStatus"]?[0])
        #expect(entry["type"] == "BitstringStatusListEntry")
        #expect(entry["statusListIndex"]?.stringValue == String(lists.index))
        #expect(entry["id"]?.stringValue == "\(Self.revocationURL)#\(lists.index)")
        let parsed = try BitstringStatusListEntry(json: entry)
        #expect(parsed.index == lists.index && parsed.purpose == .revocation && parsed.size == 1)
    }

    @Test("revocation: a set bit in the revocation list revokes the credential")
    func revocation() async throws {
        var lists = try Self.lists()
        #expect(try await lists.verify() == nil)
        try lists.revocation.set(lists.index)
        #expect(try await lists.verify() == .revoked(statusList: Self.revocationURL, index: lists.index))
    }

    @Test("suspension: a set bit suspends the credential; clearing it reinstates it")
    func suspension() async throws {
        var lists = try Self.lists()
        try lists.suspension.set(lists.index)
        #expect(try await lists.verify() == .suspended(statusList: Self.suspensionURL, index: lists.index))
        try lists.suspension.set(lists.index, to: false)
        #expect(try await lists.verify() == nil)
    }

    @Test("failure: a status list that was not supplied is unavailable, or skipped when status is optional")
    func unavailable() async throws {
        let lists = try Self.lists()
        let revocationOnly = [try lists.listCredential(.revocation)]
        #expect(
            try await lists.verify(lists: revocationOnly)
                == .statusUnavailable(statusList: Self.suspensionURL, reason: "it was not supplied"))
        #expect(try await lists.verify(lists: revocationOnly, options: .init(requiresStatusCheck: false)) == nil)
    }

    @Test("failure: a status list signed by another issuer, with another purpose, or altered, is not trusted")
    func invalidListCredential() async throws {
        let lists = try Self.lists()
        let foreign = try lists.listCredential(.revocation, issuer: Fixture.identity(2))
        guard
            case .statusListInvalid(Self.revocationURL, let reason)? = try await lists.verify(
                lists: [foreign, try lists.listCredential(.suspension)])
        else {
            Issue.record("a status list from another issuer was used")
            return
        }
        #expect(reason.contains("not by the credential's issuer"))

        guard case .object(var members) = try lists.listCredential(.revocation) else { return }
        members["credentialSubject"] = JSONValue.object(
            members["credentialSubject"]!.objectValue!.merging(["encodedList": .string(Self.twoBitExample)]) { $1 })
        guard
            case .statusListInvalid(Self.revocationURL, let altered)? = try await lists.verify(
                lists: [.object(members), try lists.listCredential(.suspension)])
        else {
            Issue.record("an altered status list was used")
            return
        }
        #expect(altered.contains("does not verify"))

        let status = [
            BitstringStatusListEntry(statusListCredential: Self.revocationURL, index: 3, purpose: .suspension).json
        ]
        let mismatched = Fixture.credential(by: lists.issuer, status: status)
        #expect(
            try await lists.verify(credential: mismatched)
                == .statusPurposeMismatch(entry: "suspension", list: "revocation"))
    }

    @Test("random index allocation never reuses an index and reports a full list")
    func allocation() throws {
        var allocator = try StatusIndexAllocator(capacity: 1000)
        var seen: Set<Int> = []
        for _ in 0..<1000 {
            let index = try allocator.allocate()
            #expect((0..<1000).contains(index))
            #expect(seen.insert(index).inserted, "index \(index) was assigned twice")
        }
        #expect(allocator.usedCount == 1000)
        #expect(throws: IdentityError.statusListFull(capacity: 1000)) { try allocator.allocate() }

        var restored = try StatusIndexAllocator(capacity: 16)
        try restored.markUsed(3)
        var reloaded = try StatusIndexAllocator(capacity: 16, usedBitmap: restored.usedBitmap)
        #expect(reloaded.usedCount == 1 && reloaded.isUsed(3))
        for _ in 0..<15 {
            #expect(try reloaded.allocate() != 3)
        }
    }

    @Test("indices are random, not sequential (herd privacy)")
    func randomness() throws {
        var allocator = try StatusIndexAllocator()
        let indices = try (0..<8).map { _ in try allocator.allocate() }
        // Eight sequential or sorted draws out of 131,072 happen by chance with probability below 1e-4.
        #expect(indices != indices.sorted())
        #expect(Set(indices).count == 8)
    }
}
