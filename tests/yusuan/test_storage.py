"""Shared storage (YUSUAN_STORAGE_URL, yusuan.storage): `yusuan load` with landing,
staging and the Data Docs in an S3 bucket of a real local S3 server (moto's, on
127.0.0.1) builds the marts and the audit of a run on local folders, leaves every file of
theirs in the bucket and none in the home's landing/ or staging/."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REAL, SAMPLES
from tests.s3 import BUCKET, local_s3, objects
from tests.yusuan.test_interrupted_runs import marts
from yusuan import storage
from yusuan.settings import Settings

pytestmark = pytest.mark.integration
SOURCES = [
    str(REAL / "上海市普陀区司法局2026年部门预算.pdf"),
    str(REAL / "上海市普陀区商务委员会2025年单位预算.pdf"),
    str(SAMPLES / "doc_a.pdf"),
]


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, str]]:
    with local_s3() as env:
        yield env


def load(root: Path, *sources: str, **env: str) -> str:
    """`yusuan load` in a process of its own (as a worker runs it), with `env` added."""
    done = subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", *sources, "--warehouse",
         str(root / "bi.duckdb"), "--home", str(root / "home"), "--workers", "2"],
        capture_output=True, text=True, check=False, timeout=900,
        env={k: v for k, v in os.environ.items() if not k.startswith("YUSUAN_")} | env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def audit(warehouse: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select document_id, file_name, status, reason, detail from audit.document_loads"
            " order by all"
        ).fetchall()


def test_a_load_on_shared_storage_equals_a_local_one(tmp_path: Path, s3: dict[str, str]) -> None:
    # GIVEN a load of three PDFs (two real) on local folders, the default
    local = tmp_path / "local"
    load(local, *SOURCES)

    # WHEN the same PDFs load with landing, staging and the Data Docs in the bucket
    shared = tmp_path / "shared"
    url = f"s3://{BUCKET}/prod"
    output = load(shared, *SOURCES, YUSUAN_STORAGE_URL=url, **s3)

    # THEN the marts and the audit are the local run's
    assert marts(shared / "bi.duckdb") == marts(local / "bi.duckdb")
    assert audit(shared / "bi.duckdb") == audit(local / "bi.duckdb")
    verdicts = {row[2] for row in audit(shared / "bi.duckdb")}
    assert verdicts <= {"loaded", "partial"}, verdicts
    ids = {row[0] for row in audit(shared / "bi.duckdb")}
    assert len(ids) == len(SOURCES)
    # AND every landed PDF, staged document and Data Docs page is in the bucket
    found = objects(s3, "prod")
    assert {f"landing/{i}.pdf" for i in ids} <= set(found)
    assert {f"staging/{i}/manifest.json" for i in ids} <= set(found)
    assert {f"staging/{i}/documents.parquet" for i in ids} <= set(found)
    assert "data_docs/index.html" in found
    # (gate 1's pages: its results went through gx/validations/ in the bucket)
    assert any(name.startswith("data_docs/validations/staged/") for name in found)
    assert any(name.startswith("gx/validations/staged/") for name in found)
    assert not any(name.rsplit("/", 1)[-1].startswith(".") for name in found)
    assert f"data docs  {url}/data_docs/index.html" in output
    # AND nothing was written to a local landing or staging folder
    home = shared / "home"
    assert not (home / "landing").exists() and not (home / "staging").exists()
    assert not any(p.suffix == ".pdf" for p in shared.rglob("*"))

    # WHEN the same sources load again: nothing new, each landed before (the landing's
    # index of local sources is in the bucket too)
    again = load(shared, *SOURCES, YUSUAN_STORAGE_URL=url, **s3)
    # THEN every document is skipped as already loaded and the marts are unchanged
    rows = [r for r in audit(shared / "bi.duckdb") if r not in audit(local / "bi.duckdb")]
    assert {(r[2], r[3]) for r in rows} == {("skipped", "already_loaded")}, again
    assert marts(shared / "bi.duckdb") == marts(local / "bi.duckdb")


def test_a_local_storage_root_is_a_plain_folder(tmp_path: Path) -> None:
    # no URL: the home; a folder or a file:// URL: that folder, as pathlib paths
    assert Settings(home=tmp_path).landing == tmp_path / "landing"
    shared = Settings(home=tmp_path, storage_url=f"file://{tmp_path}/shared")
    assert shared.staging == tmp_path / "shared" / "staging"
    assert isinstance(shared.staging, Path)
    assert Settings(home=tmp_path).data_docs == Settings(home=tmp_path).local_data_docs
    remote = Settings(home=tmp_path, storage_url="s3://bucket/prefix")
    assert storage.is_remote(remote.landing)
    assert str(remote.data_docs) == "s3://bucket/prefix/data_docs/index.html"
    # what the CLI prints of a URL names no user or password
    assert storage.shown("sftp://u:secret@host:22/x") == "sftp://host:22/x"


def test_mirror_puts_what_is_new_or_changed_and_fetch_gets_what_is_missing(
    tmp_path: Path, s3: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    for key, value in s3.items():
        monkeypatch.setenv(key, value)
    remote = storage.location(f"s3://{BUCKET}/mirror-{tmp_path.name}")
    site = tmp_path / "site"
    (site / "pages").mkdir(parents=True)
    (site / "index.html").write_text("index")
    (site / "pages" / "a.html").write_text("a")
    # GIVEN a site put into the root whole
    assert storage.mirror(site, remote, since=time.time() + 60) == 2
    # WHEN nothing changed since: nothing is put
    started = time.time()
    assert storage.mirror(site, remote, since=started) == 0
    # WHEN the index is built again and a page is added: those two
    (site / "index.html").write_text("index, again")
    os.utime(site / "index.html", (started + 1, started + 1))
    (site / "pages" / "b.html").write_text("b")
    assert storage.mirror(site, remote, since=started + 1) == 2
    assert (remote / "index.html").read_text() == "index, again"
    # AND another machine fetches what it lacks, and only that
    copy = tmp_path / "copy"
    (copy / "pages").mkdir(parents=True)
    (copy / "pages" / "a.html").write_text("a")
    assert storage.fetch_missing(remote, copy) == 2
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*.html")) == [
        "index.html", "pages/a.html", "pages/b.html"
    ]  # fmt: skip
    # AND local copies of remote folders: a folder with no file is left out
    folders = [str(remote / "pages"), str(remote / "none")]
    with storage.local_folders(folders) as local:
        assert set(local) == {folders[0]}
        assert sorted(p.name for p in local[folders[0]].iterdir()) == ["a.html", "b.html"]
        scratch = local[folders[0]]
    assert not scratch.exists()  # removed when the block ends
    # AND a machine's hidden bookkeeping (GX's store id) is never shared
    (site / ".ge_store_backend_id").write_text("this machine's")
    assert storage.mirror(site, remote, since=time.time() + 60) == 0


def test_a_landed_file_gone_from_the_bucket_costs_only_its_document(
    tmp_path: Path, s3: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from yusuan import pipeline

    for key, value in s3.items():
        monkeypatch.setenv(key, value)
    settings = Settings(home=tmp_path, storage_url=f"s3://{BUCKET}/gone-{tmp_path.name}")
    # GIVEN two landed documents, one of whose files is no longer in the bucket
    docs: list[pipeline.Doc] = []
    for name in ("doc_a.pdf", "gone.pdf"):
        landed = settings.landing / f"{name}.pdf"
        if name != "gone.pdf":
            storage.put_file(SAMPLES / name, landed)
        docs.append(
            {"source_uri": name, "file_name": name, "document_id": name.split(".")[0],
             "landing_path": str(landed), "status": "pending", "known": {}}
        )  # fmt: skip
    # WHEN they are extracted
    done = pipeline.extract_all(docs, settings)
    # THEN the one whose file is gone is unreachable, the other is staged in the bucket
    assert [(d["status"], d.get("reason")) for d in done] == [
        ("pending", None), ("quarantined", "unreachable")
    ]  # fmt: skip
    assert done[0]["staging_dir"] == str(settings.staging / "doc_a")
    assert (settings.staging / "doc_a" / "manifest.json").exists()
    assert not (tmp_path / "staging").exists()
