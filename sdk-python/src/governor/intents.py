"""Default intents derived from a governed call, the same as ``@governor/sdk`` derives them:
an HTTP call gives ``read``/``write``/``delete`` on ``external_api`` named by the host, a process
gives ``execute`` on ``process`` named by the program, a file write gives ``write``/``delete`` on
``filesystem`` named by the absolute path, a SQL statement gives its verb on ``database`` named by
the table."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Sequence

from .protocol import sha256_hex

__all__ = [
    "Derived",
    "action_from_method",
    "http_intent",
    "process_intent",
    "shell_intent",
    "fs_intent",
    "sql_intent",
    "truncate",
]

MAX_CONTEXT_CHARS = 1024


class Derived:
    """A derived intent and the target exemptions are matched against."""

    __slots__ = ("intent", "target")

    def __init__(self, intent: Dict[str, Any], target: str) -> None:
        self.intent, self.target = intent, target


def truncate(text: str, limit: int = MAX_CONTEXT_CHARS) -> str:
    """Cuts long strings so intents (and the cache keys made from them) stay small."""
    return text if len(text) <= limit else text[:limit] + "…"


def host_for_intent(hostname: str) -> str:
    """The host an HTTP intent names: lower case, without IPv6 brackets or a trailing dot."""
    return hostname.strip("[]").rstrip(".").lower()


def action_from_method(method: str) -> str:
    """GET/HEAD/OPTIONS → read, DELETE → delete, anything else → write."""
    upper = method.upper()
    if upper in ("GET", "HEAD", "OPTIONS"):
        return "read"
    if upper == "DELETE":
        return "delete"
    return "write"


def http_intent(primitive: str, method: str, scheme: str, host: str, port: Optional[int], path: str) -> Derived:
    """The intent for an HTTP call. The query string is left out so secrets in it never reach the
    policy service. ``port`` is left out of the URL when it is the scheme's default."""
    scheme = scheme.lower()
    path = path.split("?", 1)[0].split("#", 1)[0] or "/"
    if not path.startswith("/"):
        path = "/" + path
    name = host_for_intent(host)
    # The URL keeps the host as written (a trailing dot included), as a WHATWG URL's host does.
    written = host.strip("[]").lower()
    shown = f"[{written}]" if ":" in written else written
    default = 443 if scheme == "https" else 80
    netloc = shown if port in (None, default) else f"{shown}:{port}"
    where = f"{scheme}://{netloc}{path}"
    return Derived(
        {
            "action": action_from_method(method),
            "resource": {"type": "external_api", "name": name},
            "context": {"primitive": primitive, "method": method.upper(), "url": where},
        },
        where,
    )


def http_url_intent(primitive: str, method: str, url: str) -> Derived:
    """``http_intent`` for a whole URL."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(str(url))
        port = parts.port
        host = parts.hostname or "invalid.invalid"
        scheme = parts.scheme or "http"
    except ValueError:
        return http_intent(primitive, method, "http", "invalid.invalid", None, "/")
    return http_intent(primitive, method, scheme, host, port, parts.path)


def _program_name(program: str) -> str:
    return program


def process_intent(primitive: str, program: str, command_line: str) -> Derived:
    """The intent for starting a process. A command line too long to send whole is cut, and its
    full SHA-256 goes along (``command_sha256``) so two commands that differ after the cut are two
    intents."""
    context: Dict[str, Any] = {"primitive": primitive, "command": truncate(command_line)}
    if len(command_line) > MAX_CONTEXT_CHARS:
        context["command_sha256"] = sha256_hex(command_line)
    return Derived({"action": "execute", "resource": {"type": "process", "name": program}, "context": context}, program)


def _first_word(command: str) -> str:
    import re

    match = re.match(r"""\s*(?:"([^"]*)"|'([^']*)'|(\S+))""", command)
    if not match:
        return ""
    return next(group for group in match.groups() if group is not None)


def shell_intent(primitive: str, command_line: str, shell: Optional[str] = None) -> Derived:
    """A command line run by a shell: the process started is the shell (``sh``), which may run
    anything the line says, so the resource is the shell and the whole line is context (with
    ``program``, its first word, for reading)."""
    name = os.path.basename(shell) if shell else ("cmd.exe" if os.name == "nt" else "sh")
    derived = process_intent(primitive, name or str(shell), command_line)
    derived.intent["context"]["program"] = _first_word(command_line)
    return derived


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return os.fspath(value) if isinstance(value, os.PathLike) else str(value)


def popen_intent(primitive: str, args: Any, shell: bool = False, executable: Any = None) -> Derived:
    """``subprocess.Popen(args, shell=…, executable=…)``."""
    if isinstance(args, (str, bytes, os.PathLike)):
        words = [_text(args)]
    else:
        words = [_text(a) for a in args]
    line = " ".join(words)
    if shell:
        return shell_intent(primitive, line, _text(executable) if executable is not None else None)
    program = _text(executable) if executable is not None else (words[0] if words else "")
    if isinstance(args, (str, bytes)) and executable is None:
        program = line
    return process_intent(primitive, program, line)


def exec_intent(primitive: str, path: Any, argv: Sequence[Any]) -> Derived:
    """``os.execv(path, argv)``, ``os.spawnv(mode, path, argv)``, ``os.posix_spawn(path, argv, env)``."""
    words = [_text(a) for a in (argv or [])]
    return process_intent(primitive, _text(path), " ".join(words) if words else _text(path))


