"""A second, independent implementation of docs/channels.md, written from the text alone.

It rebuilds the announce and the signed packet of §12 byte for byte, verifies the keyload (signature, id, both reader
slots, the PSK wrap, and every byte but the randomised reader slots), and checks the derived values the tables list.
Only Python's hashlib (BLAKE2b) and libsodium through ctypes (Ed25519, X25519, XChaCha20-Poly1305, sealed boxes).

    python3 check_channels.py docs/channels.md      exit status 0 when every vector checks
"""
import ctypes
import ctypes.util
import hashlib
import re
import sys

library = ctypes.util.find_library("sodium")
if library is None:
    sys.exit("libsodium is not installed")
sodium = ctypes.CDLL(library)
assert sodium.sodium_init() >= 0
doc = open(sys.argv[1], encoding="utf-8").read()

def block(title):
    """The hex of a listing: on each line, the leading tokens that are hex, up to the first that is not."""
    text = doc.split(title, 1)[1].split("```", 2)[1]
    out = b""
    for line in text.strip().splitlines():
        for token in line.split():
            if not re.fullmatch(r"(?:[0-9a-f]{2})+", token): break
            out += bytes.fromhex(token)
    return out

def value(label):
    m = re.search(r"\| " + re.escape(label) + r"[^|]*\| `([0-9a-f:]+)`", doc)
    return m.group(1)

def b2b(m, n=32, key=b""):
    return hashlib.blake2b(m, digest_size=n, key=key).digest()

def dom(name): return b"custos/channel/v1/" + name.encode() + b"\0"

def ed_keypair(seed):
    pk, sk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(64)
    sodium.crypto_sign_seed_keypair(pk, sk, seed); return pk.raw, sk.raw

def ed_sign(sk, m):
    sig = ctypes.create_string_buffer(64)
    sodium.crypto_sign_detached(sig, None, m, ctypes.c_ulonglong(len(m)), sk); return sig.raw

def ed_verify(pk, sig, m):
    return sodium.crypto_sign_verify_detached(sig, m, ctypes.c_ulonglong(len(m)), pk) == 0

def x_base(sk):
    q = ctypes.create_string_buffer(32); sodium.crypto_scalarmult_base(q, sk); return q.raw

def x_dh(sk, pk):
    q = ctypes.create_string_buffer(32); assert sodium.crypto_scalarmult(q, sk, pk) == 0; return q.raw

def aead_seal(key, nonce, aad, pt):
    c = ctypes.create_string_buffer(len(pt) + 16)
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(c, None, pt, ctypes.c_ulonglong(len(pt)), aad,
        ctypes.c_ulonglong(len(aad)), None, nonce, key)
    return nonce + c.raw

def aead_open(key, combined, aad):
    nonce, c = combined[:24], combined[24:]
    m = ctypes.create_string_buffer(len(c) - 16)
    ok = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(m, None, None, c, ctypes.c_ulonglong(len(c)), aad,
        ctypes.c_ulonglong(len(aad)), nonce, key)
    assert ok == 0; return m.raw

def seal_open(c, pk, sk):
    m = ctypes.create_string_buffer(len(c) - 48)
    if sodium.crypto_box_seal_open(m, c, ctypes.c_ulonglong(len(c)), pk, sk) != 0: return None
    return m.raw

u32 = lambda n: n.to_bytes(4, "little"); u64 = lambda n: n.to_bytes(8, "little")
def lp(b): return u32(len(b)) + b
Z = bytes(32)
T = 1767225600000
author_pk, author_sk = ed_keypair(bytes([1]) * 32)
writer_pk, writer_sk = ed_keypair(bytes([3]) * 32)
reader_pk, _ = ed_keypair(bytes([5]) * 32)
author_x = bytes([2]) * 32; reader_x = bytes([6]) * 32; esk = bytes([7]) * 32; psk = bytes([8]) * 32
epk = x_base(esk)

def envelope(type_, channel, epoch, pub, seq, prev, link, time, public, eph, sealed):
    header = bytes([1, type_]) + channel + u32(epoch) + pub + u64(seq) + prev + link + u64(time) + lp(public) + eph
    return header, header + lp(sealed)

# Announce: rebuilt.
content = bytes([1]) + x_base(author_x) + bytes([9]) * 16
_, body = envelope(1, Z, 0, author_pk, 0, Z, Z, T, content, Z, b"")
announce = body + ed_sign(author_sk, dom("signature") + body)
assert announce == block("### 12.1"), "announce differs"
channel = b2b(announce)
assert channel.hex() == value("channel id (announce id)")
check = b2b(dom("address") + channel, 20)
address = (channel + check[:8]).hex() + ":" + check[8:].hex()
assert address == value("channel address") and len(address) == 105

# Keyload: verified, and rebuilt except for the reader slots.
keyload = block("### 12.2")
assert ed_verify(author_pk, keyload[-64:], dom("signature") + keyload[:-64])
assert b2b(keyload).hex() == value("keyload id (anchor of epoch 1)")
commitment = b2b(dom("commitment") + channel + u32(1) + epk, key=esk)
slots = [keyload[220 + 116 * i: 220 + 116 * (i + 1)] for i in range(2)]
for x in (author_x, reader_x):
    opened = [seal_open(s, x_base(x), x) for s in slots]
    assert [o for o in opened if o] == [esk + channel + u32(1)], "no slot for a reader"
pskid = b2b(dom("psk-id") + channel, 16, key=psk)
wrap_key = b2b(dom("psk-wrap") + channel + u32(1) + pskid, key=psk)
wrap = aead_seal(wrap_key, bytes([10]) * 24, channel + u32(1) + pskid + epk, esk)
assert aead_open(wrap_key, wrap, channel + u32(1) + pskid + epk) == esk
grants = sorted([(reader_pk, 2), (writer_pk, 3)])
content = (epk + commitment + (2).to_bytes(2, "little") + b"".join(sorted(slots)) + (1).to_bytes(2, "little")
           + pskid + wrap + (2).to_bytes(2, "little") + b"".join(k + bytes([r]) for k, r in grants))
_, body = envelope(2, channel, 1, author_pk, 1, channel, channel, T + 1, content, Z, b"")
assert body + ed_sign(author_sk, dom("signature") + body) == keyload, "keyload differs"
keyload_id = b2b(keyload)

# Signed packet: rebuilt.
eph_sk = bytes([11]) * 32; eph_pk = x_base(eph_sk)
header, _ = envelope(3, channel, 1, writer_pk, 0, Z, keyload_id, T + 2, b"door 7 opened", eph_pk, b"")
ss = x_dh(eph_sk, epk)
assert ss == x_dh(esk, eph_pk) and ss.hex() == value("`ss`")
assert b2b(header).hex() == value("BLAKE2b-256(header)")
key = b2b(dom("packet-key") + eph_pk + epk + b2b(header), key=ss)
sealed = aead_seal(key, bytes([12]) * 24, header, b"badge 4711")
body = header + lp(sealed)
packet = body + ed_sign(writer_sk, dom("signature") + body)
assert packet == block("### 12.3"), "packet differs"
assert b2b(packet).hex() == value("packet id")
assert aead_open(key, sealed, header) == b"badge 4711"
assert key.hex() == value("content key")
assert b2b(dom("tag-key") + channel + u32(1), key=esk).hex() == value("tag key of epoch 1")
print("all vectors of docs/channels.md check")
