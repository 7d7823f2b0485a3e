import CustosCore
import CustosCrypto
import CustosLedger
import Testing

@Suite struct SignedNoteTests {
    /// protocols.md §4.2: the C2SP signed-note Ed25519 example.
    static let exampleKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    static let exampleNote =
        "This is an example message.\n\n"
        + "\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"

    /// Cross-checked with PyNaCl and hashlib (seed 0x01×32): key id, verifier key and signature line.
    static let acmeKey = "custos.example/acme+4266e391+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c"
    static let acmeCheckpoint = "custos.example/acme\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
    static let acmeSignatureLine =
        "\u{2014} custos.example/acme "
        + "Qmbjkf6gzvvl9OsKREIX0kTOPD9yq6V7WelYNHpKzbl7FQXtBm0HoJskrdr0eTpSFG83xQs7UcyEnupFjdDkokg5iws="

    @Test func specExampleVerifies() throws {
        let key = try NoteVerifierKey(parsing: Self.exampleKey)
        #expect(key.name == "example.com/foo")
        #expect(key.keyID == 0x530d_903a)
        #expect(key.text == Self.exampleKey)
        #expect(NoteVerifierKey.keyID(name: key.name, publicKey: key.publicKey) == 0x530d_903a)
        let note = try SignedNote(parsing: Self.exampleNote)
        #expect(note.text == "This is an example message.\n")
        #expect(note.signatures.count == 1)
        #expect(note.signatures[0].keyID == 0x530d_903a)
        #expect(try note.verify(using: [key]) == [key])
        #expect(note.serialized == Self.exampleNote)
    }

    @Test func signingMatchesTheIndependentComputation() throws {
        let signer = signer("custos.example/acme", seed: 0x01)
        #expect(signer.verifierKey.text == Self.acmeKey)
        let note = try SignedNote.sign(text: Self.acmeCheckpoint, signers: [signer])
        #expect(note.serialized == Self.acmeCheckpoint + "\n" + Self.acmeSignatureLine + "\n")
        try note.verify(using: try NoteVerifierKey(parsing: Self.acmeKey))
    }