def path_text(value: Any, dir_fd: Optional[int] = None) -> str:
    """An absolute path for a path argument (relative ones resolved against ``dir_fd`` or the
    working directory); ``fd:N`` for a file descriptor."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"fd:{value}"
    text = _text(value)
    if dir_fd not in (None, -1) and not os.path.isabs(text):
        try:
            base = os.readlink(f"/proc/self/fd/{dir_fd}")
            return os.path.normpath(os.path.join(base, text))
        except OSError:
            return f"fd:{dir_fd}/{text}"
    return os.path.abspath(text)


DELETING = frozenset({"remove", "unlink", "rmdir", "rmtree", "removedirs"})


def fs_intent(primitive: str, operation: str, path: Any, source: Any = None, dir_fd: Optional[int] = None) -> Derived:
    """The intent for a file-system change: ``write`` (or ``delete``) on ``filesystem`` named by the
    path written; ``from`` in the context for copies and renames."""
    where = path_text(path, dir_fd)
    context: Dict[str, Any] = {"primitive": primitive}
    if source is not None:
        context["from"] = path_text(source)
    return Derived(
        {
            "action": "delete" if operation in DELETING else "write",
            "resource": {"type": "filesystem", "name": where},
            "context": context,
        },
        where,
    )


def mode_writes(mode: Any) -> bool:
    """Whether an ``open()`` mode writes: it has ``w``, ``a``, ``x`` or ``+``."""
    return isinstance(mode, str) and any(char in mode for char in "wax+")


WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def flags_write(flags: Any) -> bool:
    """Whether ``os.open`` flags write (``O_WRONLY``, ``O_RDWR``, ``O_CREAT``, ``O_TRUNC``, ``O_APPEND``)."""
    return isinstance(flags, int) and (flags & WRITE_FLAGS) != 0


SQL_READ_VERBS = frozenset({"SELECT", "WITH", "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "VALUES", "TABLE", "SET", "PRAGMA"})
_SQL: list = []


def _sql_patterns() -> tuple:
    import re

    if not _SQL:
        _SQL.append(_sql_compile(re))
    return _SQL[0]


def _sql_compile(re: Any) -> tuple:
    changes = (
    ("delete", re.compile(r"(?<!\bON )(?<!\bON\t)\b(?:DELETE|DROP|TRUNCATE)\b", re.I)),
    (
        "write",
        re.compile(
            r"\b(?:INSERT|UPSERT|MERGE|CREATE|ALTER|RENAME|GRANT|REVOKE|COPY)\b"
            r"|(?<!\bON )(?<!\bFOR )(?<!\bKEY )\bUPDATE\b|\bREPLACE\b(?!\s*\()",
            re.I,
        ),
    ),
    )
    table = re.compile(
        r"""\b(?:from|into|update|table|join)\s+(?:if\s+(?:not\s+)?exists\s+)?(?:only\s+)?([`"\[]?[\w$.]+[`"\]]?)""", re.I
    )
    return changes, table


def sql_intent(primitive: str, statement: Any) -> Derived:
    """The most destructive thing a statement does, anywhere in it: DELETE/DROP/TRUNCATE →
    ``delete``, INSERT/UPDATE/MERGE/UPSERT/CREATE/ALTER → ``write``, only reads → ``read``,
    anything else → ``execute``; on ``database`` named by the table that verb acts on."""
    import re

    _SQL_CHANGES, _SQL_TABLE = _sql_patterns()
    sql = re.sub(r"--[^\n]*|/\*[\s\S]*?\*/", " ", _text(statement)).strip()
    # Collapse runs of blanks so the look-behinds (ON DELETE, FOR UPDATE) see one space.
    code = re.sub(r"'(?:[^']|'')*'", lambda m: " " * len(m.group(0)), sql)
    spaced = re.sub(r"\s+", " ", code)
    action, at = None, 0
    for verb_action, pattern in _SQL_CHANGES:
        found = pattern.search(spaced)
        if found:
            action = verb_action
            # Map the position back to the un-collapsed text by counting words.
            words_before = len(spaced[: found.start()].split())
            at = _offset_of_word(sql, words_before)
            break
    if action is None:
        statements = [part.strip() for part in code.split(";") if part.strip()]
        verbs = [(re.match(r"[A-Za-z]+", part) or [""])[0].upper() for part in statements]
        action = "read" if verbs and all(v in SQL_READ_VERBS for v in verbs) else "execute"
    match = _SQL_TABLE.search(sql[at:]) or re.match(r"truncate\s+([`\"\[]?[\w$.]+[`\"\]]?)", sql[at:], re.I) or _SQL_TABLE.search(sql)
    table = re.sub(r"[`\"\[\]]", "", match.group(1)) if match else None
    resource: Dict[str, Any] = {"type": "database"} if table is None else {"type": "database", "name": table}
    return Derived({"action": action, "resource": resource, "context": {"primitive": primitive, "statement": truncate(sql)}}, table or "")


def _offset_of_word(text: str, index: int) -> int:
    import re

    for number, match in enumerate(re.finditer(r"\S+", text)):
        if number == index:
            return match.start()
    return 0
