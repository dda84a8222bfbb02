"""The decision engine: builds the final intent, consults the cache, asks the policy service,
verifies tokens, applies the fail mode and the dev bypass, and emits audit events."""

from __future__ import annotations

import _thread
import builtins
import contextvars
import sys
import time

# Imported on first use (json, asyncio, http.client): this module is on the interpreter's
# start-up path (the .pth activation), which must stay cheap.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from .config import Config, resolve_config
from .errors import GovernorDenied, GovernorError, GovernorUnavailable, describe_intent
from .protocol import intent_hash, stable_stringify, verify_decision_token


class _LazyIntents:
    """``governor.intents``, imported on the first governed call rather than at start-up."""

    def __getattr__(self, name: str) -> Any:
        from . import intents as module

        value = getattr(module, name)
        setattr(self, name, value)  # later look-ups skip this method
        return value


lazy_intents = _LazyIntents()

MAX_CACHE_ENTRIES = 10_000
BYPASS_WARNING_INTERVAL_S = 30.0
_REAL_OPEN = builtins.open


class ScopeDecision:
    """The decision an allowed scope runs under. Refreshed in place when re-asked."""

    __slots__ = ("intent", "key", "source", "request_id", "expires_at", "decision", "closed")

    def __init__(self, intent: Dict[str, Any], key: str, source: str, request_id: Optional[str], expires_at: float, decision: str) -> None:
        self.intent, self.key, self.source, self.request_id = intent, key, source, request_id
        self.expires_at = expires_at  # ms since the epoch
        self.decision = decision  # ALLOW, ERROR (fail open) or BYPASS
        self.closed = False


class Decision:
    """A decision: ``decision`` (``ALLOW``, ``DENY`` or ``BYPASS``), ``request_id``, ``reason``,
    ``cached`` (from the decision cache rather than a new request), ``expires_at`` (ms since the
    epoch until which an ALLOW is reused, when cached) and ``intent`` (exactly as sent)."""

    __slots__ = ("decision", "intent", "cached", "request_id", "reason", "expires_at")

    def __init__(
        self,
        decision: str,
        intent: Dict[str, Any],
        cached: bool = False,
        request_id: Optional[str] = None,
        reason: Optional[str] = None,
        expires_at: Optional[float] = None,
    ) -> None:
        self.decision, self.intent, self.cached = decision, intent, cached
        self.request_id, self.reason, self.expires_at = request_id, reason, expires_at

    def __repr__(self) -> str:
        return f"Decision(decision={self.decision!r}, request_id={self.request_id!r}, reason={self.reason!r}, cached={self.cached!r})"


class _State:
    def __init__(self) -> None:
        self.enabled = False
        self.config: Optional[Config] = None
        self.cache: Dict[str, Tuple[float, Optional[str], Optional[str]]] = {}
        self.listeners: List[Callable[[Dict[str, Any]], None]] = []
        self.last_bypass_warning = 0.0
        self.memo: Dict[Any, Any] = {}
        self.memo_config: Optional[Config] = None


STATE = _State()
_tls = _thread._local()
#: The innermost allowed scope of this context (``with governor.intent(...)``).
SCOPE: contextvars.ContextVar[Optional[ScopeDecision]] = contextvars.ContextVar("governor_scope", default=None)
#: The default actor of this context (``with governor.with_actor(...)``).
ACTOR: contextvars.ContextVar[Optional[Dict[str, str]]] = contextvars.ContextVar("governor_actor", default=None)
#: Set while an async governed original runs in this task: what it does inside is covered.
COVERED: contextvars.ContextVar[bool] = contextvars.ContextVar("governor_covered", default=False)


def now_ms() -> float:
    return time.time() * 1000


def covered() -> bool:
    """Whether a governed original (or the SDK itself) is running in this thread or task: its own
    internal calls pass through under its decision."""
    return getattr(_tls, "depth", 0) > 0 or COVERED.get()


class passthrough:
    """Runs a block as covered in this thread (a governed original, the SDK's own requests)."""

    __slots__ = ()

    def __enter__(self) -> None:
        _tls.depth = getattr(_tls, "depth", 0) + 1

    def __exit__(self, *exc: Any) -> None:
        _tls.depth -= 1


PASSTHROUGH = passthrough()


