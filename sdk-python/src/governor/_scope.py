"""Explicit intent scopes (``with governor.intent(...)``), actor scopes, ``decide`` and
``governed_tool``."""

from __future__ import annotations

from _collections_abc import Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Optional, TypeVar

    
from . import _engine as engine
from .errors import GovernorError
from .intents import truncate
from .protocol import sha256_hex

UNRESOLVED_MARKER = "TODO(governor)"
MAX_ARGUMENT_CHARS = 4096


def check_intent(intent: Any, caller: str) -> None:
    if not isinstance(intent, Mapping) or not isinstance(intent.get("action"), str) or not intent.get("action"):
        raise TypeError(f'{caller}: intent["action"] must be a non-empty string, for example "read" or "write".')
    resource = intent.get("resource")
    if not isinstance(resource, Mapping) or not isinstance(resource.get("type"), str) or not resource.get("type"):
        raise TypeError(f'{caller}: intent["resource"]["type"] must be a non-empty string, for example "database".')
    for value in (intent["action"], resource.get("type"), resource.get("name")):
        if isinstance(value, str) and UNRESOLVED_MARKER in value:
            # A placeholder left for a person to fill in is not an intent: nothing is asked, nothing runs.
            raise GovernorError(
                "GOVERNOR_UNRESOLVED_INTENT",
                f'{caller}: the intent is unfinished: "{value}"',
                hint="Replace each TODO(governor) placeholder with the real action and resource (`npx governor-init check` lists them).",
            )


class intent:
    """An explicit intent scope: one decision on entry, for everything the block does.

    On ``DENY`` raises :class:`GovernorDenied` and the block never runs; when no decision can be
    had, raises :class:`GovernorUnavailable` (fail closed) or, with ``GOVERNOR_FAIL_MODE=open``,
    runs the block with a loud warning. Governed calls inside run under this decision without new
    requests while it is fresh (re-asked once it expires). Nested scopes are each decided. The
    scope is a ``contextvars`` value, so it follows ``await`` but not new threads. Works as
    ``with`` and ``async with`` (which asks without blocking the event loop); ``as`` gives the
    :class:`Decision`.

    Example::

        with governor.intent({"action": "write", "resource": {"type": "database", "name": "orders"}}):
            db.insert(order)
    """

    def __init__(self, event: Mapping[str, Any], *, _source: str = "scope") -> None:
        check_intent(event, "governor.intent")
        self._event = dict(event)
        self._source = _source
        self._scope: Optional[engine.ScopeDecision] = None
        self._token: Any = None

    def _enter(self, outcome: Any) -> engine.Decision:
        ok, value = engine.judge(outcome, {"source": self._source})
        if not ok:
            raise value
        self._scope = value
        self._token = engine.SCOPE.set(value)
        kind, result, _ = outcome
        return result if kind == "decided" else engine.Decision("ERROR", value.intent)

    def __enter__(self) -> engine.Decision:
        return self._enter(engine.decide_sync(self._event))

    async def __aenter__(self) -> engine.Decision:
        return self._enter(await engine.decide_async(self._event))

    def _exit(self) -> None:
        if self._token is not None:
            engine.SCOPE.reset(self._token)
            self._token = None
        if self._scope is not None:
            # The decision covers what runs inside the block, not what it leaves behind.
            self._scope.closed = True

    def __exit__(self, *exc: Any) -> None:
        self._exit()

    async def __aexit__(self, *exc: Any) -> None:
        self._exit()


class with_actor:
    """Sets the default actor of every intent decided inside the block (per request, per task).

    Example::

        with governor.with_actor({"id": user.id, "type": "user"}):
            handle(request)
    """

    def __init__(self, actor: Mapping[str, str]) -> None:
        if not isinstance(actor, Mapping) or not isinstance(actor.get("id"), str) or not actor.get("id"):
            raise TypeError('governor.with_actor: actor["id"] must be a non-empty string.')
        self._actor = dict(actor)
        self._token: Any = None

    def __enter__(self) -> Dict[str, str]:
        self._token = engine.ACTOR.set(self._actor)
        return self._actor

    def __exit__(self, *exc: Any) -> None:
        engine.ACTOR.reset(self._token)

    async def __aenter__(self) -> Dict[str, str]:
        return self.__enter__()

    async def __aexit__(self, *exc: Any) -> None:
        self.__exit__()


def _decided(outcome: Any) -> engine.Decision:
    kind, value, _ = outcome
    if kind == "unavailable":
        raise value
    return value


def decide(event: Mapping[str, Any]) -> engine.Decision:
    """Asks for a decision without running anything (a fresh cached ALLOW is reused). Returns the
    :class:`Decision` for ``ALLOW``, ``DENY`` (or ``BYPASS``); raises :class:`GovernorUnavailable`
    when none can be had."""
    check_intent(event, "governor.decide")
    return _decided(engine.decide_sync(event))


