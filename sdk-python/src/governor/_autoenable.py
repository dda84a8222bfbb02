"""Imported at interpreter start by the ``.pth`` file ``python -m governor.install`` writes.

Turns governance on from the environment alone when it asks for it: ``GOVERNOR_ENFORCE_URL``
set, ``GOVERNOR_DEV_BYPASS`` set, or ``GOVERNOR_ENABLED`` truthy (which, without a URL, denies
every governed side effect: fail closed). ``GOVERNOR_ENABLED=0`` keeps it off. An invalid
setting stops the interpreter with the error rather than running ungoverned.
"""

import os
import sys


def _wanted(env: "os._Environ[str]") -> bool:
    enabled = (env.get("GOVERNOR_ENABLED") or "").strip().lower()
    if enabled in ("0", "false", "off", "no"):
        return False
    return bool(enabled or (env.get("GOVERNOR_ENFORCE_URL") or "").strip() or (env.get("GOVERNOR_DEV_BYPASS") or "").strip())


if _wanted(os.environ):
    import governor

    try:
        governor.enable()
    except governor.GovernorError as error:
        sys.stderr.write(f"[governor] {error.message}\n[governor] {error.hint}\n")
        sys.stderr.flush()
        # Raised from a .pth file, an exception would only be printed and the program would run
        # ungoverned: stop here instead.
        os._exit(78)
