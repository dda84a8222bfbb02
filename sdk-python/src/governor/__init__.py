"""``governor``: ask the Governor policy service before every side effect, and obey.

The Python SDK of the Governor, with the same contract and behaviour as ``@governor/sdk``:

- ``governor.enable()`` patches the common primitives (``http.client`` and so ``urllib``,
  ``urllib3``, ``requests`` and ``botocore``; ``httpx``; ``aiohttp``; ``subprocess``, ``os.system``,
  ``os.popen``, ``os.exec*``, ``os.spawn*``, ``asyncio`` subprocesses; file writes through
  ``open``, ``os``, ``shutil`` and ``pathlib``; ``sqlite3`` statements and SQLAlchemy engines) so
  each call is decided before it runs, with a PEP 578 audit hook as the backstop for calls that
  go around a patch. ``governor.disable()`` restores every original exactly.
- ``with governor.intent(event):`` (or ``async with``) runs a block under one decision.
- ``@governor.governed_tool(...)`` governs an agent tool, keeping its signature.

Fail closed: no decision, no side effect. Anything exported here is public API.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from . import _backstop, _engine, _patches
from ._engine import Decision
from .config import resolve_config
from .errors import GovernorDenied, GovernorError, GovernorUnavailable

__version__ = "0.1.0"

__all__ = [
    "enable",
    "disable",
    "is_enabled",
    "intent",
    "with_actor",
    "governed_tool",
    "decide",
    "decide_async",
    "on_audit",
    "current_intent",
    "Decision",
    "GovernorError",
    "GovernorDenied",
    "GovernorUnavailable",
    "__version__",
]


_SCOPE_NAMES = frozenset({"intent", "with_actor", "governed_tool", "decide", "decide_async", "on_audit", "current_intent"})


def __getattr__(name: str) -> Any:
    # Scopes and tools are loaded on first use: the .pth activation only needs enable().
    if name in _SCOPE_NAMES:
        from . import _scope

        value = getattr(_scope, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'governor' has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | _SCOPE_NAMES)


if TYPE_CHECKING:
    from ._scope import current_intent, decide, decide_async, governed_tool, intent, on_audit, with_actor


def enable(**options: Any) -> None:
    """Turns governance on: patches the primitives so each call is decided by the policy service
    before it runs, and adds the audit-hook backstop.

    Options (each falls back to its environment variable, then the default): ``enabled``
    (``GOVERNOR_ENABLED``), ``enforce_url`` (``GOVERNOR_ENFORCE_URL``; a bare origin gets
    ``/api/v2/enforce``), ``api_key`` (``GOVERNOR_API_KEY``), ``fail_mode``
    (``GOVERNOR_FAIL_MODE``: ``closed`` or ``open``), ``timeout_ms`` (``GOVERNOR_TIMEOUT_MS``,
    2000), ``actor`` (``GOVERNOR_ACTOR_ID`` / ``GOVERNOR_ACTOR_TYPE``), ``tenant_id``
    (``GOVERNOR_TENANT_ID``), ``layer`` (``GOVERNOR_LAYER``, ``L4``), ``cache_ttl_ms``
    (``GOVERNOR_CACHE_TTL_MS``, 5000; 0 disables), ``decision_secret``
    (``GOVERNOR_DECISION_SECRET``: every ALLOW must then carry a valid signed token), ``exempt``
    (``GOVERNOR_EXEMPT``), ``primitives`` (``GOVERNOR_PRIMITIVES``: ``http``, ``child_process``,
    ``fs``, ``sql``), ``audit_log`` (``GOVERNOR_AUDIT_LOG``) and ``dev_bypass``
    (``GOVERNOR_DEV_BYPASS``; refused when ``NODE_ENV``, ``APP_ENV`` or ``ENVIRONMENT`` starts with
    ``prod``).

    Idempotent: a second call changes nothing. ``GOVERNOR_ENABLED=0`` makes it a no-op.

    Raises:
        GovernorError: code ``GOVERNOR_CONFIG``, naming the variable, when a value is invalid.

    Example::

        import governor
        governor.enable()  # GOVERNOR_ENFORCE_URL=http://127.0.0.1:4319 in the environment
    """
    state = _engine.STATE
    if state.enabled:
        return
    config, warnings = resolve_config(options)
    for message in warnings:
        _engine.warn(message)
    if not config.enabled:
        return
    state.config = config
    if config.dev_bypass:
        _engine.warn_bypass(True)
    elif config.enforce_url is None:
        _engine.warn("GOVERNOR_ENFORCE_URL is not set: every governed side effect will be denied (fail closed) until it is.")
    state.enabled = True
    try:
        _patches.install(config.primitives)
        _backstop.install()
    except BaseException:
        disable()
        raise


def disable() -> None:
    """Turns governance off: puts back the exact original functions, makes the audit hook inert
    (audit hooks cannot be removed) and clears the decision cache. Scopes and governed tools keep
    working, reading configuration from the environment. Idempotent."""
    state = _engine.STATE
    state.enabled = False
    _patches.remove_all()
    state.config = None
    state.cache.clear()
    state.memo.clear()


def is_enabled() -> bool:
    """Whether ``enable()`` has patched the primitives in this process."""
    return _engine.STATE.enabled