def warn(message: str) -> None:
    """A loud line on stderr."""
    try:
        sys.stderr.write(f"[governor] WARNING: {message}\n")
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a closed stderr must not change what runs
        pass


def warn_bypass(force: bool = False) -> None:
    now = time.monotonic()
    if not force and now - STATE.last_bypass_warning < BYPASS_WARNING_INTERVAL_S:
        return
    STATE.last_bypass_warning = now
    warn(
        "GOVERNOR_DEV_BYPASS is on: every side effect is ALLOWED without asking the policy service. "
        "Local development only; never set it in production."
    )


def current_config() -> Config:
    """The configuration in force: what ``enable()`` set, else resolved from the environment now."""
    if STATE.config is None:
        config, warnings = resolve_config()
        for message in warnings:
            warn(message)
        STATE.config = config
    return STATE.config


def finalize(intent: Mapping[str, Any], config: Config) -> Tuple[Dict[str, Any], str]:
    """Fills in the defaults (actor: the intent's, else the context's, else configured; layer;
    tenant) and returns the final intent with its cache key (its stable JSON)."""
    final = dict(intent)
    actor = intent.get("actor") or ACTOR.get() or config.actor
    if actor is not None:
        final["actor"] = dict(actor)
    if final.get("layer") is None:
        final["layer"] = config.layer
    if config.tenant_id is not None and final.get("tenantId") is None:
        final["tenantId"] = config.tenant_id
    return final, stable_stringify(final)


# An outcome: ("decided", Decision, key) or ("unavailable", GovernorUnavailable, fail_open_allowed).
Outcome = tuple


class Prepared:
    __slots__ = ("config", "intent", "key", "immediate", "body", "headers")

    def __init__(
        self,
        config: Config,
        intent: Dict[str, Any],
        key: str,
        immediate: Optional[Outcome] = None,
        body: bytes = b"",
        headers: Optional[Dict[str, str]] = None,
    ) -> None:
        self.config, self.intent, self.key, self.immediate = config, intent, key, immediate
        self.body, self.headers = body, headers or {}


