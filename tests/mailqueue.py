"""The real task queue and a real SMTP server, for the tests that need them.

`SmtpServer` is aiosmtpd listening on a free loopback port; it can be down (nothing listens:
connection refused) or up, and keeps every message it received. `run_worker()` runs
django-tasks-db's own `db_worker` until no job is due.
"""

from __future__ import annotations

import email
import email.policy
import io
import signal
import socket
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def body(self) -> str:
        return self.message.get_body(("plain",)).get_content()


@dataclass
class SmtpServer:
    port: int
    messages: list[Received] = field(default_factory=list)
    _controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_worker() -> str:
    """Run every job that is due, then return what the worker printed."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    out = io.StringIO()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out, stderr=out)
    finally:  # the worker takes over Ctrl-C for a graceful stop; give it back to pytest
        for number, handler in handlers.items():
            signal.signal(number, handler)
    return out.getvalue()


def make_due() -> int:
    """Move every waiting job's time to now, as if its retry delay had passed."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
