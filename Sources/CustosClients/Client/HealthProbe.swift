import AsyncHTTPClient

/// Polls a process's `/health/ready` until it answers 200.
public enum HealthProbe {
    /// True once `baseURL/health/ready` answers 200, false when `timeout` passes first.
    public static func waitUntilReady(_ baseURL: String, timeout: Duration, interval: Duration = .milliseconds(100))
        async -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline && !Task.isCancelled {
            if await isReady(baseURL) { return true }
            try? await Task.sleep(for: interval)
        }
        return false
    }

    /// One readiness check.
    public static func isReady(_ baseURL: String) async -> Bool {
        let request = HTTPClientRequest(url: baseURL + "/health/ready")
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) else { return false }
        return response.status == .ok
    }
}
