import CustosCore
import CustosLedger
import Testing

@Suite struct CheckpointTests {
    static let root8 = digest("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")

    @Test func formatsAndParsesTheBody() throws {
        let checkpoint = try Checkpoint(origin: "custos.example/acme", size: 8, root: Self.root8)
        #expect(checkpoint.text == SignedNoteTests.acmeCheckpoint)
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
        let extended = try Checkpoint(origin: "o", size: 0, root: MerkleHash.emptyRoot, extensions: ["x y", "z"])
        #expect(extended.text == "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nx y\nz\n")
        #expect(try Checkpoint(text: extended.text) == extended)
    }

    @Test func signedCheckpointRoundTrip() throws {
        let signer = signer("custos.example/acme", seed: 1)
        let other = CustosLedgerTests.signer("custos.example/acme", seed: 2)
        let checkpoint = try Checkpoint(origin: "custos.example/acme", size: 8, root: Self.root8)
        let note = try checkpoint.signed(by: [signer])
        #expect(try Checkpoint.verified(note: note.serialized, keys: [signer.verifierKey]) == checkpoint)
        #expect(throws: NoteError.self) {
            try Checkpoint.verified(note: note.serialized, keys: [other.verifierKey])
        }
    }

    @Test func malformedBodiesAreRejected() {
        let root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
        let cases: [(String, NoteError)] = [
            ("o\n8\n\(root)", .textNotNewlineTerminated),
            ("o\n8\n", .checkpointTooShort(lines: 2)),
            ("\n8\n\(root)\n", .emptyOrigin),
            ("o\n08\n\(root)\n", .invalidTreeSize("08")),
            ("o\n-1\n\(root)\n", .invalidTreeSize("-1")),
            ("o\n+8\n\(root)\n", .invalidTreeSize("+8")),
            ("o\n 8\n\(root)\n", .invalidTreeSize(" 8")),
            ("o\n18446744073709551616\n\(root)\n", .invalidTreeSize("18446744073709551616")),
            (
                "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQ\n",
                .invalidRootHash("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQ")
            ),
            ("o\n8\n\(root)AAAA\n", .invalidRootHash(root + "AAAA")),
            ("o\n8\n\(root)\n\n", .invalidExtensionLine("")),
            ("o\n8\n\(root)\nok\n\nx\n", .invalidExtensionLine("")),
            ("o\t\n8\n\(root)\n", .controlCharacter(offset: 1)),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text.debugDescription)") { try Checkpoint(text: text) }
        }
        #expect(throws: NoteError.emptyOrigin) { try Checkpoint(origin: "", size: 1, root: Self.root8) }
        #expect(throws: NoteError.controlCharacter(offset: 1)) {
            try Checkpoint(origin: "a\nb", size: 1, root: Self.root8)
        }
        #expect(throws: NoteError.invalidExtensionLine("")) {
            try Checkpoint(origin: "a", size: 1, root: Self.root8, extensions: [""])
        }
        #expect(UInt64.max == (try? Checkpoint(text: "o\n18446744073709551615\n\(root)\n"))?.size)
    }
}
