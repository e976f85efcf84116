"""Instances kept deserialised between steps: used only when they match the stored row exactly, one request at a
time, and only after a commit."""

from __future__ import annotations

from sqlalchemy import select

from service.access.models import User
from service.cases.models import Case
from service.demo_payloads import form
from service.engine import followers, instances, workflow_cache
from service.engine.models import ProcessInstance
from service.inbox import service as inbox
from service.uow import UnitOfWork
from tests.support import complete, open_task, receive


def _instance(app, case_id: str) -> ProcessInstance:  # noqa: ANN001
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        instance = unit.session.scalar(select(ProcessInstance).where(ProcessInstance.case_id == case_id))
        unit.session.expunge(instance)
        return instance


def _key(instance: ProcessInstance) -> tuple[str, int, int]:
    return instance.id, instance.lock_version, instance.process_version_id


def test_the_next_step_starts_from_the_workflow_the_last_step_left(api, app):
    case_id = receive(api)["case_id"]
    complete(api, case_id, "registrering")
    cache = workflow_cache.cache()
    assert _key(_instance(app, case_id)) in cache._items  # put back after the commit, under the row's new version
    hits = cache.hits
    answer = complete(api, case_id, "kvittering")
    assert cache.hits == hits + 1
    assert "kvittering" not in {t["bpmn_id"] for t in answer["naeste_opgaver"]}


def test_a_copy_is_never_used_once_another_process_has_changed_the_instance(api, app):
    case_id = receive(api)["case_id"]
    complete(api, case_id, "registrering")
    stale = _key(_instance(app, case_id))
    assert stale in workflow_cache.cache()._items
    # Another node delivers a new underretning to the case: it has no copy, so it steps from the stored state.
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        instance, version = instances.load_for_update(unit, _instance(app, case_id).id)
        result = instances.send_message(instance, version, "ny_underretning", {
            "id": "u2", "underretter_type": "fagperson", "kanal": "telefon", "overgreb": False,
            "modtaget": "2026-03-02T09:00:00+00:00"})
        assert result is not None
        followers.follow(unit, instance=instance, case=unit.session.get(Case, case_id), result=result,
                         actor_id=None)
        unit.commit()
    assert _key(_instance(app, case_id)) != stale
    # Here the old copy would not know the new assessment task; the step starts from the row, so it stays open.
    answer = complete(api, case_id, "kvittering")
    assert "vurdering_ny_underretning" in {t["bpmn_id"] for t in answer["naeste_opgaver"]}
    assert stale in workflow_cache.cache()._items  # never taken; it ages out of the bounded cache


def test_a_rolled_back_step_leaves_no_copy_and_the_task_can_still_be_completed(api, app):
    case_id = receive(api)["case_id"]
    before = _key(_instance(app, case_id))
    assert before in workflow_cache.cache()._items  # the intake's own workflow
    task = open_task(api, case_id, "registrering")
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        user = unit.session.scalar(select(User).where(User.username == "raadgiver1"))
        inbox.complete(unit, user, task["id"], form("registrering"))
        unit.rollback()
    assert before not in workflow_cache.cache()._items  # it was taken by the step, and the step was undone
    assert _key(_instance(app, case_id)) == before
    answer = complete(api, case_id, "registrering")
    assert "registrering" not in {t["bpmn_id"] for t in answer["naeste_opgaver"]}


def test_a_copy_goes_to_one_request_at_a_time_and_the_cache_is_bounded():
    cache = workflow_cache.WorkflowCache(2)
    first = object()
    cache.put(("a", 1, 1), first)
    assert cache.take(("a", 1, 1)) is first
    assert cache.take(("a", 1, 1)) is None  # the second request restores its own
    for n in range(3):
        cache.put((f"i{n}", 1, 1), object())
    assert len(cache) == 2 and ("i0", 1, 1) not in cache._items  # least recently used out
    off = workflow_cache.WorkflowCache(0)
    off.put(("a", 1, 1), first)
    assert len(off) == 0


def test_next_tasks_in_the_answer_are_the_cases_open_tasks(api, app):
    case_id = receive(api)["case_id"]
    for bpmn_id in ("registrering", "kvittering", "tilbagemelding_underretter", "vurdering_24t"):
        answer = complete(api, case_id, bpmn_id)
        with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
            stored = [t.id for t in inbox.open_tasks_for_case(unit, case_id)]
        assert sorted(t["id"] for t in answer["naeste_opgaver"]) == sorted(stored)
