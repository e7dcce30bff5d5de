"""Print docs/identities.md, the list of gate 1's accounting identities, from
expectations/catalog.py:

    python -m tools.identities > docs/identities.md
"""

from __future__ import annotations

from expectations.catalog import markdown

if __name__ == "__main__":
    print(markdown(), end="")
