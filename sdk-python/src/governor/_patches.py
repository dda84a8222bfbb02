"""The patches ``enable()`` installs, each decided before the original runs, and their exact
removal. Modules not imported yet are patched when they are (a post-import hook), so enabling
costs nothing for libraries a program never loads."""

from __future__ import annotations

import _thread
import builtins
import io
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Tuple

from . import _engine as engine


# ``governor.intents``, imported on the first governed call rather than at start-up.
intents = engine.lazy_intents

_MISSING = object()


class _Patch:
    __slots__ = ("owner", "name", "original", "replacement")

    def __init__(self, owner: Any, name: str, original: Any, replacement: Any) -> None:
        self.owner, self.name, self.original, self.replacement = owner, name, original, replacement


_patches: List[_Patch] = []
_lock = _thread.RLock()


class functools:  # noqa: N801 - functools.wraps without importing functools on the start-up path
    @staticmethod
    def wraps(original: Any) -> Callable[[Any], Any]:
        def apply(wrapper: Any) -> Any:
            for name in ("__module__", "__name__", "__qualname__", "__doc__"):
                try:
                    setattr(wrapper, name, getattr(original, name))
                except (AttributeError, TypeError):
                    pass
            wrapper.__wrapped__ = original
            return wrapper

        return apply


def patch(owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    """Replaces ``owner.name`` by ``make(original)``, remembering exactly what was there."""
    original = owner.__dict__.get(name, _MISSING) if isinstance(owner, type) else getattr(owner, name, _MISSING)
    current = getattr(owner, name, _MISSING)
    if current is _MISSING or getattr(current, "__governor_patch__", False):
        return
    replacement = make(current)
    try:
        replacement.__governor_patch__ = True
    except (AttributeError, TypeError):
        pass
    setattr(owner, name, replacement)
    _patches.append(_Patch(owner, name, original, replacement))


def remove_all() -> None:
    """Puts back every original, in reverse order; an attribute that was inherited is deleted again."""
    with _lock:
        while _patches:
            record = _patches.pop()
            if record.original is _MISSING:
                try:
                    delattr(record.owner, record.name)
                except AttributeError:
                    pass
            else:
                setattr(record.owner, record.name, record.original)
        _hooks.clear()
        if _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)


