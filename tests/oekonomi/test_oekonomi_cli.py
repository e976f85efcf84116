"""`sagsflow oekonomi budget|betalinger FIL`: all lines or none, errors per line in Danish."""

from __future__ import annotations

from service.cli import main


def _run(api, monkeypatch, tmp_path, kind: str, text: str, *extra: str) -> int:  # noqa: ANN001
    monkeypatch.setenv("SAGSFLOW_DATABASE_URL", api.app.extensions["sagsflow"]["settings"].database_url)
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(text.encode("cp1252"))  # Danish Excel's «CSV (semikolonsepareret)»
    return main(["oekonomi", kind, str(path), "--bruger", "admin1", *extra])


def _budgets(api) -> list:  # noqa: ANN001
    return [(r["team"], r["indsats"], r["budget_oere"]) for r in
            api.get("/api/ledelsesinformation/oekonomi?aar=2027", "afdelingsleder1").get_json()["linjer"]]


def test_budgets_and_payments_from_a_file_are_all_or_none_and_a_budget_run_again_changes_them(
        api, monkeypatch, tmp_path, capsys):
    good = "År;Team;Indsats;Budget\n2027;Team Nord;familiebehandling;1.250.000,00\n2027;Team Syd;aflastning;400000\n"
    assert _run(api, monkeypatch, tmp_path, "budget", good + "2027;Team Vest;aflastning;12,5x\n") == 1
    err = capsys.readouterr().err
    assert "linje 4, kolonne «Team»: Teamet «Team Vest» findes ikke." in err
    assert "linje 4, kolonne «Budget»: «12,5x» er ikke et beløb i kroner (skriv fx 1.234,50)." in err
    assert _budgets(api) == []
    assert _run(api, monkeypatch, tmp_path, "budget", good, "--proev") == 0
    assert _budgets(api) == []
    assert _run(api, monkeypatch, tmp_path, "budget", good) == 0
    assert "2 budgetter sat." in capsys.readouterr().out
    assert _run(api, monkeypatch, tmp_path, "budget", good.replace("400000", "450.000,00")) == 0
    assert _budgets(api) == [("Team Nord", "Familiebehandling", 125000000),
                             ("Team Syd", "Aflastning i plejefamilie", 45000000)]
    # Payments go the same way (the file itself is tested through the upload, tests/oekonomi/test_oekonomi_api.py)
    text = "Betalings-id;Sagsnummer;Kontrakt;Betalingsdato;Beløb\nF-1;2026-999999;k-1;01-02-2027;100,00\n"
    assert _run(api, monkeypatch, tmp_path, "betalinger", text) == 1
    assert "linje 2, kolonne «Sagsnummer»: Sag «2026-999999» findes ikke." in capsys.readouterr().err
