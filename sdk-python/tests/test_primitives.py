"""Governed primitives in fresh interpreters against the real enforce mock: ALLOW runs, DENY
leaves no trace (no request at the counting server, no file, no child process)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import Counter, governor_env, last_json, run_python

SCENARIO = """
import json, sys, governor
governor.enable()
result = {}
def attempt(name, fn):
    try:
        fn()
        result[name] = "ran"
    except governor.GovernorDenied as denied:
        result[name] = "denied"
        result[name + "_request_id"] = denied.request_id
    except governor.GovernorUnavailable as error:
        result[name] = "unavailable:" + error.code
"""


def run_scenario(body: str, url: str, **env: str) -> dict:
    result = run_python(SCENARIO + body + "\nprint(json.dumps(result))", governor_env(url, **env))
    assert result.returncode == 0, result.stderr
    return last_json(result)


def test_allow_runs_every_primitive(mock, counter: Counter, tmp_path: Path) -> None:
    marker = tmp_path / "child-ran"
    out = run_scenario(
        f"""
import requests, urllib.request, subprocess, os, shutil, pathlib, http.client
attempt("requests", lambda: requests.get({counter.url!r} + "/a"))
attempt("urllib", lambda: urllib.request.urlopen({counter.url!r} + "/b").read())
attempt("open", lambda: open({str(tmp_path / 'f.txt')!r}, "w").write("x"))
attempt("pathlib", lambda: pathlib.Path({str(tmp_path / 'p.txt')!r}).write_text("x"))
attempt("subprocess", lambda: subprocess.run(["touch", {str(marker)!r}], check=True))
attempt("mkdir", lambda: os.mkdir({str(tmp_path / 'd')!r}))
attempt("copy", lambda: shutil.copy({str(tmp_path / 'f.txt')!r}, {str(tmp_path / 'g.txt')!r}))
""",
        mock.url,
    )
    assert set(out.values()) == {"ran"}, out
    assert counter.count == 2
    assert marker.exists() and (tmp_path / "f.txt").read_text() == "x" and (tmp_path / "g.txt").exists()
    assert (tmp_path / "p.txt").exists() and (tmp_path / "d").is_dir()


def test_deny_leaves_no_trace(mock, counter: Counter, tmp_path: Path) -> None:
    mock.install_policy("deny-all")
    marker = tmp_path / "child-ran"
    keep = tmp_path / "keep.txt"
    keep.write_text("keep")
    out = run_scenario(
        f"""
import requests, urllib.request, subprocess, os, shutil, pathlib
attempt("requests", lambda: requests.get({counter.url!r} + "/a"))
attempt("urllib", lambda: urllib.request.urlopen({counter.url!r} + "/b"))
attempt("open", lambda: open({str(tmp_path / 'f.txt')!r}, "w"))
attempt("open_keywords", lambda: open(file={str(tmp_path / 'k.txt')!r}, mode="a"))
attempt("pathlib", lambda: pathlib.Path({str(tmp_path / 'p.txt')!r}).write_text("x"))
attempt("subprocess", lambda: subprocess.run(["touch", {str(marker)!r}]))
attempt("system", lambda: os.system("touch " + {str(marker)!r}))
attempt("popen", lambda: os.popen("touch " + {str(marker)!r}).read())
attempt("remove", lambda: os.remove({str(keep)!r}))
attempt("rmtree", lambda: shutil.rmtree({str(tmp_path)!r}))
attempt("mkdir", lambda: os.makedirs({str(tmp_path / 'a' / 'b')!r}))
attempt("rename", lambda: os.rename({str(keep)!r}, {str(tmp_path / 'moved')!r}))
attempt("read", lambda: open({str(keep)!r}).read())
""",
        mock.url,
    )
    read = out.pop("read")
    assert read == "ran", "reading is not a side effect"
    assert {k: v for k, v in out.items() if not k.endswith("_request_id")} == {
        name: "denied" for name in ("requests", "urllib", "open", "open_keywords", "pathlib", "subprocess", "system", "popen", "remove", "rmtree", "mkdir", "rename")
    }
    assert counter.count == 0
    assert not marker.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    assert keep.read_text() == "keep"
    # Every denial names the mock's request id.
    recorded = {d["request_id"] for d in mock.decisions()}
    assert out["requests_request_id"] in recorded


def test_http_clients(mock, counter: Counter) -> None:
    mock.install_policy(
        {
            "name": "reads-only",
            "default": "allow",
            "rules": [{"id": "no-writes", "effect": "deny", "reason": "No writes to APIs.", "match": {"action": "write", "resource_type": "external_api"}}],
        }
    )
    out = run_scenario(
        f"""
