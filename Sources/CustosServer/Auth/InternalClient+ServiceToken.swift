import CustosAuth
import CustosClients
import NIOCore

extension InternalClient {
    /// A client for another Custos process, authenticated by the service token.
    public init(service: String, baseURL: String, token: ServiceToken, timeout: TimeAmount = .seconds(30)) {
        self.init(service: service, baseURL: baseURL, bearer: token.secret, timeout: timeout)
    }
}

extension LedgerClient {
    /// A client for the ledger worker, authenticated by the service token.
    public init(baseURL: String, token: ServiceToken) {
        self.init(baseURL: baseURL, serviceToken: token.secret)
    }
}
