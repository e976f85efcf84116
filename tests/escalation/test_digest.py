"""E-mail per the user's choice: at once, one digest a day at 07.00 Danish time, or never; no CPR, no child's name."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from email import message_from_string, policy

from sqlalchemy import select, update

from service.access.models import User
from service.deadlines.calendar import COPENHAGEN
from service.deadlines.firing import fire_due
from service.demo_payloads import UNDERRETNING
from service.notifications import digest
from service.notifications.email import deliver_pending
from tests.escalation.test_email import smtp_server  # noqa: F401 - the real SMTP server on loopback
from tests.support import receive

CPR_SHAPED = re.compile(r"\d{6}-?\d{4}")
ADDRESSES = {"raadgiver1": "rikke@kommune.dk", "raadgiver2": "rasmus@kommune.dk", "teamleder1": "tina@kommune.dk",
             "teamleder2": "thomas@kommune.dk", "raadgiver_syd": "sofie@kommune.dk"}


def _read(content: str) -> str:
    """Subject and body as the recipient reads them (the body travels quoted-printable)."""
    message = message_from_string(content, policy=policy.default)
    return f"Subject: {message['Subject']}\n{message.get_content()}"


def _danish(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=COPENHAGEN)


def test_daily_digest_at_seven_once_per_day_and_the_choice_decides_who_gets_mail(
        api, app, settings, frozen_clock, uow, smtp_server):  # noqa: F811
    port, inbox = smtp_server
    for username, address in ADDRESSES.items():
        uow.session.execute(update(User).where(User.username == username).values(email=address))
    uow.commit()
    for username, choice in (("raadgiver1", "dagligt"), ("teamleder1", "dagligt"), ("teamleder2", "aldrig"),
                             ("raadgiver_syd", "dagligt")):
        assert api.put("/api/mig/indstillinger", username, json={"email_frekvens": choice}).status_code == 200
    factory = app.extensions["sagsflow"]["session_factory"]
    with_smtp = dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=port)

    case = receive(api)  # 2 March, 10.00
    frozen_clock.advance(hours=13)
    fire_due(factory)  # 23.00: the 12-hour warning to Team Nord's caseworkers (and seen by its team leaders)
    assert deliver_pending(factory, with_smtp) == 1  # at once only to Rasmus ("straks", today's behaviour)
    assert [to for to, _ in inbox.messages] == [["rasmus@kommune.dk"]]

    frozen_clock.set(_danish(3, 6, 59))
    assert digest.send_digests(factory) == 0  # not before 07.00
    frozen_clock.set(_danish(3, 7, 0))
    assert digest.send_digests(factory) == 2  # Rikke and Tina; Thomas chose never, Sofie's team had nothing
    assert digest.send_digests(factory) == 0  # once a day, however often the job runs
    assert deliver_pending(factory, with_smtp) == 2
    digests = {to[0]: _read(content) for to, content in inbox.messages[1:]}
    assert set(digests) == {"rikke@kommune.dk", "tina@kommune.dk"}
    for content in digests.values():
        assert "Subject: Sagsflow: 1 besked fra 2. marts" in content
        assert case["sagsnummer"] in content and "Frist nærmer sig" in content
    everything = "".join(_read(content) for _, content in inbox.messages)
    assert not CPR_SHAPED.search(everything.replace(case["sagsnummer"], ""))
    assert UNDERRETNING["barnets_navn"] not in everything and "Alma" not in everything

    frozen_clock.set(_danish(3, 11, 0))
    fire_due(factory)  # the breach, to the team leaders: Tina waits for tomorrow's digest, Thomas gets none
    assert deliver_pending(factory, with_smtp) == 0
    frozen_clock.set(_danish(4, 7, 30))
    assert digest.send_digests(factory) == 1  # only Tina: the breach is not addressed to a caseworker
    assert deliver_pending(factory, with_smtp) == 1
    to, content = inbox.messages[-1][0], _read(inbox.messages[-1][1])
    assert to == ["tina@kommune.dk"] and "Frist overskredet for sag " + case["sagsnummer"] in content
    assert "Frist nærmer sig" not in content  # yesterday's notices only
    assert not any("thomas@kommune.dk" in to for to, _ in inbox.messages)
    days = dict(uow.session.execute(select(User.username, User.email_digest_dag)).all())
    assert days["raadgiver1"] == days["teamleder1"] == days["raadgiver_syd"] == date(2026, 3, 4)
    assert days["teamleder2"] is None and days["raadgiver2"] is None


def test_a_second_worker_finds_the_day_already_claimed(api, app, frozen_clock, uow):
    uow.session.execute(update(User).where(User.username == "raadgiver1").values(
        email="rikke@kommune.dk", email_frekvens="dagligt"))
    uow.commit()
    user_id = uow.session.scalar(select(User.id).where(User.username == "raadgiver1"))
    factory = app.extensions["sagsflow"]["session_factory"]
    receive(api)
    frozen_clock.advance(hours=13)
    fire_due(factory)
    frozen_clock.set(_danish(3, 8, 0))
    # Both workers read the same due list; each claims the user's day in its own transaction: one wins.
    assert digest._digest_for(factory, user_id, date(2026, 3, 3)) == 1
    assert digest._digest_for(factory, user_id, date(2026, 3, 3)) == 0
    assert digest.send_digests(factory) == 0
