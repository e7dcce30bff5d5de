"""The CLI's progress of extraction and gate 1: a bar on a terminal, nothing elsewhere."""

from __future__ import annotations

import io

from rich.console import Console

from yusuan.cli import _progress


def test_a_terminal_sees_documents_pages_per_second_and_time_left() -> None:
    out = io.StringIO()
    with _progress(Console(file=out, force_terminal=True, width=120)) as bars:
        assert bars is not None
        extracted, validated = bars("extract"), bars("gate 1")
        extracted(19, 2)  # a document of 19 pages extracted, of 2
        extracted(0, 2)  # the other failed
        validated(19, 2)  # gate 1 of the first
    shown = out.getvalue()
    assert "extract" in shown and "2/2" in shown
    assert "gate 1" in shown and "1/2" in shown
    assert "pages/s" in shown and "left" in shown


def test_a_log_or_a_pipe_sees_nothing() -> None:
    out = io.StringIO()
    with _progress(Console(file=out, force_terminal=False)) as bars:
        assert bars is None
    assert out.getvalue() == ""
