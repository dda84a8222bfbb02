"""Zero-code activation: ``python -m governor.install`` writes a .pth file into a real virtualenv;
a fresh interpreter, its child interpreters and multiprocessing workers are governed from the
environment alone; ``uninstall`` removes exactly that file."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Iterator

import pytest

from conftest import SRC_DIR, governor_env, last_json, run_python

POLICY = {
    "name": "no-blocked-files",
    "default": "allow",
    "rules": [
        {"id": "blocked", "effect": "deny", "reason": "Blocked files stay unwritten.", "match": {"action": "write", "resource_type": "filesystem", "resource_name": "/**/blocked-*"}}
    ],
}


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtualenv (no pip) that sees the SDK's source through a path .pth file."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "governor-src.pth").write_text(str(SRC_DIR) + "\n")
    yield root


def python_of(venv: Path) -> str:
    return str(venv / "bin" / "python")


CHECK = """
import json, multiprocessing, os, subprocess, sys
def write(path):
    try:
        open(path, "w").close()
        return "ran"
    except Exception as error:
        return type(error).__name__
def worker(path, queue):
    queue.put(write(path))
if __name__ == "__main__":
    import governor
    d = sys.argv[1]
    result = {"enabled": governor.is_enabled(), "main": write(os.path.join(d, "blocked-main")), "allowed": write(os.path.join(d, "ok-main"))}
    child = subprocess.run([sys.executable, "-c", "import governor, sys; sys.exit(0 if governor.is_enabled() else 3); "], capture_output=True)
    result["child_enabled"] = child.returncode == 0
    child = subprocess.run([sys.executable, "-c", "open(sys.argv[1], 'w')" if False else "import sys; open(sys.argv[1], 'w')", os.path.join(d, "blocked-child")], capture_output=True, text=True)
    result["child_write"] = "GovernorDenied" if "GovernorDenied" in child.stderr else ("ran" if child.returncode == 0 else child.stderr[-300:])
    queue = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(target=worker, args=(os.path.join(d, "blocked-worker"), queue))
    process.start(); result["worker"] = queue.get(timeout=60); process.join()
    print(json.dumps(result))
"""


def test_install_activate_and_uninstall(mock, venv: Path, tmp_path: Path) -> None:
    mock.install_policy(POLICY)
    python = python_of(venv)
    script = tmp_path / "check.py"
    script.write_text(CHECK)
    work = tmp_path / "work"
    work.mkdir()

    installed = subprocess.run([python, "-m", "governor.install"], capture_output=True, text=True, env=governor_env(None))
    assert installed.returncode == 0, installed.stderr
    pth = Path(installed.stdout.split(" written", 1)[0].split("governor: ", 1)[1])
    assert pth.name == "zz-governor-activate.pth" and pth.exists()
    # Twice is the same as once.
    assert subprocess.run([python, "-m", "governor.install"], capture_output=True, env=governor_env(None)).returncode == 0

    run = subprocess.run([python, str(script), str(work)], capture_output=True, text=True, env=governor_env(mock.url), timeout=120)
    assert run.returncode == 0, run.stderr
    got = last_json(run)
    assert got == {"enabled": True, "main": "GovernorDenied", "allowed": "ran", "child_enabled": True, "child_write": "GovernorDenied", "worker": "GovernorDenied"}
    assert sorted(p.name for p in work.iterdir()) == ["ok-main"]

    # Without GOVERNOR_* in the environment the .pth leaves the interpreter alone.
    quiet = run_python("import governor, json; print(json.dumps({'enabled': governor.is_enabled()}))", governor_env(None), python=python)
    assert last_json(quiet) == {"enabled": False} and quiet.stderr == ""

    # An invalid setting stops the interpreter rather than running ungoverned.
    bad = run_python("print('ran')", governor_env(mock.url, GOVERNOR_FAIL_MODE="sometimes"), python=python)
    assert bad.returncode == 78 and "ran" not in bad.stdout and "GOVERNOR_FAIL_MODE" in bad.stderr

    site_dir = pth.parent
    before = sorted(p.name for p in site_dir.iterdir())
    removed = subprocess.run([python, "-m", "governor.install", "uninstall"], capture_output=True, text=True, env=governor_env(None))
    assert removed.returncode == 0 and "removed" in removed.stdout
    assert sorted(p.name for p in site_dir.iterdir()) == [name for name in before if name != "zz-governor-activate.pth"]
    after = run_python("import governor, json; print(json.dumps({'enabled': governor.is_enabled()}))", governor_env(mock.url), python=python)
    assert last_json(after) == {"enabled": False}


def test_install_refuses_outside_a_virtualenv_and_a_hand_edited_file(venv: Path, tmp_path: Path) -> None:
    system = getattr(sys, "_base_executable", None) or sys.executable
    outside = subprocess.run(
        [system, "-c", "import sys; sys.path.insert(0, sys.argv[1]); from governor import install; install.main([])", str(SRC_DIR)],
        capture_output=True, text=True, env=governor_env(None),
    )  # fmt: skip
    if sys.prefix != sys.base_prefix:
        assert outside.returncode != 0 and "not in a virtualenv" in outside.stderr
    target = tmp_path / "site"
    target.mkdir()
    python = python_of(venv)
    assert subprocess.run([python, "-m", "governor.install", "--site-packages", str(target)], env=governor_env(None)).returncode == 0
    (target / "zz-governor-activate.pth").write_text("import something_else\n")
    refused = subprocess.run([python, "-m", "governor.install", "uninstall", "--site-packages", str(target)], capture_output=True, text=True, env=governor_env(None))
    assert refused.returncode != 0 and "changed by hand" in refused.stderr
    assert (target / "zz-governor-activate.pth").exists()
