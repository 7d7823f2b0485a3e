import CustosCore
import CustosCrypto

/// Test data of an Integration Services deployment, for the tests of what Custos imports from one: the ssi-bridge
/// test suite's UserIdentityMock and ServerIdentityMock (documents IS signed itself), the mock user's key, and
/// the legacy signature (`JcsEd25519Signature2020`) to make more such documents and credentials with it.
public enum IntegrationServicesFixtures {
    /// The UserIdentityMock's Ed25519 seed (base58, as IS stored keys).
    public static let userSeed = try! Base58.decode("GLqGAR11K989PGkoVwibkmE7bdw6tQafVf2DCQj9JQrQ")
    /// The UserIdentityMock's key.
    public static let userKey = try! Ed25519.PrivateKey(seed: userSeed)
    /// The UserIdentityMock's DID.
    public static let userDID = "did:iota:EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi"

    /// The UserIdentityMock's root document as the IS resolver returned it (with its unsigned
    /// `integrationMessageId`).
    public static let userMockText = """
        {"doc":{"id":"did:iota:EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi",
          "capabilityInvocation":[{"id":"did:iota:EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi#sign-0",
            "controller":"did:iota:EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi","type":"Ed25519VerificationKey2018",
            "publicKeyMultibase":"zGPpRru9YxgY2amWqzAkWbLwuL25x47o73oBhp4f5avij"}]},
         "integrationMessageId":"mymessage",
         "meta":{"created":"2022-07-21T15:26:04Z","updated":"2022-07-21T15:26:04Z"},
         "proof":{"type":"JcsEd25519Signature2020","verificationMethod":"did:iota:EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi#sign-0",
          "signatureValue":"UnFqyMkHVLP3ToyE8bteiEukjmHbQbtWzstYByNgJrCZxTosHdXsx4k4VzRNE6KZffPJFpkNv6dyXFfmv7tc2n5"}}
        """

    /// The ServerIdentityMock's root document, likewise.
    public static let serverMockText = """
        {"doc":{"id":"did:iota:GEpCtmCAqr9mdR1zC5iL6bg1jAq8NmR8QmmdH8T7eFtm",
          "capabilityInvocation":[{"id":"did:iota:GEpCtmCAqr9mdR1zC5iL6bg1jAq8NmR8QmmdH8T7eFtm#sign-0",
            "controller":"did:iota:GEpCtmCAqr9mdR1zC5iL6bg1jAq8NmR8QmmdH8T7eFtm","type":"Ed25519VerificationKey2018",
            "publicKeyMultibase":"zBojkSuALfcNGQfPX52f8sNF23To2by99KGHLeWB9wDza"}]},
         "integrationMessageId":"mymessage",
         "meta":{"created":"2022-07-21T14:52:49Z","updated":"2022-07-21T14:52:49Z"},
         "proof":{"type":"JcsEd25519Signature2020","verificationMethod":"did:iota:GEpCtmCAqr9mdR1zC5iL6bg1jAq8NmR8QmmdH8T7eFtm#sign-0",
          "signatureValue":"54KYBA2STMvYosWKFqa7Pv2hSyk1PdgNYf6oqTyjUy9j3jEANAD84uuSpHrP2MtfdTeJesaUrqpigBbaeQuWuFV8"}}
        """

    /// The UserIdentityMock's document, parsed.
    public static var userMock: JSONValue { try! JSONParser.parse(Array(userMockText.utf8)) }
    /// The ServerIdentityMock's document, parsed.
    public static var serverMock: JSONValue { try! JSONParser.parse(Array(serverMockText.utf8)) }

    /// Signs the legacy way: Ed25519 over JCS(document with proof minus signatureValue), base58 without 'z'.
    public static func legacySign(_ document: JSONValue, key: Ed25519.PrivateKey, method: String) throws -> JSONValue {
        guard case .object(var members) = document else { return document }
        members["proof"] = ["type": "JcsEd25519Signature2020", "verificationMethod": .string(method)]
        let signature = key.signature(for: try JCS.canonicalBytes(.object(members)))
        members["proof"] = [
            "type": "JcsEd25519Signature2020", "verificationMethod": .string(method),
            "signatureValue": .string(Base58.encode(signature)),
        ]
        return .object(members)
    }
}
