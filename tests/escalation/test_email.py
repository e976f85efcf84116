"""Breach notices go out by e-mail through a real SMTP server, once, without CPR numbers."""

from __future__ import annotations

import dataclasses
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from service.access.models import User
from service.deadlines.firing import fire_due
from service.notifications.email import deliver_pending
from tests.support import receive


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd's hook name
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp_server():  # noqa: ANN201
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def test_breach_is_mailed_to_the_team_leaders_once(api, app, settings, frozen_clock, uow, smtp_server):
    port, inbox = smtp_server
    uow.session.execute(update(User).where(User.username == "teamleder1").values(email="tina@kommune.dk"))
    uow.session.execute(update(User).where(User.username == "raadgiver1").values(email="rikke@kommune.dk"))
    uow.commit()
    factory = app.extensions["sagsflow"]["session_factory"]
    case = receive(api)
    frozen_clock.advance(hours=13)
    fire_due(factory)  # the 12-hour warning, while the deadline is ahead
    frozen_clock.advance(hours=12)
    fire_due(factory)
    assert deliver_pending(factory, settings) == 0  # no SMTP host configured: nothing is sent
    with_smtp = dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=port)
    assert deliver_pending(factory, with_smtp) == 2  # advis: the team's caseworkers (unclaimed); breach: leaders
    assert deliver_pending(factory, with_smtp) == 0
    by_recipient = {tuple(to): content for to, content in inbox.messages}
    assert set(by_recipient) == {("rikke@kommune.dk",), ("tina@kommune.dk",)}
    breach = by_recipient[("tina@kommune.dk",)]
    assert case["sagsnummer"] in breach and "Frist overskredet" in breach
    assert all("0101204321" not in c and "010120-4321" not in c for c in by_recipient.values())
