import CustosCore
import Foundation

extension CredentialVerifier {
    /// Verifies a `vc+jwt`: header (`alg` EdDSA, `typ` vc+jwt, `kid`), the signature by an assertionMethod
    /// of the issuer, `iss`/`exp`/`nbf` claims, then the credential's structure, validity and status.
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
            log.passed("jose", "compact JWS, alg EdDSA, typ vc+jwt, kid \(kid)")
        } catch {
            log.failed("jose", error)
            throw error
        }
        let claims = try JSONFields(jws.payload, path: "jwt payload")
        let structure = try checkStructure(jws.payload, log: &log)
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
        let typ = try fields.string("typ")
        guard typ == VCJWT.type else {
            throw IdentityError.malformed(field: "jwt header.typ", reason: "must be '\(VCJWT.type)', got '\(typ)'")
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