async def decide_async(event: Mapping[str, Any]) -> engine.Decision:
    """:func:`decide` without blocking the event loop."""
    check_intent(event, "governor.decide_async")
    return _decided(await engine.decide_async(event))


def current_intent() -> Optional[Dict[str, Any]]:
    """The intent of the innermost allowed ``governor.intent`` scope, or ``None`` outside any."""
    scope = engine.open_scope()
    return scope.intent if scope is not None else None


def on_audit(listener: Callable[[Dict[str, Any]], None]) -> Callable[[], None]:
    """Subscribes to the audit trail: ``listener`` receives every attempt (scopes, tools,
    primitives) as a dict with ``time``, ``source``, ``primitive``, ``target``, ``intent``,
    ``decision`` (``ALLOW``, ``DENY``, ``ERROR`` or ``BYPASS``), ``requestId``, ``reason``,
    ``executed`` and ``cached`` — the same fields as ``@governor/sdk``. Returns a function that
    unsubscribes."""
    if not callable(listener):
        raise TypeError("governor.on_audit: the listener must be callable.")

    def entry(event: Dict[str, Any]) -> None:
        listener(event)

    engine.STATE.listeners.append(entry)

    def unsubscribe() -> None:
        if entry in engine.STATE.listeners:
            engine.STATE.listeners.remove(entry)

    return unsubscribe


def _arguments(fn: Callable[..., Any], args: tuple, kwargs: dict) -> Optional[Dict[str, Any]]:
    import inspect

    try:
        bound = inspect.signature(fn).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return {"args": list(args), **kwargs} if args or kwargs else None
    values = {name: value for name, value in bound.arguments.items() if name not in ("self", "cls")}
    return values or None


def governed_tool(
    tool: Optional[str] = None,
    *,
    action: str,
    resource: Mapping[str, Any],
    data: Optional[Mapping[str, Any]] = None,
    risk: Optional[Mapping[str, Any]] = None,
    resource_name_from: Optional[str] = None,
) -> Callable[[F], F]:
    """Governs an agent tool: each call runs inside ``governor.intent`` with the intent built from
    this description plus the call's arguments (``context: {tool, arguments}``). Works on plain
    and ``async`` functions; the wrapper keeps the function's name, docstring, signature and type
    hints (``functools.wraps``), so frameworks that read them (LangChain ``@tool``, CrewAI, OpenAI
    Agents ``@function_tool``, PydanticAI, FastMCP, ADK) see the same tool. ``tool`` defaults to
    the function's name; ``resource_name_from`` names an argument whose string value becomes
    ``resource["name"]``. The scope ends when the function returns. Decorating an already
    governed function returns it unchanged.

    Example::

        @governor.governed_tool(action="write", resource={"type": "external_api", "name": "stripe"})
        def refund(charge_id: str) -> str:
            return stripe.Refund.create(charge=charge_id).id
    """
    if not isinstance(action, str) or not isinstance(resource, Mapping) or not isinstance(resource.get("type"), str):
        raise TypeError("governed_tool: needs action and resource['type'] strings.")

    import functools
    import inspect
    import json

    def decorate(fn: F) -> F:
        if getattr(fn, "__governor_tool__", False):
            return fn
        name = tool or getattr(fn, "__name__", "tool")

        def build(args: tuple, kwargs: dict) -> Dict[str, Any]:
            arguments = _arguments(fn, args, kwargs)
            res = dict(resource)
            if resource_name_from is not None and arguments is not None:
                value = arguments.get(resource_name_from)
                if isinstance(value, str) and value:
                    res["name"] = value
            event: Dict[str, Any] = {"action": action, "resource": res}
            if data is not None:
                event["data"] = dict(data)
            if risk is not None:
                event["risk"] = dict(risk)
            context: Dict[str, Any] = {"tool": name}
            if arguments is not None:
                text = json.dumps(arguments, default=str, ensure_ascii=False, sort_keys=True)
                if len(text) <= MAX_ARGUMENT_CHARS:
                    context["arguments"] = json.loads(text)
                else:
                    # Cut to a preview; the full text's SHA-256 keeps calls that differ after the cut apart.
                    context["arguments"] = {"truncated": True, "preview": truncate(text, MAX_ARGUMENT_CHARS)}
                    context["arguments_sha256"] = sha256_hex(text)
            event["context"] = context
            return event

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def governed_async(*args: Any, **kwargs: Any) -> Any:
                async with intent(build(args, kwargs), _source="tool"):
                    return await fn(*args, **kwargs)

            wrapper: Any = governed_async
        else:

            @functools.wraps(fn)
            def governed(*args: Any, **kwargs: Any) -> Any:
                with intent(build(args, kwargs), _source="tool"):
                    return fn(*args, **kwargs)

            wrapper = governed
        wrapper.__governor_tool__ = True
        return wrapper  # type: ignore[no-any-return]

    return decorate