def _run(original: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    with engine.PASSTHROUGH:
        return original(*args, **kwargs)


def _absolute_path(path: Any = None, *args: Any, **kwargs: Any) -> Any:
    """A memo key for calls on one absolute ``str`` path (the derived intent depends on nothing else)."""
    return path if type(path) is str and path.startswith("/") and not kwargs.get("dir_fd") else None


def _wrap(
    kind: str,
    name: str,
    derive: Callable[..., Any],
    ungoverned: Optional[Callable[..., bool]] = None,
    fast: Optional[Callable[..., Any]] = None,
):
    """A replacement that decides ``derive(*args, **kwargs)`` then runs the original as covered.
    ``fast(*args, **kwargs)`` gives a key for repeated calls whose intent is the same (or None)."""

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def governed(*args: Any, **kwargs: Any) -> Any:
            if engine.STATE.enabled and not engine.covered() and not (ungoverned is not None and ungoverned(*args, **kwargs)):
                engine.gate(kind, name, lambda: derive(*args, **kwargs), fast(*args, **kwargs) if fast is not None else None)
            return _run(original, args, kwargs)

        return governed

    return make


# --- post-import hooks -------------------------------------------------------------------------

_hooks: Dict[str, List[Callable[[Any], None]]] = {}


class _HookLoader:
    def __init__(self, loader: Any, fullname: str) -> None:
        self._loader = loader
        self._fullname = fullname

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self._loader.exec_module(module)
        try:
            module.__spec__.loader = self._loader
            module.__loader__ = self._loader
        except AttributeError:
            pass
        with _lock:
            hooks = _hooks.pop(self._fullname, [])
        if engine.STATE.enabled:
            for hook in hooks:
                hook(module)


class _PostImportFinder:
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname not in _hooks:
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            find = getattr(finder, "find_spec", None)
            if find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _HookLoader(spec.loader, fullname)
        return spec


_FINDER = _PostImportFinder()


def when_imported(name: str, hook: Callable[[Any], None]) -> None:
    """Runs ``hook(module)`` now if ``name`` is imported, else right after it is."""
    module = sys.modules.get(name)
    if module is not None:
        hook(module)
        return
    with _lock:
        _hooks.setdefault(name, []).append(hook)
        if _FINDER not in sys.meta_path:
            sys.meta_path.insert(0, _FINDER)


# --- http: http.client (urllib, urllib3, requests, botocore), httpx, aiohttp ------------------


def _patch_http_client(module: Any) -> None:
    connection = module.HTTPConnection
    https = getattr(module, "HTTPSConnection", None)

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def putrequest(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            if engine.STATE.enabled and not engine.covered():
                tunnel = getattr(self, "_tunnel_host", None)
                host, port = (tunnel, getattr(self, "_tunnel_port", None)) if tunnel else (self.host, self.port)
                scheme = "https" if https is not None and isinstance(self, https) else "http"
                if url.startswith(("http://", "https://")):
                    derive = lambda: intents.http_url_intent("http.client", method, url)  # noqa: E731
                else:
                    derive = lambda: intents.http_intent("http.client", method, scheme, host, port, url)  # noqa: E731
                engine.gate("http", "http.client", derive, (method, scheme, host, port, url.split("?", 1)[0]))
            # The request line about to be sent was decided: the send backstop lets it through.
            self._governor_decided = True
            with engine.PASSTHROUGH:
                return original(self, method, url, *args, **kwargs)

        return putrequest

    patch(connection, "putrequest", make)


def _patch_httpx(module: Any) -> None:
    def derive(request: Any) -> intents.Derived:
        url = request.url
        return intents.http_intent("httpx", request.method, url.scheme, url.host, url.port, url.path)

    def fast(request: Any) -> Any:
        url = request.url
        return (request.method, url.scheme, url.host, url.port, url.path)

    def make_sync(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
            if engine.STATE.enabled and not engine.covered():
                engine.gate("http", "httpx", lambda: derive(request), fast(request))
            return original(self, request, *args, **kwargs)

        return send

    def make_async(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        async def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
            if engine.STATE.enabled and not engine.covered():
                await engine.gate_async("http", "httpx", lambda: derive(request), fast(request))
            return await original(self, request, *args, **kwargs)

        return send

    patch(module.Client, "send", make_sync)
    patch(module.AsyncClient, "send", make_async)


def _patch_aiohttp(module: Any) -> None:
    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        async def _request(self: Any, method: str, str_or_url: Any, *args: Any, **kwargs: Any) -> Any:
            if engine.STATE.enabled and not engine.covered():
                base = getattr(self, "_base_url", None)
                target = str(str_or_url)
                if base is not None and not target.startswith(("http://", "https://")):
                    target = str(base.join(module.client.URL(target)))
                await engine.gate_async("http", "aiohttp", lambda: intents.http_url_intent("aiohttp", method, target), (method, target.split("?", 1)[0]))
            return await original(self, method, str_or_url, *args, **kwargs)

        return _request

    patch(module.ClientSession, "_request", make)


# --- child_process: subprocess, os.system/popen/exec*/spawn*, asyncio subprocesses -----------


def _popen_derive(args: Any = None, *rest: Any, **kwargs: Any) -> intents.Derived:
    if args is None:
        args = kwargs.get("args", "")
    shell = kwargs.get("shell", rest[7] if len(rest) > 7 else False)
    executable = kwargs.get("executable", rest[1] if len(rest) > 1 else None)
    return intents.popen_intent("subprocess.Popen", args, bool(shell), executable)


def _patch_subprocess(module: Any) -> None:
    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            if engine.STATE.enabled and not engine.covered():
                engine.gate("child_process", "subprocess.Popen", lambda: _popen_derive(*args, **kwargs))
            with engine.PASSTHROUGH:
                original(self, *args, **kwargs)

        return __init__

    patch(module.Popen, "__init__", make)


def _patch_os_processes() -> None:
    patch(os, "system", _wrap("child_process", "os.system", lambda command: intents.shell_intent("os.system", intents._text(command))))
    patch(os, "popen", _wrap("child_process", "os.popen", lambda cmd, *a, **k: intents.shell_intent("os.popen", intents._text(cmd))))
    for name in ("execv", "execve"):
        patch(os, name, _wrap("child_process", f"os.{name}", lambda path, argv, *a, _n=name, **k: intents.exec_intent(f"os.{_n}", path, argv)))
    for name in ("spawnv", "spawnve", "spawnvp", "spawnvpe"):
        if hasattr(os, name):
            patch(os, name, _wrap("child_process", f"os.{name}", lambda mode, file, args, *a, _n=name, **k: intents.exec_intent(f"os.{_n}", file, args)))
    for name in ("posix_spawn", "posix_spawnp"):
        if hasattr(os, name):
            patch(os, name, _wrap("child_process", f"os.{name}", lambda path, argv, *a, _n=name, **k: intents.exec_intent(f"os.{_n}", path, argv)))


def _patch_asyncio(module: Any) -> None:
    subprocess_module = sys.modules.get("asyncio.subprocess")

    def make(name: str, derive: Callable[..., intents.Derived]) -> Callable[[Any], Any]:
        def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(original)
            async def create(*args: Any, **kwargs: Any) -> Any:
                if engine.STATE.enabled and not engine.covered():
                    await engine.gate_async("child_process", name, lambda: derive(*args, **kwargs))
                token = engine.COVERED.set(True)
                try:
                    return await original(*args, **kwargs)
                finally:
                    engine.COVERED.reset(token)

            return create

        return wrap

    exec_make = make("asyncio.create_subprocess_exec", lambda program, *args, **k: intents.popen_intent("asyncio.create_subprocess_exec", [program, *args]))
    shell_make = make("asyncio.create_subprocess_shell", lambda cmd, **k: intents.shell_intent("asyncio.create_subprocess_shell", intents._text(cmd)))
    for owner in (module, subprocess_module):
        if owner is not None:
            patch(owner, "create_subprocess_exec", exec_make)
            patch(owner, "create_subprocess_shell", shell_make)


# --- fs: open/io.open in a writing mode, os.*, shutil; pathlib goes through these ------------


def _open_ungoverned(*args: Any, **kwargs: Any) -> bool:
    file = args[0] if args else kwargs.get("file")
    mode = args[1] if len(args) > 1 else kwargs.get("mode", "r")
    return isinstance(file, int) or not intents.mode_writes(mode)


def _patch_fs() -> None:
    make_open = _wrap("fs", "open", lambda *a, **k: intents.fs_intent("open", "open", a[0] if a else k.get("file")), _open_ungoverned, _absolute_path)
    patch(builtins, "open", make_open)
    # io.open is the same function as builtins.open: its own patch, so both names are restored.
    patch(io, "open", lambda original: builtins.open if original is _original_of(builtins, "open") else make_open(original))

    def os_open_ungoverned(path: Any, flags: int, *a: Any, **k: Any) -> bool:
        return not intents.flags_write(flags)

    patch(os, "open", _wrap("fs", "os.open", lambda path, flags, *a, dir_fd=None, **k: intents.fs_intent("os.open", "open", path, dir_fd=dir_fd), os_open_ungoverned))
    for name in ("remove", "unlink", "rmdir", "removedirs"):
        patch(os, name, _wrap("fs", f"os.{name}", lambda path, *a, _n=name, dir_fd=None, **k: intents.fs_intent(f"os.{_n}", _n, path, dir_fd=dir_fd), None, _absolute_path))
    for name in ("mkdir", "makedirs", "truncate"):
        patch(os, name, _wrap("fs", f"os.{name}", lambda path, *a, _n=name, dir_fd=None, **k: intents.fs_intent(f"os.{_n}", _n, path, dir_fd=dir_fd), None, _absolute_path))
    for name in ("rename", "replace", "renames", "link", "symlink"):
        if hasattr(os, name):
            patch(os, name, _wrap("fs", f"os.{name}", lambda src, dst, *a, _n=name, **k: intents.fs_intent(f"os.{_n}", _n, dst, source=src)))


def _original_of(owner: Any, name: str) -> Any:
    for record in _patches:
        if record.owner is owner and record.name == name:
            return record.original
    return _MISSING


def _patch_shutil(module: Any) -> None:
    for name in ("copyfile", "copy", "copy2", "copytree", "move"):
        patch(module, name, _wrap("fs", f"shutil.{name}", lambda src, dst, *a, _n=name, **k: intents.fs_intent(f"shutil.{_n}", _n, _shutil_destination(src, dst), source=src)))
    patch(module, "rmtree", _wrap("fs", "shutil.rmtree", lambda path, *a, **k: intents.fs_intent("shutil.rmtree", "rmtree", path)))


def _shutil_destination(src: Any, dst: Any) -> Any:
    # shutil.copy/move into a directory write the file of the same name inside it.
    try:
        if os.path.isdir(dst) and not os.path.isdir(src):
            return os.path.join(os.fspath(dst), os.path.basename(os.fspath(src)))
    except (TypeError, ValueError):
        pass
    return dst


# --- sql: sqlite3 statements, SQLAlchemy engines ---------------------------------------------

_sql_tls = _thread._local()


def _sql_gate(name: str, statement: Any) -> None:
    if not engine.STATE.enabled or engine.covered():
        return
    # SQLAlchemy decided this very statement already (its listener runs first): do not ask twice.
    if getattr(_sql_tls, "decided", None) is statement:
        _sql_tls.decided = None
        return
    engine.gate("sql", name, lambda: intents.sql_intent(name, statement))


def _patch_sqlite3(module: Any) -> None:
    class GovernedCursor(module.Cursor):
        def execute(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
            _sql_gate("sqlite3.execute", sql)
            return super().execute(sql, *args)

        def executemany(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
            _sql_gate("sqlite3.executemany", sql)
            return super().executemany(sql, *args)

        def executescript(self, script: Any) -> Any:  # type: ignore[override]
            _sql_gate("sqlite3.executescript", script)
            return super().executescript(script)

    factories: Dict[Any, Any] = {}

    def governed_factory(base: Any) -> Any:
        if base not in factories:

            class GovernedConnection(base):  # type: ignore[misc, valid-type]
                def cursor(self, factory: Any = GovernedCursor) -> Any:  # type: ignore[override]
                    return super().cursor(factory)

                def execute(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
                    _sql_gate("sqlite3.execute", sql)
                    with engine.PASSTHROUGH:
                        return super().execute(sql, *args)

                def executemany(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
                    _sql_gate("sqlite3.executemany", sql)
                    with engine.PASSTHROUGH:
                        return super().executemany(sql, *args)

                def executescript(self, script: Any) -> Any:  # type: ignore[override]
                    _sql_gate("sqlite3.executescript", script)
                    with engine.PASSTHROUGH:
                        return super().executescript(script)

            GovernedConnection.__name__ = GovernedConnection.__qualname__ = f"Governed{base.__name__}"
            factories[base] = GovernedConnection
        return factories[base]

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def connect(*args: Any, **kwargs: Any) -> Any:
            if engine.STATE.enabled:
                kwargs["factory"] = governed_factory(kwargs.get("factory") or module.Connection)
            return original(*args, **kwargs)

        return connect

    patch(module, "connect", make)
    dbapi2 = sys.modules.get("sqlite3.dbapi2")
    if dbapi2 is not None:
        patch(dbapi2, "connect", make)


def _patch_sqlalchemy(module: Any) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def before_cursor_execute(conn: Any, cursor: Any, statement: Any, parameters: Any, context: Any, executemany: bool) -> None:
        if not engine.STATE.enabled or engine.covered():
            return
        engine.gate("sql", "sqlalchemy", lambda: intents.sql_intent("sqlalchemy", statement))
        _sql_tls.decided = statement

    event.listen(Engine, "before_cursor_execute", before_cursor_execute)

    def remove() -> None:
        if event.contains(Engine, "before_cursor_execute", before_cursor_execute):
            event.remove(Engine, "before_cursor_execute", before_cursor_execute)

    _patches.append(_Patch(_RemoveHook(remove), "_", None, None))


class _RemoveHook:
    """A pseudo owner: setting its attribute runs the removal."""

    def __init__(self, remove: Callable[[], None]) -> None:
        object.__setattr__(self, "_remove", remove)

    def __setattr__(self, name: str, value: Any) -> None:
        self._remove()


def install(primitives: Tuple[str, ...]) -> None:
    """Installs the patches for the configured kinds (now, or when the module is imported)."""
    with _lock:
        if "http" in primitives:
            when_imported("http.client", _patch_http_client)
            when_imported("httpx", _patch_httpx)
            when_imported("aiohttp", _patch_aiohttp)
        if "child_process" in primitives:
            when_imported("subprocess", _patch_subprocess)
            _patch_os_processes()
            when_imported("asyncio", _patch_asyncio)
        if "fs" in primitives:
            _patch_fs()
            when_imported("shutil", _patch_shutil)
        if "sql" in primitives:
            when_imported("sqlite3", _patch_sqlite3)
            when_imported("sqlalchemy", _patch_sqlalchemy)
