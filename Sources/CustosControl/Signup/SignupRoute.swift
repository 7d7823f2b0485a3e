import CustosClients
import CustosCore
import CustosCrypto
import CustosPolicy
import CustosServer
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /v1/signup` (docs/openapi/control.json): an SME signs itself up, with no credential, for a tenant on the
/// plans file's signup plan. The route is public, so it is bounded per client address and for the platform
/// (``SignupLimiter``) before anything is stored, and by the platform's capacity. Behind an ingress the client
/// address is what the trusted proxies say in `X-Forwarded-For` (``TrustedProxies``).
struct SignupRoute {
    static let bodyLimit = 16 * 1024
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    let creation: TenantCreation
    let limiter: SignupLimiter
    let trustedProxies: TrustedProxies

    func add(to router: Router<CustosRequestContext>) {
        router.post("/v1/signup") { request, context in
            var request = request
            let body = try await RelayedRequest.body(&request, limit: Self.bodyLimit)
            let form = try Self.form(body)
            let address =
                trustedProxies.client(
                    peer: context.clientAddress, forwardedFor: request.headers[values: Self.forwardedFor]) ?? "unknown"
            let idempotencyKey = request.headers[.init("Idempotency-Key")!]
            let actor = "signup \(address)"
            // A retry of a signup already counted is not counted again.
            var retry = false
            if let idempotencyKey {
                retry = try await creation.store.knows(actor: actor, idempotencyKey: idempotencyKey)
            }
            if !retry, let refusal = try await limiter.admit(address) {
                var response = ErrorResponseMiddleware<CustosRequestContext>.response(
                    status: .tooManyRequests, message: refusal.message)
                response.headers[.retryAfter] = String(refusal.retryAfter)
                return response
            }
            let plans = creation.provisioner.plans
            guard let plan = plans[plans.signupPlan] else {
                throw RequestError(.internalFailure, "the signup plan \(plans.signupPlan) is missing")
            }
            // Under an idempotency key the generated id is the same on every retry, so the retry is recognised.
            let seed = idempotencyKey.map { SHA256.hash(Array("\(actor)\n\($0)".utf8)) }
            let outcome = try await creation.create(
                id: form.tenant ?? Self.generatedID(form.organization, seed: seed), name: form.organization, plan: plan,
                contactEmail: form.email, actor: actor, idempotencyKey: idempotencyKey, prefer: nil)
            context.logger.info(
                "signup", metadata: ["tenant": "\(outcome.created.tenant.id)", "address": "\(address)"])
            return try JSONResponse.make(outcome.created, status: outcome.finished ? .created : .accepted)
        }
    }

    /// What a signup asks for, checked.
    struct Form: Sendable, Equatable {
        var organization: String
        var email: String
        var tenant: TenantID?
    }

    static func form(_ body: JSONValue) throws(RequestError) -> Form {
        guard let fields = body.objectValue else { throw RequestError(.invalidInput, "expected a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !["organization", "email", "tenant"].contains($0) }) {
            throw RequestError(.invalidInput, "unknown field \(unknown) (known: organization, email, tenant)")
        }
        guard let organization = fields["organization"]?.stringValue,
            (1...200).contains(organization.count), !organization.allSatisfy(\.isWhitespace)
        else { throw RequestError(.invalidInput, "organization must be a name of 1 to 200 characters") }
        guard let email = fields["email"]?.stringValue, isEmail(email) else {
            throw RequestError(.invalidInput, "email must be an e-mail address such as it@example.com")
        }
        var tenant: TenantID?
        if let raw = fields["tenant"] {
            guard let text = raw.stringValue else { throw RequestError(.invalidInput, "tenant must be a string") }
            do { tenant = try TenantID(validating: text) } catch { throw RequestError(.invalidInput, "\(error)") }
        }
        return Form(organization: organization, email: email, tenant: tenant)
    }

    /// An address with one `@`, a local part and a dotted domain, no spaces or controls, at most 254 bytes: the
    /// platform writes to it, it does not need RFC 5322's every form.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].count >= 3,
            parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7f }
    }

    /// A tenant id from the organisation's name: its letters and digits in lowercase, hyphenated, with a suffix
    /// (random, or from `seed`) so two organisations of one name never meet (`acme-ltd-3f9a`).
    static func generatedID(_ organization: String, seed: [UInt8]? = nil) -> TenantID {
        var slug = ""
        for character in organization.lowercased().unicodeScalars {
            if ("a"..."z").contains(character) || ("0"..."9").contains(character) {
                slug.unicodeScalars.append(character)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        slug = String(slug.prefix(22))
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.first.map({ !("a"..."z").contains($0) }) ?? true { slug = "org" + (slug.isEmpty ? "" : "-" + slug) }
        let id = slug + "-" + Hex.encode(seed.map { Array($0.prefix(2)) } ?? SecureRandom.bytes(count: 2))
        // Letters, digits and single hyphens, starting with a letter, 8 to 30 characters: always valid.
        return TenantID(id) ?? TenantID(
            "org-" + Hex.encode(seed.map { Array($0.prefix(4)) } ?? SecureRandom.bytes(count: 4)))!
    }
}
