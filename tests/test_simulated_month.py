"""The short version of the year in a day (bench/simulate_year.py, issue 23): a month of a team's underretninger
worked through the API with some tasks late on purpose, the clock moved hour by hour and the timers fired; every
deadline, escalation and management-information count must equal the simulator's own ground truth."""

from __future__ import annotations

from bench import simulate_year


def test_a_simulated_month_equals_the_ground_truth_case_by_case(capsys):
    assert simulate_year.main(["--days", "35", "--per-day", "4", "--late-share", "0.2", "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    assert "lig sandheden" in printed
    late = {line.split()[0]: int(line.split()[4]) for line in printed.splitlines() if "overskredet" in line}
    assert late["vurdering_24t"] > 0 and late["kvittering"] > 0  # the run did put breaches to the test


def test_the_ground_truth_counts_the_law_its_own_way():
    from datetime import datetime
    from zoneinfo import ZoneInfo
    cph = ZoneInfo("Europe/Copenhagen")
    t0 = datetime(2026, 3, 31, 15, 0, tzinfo=cph)  # before Easter: Skærtorsdag to 2. påskedag are off
    assert simulate_year.law_due("kvittering", t0).date().isoformat() == "2026-04-13"
    assert simulate_year.law_due("vurdering_24t", datetime(2026, 3, 28, 12, 0, tzinfo=cph)).hour == 13  # DST
    assert simulate_year.law_due("tilbagemelding_underretter", datetime(2026, 11, 30, 9, tzinfo=cph)).day == 28