    @Test func multipleSignersAndUnknownKeys() throws {
        let log = signer("custos.example/acme", seed: 1)
        let witness = signer("witness.example/w1", seed: 2)
        let note = try SignedNote.sign(text: "hello\n", signers: [log, witness])
        let reparsed = try SignedNote(parsing: note.serialized)
        #expect(reparsed == note)
        #expect(try reparsed.verify(using: [log.verifierKey, witness.verifierKey]).count == 2)
        // Unknown signatures are ignored as long as one known key signed.
        #expect(try reparsed.verify(using: [witness.verifierKey]) == [witness.verifierKey])
        let stranger = signer("stranger.example", seed: 3)
        #expect(throws: NoteError.noTrustedSignature(keys: [stranger.verifierKey.shortName])) {
            try reparsed.verify(using: stranger.verifierKey)
        }
        // A key sharing the name but not the id is another key: ignored, not a failure.
        let impostor = signer("custos.example/acme", seed: 4)
        #expect(throws: NoteError.noTrustedSignature(keys: [impostor.verifierKey.shortName])) {
            try SignedNote.sign(text: "hello\n", signers: [log]).verify(using: impostor.verifierKey)
        }
    }

    @Test func badSignatureByKnownKeyRejectsTheNote() throws {
        let log = signer("custos.example/acme", seed: 1)
        let witness = signer("witness.example/w1", seed: 2)
        let good = try SignedNote.sign(text: "hello\n", signers: [log])
        let forged = try SignedNote(
            text: "hellO\n", signatures: good.signatures + [try witness.sign(text: "hellO\n")])
        #expect(throws: NoteError.invalidSignature(key: log.verifierKey.shortName)) {
            try forged.verify(using: [log.verifierKey, witness.verifierKey])
        }
        #expect(
            NoteError.invalidSignature(key: log.verifierKey.shortName).description
                == "checkpoint signature does not verify under key custos.example/acme+4266e391")
        // Editing the text of a serialized note breaks the signature.
        let edited = good.serialized.replacing("hello", with: "hullo")
        #expect(throws: NoteError.invalidSignature(key: log.verifierKey.shortName)) {
            try SignedNote(parsing: edited).verify(using: log.verifierKey)
        }
    }

    @Test func malformedNotesAreRejected() throws {
        let line = Self.exampleNote.split(separator: "\n").last.map(String.init)!
        let cases: [(String, NoteError)] = [
            ("This is an example message.\n" + line + "\n", .missingSignatureBlock),
            ("This is an example message.\n\n" + line, .missingTrailingNewline),
            ("This is an example message.\n\n", .missingTrailingNewline),
            ("This is an\u{7} example message.\n\n" + line + "\n", .controlCharacter(offset: 10)),
            ("This is an example message.\r\n\n" + line + "\n", .controlCharacter(offset: 27)),
            (
                "This is an example message.\n\n" + line + "\n" + line + "\n",
                .duplicateSignature(keyName: "example.com/foo", keyID: 0x530d_903a)
            ),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text.debugDescription)") { try SignedNote(parsing: text) }
        }
        let badLines = [
            "- example.com/foo AAAAAAA=", "\u{2014}example.com/foo AAAAAAA=", "\u{2014} example.com/foo",
            "\u{2014} example.com/foo  AAAAAAA=", "\u{2014} example.com/foo AAAA", "\u{2014} example.com/foo AAAAAA=",
            "\u{2014} example.com/foo not-base64!", "\u{2014} exa+mple.com AAAAAAA=", "\u{2014}  AAAAAAA=",
            "\u{2014} example.com/foo AAAAAAA= extra", "",
        ]
        for bad in badLines {
            #expect(throws: NoteError.self, "\(bad)") { try SignedNote(parsing: "text\n\n" + bad + "\n") }
        }
        #expect(throws: NoteError.invalidUTF8) { try SignedNote(bytes: Array("text\n\n".utf8) + [0xFF, 0x0A]) }
    }

    @Test func signatureCountIsLimited() throws {
        let sig = Base64.encode([UInt8](repeating: 7, count: 68))
        let lines = (0...SignedNote.maximumSignatures).map { "\u{2014} k\($0) \(sig)\n" }
        #expect(throws: NoteError.tooManySignatures(count: 101, limit: 100)) {
            try SignedNote(parsing: "text\n\n" + lines.joined())
        }
        let note = try SignedNote(parsing: "text\n\n" + lines.dropLast().joined())
        #expect(note.signatures.count == 100)
    }

    @Test func textMayContainBlankLinesButMustEndInNewline() throws {
        let log = signer("log", seed: 5)
        let note = try SignedNote.sign(text: "a\n\nb\n\n", signers: [log])
        let reparsed = try SignedNote(parsing: note.serialized)
        #expect(reparsed.text == "a\n\nb\n\n")
        try reparsed.verify(using: log.verifierKey)
        #expect(throws: NoteError.textNotNewlineTerminated) { try log.sign(text: "no newline") }
        #expect(throws: NoteError.textNotNewlineTerminated) { try SignedNote.sign(text: "", signers: [log]) }
        #expect(throws: NoteError.noSignatures) { try SignedNote(text: "a\n", signatures: []) }
    }

    @Test func verifierKeyParsing() throws {
        let key = try NoteVerifierKey(parsing: Self.exampleKey)
        #expect(key.shortName == "example.com/foo+530d903a")
        let cases: [(String, NoteError)] = [
            (
                "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
                .keyIDMismatch(declared: 0x530d_903b, computed: 0x530d_903a)
            ),
            (
                "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
                .malformedVerifierKey(reason: "key id \"530D903A\" is not 8 lowercase hex digits")
            ),
            ("example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", .unsupportedSignatureType(2)),
            (
                " example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
                .invalidKeyName(" example.com/foo")
            ),
            ("+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", .invalidKeyName("")),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text)") { try NoteVerifierKey(parsing: text) }
        }
        for bad in [
            "example.com/foo+530d903a", "a+b+c+d",
            "example.com/foo+530d903+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U", "example.com/foo+530d903a+",
            "example.com/foo+530d903a+!!!!",
        ] {
            #expect(throws: NoteError.self, "\(bad)") { try NoteVerifierKey(parsing: bad) }
        }
        #expect(throws: NoteError.invalidKeyName("a b")) { try NoteSigner(name: "a b", privateKey: seededKey(1)) }
        #expect(throws: NoteError.invalidKeyName("a\u{2003}b")) {
            try NoteSigner(name: "a\u{2003}b", privateKey: seededKey(1))
        }
    }
}
