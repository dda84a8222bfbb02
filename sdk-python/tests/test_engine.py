"""The SDK in this process against the real enforce mock: scopes, governed tools, every fault
failing closed, tokens, the decision cache, the dev bypass, audit events, disable()."""

from __future__ import annotations

import asyncio
import builtins
import inspect
import io
import json
import os
import shutil
import subprocess
import time
import typing
from pathlib import Path

import pytest
import requests

import governor
from governor import testing

from conftest import REPO_ROOT, Counter

INTENT = {"action": "write", "resource": {"type": "database", "name": "orders"}}


def enable(mock: testing.MockServer, **options: object) -> None:
    governor.enable(enforce_url=mock.url, api_key="test", **options)


def test_scope_allow_runs_once_and_covers_primitives(mock, counter: Counter) -> None:
    enable(mock, primitives=["http"])
    before = len(mock.decisions())
    with governor.intent(INTENT) as decision:
        assert decision.decision == "ALLOW" and decision.request_id
        assert governor.current_intent()["resource"]["name"] == "orders"
        for _ in range(3):
            requests.get(counter.url)
    assert counter.count == 3
    assert len(mock.decisions()) - before == 1, "primitives inside a fresh scope reuse its decision"
    assert governor.current_intent() is None


def test_scope_deny_never_runs_the_block_and_the_error_says_why(mock) -> None:
    mock.install_policy(
        {"name": "p", "default": "allow", "rules": [{"id": "no-orders", "effect": "deny", "reason": "Orders are frozen.", "match": {"resource_name": "orders"}}]}
    )
    enable(mock)
    ran = []
    with pytest.raises(governor.GovernorDenied) as caught:
        with governor.intent(INTENT):
            ran.append(1)
    assert ran == []
    denied = caught.value
    assert denied.decision == "DENY" and denied.code == "GOVERNOR_DENIED"
    assert denied.reason == "Orders are frozen."
    assert denied.request_id and denied.request_id in str(denied)
    assert [d["request_id"] for d in mock.decisions(denied.request_id)] == [denied.request_id]
    assert denied.intent["resource"] == {"type": "database", "name": "orders"} and denied.intent["layer"] == "L4"
    assert len(denied.next_steps) == 3 and denied.request_id in denied.next_steps[1]
    assert denied.hint == denied.next_steps[0]


def test_async_scope_and_actor(mock) -> None:
    enable(mock, actor={"id": "svc-1", "type": "service"})

    async def main() -> str:
        with governor.with_actor({"id": "user-9", "type": "user"}):
            async with governor.intent(INTENT) as decision:
                return decision.intent["actor"]["id"]

    assert asyncio.run(main()) == "user-9"
    assert governor.decide(INTENT).intent["actor"] == {"id": "svc-1", "type": "service"}


def test_governed_tool_keeps_the_function_and_decides_each_call(mock) -> None:
    enable(mock)

    @governor.governed_tool(action="read", resource={"type": "external_api", "name": "weather"}, resource_name_from="city")
    def get_weather(city: str, units: str = "metric") -> str:
        """Current weather for a city."""
        return f"{city}:{units}:{governor.current_intent()['resource']['name']}"

    @governor.governed_tool("async_refund", action="write", resource={"type": "external_api", "name": "stripe"})
    async def refund(charge_id: str) -> dict:
        """Refunds a charge."""
        return {"refunded": charge_id}

    assert get_weather.__name__ == "get_weather" and get_weather.__doc__ == "Current weather for a city."
    assert list(inspect.signature(get_weather).parameters) == ["city", "units"]
    assert inspect.signature(get_weather) == inspect.signature(get_weather.__wrapped__)
    assert typing.get_type_hints(get_weather) == {"city": str, "units": str, "return": str}
    assert inspect.iscoroutinefunction(refund) and refund.__name__ == "refund"
    assert governor.governed_tool(action="x", resource={"type": "y"})(get_weather) is get_weather

    assert get_weather("Oslo") == "Oslo:metric:Oslo"
    assert asyncio.run(refund("ch_1")) == {"refunded": "ch_1"}
    last = mock.decisions()[-2:]
    assert last[0]["intent"]["context"] == {"tool": "get_weather", "arguments": {"city": "Oslo"}}
    assert last[1]["intent"]["context"] == {"tool": "async_refund", "arguments": {"charge_id": "ch_1"}}

    mock.install_policy("deny-all")
    calls = []

    @governor.governed_tool(action="delete", resource={"type": "database", "name": "users"})
    def drop(table: str) -> None:
        calls.append(table)

    with pytest.raises(governor.GovernorDenied):
        drop("users")
    with pytest.raises(governor.GovernorDenied):
        asyncio.run(refund("ch_2"))
    assert calls == []


