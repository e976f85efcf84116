"""`sagsflow indsatsvifte importer`: CSV and XLSX, checked row by row, all or nothing, again and again."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from service.cli import main
from service.db import make_engine, make_session_factory
from service.demo import seed_people
from service.indsatsvifte.models import Indsats, Leverandoer, Standardkontrakt
from service.journal.models import JournalEntry
from service.uow import UnitOfWork
from tests.indsatsvifte.catalogue_files import (
    INDSATS_HEADERS,
    KONTRAKT_HEADERS,
    LEVERANDOER_HEADERS,
    indsats,
    kontrakt,
    leverandoer,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def db(settings, frozen_clock, monkeypatch):  # noqa: ANN001, ANN201
    """A migrated database with people and no indsatsvifte; the CLI finds it through its setting."""
    monkeypatch.setenv("SAGSFLOW_DATABASE_URL", settings.database_url)
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    with UnitOfWork(factory) as unit:
        seed_people(unit)
        unit.commit()
    yield factory
    engine.dispose()


def _sagsflow(*args: str) -> int:
    return main(["indsatsvifte", "importer", *args])


def _stored(factory) -> dict:  # noqa: ANN001
    with UnitOfWork(factory) as unit:
        s = unit.session
        stored = {"indsatser": {i.kode: i for i in s.scalars(select(Indsats))},
                  "leverandoerer": {p.kode: p for p in s.scalars(select(Leverandoer))},
                  "kontrakter": {(c.indsats_id, c.leverandoer_id): c for c in s.scalars(select(Standardkontrakt))},
                  "journal": s.scalar(select(func.count()).select_from(JournalEntry))}
        s.expunge_all()  # read after the unit of work ends
        return stored


def _files(tmp_path, *, indsatser=None, leverandoerer=None, kontrakter=None):  # noqa: ANN001, ANN202
    return [str(write_csv(tmp_path / "indsatser.csv", INDSATS_HEADERS, indsatser or [
                indsats("familiebehandling", "Familiebehandling"),
                indsats("aflastning", "Aflastning", Pris="1.150,00", Prisenhed="døgn")])),
            str(write_csv(tmp_path / "leverandoerer.csv", LEVERANDOER_HEADERS, leverandoerer or [
                leverandoer("familiehuset", "Familiehuset")])),
            str(write_csv(tmp_path / "kontrakter.csv", KONTRAKT_HEADERS, kontrakter or [
                kontrakt("familiebehandling", "familiehuset"),
                kontrakt("aflastning", "familiehuset", Pris="1150", Prisenhed="døgn", **{"Gyldig til": ""})]))]


def test_csv_files_from_danish_excel_load_the_catalogue_and_journal_who_did_it(db, tmp_path, capsys):
    assert _sagsflow(*_files(tmp_path), "--bruger", "procesejer1") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Indsatsviften er indlæst.", "Indsatser: 2 nye, 0 ændrede, 0 uændrede",
        "Leverandører: 1 nye, 0 ændrede, 0 uændrede", "Standardkontrakter: 2 nye, 0 ændrede, 0 uændrede"]
    stored = _stored(db)
    family, respite = stored["indsatser"]["familiebehandling"], stored["indsatser"]["aflastning"]
    assert (respite.pris, respite.prisenhed, respite.revisionsinterval_maaneder) == (Decimal("1150.00"), "døgn", 12)
    assert family.samarbejdspartnere is None and family.aktiv
    house = stored["leverandoerer"]["familiehuset"]
    assert (house.cvr, house.email) == ("12345678", "familiehuset@kommune.example")
    contract = stored["kontrakter"][(family.id, house.id)]
    assert (contract.gyldig_fra, contract.gyldig_til) == (date(2026, 1, 1), date(2027, 12, 31))
    assert stored["kontrakter"][(respite.id, house.id)].gyldig_til is None
    with UnitOfWork(db) as unit:
        lines = [(e.case_id, e.actor_id, e.title) for e in unit.session.scalars(
            select(JournalEntry).order_by(JournalEntry.id))]
    assert len(lines) == 5
    assert {(case, actor) for case, actor, _ in lines} == {(None, _user_id(db, "procesejer1"))}
    assert lines[0][2] == "Indsatsen «Familiebehandling» er oprettet i indsatsviften"


def _user_id(factory, username: str) -> int:  # noqa: ANN001
    from service.access.models import User
    with UnitOfWork(factory) as unit:
        return unit.session.scalar(select(User.id).where(User.username == username))


def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_is_updated(db, tmp_path, capsys):
    files = _files(tmp_path)
    assert _sagsflow(*files, "--bruger", "procesejer1") == 0
    before = _stored(db)
    capsys.readouterr()
    assert _sagsflow(*files, "--bruger", "procesejer1") == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "Indsatser: 0 nye, 0 ændrede, 2 uændrede", "Leverandører: 0 nye, 0 ændrede, 1 uændrede",
        "Standardkontrakter: 0 nye, 0 ændrede, 2 uændrede"]
    assert _stored(db)["journal"] == before["journal"]
    changed = _files(tmp_path, indsatser=[indsats("familiebehandling", "Familiebehandling", Pris="700,00"),
                                          indsats("aflastning", "Aflastning", Pris="1.150,00", Prisenhed="døgn",
                                                  Aktiv="nej")])
    assert _sagsflow(changed[0], "--bruger", "procesejer1") == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["Indsatser: 0 nye, 2 ændrede, 0 uændrede"]
    after = _stored(db)
    assert after["indsatser"]["familiebehandling"].pris == Decimal("700.00")
    assert not after["indsatser"]["aflastning"].aktiv  # deactivated, never deleted
    assert after["journal"] == before["journal"] + 2
    blank = write_csv(tmp_path / "blank.csv", INDSATS_HEADERS, [indsats("aflastning", "Aflastning", Pris="1.150,00",
                                                                        Prisenhed="døgn", Aktiv="")])
    assert _sagsflow(str(blank), "--bruger", "procesejer1") == 0
    assert _stored(db)["indsatser"]["aflastning"].aktiv  # an empty «Aktiv» is ja again, as the runbook says


def test_a_workbook_with_three_sheets_loads_like_the_csv_files(db, tmp_path, capsys):
    book = write_xlsx(tmp_path / "indsatsvifte.xlsx", {
        "Indsatser": (INDSATS_HEADERS, [list(indsats("kontaktperson", "Fast kontaktperson",
                                                     Pris=520.0, **{"Revisionsinterval (måneder)": 12}).values())]),
        "Leverandører": (LEVERANDOER_HEADERS, [list(leverandoer("ungekontakten", "Ungekontakten", CVR="").values())]),
        "Standardkontrakter": (KONTRAKT_HEADERS, [list(kontrakt(
            "kontaktperson", "ungekontakten", Pris=520, **{"Gyldig fra": datetime(2026, 2, 1),
                                                           "Gyldig til": None}).values())]),
    })
    assert _sagsflow(str(book), "--bruger", "procesejer1") == 0
    stored = _stored(db)
    contact = stored["indsatser"]["kontaktperson"]
    assert (contact.pris, contact.revisionsinterval_maaneder) == (Decimal("520.00"), 12)
    assert stored["leverandoerer"]["ungekontakten"].cvr is None
    contract = next(iter(stored["kontrakter"].values()))
    assert (contract.gyldig_fra, contract.gyldig_til, contract.pris) == (date(2026, 2, 1), None, Decimal("520.00"))
    capsys.readouterr()
    assert _sagsflow(str(book), "--bruger", "procesejer1") == 0
    assert "Standardkontrakter: 0 nye, 0 ændrede, 1 uændrede" in capsys.readouterr().out


def test_a_trial_checks_every_row_and_saves_nothing(db, tmp_path, capsys):
    assert _sagsflow(*_files(tmp_path), "--bruger", "procesejer1", "--proev") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["Prøve: intet er gemt. Sådan ville indlæsningen gå:", "Indsatser: 2 nye, 0 ændrede, 0 uændrede"]
    stored = _stored(db)
    assert (stored["indsatser"], stored["leverandoerer"], stored["kontrakter"], stored["journal"]) == ({}, {}, {}, 0)


def test_every_bad_row_and_column_is_reported_in_danish_and_nothing_is_written(db, tmp_path, capsys):
    files = _files(
        tmp_path,
        indsatser=[indsats("familiebehandling", "Familiebehandling"),
                   indsats("familiebehandling", "Familiebehandling igen"),
                   indsats("Forkert Kode", "Ny", Pris="gratis", Formål="", **{"Revisionsinterval (måneder)": "et år"}),
                   indsats("kursus", "Kursus", Prisenhed="")],
        kontrakter=[kontrakt("familiebehandling", "ukendt"),
                    kontrakt("familiebehandling", "familiehuset", **{"Gyldig til": "31-12-2025"}),
                    kontrakt("familiebehandling", "familiehuset", **{"Gyldig fra": "32-13-2026"})])
    for trial in ([], ["--proev"]):
        assert _sagsflow(*files, "--bruger", "procesejer1", *trial) == 1
        err = capsys.readouterr().err.splitlines()
        assert err[0] == "Fejl: Indsatsviften er ikke indlæst: 9 fejl. Intet er ændret."
        assert sorted(err[1:]) == sorted([
            "  indsatser.csv, række 3, kolonne «Kode»: «familiebehandling» står også i række 2.",
            "  indsatser.csv, række 4, kolonne «Kode»: Skal være 2–40 tegn: små bogstaver a–z, tal, _ eller - "
            "(fx «familiebehandling»).",
            "  indsatser.csv, række 4, kolonne «Formål»: Feltet skal udfyldes.",
            "  indsatser.csv, række 4, kolonne «Revisionsinterval (måneder)»: Skal være et helt tal.",
            "  indsatser.csv, række 4, kolonne «Pris»: Skal være et beløb i kroner, fx 650.00.",
            "  indsatser.csv, række 5, kolonne «Prisenhed»: Angiv både pris og prisenhed, eller ingen af dem.",
            "  kontrakter.csv, række 2, kolonne «Leverandør»: Der er ingen leverandør med koden «ukendt» i filen "
            "eller i indsatsviften.",
            "  kontrakter.csv, række 3, kolonne «Gyldig til»: Slutdatoen kan ikke ligge før startdatoen.",
            "  kontrakter.csv, række 4, kolonne «Gyldig fra»: Skal være en dato (ÅÅÅÅ-MM-DD).",
        ])
    stored = _stored(db)
    assert (stored["indsatser"], stored["leverandoerer"], stored["kontrakter"], stored["journal"]) == ({}, {}, {}, 0)


def test_columns_are_checked_before_rows(db, tmp_path, capsys):
    path = write_csv(tmp_path / "leverandoerer.csv", ["Kode", "Navn", "Type", "Hjemmeside"],
                     [{"Kode": "x1", "Navn": "X", "Type": "kommunal"}])
    odd = write_csv(tmp_path / "noget.csv", ["A", "B"], [{"A": "1"}])
    assert _sagsflow(str(path), "--bruger", "procesejer1") == 1
    assert "  leverandoerer.csv, række 1, kolonne «Hjemmeside»: Ukendt kolonne. Kolonnerne er: Kode, Navn, Type, " \
           "CVR, Adresse, Kontaktperson, Telefon, E-mail, Aktiv." in capsys.readouterr().err
    assert _sagsflow(str(odd), "--bruger", "procesejer1") == 1
    assert "Kan ikke se, om filen er indsatser, leverandører eller standardkontrakter" in capsys.readouterr().err
    no_name = write_csv(tmp_path / "l2.csv", ["Kode", "Type"], [{"Kode": "x1", "Type": "kommunal"}])
    assert _sagsflow(str(no_name), "--bruger", "procesejer1") == 1
    assert "  l2.csv, række 1, kolonne «Navn»: Kolonnen mangler." in capsys.readouterr().err


def test_a_later_file_with_an_error_keeps_the_earlier_files_out_too(db, tmp_path, capsys):
    files = _files(tmp_path, kontrakter=[kontrakt("familiebehandling", "familiehuset", Prisenhed="stk")])
    assert _sagsflow(*files, "--bruger", "procesejer1") == 1
    assert "kolonne «Prisenhed»: Skal være en af: time, døgn, uge, måned, forløb." in capsys.readouterr().err
    assert _stored(db)["indsatser"] == {}


def test_a_name_already_used_by_another_code_is_refused(db, tmp_path, capsys):
    assert _sagsflow(_files(tmp_path)[0], "--bruger", "procesejer1") == 0
    other = write_csv(tmp_path / "mere.csv", INDSATS_HEADERS, [indsats("familieterapi", "Familiebehandling")])
    assert _sagsflow(str(other), "--bruger", "procesejer1") == 1
    assert "mere.csv, række 2, kolonne «Navn»: Navnet bruges allerede af «familiebehandling»." in \
        capsys.readouterr().err


@pytest.mark.parametrize(("user", "message"), [
    ("raadgiver1", "Fejl: Kun procesejere og administratorer kan ændre indsatsviften."),
    ("findes_ikke", "  --bruger: Der er ingen aktiv bruger «findes_ikke» (en procesejer eller administrator)."),
])
def test_only_a_process_owner_or_admin_may_import(db, tmp_path, capsys, user, message):
    assert _sagsflow(*_files(tmp_path), "--bruger", user) == 1
    assert message in capsys.readouterr().err.splitlines()
    assert _stored(db)["indsatser"] == {}


def test_the_runbook_documents_every_column_and_which_must_be_filled_in():
    from service.config import ROOT
    from service.indsatsvifte.importer import KINDS
    runbook = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        section = runbook.split(f"**{kind.label}**", 1)[1].split("\n\n", 2)[1]  # the table after the heading
        for header, name in kind.columns.items():
            required = kind.schema.fields[name].required
            assert f"`{header}`" in section, (kind.label, header)
            assert (f"`{header}` *" in section) == required, (kind.label, header, required)
