"""The wire protocol shared with the policy service and ``@governor/sdk``.

The stable intent hash and signed decision tokens, computed exactly as the Node SDK computes them,
so a token issued for an intent sent by either SDK verifies in both. The cross-language test
vectors (``sdk/test/vectors/protocol-vectors.json``) are checked by both SDKs' tests.

Anything exported here is public API.
"""

from __future__ import annotations

import time
from _collections_abc import Mapping  # collections.abc without importing collections

# Imported on first use: this module is on the interpreter's start-up path (the .pth activation).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal, TypedDict, Union

__all__ = [
    "ENFORCE_PATH",
    "CANONICALIZE_PATH",
    "POLICIES_INSTALL_PATH",
    "stable_stringify",
    "sha256_hex",
    "intent_hash",
    "sign_decision_token",
    "verify_decision_token",
    "TokenVerdict",
]

ENFORCE_PATH = "/api/v2/enforce"
"""``POST``: decide an intent event."""
CANONICALIZE_PATH = "/api/v2/canonicalize"
"""``POST``: canonicalize an intent event without deciding."""
POLICIES_INSTALL_PATH = "/api/v2/policies/install"
"""``POST``: install a policy (design boundary)."""

TOKEN_VERSION = "v1"

TokenVerdict = dict
"""The outcome of verifying a token: ``{"ok": True, "claims": …}`` or ``{"ok": False, "problem": …}``."""


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(text: str) -> str:
    # JSON.stringify's escaping: the two-character escapes, other control characters and lone
    # surrogates as lower-case \uXXXX, everything else (non-ASCII included) as is.
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20 or 0xD800 <= code <= 0xDFFF:
            out.append("\\u%04x" % code)
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _number(value: float) -> str:
    """ECMAScript Number::toString, which JSON.stringify uses; non-finite numbers are ``null``."""
    if value != value or value in (float("inf"), float("-inf")):
        return "null"
    if value == 0:
        return "0"
    # repr gives the shortest digits that round-trip, as ECMAScript does; only the layout differs.
    text = repr(abs(float(value)))
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + (int(exponent) if exponent else 0)
    if whole.strip("0") == "":
        # 0.000123: the point moves left past the leading zeros of the fraction.
        stripped = fraction.lstrip("0")
        point = -(len(fraction) - len(stripped)) + (int(exponent) if exponent else 0)
        digits = stripped
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), point
    sign = "-" if value < 0 else ""
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    exp = ("+" if e >= 0 else "-") + str(abs(e))
    if k == 1:
        return sign + digits + "e" + exp
    return sign + digits[0] + "." + digits[1:] + "e" + exp


def _sort_key(key: str) -> tuple:
    # JavaScript sorts keys by UTF-16 code units (Python compares code points), and an object built
    # from them lists integer-like keys (array indices) first, in numeric order, whatever the sort.
    if key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and int(key) < 2**32 - 1:
        return (0, int(key), b"")
    return (1, 0, key.encode("utf-16-be"))


def stable_stringify(value: Any) -> str:
    """JSON with object keys sorted at every depth, as ``stableStringify`` in ``@governor/sdk``.

    Equal values give equal text in both languages: compact separators, JavaScript's number and
    string formatting, ``None`` as ``null``. Tuples are arrays; other objects are refused.
    """
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 2**53 else _number(float(value))
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable_stringify(item) for item in value) + "]"
    if isinstance(value, Mapping):
        parts = []
        for key in sorted((str(k) for k in value.keys()), key=_sort_key):
            parts.append(_string(key) + ":" + stable_stringify(value[key] if key in value else None))
        return "{" + ",".join(parts) + "}"
    raise TypeError(f"stable_stringify: {type(value).__name__} is not JSON data")


def sha256_hex(text: str) -> str:
    """SHA-256 (hex) of a UTF-8 text."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def intent_hash(intent: Any) -> str:
    """SHA-256 (hex) of the intent event's stable JSON: the token's subject."""
    return sha256_hex(stable_stringify(intent))


def _b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _from_b64url(text: str) -> Union[bytes, None]:
    if any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in text):
        return None
    import base64

    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        return None


def _signature(secret: str, signed_part: str) -> bytes:
    import hashlib
    import hmac

    return hmac.new(secret.encode("utf-8"), signed_part.encode("utf-8"), hashlib.sha256).digest()


def sign_decision_token(claims: Mapping[str, Any], secret: str) -> str:
    """Signs claims (``intent_hash``, ``decision``, ``request_id``, ``exp`` in ms) as
    ``v1.<base64url(JSON)>.<base64url(HMAC-SHA256)>``, as the policy service does."""
    import json

    payload = json.dumps(dict(claims), separators=(",", ":"), ensure_ascii=False)
    signed_part = f"{TOKEN_VERSION}.{_b64url(payload.encode('utf-8'))}"
    return f"{signed_part}.{_b64url(_signature(secret, signed_part))}"


def verify_decision_token(
    token: Any, secret: str, *, intent_hash: str, decision: str, now: Union[float, None] = None
) -> TokenVerdict:
    """Verifies a token for this intent hash and decision at ``now`` (ms since the epoch).

    Returns ``{"ok": True, "claims": …}`` or ``{"ok": False, "problem": …}`` with the problem one
    of ``malformed``, ``bad-signature``, ``expired``, ``wrong-intent``, ``wrong-decision``.
    Never raises on bad input.
    """
    import hmac
    import json

    if not isinstance(token, str):
        return {"ok": False, "problem": "malformed"}
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_VERSION:
        return {"ok": False, "problem": "malformed"}
    version, payload, sig = parts
    given = _from_b64url(sig)
    expected = _signature(secret, f"{version}.{payload}")
    if given is None or not hmac.compare_digest(given, expected):
        return {"ok": False, "problem": "bad-signature"}
    raw = _from_b64url(payload)
    try:
        claims = json.loads(raw.decode("utf-8")) if raw is not None else None
    except (ValueError, UnicodeDecodeError):
        claims = None
    if not isinstance(claims, dict):
        return {"ok": False, "problem": "malformed"}
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return {"ok": False, "problem": "malformed"}
    if exp <= (time.time() * 1000 if now is None else now):
        return {"ok": False, "problem": "expired"}
    if claims.get("intent_hash") != intent_hash:
        return {"ok": False, "problem": "wrong-intent"}
    if claims.get("decision") != decision:
        return {"ok": False, "problem": "wrong-decision"}
    return {"ok": True, "claims": claims}
