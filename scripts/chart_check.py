#!/usr/bin/env python3
"""Checks a rendering of Charts/custos (`helm template` output) beyond what `helm lint` sees.

    python3 scripts/chart_check.py [--kube-version 1.30.0] [--cnpg-crd CRD.yaml] RENDERED.yaml

1. Every object of a built-in API is validated with `kubernetes-validate --strict -k <version>`; a warning
   counts as a failure. Custom resources (the CloudNativePG Cluster) have no schema there: they are skipped by
   name, and only their shape is checked here, unless --cnpg-crd gives the Cluster CRD to validate against.
2. What kubernetes-validate cannot see: Service, PodDisruptionBudget and NetworkPolicy selectors match pods of a
   Deployment, named ports (Services, probes, NetworkPolicies, Ingress backends) exist, references to Secrets and
   ConfigMaps resolve, Secret data is valid base64, names fit in 63 characters, no secret value appears outside
   its Secret (container arguments first), each role gets exactly the secret variables ChildSecrets gives it,
   every `custos` flag exists in Sources/custos/Commands, the pods' security settings, and the plans file; with
   the operator on, its Role, its flags (Operators/custos-operator) and the gateway template it is given.

    python3 scripts/chart_check.py --operator-output RENDERED.json [--crd CRD.yaml] [--tenant FILE...]

3. The objects `custos-operator render` prints for CustosTenant files get the same checks (kubernetes-validate, names,
   selectors, ports, secrets, flags, security settings) plus owner references to their CustosTenant; each --tenant
   file is validated against the CRD's openAPIV3Schema (jsonschema, and no field the structural schema would prune).

Exits 1 with the list of problems when anything fails.
"""

import argparse
import base64
import binascii
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILTIN_GROUPS = {"", "apps", "policy", "networking.k8s.io", "batch", "autoscaling", "rbac.authorization.k8s.io",
                  "coordination.k8s.io", "apiextensions.k8s.io"}
SECRET_VARIABLES = {"CUSTOS_DATABASE_URL", "CUSTOS_SERVICE_TOKEN", "CUSTOS_MASTER_KEY", "CUSTOS_ADMIN_TOKEN",
                    "CUSTOS_AUDIT_SIGNING_KEY", "CUSTOS_AUDIT_SIGNING_KEY_PREVIOUS"}
# Sources/CustosPlatform/Supervision/ChildSecrets.swift: the secrets each role receives.
ROLE_SECRETS = {
    "control": {"CUSTOS_DATABASE_URL", "CUSTOS_SERVICE_TOKEN"},
    "gateway": {"CUSTOS_DATABASE_URL", "CUSTOS_SERVICE_TOKEN"},
    "ledger": {"CUSTOS_DATABASE_URL", "CUSTOS_SERVICE_TOKEN", "CUSTOS_MASTER_KEY"},
    "streams": {"CUSTOS_DATABASE_URL", "CUSTOS_SERVICE_TOKEN", "CUSTOS_MASTER_KEY"},
    "ssi": {"CUSTOS_DATABASE_URL", "CUSTOS_SERVICE_TOKEN", "CUSTOS_MASTER_KEY"},
    # A dedicated gateway is a gateway (custos-operator copies the pooled gateway's environment).
    "dedicated-gateway": {"CUSTOS_DATABASE_URL", "CUSTOS_SERVICE_TOKEN"},
}
CHART_COMPONENTS = {"control", "gateway", "ledger", "streams", "ssi"}
# The operator's Role: exactly these verbs (Operators/README.md, RBAC).
OPERATOR_RULES = {
    ("custos.dev", "custostenants"): {"get", "list", "watch", "create", "update", "patch", "delete"},
    ("custos.dev", "custostenants/status"): {"patch"},
    ("custos.dev", "custostenants/finalizers"): {"update"},
    ("apps", "deployments"): {"get", "list", "watch", "create", "update", "delete"},
    ("", "services"): {"get", "create", "update", "delete"},
    ("networking.k8s.io", "ingresses"): {"get", "create", "update", "delete"},
    ("coordination.k8s.io", "leases"): {"get", "create", "update"},
}

problems = []


def problem(text):
    problems.append(text)


def name_of(obj):
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def group_of(obj):
    api = obj.get("apiVersion", "")
    return api.split("/")[0] if "/" in api else ""


# --- the flags `custos` accepts, read from its argument parser declarations ------------------------------------


