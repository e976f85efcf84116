"""The small service functions the web pages need: caseload, task deadlines, task history, CPR reveal."""

from __future__ import annotations

from sqlalchemy import select

from service.access.models import User
from service.cases import service as cases
from service.deadlines import service as deadlines
from service.deadlines.firing import fire_due
from service.engine import instances
from service.inbox import caseload
from service.inbox import service as inbox
from service.inbox.models import DONE, OPEN
from service.journal import service as journal
from service.uow import UnitOfWork
from tests.support import complete, open_task, receive


def _user(unit: UnitOfWork, username: str) -> User:
    return unit.session.scalar(select(User).where(User.username == username))


def _rows(load: caseload.TeamCaseload) -> dict[str, tuple[int, int]]:
    return {r.user.username: (r.cases, r.open_tasks) for r in load.rows}


def test_caseload_counts_a_case_for_whoever_holds_or_last_did_its_caseworker_task(api, uow) -> None:  # noqa: ANN001
    worked = receive(api)["case_id"]
    complete(api, worked, "vurdering_24t")  # raadgiver1 did a task: the case is hers
    held = receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    api.post(f"/api/tasks/{open_task(api, held, 'vurdering_24t')['id']}/claim", "raadgiver2")
    receive(api, cpr="150316-4323", barnets_navn="Clara Nielsen")  # nobody has touched it
    team_id = _user(uow, "raadgiver1").team_id

    load = caseload.team_caseload(uow, team_id)

    assert _rows(load) == {"raadgiver1": (1, 0), "raadgiver2": (1, 1)}
    assert load.unassigned == 1


def test_task_deadlines_keep_a_breached_deadline_on_the_still_open_task(api, app, uow, frozen_clock) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    team_id = _user(uow, "raadgiver1").team_id
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    before = deadlines.task_deadlines(uow, team_id=team_id, case_id=case_id)
    assert before[task_id].deadline_id == "vurdering_24t"

    frozen_clock.advance(hours=25)
    fire_due(app.extensions["sagsflow"]["session_factory"])
    uow.session.expire_all()

    after = deadlines.task_deadlines(uow, team_id=team_id, case_id=case_id)
    assert after[task_id].due_at == before[task_id].due_at
    assert after[task_id].due_at < frozen_clock.now()
    assert deadlines.open_deadlines(uow, team_id=team_id, case_id=case_id) == []  # fired: no longer "open"
    assert [t.id for t in deadlines.pending_deadlines(uow, team_id=team_id, case_id=case_id)] == [after[task_id].id]
    complete(api, case_id, "vurdering_24t")
    assert task_id not in deadlines.task_deadlines(uow, team_id=team_id, case_id=case_id)


def test_task_history_and_instances_of_a_case(api, uow) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    complete(api, case_id, "vurdering_24t")
    history = {(t.bpmn_id, t.status) for t in inbox.tasks_for_case(uow, case_id)}
    assert ("vurdering_24t", DONE) in history
    assert ("faglig_vurdering", OPEN) in history
    assert len(instances.for_case(uow, case_id)) == 1


def test_revealing_the_cpr_number_is_journalled(api, uow) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    shown = cases.reveal_cpr(uow, _user(uow, "raadgiver1"), case_id)
    uow.commit()
    assert shown == "010120-4321"
    assert [e.action for e in journal.for_case(uow, case_id)][-1] == "cpr_vist"
