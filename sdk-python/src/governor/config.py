"""Resolves the SDK's options: explicit keyword arguments, then the ``GOVERNOR_*`` environment
variables (the same ones ``@governor/sdk`` reads), then defaults. An invalid value raises a
``GovernorError`` (code ``GOVERNOR_CONFIG``) naming the variable: a misconfigured governor must
not start."""

from __future__ import annotations

import os
from _collections_abc import Mapping

# Imported on first use: this module is on the interpreter's start-up path (the .pth activation).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Pattern, Tuple

from .errors import GovernorError
from .protocol import ENFORCE_PATH

__all__ = ["Config", "resolve_config", "glob_to_regex", "parse_exempt", "PRIMITIVE_KINDS", "PRODUCTION_VARIABLES"]

PRIMITIVE_KINDS = ("http", "fetch", "child_process", "fs", "sql", "undici", "axios")
"""Kinds ``GOVERNOR_PRIMITIVES`` accepts (the Node SDK's names). In Python ``fetch`` means the same
as ``http`` (every HTTP client), and ``undici`` / ``axios`` have nothing to patch."""
DEFAULT_PRIMITIVES = ("http", "child_process", "fs", "sql")
PRODUCTION_VARIABLES = ("NODE_ENV", "APP_ENV", "ENVIRONMENT")
"""Any of these starting with ``prod`` (trimmed, any case) refuses the dev bypass."""

_FALSY = {"0", "false", "off", "no"}
_TRUTHY = {"1", "true", "on", "yes"}


class ExemptRule:
    """A call that is never governed: ``kind`` (all when ``None``) and a ``target`` glob."""

    __slots__ = ("target", "kind", "pattern")

    def __init__(self, target: str, kind: Optional[str] = None, pattern: Optional[Pattern[str]] = None) -> None:
        self.target, self.kind, self.pattern = target, kind, pattern

    def __repr__(self) -> str:
        return f"ExemptRule(target={self.target!r}, kind={self.kind!r})"


class Config:
    """Every option resolved."""

    def __init__(self) -> None:
        self.enabled = True
        self.enforce_url: Optional[str] = None
        self.api_key: Optional[str] = None
        self.fail_mode = "closed"
        self.timeout_ms = 2000
        self.actor: Optional[Dict[str, str]] = None
        self.tenant_id: Optional[str] = None
        self.layer = "L4"
        self.cache_ttl_ms = 5000
        self.decision_secret: Optional[str] = None
        self.exempt: List[ExemptRule] = []
        self.primitives: Tuple[str, ...] = DEFAULT_PRIMITIVES
        self.audit_log: Optional[str] = None
        self.dev_bypass = False

    def __repr__(self) -> str:
        return "Config(" + ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "api_key") + ")"


def _error(variable: str, message: str) -> GovernorError:
    return GovernorError(
        "GOVERNOR_CONFIG",
        f"{variable}: {message}",
        hint=f"Fix {variable} in the environment (or the matching option of governor.enable()).",
    )


def _env(env: Mapping[str, str], name: str) -> Optional[str]:
    value = env.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def parse_boolean(variable: str, value: str) -> bool:
    lower = value.lower()
    if lower in _FALSY:
        return False
    if lower in _TRUTHY:
        return True
    raise _error(variable, f'expected one of 1, true, on, yes, 0, false, off, no; got "{value}".')


def _integer(variable: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        number = None
    if number is None or number < minimum:
        raise _error(variable, f'expected a whole number of milliseconds ≥ {minimum}; got "{value}".')
    return number


def normalize_enforce_url(value: str, variable: str = "GOVERNOR_ENFORCE_URL") -> str:
    """Accepts a full endpoint URL or a bare origin (which gets ``/api/v2/enforce``)."""
    # Parsed by hand: urllib.parse (with re, enum, ipaddress) would double the start-up cost of the
    # .pth activation.
    scheme, sep, rest = value.partition("://")
    if not sep or not scheme or not scheme.replace("+", "").replace("-", "").replace(".", "").isalnum():
        raise _error(variable, f'"{value}" is not a URL; expected for example http://127.0.0.1:4000.')
    if scheme.lower() not in ("http", "https"):
        raise _error(variable, f'"{value}" must be an http: or https: URL.')
    rest = rest.split("#", 1)[0]
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i != -1), default=len(rest))
    netloc, tail = rest[:cut], rest[cut:]
    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        name, _, after = host[1:].partition("]")
        port = after[1:] if after.startswith(":") else ("" if after == "" else None)
    else:
        name, _, port = host.partition(":")
    if not name or port is None or (port and not (port.isascii() and port.isdigit() and int(port) < 65536)) or any(c.isspace() for c in value):
        raise _error(variable, f'"{value}" is not a URL; expected for example http://127.0.0.1:4000.')
    path, _, query = tail.partition("?")
    if path in ("", "/"):
        path = ENFORCE_PATH
    return f"{scheme.lower()}://{netloc}{path}" + (f"?{query}" if query else "")


