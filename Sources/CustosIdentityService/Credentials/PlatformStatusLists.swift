import CustosCore
import CustosIdentity
import Foundation

/// Status lists of this platform's tenants, read from the store instead of fetched over HTTP.
///
/// The worker fetches no URL a credential names: that would let anyone who can submit a credential make it call
/// arbitrary hosts. A status list URL is accepted only when it is exactly the published URL of one of the
/// platform's lists; any other is "status unavailable", and the credential does not verify.
struct PlatformStatusLists: StatusListFetcher {
    let service: SSIService

    /// The platform issued its lists itself: the verifier need not check their signatures.
    func issuedStatusList(at url: String) async throws(IdentityError) -> IssuedStatusList? {
        let parts = url.split(separator: "/")
        guard parts.count >= 2, let purpose = StatusPurpose(rawValue: String(parts[parts.count - 1])) else {
            return nil
        }
        guard
            let (issued, publishedURL) = try? await service.issuedStatusList(
                String(parts[parts.count - 2]), purpose: purpose), publishedURL == url
        else { return nil }
        return issued
    }

    func statusListCredential(at url: String) async throws(IdentityError) -> JSONValue {
        let parts = url.split(separator: "/")
        guard parts.count >= 2, let purpose = StatusPurpose(rawValue: String(parts[parts.count - 1])) else {
            throw IdentityError.statusUnavailable(statusList: url, reason: "not a status list of this platform")
        }
        let listID = String(parts[parts.count - 2])
        do {
            let (credential, publishedURL) = try await service.statusListCredential(listID, purpose: purpose)
            guard publishedURL == url else {
                throw IdentityError.statusUnavailable(statusList: url, reason: "not a status list of this platform")
            }
            return credential
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError.statusUnavailable(statusList: url, reason: "\(error)")
        }
    }
}
