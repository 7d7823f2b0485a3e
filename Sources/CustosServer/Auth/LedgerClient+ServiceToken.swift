import CustosAuth
import CustosClients

extension LedgerClient {
    /// A client for the ledger worker, authenticated by the service token.
    public init(baseURL: String, token: ServiceToken) {
        self.init(baseURL: baseURL, serviceToken: token.secret)
    }
}
