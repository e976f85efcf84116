"""`sagsflow bruger …` and `sagsflow team …` against the test database, as an IT department would run them."""

from __future__ import annotations

import getpass
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from service.access.models import User
from service.brugere.models import UserChange
from service.cli import main
from service.db import make_engine, make_session_factory
from service.uow import UnitOfWork


@pytest.fixture
def sagsflow(database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    monkeypatch.setenv("SAGSFLOW_DATABASE_URL", database_url)

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _users(database_url: str) -> dict[str, User]:
    engine = make_engine(database_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        found = {u.username: u for u in uow.session.scalars(select(User))}
        uow.session.expunge_all()
    engine.dispose()
    return found


def _log(database_url: str) -> list[tuple[str, str, str]]:
    engine = make_engine(database_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        rows = [(c.actor, c.action, c.summary) for c in uow.session.scalars(select(UserChange).order_by(UserChange.id))]
    engine.dispose()
    return rows


def test_the_first_administrator_on_an_empty_database(tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'ny' / 'sagsflow.db'}"  # not even created yet
    monkeypatch.setenv("SAGSFLOW_DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO("en meget hemmelig kode\n"))
    code = main(["bruger", "opret", "it-admin", "--navn", "IT Administrator", "--rolle", "admin",
                 "--adgangskode-fra-stdin"])
    out = capsys.readouterr().out
    assert code == 0 and out == "Oprettet: it-admin             IT Administrator (Administrator)\n"
    admin = _users(url)["it-admin"]
    assert admin.role == "admin" and admin.active
    assert check_password_hash(admin.password_hash, "en meget hemmelig kode")
    assert _log(url) == [(f"cli:{getpass.getuser()}", "bruger_oprettet",
                          "it-admin (IT Administrator) oprettet som administrator")]


def test_a_password_is_never_an_argument_and_a_prompt_needs_a_terminal(sagsflow, database_url) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as refused:
        sagsflow("bruger", "opret", "a1", "--navn", "A", "--rolle", "admin", "--adgangskode", "hemmelig-kode-123")
    assert refused.value.code == 2
    code, _, err = sagsflow("bruger", "opret", "a1", "--navn", "A", "--rolle", "admin")
    assert code == 2 and "brug --adgangskode-fra-stdin eller --generer-adgangskode" in err
    code, _, err = sagsflow("bruger", "opret", "a1", "--navn", "A", "--rolle", "admin", "--adgangskode-fra-stdin",
                            stdin="kort\n")
    assert code == 1 and "  adgangskode: Adgangskoden skal være mindst 12 tegn." in err
    assert _users(database_url) == {}


def test_teams_and_users_from_the_command_line(sagsflow, database_url) -> None:  # noqa: ANN001
    assert sagsflow("team", "opret", "Team Nord")[:2] == (0, "Oprettet: Team Nord\n")
    assert sagsflow("team", "opret", "Team Syd")[0] == 0
    code, out, _ = sagsflow("bruger", "opret", "rikke", "--navn", "Rikke Rådgiver", "--rolle", "raadgiver",
                            "--team", "Team Nord", "--email", "rr@kommune.dk", "--generer-adgangskode")
    assert code == 0 and out.startswith("Oprettet: rikke")
    one_time = out.split("Midlertidig adgangskode (vises kun nu): ")[1].strip()
    assert len(one_time) >= 12
    code, _, err = sagsflow("bruger", "opret", "tom", "--navn", "Tom", "--rolle", "teamleder", "--generer-adgangskode")
    assert code == 1 and "  --team: En teamleder skal høre til et team. Vælg teamet." in err
    assert sagsflow("bruger", "flyt", "rikke", "--team", "Team Syd")[1] == (
        "Flyttet: rikke                Rikke Rådgiver (Rådgiver, Team Syd)\n")
    assert sagsflow("bruger", "ret", "rikke", "--navn", "Rikke Rask", "--email", "")[0] == 0
    reset = sagsflow("bruger", "nulstil-adgangskode", "rikke", "--adgangskode-fra-stdin",
                     stdin="korrekt hest batteri\n")
    assert reset[1] == "Ny adgangskode sat for rikke; brugeren er logget ud overalt.\n"
    assert sagsflow("bruger", "deaktiver", "rikke")[0] == 0
    assert sagsflow("team", "omdoeb", "Team Nord", "Team Nordvest")[1] == "Omdøbt: Team Nord → Team Nordvest\n"
    assert sagsflow("team", "nedlaeg", "Team Nordvest")[1] == "Nedlagt: Team Nordvest\n"
    assert sagsflow("bruger", "liste")[1] == "rikke                Rikke Rask (Rådgiver, Team Syd) – deaktiveret\n"
    assert sagsflow("team", "liste")[1] == ("Team Syd                       0 aktive brugere, 0 åbne sager\n"
                                            "Team Nordvest                  0 aktive brugere, 0 åbne sager – nedlagt\n")
    code, _, err = sagsflow("bruger", "aktiver", "ukendt")
    assert code == 1 and "Brugeren «ukendt» findes ikke." in err
    rikke = _users(database_url)["rikke"]
    assert rikke.email is None and rikke.full_name == "Rikke Rask" and not rikke.active
    actions = [a for _, a, _ in _log(database_url)]
    assert actions == ["team_oprettet", "team_oprettet", "bruger_oprettet", "bruger_flyttet", "bruger_rettet",
                       "adgangskode_nulstillet", "bruger_deaktiveret", "team_omdoebt", "team_nedlagt"]
    assert {actor for actor, _, _ in _log(database_url)} == {f"cli:{getpass.getuser()}"}
    assert "korrekt hest" not in str(_log(database_url)) and one_time not in str(_log(database_url))