def kebab(name):
    """ArgumentParser's conversion of a property name: ledgerURL is --ledger-url, milestoneIntervalMs
    --milestone-interval-ms."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name).lower()


def declared(path):
    """The --options and --flags a ParsableArguments file declares, and the option groups it includes."""
    text = open(path).read()
    options, flags = set(), set()
    for kind, var in re.findall(r"@(Option|Flag)\b.*?\bvar\s+(\w+)", text, re.S):
        (options if kind == "Option" else flags).add("--" + kebab(var))
    groups = set(re.findall(r"@OptionGroup\b.*?\bvar\s+\w+\s*:\s*(\w+)", text, re.S))
    return options, flags, groups


def repeatable_options():
    """The --options declared with an array type (`var trustedProxy: [String]`), which may be given again."""
    directory = os.path.join(ROOT, "Sources", "custos", "Commands")
    found = set()
    for f in os.listdir(directory):
        if f.endswith(".swift"):
            text = open(os.path.join(directory, f)).read()
            for var in re.findall(r"@Option\b[^@]*?\bvar\s+(\w+)\s*:\s*\[", text, re.S):
                found.add("--" + kebab(var))
    return found


REPEATABLE = repeatable_options()


def custos_flags():
    directory = os.path.join(ROOT, "Sources", "custos", "Commands")
    files = {f[:-6]: os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".swift")}

    def resolve(type_name, seen=()):
        options, flags, groups = declared(files[type_name])
        for group in groups:
            if group in files and group not in seen:
                more_options, more_flags = resolve(group, seen + (type_name,))
                options |= more_options
                flags |= more_flags
        return options, flags

    return {command: resolve(type_name) for command, type_name in
            (("control", "Control"), ("gateway", "Gateway"), ("worker", "Worker"))}


def operator_flags():
    """The options of `custos-operator run` and `render` (Operators/custos-operator)."""
    directory = os.path.join(ROOT, "Operators", "custos-operator")
    files = {f[:-6]: os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".swift")}
    result = {}
    for command, type_name in (("run", "Run"), ("render", "Render")):
        options, flags, groups = declared(files[type_name])
        for group in groups:
            more_options, more_flags, _ = declared(files[group])
            options |= more_options
            flags |= more_flags
        result[command] = (options, flags)
    return result


def check_arguments(deployment, container, flags):
    command = container.get("command", [])
    args = container.get("args", [])
    if pod_labels(deployment).get("app.kubernetes.io/component") == "operator":
        if command != ["custos-operator"]:
            problem(f"{name_of(deployment)}: command is {command}, not [custos-operator]")
            return
        flags = operator_flags()
    elif command != ["custos"]:
        problem(f"{name_of(deployment)}: command is {command}, not [custos]")
        return
    if not args or args[0] not in flags:
        problem(f"{name_of(deployment)}: the first argument {args[:1]} is no custos subcommand of {sorted(flags)}")
        return
    options, switches = flags[args[0]]
    rest = args[1:]
    if args[0] == "gateway" and pod_labels(deployment).get("app.kubernetes.io/component") == "dedicated-gateway":
        if rest[:1] != ["--tenant"]:
            problem(f"{name_of(deployment)}: a dedicated gateway's arguments must start with --tenant, not {rest[:1]}")
        if "--pooled" in rest or "--domain" in rest:
            problem(f"{name_of(deployment)}: a dedicated gateway takes neither --pooled nor --domain")
    if args[0] == "worker":
        if not rest or rest[0] not in ("ledger", "streams", "ssi"):
            problem(f"{name_of(deployment)}: custos worker needs ledger, streams or ssi, got {rest[:1]}")
            return
        rest = rest[1:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg in switches:
            i += 1
        elif arg in options:
            if i + 1 >= len(rest) or str(rest[i + 1]).startswith("--"):
                problem(f"{name_of(deployment)}: {arg} has no value")
            i += 2
        else:
            problem(f"{name_of(deployment)}: {arg} is not an option of custos {args[0]} (Sources/custos/Commands)")
            i += 1
    seen = [a for a in rest if str(a).startswith("--")]
    for duplicate in sorted({a for a in seen if seen.count(a) > 1} - REPEATABLE):
        problem(f"{name_of(deployment)}: {duplicate} is given twice")
    env = {e["name"] for e in container.get("env", [])}
    for reference in re.findall(r"\$\((\w+)\)", " ".join(map(str, args))):
        if reference not in env:
            problem(f"{name_of(deployment)}: the arguments use $({reference}), which its environment does not define")


# --- checks ---------------------------------------------------------------------------------------------------


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def pods(objects):
    return [o for o in objects if o["kind"] == "Deployment"]


def pod_labels(deployment):
    return deployment["spec"]["template"]["metadata"].get("labels", {})


def container_ports(deployment):
    ports = {}
    for container in deployment["spec"]["template"]["spec"]["containers"]:
        for port in container.get("ports", []):
            ports[port.get("name")] = port["containerPort"]
    return ports


def check_names(obj):
    name = obj.get("metadata", {}).get("name", "")
    if not name or len(name) > (253 if obj.get("kind") == "CustomResourceDefinition" else 63):
        problem(f"{name_of(obj)}: the name is {len(name)} characters (at most 63)")
    if obj.get("kind") == "CustomResourceDefinition":
        # <plural>.<group>: a DNS subdomain.
        if not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+", name):
            problem(f"{name_of(obj)}: the name is not <plural>.<group>")
    elif not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name):
        problem(f"{name_of(obj)}: the name is not a DNS label")
    for key, value in obj.get("metadata", {}).get("labels", {}).items():
        if len(str(value)) > 63:
            problem(f"{name_of(obj)}: label {key} is longer than 63 characters")


def check_deployment(deployment, flags, configmaps, secrets, external_secrets):
    spec = deployment["spec"]
    if not matches(spec["selector"].get("matchLabels"), pod_labels(deployment)):
        problem(f"{name_of(deployment)}: its selector does not match its own pod template")
    component = pod_labels(deployment).get("app.kubernetes.io/component")
    pod = spec["template"]["spec"]
    psc = pod.get("securityContext", {})
    if component == "operator":
        # The one pod that calls the Kubernetes API, with an account of its own.
        if pod.get("automountServiceAccountToken") is not True or pod.get("serviceAccountName") != deployment["metadata"]["name"]:
            problem(f"{name_of(deployment)}: the operator needs its own service account ({deployment['metadata']['name']}) with its token mounted")
    elif pod.get("automountServiceAccountToken") is not False:
        problem(f"{name_of(deployment)}: the service account token is mounted")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for container in pod["containers"]:
        where = f"{name_of(deployment)} container {container['name']}"
        sc = container.get("securityContext", {})
        if not (sc.get("runAsNonRoot") or psc.get("runAsNonRoot")):
            problem(f"{where}: runAsNonRoot is not set")
        if sc.get("readOnlyRootFilesystem") is not True:
            problem(f"{where}: the root filesystem is writable")
        if sc.get("allowPrivilegeEscalation") is not False:
            problem(f"{where}: allowPrivilegeEscalation is not false")
        if "ALL" not in sc.get("capabilities", {}).get("drop", []) or sc.get("capabilities", {}).get("add"):
            problem(f"{where}: capabilities are not dropped (ALL) or some are added")
        seccomp = sc.get("seccompProfile", psc.get("seccompProfile", {})).get("type")
        if seccomp != "RuntimeDefault":
            problem(f"{where}: seccomp profile is {seccomp}, not RuntimeDefault")
        mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
        if "emptyDir" not in volumes.get(mounts.get("/tmp"), {}):
            problem(f"{where}: /tmp is not an emptyDir")
        for mount in container.get("volumeMounts", []):
            if mount["name"] not in volumes:
                problem(f"{where}: mounts the undeclared volume {mount['name']}")
        ports = {p.get("name") for p in container.get("ports", [])}
        # The operator serves no HTTP port: no probes (Operators/README.md says why).
        for probe_name in () if component == "operator" else ("startupProbe", "livenessProbe", "readinessProbe"):
            probe = container.get(probe_name)
            if not probe:
                problem(f"{where}: no {probe_name}")
                continue
            http = probe.get("httpGet", {})
            if http.get("port") not in ports and not isinstance(http.get("port"), int):
                problem(f"{where}: {probe_name} uses the port {http.get('port')}, which the container does not name")
            wanted = "/health/ready" if probe_name == "readinessProbe" else "/health/live"
            if http.get("path") != wanted:
                problem(f"{where}: {probe_name} asks {http.get('path')}, not {wanted}")
        if not container.get("resources", {}).get("requests"):
            problem(f"{where}: no resource requests")
        # Secrets only through secretKeyRef, each role only what ChildSecrets gives it.
        given = set()
        for env in container.get("env", []):
            if env["name"] in SECRET_VARIABLES:
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if "value" in env or not ref:
                    problem(f"{where}: {env['name']} is not taken from a Secret")
                    continue
                given.add(env["name"])
                if ref["name"] in secrets:
                    if ref["key"] not in secrets[ref["name"]].get("data", {}):
                        problem(f"{where}: {env['name']} names the key {ref['key']}, absent from Secret {ref['name']}")
                else:
                    external_secrets.add(f"{ref['name']} (key {ref['key']})")
            ref = env.get("valueFrom", {}).get("configMapKeyRef")
            if ref:
                data = configmaps.get(ref["name"], {}).get("data", {})
                if ref["key"] not in data:
                    problem(f"{where}: {env['name']} names ConfigMap {ref['name']} key {ref['key']}, not rendered")
        # The administrator token and the audit signing key are the control plane's, and only where a Secret for
        # them is configured.
        control_only = {"CUSTOS_ADMIN_TOKEN", "CUSTOS_AUDIT_SIGNING_KEY", "CUSTOS_AUDIT_SIGNING_KEY_PREVIOUS"}
        wanted = ROLE_SECRETS.get(component, set()) | (control_only & given if component == "control" else set())
        if component == "operator":
            wanted = {"CUSTOS_SERVICE_TOKEN"} | ({"CUSTOS_ADMIN_TOKEN"} & given)
            if given != wanted:
                problem(f"{where}: the operator gets {sorted(given)}, it needs {sorted(wanted)} only")
        if component in ROLE_SECRETS and given != wanted:
            problem(f"{where}: the {component} role gets {sorted(given)}, ChildSecrets gives {sorted(ROLE_SECRETS[component])}")
        check_arguments(deployment, container, flags)
    for volume in volumes.values():
        if "configMap" in volume and volume["configMap"]["name"] not in configmaps:
            problem(f"{name_of(deployment)}: volume {volume['name']} names the ConfigMap {volume['configMap']['name']}, not rendered")
        if "secret" in volume:
            problem(f"{name_of(deployment)}: volume {volume['name']} mounts a Secret; secrets go through the environment")


def check_service(service, deployments):
    selector = service["spec"].get("selector", {})
    targets = [d for d in deployments if matches(selector, pod_labels(d))]
    if not targets:
        problem(f"{name_of(service)}: its selector {selector} matches no Deployment's pods")
    for port in service["spec"].get("ports", []):
        target = port.get("targetPort", port["port"])
        for deployment in targets:
            ports = container_ports(deployment)
            if (isinstance(target, str) and target not in ports) or (
                    isinstance(target, int) and target not in ports.values()):
                problem(f"{name_of(service)}: targetPort {target} is not a port of {name_of(deployment)}")


def check_pdb(pdb, deployments):
    selector = pdb["spec"].get("selector", {}).get("matchLabels", {})
    targets = [d for d in deployments if matches(selector, pod_labels(d))]
    if not targets:
        problem(f"{name_of(pdb)}: its selector matches no Deployment's pods")
    for deployment in targets:
        if deployment["spec"].get("replicas", 1) < 2:
            problem(f"{name_of(pdb)}: {name_of(deployment)} has a single replica; the budget only blocks drains")


def check_network_policy(policy, deployments, operator_on=False):
    selector = policy["spec"].get("podSelector", {}).get("matchLabels", {})
    targets = [d for d in deployments if matches(selector, pod_labels(d))]
    # Dedicated gateways' pods are made by custos-operator at run time, not by the chart.
    made_by_operator = operator_on and selector.get("app.kubernetes.io/component") == "dedicated-gateway"
    if not targets and not made_by_operator:
        problem(f"{name_of(policy)}: its podSelector matches no Deployment's pods")
    for rule in policy["spec"].get("ingress", []):
        for port in rule.get("ports", []):
            for deployment in targets:
                ports = container_ports(deployment)
                value = port.get("port")
                if (isinstance(value, str) and value not in ports) or (
                        isinstance(value, int) and value not in ports.values()):
                    problem(f"{name_of(policy)}: port {value} is not a port of {name_of(deployment)}")
        for peer in rule.get("from", []):
            if "podSelector" in peer and "namespaceSelector" not in peer:
                labels = peer["podSelector"].get("matchLabels", {})
                dedicated = operator_on and labels.get("app.kubernetes.io/component") == "dedicated-gateway"
                if labels and not dedicated and not any(matches(labels, pod_labels(d)) for d in deployments):
                    problem(f"{name_of(policy)}: the peer {labels} matches no pod of this release")


def check_ingress(ingress, services):
    for rule in ingress["spec"].get("rules", []):
        for path in rule.get("http", {}).get("paths", []):
            backend = path["backend"]["service"]
            service = services.get(backend["name"])
            if not service:
                problem(f"{name_of(ingress)}: {rule.get('host')}{path['path']} goes to the unknown Service {backend['name']}")
                continue
            names = {p.get("name") for p in service["spec"]["ports"]}
            numbers = {p["port"] for p in service["spec"]["ports"]}
            port = backend["port"]
            if ("name" in port and port["name"] not in names) or ("number" in port and port["number"] not in numbers):
                problem(f"{name_of(ingress)}: {rule.get('host')}{path['path']} names a port {port} that {backend['name']} lacks")


def secret_values(secrets):
    """Every decoded Secret value, and the password inside database URLs."""
    values = set()
    for secret in secrets.values():
        for key, encoded in (secret.get("data") or {}).items():
            try:
                text = base64.b64decode(str(encoded), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError) as error:
                problem(f"{name_of(secret)}: data.{key} is not valid base64 of text ({error})")
                continue
            values.add(text)
            if key == "CUSTOS_MASTER_KEY":
                try:
                    if len(base64.b64decode(text.strip(), validate=True)) != 32:
                        problem(f"{name_of(secret)}: CUSTOS_MASTER_KEY is not 32 bytes in base64")
                except binascii.Error:
                    problem(f"{name_of(secret)}: CUSTOS_MASTER_KEY is not base64 (MasterKey(encoded:))")
            if key == "CUSTOS_SERVICE_TOKEN" and len(text) < 32:
                problem(f"{name_of(secret)}: CUSTOS_SERVICE_TOKEN is shorter than 32 characters")
            if text.startswith(("postgres://", "postgresql://")):
                password = urllib.parse.urlsplit(text).password
                if password:
                    values.add(urllib.parse.unquote(password))
                else:
                    print(f"note: {name_of(secret)}: the database URL has no password")
        if secret.get("stringData"):
            problem(f"{name_of(secret)}: uses stringData; the chart writes data")
    return {v for v in values if len(v) >= 6}


def check_no_secret_leaks(objects, values):
    for obj in objects:
        if obj["kind"] == "Secret":
            continue
        for deployment in [obj] if obj["kind"] == "Deployment" else []:
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                words = " ".join(map(str, container.get("command", []) + container.get("args", [])))
                for value in values:
                    if value in words:
                        problem(f"{name_of(deployment)}: a secret value appears in the command line of {container['name']}")
        text = json.dumps(obj)
        for value in values:
            if value in text or json.dumps(value)[1:-1] in text:
                problem(f"{name_of(obj)}: a secret value appears outside its Secret")


def check_plans(configmap):
    text = configmap.get("data", {}).get("plans.yaml")
    if text is None:
        problem(f"{name_of(configmap)}: no plans.yaml")
        return
    catalog = yaml.safe_load(text)
    if not isinstance(catalog, dict) or set(catalog) != {"defaultPlan", "signupPlan", "plans"}:
        problem(f"{name_of(configmap)}: plans.yaml needs exactly defaultPlan, signupPlan and plans")
        return
    plans = catalog["plans"]
    for field in ("defaultPlan", "signupPlan"):
        if catalog[field] not in plans:
            problem(f"{name_of(configmap)}: {field} {catalog[field]} names no plan")
    for name, plan in plans.items():
        if set(plan) - {"description", "isolation", "quotas", "rateLimits"}:
            problem(f"{name_of(configmap)}: plan {name} has unknown fields")
        for key, value in (plan.get("quotas") or {}).items():
            if type(value) is not int:
                problem(f"{name_of(configmap)}: plans.{name}.quotas.{key} is {value!r}, not a whole number")
        for bucket, rate in (plan.get("rateLimits") or {}).items():
            for key, value in rate.items():
                if type(value) is not int:
                    problem(f"{name_of(configmap)}: plans.{name}.rateLimits.{bucket}.{key} is {value!r}, not a whole number")


def check_cnpg_cluster(cluster, deployments, crd_path):
    spec = cluster.get("spec", {})
    if cluster.get("apiVersion") != "postgresql.cnpg.io/v1":
        problem(f"{name_of(cluster)}: apiVersion {cluster.get('apiVersion')}")
    if not isinstance(spec.get("instances"), int) or spec["instances"] < 1:
        problem(f"{name_of(cluster)}: spec.instances must be a whole number >= 1")
    initdb = spec.get("bootstrap", {}).get("initdb", {})
    if not initdb.get("database") or not initdb.get("owner"):
        problem(f"{name_of(cluster)}: spec.bootstrap.initdb needs database and owner")
    if not spec.get("storage", {}).get("size"):
        problem(f"{name_of(cluster)}: spec.storage.size is missing")
    app_secret = cluster["metadata"]["name"] + "-app"
    for deployment in deployments:
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            refs = [e["valueFrom"]["secretKeyRef"] for e in container.get("env", [])
                    if e["name"] == "CUSTOS_DATABASE_URL" and "valueFrom" in e]
            if refs != [{"name": app_secret, "key": "uri"}]:
                problem(f"{name_of(deployment)}: CUSTOS_DATABASE_URL is {refs}, not the Cluster's {app_secret} uri")
    if crd_path:
        import jsonschema
        crd = yaml.safe_load(open(crd_path))
        version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
        schema = version["schema"]["openAPIV3Schema"]
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(cluster))
        for error in errors:
            problem(f"{name_of(cluster)}: against {os.path.basename(crd_path)}: {'.'.join(map(str, error.path))}: {error.message}")
        unknown = unknown_fields(cluster.get("spec", {}), schema["properties"]["spec"], "spec")
        for path in unknown:
            problem(f"{name_of(cluster)}: {path} is not a field of the CRD")
        if not errors and not unknown:
            print(f"ok: {name_of(cluster)} validates against {crd_path}")


def unknown_fields(value, schema, path):
    """Fields the structural schema does not declare (the API server would prune them)."""
    found = []
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key in schema["properties"]:
                found += unknown_fields(item, schema["properties"][key], f"{path}.{key}")
            elif not schema.get("x-kubernetes-preserve-unknown-fields") and "additionalProperties" not in schema:
                found.append(f"{path}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += unknown_fields(item, schema["items"], f"{path}[{index}]")
    return found


def check_operator(by_kind, deployments, flags):
    """The operator's account, Role and binding, and its gateway template against the pooled gateway."""
    operators = [d for d in deployments if pod_labels(d).get("app.kubernetes.io/component") == "operator"]
    if not operators:
        return
    name = operators[0]["metadata"]["name"]
    account = by_kind.get("ServiceAccount", {}).get(name)
    if not account or account.get("automountServiceAccountToken") is not True:
        problem(f"ServiceAccount/{name}: missing, or its token is not mounted")
    role = by_kind.get("Role", {}).get(name)
    if not role:
        problem(f"Role/{name} is missing")
    else:
        rules = {}
        for rule in role.get("rules", []):
            for group in rule.get("apiGroups", []):
                for resource in rule.get("resources", []):
                    rules.setdefault((group, resource), set()).update(rule.get("verbs", []))
        if rules != OPERATOR_RULES:
            problem(f"Role/{name}: the rules {sorted((k, sorted(v)) for k, v in rules.items())} are not exactly "
                    f"what the operator calls {sorted((k, sorted(v)) for k, v in OPERATOR_RULES.items())}")
    binding = by_kind.get("RoleBinding", {}).get(name)
    if not binding or binding["roleRef"] != {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name} \
            or [s.get("name") for s in binding.get("subjects", [])] != [name]:
        problem(f"RoleBinding/{name}: must bind Role/{name} to ServiceAccount/{name} only")
    configmap = by_kind.get("ConfigMap", {}).get(name, {})
    try:
        template = json.loads(configmap.get("data", {}).get("gateway-template.json", ""))
    except ValueError as error:
        problem(f"ConfigMap/{name}: gateway-template.json is not JSON ({error})")
        return
    pooled = next((d for d in deployments if pod_labels(d).get("app.kubernetes.io/component") == "gateway"), None)
    if pooled:
        container = pooled["spec"]["template"]["spec"]["containers"][0]
        same = {"image": container["image"], "env": container["env"], "securityContext": container["securityContext"],
                "volumeMounts": container["volumeMounts"],
                "startupProbe": container["startupProbe"], "livenessProbe": container["livenessProbe"],
                "readinessProbe": container["readinessProbe"]}
        mine = {"image": template.get("image"), "env": template.get("env"),
                "securityContext": template.get("securityContext"), "volumeMounts": template.get("volumeMounts"),
                **(template.get("probes") or {})}
        for key in same:
            if same[key] != mine.get(key):
                problem(f"ConfigMap/{name}: the gateway template's {key} differs from the pooled gateway's")
        pooled_args = [a for a in container["args"][1:]]
        for flag in ("--pooled",):
            pooled_args.remove(flag)
        for flag in ("--domain", "--concurrent-requests"):
            index = pooled_args.index(flag)
            del pooled_args[index:index + 2]
        if sorted(pooled_args) != sorted(template.get("arguments", [])):
            problem(f"ConfigMap/{name}: the gateway template's arguments are not the pooled gateway's without "
                    "--pooled, --domain and --concurrent-requests")
    fake = {"kind": "Deployment", "metadata": {"name": "dedicated-gateway-template"},
            "spec": {"template": {"metadata": {"labels": {"app.kubernetes.io/component": "dedicated-gateway"}}}}}
    check_arguments(fake, {"command": ["custos"], "args": ["gateway", "--tenant", "acme"] + template.get("arguments", []),
                           "env": template.get("env", [])}, flags)
    if len(template.get("namePrefix", "")) > 31:
        problem(f"ConfigMap/{name}: namePrefix is longer than 31 characters")


