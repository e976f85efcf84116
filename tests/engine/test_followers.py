"""Every way an instance moves passes the same followers: one more follower, added in one place, sees intake,
completion and timer firing alike — without touching the domains that call the engine."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service import clock, wiring
from service.deadlines.firing import fire_due
from service.engine import followers
from service.engine.followers import Step
from service.uow import UnitOfWork
from tests.support import complete, receive


@pytest.fixture
def seen() -> list[tuple[str, int | None, list[str]]]:
    """A real extra follower, installed after the wiring's own as a new domain would add one."""
    noted: list[tuple[str, int | None, list[str]]] = []

    def note(uow: UnitOfWork, step: Step) -> None:
        # created_tasks is the inbox follower's note: it ran first, as wiring.py orders it.
        noted.append((step.case.id, step.actor_id, sorted(t.bpmn_id for t in step.created_tasks)))

    wiring.install()
    own = [(name, follower) for name, follower in followers._followers]  # noqa: SLF001 - the installed list
    followers.install([*own, ("test: what each step left", note)])
    yield noted
    wiring.install()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_intake_completion_and_firing_all_run_the_followers_in_order(api, app, seen, frozen_clock) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    assert seen[-1] == (case_id, 1, ["registrering", "vurdering_24t"])

    complete(api, case_id, "registrering")
    assert seen[-1] == (case_id, 1, ["kvittering"])  # the next task the registration opened

    frozen_clock.set(clock.now() + timedelta(hours=25))
    before = len(seen)
    fire_due(app.extensions["sagsflow"]["session_factory"])
    fired = seen[before:]
    assert fired and all(actor is None for _, actor, _ in fired)  # the service itself moved the case
    assert "eskalering_vurdering_24t" in {bpmn for _, _, created in fired for bpmn in created}


def test_a_step_without_followers_is_refused_rather_than_left_unfollowed() -> None:
    followers.install([])
    try:
        with pytest.raises(RuntimeError, match="Ingen efterfølgere"):
            followers.follow(None, instance=None, case=None, result=None, actor_id=None)  # type: ignore[arg-type]
    finally:
        wiring.install()
