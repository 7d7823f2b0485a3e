#!/usr/bin/env python3
"""Independent eddsa-jcs-2022 (W3C Data Integrity) signer and verifier, for interop tests.

Written from the spec (w3c/vc-di-eddsa, section "eddsa-jcs-2022"), sharing no code with the Swift
implementation: its own RFC 8785 canonicaliser and base58btc. Needs only PyNaCl.

  eddsa_jcs_2022.py sign --seed HEX --created TIMESTAMP [--purpose assertionMethod] < unsigned.json
      prints the document with a DataIntegrityProof whose verificationMethod is the did:key of the seed
  eddsa_jcs_2022.py verify [--purpose assertionMethod] [--did-document FILE ...] < signed.json
      checks every proof against did:key verification methods, or against the Multikey methods of the given
      DID documents that are listed under the proof purpose; prints "OK" or "FAIL: reason", exit 0/1
"""
import argparse
import hashlib
import json
import math
import sys

import nacl.exceptions
import nacl.signing

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = B58[rem] + out
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + body


def jcs_number(value) -> str:
    """ECMAScript Number.prototype.toString of an IEEE-754 double (RFC 8785 section 3.2.2.3)."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("non-finite number")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    digits = digits.rstrip("0")
    count = len(digits)
    if count <= point <= 21:
        text = digits + "0" * (point - count)
    elif 0 < point <= 21:
        text = digits[:point] + "." + digits[point:]
    elif -6 < point <= 0:
        text = "0." + "0" * -point + digits
    else:
        shown = point - 1
        text = digits[0] + ("." + digits[1:] if count > 1 else "") + "e" + ("+" if shown > 0 else "-") + str(abs(shown))
    return sign + text


def jcs(value) -> str:
    """RFC 8785 canonical JSON: sorted by UTF-16 code units, no whitespace, minimal escaping."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return jcs_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(jcs(item) for item in value) + "]"
    if isinstance(value, dict):
        members = sorted(value.items(), key=lambda item: item[0].encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(v) for k, v in members) + "}"
    raise TypeError(f"not JSON: {type(value)}")


def hash_data(document: dict, proof_config: dict) -> bytes:
    proof_hash = hashlib.sha256(jcs(proof_config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(jcs(document).encode("utf-8")).digest()
    return proof_hash + document_hash


def did_key(verify_key: nacl.signing.VerifyKey) -> str:
    return "did:key:z" + b58encode(b"\xed\x01" + bytes(verify_key))


def sign(document: dict, seed: bytes, created: str, purpose: str) -> dict:
    key = nacl.signing.SigningKey(seed)
    did = did_key(key.verify_key)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": created,
        "verificationMethod": did + "#" + did[len("did:key:"):],
        "proofPurpose": purpose,
    }
    if "@context" in unsecured:
        proof["@context"] = unsecured["@context"]
    signature = key.sign(hash_data(unsecured, proof)).signature
    proof["proofValue"] = "z" + b58encode(signature)
    return {**unsecured, "proof": proof}


def document_key(method: str, documents: list, purpose: str) -> bytes:
    """The Ed25519 key of `method` in one of `documents`, which must list it under `purpose`."""
    did = method.split("#")[0]
    for document in documents:
        if document.get("id") != did:
            continue
        listed = [m if isinstance(m, str) else m.get("id") for m in document.get(purpose, [])]
        if method not in listed and ("#" + method.split("#", 1)[-1]) not in listed:
            raise ValueError(f"{method} is not listed under {purpose}")
        for candidate in document.get("verificationMethod", []):
            if candidate.get("id") == method and candidate.get("publicKeyMultibase", "").startswith("z"):
                multikey = b58decode(candidate["publicKeyMultibase"][1:])
                if multikey[:2] == b"\xed\x01" and len(multikey) == 34:
                    return multikey[2:]
        raise ValueError(f"{method} has no Ed25519 Multikey")
    raise ValueError(f"no DID document for {did}")


def verify(document: dict, purpose: str, documents: list = ()) -> None:
    proofs = document.get("proof")
    if proofs is None:
        raise ValueError("no proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    for proof in proofs:
        if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-jcs-2022":
            raise ValueError("not an eddsa-jcs-2022 proof")
        if proof.get("proofPurpose") != purpose:
            raise ValueError(f"proof purpose {proof.get('proofPurpose')!r} is not {purpose!r}")
        value = proof.get("proofValue", "")
        if not value.startswith("z"):
            raise ValueError("proofValue is not multibase base58btc")
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        subject = dict(unsecured)
        if "@context" in config:
            context = config["@context"]
            doc_context = subject.get("@context")
            context_list = context if isinstance(context, list) else [context]
            doc_list = doc_context if isinstance(doc_context, list) else [doc_context]
            if doc_list[: len(context_list)] != context_list:
                raise ValueError("document @context does not start with the proof @context")
            subject["@context"] = context
        method = proof.get("verificationMethod", "")
        if method.startswith("did:key:z"):
            multikey = b58decode(method[len("did:key:z"):].split("#")[0])
            if multikey[:2] != b"\xed\x01" or len(multikey) != 34:
                raise ValueError("verification method is not an Ed25519 did:key")
            key = nacl.signing.VerifyKey(multikey[2:])
        else:
            key = nacl.signing.VerifyKey(document_key(method, documents, purpose))
        try:
            key.verify(hash_data(subject, config), b58decode(value[1:]))
        except nacl.exceptions.BadSignatureError:
            raise ValueError("signature does not verify") from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sign", "verify"])
    parser.add_argument("--seed", help="32-byte Ed25519 seed in hex (sign)")
    parser.add_argument("--created", help="proof creation time, e.g. 2024-01-01T00:00:00Z (sign)")
    parser.add_argument("--purpose", default="assertionMethod")
    parser.add_argument("--did-document", action="append", default=[], help="a DID document file (verify)")
    args = parser.parse_args()
    document = json.loads(sys.stdin.read())
    if args.command == "sign":
        if not args.seed or not args.created:
            parser.error("sign needs --seed and --created")
        signed = sign(document, bytes.fromhex(args.seed), args.created, args.purpose)
        sys.stdout.write(json.dumps(signed, ensure_ascii=False) + "\n")
        return 0
    try:
        documents = []
        for path in args.did_document:
            with open(path, encoding="utf-8") as file:
                documents.append(json.load(file))
        verify(document, args.purpose, documents)
    except (ValueError, TypeError, KeyError) as error:
        sys.stdout.write(f"FAIL: {error}\n")
        return 1
    sys.stdout.write("OK\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
