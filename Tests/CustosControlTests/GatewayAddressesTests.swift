import CustosControl
import Testing

@Suite("Gateway addresses")
struct GatewayAddressesTests {
    @Test("on one machine a dedicated tenant is its port on the public host, checked on the loopback address")
    func local() {
        let addresses = GatewayAddresses.local(publicHost: "gw.example.net", pooledPort: 7000)
        #expect(addresses.dedicated("acme", port: 7311) == "http://gw.example.net:7311")
        #expect(addresses.dedicatedProbe("acme", port: 7311) == "http://127.0.0.1:7311")
        #expect(addresses.pooled("acme") == "http://acme.localhost:7000")
    }

    @Test("on Kubernetes a dedicated tenant is its Ingress host, checked at its gateway's Service; the port is unused")
    func operatorTemplates() {
        var addresses = GatewayAddresses(
            publicHost: "api.example.com", pooledTemplate: "https://{tenant}.tenants.example.com",
            shared: "https://api.example.com")
        addresses.dedicatedTemplate = "https://{tenant}.tenants.example.com"
        addresses.dedicatedProbeTemplate = "http://custos-gw-{tenant}:7000"
        #expect(addresses.dedicated("acme", port: 7311) == "https://acme.tenants.example.com")
        #expect(addresses.dedicatedProbe("acme", port: 7311) == "http://custos-gw-acme:7000")
        #expect(addresses.dedicatedProbe("globex-corp", port: 1) == "http://custos-gw-globex-corp:7000")
    }
}
