import CustosCore
import Foundation

/// Verifies a credential, presentation, vc+jwt or DID document chain offline, from documents the caller
/// supplies (the engine of `custosctl verify FILE [--did-document FILE]...`).
///
/// `documents` may hold, in any order: DID documents, did:custos document versions (single or as an
/// array; verified as a chain), Integration Services `{doc, meta, proof}` root documents (verified),
/// status list credentials (used for status checks), and VerifiedIdentityCredentials (used for trust
/// chains). did:key needs no document.
public enum OfflineVerifier {
    /// What the offline verifier should additionally require.
    public struct Options: Sendable {
        /// Trusted root DIDs; when non-empty, every credential issuer must be trusted through them.
        public var trustedRoots: [DID]
        /// The most links a trust chain may have.
        public var maximumTrustDepth: Int
        /// The challenge a presentation must answer, if any.
        public var challenge: String?
        /// The domain a presentation must be bound to, if any.
        public var domain: String?
        /// Whether presented credentials must be about the holder.
        public var requiresHolderAsSubject: Bool
        /// Whether a status entry whose list was not supplied fails verification (otherwise it is skipped).
        public var requiresStatusCheck: Bool
        /// If set, did:custos DIDs resolve to the document version in force at this time instead of the
        /// latest, e.g. to check a credential issued with a key that was rotated out since.
        public var resolutionTime: Date?

        /// Offline defaults: no trust roots, no challenge or domain, missing status lists skipped.
        public init(
            trustedRoots: [DID] = [],
            maximumTrustDepth: Int = 3,
            challenge: String? = nil,
            domain: String? = nil,
            requiresHolderAsSubject: Bool = false,
            requiresStatusCheck: Bool = false,
            resolutionTime: Date? = nil
        ) {
            self.trustedRoots = trustedRoots
            self.maximumTrustDepth = maximumTrustDepth
            self.challenge = challenge
            self.domain = domain
            self.requiresHolderAsSubject = requiresHolderAsSubject
            self.requiresStatusCheck = requiresStatusCheck
            self.resolutionTime = resolutionTime
        }
    }

    /// Verifies the text of a file: a JSON credential, presentation or DID document chain, or a compact
    /// vc+jwt, at time `now`, against the supplied `documents`.
    public static func verify(
        _ input: String, documents: [JSONValue] = [], now: Date, options: Options = Options()
    ) async -> VerificationReport {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        // JSON starts with an object, an array or (a quoted vc+jwt) a string; anything else is taken as a
        // bare compact vc+jwt.
        guard let first = trimmed.first, "{[\"".contains(first) else {
            return await verify(JSONValue.string(trimmed), documents: documents, now: now, options: options)
        }
        do throws(JSONError) {
            let value = try JSONParser.parse(trimmed)
            return await verify(value, documents: documents, now: now, options: options)
        } catch {
            let failure = IdentityError.malformed(field: "(input)", reason: "is not valid JSON: \(error.description)")
            var log = VerificationLog()
            log.failed("structure", failure)
            return VerificationReport(subject: .unknown, title: "document", checks: log.checks, error: failure)
        }
    }

    /// Verifies a parsed input at time `now` against the supplied `documents`; a JSON string is taken as a
    /// compact vc+jwt.
    public static func verify(
        _ input: JSONValue, documents: [JSONValue] = [], now: Date, options: Options = Options()
    ) async -> VerificationReport {
        var log = VerificationLog()
        let subject = classify(input)
        let title = describe(input, as: subject)
        let context: Context
        do throws(IdentityError) {
            context = try Context(documents: documents, options: options)
            log.passed("documents", context.summary)
        } catch {
            log.failed("documents", error)
            return VerificationReport(subject: subject, title: title, checks: log.checks, error: error)
        }
        do throws(IdentityError) {
            try await verify(input, as: subject, context: context, now: now, options: options, log: &log)
            return VerificationReport(subject: subject, title: title, checks: log.checks, error: nil)
        } catch {
            return VerificationReport(subject: subject, title: title, checks: log.checks, error: error)
        }
    }

    /// The supplied documents, sorted by role.
    private struct Context: Sendable {
        let resolver: StaticDIDResolver
        let statusLists: [JSONValue]
        let trustCredentials: [JSONValue]
        let credentialVerifier: CredentialVerifier
        let summary: String

        init(documents: [JSONValue], options: Options) throws(IdentityError) {
            var didDocuments: [JSONValue] = []
            var statusLists: [JSONValue] = []
            var trustCredentials: [JSONValue] = []
            for document in documents {
                let types = document["type"].flatMap { try? JSONFields.strings($0, field: "type") } ?? []
                if types.contains(BitstringStatusListCredential.type) {
                    statusLists.append(document)
                } else if types.contains(VerifiableCredential.type) {
                    trustCredentials.append(document)
                } else {
                    didDocuments.append(document)
                }
            }
            let resolver = try StaticDIDResolver.loading(didDocuments, resolutionTime: options.resolutionTime)
            let verifierOptions = CredentialVerifier.Options(requiresStatusCheck: options.requiresStatusCheck)
            self.resolver = resolver
            self.statusLists = statusLists
            self.trustCredentials = trustCredentials
            self.credentialVerifier = CredentialVerifier(
                resolver: resolver, statusFetcher: StaticStatusListFetcher(statusLists), options: verifierOptions)
            let versions = resolver.chains.values.reduce(0) { $0 + $1.versions.count }
            self.summary =
                "\(resolver.documents.count) DID document(s), \(resolver.chains.count) did:custos chain(s) "
                + "(\(versions) version(s)), \(statusLists.count) status list(s), "
                + "\(trustCredentials.count) trust credential(s); did:key resolved from the DID itself"
        }
    }