@pytest.mark.parametrize(
    "faults, fragment",
    [
        ({"latencyMs": 1500}, "did not answer within 300 ms"),
        ({"status": 500}, "answered HTTP 500"),
        ({"status": 502}, "answered HTTP 502: Data Plane error"),
        ({"errorRate": 1}, "answered HTTP 500"),
        ({"dropRate": 1}, "could not reach the policy service"),
        ({"malformedRate": 1}, "answer is not JSON"),
    ],
    ids=["latency", "status-500", "status-502", "error-rate", "drop", "malformed"],
)
def test_every_fault_fails_closed(mock, counter: Counter, faults: dict, fragment: str) -> None:
    mock.set_faults(**faults)
    enable(mock, primitives=["http"], timeout_ms=300)
    events: list = []
    unsubscribe = governor.on_audit(events.append)
    try:
        with pytest.raises(governor.GovernorUnavailable) as caught:
            requests.get(counter.url + "/must-not-arrive")
        with pytest.raises(governor.GovernorUnavailable):
            with governor.intent(INTENT):
                pytest.fail("the block ran without a decision")
    finally:
        unsubscribe()
    assert fragment in str(caught.value) and caught.value.code == "GOVERNOR_UNAVAILABLE"
    assert counter.count == 0
    assert [(e["decision"], e["executed"]) for e in events] == [("ERROR", False), ("ERROR", False)]


