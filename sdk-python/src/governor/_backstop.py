"""The backstop under the patches: a PEP 578 audit hook (``sys.addaudithook``).

A call that goes around a patch (a reference to ``os.system`` or ``subprocess.Popen.__init__``
taken before ``enable()``, ``posix.rename``, a library holding ``open`` from before, a subclass
that skips ``putrequest``) still raises the interpreter's audit event, and the hook decides it
the same way — or refuses it. What audit hooks can and cannot do:

- They cannot be removed: ``disable()`` makes the hook inert (its first check) rather than
  removing it, and ``enable()`` again reuses the same hook.
- They see only what CPython audits: ``open`` (with its flags: writes are decided, reads pass),
  ``os.remove``/``rename``/``mkdir``/``rmdir``/``truncate``/``symlink``/``link``, ``shutil.*``,
  ``subprocess.Popen``, ``os.system``/``exec``/``posix_spawn``/``spawn``, and
  ``http.client.send`` (whose first line names the method and path). Not SQL statements (only
  ``sqlite3.connect``), not raw sockets, and nothing a C extension does without auditing.
- Raising from the hook aborts the audited operation before it happens: that is how a DENY is
  enforced here.
- Bytecode caches (paths inside ``__pycache__``) are not decided: the import system writes them.
"""

from __future__ import annotations

import _thread
import os
import sys
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

from . import _engine as engine


# ``governor.intents``, imported on the first governed call rather than at start-up.
intents = engine.lazy_intents

_installed = False

_EVENTS = frozenset(
    {
        "open",
        "os.remove",
        "os.rmdir",
        "os.rename",
        "os.mkdir",
        "os.truncate",
        "os.symlink",
        "os.link",
        "shutil.copyfile",
        "shutil.copytree",
        "shutil.rmtree",
        "shutil.move",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "http.client.send",
    }
)


def _fs(name: str, operation: str, path: Any, source: Any = None, dir_fd: Optional[int] = None) -> Optional[intents.Derived]:
    if path is None or isinstance(path, int):
        return None
    text = intents._text(path)
    if "__pycache__" in text:
        return None
    return intents.fs_intent(name, operation, path, source=source, dir_fd=dir_fd)


def _derive(event: str, args: tuple) -> Optional[tuple]:
    """(kind, derived) for an audit event that is a side effect, else None."""
    if event == "open":
        path, _mode, flags = args
        # Checked here, before anything is imported: most open events are reads (imports included).
        if not isinstance(flags, int) or not flags & _WRITE_FLAGS:
            return None
        derived = _fs("audit:open", "open", path)
        return None if derived is None else ("fs", derived)
    if event in ("os.remove", "os.rmdir"):
        derived = _fs(f"audit:{event}", event[3:], args[0], dir_fd=args[1] if len(args) > 1 else None)
        return None if derived is None else ("fs", derived)
    if event in ("os.mkdir", "os.truncate"):
        dir_fd = args[2] if event == "os.mkdir" and len(args) > 2 else None
        derived = _fs(f"audit:{event}", event[3:], args[0], dir_fd=dir_fd)
        return None if derived is None else ("fs", derived)
    if event in ("os.rename", "os.symlink", "os.link", "shutil.copyfile", "shutil.copytree", "shutil.move"):
        derived = _fs(f"audit:{event}", event.split(".")[1], args[1], source=args[0])
        return None if derived is None else ("fs", derived)
    if event == "shutil.rmtree":
        derived = _fs("audit:shutil.rmtree", "rmtree", args[0])
        return None if derived is None else ("fs", derived)
    if event == "subprocess.Popen":
        executable, argv = args[0], args[1]
        return "child_process", intents.popen_intent("audit:subprocess.Popen", argv, False, executable)
    if event == "os.system":
        return "child_process", intents.shell_intent("audit:os.system", intents._text(args[0]))
    if event in ("os.exec", "os.posix_spawn"):
        return "child_process", intents.exec_intent(f"audit:{event}", args[0], args[1])
    if event == "os.spawn":
        return "child_process", intents.exec_intent("audit:os.spawn", args[1], args[2])
    if event == "http.client.send":
        connection, data = args
        if getattr(connection, "_governor_decided", False):
            return None
        return "http", _http_send(connection, data)
    return None


def _http_send(connection: Any, data: Any) -> intents.Derived:
    text = bytes(data[:4096]).decode("latin-1", "replace") if isinstance(data, (bytes, bytearray, memoryview)) else ""
    first = text.split("\r\n", 1)[0].split(" ")
    method, path = (first[0], first[1]) if len(first) >= 3 and first[2].startswith("HTTP/") else ("POST", "/")
    connection._governor_decided = True
    scheme = "https" if type(connection).__name__.startswith("HTTPS") else "http"
    return intents.http_intent("audit:http.client.send", method, scheme, connection.host, connection.port, path)


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_active = _thread._local()


def _hook(event: str, args: tuple) -> None:
    if event not in _EVENTS or not engine.STATE.enabled or engine.covered() or getattr(_active, "on", False):
        return
    if event == "open" and (not isinstance(args[2], int) or not args[2] & _WRITE_FLAGS):
        return
    # What the hook itself does (importing, deciding) raises audit events too: those pass.
    _active.on = True
    try:
        found = _derive(event, args)
        if found is None:
            return
        kind, derived = found
        engine.gate(kind, derived.intent["context"]["primitive"], lambda: derived)
    finally:
        _active.on = False


def install() -> None:
    """Adds the audit hook once per process (it cannot be removed; ``disable()`` makes it inert)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
