"""The SDK's exceptions: one small family, each with a stable ``code`` and a ``hint``."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Mapping, Optional

__all__ = ["GovernorError", "GovernorDenied", "GovernorUnavailable", "describe_intent"]


def describe_intent(intent: Optional[Mapping[str, Any]]) -> str:
    """``write on filesystem "/tmp/x"``: how messages name an intent."""
    if not intent:
        return "an unknown action"
    resource = intent.get("resource") or {}
    name = resource.get("name")
    return f'{intent.get("action")} on {resource.get("type", "?")}' + (f' "{name}"' if name else "")


class GovernorError(Exception):
    """Base class of every error the SDK raises. ``code`` is stable; ``hint`` says what to do."""

    def __init__(self, code: str, message: str, *, hint: Optional[str] = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def _default_next_steps(intent: Mapping[str, Any], request_id: Optional[str]) -> List[str]:
    ref = f" and quote request id {request_id}" if request_id else ""
    return [
        "Do not retry the same action unchanged; it will be denied again.",
        f"If {describe_intent(intent)} should be allowed, ask your Governor administrator to review the policy{ref}.",
        "Locally, check the policy file the enforce mock was started with (governor-init mock --policy FILE).",
    ]


class GovernorDenied(GovernorError):
    """The policy service answered ``DENY``: the side effect (or the scope's body) did not run.

    Attributes: ``decision`` (always ``"DENY"``), ``request_id`` (quote it when asking for an
    exception), ``reason`` (a short human reason), ``next_steps`` (safe things to try next) and
    ``intent`` (the intent event exactly as sent).

    Example::

        try:
            with governor.intent({"action": "delete", "resource": {"type": "database", "name": "users"}}):
                drop_users()
        except governor.GovernorDenied as denied:
            return {"denied": denied.reason, "request_id": denied.request_id}
    """

    decision = "DENY"

    def __init__(
        self,
        intent: Mapping[str, Any],
        *,
        request_id: Optional[str] = None,
        reason: Optional[str] = None,
        next_steps: Optional[List[str]] = None,
    ) -> None:
        self.intent = dict(intent)
        self.request_id = request_id
        self.reason = reason or "The policy does not allow this action."
        self.next_steps = next_steps or _default_next_steps(intent, request_id)
        suffix = f" (request {request_id})" if request_id else ""
        super().__init__(
            "GOVERNOR_DENIED",
            f"Governor denied {describe_intent(intent)}: {self.reason}{suffix}",
            hint=self.next_steps[0],
        )


class GovernorUnavailable(GovernorError):
    """No decision could be had: no enforce URL configured, the policy service timed out, refused
    the connection, answered non-2xx or a malformed body, or a decision token failed verification.
    In the default ``closed`` fail mode the side effect did not run."""

    def __init__(
        self,
        message: str,
        *,
        hint: str,
        intent: Optional[Mapping[str, Any]] = None,
        code: str = "GOVERNOR_UNAVAILABLE",
    ) -> None:
        super().__init__(code, message, hint=hint)
        self.intent = dict(intent) if intent is not None else None
