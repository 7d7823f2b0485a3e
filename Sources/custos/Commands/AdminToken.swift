import ArgumentParser
import CustosAuth

/// `custos admin-token`: a new platform administrator token, for installations that `custos up` does not run.
struct AdminToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin-token",
        abstract: "Print a new platform administrator token (csa_...).",
        discussion: """
            For a control plane started on its own (Kubernetes, systemd): store the token where only the control \
            plane and its administrators read it, for example `kubectl create secret generic custos-admin \
            --from-literal=token="$(custos admin-token)"`, and hand it to `custos control` in CUSTOS_ADMIN_TOKEN; \
            the control plane registers it at every start (a token registered before stays valid). \
            Administrators present it to custosctl with CUSTOS_ADMIN_TOKEN and CUSTOS_CONTROL_URL, or \
            `custosctl login`. `custos up` makes and registers its own (DATA/admin.json).
            """)

    func run() {
        print(SecretToken.generate(.adminToken).secret)
    }
}
