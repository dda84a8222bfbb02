"""governor.testing as a user meets it: the pytest plugin registered by the package's entry point
(``governed`` and ``governor_mock`` fixtures, no conftest needed) and the mock finder."""

from __future__ import annotations

import os
import sys

import pytest

import governor
from governor import testing

from conftest import REPO_ROOT


def test_the_governed_fixture_runs_the_real_mock(governed: testing.GovernedSession) -> None:
    assert governor.is_enabled()
    assert governed.mock.health()["status"] == "ok"

    @governor.governed_tool(action="delete", resource={"type": "database", "name": "customers"})
    def delete_customer(customer_id: str) -> str:
        return customer_id

    assert delete_customer("c_1") == "c_1"
    governed.mock.install_policy("deny-all")
    with pytest.raises(governor.GovernorDenied) as denied:
        delete_customer("c_2")
    assert [event["executed"] for event in governed.audit] == [True, False]
    assert governed.audit[-1]["requestId"] == denied.value.request_id
    assert governed.mock.decisions(denied.value.request_id)[0]["decision"] == "DENY"


def test_the_plugin_is_registered_by_entry_point(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.has_plugin("governor")


def test_find_mock_command(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("GOVERNOR_INIT_BIN", "/opt/governor-init/dist/cli/bin.js")
    assert testing.find_mock_command() == ["node", "/opt/governor-init/dist/cli/bin.js"]
    monkeypatch.delenv("GOVERNOR_INIT_BIN")
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable))
    found = testing.find_mock_command(str(REPO_ROOT / "sdk-python"))
    assert found == ["node", str(REPO_ROOT / "dist" / "cli" / "bin.js")]