    private static func verify(
        _ json: JSONValue, as subject: VerificationReport.Subject, context: Context, now: Date, options: Options,
        log: inout VerificationLog
    ) async throws(IdentityError) {
        switch subject {
        case .credential:
            let credential = try await context.credentialVerifier.verify(json, now: now, log: &log)
            try await checkTrust(of: credential.issuer, context: context, now: now, options: options, log: &log)
        case .jwtCredential:
            let credential = try await context.credentialVerifier.verify(
                jwt: json.stringValue ?? "", now: now, log: &log)
            try await checkTrust(of: credential.issuer, context: context, now: now, options: options, log: &log)
        case .presentation:
            let verifier = PresentationVerifier(credentialVerifier: context.credentialVerifier)
            let presentation = try await verifier.verify(
                json, challenge: options.challenge, domain: options.domain,
                requiresHolderAsSubject: options.requiresHolderAsSubject, now: now, log: &log)
            for issuer in Set(presentation.credentials.map(\.issuer)).sorted() {
                try await checkTrust(of: issuer, context: context, now: now, options: options, log: &log)
            }
        case .didDocumentChain:
            do throws(IdentityError) {
                let versions = json.arrayValue ?? [json]
                let chain = try DIDDocumentChain(verifying: versions)
                for version in chain.versions {
                    log.passed(
                        "version \(version.metadata.versionId)",
                        "signed by \(version.signedBy), updated \(JSONFields.timestamp(version.metadata.updated))")
                }
                let state = chain.isDeactivated ? "deactivated" : "active"
                log.passed("chain", "\(chain.did) has \(chain.versions.count) valid version(s); it is \(state)")
            } catch {
                log.failed("chain", error)
                throw error
            }
        case .iotaDocument:
            do throws(IdentityError) {
                let document = try IotaLegacyDocument.verify(json)
                log.passed("proof", "JcsEd25519Signature2020 self-signature of root document \(document.id) verifies")
            } catch {
                log.failed("proof", error)
                throw error
            }
        case .unknown:
            let error = IdentityError.malformed(
                field: "type",
                reason: "is not a VerifiableCredential or VerifiablePresentation, and the input is not a vc+jwt "
                    + "or a DID document version")
            log.failed("structure", error)
            throw error
        }
    }

    private static func checkTrust(
        of issuer: DID, context: Context, now: Date, options: Options, log: inout VerificationLog
    ) async throws(IdentityError) {
        guard !options.trustedRoots.isEmpty else {
            log.skipped("trust", "no trusted roots were given, so the issuer \(issuer) was not checked against any")
            return
        }
        let evaluator = TrustChainEvaluator(
            trustedRoots: Set(options.trustedRoots), maximumDepth: options.maximumTrustDepth,
            credentialVerifier: context.credentialVerifier)
        let decision = await evaluator.evaluate(issuer, credentials: context.trustCredentials, now: now)
        do throws(IdentityError) {
            let chain = try decision.requireTrusted(issuer)
            let path =
                chain.isEmpty ? "it is a trusted root" : "chain " + chain.map(\.description).joined(separator: ", ")
            log.passed("trust", "issuer \(issuer) is trusted: \(path)")
        } catch {
            log.failed("trust", error)
            throw error
        }
    }

    private static func classify(_ json: JSONValue) -> VerificationReport.Subject {
        if json.stringValue != nil {
            return .jwtCredential
        }
        if let versions = json.arrayValue, versions.first?[DocumentVersionMetadata.member] != nil {
            return .didDocumentChain
        }
        if json[DocumentVersionMetadata.member] != nil {
            return .didDocumentChain
        }
        if IotaLegacyDocument.isWireDocument(json) {
            return .iotaDocument
        }
        let types = json["type"].flatMap { try? JSONFields.strings($0, field: "type") } ?? []
        if types.contains(VerifiablePresentation.type) {
            return .presentation
        }
        if types.contains(VerifiableCredential.type) {
            return .credential
        }
        return .unknown
    }

    private static func describe(_ json: JSONValue, as subject: VerificationReport.Subject) -> String {
        switch subject {
        case .credential:
            let id = json["id"]?.stringValue ?? "(no id)"
            let issuer = json["issuer"]?.stringValue ?? json["issuer"]?["id"]?.stringValue ?? "?"
            return "credential \(id) issued by \(issuer)"
        case .jwtCredential:
            let payload = (try? CompactJWS(json.stringValue ?? ""))?.payload
            let issuer = payload?["issuer"]?.stringValue ?? payload?["issuer"]?["id"]?.stringValue ?? "?"
            return "vc+jwt credential \(payload?["id"]?.stringValue ?? "(no id)") issued by \(issuer)"
        case .presentation:
            return "presentation \(json["id"]?.stringValue ?? "(no id)") by \(json["holder"]?.stringValue ?? "?")"
        case .didDocumentChain:
            let first = json.arrayValue?.first ?? json
            return "did:custos document chain of \(first["id"]?.stringValue ?? "?")"
        case .iotaDocument:
            return "did:iota document \(json["doc"]?["id"]?.stringValue ?? "?")"
        case .unknown:
            return "document"
        }
    }
}
