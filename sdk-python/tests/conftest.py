"""Shared fixtures: the real enforce mock (governor.testing), a counting HTTP server on loopback,
and a runner for child interpreters that run a scenario with the SDK enabled from the environment."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Dict, Iterator, Optional

import pytest

import governor
from governor import testing

REPO_ROOT = Path(__file__).resolve().parents[2]
SRC_DIR = Path(__file__).resolve().parents[1] / "src"
VECTORS = REPO_ROOT / "sdk" / "test" / "vectors" / "protocol-vectors.json"


@pytest.fixture(scope="session")
def mock() -> Iterator[testing.MockServer]:
    """One mock for the session; each test resets its policy and faults."""
    server = testing.start_mock("allow-all", command=testing._governor_init_in(str(REPO_ROOT)))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _clean(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    governor.disable()
    if "mock" in request.fixturenames:
        server = request.getfixturevalue("mock")
        server.set_faults()
        server.install_policy("allow-all")


class Counter:
    """An HTTP server on loopback that counts the requests it answers."""

    def __init__(self) -> None:
        self.count = 0
        counter = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                counter.count += 1
                body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_DELETE = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def counter() -> Iterator[Counter]:
    server = Counter()
    yield server
    server.close()


def governor_env(url: Optional[str], **extra: str) -> Dict[str, str]:
    """The environment of a child interpreter: this one's, without GOVERNOR_* or production markers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVERNOR_") and k not in ("NODE_ENV", "APP_ENV", "ENVIRONMENT")}
    if url is not None:
        env["GOVERNOR_ENFORCE_URL"] = url
        env["GOVERNOR_API_KEY"] = "test"
    env.update(extra)
    return env


def run_python(code: str, env: Dict[str, str], python: str = sys.executable, cwd: Optional[str] = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Runs ``code`` in a fresh interpreter; its last stdout line is parsed as JSON when it can be."""
    return subprocess.run([python, "-c", textwrap.dedent(code)], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def last_json(result: subprocess.CompletedProcess) -> dict:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines, f"no output; stderr:\n{result.stderr}"
    return json.loads(lines[-1])