def check_operator_output(path, version, crd_path, tenants):
    """What `custos-operator render` printed, and the CustosTenant files it was given."""
    items = json.load(open(path)).get("items", [])
    if not items:
        problem(f"{path}: no objects")
    for obj in items:
        check_names(obj)
        references = obj.get("metadata", {}).get("ownerReferences", [])
        if len(references) != 1 or references[0].get("kind") != "CustosTenant" \
                or references[0].get("apiVersion") != "custos.dev/v1alpha1" or references[0].get("controller") is not True \
                or not references[0].get("uid") or references[0].get("blockOwnerDeletion") is not True:
            problem(f"{name_of(obj)}: needs exactly one controller owner reference to its CustosTenant")
        tenant = obj.get("metadata", {}).get("labels", {}).get("custos.dev/tenant", "")
        if not tenant or not obj["metadata"]["name"].endswith("-" + tenant) or references[:1] and references[0].get("name") != tenant:
            problem(f"{name_of(obj)}: its name, custos.dev/tenant label and owner do not name the same tenant")
    run_kubernetes_validate(items, version)
    deployments = pods(items)
    services = {o["metadata"]["name"]: o for o in items if o["kind"] == "Service"}
    referenced = {v["configMap"]["name"]: {} for d in deployments for v in d["spec"]["template"]["spec"].get("volumes", [])
                  if "configMap" in v}
    external = set()
    flags = custos_flags()
    for deployment in deployments:
        if pod_labels(deployment).get("app.kubernetes.io/component") != "dedicated-gateway":
            problem(f"{name_of(deployment)}: not labelled as a dedicated gateway")
        check_deployment(deployment, flags, referenced, {}, external)
    for service in services.values():
        check_service(service, deployments)
    for ingress in (o for o in items if o["kind"] == "Ingress"):
        check_ingress(ingress, services)
    check_no_secret_leaks(items, set())
    for name in sorted(external):
        print(f"note: expects the Secret {name}, made by the chart or by you")
    for name in sorted(referenced):
        print(f"note: expects the ConfigMap {name}, made by the chart")
    if crd_path:
        check_custom_resources(crd_path, tenants)


