"""Age-based deadlines from the child's CPR: ungeplan after the 16th birthday, ungestøtte before the 18th."""

from __future__ import annotations

from datetime import datetime

import pytest

from service.deadlines.calendar import COPENHAGEN
from service.deadlines.firing import fire_due
from service.demo_payloads import form
from tests.support import complete, open_bpmn_ids, receive, walk_to_running_measure

BORN_2011_01_20 = "200111-4321"  # 15 years old when the case starts on 2 March 2026


@pytest.fixture
def fire(app):  # noqa: ANN001, ANN201
    return lambda: fire_due(app.extensions["sagsflow"]["session_factory"])


def _deadlines(api, case_id: str) -> dict[str, dict]:  # noqa: ANN001
    return {d["frist"]: d for d in api.get(f"/api/cases/{case_id}/frister").get_json()}


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(COPENHAGEN)


def test_the_16th_birthday_opens_the_ungeplan_once_and_the_17th_the_ungestoette_decision(api, frozen_clock, fire):
    cid = receive(api, cpr=BORN_2011_01_20)["case_id"]
    walk_to_running_measure(api, cid)
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="fortsaet"))
    assert "ungeplan" not in open_bpmn_ids(api, cid)

    frozen_clock.set(datetime(2027, 1, 20, 0, 5, tzinfo=COPENHAGEN))
    fire()
    assert "ungeplan" in open_bpmn_ids(api, cid)
    due = _local(_deadlines(api, cid)["ungeplan"]["forfald"])
    assert (due.date().isoformat(), due.hour) == ("2027-04-20", 23)  # 3 months after the birthday, end of day

    # Further follow-up rounds (the looped subprocess runs again) never open a second ungeplan.
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="fortsaet"))
    complete(api, cid, "ungeplan")
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="fortsaet"))
    frozen_clock.set(datetime(2027, 6, 1, 9, tzinfo=COPENHAGEN))
    fire()
    assert "ungeplan" not in open_bpmn_ids(api, cid)
    assert "ungestoette_afgoerelse" not in open_bpmn_ids(api, cid)

    frozen_clock.set(datetime(2028, 1, 20, 0, 5, tzinfo=COPENHAGEN))  # 17 years old
    fire()
    assert "ungestoette_afgoerelse" in open_bpmn_ids(api, cid)
    due = _local(_deadlines(api, cid)["ungestoette_afgoerelse"]["forfald"])
    assert due.date().isoformat() == "2028-07-20"  # 6 months before the 18th birthday
    complete(api, cid, "ungestoette_afgoerelse")
    assert "ungestoette_afgoerelse" not in _deadlines(api, cid)


def test_a_case_closed_before_the_16th_birthday_has_no_ungeplan(api, frozen_clock, fire):
    cid = receive(api, cpr=BORN_2011_01_20)["case_id"]
    walk_to_running_measure(api, cid)
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="afslut"))
    complete(api, cid, "afslutning")
    frozen_clock.set(datetime(2027, 2, 1, 9, tzinfo=COPENHAGEN))
    fire()
    assert open_bpmn_ids(api, cid) == {"registrering"}  # the intake branch is still open; no ungeplan
    assert "ungeplan" not in _deadlines(api, cid)


def test_a_decision_after_the_16th_birthday_counts_the_ungeplan_from_the_decision(api, frozen_clock):
    cid = receive(api, cpr="010110-4321")["case_id"]  # 16 since 1 January 2026
    walk_to_running_measure(api, cid)
    assert form("afgoerelse")["afgoerelsesdato"] == "2026-03-02"  # decided today, 2 months after the birthday
    due = _local(_deadlines(api, cid)["ungeplan"]["forfald"])
    assert due.date().isoformat() == "2026-06-02"  # 3 months after the decision, not after the birthday