def prepare(raw_intent: Mapping[str, Any], final: Optional[Tuple[Dict[str, Any], str]] = None) -> Prepared:
    config = current_config()
    intent, key = final if final is not None else finalize(raw_intent, config)
    if config.dev_bypass:
        warn_bypass()
        return Prepared(config, intent, key, ("decided", Decision("BYPASS", intent), key))
    if config.enforce_url is None:
        error = GovernorUnavailable(
            f"Governor has no policy service configured, so {describe_intent(intent)} is denied (fail closed). "
            "Set GOVERNOR_ENFORCE_URL to the enforce endpoint.",
            hint="Set GOVERNOR_ENFORCE_URL to your policy service (for local development: npx governor-init mock, "
            "then GOVERNOR_ENFORCE_URL=http://127.0.0.1:<port>).",
            intent=intent,
            code="GOVERNOR_NOT_CONFIGURED",
        )
        return Prepared(config, intent, key, ("unavailable", error, False))
    hit = STATE.cache.get(key)
    if hit is not None:
        expires_at, request_id, reason = hit
        if expires_at > now_ms():
            return Prepared(config, intent, key, ("decided", Decision("ALLOW", intent, True, request_id, reason, expires_at), key))
        STATE.cache.pop(key, None)
    headers = {"content-type": "application/json", "accept": "application/json"}
    if config.api_key is not None:
        headers["authorization"] = f"Bearer {config.api_key}"
    import json

    body = json.dumps(intent, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Prepared(config, intent, key, None, body, headers)


_FAIL_MODE_HINT = "With GOVERNOR_FAIL_MODE=open side effects run anyway (with warnings); the default is closed."


def _unavailable(prepared: Prepared, message: str, hint: str, fail_open_allowed: bool = True) -> Outcome:
    error = GovernorUnavailable(
        f"Governor could not get a decision for {describe_intent(prepared.intent)}: {message}",
        hint=hint,
        intent=prepared.intent,
    )
    return ("unavailable", error, fail_open_allowed)


def _send(prepared: Prepared) -> Tuple[str, Any]:
    """POSTs the intent: ("ok", (status, text)), ("timeout", message) or ("error", message)."""
    import http.client
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(prepared.config.enforce_url)
    timeout = prepared.config.timeout_ms / 1000
    deadline = time.monotonic() + timeout
    connection_class = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    with PASSTHROUGH:
        connection = connection_class(url.hostname, url.port, timeout=timeout)
        try:
            path = url.path + (f"?{url.query}" if url.query else "")
            connection.request("POST", path, prepared.body, prepared.headers)
            if connection.sock is not None:
                connection.sock.settimeout(max(deadline - time.monotonic(), 0.001))
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            if time.monotonic() > deadline:
                return ("timeout", "")
            return ("ok", (response.status, text))
        except (socket.timeout, TimeoutError):
            return ("timeout", "")
        except (OSError, http.client.HTTPException) as error:
            return ("error", f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
        finally:
            connection.close()


def _read_answer(prepared: Prepared, sent: Tuple[str, Any]) -> Any:
    import json

    url = prepared.config.enforce_url
    kind, value = sent
    if kind == "timeout":
        return _unavailable(
            prepared,
            f"the policy service at {url} did not answer within {prepared.config.timeout_ms} ms.",
            f"Check that it is running and reachable, or raise GOVERNOR_TIMEOUT_MS. {_FAIL_MODE_HINT}",
        )
    if kind == "error":
        return _unavailable(
            prepared,
            f"could not reach the policy service at {url} ({value}).",
            f"Check GOVERNOR_ENFORCE_URL and that the service is running. {_FAIL_MODE_HINT}",
        )
    status, text = value
    if not 200 <= status <= 299:
        detail = ""
        try:
            body = json.loads(text)
            if isinstance(body, dict) and isinstance(body.get("detail"), str):
                detail = f": {body['detail']}"
        except ValueError:
            pass
        hint = (
            "Check GOVERNOR_API_KEY: the policy service refused the credentials."
            if status in (401, 403)
            else f"The policy service is failing; check its logs. {_FAIL_MODE_HINT}"
        )
        return _unavailable(prepared, f"the policy service answered HTTP {status}{detail}.", hint)
    try:
        body = json.loads(text)
    except ValueError:
        return _unavailable(
            prepared, "the policy service's answer is not JSON.", "Check GOVERNOR_ENFORCE_URL points at the enforce endpoint."
        )
    metadata = body.get("metadata") if isinstance(body, dict) else None
    if (
        not isinstance(body, dict)
        or body.get("decision") not in ("ALLOW", "DENY")
        or not isinstance(metadata, dict)
        or not isinstance(metadata.get("request_id"), str)
    ):
        return _unavailable(
            prepared,
            "the policy service's answer lacks a decision of ALLOW or DENY and a metadata.request_id.",
            "Check GOVERNOR_ENFORCE_URL points at a Governor enforce endpoint (/api/v2/enforce).",
        )
    reason = metadata.get("reason")
    return {
        "decision": body["decision"],
        "request_id": metadata["request_id"],
        "reason": reason if isinstance(reason, str) else None,
        "token": body.get("decision_token"),
    }


_TOKEN_HINT = "Check GOVERNOR_DECISION_SECRET matches the policy service's signing secret; a tampered or replayed answer is refused."


def _conclude(prepared: Prepared, answer: Dict[str, Any]) -> Outcome:
    import json

    config = prepared.config
    expires_at = now_ms() + config.cache_ttl_ms
    if config.decision_secret is not None and answer["decision"] == "ALLOW":
        # A bad token is a security signal, not an outage: it never fails open.
        verdict = verify_decision_token(
            answer["token"], config.decision_secret, intent_hash=intent_hash(prepared.intent), decision="ALLOW"
        )
        if not verdict["ok"]:
            message = (
                "the ALLOW carries no decision token, but GOVERNOR_DECISION_SECRET requires one."
                if answer["token"] is None
                else f"the ALLOW's decision token is invalid ({verdict['problem']})."
            )
            return _unavailable(prepared, message, _TOKEN_HINT, False)
        claims = verdict["claims"]
        if claims.get("request_id") != answer["request_id"]:
            return _unavailable(
                prepared,
                f"the ALLOW's decision token is invalid (wrong-request: it was issued for request "
                f"{json.dumps(str(claims.get('request_id')))}, the answer is for {json.dumps(answer['request_id'])}).",
                _TOKEN_HINT,
                False,
            )
        expires_at = min(expires_at, float(claims["exp"]))
    result = Decision(answer["decision"], prepared.intent, False, answer["request_id"], answer["reason"])
    if answer["decision"] == "ALLOW" and config.cache_ttl_ms > 0 and expires_at > now_ms():
        result.expires_at = expires_at
        if len(STATE.cache) >= MAX_CACHE_ENTRIES:
            STATE.cache.pop(next(iter(STATE.cache)), None)
        STATE.cache[prepared.key] = (expires_at, answer["request_id"], answer["reason"])
    return ("decided", result, prepared.key)


def finish(prepared: Prepared) -> Outcome:
    """Asks the policy service (blocking this thread) and reads its answer."""
    answer = _read_answer(prepared, _send(prepared))
    return answer if isinstance(answer, tuple) else _conclude(prepared, answer)


def decide_sync(intent: Mapping[str, Any], final: Optional[Tuple[Dict[str, Any], str]] = None) -> Outcome:
    prepared = prepare(intent, final)
    return prepared.immediate if prepared.immediate is not None else finish(prepared)


async def decide_async(intent: Mapping[str, Any], final: Optional[Tuple[Dict[str, Any], str]] = None) -> Outcome:
    """As :func:`decide_sync`, asking in a worker thread so the event loop keeps running."""
    prepared = prepare(intent, final)
    if prepared.immediate is not None:
        return prepared.immediate
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(None, finish, prepared)


def emit_audit(event: Dict[str, Any]) -> None:
    """Sends an audit event to listeners and the audit log. A failing listener never breaks the caller."""
    for listener in list(STATE.listeners):
        try:
            listener(event)
        except Exception:  # noqa: BLE001 - audit listeners are observers
            pass
    path = STATE.config.audit_log if STATE.config is not None else None
    if path is not None:
        import json

        with PASSTHROUGH:
            try:
                with _REAL_OPEN(path, "a", encoding="utf-8") as log:
                    log.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
            except OSError as error:
                warn(f"could not append to GOVERNOR_AUDIT_LOG {path}: {error}")


def auditing() -> bool:
    return bool(STATE.listeners) or (STATE.config is not None and STATE.config.audit_log is not None)


def _audit_base(meta: Mapping[str, Any], intent: Dict[str, Any]) -> Dict[str, Any]:
    event: Dict[str, Any] = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".%03dZ" % (int(time.time() * 1000) % 1000),
        "source": meta["source"],
    }
    if meta.get("primitive") is not None:
        event["primitive"] = meta["primitive"]
    if meta.get("target") is not None:
        event["target"] = meta["target"]
    event["intent"] = intent
    return event


def judge(outcome: Outcome, meta: Mapping[str, Any]) -> Tuple[bool, Any]:
    """Turns an outcome into (True, ScopeDecision) to run, or (False, error) to raise; prints the
    fail-open warning and emits the audit event."""
    kind, value, extra = outcome
    if kind == "unavailable":
        error: GovernorUnavailable = value
        intent = error.intent or {}
        fail_open = bool(extra) and STATE.config is not None and STATE.config.fail_mode == "open"
        if fail_open:
            warn(f"{error.message} Running it anyway because GOVERNOR_FAIL_MODE=open.")
        emit_audit({**_audit_base(meta, intent), "decision": "ERROR", "reason": error.message, "executed": fail_open, "cached": False})
        if fail_open:
            return True, ScopeDecision(intent, stable_stringify(intent), meta["source"], None, 0, "ERROR")
        return False, error
    result: Decision = value
    if auditing():
        event = {**_audit_base(meta, result.intent), "decision": result.decision, "executed": result.decision != "DENY", "cached": result.cached}
        if result.request_id is not None:
            event["requestId"] = result.request_id
        if result.reason is not None:
            event["reason"] = result.reason
        emit_audit(event)
    if result.decision == "DENY":
        return False, GovernorDenied(result.intent, request_id=result.request_id, reason=result.reason)
    expires = (result.expires_at or 0) if result.decision == "ALLOW" else 0
    return True, ScopeDecision(result.intent, extra, meta["source"], result.request_id, expires, result.decision)


def scope_is_fresh(scope: ScopeDecision) -> bool:
    return scope.decision == "ALLOW" and scope.expires_at > now_ms()


def audit_under_scope(scope: ScopeDecision, meta: Mapping[str, Any]) -> None:
    if not auditing():
        return
    event = {**_audit_base(meta, scope.intent), "decision": "ALLOW", "executed": True, "cached": True}
    if scope.request_id is not None:
        event["requestId"] = scope.request_id
    emit_audit(event)


def refresh_scope(scope: ScopeDecision, fresh: ScopeDecision) -> None:
    scope.request_id = fresh.request_id
    scope.expires_at = fresh.expires_at
    scope.decision = fresh.decision


def open_scope() -> Optional[ScopeDecision]:
    scope = SCOPE.get()
    return scope if scope is not None and not scope.closed else None


def is_exempt(kind: str, target: str) -> bool:
    rules = current_config().exempt
    return any((rule.kind is None or rule.kind == kind or (rule.kind == "fetch" and kind == "http")) and rule.pattern.match(target) for rule in rules)  # type: ignore[union-attr]


def _memo(name: str, fast_key: Any, derive: Callable[[], Any], kind: str) -> Any:
    config = current_config()
    if STATE.memo_config is not config:
        STATE.memo.clear()
        STATE.memo_config = config
    memo_key = (name, fast_key)
    hit = STATE.memo.get(memo_key)
    if hit is None:
        derived = derive()
        hit = (derived, finalize(derived.intent, config), is_exempt(kind, derived.target))
        if len(STATE.memo) >= 1000:
            STATE.memo.clear()
        STATE.memo[memo_key] = hit
    return hit


def _settle_fast(kind: str, name: str, derive: Callable[[], Any], fast_key: Any) -> Tuple[bool, Any, Any, Any]:
    """(run now?, derived, final, scope)."""
    scope = open_scope()
    if fast_key is not None and scope is None and ACTOR.get() is None:
        derived, final, exempt = _memo(name, fast_key, derive, kind)
    else:
        derived, final = derive(), None
        exempt = is_exempt(kind, derived.target)
    if exempt:
        return True, derived, final, None
    if scope is not None and scope_is_fresh(scope):
        audit_under_scope(scope, {"source": "primitive", "primitive": name, "target": derived.target})
        return True, derived, final, None
    return False, derived, final, scope


def gate(kind: str, name: str, derive: Callable[[], Any], fast_key: Any = None) -> None:
    """Decides one governed call before it runs: returns to run it, raises ``GovernorDenied`` or
    ``GovernorUnavailable`` when it must not. Calls made by a governed original (or by the SDK) pass."""
    if covered() or not STATE.enabled or kind not in current_config().primitives:
        return
    run, derived, final, scope = _settle_fast(kind, name, derive, fast_key)
    if run:
        return
    if final is not None and scope is None and not STATE.listeners and STATE.config is not None and STATE.config.audit_log is None:
        # The hot path: a fresh cached ALLOW for this exact intent, and nobody to tell.
        hit = STATE.cache.get(final[1])
        if hit is not None and hit[0] > now_ms():
            return
    meta = {"source": "primitive", "primitive": name, "target": derived.target}
    if scope is not None:
        # The scope's decision expired (or it runs without an ALLOW): re-ask for the scope's intent.
        ok, value = judge(decide_sync(scope.intent), meta)
        if not ok:
            raise value
        refresh_scope(scope, value)
        return
    ok, value = judge(decide_sync(derived.intent, final), meta)
    if not ok:
        raise value


async def gate_async(kind: str, name: str, derive: Callable[[], Any], fast_key: Any = None) -> None:
    """:func:`gate` for coroutines: a request to the policy service runs in a worker thread."""
    if covered() or not STATE.enabled or kind not in current_config().primitives:
        return
    run, derived, final, scope = _settle_fast(kind, name, derive, fast_key)
    if run:
        return
    meta = {"source": "primitive", "primitive": name, "target": derived.target}
    if scope is not None:
        ok, value = judge(await decide_async(scope.intent), meta)
        if not ok:
            raise value
        refresh_scope(scope, value)
        return
    ok, value = judge(await decide_async(derived.intent, final), meta)
    if not ok:
        raise value


__all__ = ["GovernorError"]
