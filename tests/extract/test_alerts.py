"""Alerts go over real SMTP: an aiosmtpd server on 127.0.0.1 receives them."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from extract.alerts import SmtpSettings, quarantine_message, send


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:  # a free port (aiosmtpd cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


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


def test_quarantine_alert_names_document_page_table_and_check(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    message = quarantine_message("run-1", [QUARANTINED, {"status": "loaded"}])
    assert message is not None
    settings = SmtpSettings(recipients=("maintainer@example.org",), port=port)
    assert send(*message, settings=settings)
    [mail] = inbox.messages
    assert mail["To"] == "maintainer@example.org"
    assert "1 document(s) quarantined" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert "unreconciled_2024.pdf" in body
    assert "page 3" in body and "2024年一般公共预算支出情况表" in body
    assert "function_total_equals_sum_of_children" in body and "350.0" in body


def test_no_alert_when_everything_loaded() -> None:
    assert quarantine_message("run-2", [{"status": "loaded"}, {"status": "skipped"}]) is None


def test_alerts_are_off_without_recipients(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YUSUAN_ALERT_TO", raising=False)
    assert SmtpSettings.from_env() is None
    assert send("subject", "body") is False


def test_settings_read_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUSUAN_ALERT_TO", "a@x.org, b@x.org")
    monkeypatch.setenv("YUSUAN_SMTP_PORT", "2525")
    settings = SmtpSettings.from_env()
    assert settings is not None
    assert settings.recipients == ("a@x.org", "b@x.org")
    assert settings.port == 2525
