"""Alerts over real channels, sent by Airflow's notifiers: aiosmtpd and an http.server
webhook on 127.0.0.1 receive them, configured as Airflow connections (AIRFLOW_CONN_*)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pytest

from tests.conftest import SAMPLES
from tests.mail import Inbox, body_of, smtp_server
from tools.samplegen import render, sample_specs
from yusuan.alerts import (
    WEBHOOK_BODY_LIMIT,
    quarantine_message,
    send,
    task_failed,
    webhook_text,
)
from yusuan.settings import Environment, variable

SMTP_CONN, WEBHOOK_CONN = "AIRFLOW_CONN_YUSUAN_SMTP", "AIRFLOW_CONN_YUSUAN_WEBHOOK"


@pytest.fixture
def channels(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No channel but those a test defines: the alert settings and connections unset."""
    for name in ("alert_to", "alert_smtp_conn", "alert_webhook_conn"):
        monkeypatch.delenv(variable(name), raising=False)
    monkeypatch.delenv(SMTP_CONN, raising=False)
    monkeypatch.delenv(WEBHOOK_CONN, raising=False)
    return monkeypatch


@pytest.fixture
def smtp(channels: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """The real SMTP server, defined as the connection yusuan_smtp, mailing a maintainer."""
    with smtp_server() as inbox:
        for name, value in inbox.env().items():
            channels.setenv(name, value)
        yield inbox


def webhook_connection(url: str) -> str:
    """A Slack incoming-webhook connection whose password is the webhook's whole URL."""
    return json.dumps({"conn_type": "slackwebhook", "password": url})


QUARANTINED = {
    "file_name": "unreconciled_2024.pdf",
    "source_uri": "/data/unreconciled_2024.pdf",
    "status": "quarantined",
    "reason": "reconciliation",
    "findings": [
        {
            "severity": "block",
            "page_number": 3,
            "table_title": "2024年一般公共预算支出情况表",
            "check": "function_total_equals_sum_of_children",
            "detail": "21007 计划生育事务 total prints 350.0 万元 but its 2 项 rows sum to 300.0",
        }
    ],
}


def test_quarantine_alert_names_document_page_table_and_check(smtp: Inbox) -> None:
    message = quarantine_message("run-1", [QUARANTINED, {"status": "loaded"}])
    assert message is not None
    assert send(*message)
    [mail] = smtp.messages
    assert mail["To"] == "maintainer@example.org"
    assert mail["From"] == "yusuan@localhost"  # the connection's from_email
    assert "1 document(s) quarantined" in mail["Subject"]
    [body] = smtp.bodies()
    assert body == message[1]  # verbatim: lines, indents, quotes
    assert "unreconciled_2024.pdf" in body
    assert "page 3" in body and "2024年一般公共预算支出情况表" in body
    assert "function_total_equals_sum_of_children" in body and "350.0" in body


def test_no_alert_when_everything_loaded() -> None:
    assert quarantine_message("run-2", [{"status": "loaded"}, {"status": "skipped"}]) is None


def test_alerts_are_off_without_connections(
    channels: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    channels.setenv("YUSUAN_ALERT_TO", "maintainer@example.org")
    caplog.set_level("INFO", logger="yusuan.alerts")
    assert send("subject", "body") is False
    assert "alert not sent (no alert connection defined)" in caplog.text


def test_a_mail_server_without_recipients_sends_no_mail(
    channels: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with smtp_server() as inbox:
        channels.setenv(SMTP_CONN, inbox.connection)
        assert send("subject", "body") is False
    assert inbox.messages == []
    assert "YUSUAN_ALERT_TO is not" in caplog.text


def test_connections_are_named_by_the_settings(
    channels: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # GIVEN the mail server defined under another connection id, which a setting names
    with smtp_server() as inbox:
        channels.setenv("AIRFLOW_CONN_OPS_MAIL", inbox.connection)
        channels.setenv("YUSUAN_ALERT_SMTP_CONN", "ops_mail")
        channels.setenv("YUSUAN_ALERT_TO", "a@x.org, b@x.org")
        assert Environment().alert_to == ("a@x.org", "b@x.org")
        # WHEN an alert is sent THEN it goes there, to both recipients
        assert send("[yusuan] subject", "body")
    [mail] = inbox.messages
    assert mail["To"] == "a@x.org, b@x.org"


def test_mail_server_down_is_logged_not_raised(
    channels: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    channels.setenv("YUSUAN_ALERT_TO", "maintainer@example.org")
    channels.setenv(
        SMTP_CONN,
        f"smtp://127.0.0.1:{free_port()}?from_email=a%40b.org&disable_ssl=true"
        "&disable_tls=true&retry_limit=0&timeout=5",
    )
    assert send("[yusuan] subject", "body") is False
    assert "alert not sent by connection yusuan_smtp (ConnectionRefusedError" in caplog.text


def test_failed_task_alert_names_task_run_error_and_log(smtp: Inbox) -> None:
    # GIVEN the context Airflow hands an on_failure_callback (its task instance, run, error)
    ti = SimpleNamespace(
        task_id="load", map_index=-1, dag_id="yusuan_load", run_id="manual__1", try_number=1,
        log_url="http://localhost:8080/dags/yusuan_load/runs/manual__1/tasks/load",
    )  # fmt: skip
    context = {"ti": ti, "run_id": "manual__1", "exception": TimeoutError("lock held 600 s")}
    # WHEN the callback runs THEN the maintainer gets the task, the run, the error and the log
    task_failed(context)
    [mail] = smtp.messages
    assert mail["Subject"] == "[yusuan] task load failed in manual__1"
    [body] = smtp.bodies()
    assert "Task load of DAG yusuan_load failed in run manual__1 (try 1)" in body
    assert "TimeoutError: lock held 600 s" in body and ti.log_url in body


# ----------------------------------------------------------------------------- webhook


class Hook(ThreadingHTTPServer):
    """A chat webhook on 127.0.0.1: answers each POST with the next queued status, then 200."""

    def __init__(self, answers: Iterable[int] = ()) -> None:
        super().__init__(("127.0.0.1", 0), HookHandler)
        self.answers = list(answers)
        self.attempts = 0
        self.posts: list[dict[str, Any]] = []
        self.content_types: list[str] = []
        self.paths: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/services/T0/B0/SECRET-TOKEN"


class HookHandler(BaseHTTPRequestHandler):
    server: Hook

    def do_POST(self) -> None:
        hook = self.server
        payload = self.rfile.read(int(self.headers["Content-Length"]))
        hook.attempts += 1
        status = hook.answers.pop(0) if hook.answers else 200
        if status == 200:
            hook.posts.append(json.loads(payload))
            hook.content_types.append(self.headers["Content-Type"])
            hook.paths.append(self.path)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(answers: Iterable[int] = ()) -> Iterator[Hook]:
    hook = Hook(answers)
    thread = threading.Thread(target=hook.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        hook.shutdown()
        hook.server_close()


@pytest.fixture
def hook() -> Iterator[Hook]:
    with serving() as server:
        yield server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_webhook_gets_slack_json_naming_document_page_table_and_check(
    channels: pytest.MonkeyPatch, hook: Hook
) -> None:
    channels.setenv(WEBHOOK_CONN, webhook_connection(hook.url))
    message = quarantine_message("run-1", [QUARANTINED])
    assert message is not None
    assert send(*message)
    [post] = hook.posts
    assert list(post) == ["text"]
    assert all(t.startswith("application/json") for t in hook.content_types)
    text = post["text"]
    assert text.startswith("*[yusuan] 1 document(s) quarantined in run-1*\n")
    assert "unreconciled_2024.pdf" in text
    assert "page 3" in text and "2024年一般公共预算支出情况表" in text
    assert "function_total_equals_sum_of_children" in text and "350.0" in text


def test_both_channels_carry_the_same_alert(
    channels: pytest.MonkeyPatch, smtp: Inbox, hook: Hook
) -> None:
    channels.setenv(WEBHOOK_CONN, webhook_connection(hook.url))
    message = quarantine_message("run-1", [QUARANTINED])
    assert message is not None
    assert send(*message)
    [mail], [post] = smtp.messages, hook.posts
    assert post["text"] == webhook_text(mail["Subject"], body_of(mail))


def test_webhook_answering_503_twice_gets_the_alert_on_the_third_try(
    channels: pytest.MonkeyPatch,
) -> None:
    with serving(answers=[503, 503]) as hook:
        channels.setenv(WEBHOOK_CONN, webhook_connection(hook.url))
        assert send("[yusuan] subject", "body")
    assert hook.attempts == 3
    assert [p["text"] for p in hook.posts] == [webhook_text("[yusuan] subject", "body")]


def test_webhook_refusing_the_alert_is_not_retried(
    channels: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with serving(answers=[404]) as hook:
        channels.setenv(WEBHOOK_CONN, webhook_connection(hook.url))
        assert not send("[yusuan] subject", "body")
    assert hook.attempts == 1 and hook.posts == []
    assert "alert not sent by connection yusuan_webhook" in caplog.text
    assert "Status Code: 404" in caplog.text
    assert "SECRET-TOKEN" not in caplog.text  # the webhook URL's path is a credential


def test_webhook_down_is_logged_and_the_email_still_arrives(
    channels: pytest.MonkeyPatch, smtp: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    down = f"http://127.0.0.1:{free_port()}/services/SECRET-TOKEN"
    channels.setenv(WEBHOOK_CONN, webhook_connection(down))
    assert send("[yusuan] subject", "body")
    [mail] = smtp.messages
    assert mail["Subject"] == "[yusuan] subject"
    assert "alert not sent by connection yusuan_webhook (URLError" in caplog.text
    assert "SECRET-TOKEN" not in caplog.text


def test_misconfigured_webhook_url_is_logged_not_raised(
    channels: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    channels.setenv(WEBHOOK_CONN, webhook_connection("htps://hooks.example.org/T0/B0/SECRET-TOKEN"))
    assert not send("[yusuan] subject", "body")
    assert "alert not sent by connection yusuan_webhook" in caplog.text
    assert "SECRET-TOKEN" not in caplog.text


def test_long_alert_is_cut_at_a_line_for_chat() -> None:
    body = "\n".join(f"  - page {n}, table 'T', check c: 1 <> 2 & more" for n in range(500))
    text = webhook_text("[yusuan] many", body)
    assert len(text) < WEBHOOK_BODY_LIMIT + 200
    assert text.startswith("*[yusuan] many*\n```\n  - page 0,") and text.endswith("\n```")
    kept = text.count("  - page ")
    assert 0 < kept < 500 and f"… {500 - kept} more line(s)" in text
    assert "1 &lt;&gt; 2 &amp; more" in text and "<" not in text  # Slack's escapes


def test_webhook_connection_in_slacks_own_form(channels: pytest.MonkeyPatch, hook: Hook) -> None:
    # the provider's form: the endpoint as host, the token as password
    port = hook.server_address[1]
    channels.setenv(WEBHOOK_CONN, f"slackwebhook://:T0%2FB0%2FX@127.0.0.1%3A{port}%2Fservices/http")
    assert send("[yusuan] subject", "body")
    assert [p["text"] for p in hook.posts] == [webhook_text("[yusuan] subject", "body")]
    assert hook.paths == ["/services/T0/B0/X"]


@pytest.mark.integration
def test_cli_load_alerts_by_mail_and_webhook(tmp_path: Path, hook: Hook) -> None:
    # GIVEN the two samples and the generated document whose totals do not reconcile
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for pdf in SAMPLES.glob("*.pdf"):
        shutil.copy(pdf, inbox)
    [unreconciled] = [s for s in sample_specs() if s.file_name == "unreconciled_2024.pdf"]
    render(unreconciled, inbox / unreconciled.file_name)
    # WHEN `yusuan load` runs (no Airflow running) with both connections defined
    with smtp_server() as mail:
        env = os.environ | mail.env() | {WEBHOOK_CONN: webhook_connection(hook.url)}
        done = subprocess.run(
            [sys.executable, "-m", "yusuan.cli", "load", str(inbox),
             "--warehouse", str(tmp_path / "bi.duckdb"), "--home", str(tmp_path / "home")],
            capture_output=True, text=True, check=False, cwd=tmp_path, env=env,
        )  # fmt: skip
    # THEN the run goes on and each channel gets one alert naming document, page, table,
    # check (the document loads without its unreconciled table, held back): the same text
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    [post], [sent] = hook.posts, mail.messages
    assert post["text"] == webhook_text(sent["Subject"], body_of(sent))
    text = post["text"]
    assert "1 loaded in part" in text and "held: page 3" in text
    assert "unreconciled_2024.pdf" in text
    assert "page 3" in text and "2024年一般公共预算支出情况表" in text
    with duckdb.connect(str(tmp_path / "bi.duckdb"), read_only=True) as con:
        checks = con.execute(
            """select distinct f."check" from audit.findings f
               join audit.document_loads l using (document_id, run_id)
               where l.file_name = 'unreconciled_2024.pdf' and f.severity = 'block'"""
        ).fetchall()
    # 21007 prints 350.0 where its 项 sum to 300.0 (and its basic + project): two checks
    assert sorted(checks) == [
        ("function_total_equals_sum_of_children",),
        ("total_equals_basic_plus_project",),
    ]
    assert all(f"check {check}:" in text for (check,) in checks)