def check_custom_resources(crd_path, tenants):
    import jsonschema
    crd = yaml.safe_load(open(crd_path))
    version = next(v for v in crd["spec"]["versions"] if v["storage"])
    schema = version["schema"]["openAPIV3Schema"]
    jsonschema.Draft7Validator.check_schema(schema)
    for path in tenants:
        obj = yaml.safe_load(open(path))
        where = f"{path} ({name_of(obj)})"
        if obj.get("apiVersion") != f"{crd['spec']['group']}/{version['name']}" or obj.get("kind") != crd["spec"]["names"]["kind"]:
            problem(f"{where}: not a {crd['spec']['group']}/{version['name']} {crd['spec']['names']['kind']}")
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(obj))
        for error in errors:
            problem(f"{where}: against {os.path.basename(crd_path)}: {'.'.join(map(str, error.path))}: {error.message}")
        unknown = unknown_fields(obj.get("spec", {}), schema["properties"]["spec"], "spec")
        for field in unknown:
            problem(f"{where}: {field} is not a field of the CRD")
        if obj.get("metadata", {}).get("name") != obj.get("spec", {}).get("tenantId"):
            problem(f"{where}: metadata.name must equal spec.tenantId (the operator refuses it otherwise)")
        if not errors and not unknown:
            print(f"ok: {where} validates against {crd_path}")


