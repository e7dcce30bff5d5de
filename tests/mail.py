"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps the alerts it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from html import unescape
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    @property
    def connection(self) -> str:
        """This server as an Airflow SMTP connection: plain SMTP, no TLS, a sender."""
        return (
            f"smtp://127.0.0.1:{self.port}"
            "?from_email=yusuan%40localhost&disable_ssl=true&disable_tls=true"
        )

    def env(self) -> dict[str, str]:
        """The environment that sends yusuan's alerts here (yusuan.alerts): the default
        connection of the mail server, and a recipient."""
        return {
            "YUSUAN_ALERT_TO": "maintainer@example.org",
            "AIRFLOW_CONN_YUSUAN_SMTP": self.connection,
        }

    def bodies(self) -> list[str]:
        return [body_of(m) for m in self.messages]


def body_of(mail: Message) -> str:
    """The alert's text: the notifier's HTML part, the <pre> it wraps the body in removed."""
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/html"]
    html = str(part.get_payload(decode=True), part.get_content_charset() or "utf-8")
    assert html.startswith("<pre>") and html.endswith("</pre>"), html[:200]
    return unescape(html.removeprefix("<pre>").removesuffix("</pre>"))


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    with socket.socket() as probe:  # a free port (aiosmtpd cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox(port)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
