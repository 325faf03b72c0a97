"""Keep units small: no hand-written module above MAX_MODULE_LINES lines, no function above
MAX_FUNCTION_LINES lines (docs/architecture.md). Migrations and seed data tables are not
hand-written units in that sense and are left out.

Run by `make lint`; prints each offender and exits 1 if there is one.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
EXEMPT_PARTS = ("migrations",)
# Seed data: tables of demo values, not code.
EXEMPT_FILES = {"data/demo_spec.py", "data/catalogue_spec.py"}


def python_files(root: Path) -> list[Path]:
    command = ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"]
    listed = subprocess.run(  # noqa: S603 - fixed arguments, git from PATH as in make
        command, cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    return [
        root / name
        for name in listed
        if not any(part in EXEMPT_PARTS for part in Path(name).parts)
        and name not in EXEMPT_FILES
        and not name.startswith("tests/")
        and (root / name).is_file()
    ]


def offenders(root: Path) -> list[str]:
    found: list[str] = []
    for path in python_files(root):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(root)
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            found.append(f"{name}: module has {lines} lines (> {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(
                        f"{name}:{node.lineno}: {node.name}() has {length} lines"
                        f" (> {MAX_FUNCTION_LINES})"
                    )
    return found


def main() -> int:
    found = offenders(Path(__file__).resolve().parent.parent)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
