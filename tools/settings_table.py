"""Print README's settings table from yusuan.settings.Environment, the one object that
reads the YUSUAN_* variables, or write it into README between its markers:

    python -m tools.settings_table           # the table
    python -m tools.settings_table --write   # README.md's table replaced by it

tests/yusuan/test_settings.py keeps the committed table equal to this output.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from yusuan.settings import PROJECT_ROOT, Alerting, Environment, Limits, variable

README = PROJECT_ROOT / "README.md"
BEGIN = "<!-- settings:begin: python -m tools.settings_table --write -->"
END = "<!-- settings:end -->"
UNITS = {"_mb": "MB", "_s": "s"}  # a numeric setting's unit, by its name's ending


def shown(name: str, default: Any) -> str:
    """A default as the table shows it: 200 MB, 600 s, off, `127.0.0.1`."""
    if isinstance(default, bool):
        return "on" if default else "off"
    if isinstance(default, int | float):
        unit = next((u for end, u in UNITS.items() if name.endswith(end)), "")
        return f"{default:,g} {unit}".strip()
    if default is None or default == ():
        return "none"
    return f"`{default}`"


def rows() -> list[tuple[str, str, str]]:
    """(what it sets, default, variable and CLI option) of every setting: a run's paths and
    defaults first, then the limits, then the alerts' channels."""
    fields = Environment.model_fields
    sections = (Limits.model_fields, Alerting.model_fields)  # after the Environment's own
    names = sorted(fields, key=lambda n: next((i for i, s in enumerate(sections, 1) if n in s), 0))
    table = []
    for name in names:
        info = fields[name]
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        default = str(extra.get("shown") or shown(name, info.default))
        override = f"`{variable(name)}`"
        if extra.get("option"):
            override += f" (`{extra['option']}`)"
        table.append((str(info.description), default, override))
    return table


def markdown() -> str:
    lines = ["| setting | default | environment variable (option) |", "| --- | --- | --- |"]
    lines += [f"| {setting} | {default} | {override} |" for setting, default, override in rows()]
    return "\n".join(lines) + "\n"


def block(text: str) -> str | None:
    """The table between README's markers; None without them."""
    found = re.search(f"{re.escape(BEGIN)}\n(.*?){re.escape(END)}", text, re.DOTALL)
    return found.group(1) if found else None


def written(text: str) -> str:
    """`text` (README) with its table replaced by the current one."""
    if block(text) is None:
        raise SystemExit(f"no settings table between {BEGIN} and {END}")
    pattern = f"{re.escape(BEGIN)}\n.*?{re.escape(END)}"
    return re.sub(pattern, lambda _: f"{BEGIN}\n{markdown()}{END}", text, flags=re.DOTALL)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite the table in {README}")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    if args.write:
        args.readme.write_text(written(args.readme.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(markdown(), end="")


if __name__ == "__main__":
    main()
