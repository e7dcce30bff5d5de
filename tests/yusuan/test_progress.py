"""The CLI's extraction progress: a bar on a terminal, nothing elsewhere."""

from __future__ import annotations

import io

from rich.console import Console

from yusuan.cli import _extraction_progress


def test_a_terminal_sees_documents_pages_per_second_and_time_left() -> None:
    out = io.StringIO()
    with _extraction_progress(Console(file=out, force_terminal=True, width=120)) as done:
        assert done is not None
        done(19, 2)  # a document of 19 pages extracted, of 2
        done(0, 2)  # the other failed
    shown = out.getvalue()
    assert "2/2" in shown
    assert "pages/s" in shown and "left" in shown


def test_a_log_or_a_pipe_sees_nothing() -> None:
    out = io.StringIO()
    with _extraction_progress(Console(file=out, force_terminal=False)) as done:
        assert done is None
    assert out.getvalue() == ""
