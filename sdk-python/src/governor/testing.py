"""``governor.testing``: run your tests against the bundled enforce mock.

A pytest plugin (registered through the ``pytest11`` entry point, so installing ``governor`` is
enough) with these fixtures:

- ``governor_mock`` (session): a running ``governor-init mock`` on a free loopback port.
- ``governed``: ``governor.enable()`` pointed at that mock for one test (policy reset to
  ``allow-all``, faults cleared), ``governor.disable()`` after; yields a :class:`GovernedSession`
  whose ``audit`` list collects the audit events.

Or from any code: ``with start_mock(policy="deny-all") as mock: ...``.

The mock is found, in order: ``GOVERNOR_INIT_BIN`` (a path to ``governor-init``'s ``bin.js``),
``governor-init`` on ``PATH``, ``node_modules/.bin/governor-init`` or ``dist/cli/bin.js`` of
``governor-init`` in the working directory or above, else ``npx --no-install governor-init``.

Example::

    def test_refund_is_denied(governed):
        governed.mock.install_policy("deny-all")
        with pytest.raises(governor.GovernorDenied) as denied:
            refund("ch_1")
        assert denied.value.request_id
        assert governed.audit[-1]["executed"] is False
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from typing import Any, Dict, Iterator, List, Optional, Sequence, Union

import governor

from . import _engine

__all__ = ["MockServer", "start_mock", "find_mock_command", "GovernedSession"]

_REAL_POPEN_INIT = subprocess.Popen.__init__


def _governor_init_in(directory: str) -> Optional[List[str]]:
    current = os.path.abspath(directory)
    while True:
        local_bin = os.path.join(current, "node_modules", ".bin", "governor-init")
        if os.path.exists(local_bin):
            return [local_bin]
        manifest = os.path.join(current, "package.json")
        built = os.path.join(current, "dist", "cli", "bin.js")
        if os.path.exists(manifest) and os.path.exists(built):
            try:
                with open(manifest, encoding="utf-8") as handle:
                    if json.load(handle).get("name") == "governor-init":
                        return ["node", built]
            except (OSError, ValueError):
                pass
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def find_mock_command(cwd: Optional[str] = None) -> List[str]:
    """The command that runs ``governor-init`` (see the module's docstring for the search order)."""
    explicit = os.environ.get("GOVERNOR_INIT_BIN")
    if explicit:
        return ["node", explicit] if explicit.endswith(".js") else [explicit]
    on_path = shutil.which("governor-init")
    if on_path:
        return [on_path]
    found = _governor_init_in(cwd or os.getcwd()) or _governor_init_in(os.path.dirname(os.path.abspath(__file__)))
    if found:
        return found
    npx = shutil.which("npx")
    if npx:
        return [npx, "--no-install", "governor-init"]
    raise FileNotFoundError(
        "governor.testing: governor-init not found; install it (npm install -D governor-init) or set GOVERNOR_INIT_BIN to its bin.js."
    )


class MockServer:
    """A running ``governor-init mock``: ``url``, ``decisions()``, ``set_faults()``,
    ``install_policy()``, ``health()``, ``stop()``."""

    def __init__(self, process: subprocess.Popen, url: str, files: Sequence[str] = ()) -> None:
        self.process = process
        self.url = url
        self._files = list(files)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        # The harness's own calls are not what is under test: they pass through any patches.
        with _engine.PASSTHROUGH:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            try:
                data = None if body is None else json.dumps(body).encode()
                headers = {"content-type": "application/json", "authorization": "Bearer test"}
                connection.request(method, path, data, headers)
                response = connection.getresponse()
                text = response.read().decode()
                if response.status >= 300:
                    raise RuntimeError(f"mock {method} {path}: HTTP {response.status} {text}")
                return json.loads(text) if text else None
            finally:
                connection.close()

    def decisions(self, request_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """The decisions the mock made so far, oldest first."""
        path = "/mock/decisions" + (f"?request_id={request_id}" if request_id else "")
        answer = self._call("GET", path)
        return answer["decisions"] if isinstance(answer, dict) else answer

    def set_faults(self, **faults: Any) -> None:
        """Replaces the faults: ``latencyMs``, ``errorRate``, ``status``, ``dropRate``,
        ``malformedRate``; no arguments clears them."""
        self._call("POST", "/mock/faults", faults)

    def install_policy(self, policy: Union[str, Dict[str, Any]]) -> None:
        """Installs ``allow-all``, ``deny-all`` or a policy document."""
        if isinstance(policy, str):
            policy = {"name": policy, "default": "allow" if policy == "allow-all" else "deny", "rules": []}
        self._call("POST", "/api/v2/policies/install", policy)

    def health(self) -> Dict[str, Any]:
        return self._call("GET", "/health")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for path in self._files:
            try:
                os.unlink(path)
            except OSError:
                pass

    def __enter__(self) -> "MockServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def start_mock(
    policy: Union[str, Dict[str, Any]] = "allow-all",
    *,
    token_secret: Optional[str] = None,
    token_ttl_ms: Optional[int] = None,
    api_key: Optional[str] = None,
    args: Sequence[str] = (),
    command: Optional[Sequence[str]] = None,
    timeout: float = 30.0,
) -> MockServer:
    """Starts ``governor-init mock --port 0`` and waits for its URL. ``policy``: ``allow-all``,
    ``deny-all``, a policy file, or a policy document (written to a temporary JSON file)."""
    files: List[str] = []
    with _engine.PASSTHROUGH:
        if isinstance(policy, dict):
            fd, path = tempfile.mkstemp(suffix=".json", prefix="governor-policy-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(policy, handle)
            files.append(path)
            policy = path
        argv = list(command or find_mock_command()) + ["mock", "--port", "0", "--host", "127.0.0.1", "--policy", policy]
        if token_secret is not None:
            argv += ["--token-secret", token_secret]
        if token_ttl_ms is not None:
            argv += ["--token-ttl", str(token_ttl_ms)]
        if api_key is not None:
            argv += ["--api-key", api_key]
        argv += list(args)
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first: List[str] = []

    def read_first_line() -> None:
        first.append(process.stdout.readline() if process.stdout else "")

    reader = threading.Thread(target=read_first_line, daemon=True)
    reader.start()
    reader.join(timeout)
    line = first[0] if first else ""
    marker = "listening on "
    if marker not in line:
        process.kill()
        error = process.stderr.read() if process.stderr else ""
        raise RuntimeError(f"governor-init mock did not start ({' '.join(argv)}): {line.strip()} {error.strip()}")
    url = line.split(marker, 1)[1].strip()

    def drain() -> None:
        # Keep reading so the mock never blocks on a full pipe (one line per decision).
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                threading.Thread(target=lambda s=stream: [None for _ in s], daemon=True).start()

    drain()
    return MockServer(process, url, files)


class GovernedSession:
    """What the ``governed`` fixture yields: the ``mock``, the ``audit`` events of this test."""

    def __init__(self, mock: MockServer) -> None:
        self.mock = mock
        self.audit: List[Dict[str, Any]] = []


try:
    import pytest
except ImportError:  # pragma: no cover - the plugin is only loaded by pytest
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture(scope="session")
    def governor_mock() -> Iterator[MockServer]:
        """A ``governor-init mock`` for the whole test session (allow-all until a test changes it)."""
        mock = start_mock("allow-all")
        try:
            yield mock
        finally:
            mock.stop()

    @pytest.fixture
    def governed(governor_mock: MockServer) -> Iterator[GovernedSession]:
        """``governor.enable()`` against the session's mock for one test; ``disable()`` after."""
        governor_mock.set_faults()
        governor_mock.install_policy("allow-all")
        session = GovernedSession(governor_mock)
        governor.disable()
        unsubscribe = governor.on_audit(session.audit.append)
        governor.enable(enforce_url=governor_mock.url, api_key="test", cache_ttl_ms=0)
        try:
            yield session
        finally:
            governor.disable()
            unsubscribe()
