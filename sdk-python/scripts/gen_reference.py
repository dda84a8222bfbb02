"""Generates the Python SDK's API reference (Markdown) from the package's docstrings.

    python sdk-python/scripts/gen_reference.py OUT_DIR

writes ``OUT_DIR/python.md`` (the reference) and ``OUT_DIR/python-sdk.md`` (the package README),
which the docs index picks up as the ``api-python`` and ``api-python-sdk`` documents. Run by the
build after typedoc (which empties ``docs-corpus/api``).
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any, List

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import governor  # noqa: E402
import governor.install  # noqa: E402
import governor.protocol  # noqa: E402
import governor.testing  # noqa: E402
from governor import errors  # noqa: E402

SECTIONS = [
    ("governor", governor, ["enable", "disable", "is_enabled", "intent", "with_actor", "governed_tool", "decide", "decide_async", "on_audit", "current_intent", "Decision"]),
    ("Errors", errors, ["GovernorError", "GovernorDenied", "GovernorUnavailable"]),
    ("governor.protocol", governor.protocol, ["stable_stringify", "intent_hash", "sign_decision_token", "verify_decision_token", "ENFORCE_PATH"]),
    ("governor.testing", governor.testing, ["start_mock", "MockServer", "find_mock_command", "GovernedSession"]),
    ("governor.install", governor.install, ["install", "uninstall", "site_packages"]),
]


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__ or "").replace("Example::", "Example:").replace("``", "`").strip()


def _code_blocks(text: str) -> str:
    # Docstring examples are indented blocks after "Example:": fence them as python.
    out: List[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("Example:") and i + 1 < len(lines):
            out.append(line)
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            block: List[str] = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i][4:])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            out += ["", "```python", *block, "```", ""]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _signature(name: str, obj: Any) -> str:
    try:
        return f"{name}{inspect.signature(obj, eval_str=True)}"
    except (TypeError, ValueError, NameError):
        return name


def render() -> str:
    parts = [
        "# governor (Python SDK) API reference",
        "",
        f"Generated from the docstrings of `governor` {governor.__version__}. " + _doc(governor).split("\n\n")[0],
        "",
    ]
    for title, module, names in SECTIONS:
        parts += [f"## {title}", ""]
        if module is not governor and module is not errors:
            parts += [_code_blocks(_doc(module)), ""]
        for name in names:
            obj = getattr(module, name)
            qualified = f"{module.__name__}.{name}" if module is not errors else f"governor.{name}"
            if inspect.isclass(obj) or callable(obj):
                parts += [f"### {qualified}", "", "```python", _signature(qualified, obj), "```", ""]
            else:
                parts += [f"### {qualified}", "", f"`{obj!r}`", ""]
            doc = _doc(obj) if (inspect.isclass(obj) or callable(obj)) else ""
            if doc:
                parts += [_code_blocks(doc), ""]
            if inspect.isclass(obj):
                for member_name, member in vars(obj).items():
                    if member_name.startswith("_") or not callable(member) or not member.__doc__:
                        continue
                    parts += [f"#### {qualified}.{member_name}", "", "```python", _signature(member_name, member), "```", "", _code_blocks(_doc(member)), ""]
    return "\n".join(parts).rstrip() + "\n"


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    (out / "python.md").write_text(render(), encoding="utf-8")
    (out / "python-sdk.md").write_text((HERE.parent / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"python reference: {out / 'python.md'}, {out / 'python-sdk.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
