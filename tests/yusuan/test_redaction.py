"""A URL's secrets never leave the pull: `yusuan load` over URLs whose folders, user,
password and query string hold tokens, served by a real HTTP server on 127.0.0.1, with
alerts mailed to a real SMTP server. No token is in any text column of the warehouse, in
the alert mail, in what the command prints, nor in the files of the run's home."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.mail import Inbox
from tests.yusuan.test_alerts import channels, smtp
from tests.yusuan.test_pull import server

pytestmark = pytest.mark.integration
__all__ = ["channels", "server", "smtp"]  # the fault server and SMTP server fixtures, used below

SECRETS = ("t0k3n-one", "t0k3n-two", "t0k3n-three", "pa55w0rd", "s1gnature")
TEXT_FILES = (".json", ".html", ".yml", ".yaml", ".txt", ".log", ".sql", ".csv")


def varchar_values(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every value of every varchar column of every table of the warehouse."""
    columns = con.execute(
        """select table_schema, table_name, column_name from information_schema.columns
           where data_type = 'VARCHAR' and table_catalog = current_database()"""
    ).fetchall()
    assert len(columns) > 50  # (the query does see the warehouse: raw, audit, marts)
    values: list[str] = []
    for schema, table, column in columns:
        rows = con.execute(f'select distinct "{column}" from "{schema}"."{table}"').fetchall()
        values += [row[0] for row in rows if row[0] is not None]
    return values


def test_tokens_in_urls_are_nowhere_in_the_warehouse_mail_or_logs(
    server: str, smtp: Inbox, tmp_path: Path
) -> None:
    # GIVEN a PDF behind a token folder, user, password and signed query; the same file
    # behind another token folder; and a missing file behind a third
    host = server.removeprefix("http://")
    sources = [
        f"http://user:pa55w0rd@{host}/private/t0k3n-one/doc_b.pdf?sig=s1gnature#page=2",
        f"{server}/private/t0k3n-two/doc_b.pdf",
        f"{server}/private/t0k3n-three/missing.pdf",
    ]
    bi = tmp_path / "bi.duckdb"
    # WHEN `yusuan load` runs on them, mailing alerts to the SMTP server
    env = os.environ | smtp.env()
    env.pop("AIRFLOW_CONN_YUSUAN_WEBHOOK", None)
    done = subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", *sources,
         "--warehouse", str(bi), "--home", str(tmp_path / "home")],
        capture_output=True, text=True, check=False, cwd=tmp_path, env=env,
    )  # fmt: skip
    printed = done.stdout + done.stderr
    assert done.returncode == 0, printed[-3000:]
    # THEN the first loads, the second is the same file from another source (told apart
    # though both are shown without their folder), the third is unreachable
    with duckdb.connect(str(bi), read_only=True) as con:
        audit = con.execute(
            "select source_uri, status, reason from audit.document_loads order by source_uri"
        ).fetchall()
        raw = con.execute("select source_uri from raw.documents").fetchall()
        dim = con.execute("select source_uri from marts.dim_document").fetchall()
        values = varchar_values(con)
    shown = re.compile(rf"http://{re.escape(host)}/<redacted-[0-9a-f]{{8}}>/(doc_b|missing)\.pdf")
    assert all(shown.fullmatch(uri) for uri, _, _ in audit), audit
    assert sorted((status, reason) for _, status, reason in audit) == [
        ("loaded", None),
        ("quarantined", "duplicate"),
        ("quarantined", "unreachable"),
    ]
    assert len({uri for uri, _, _ in audit}) == 3  # three sources, three markers
    [(loaded_uri,)] = raw
    assert dim == [(loaded_uri,)] and shown.fullmatch(loaded_uri)
    # AND no secret is in any text of the warehouse, the mail or what the command printed
    [mail], [body] = smtp.messages, smtp.bodies()
    assert "missing.pdf" in body and "<redacted-" in body
    home_texts = [
        path.read_text(errors="replace")
        for path in (tmp_path / "home").rglob("*")
        if path.is_file() and path.suffix in TEXT_FILES
    ]
    assert home_texts  # (Great Expectations' results and Data Docs, dbt's logs)
    for secret in SECRETS:
        assert not [v for v in values if secret in v], secret
        assert secret not in body and secret not in str(mail["Subject"])
        assert secret not in printed
        assert not [text for text in home_texts if secret in text], secret