def glob_to_regex(glob: str) -> Pattern[str]:
    """An exemption glob: ``*`` within one path segment, ``**`` across segments (``**/`` may match
    none), ``?`` one character other than ``/``; everything else literal."""
    import re

    out = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if char == "*" and glob[i + 1 : i + 2] == "*":
            while glob[i + 1 : i + 2] == "*":
                i += 1
            if glob[i + 1 : i + 2] == "/":
                out.append("(?:.*/)?")
                i += 1
            else:
                out.append(".*")
        elif char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("^" + "".join(out) + "$", re.DOTALL)


def parse_exempt(value: str) -> List[ExemptRule]:
    """``kind:glob`` or ``glob``, comma-separated. ``http://…`` is a glob, not the kind ``http``."""
    rules: List[ExemptRule] = []
    if not value.strip():
        return rules
    import re

    for raw in value.split(","):
        entry = raw.strip()
        if not entry:
            continue
        match = re.fullmatch(r"([a-z_]+):(?!//)(.+)", entry, re.DOTALL)
        if match and match.group(1) in PRIMITIVE_KINDS:
            rules.append(ExemptRule(target=match.group(2), kind=match.group(1)))
        else:
            rules.append(ExemptRule(target=entry))
    return rules


def production_value(env: Mapping[str, str]) -> Optional[Tuple[str, str]]:
    """The first of :data:`PRODUCTION_VARIABLES` that says production, with its value."""
    for name in PRODUCTION_VARIABLES:
        value = env.get(name)
        if value is not None and value.strip().lower().startswith("prod"):
            return name, value
    return None


