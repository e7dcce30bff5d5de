"""Data-quality alerts to maintainers, sent by Airflow's notifiers: email by the SMTP
provider's `SmtpNotifier`, a chat message by the Slack provider's `SlackWebhookNotifier`.

Callers build one alert (a subject and a body naming document, page, table and check) and
`send` delivers it on every configured channel. The channels are independent: either may be
set, or both; one that fails is logged and never stops the other, nor the run.

Each channel is an Airflow connection (docs/operations.md, "Alerts"): the mail server is
the connection YUSUAN_ALERT_SMTP_CONN names (`yusuan_smtp`), mailed to YUSUAN_ALERT_TO, and
the webhook is the connection YUSUAN_ALERT_WEBHOOK_CONN names (`yusuan_webhook`, Slack's
incoming-webhook JSON {"text": ...}); a channel whose connection is not defined is off.
Airflow resolves them, from `AIRFLOW_CONN_<ID>` variables or, in a DAG run, from its own
store, and so does `yusuan load` without a running Airflow: the same notifiers send the
same text. Connections hold the credentials (a Slack webhook URL carries its token): logs
name the connection, never its URL.

`task_failed` is every DAG task's `on_failure_callback`: a task that fails (a lock
timeout, a killed worker, a crash in pull) alerts on the same channels.
"""

from __future__ import annotations

import html
import logging
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from extract.verdicts import Status
from yusuan.settings import Alerting

if TYPE_CHECKING:
    from airflow.sdk import BaseNotifier, Connection, Context

log = logging.getLogger(__name__)

WEBHOOK_BODY_LIMIT = 3000  # characters of (escaped) body per chat message; Slack advises < 4,000
WEBHOOK_TRIES = 4  # in all, for connection errors, 429 and 500/503 answers (slack_sdk's handlers)
WEBHOOK_TIMEOUT_S = 10


def quarantine_message(run_id: str, docs: Iterable[Mapping[str, Any]]) -> tuple[str, str] | None:
    """Subject and body naming each quarantined document and each table held back of a
    partial one: page, table, check and numbers."""
    bad = [d for d in docs if d.get("status") in (Status.QUARANTINED, Status.PARTIAL)]
    if not bad:
        return None
    quarantined = sum(d.get("status") == Status.QUARANTINED for d in bad)
    partial = len(bad) - quarantined
    lines = [
        f"Run {run_id}: {quarantined} document(s) quarantined, {partial} loaded without the "
        "tables held back; the others went on.",
        "",
    ]
    for doc in bad:
        lines.append(f"{doc.get('file_name')} ({doc.get('source_uri')})")
        lines.append(f"  {doc.get('status')}: {doc.get('reason')}")
        for table in doc.get("held") or []:
            lines.append(
                f"  held: page {table.get('page_number')}, table {table.get('table_title')!r}"
                f" ({table.get('reason')})"
            )
        blocking = [f for f in doc.get("findings", []) if f.get("severity") == "block"]
        for finding in blocking[:10]:
            lines.append(
                f"  - page {finding.get('page_number')}, table {finding.get('table_title')!r},"
                f" check {finding.get('check')}: {finding.get('detail')}"
            )
        if not blocking:
            lines.append(f"  - {doc.get('detail')}")
        lines.append("")
    counts = [f"{quarantined} document(s) quarantined"] if quarantined else []
    counts += [f"{partial} loaded in part"] if partial else []
    return f"[yusuan] {', '.join(counts)} in {run_id}", "\n".join(lines)


def task_failed_message(context: Mapping[str, Any]) -> tuple[str, str]:
    """Subject and body of a DAG task that failed: which task of which run, the error, and
    where its log is."""
    ti = context.get("ti") or context.get("task_instance")
    task_id = getattr(ti, "task_id", "?")
    map_index = getattr(ti, "map_index", -1)
    task = task_id if map_index in (-1, None) else f"{task_id}[{map_index}]"
    run_id = context.get("run_id") or getattr(ti, "run_id", "?")
    exception = context.get("exception")
    error = f"{type(exception).__name__}: {exception}" if exception else "(no error recorded)"
    lines = [
        f"Task {task} of DAG {getattr(ti, 'dag_id', '?')} failed in run {run_id}"
        f" (try {getattr(ti, 'try_number', '?')}).",
        "",
        error,
    ]
    log_url = getattr(ti, "log_url", None)
    if log_url:
        lines += ["", f"log: {log_url}"]
    return f"[yusuan] task {task} failed in {run_id}", "\n".join(lines)


