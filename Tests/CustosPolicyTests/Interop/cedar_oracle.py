#!/usr/bin/env python3
"""Reference decisions from cedarpy (the Rust Cedar engine) for the CustosPolicy differential tests.

Reads one JSON document on stdin:
    {"cases": [{"policies": "<cedar text>", "entities": [<cedar entity json>...], "schema": "<cedarschema>"?,
                "requests": [{"principal": {"type", "id"}, "action": {...}, "resource": {...}, "context": {...}}]}]}
Writes one JSON document on stdout:
    {"cases": [{"parseError": "<message>"} |
               {"results": [{"decision": "allow"|"deny", "reasons": [ids], "errors": [ids]}]}]}
Policy ids are the `@id` annotation when present, else Cedar's positional `policyN`, as in CustosPolicy.
`errors` lists the ids of the policies whose evaluation failed.
"""
import json
import re
import sys

import cedarpy

ERROR_ID = re.compile(r"error while evaluating policy `([^`]*)`")


def annotated_ids(policies):
    document = json.loads(cedarpy.policies_to_json_str(policies))
    ids = {}
    for position, body in document.get("staticPolicies", {}).items():
        ids[position] = body.get("annotations", {}).get("id", position)
    return ids


def run_case(case):
    policies = case["policies"]
    try:
        policy_set = cedarpy.PolicySet.from_str(policies)
        ids = annotated_ids(policies)
    except Exception as error:  # noqa: BLE001 - any parse failure is reported to the Swift side
        return {"parseError": str(error)}
    entities = cedarpy.Entities.from_json_str(json.dumps(case["entities"]))
    schema = case.get("schema")
    results = []
    for request in case["requests"]:
        answer = cedarpy.is_authorized(request, policy_set, entities, schema=schema)._authz_resp
        diagnostics = answer.get("diagnostics", {})
        decision = answer["decision"]
        if decision not in ("Allow", "Deny"):
            results.append({"decision": "error", "reasons": [], "errors": diagnostics.get("errors", [])})
            continue
        failed = []
        for message in diagnostics.get("errors", []):
            match = ERROR_ID.search(message)
            failed.append(ids.get(match.group(1), match.group(1)) if match else message)
        results.append({
            "decision": decision.lower(),
            "reasons": sorted(ids.get(reason, reason) for reason in diagnostics.get("reason", [])),
            "errors": sorted(failed),
        })
    return {"results": results}


def main():
    batch = json.load(sys.stdin)
    json.dump({"cases": [run_case(case) for case in batch["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