def resolve_config(options: Optional[Mapping[str, Any]] = None, env: Optional[Mapping[str, str]] = None) -> Tuple[Config, List[str]]:
    """Resolves the configuration; returns it with warnings that are not errors."""
    options = dict(options or {})
    env = os.environ if env is None else env
    unknown = set(options) - {
        "enabled", "enforce_url", "api_key", "fail_mode", "timeout_ms", "actor", "tenant_id", "layer",
        "cache_ttl_ms", "decision_secret", "exempt", "primitives", "audit_log", "dev_bypass",
    }  # fmt: skip
    if unknown:
        raise TypeError(f"governor.enable(): unknown option(s) {', '.join(sorted(unknown))}")
    warnings: List[str] = []
    cfg = Config()

    enabled_env = _env(env, "GOVERNOR_ENABLED")
    cfg.enabled = options["enabled"] if "enabled" in options else (True if enabled_env is None else parse_boolean("GOVERNOR_ENABLED", enabled_env))

    if options.get("enforce_url") is not None:
        cfg.enforce_url = normalize_enforce_url(options["enforce_url"], "enforce_url")
    elif _env(env, "GOVERNOR_ENFORCE_URL") is not None:
        cfg.enforce_url = normalize_enforce_url(_env(env, "GOVERNOR_ENFORCE_URL"))  # type: ignore[arg-type]

    fail = options.get("fail_mode") or _env(env, "GOVERNOR_FAIL_MODE") or "closed"
    if fail not in ("closed", "open"):
        raise _error("GOVERNOR_FAIL_MODE", f'expected "closed" or "open"; got "{fail}".')
    cfg.fail_mode = fail

    timeout = options["timeout_ms"] if options.get("timeout_ms") is not None else (_env(env, "GOVERNOR_TIMEOUT_MS") or 2000)
    cfg.timeout_ms = _integer("GOVERNOR_TIMEOUT_MS", timeout, 1)
    ttl = options["cache_ttl_ms"] if options.get("cache_ttl_ms") is not None else (_env(env, "GOVERNOR_CACHE_TTL_MS") or 5000)
    cfg.cache_ttl_ms = _integer("GOVERNOR_CACHE_TTL_MS", ttl, 0)

    actor = options.get("actor")
    if actor is None:
        actor_id, actor_type = _env(env, "GOVERNOR_ACTOR_ID"), _env(env, "GOVERNOR_ACTOR_TYPE")
        if actor_id is not None:
            actor = {"id": actor_id} if actor_type is None else {"id": actor_id, "type": actor_type}
        elif actor_type is not None:
            raise _error("GOVERNOR_ACTOR_TYPE", "is set but GOVERNOR_ACTOR_ID is not; set both.")
    elif not isinstance(actor, Mapping) or not isinstance(actor.get("id"), str) or not actor.get("id"):
        raise _error("actor", "actor['id'] must be a non-empty string.")
    cfg.actor = dict(actor) if actor is not None else None

    exempt_variable = "exempt" if options.get("exempt") is not None else "GOVERNOR_EXEMPT"
    raw_exempt = options.get("exempt")
    if raw_exempt is None:
        rules = parse_exempt(_env(env, "GOVERNOR_EXEMPT") or "")
    elif isinstance(raw_exempt, str):
        rules = parse_exempt(raw_exempt)
    else:
        rules = [r if isinstance(r, ExemptRule) else ExemptRule(target=r["target"], kind=r.get("kind")) for r in raw_exempt]
    for rule in rules:
        if rule.kind is not None and rule.kind not in PRIMITIVE_KINDS:
            raise _error(exempt_variable, f'unknown kind "{rule.kind}"; kinds are {", ".join(PRIMITIVE_KINDS)}.')
        if not isinstance(rule.target, str) or not rule.target:
            raise _error(exempt_variable, "an exemption needs a target glob.")
        rule.pattern = glob_to_regex(rule.target)
        if rule.target.strip("*") == "":
            scope = "of every kind" if rule.kind is None else f"of kind {rule.kind}"
            warnings.append(
                f'{exempt_variable}: the exemption "{(rule.kind + ":") if rule.kind else ""}{rule.target}" exempts everything {scope}: '
                "those side effects run without any decision. Narrow it to the targets you mean."
            )
    cfg.exempt = rules

    primitives_variable = "primitives" if options.get("primitives") is not None else "GOVERNOR_PRIMITIVES"
    raw = options.get("primitives")
    if raw is None:
        raw = _env(env, "GOVERNOR_PRIMITIVES") or ",".join(DEFAULT_PRIMITIVES)
    kinds = [k.strip() for k in raw.split(",")] if isinstance(raw, str) else list(raw)
    kinds = [k for k in kinds if k]
    for kind in kinds:
        if kind not in PRIMITIVE_KINDS:
            raise _error(primitives_variable, f'unknown primitive "{kind}"; choose from {", ".join(DEFAULT_PRIMITIVES)}.')
    ignored = [k for k in kinds if k in ("undici", "axios")]
    if ignored:
        warnings.append(f"{primitives_variable}: {', '.join(ignored)} are Node clients; Python has nothing to patch for them.")
    normalized = []
    for kind in kinds:
        kind = "http" if kind == "fetch" else kind
        if kind in DEFAULT_PRIMITIVES and kind not in normalized:
            normalized.append(kind)
    cfg.primitives = tuple(normalized)

    cfg.api_key = options.get("api_key") or _env(env, "GOVERNOR_API_KEY")
    cfg.tenant_id = options.get("tenant_id") or _env(env, "GOVERNOR_TENANT_ID")
    cfg.layer = options.get("layer") or _env(env, "GOVERNOR_LAYER") or "L4"
    cfg.decision_secret = options.get("decision_secret") or _env(env, "GOVERNOR_DECISION_SECRET")
    cfg.audit_log = options.get("audit_log") or _env(env, "GOVERNOR_AUDIT_LOG")

    bypass_env = _env(env, "GOVERNOR_DEV_BYPASS")
    bypass = options["dev_bypass"] if options.get("dev_bypass") is not None else (False if bypass_env is None else parse_boolean("GOVERNOR_DEV_BYPASS", bypass_env))
    production = production_value(env)
    if bypass and production is not None:
        warnings.append(
            f"GOVERNOR_DEV_BYPASS is refused because {production[0]}={production[1]!r}: "
            "every side effect still needs an ALLOW from the policy service."
        )
        bypass = False
    cfg.dev_bypass = bool(bypass)
    return cfg, warnings