def run_kubernetes_validate(objects, version):
    with tempfile.TemporaryDirectory() as directory:
        files = []
        for index, obj in enumerate(objects):
            path = os.path.join(directory, f"{index:03d}-{obj['kind'].lower()}-{obj['metadata']['name']}.yaml")
            with open(path, "w") as f:
                yaml.safe_dump(obj, f, sort_keys=False)
            files.append(path)
        result = subprocess.run(["kubernetes-validate", "--strict", "-k", version, "--quiet", *files],
                                capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    bad = [line for line in output.splitlines() if line.strip() and not line.startswith("INFO")]
    if result.returncode != 0 or bad:
        problem(f"kubernetes-validate --strict -k {version} (exit {result.returncode}):\n    "
                + "\n    ".join(line.replace(directory + "/", "") for line in bad or [output]))
    else:
        print(f"ok: kubernetes-validate --strict -k {version}: {len(objects)} objects valid")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rendered", help="helm template output, or with --operator-output what render printed")
    parser.add_argument("--operator-output", action="store_true", help="RENDERED is `custos-operator render` output")
    parser.add_argument("--crd", help="the CustosTenant CRD, to validate the --tenant files against")
    parser.add_argument("--tenant", action="append", default=[], help="a CustosTenant file (repeatable)")
    parser.add_argument("--kube-version", default="1.30.0")
    parser.add_argument("--cnpg-crd", help="the CloudNativePG Cluster CRD (postgresql.cnpg.io_clusters.yaml)")
    args = parser.parse_args()

    if args.operator_output:
        check_operator_output(args.rendered, args.kube_version, args.crd, args.tenant)
        return report(args.rendered, "operator objects")

    objects = [o for o in yaml.safe_load_all(open(args.rendered)) if o]
    if not objects:
        problem("nothing was rendered")
    for obj in objects:
        check_names(obj)
    builtin = [o for o in objects if group_of(o) in BUILTIN_GROUPS]
    custom = [o for o in objects if group_of(o) not in BUILTIN_GROUPS]
    for obj in custom:
        print(f"skipped by kubernetes-validate (custom resource, no schema there): {obj['apiVersion']} {name_of(obj)}")
    if builtin:
        run_kubernetes_validate(builtin, args.kube_version)

    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], {})[obj["metadata"]["name"]] = obj
    deployments = pods(objects)
    secrets = by_kind.get("Secret", {})
    configmaps = by_kind.get("ConfigMap", {})
    services = by_kind.get("Service", {})
    flags = custos_flags()
    external = set()
    components = {pod_labels(d).get("app.kubernetes.io/component") for d in deployments}
    operator_on = "operator" in components
    expected = CHART_COMPONENTS | ({"operator"} if operator_on else set())
    if components != expected:
        problem(f"the Deployments' components are {sorted(components)}, expected {sorted(expected)}")
    for deployment in deployments:
        check_deployment(deployment, flags, configmaps, secrets, external)
    for service in services.values():
        check_service(service, deployments)
    for pdb in by_kind.get("PodDisruptionBudget", {}).values():
        check_pdb(pdb, deployments)
    for policy in by_kind.get("NetworkPolicy", {}).values():
        check_network_policy(policy, deployments, operator_on)
    for ingress in by_kind.get("Ingress", {}).values():
        check_ingress(ingress, services)
    for name, configmap in configmaps.items():
        if name.endswith("-plans"):
            check_plans(configmap)
    for cluster in by_kind.get("Cluster", {}).values():
        check_cnpg_cluster(cluster, deployments, args.cnpg_crd)
    check_operator(by_kind, deployments, flags)
    for crd in by_kind.get("CustomResourceDefinition", {}).values():
        if crd["metadata"]["name"] == "custostenants.custos.dev":
            import jsonschema
            version = next(v for v in crd["spec"]["versions"] if v["storage"])
            jsonschema.Draft7Validator.check_schema(version["schema"]["openAPIV3Schema"])
    check_no_secret_leaks(objects, secret_values(secrets))
    for name in sorted(external):
        print(f"note: expects the Secret {name}, made outside this chart")
    return report(args.rendered, f"{len(objects)} objects, {len(deployments)} Deployments")


def report(path, what):
    if problems:
        print(f"FAILED: {path}: {len(problems)} problem(s)")
        for text in problems:
            print(f"  - {text}")
        return 1
    print(f"ok: {path}: {what} checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