def task_failed(context: Any) -> None:
    """on_failure_callback of every task of the DAG: the failure, on every channel."""
    send(*task_failed_message(context), context=context)


def send(subject: str, body: str, context: Mapping[str, Any] | None = None) -> bool:
    """Send one alert on every configured channel; True when at least one delivered it.

    `context` is the Airflow task's, when there is one. Failures are logged, never raised.
    """
    channels = notifiers(subject, body)
    if not channels:
        log.info("alert not sent (no alert connection defined): %s", subject)
        return False
    delivered = []
    for name, notifier in channels:
        try:
            notifier.notify(cast("Context", dict(context or {})))  # as is: no templating
        except Exception as exc:  # an outage of a channel must not fail the run
            error = _describe(exc, _connection(name))
            log.error("alert not sent by connection %s (%s): %s", name, error, subject)
            delivered.append(False)
        else:
            log.info("alert sent by connection %s: %s", name, subject)
            delivered.append(True)
    return any(delivered)


def notifiers(
    subject: str, body: str, alerting: Alerting | None = None
) -> list[tuple[str, BaseNotifier]]:
    """The providers' notifiers of this alert, one per channel whose connection is defined,
    each with the connection's id."""
    settings = alerting or Alerting()
    _import_airflow()
    channels: list[tuple[str, BaseNotifier]] = []
    smtp_conn, webhook_conn = settings.alert_smtp_conn, settings.alert_webhook_conn
    if _connection(smtp_conn):
        if settings.alert_to:
            from airflow.providers.smtp.notifications.smtp import SmtpNotifier

            mail = SmtpNotifier(
                to=list(settings.alert_to),
                subject=subject,
                html_content=mail_html(body),
                smtp_conn_id=smtp_conn,
            )
            channels.append((smtp_conn, mail))
        else:
            log.warning("connection %s is defined but YUSUAN_ALERT_TO is not: no email", smtp_conn)
    if _connection(webhook_conn):
        from airflow.providers.slack.notifications.slack_webhook import SlackWebhookNotifier
        from slack_sdk.http_retry.builtin_handlers import (
            ConnectionErrorRetryHandler,
            RateLimitErrorRetryHandler,
            ServerErrorRetryHandler,
        )

        retries = WEBHOOK_TRIES - 1
        chat = SlackWebhookNotifier(
            slack_webhook_conn_id=webhook_conn,
            text=webhook_text(subject, body),
            timeout=WEBHOOK_TIMEOUT_S,
            retry_handlers=[
                ConnectionErrorRetryHandler(max_retry_count=retries),
                RateLimitErrorRetryHandler(max_retry_count=retries),
                ServerErrorRetryHandler(max_retry_count=retries),
            ],
        )
        channels.append((webhook_conn, chat))
    return channels


def _import_airflow() -> None:
    """Import Airflow keeping the process's logging as it is: Airflow, first imported,
    puts its own handler on the root logger, which in `yusuan load` would turn the CLI's
    messages into Airflow's for the rest of the run."""
    if "airflow.sdk" in sys.modules:
        return
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    import airflow.sdk  # noqa: F401

    root.handlers[:] = handlers
    root.setLevel(level)


def _connection(conn_id: str) -> Connection | None:
    """The connection as Airflow resolves it (its variable, or its store in a DAG run);
    None when it is not defined."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        return BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return None


def mail_html(body: str) -> str:
    """The alert's body as the notifier's HTML: verbatim, in a <pre>, so its lines and
    indents stay as written."""
    return f"<pre>{html.escape(body, quote=False)}</pre>"


def webhook_text(subject: str, body: str) -> str:
    """The alert as one chat message: the subject in bold, the body verbatim in a code block.

    A long body is cut at a line break; the email and audit.findings keep all of it.
    """
    body = _slack_escape(body.strip("\n"))
    if len(body) > WEBHOOK_BODY_LIMIT:
        kept = body[:WEBHOOK_BODY_LIMIT].rsplit("\n", 1)[0]
        cut = body[len(kept) :].strip("\n").count("\n") + 1
        body = f"{kept}\n… {cut} more line(s); the email and audit.findings have them all"
    return f"*{_slack_escape(subject)}*\n```\n{body}\n```"


def _slack_escape(text: str) -> str:
    """Slack reads &, < and > as markup; its documented escapes keep them literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _describe(exc: Exception, connection: Connection | None) -> str:
    """The error without the connection's password (a webhook's token or whole URL), which
    an error about a malformed URL would quote."""
    text = f"{type(exc).__name__}: {exc}"
    secret = (connection.password or "").strip() if connection else ""
    return text.replace(secret, "***") if secret else text
