"""Demo data for `sagsflow seed-demo`: two teams, the demo users, and cases in different phases."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from service.access import service as access
from service.access.models import User
from service.config import Settings
from service.db import make_engine, make_session_factory
from service.demo_payloads import UNDERRETNING, form
from service.inbox import service as inbox
from service.inbox.models import OPEN, HumanTask
from service.indsatsvifte.demo import seed_catalogue
from service.uow import UnitOfWork

PEOPLE = [
    ("raadgiver1", "Rikke Rådgiver", "raadgiver", "Team Nord"),
    ("raadgiver2", "Rasmus Rådgiver", "raadgiver", "Team Nord"),
    ("teamleder1", "Tina Teamleder", "teamleder", "Team Nord"),
    ("teamleder2", "Thomas Teamleder", "teamleder", "Team Nord"),
    ("procesejer1", "Per Procesejer", "procesejer", None),
    ("raadgiver_syd", "Sofie Syd", "raadgiver", "Team Syd"),
    ("admin1", "Anders Administrator", "admin", None),
    ("afdelingsleder1", "Aase Afdelingsleder", "afdelingsleder", None),
]

# (child, cpr, steps to complete): each ends in a different phase of the case process.
DEMO_CASES = [
    ("Alma Jensen", "010120-4321", []),
    ("Bo Hansen", "020219-4322", ["registrering", "kvittering", "vurdering_24t"]),
    ("Clara Nielsen", "150316-4323", ["registrering", "kvittering", "vurdering_24t", "faglig_vurdering"]),
    ("Dennis Larsen", "230712-4324", ["registrering", "kvittering", "tilbagemelding_underretter",
                                      "vurdering_24t", "faglig_vurdering", "bfu_beslutning", "bfu",
                                      "barnets_plan"]),
    ("Emma Poulsen", "300910-4325", ["registrering", "kvittering", "tilbagemelding_underretter",
                                     "vurdering_24t", "faglig_vurdering", "bfu_beslutning", "bfu",
                                     "barnets_plan", "indstilling", "afgoerelse", "ivaerksaettelse"]),
]

# The parties of two demo cases (the others show a case with none registered: one letter without a recipient).
# Dennis is 13 (the child-friendly letter where there is one); Emma 15, whose father has no custody.
DEMO_PARTIES = {
    "Dennis Larsen": [
        {"rolle": "mor", "navn": "Mette Larsen", "cpr": "110388-4326", "adresse": "Bredegade 12, 4200 Slagelse",
         "telefon": "22 33 44 55"},
        {"rolle": "far", "navn": "Thomas Larsen", "cpr": "050785-4321", "adresse": "Bredegade 12, 4200 Slagelse"}],
    "Emma Poulsen": [
        {"rolle": "mor", "navn": "Sanne Poulsen", "cpr": "220290-4322", "adresse": "Skovvej 4, 4220 Korsør",
         "email": "sanne@example.dk"},
        {"rolle": "far", "navn": "Kim Poulsen", "foraeldremyndighed": False,
         "adresse": "Strandvejen 80, 2900 Hellerup"}],
}

DEMO_PASSWORD = "demo"  # noqa: S105 - demo mode only (seed-demo refuses to run outside it)


@lru_cache(maxsize=4)
def _demo_hash(password: str) -> str:
    """One cheap hash per process for the demo users' published password.

    A slow hash protects a secret; "demo" is printed in the README, so the full scrypt cost (~0.1 s per user, at
    every seeding and every log-in) would buy nothing and was half of every test's set-up. Every real
    user's password (the admin page, `sagsflow bruger`) gets the full cost from access.hash_password.
    """
    return generate_password_hash(password, method="scrypt:1024:8:1")


def seed_people(uow: UnitOfWork, password: str = DEMO_PASSWORD) -> dict[str, User]:
    users = {}
    for username, name, role, team_name in PEOPLE:
        existing = uow.session.scalar(select(User).where(User.username == username))
        if existing is None:
            team = access.ensure_team(uow, team_name) if team_name else None
            existing = User(username=username, full_name=name, role=role, team_id=team.id if team else None,
                            password_hash=_demo_hash(password), active=True)
            uow.session.add(existing)
        users[username] = existing
    uow.session.flush()
    return users


def _complete(uow: UnitOfWork, case_id: str, bpmn_id: str, users: dict[str, User]) -> None:
    task = uow.session.scalar(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.bpmn_id == bpmn_id,
                                                      HumanTask.status == OPEN))
    actor = users["teamleder1"] if task.role == "teamleder" else users["raadgiver1"]
    inbox.complete(uow, actor, task.id, form(bpmn_id))


def seed(settings: Settings) -> list[str]:
    from service.bootstrap import configure_engine
    from service.cases import service as cases
    from service.cases.models import Case
    configure_engine(settings)
    engine = make_engine(settings.database_url)
    lines = []
    with UnitOfWork(make_session_factory(engine)) as uow:
        if uow.session.scalar(select(User.id).where(User.username == "raadgiver1")) is not None:
            return ["Demodata findes allerede."]
        users = seed_people(uow)
        seed_catalogue(uow)  # before the cases: iværksættelse picks a measure and provider from it
        for child, cpr, steps in DEMO_CASES:
            received = cases.receive_underretning(
                uow, users["raadgiver1"], {**UNDERRETNING, "barnets_navn": child, "cpr": cpr,
                                           "parter": DEMO_PARTIES.get(child, [])})
            for step in steps:
                _complete(uow, received.case.id, step, users)
            case = uow.session.get(Case, received.case.id)
            lines.append(f"Sag {case.sagsnummer}: {child} – {case.phase}")
        uow.commit()
    from service.letters.pdf_jobs import render_pending
    factory = make_session_factory(engine)
    while render_pending(factory):  # the demo's letters with their PDFs ready, as the job would make them
        pass
    engine.dispose()
    return ["Demo-brugere: raadgiver1, raadgiver2, teamleder1, teamleder2, procesejer1 (adgangskode: demo)",
            "Indsatsvifte: demo-indsatser, -leverandører og standardkontrakter", *lines]