import asyncio, httpx, aiohttp
url = {counter.url!r}
attempt("httpx_get", lambda: httpx.get(url + "/x"))
attempt("httpx_post", lambda: httpx.post(url + "/x", json={{}}))
async def async_calls():
    async with httpx.AsyncClient() as client:
        await client.get(url + "/y")
async def async_post():
    async with httpx.AsyncClient() as client:
        await client.post(url + "/y")
async def aio_get():
    async with aiohttp.ClientSession() as session:
        async with session.get(url + "/z") as r:
            await r.text()
async def aio_post():
    async with aiohttp.ClientSession() as session:
        async with session.post(url + "/z") as r:
            await r.text()
attempt("httpx_async_get", lambda: asyncio.run(async_calls()))
attempt("httpx_async_post", lambda: asyncio.run(async_post()))
attempt("aiohttp_get", lambda: asyncio.run(aio_get()))
attempt("aiohttp_post", lambda: asyncio.run(aio_post()))
""",
        mock.url,
    )
    assert (out["httpx_get"], out["httpx_async_get"], out["aiohttp_get"]) == ("ran", "ran", "ran")
    assert (out["httpx_post"], out["httpx_async_post"], out["aiohttp_post"]) == ("denied", "denied", "denied")
    assert counter.count == 3


def test_asyncio_subprocess_and_exec(mock, tmp_path: Path) -> None:
    mock.install_policy("deny-all")
    marker = tmp_path / "ran"
    out = run_scenario(
        f"""
import asyncio, os
async def sub():
    p = await asyncio.create_subprocess_exec("touch", {str(marker)!r})
    await p.wait()
async def shell():
    p = await asyncio.create_subprocess_shell("touch " + {str(marker)!r})
    await p.wait()
attempt("exec", lambda: asyncio.run(sub()))
attempt("shell", lambda: asyncio.run(shell()))
attempt("execv", lambda: os.execv("/usr/bin/touch", ["touch", {str(marker)!r}]))
attempt("spawn", lambda: os.spawnv(os.P_WAIT, "/usr/bin/touch", ["touch", {str(marker)!r}]))
attempt("posix_spawn", lambda: os.waitpid(os.posix_spawn("/usr/bin/touch", ["touch", {str(marker)!r}], os.environ), 0))
""",
        mock.url,
    )
    assert {k: v for k, v in out.items() if not k.endswith("_request_id")} == dict.fromkeys(("exec", "shell", "execv", "spawn", "posix_spawn"), "denied")
    assert not marker.exists()


def test_sql_statements(mock, tmp_path: Path) -> None:
    mock.install_policy(
        {
            "name": "no-deletes",
            "default": "allow",
            "rules": [{"id": "no-deletes", "effect": "deny", "reason": "Nothing is deleted.", "match": {"action": "delete", "resource_type": "database"}}],
        }
    )
    db = tmp_path / "app.db"
    out = run_scenario(
        f"""
