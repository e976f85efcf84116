"""A caseworker's and a team leader's day in the browser: Danish pages, no JSON, keyboard and axe clean."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from service.access.models import User
from service.cases import service as cases
from service.deadlines.firing import fire_due
from service.demo_payloads import UNDERRETNING, form
from service.uow import UnitOfWork
from tests.ui.conftest import LiveApp, check_page, fill_form, log_in, log_out


def _row(page: Any, child: str, task: str) -> Any:
    return page.locator("tr", has_text=child).filter(has=page.get_by_role("link", name=task, exact=True))


def _open_task(page: Any, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def _complete(page: Any, name: str, data: dict[str, Any]) -> None:
    _open_task(page, name)
    fill_form(page, data)
    page.get_by_role("button", name="Udfør opgaven").click()
    page.wait_for_url("**/indbakke")
    expect(page.get_by_role("status").first).to_contain_text(f"«{name}» er udført")


def test_caseworker_registers_assesses_and_follows_the_case_to_a_decision(page: Any) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/log-ind"))
    check_page(page, "log-ind")
    log_in(page, "raadgiver1")
    expect(page.locator(".bruger")).to_contain_text("Rikke Rådgiver")
    expect(page.locator(".bruger")).to_contain_text("Rådgiver, Team Nord")

    # Register an underretning at the front desk; a wrong CPR is refused next to its field.
    page.get_by_role("link", name="Registrér underretning").click()
    check_page(page, "underretning")
    page.get_by_label("Barnets CPR-nummer").fill("311399-1234")
    page.get_by_label("Barnets navn").fill("Noah Berg")
    page.get_by_label("Fagperson").check()
    page.get_by_label("Modtaget via").select_option("telefon")
    page.get_by_label("Hvad er underretningen om?").fill("Skolen ringer: Noah har blå mærker og vil ikke hjem.")
    page.get_by_role("button", name="Registrér underretningen").click()
    expect(page.locator("#f-cpr-fejl")).to_contain_text("gyldig fødselsdato")
    page.get_by_label("Barnets CPR-nummer").fill("030315-1234")
    page.get_by_role("button", name="Registrér underretningen").click()
    expect(page.get_by_role("status").first).to_contain_text("Underretningen er registreret på sag")
    expect(page.get_by_role("heading", level=1)).to_have_text("Noah Berg")
    expect(page.locator("#cpr")).to_have_text("030315-xxxx")
    expect(page.locator(".diagram .sf-active").first).to_be_visible()
    check_page(page, "sag-ny")

    # The CPR number is shown on request, and the journal says so.
    page.get_by_role("button", name="Vis CPR-nummer").click()
    expect(page.locator("#cpr")).to_have_text("030315-1234")
    page.get_by_role("link", name="Vis også læsninger af sagen").click()
    expect(page.locator(".tidslinje")).to_contain_text("CPR-nummeret er vist")

    # The 24-hour assessment: the deadline is shown; without a reason the server's message sits by the field.
    page.get_by_role("link", name="Indbakke").first.click()
    row = _row(page, "Noah Berg", "24-timers vurdering")
    expect(row).to_contain_text("24 timer tilbage")
    row.get_by_role("button", name=re.compile("Tag opgaven")).click()  # taking it opens it
    expect(page.get_by_role("status").first).to_contain_text("Du har taget opgaven")
    expect(page.get_by_role("heading", level=1)).to_have_text("24-timers vurdering")
    page.get_by_role("group", name=re.compile("Barnet er i akut fare")).get_by_label("Nej").check()
    page.get_by_label("Videre til screening og faglig vurdering").check()
    page.get_by_role("button", name="Udfør opgaven").click()
    expect(page.locator("#f-begrundelse-fejl")).to_have_text("«Faglig begrundelse» skal udfyldes.")
    expect(page.locator(".fejlopsummering")).to_be_focused()  # the keyboard starts at what is wrong
    expect(page.get_by_label(re.compile("Faglig begrundelse"))).to_have_attribute("aria-invalid", "true")
    check_page(page, "opgave-fejl")

    # A draft is kept without completing the task.
    reason = "Ingen akut fare; skolen følger barnet tæt."
    page.get_by_label(re.compile("Faglig begrundelse")).fill(reason)
    page.get_by_role("button", name="Gem kladde").click()
    expect(page.get_by_role("status").first).to_contain_text("Kladden er gemt")
    expect(page.get_by_label(re.compile("Faglig begrundelse"))).to_have_value(reason)
    page.get_by_role("button", name="Udfør opgaven").click()
    page.wait_for_url("**/indbakke")
    expect(page.get_by_role("status").first).to_contain_text("«24-timers vurdering» er udført for Noah Berg")
    check_page(page, "indbakke-raadgiver")

    # On to the decision: screening, the decision to investigate, the investigation, the child's plan and the
    # indstilling to visitation.
    _complete(page, "Screening og faglig vurdering", form("faglig_vurdering"))
    _complete(page, "Afgørelse om børnefaglig undersøgelse (§ 20)", form("bfu_beslutning"))
    _complete(page, "Børnefaglig undersøgelse (§ 20)", form("bfu"))
    _complete(page, "Barnets plan", form("barnets_plan"))
    _complete(page, "Indstilling til visitation", form("visitation_indstilling"))
    log_out(page)

    log_in(page, "teamleder1")
    page.get_by_label("Opgavetype").select_option("Afgørelse")
    page.get_by_role("button", name="Filtrér").click()
    expect(page.locator("section[aria-labelledby=opgaver-titel]")).to_contain_text("Noah Berg")
    page.locator("tr", has_text="Noah Berg").get_by_role("link", name="Afgørelse").click()
    check_page(page, "opgave")
    fill_form(page, form("afgoerelse"))
    page.get_by_role("button", name="Udfør opgaven").click()
    expect(page.get_by_role("status").first).to_contain_text("«Afgørelse» er udført for Noah Berg")
    expect(page.get_by_role("status").first).to_contain_text(re.compile(r"Næste: .*Iværksættelse"))

    page.goto("/indbakke")
    page.get_by_role("link", name="Noah Berg").first.click()
    expect(page.locator(".fakta")).to_contain_text("Indsats")  # the phase the model gives Iværksættelse
    timeline = page.locator(".tidslinje")
    expect(timeline).to_contain_text("«Afgørelse» udført")
    expect(timeline).to_contain_text("Klagevejledning er givet")  # Danish field titles, not field names
    expect(timeline).not_to_contain_text("klagevejledning_givet")
    expect(page.locator(".diagram .sf-done").first).to_be_visible()
    check_page(page, "sag")


def _receive(live: LiveApp, name: str, cpr: str) -> str:
    with UnitOfWork(live.session_factory()) as unit:
        user = unit.session.query(User).filter_by(username="raadgiver1").one()
        received = cases.receive_underretning(unit, user, {**UNDERRETNING, "barnets_navn": name, "cpr": cpr})
        unit.commit()
        return received.case.sagsnummer


def test_team_leader_sees_caseload_and_an_escalation(page: Any, live_app: LiveApp) -> None:
    sagsnummer = _receive(live_app, "Ida Holm", "120518-2468")
    live_app.clock.advance(hours=25)  # the 24-hour assessment is now overdue
    fire_due(live_app.session_factory())

    # Keyboard only: the log-in form has focus, Enter sends it, the first Tab offers the skip link.
    page.goto("/log-ind")
    expect(page.get_by_label("Brugernavn")).to_be_focused()
    page.keyboard.type("teamleder1")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/indbakke")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Gå til indhold")).to_be_focused()
    expect(page.locator(".bruger")).to_contain_text("Teamleder, Team Nord")
    escalations = page.locator("section", has_text="Eskalationer til dig")
    expect(escalations).to_contain_text("Ida Holm")
    expect(escalations).to_contain_text("Frist overskredet")
    expect(page.locator("ul.notitser")).to_contain_text(f"Frist overskredet for sag {sagsnummer}")
    caseload = page.locator("table.sagsstamme")
    expect(caseload.locator("tr", has_text="Rikke Rådgiver")).to_be_visible()
    expect(caseload.locator("tr", has_text="Ikke fordelt")).to_be_visible()
    check_page(page, "indbakke-teamleder")

    escalations.get_by_role("link", name=re.compile("Frist overskredet")).first.click()
    page.get_by_role("radio", name="Omfordel til en anden rådgiver").check()
    page.get_by_label("Ny rådgiver").select_option(label="Rasmus Rådgiver")
    page.get_by_role("button", name="Udfør opgaven").click()
    page.wait_for_url("**/indbakke")
    expect(page.locator("section", has_text="Eskalationer til dig")).not_to_contain_text("Ida Holm")
    expect(page.locator("table.sagsstamme tr", has_text="Rasmus Rådgiver")).to_contain_text("1")

    page.get_by_role("link", name="Udvalg", exact=True).click()
    expect(page.locator("h1")).to_have_text("Udvalg")
    check_page(page, "udvalg")

    page.get_by_role("link", name="Ledelsesinformation", exact=True).click()
    row = page.locator("tr", has_text="24-timers vurdering af underretning").first  # the deadlines' table
    expect(row).to_contain_text("ikke nået")  # Ida Holm's assessment came too late: below the 100 % target
    expect(page.locator("tr", has_text="Børnesamtale afholdt").first).to_contain_text("100 %")  # the target
    page.get_by_role("button", name="Udtræk månedens sager").click()
    expect(page.locator("main")).to_contain_text("udtrukket til ledelsestilsyn")
    expect(page.locator("#tilsyn tbody tr").first).to_contain_text("Rådgiver")  # one case per caseworker
    check_page(page, "ledelsesinformation")
    page.get_by_role("link", name="Økonomi", exact=True).click()  # the yearly review against the budget
    expect(page.locator("h1")).to_contain_text("forbrug mod budget")
    check_page(page, "oekonomi")

    page.get_by_role("link", name="Sager", exact=True).click()
    check_page(page, "sager")
    page.get_by_role("link", name="Ida Holm").click()
    expect(page.locator(".tidslinje")).to_contain_text("omfordelt til Rasmus Rådgiver")
    expect(page.locator(".diagram .sf-overdue").first).to_be_visible()


def test_a_long_form_is_saved_as_a_draft_while_it_is_written(page: Any, live_app: LiveApp) -> None:
    _receive(live_app, "Ella Lund", "150619-2462")
    log_in(page, "raadgiver1")
    page.locator("tr", has_text="Ella Lund").get_by_role("link", name="24-timers vurdering").click()
    reason = "Skrevet i et langt stræk; ingen har trykket på en knap."
    page.get_by_label(re.compile("Faglig begrundelse")).fill(reason)
    page.keyboard.press("Tab")  # leaving the field saves it shortly after
    expect(page.locator("[data-autosave-status]")).to_contain_text("Kladden er gemt automatisk")
    page.reload()
    expect(page.get_by_label(re.compile("Faglig begrundelse"))).to_have_value(reason)
    expect(page.get_by_role("status").first).to_contain_text("Formularen viser din gemte kladde")
