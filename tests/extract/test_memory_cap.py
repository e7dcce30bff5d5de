"""Each extraction process runs under a memory cap (YUSUAN_MAX_WORKER_MB): a decompression
bomb, a PDF whose 1 MB content stream inflates to 1 GB, is `too_large` in a real
`yusuan load`, and the good document beside it loads."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.integration
CAP_MB = 700  # above what a sample needs (a worker starts at about 350 MB of address space)


def bomb_pdf(inflated_mb: int) -> bytes:
    """A one-page PDF whose FlateDecode content stream inflates to `inflated_mb` of spaces
    (a valid, empty page once read), compressed about a thousandfold."""
    packer = zlib.compressobj(9)
    spaces = b" " * (16 << 20)
    stream = b"".join([packer.compress(spaces) for _ in range(inflated_mb // 16)])
    stream += packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    pdf += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(pdf)


def test_a_decompression_bomb_is_too_large_and_the_run_goes_on(tmp_path: Path) -> None:
    # GIVEN a decompression bomb beside a good sample, and a cap of 700 MB per process
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bomb.pdf").write_bytes(bomb_pdf(1024))
    assert (inbox / "bomb.pdf").stat().st_size < 2 << 20
    shutil.copy(SAMPLES / "doc_a.pdf", inbox / "doc_a.pdf")
    bi = tmp_path / "bi.duckdb"
    # WHEN `yusuan load` runs on both
    done = subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", str(inbox),
         "--warehouse", str(bi), "--home", str(tmp_path / "home")],
        capture_output=True, text=True, check=False, cwd=tmp_path,
        env=os.environ | {"YUSUAN_MAX_WORKER_MB": str(CAP_MB)},
    )  # fmt: skip
    # THEN the bomb is too_large, naming the cap and its setting, and the sample loads
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with duckdb.connect(str(bi), read_only=True) as con:
        verdicts = dict(
            ((name, (status, reason)), detail)
            for name, status, reason, detail in con.execute(
                "select file_name, status, reason, detail from audit.document_loads"
            ).fetchall()
        )
        loaded = con.execute("select file_name from marts.dim_document").fetchall()
    assert set(verdicts) == {
        ("bomb.pdf", ("quarantined", "too_large")),
        ("doc_a.pdf", ("loaded", None)),
    }
    detail = verdicts["bomb.pdf", ("quarantined", "too_large")]
    assert f"{CAP_MB} MB" in detail and "YUSUAN_MAX_WORKER_MB" in detail
    assert loaded == [("doc_a.pdf",)]