import sqlite3, sqlalchemy
conn = sqlite3.connect({str(db)!r})
attempt("create", lambda: conn.execute("CREATE TABLE users (id INTEGER)"))
attempt("insert", lambda: conn.executemany("INSERT INTO users VALUES (?)", [(1,), (2,)]))
conn.commit()
attempt("cursor_delete", lambda: conn.cursor().execute("DELETE FROM users WHERE id = 1"))
attempt("delete", lambda: conn.execute("DELETE FROM users"))
attempt("script", lambda: conn.executescript("DROP TABLE users"))
result["rows"] = conn.execute("SELECT count(*) FROM users").fetchone()[0]
conn.commit(); conn.close()
engine = sqlalchemy.create_engine("sqlite:///" + {str(db)!r})
with engine.connect() as c:
    attempt("sa_select", lambda: c.execute(sqlalchemy.text("SELECT * FROM users")).fetchall())
    attempt("sa_delete", lambda: c.execute(sqlalchemy.text("DELETE FROM users")))
    c.commit()
    result["sa_rows"] = c.execute(sqlalchemy.text("SELECT count(*) FROM users")).scalar()
""",
        mock.url,
    )
    assert out["create"] == out["insert"] == out["sa_select"] == "ran"
    assert out["cursor_delete"] == out["delete"] == out["script"] == out["sa_delete"] == "denied"
    assert out["rows"] == 2 and out["sa_rows"] == 2
    decided = [d["intent"] for d in mock.decisions() if d["intent"]["resource"]["type"] == "database"]
    deletes = [i for i in decided if i.get("action") == "delete"]
    assert deletes and all(i["resource"] == {"type": "database", "name": "users"} for i in deletes)
    # SQLAlchemy over sqlite3: one decision per statement, not two.
    sa = [i for i in decided if i.get("context", {}).get("statement") == "DELETE FROM users"]
    assert len(sa) == 2  # the sqlite3 one and the SQLAlchemy one


def test_backstop_decides_calls_that_go_around_the_patches(mock, counter: Counter, tmp_path: Path) -> None:
    mock.install_policy("deny-all")
    marker = tmp_path / "ran"
    out = run_python(
        f"""
import json, os, posix, subprocess, http.client, governor
early_system = os.system                      # taken before enable(): not the patched function
early_init = subprocess.Popen.__init__
governor.enable()
result = {{}}
for name, fn in [
    ("system", lambda: early_system("touch " + {str(marker)!r})),
    ("posix_open", lambda: posix.open({str(tmp_path / 'x')!r}, os.O_WRONLY | os.O_CREAT)),
    ("posix_mkdir", lambda: posix.mkdir({str(tmp_path / 'd')!r})),
    ("raw_send", lambda: http.client.HTTPConnection.send(http.client.HTTPConnection("127.0.0.1", {counter.server.server_address[1]}), b"DELETE /x HTTP/1.1\\r\\n\\r\\n")),
    ("popen_init", lambda: early_init(subprocess.Popen.__new__(subprocess.Popen), ["touch", {str(marker)!r}])),
]:
    try:
        fn(); result[name] = "ran"
    except governor.GovernorDenied as denied:
        result[name] = denied.intent["context"]["primitive"]
print(json.dumps(result))
""",
        governor_env(mock.url),
    )
    got = last_json(out)
    assert got == {
        "system": "audit:os.system",
        "posix_open": "audit:open",
        "posix_mkdir": "audit:os.mkdir",
        "raw_send": "audit:http.client.send",
        "popen_init": "audit:subprocess.Popen",
    }
    assert not marker.exists() and list(tmp_path.iterdir()) == []
    assert counter.count == 0


def test_exempt_targets_pass_without_a_decision(mock, counter: Counter, tmp_path: Path) -> None:
    mock.install_policy("deny-all")
    out = run_scenario(
        f"""
import requests
attempt("health", lambda: requests.get({counter.url!r} + "/health"))
attempt("other", lambda: requests.get({counter.url!r} + "/other"))
attempt("tmp", lambda: open({str(tmp_path / 'scratch.txt')!r}, "w").close())
""",
        mock.url,
        GOVERNOR_EXEMPT=f"http:{counter.url}/health,fs:{tmp_path}/*.txt",
    )
    assert (out["health"], out["other"], out["tmp"]) == ("ran", "denied", "ran")
    assert counter.count == 1
