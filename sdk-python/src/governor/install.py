"""Zero-code activation: ``python -m governor.install`` writes ``zz-governor-activate.pth`` into the
virtualenv's ``site-packages``, so every interpreter started from that environment (child
processes and ``multiprocessing`` workers included) runs ``governor.enable()`` at start-up from the
``GOVERNOR_*`` environment variables alone. ``python -m governor.install uninstall`` removes
exactly that file; ``status`` says whether it is there.

A ``.pth`` file is used because every interpreter with ``site`` enabled reads it, and it never
displaces a project's own ``sitecustomize.py``. Outside a virtualenv the command refuses unless
``--site-packages DIR`` names the directory.
"""

from __future__ import annotations

import argparse
import os
import sys
import sysconfig
import tempfile
from typing import List, Optional

# site.py reads .pth files in name order: this one comes after the ones that put packages on the
# path (an editable install's governor.pth, a project's src .pth), so governor is importable here.
PTH_NAME = "zz-governor-activate.pth"
# One line: site.py executes lines that start with "import". If the governor package is gone, say
# so once at start-up rather than failing every interpreter.
PTH_LINE = (
    "import sys; exec('try:\\n import governor._autoenable\\nexcept ImportError as e:\\n"
    " sys.stderr.write(\"[governor] WARNING: zz-governor-activate.pth is present but governor cannot be imported (%s); "
    "nothing is governed. Reinstall it or run python -m governor.install uninstall.\\\\n\" % e)')\n"
)


def site_packages(explicit: Optional[str] = None) -> str:
    """The directory the ``.pth`` file goes in: ``explicit``, else this virtualenv's purelib."""
    if explicit:
        return os.path.abspath(explicit)
    if sys.prefix == sys.base_prefix:
        raise SystemExit(
            "governor.install: this interpreter is not in a virtualenv; activate the project's virtualenv "
            "(or pass --site-packages DIR to choose the directory yourself)."
        )
    return sysconfig.get_paths()["purelib"]


def _write_atomic(path: str, text: str) -> None:
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".governor-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def install(directory: str) -> str:
    """Writes the ``.pth`` file (idempotent). Returns its path."""
    path = os.path.join(directory, PTH_NAME)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            if handle.read() == PTH_LINE:
                return path
    _write_atomic(path, PTH_LINE)
    return path


def uninstall(directory: str) -> Optional[str]:
    """Removes the ``.pth`` file if it is the one ``install`` wrote. Returns its path, or None."""
    path = os.path.join(directory, PTH_NAME)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        if handle.read() != PTH_LINE:
            raise SystemExit(f"governor.install: {path} was changed by hand; not removing it. Delete it yourself if it is yours to remove.")
    os.unlink(path)
    return path


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m governor.install", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", nargs="?", choices=["install", "uninstall", "status"], default="install")
    parser.add_argument("--site-packages", help="the directory to write the .pth file in (default: this virtualenv's)")
    args = parser.parse_args(argv)
    directory = site_packages(args.site_packages)
    if args.action == "install":
        path = install(directory)
        print(f"governor: {path} written; interpreters of this environment now run governor.enable() at start-up")
        print("governor: set GOVERNOR_ENFORCE_URL (and GOVERNOR_API_KEY) in the environment to turn governance on")
    elif args.action == "uninstall":
        path = uninstall(directory)
        print(f"governor: {path} removed" if path else f"governor: no {PTH_NAME} in {directory}; nothing to remove")
    else:
        path = os.path.join(directory, PTH_NAME)
        print(f"governor: {'installed' if os.path.exists(path) else 'not installed'} ({path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
