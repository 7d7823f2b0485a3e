import CustosCore
import Foundation

extension CredentialVerifier {
    /// Verifies a `vc+jwt`: header (`alg` EdDSA, `typ` vc+jwt when present, `kid`), a VC 2.0 payload, the
    /// signature by an assertionMethod of the issuer, `iss`/`exp`/`nbf` claims, then the credential's
    /// validity and status.
    public func verify(jwt: String, now: Date) async throws(IdentityError) -> VerifiedCredential {
        var log = VerificationLog()
        return try await verify(jwt: jwt, now: now, log: &log)
    }

    func verify(jwt: String, now: Date, log: inout VerificationLog) async throws(IdentityError) -> VerifiedCredential {
        let jws: CompactJWS
        let kid: String
        do throws(IdentityError) {
            jws = try CompactJWS(jwt)
            kid = try checkHeader(jws.header)
            let typ = jws.header["typ"] == nil ? "no typ" : "typ \(VCJWT.type)"
            log.passed("jose", "compact JWS, alg EdDSA, \(typ), kid \(kid)")
        } catch {
            log.failed("jose", error)
            throw error
        }
        let claims = try JSONFields(jws.payload, path: "jwt payload")
        let structure = try checkPayloadStructure(jws.payload, log: &log)
        let method: VerificationMethod
        do throws(IdentityError) {
            for claim in ["vc", "vp"] where claims[claim] != nil {
                throw IdentityError.malformed(
                    field: "jwt payload.\(claim)", reason: "must not be present in a vc+jwt (VC 2.0)")
            }
            if let iss = try claims.optionalString("iss"), iss != structure.issuer.description {
                throw IdentityError.malformed(
                    field: "jwt payload.iss", reason: "is '\(iss)' but the issuer is \(structure.issuer)")
            }
            method = try await verifySignature(jws, kid: kid, issuer: structure.issuer)
            log.passed("proof", "JWS EdDSA signature by \(method.id) for assertionMethod, issuer \(structure.issuer)")
        } catch {
            log.failed("proof", error)
            throw error
        }
        let notBefore = try numericDate(claims, "nbf")
        let notAfter = try numericDate(claims, "exp")
        try checkValidity(structure, now: now, notBefore: notBefore, notAfter: notAfter, log: &log)
        try await checkStatus(structure, now: now, log: &log)
        let pseudoProof = VerifiedProof(
            json: jws.header, type: "JWS", cryptosuite: "EdDSA", method: method, purpose: "assertionMethod",
            created: try numericDate(claims, "iat"))
        return VerifiedCredential(
            json: jws.payload,
            format: .vcJWT,
            id: structure.id,
            issuer: structure.issuer,
            types: structure.types,
            subjectIDs: structure.subjectIDs,
            validFrom: structure.validFrom,
            validUntil: structure.validUntil,
            proofs: [pseudoProof],
            checks: log.checks)
    }

    private func checkHeader(_ header: JSONValue) throws(IdentityError) -> String {
        let fields = try JSONFields(header, path: "jwt header")
        let alg = try fields.string("alg")
        guard alg == "EdDSA" else {
            throw IdentityError.unsupportedCryptosuite("JOSE alg \(alg)")
        }
        // VC-JOSE-COSE says typ SHOULD be vc+jwt, so a token without one is acceptable; one that names
        // another type (or is null) is meant to be read as something else, and is not.
        if let typ = fields.members["typ"], typ != .string(VCJWT.type) {
            let found = typ.stringValue.map { "'\($0)'" } ?? "a value that is not a string"
            throw IdentityError.malformed(field: "jwt header.typ", reason: "must be '\(VCJWT.type)', got \(found)")
        }
        if let cty = try fields.optionalString("cty"), cty != VCJWT.contentType {
            throw IdentityError.malformed(
                field: "jwt header.cty", reason: "must be '\(VCJWT.contentType)', got '\(cty)'")
        }
        guard fields["crit"] == nil else {
            throw IdentityError.malformed(
                field: "jwt header.crit", reason: "names extensions this verifier does not understand")
        }
        return try fields.string("kid")
    }

    /// The payload's structure; unlike a credential with embedded proofs, never a VC 1.1 one.
    ///
    /// VC-JOSE-COSE secures VC Data Model 2.0 credentials only; a 1.1 credential in a JWT is the older
    /// VC-JWT format with other claim rules, and `acceptsLegacyCredentials` is about IS's embedded
    /// JcsEd25519Signature2020 proofs, not about that.
    private func checkPayloadStructure(_ payload: JSONValue, log: inout VerificationLog) throws(IdentityError)
        -> CredentialStructure
    {
        do throws(IdentityError) {
            try VCJWT.refuseVersion1(payload)
        } catch {
            log.failed("structure", error)
            throw error
        }
        return try checkStructure(payload, acceptsVersion1: false, log: &log)
    }

    private func verifySignature(_ jws: CompactJWS, kid: String, issuer: DID) async throws(IdentityError)
        -> VerificationMethod
    {
        let url = try DIDURL(kid, relativeTo: issuer)
        guard url.did == issuer else {
            throw IdentityError.methodNotControlledBy(method: url.description, controller: issuer.description)
        }
        let document = try await resolver.resolve(issuer)
        guard let method = document.method(url) else {
            throw IdentityError.unknownVerificationMethod(url.description)
        }
        guard document.isAuthorized(url, for: .assertionMethod) else {
            throw IdentityError.methodNotAuthorized(method: url.description, relationship: "assertionMethod")
        }
        guard jws.isValidSignature(try method.ed25519Key()) else {
            throw IdentityError.badSignature(method: url.description)
        }
        return method
    }

    private func numericDate(_ claims: JSONFields, _ name: String) throws(IdentityError) -> Date? {
        guard let value = claims[name] else { return nil }
        guard let seconds = value.doubleValue, seconds.isFinite else {
            throw IdentityError.malformed(
                field: "jwt payload.\(name)", reason: "must be a NumericDate (seconds since 1970)")
        }
        return Date(timeIntervalSince1970: seconds)
    }
}
