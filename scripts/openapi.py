#!/usr/bin/env python3
"""Writes docs/openapi/tenant.json and the Swift files that serve the tenant and control documents at /openapi.json.

Run `make openapi` after editing this file; a unit test fails when the served documents and docs/ differ.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def error_response(description):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


ERROR = {"type": "object", "required": ["error"], "additionalProperties": False,
         "properties": {"error": {"type": "string", "description": "What went wrong, in words a person can act on."}}}

HEALTH = {
    "/health/live": {"get": {"summary": "Liveness", "security": [], "tags": ["health"],
                             "responses": {"200": {"description": "The process runs."}}}},
    "/health/ready": {"get": {"summary": "Readiness", "security": [], "tags": ["health"],
                              "responses": {"200": {"description": "Ready to serve."},
                                            "503": error_response("Not ready; the error says why.")}}},
    "/metrics": {"get": {"summary": "Prometheus metrics", "security": [], "tags": ["health"],
                         "responses": {"200": {"description": "Prometheus text format.",
                                               "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/openapi.json": {"get": {"summary": "This document", "security": [], "tags": ["health"],
                              "responses": {"200": {"description": "OpenAPI 3.1 document.",
                                                    "content": {"application/json": {"schema": {"type": "object"}}}}}}},
}

HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}

tenant = {
    "openapi": "3.1.0",
    "info": {"title": "Custos tenant API", "version": "1.0.0",
             "description": "A tenant's gateway: audit-trail entries in the tenant's private ledger. "
                            "See docs/tenant-api.md."},
    "servers": [{"url": "http://127.0.0.1:{port}", "variables": {"port": {"default": "8080"}}}],
    "security": [{"apiKeyHeader": []}, {"bearer": []}, {"apiKeyQuery": []}],
    "paths": {
        "/api/v1/ledger/messages": {"get": {
            "summary": "Entries with a tag", "operationId": "listLedgerMessages", "tags": ["ledger"],
            "parameters": [{"name": "tag", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 64}},
                           {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
                           {"name": "after", "in": "query", "schema": {"type": "string"}, "description": "The `next` cursor of the previous page."}],
            "responses": {"200": {"description": "A page of entries in ledger order.",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MessagePage"}}}},
                          "400": error_response("Bad query."), "401": error_response("Missing or invalid API key.")}},
            "post": {
            "summary": "Write an entry", "operationId": "createLedgerMessage", "tags": ["ledger"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewMessage"}}}},
            "responses": {"201": {"description": "Committed to the tenant's ledger.",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MessageId"}}}},
                          "400": error_response("Invalid body."), "401": error_response("Missing or invalid API key."),
                          "413": error_response("Body or data too large."), "503": error_response("Ledger unavailable.")}}},
        "/api/v1/ledger/messages/{messageId}": {"get": {
            "summary": "Read an entry", "operationId": "getLedgerMessage", "tags": ["ledger"],
            "parameters": [{"name": "messageId", "in": "path", "required": True, "schema": HEX64}],
            "responses": {"200": {"description": "The entry.",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}},
                          "400": error_response("Malformed id."), "401": error_response("Missing or invalid API key."),
                          "404": error_response("No such entry in this tenant's ledger, or the id is a milestone's (milestones are read from /api/v1/ledger/milestones).")}}},
        "/api/v1/ledger": {"get": {
            "summary": "Ledger network and coordinator key", "operationId": "getLedger", "tags": ["proofs"],
            "responses": {"200": {"description": "Public verification material of the tenant's ledger.",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ledger"}}}},
                          "401": error_response("Missing or invalid API key.")}}},
        "/api/v1/ledger/checkpoint": {"get": {
            "summary": "Newest signed checkpoint", "operationId": "getCheckpoint", "tags": ["proofs"],
            "description": "A C2SP signed note (tlog-checkpoint): origin, size, base64 root, signature by the coordinator.",
            "responses": {"200": {"description": "The signed note.", "content": {"text/plain": {"schema": {"type": "string"}}}},
                          "401": error_response("Missing or invalid API key."),
                          "404": error_response("No checkpoint yet (no entry written).")}}},
        "/api/v1/ledger/messages/{messageId}/receipt": {"get": {
            "summary": "Receipt of an entry", "operationId": "getReceipt", "tags": ["proofs"],
            "description": "Everything needed to verify offline that the entry is in the log (docs/ledger.md §8).",
            "parameters": [{"name": "messageId", "in": "path", "required": True, "schema": HEX64}],
            "responses": {"200": {"description": "The receipt (RFC 8785 JSON).",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Receipt"}}}},
                          "400": error_response("Malformed id or a milestone id."),
                          "401": error_response("Missing or invalid API key."),
                          "404": error_response("No such entry."),
                          "409": error_response("Not confirmed by a milestone yet; retry shortly.")}}},
        "/api/v1/ledger/consistency": {"get": {
            "summary": "Consistency proof between two log sizes", "operationId": "getConsistency", "tags": ["proofs"],
            "parameters": [{"name": "from", "in": "query", "required": True, "schema": {"type": "integer", "minimum": 1}},
                           {"name": "to", "in": "query", "required": True, "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"200": {"description": "RFC 9162 consistency proof.",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConsistencyProof"}}}},
                          "400": error_response("Sizes out of range."), "401": error_response("Missing or invalid API key.")}}},
        "/api/v1/ledger/milestones": {"get": {
            "summary": "Milestones after an index", "operationId": "listMilestones", "tags": ["proofs"],
            "description": "Signed milestone messages in index order; auditors follow them to verify key rotations.",
            "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
                           {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}],
            "responses": {"200": {"description": "Milestones.",
                                  "content": {"application/json": {"schema": {"type": "object", "required": ["milestones"],
                                      "properties": {"milestones": {"type": "array", "items": {"$ref": "#/components/schemas/Milestone"}}}}}}},
                          "400": error_response("Bad query."), "401": error_response("Missing or invalid API key.")}}},
        "/api/v1/ledger/milestones/latest": {"get": {
            "summary": "The newest milestone", "operationId": "getLatestMilestone", "tags": ["proofs"],
            "responses": {"200": {"description": "The newest milestone.",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Milestone"}}}},
                          "401": error_response("Missing or invalid API key."), "404": error_response("No milestone yet.")}}},
        "/api/v1/ledger/tile/{path}": {"get": {
            "summary": "tlog tile or entry bundle", "operationId": "getTile", "tags": ["proofs"],
            "description": "C2SP tlog-tiles: `tile/<L>/<N>[.p/<W>]` (hashes) and `tile/entries/<N>[.p/<W>]` (message ids).",
            "parameters": [{"name": "path", "in": "path", "required": True, "schema": {"type": "string"},
                            "description": "The tile path below tile/, e.g. 0/x001/234.p/17 (may contain slashes)."}],
            "responses": {"200": {"description": "Tile bytes.",
                                  "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                          "400": error_response("Not a tile path."), "401": error_response("Missing or invalid API key."),
                          "404": error_response("The log has no such tile yet.")}}},
        **HEALTH,
    },
    "components": {
        "securitySchemes": {
            "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "apiKeyQuery": {"type": "apiKey", "in": "query", "name": "api-key"},
            "bearer": {"type": "http", "scheme": "bearer", "description": "The API key as a bearer token."},
        },
        "schemas": {
            "Error": ERROR,
            "NewMessage": {"type": "object", "required": ["tag", "data"], "additionalProperties": False, "properties": {
                "tag": {"type": "string", "maxLength": 64, "description": "At most 64 bytes of UTF-8."},
                "data": {"description": "Any JSON value (encoding json) or a base64 string (encoding base64)."},
                "encoding": {"type": "string", "enum": ["json", "base64"], "default": "json"}}},
            "MessageId": {"type": "object", "required": ["messageId"], "properties": {"messageId": HEX64}},
            "MessagePage": {"type": "object", "required": ["messages"], "properties": {
                "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
                "next": {"type": "string", "description": "Cursor for the next page; absent on the last page."}}},
            "Ledger": {"type": "object", "required": ["name", "networkId", "origin", "coordinatorKey", "checkpointSize"],
                       "properties": {"name": {"type": "string"}, "networkId": {"type": "string"},
                                      "origin": {"type": "string"},
                                      "coordinatorKey": {"type": "string", "description": "C2SP note verifier key."},
                                      "checkpointSize": {"type": "integer"}}},
            "Milestone": {"type": "object", "required": ["index", "messageId", "message"], "properties": {
                "index": {"type": "integer"}, "messageId": HEX64,
                "message": {"type": "string", "contentEncoding": "base64", "description": "Canonical message bytes (docs/ledger.md §3.2)."}}},
            "ConsistencyProof": {"type": "object", "required": ["from", "to", "proof"], "properties": {
                "from": {"type": "integer"}, "to": {"type": "integer"},
                "proof": {"type": "array", "items": {"type": "string", "contentEncoding": "base64"}}}},
            "Receipt": {"type": "object", "required": ["version", "tenant", "network", "message", "messageId", "leafIndex",
                                                       "inclusionProof", "checkpoint", "coordinatorKey"],
                        "properties": {"version": {"const": 1}, "tenant": {"type": "string"},
                                       "network": {"type": "object", "properties": {"name": {"type": "string"}, "id": {"type": "string"}}},
                                       "message": {"type": "string", "contentEncoding": "base64"}, "messageId": HEX64,
                                       "leafIndex": {"type": "integer"},
                                       "inclusionProof": {"type": "array", "items": {"type": "string", "contentEncoding": "base64"}},
                                       "checkpoint": {"type": "string"}, "coordinatorKey": {"type": "string"}}},
            "Message": {"type": "object", "required": ["messageId", "tag", "data", "encoding", "parents", "networkId", "receivedAt", "sequence"],
                        "properties": {"messageId": HEX64, "tag": {"type": "string"}, "data": {},
                                       "encoding": {"type": "string", "enum": ["json", "base64"]},
                                       "parents": {"type": "array", "items": HEX64},
                                       "networkId": {"type": "string", "pattern": "^[0-9]+$"},
                                       "receivedAt": {"type": "string", "format": "date-time"},
                                       "sequence": {"type": "string", "description": "Position in the ledger; a paging cursor."}}},
        },
    },
}

# The control API is contract-first: docs/openapi/control.json is edited by hand and generates the control plane's
# server protocol, its bodies and its client (make openapi); here it is only embedded for /openapi.json.
control = json.loads((ROOT / "docs/openapi/control.json").read_text())


SWIFT = '''// swift-format-ignore-file
// Generated by scripts/openapi.py from the same source as docs/openapi/{name}.json; do not edit.

/// The {title} document served at `/openapi.json`.
enum {type} {{
    /// The OpenAPI 3.1 document.
    static let json = #"""
{json}
"""#
}}
'''

def add_common_responses(document):
    """Answers every route can give: a dependency away (503), and for bodies the media type and size checks."""
    for path, operations in document["paths"].items():
        if path in HEALTH:
            continue
        for operation in operations.values():
            responses = operation["responses"]
            responses.setdefault("503", error_response(
                "The database or a worker is unavailable; retry after the seconds in Retry-After."))
            if "requestBody" in operation:
                responses.setdefault("400", error_response("Invalid body: not JSON, unknown or null members, "
                                                           "numbers a double cannot hold exactly, or broken framing."))
                responses.setdefault("408", error_response("The body did not arrive within the body timeout."))
                responses.setdefault("413", error_response("The body is larger than the route accepts."))
                responses.setdefault("415", error_response("Content-Type is not application/json."))


add_common_responses(tenant)

for name, document, target, type_name in [("tenant", tenant, "CustosGateway", "TenantOpenAPI"),
                                           ("control", control, "CustosControl", "ControlOpenAPI")]:
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    if document is tenant:
        (ROOT / "docs/openapi" / f"{name}.json").write_text(text + "\n")
    out = ROOT / "Sources" / target / "OpenAPI" / f"{type_name}.swift"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(SWIFT.format(name=name, title=document["info"]["title"], type=type_name, json=text))
