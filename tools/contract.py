"""Print docs/contract.md from the marts' dbt yml: `python -m tools.contract > docs/contract.md`."""

from __future__ import annotations

from expectations.contract import markdown

if __name__ == "__main__":
    print(markdown(), end="")