def test_unreachable_and_unconfigured_fail_closed(counter: Counter, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVERNOR_ENFORCE_URL", raising=False)
    governor.enable(primitives=["http"])
    with pytest.raises(governor.GovernorUnavailable) as caught:
        requests.get(counter.url)
    assert caught.value.code == "GOVERNOR_NOT_CONFIGURED"
    governor.disable()
    governor.enable(enforce_url="http://127.0.0.1:9", primitives=["http"])
    with pytest.raises(governor.GovernorUnavailable, match="could not reach"):
        requests.get(counter.url)
    assert counter.count == 0


def test_fail_open_runs_with_a_loud_warning(mock, counter: Counter, capsys: pytest.CaptureFixture) -> None:
    mock.set_faults(status=503)
    enable(mock, primitives=["http"], fail_mode="open")
    assert requests.get(counter.url).status_code == 200
    assert counter.count == 1
    assert "Running it anyway because GOVERNOR_FAIL_MODE=open" in capsys.readouterr().err


def test_decision_tokens(tmp_path: Path) -> None:
    command = testing._governor_init_in(str(REPO_ROOT))
    with testing.start_mock("allow-all", token_secret="s3cret", token_ttl_ms=60_000, command=command) as signing:
        governor.enable(enforce_url=signing.url, api_key="k", decision_secret="s3cret", primitives=[])
        decision = governor.decide(INTENT)
        assert decision.decision == "ALLOW" and decision.expires_at is not None
        governor.disable()
        governor.enable(enforce_url=signing.url, api_key="k", decision_secret="another", primitives=[])
        with pytest.raises(governor.GovernorUnavailable, match=r"decision token is invalid \(bad-signature\)"):
            governor.decide(INTENT)
        governor.disable()
        # A bad token never fails open: it is a security signal, not an outage.
        governor.enable(enforce_url=signing.url, api_key="k", decision_secret="another", fail_mode="open", primitives=[])
        with pytest.raises(governor.GovernorUnavailable):
            with governor.intent(INTENT):
                pytest.fail("ran on a forged ALLOW")
        governor.disable()
    with testing.start_mock("allow-all", token_secret="s3cret", token_ttl_ms=1, command=command) as short:
        governor.enable(enforce_url=short.url, api_key="k", decision_secret="s3cret", primitives=[])
        with pytest.raises(governor.GovernorUnavailable, match=r"\(expired\)"):
            governor.decide(INTENT)
        governor.disable()
    with testing.start_mock("allow-all", command=command) as unsigned:
        governor.enable(enforce_url=unsigned.url, api_key="k", decision_secret="s3cret", primitives=[])
        with pytest.raises(governor.GovernorUnavailable, match="carries no decision token"):
            governor.decide(INTENT)


def test_cache_reuses_an_allow_until_its_ttl(mock) -> None:
    enable(mock, cache_ttl_ms=400, primitives=[])
    before = len(mock.decisions())
    first = governor.decide(INTENT)
    second = governor.decide(INTENT)
    assert (first.cached, second.cached) == (False, True) and second.request_id == first.request_id
    assert len(mock.decisions()) - before == 1
    # Not "close enough": another intent is another request.
    governor.decide({**INTENT, "data": {"pii": True}})
    assert len(mock.decisions()) - before == 2
    time.sleep(0.5)
    assert governor.decide(INTENT).cached is False
    assert len(mock.decisions()) - before == 3
    # A DENY is never cached.
    mock.install_policy("deny-all")
    governor.disable()
    enable(mock, cache_ttl_ms=60_000, primitives=[])
    assert governor.decide(INTENT).decision == "DENY"
    assert governor.decide(INTENT).cached is False


def test_dev_bypass_and_its_refusal_in_production(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.delenv("GOVERNOR_ENFORCE_URL", raising=False)
    monkeypatch.setenv("GOVERNOR_DEV_BYPASS", "1")
    for name in ("NODE_ENV", "APP_ENV", "ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    governor.enable(primitives=[])
    assert governor.decide(INTENT).decision == "BYPASS"
    assert "GOVERNOR_DEV_BYPASS is on" in capsys.readouterr().err
    governor.disable()
    for name, value in (("NODE_ENV", "production"), ("APP_ENV", " Prod-EU"), ("ENVIRONMENT", "PRODUCTION")):
        monkeypatch.setenv(name, value)
        governor.enable(primitives=[])
        with pytest.raises(governor.GovernorUnavailable) as caught:
            governor.decide(INTENT)
        assert caught.value.code == "GOVERNOR_NOT_CONFIGURED"
        assert f"GOVERNOR_DEV_BYPASS is refused because {name}=" in capsys.readouterr().err
        governor.disable()
        monkeypatch.delenv(name)


def test_audit_events_and_log(mock, counter: Counter, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    enable(mock, primitives=["http"], audit_log=str(log))
    events: list = []
    unsubscribe = governor.on_audit(events.append)
    requests.get(counter.url + "/a?secret=1")
    mock.install_policy("deny-all")
    with pytest.raises(governor.GovernorDenied):
        with governor.intent(INTENT):
            pass
    unsubscribe()
    assert [(e["source"], e["decision"], e["executed"]) for e in events] == [("primitive", "ALLOW", True), ("scope", "DENY", False)]
    first = events[0]
    assert first["primitive"] == "http.client" and first["target"] == f"{counter.url}/a"
    assert first["intent"]["resource"] == {"type": "external_api", "name": "127.0.0.1"}
    assert "secret" not in json.dumps(first), "query strings never reach the policy service or the audit trail"
    assert first["requestId"] and first["cached"] is False
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["decision"] for line in lines] == ["ALLOW", "DENY"]


def test_disable_restores_exactly_and_is_idempotent(mock) -> None:
    import http.client
    import sqlite3

    watched = [
        (builtins, "open"), (io, "open"), (os, "open"), (os, "system"), (os, "popen"), (os, "execv"), (os, "remove"),
        (os, "rename"), (os, "makedirs"), (shutil, "rmtree"), (shutil, "copy2"), (sqlite3, "connect"),
        (asyncio, "create_subprocess_exec"),
    ]  # fmt: skip
    before = {(id(owner), name): getattr(owner, name) for owner, name in watched}
    class_attrs = {"putrequest": http.client.HTTPConnection.__dict__["putrequest"], "init": subprocess.Popen.__dict__["__init__"]}
    enable(mock)
    enable(mock)  # idempotent
    assert governor.is_enabled()
    assert all(getattr(owner, name) is not before[(id(owner), name)] for owner, name in watched)
    assert http.client.HTTPConnection.__dict__["putrequest"] is not class_attrs["putrequest"]
    governor.disable()
    governor.disable()
    assert not governor.is_enabled()
    assert all(getattr(owner, name) is before[(id(owner), name)] for owner, name in watched)
    assert http.client.HTTPConnection.__dict__["putrequest"] is class_attrs["putrequest"]
    assert subprocess.Popen.__dict__["__init__"] is class_attrs["init"]
    assert "putrequest" not in http.client.HTTPSConnection.__dict__
    # The audit hook cannot be removed: it is inert once disabled.
    path = Path(mock.url.replace("http://", "/tmp/gov-").replace(":", "-"))
    path.write_text("ok")
    path.unlink()


def test_invalid_configuration_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVERNOR_FAIL_MODE", "sometimes")
    with pytest.raises(governor.GovernorError) as caught:
        governor.enable()
    assert caught.value.code == "GOVERNOR_CONFIG" and "GOVERNOR_FAIL_MODE" in str(caught.value)
    assert not governor.is_enabled()
    monkeypatch.delenv("GOVERNOR_FAIL_MODE")
    with pytest.raises(governor.GovernorError, match="GOVERNOR_TIMEOUT_MS"):
        governor.enable(timeout_ms=0)
    with pytest.raises(governor.GovernorError, match="GOVERNOR_UNRESOLVED_INTENT|unfinished"):
        governor.decide({"action": "TODO(governor)", "resource": {"type": "database"}})
    with pytest.raises(TypeError):
        governor.intent({"resource": {"type": "database"}})


def test_a_scope_re_asks_once_its_decision_expires(mock, counter: Counter) -> None:
    enable(mock, primitives=["http"], cache_ttl_ms=300)
    before = len(mock.decisions())
    with governor.intent(INTENT):
        requests.get(counter.url)
        time.sleep(0.4)
        mock.install_policy("deny-all")
        with pytest.raises(governor.GovernorDenied) as caught:
            requests.get(counter.url)
    assert counter.count == 1
    # The re-asked intent is the scope's, not the call's.
    assert caught.value.intent["resource"] == INTENT["resource"]
    assert len(mock.decisions()) - before == 2


def test_fail_open_is_audited_as_an_error_that_ran(mock) -> None:
    mock.set_faults(dropRate=1)
    enable(mock, primitives=[], fail_mode="open", timeout_ms=500)
    events: list = []
    unsubscribe = governor.on_audit(events.append)
    ran = []
    with governor.intent(INTENT) as decision:
        ran.append(decision.decision)
    unsubscribe()
    assert ran == ["ERROR"]
    assert [(e["decision"], e["executed"]) for e in events] == [("ERROR", True)]


def test_primitives_setting_limits_what_is_patched(mock, counter: Counter, tmp_path: Path) -> None:
    mock.install_policy("deny-all")
    enable(mock, primitives=["fs"])
    assert requests.get(counter.url).status_code == 200, "http is not governed with primitives=['fs']"
    with pytest.raises(governor.GovernorDenied):
        open(tmp_path / "x.txt", "w")
    assert counter.count == 1 and not (tmp_path / "x.txt").exists()
