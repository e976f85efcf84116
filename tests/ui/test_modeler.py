"""The process owner in the browser: find the case process, edit it in the modeler, see validation fail and pass,
get the draft back after a reload, and deploy a new version."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from service.engine.models import ProcessVersion
from service.process_models.models import ModelDraft
from service.uow import UnitOfWork
from tests.ui.conftest import LiveApp, check_page, log_in

TIMER = "Frist overskredet: 24-timers vurdering af underretning"
TIMER_VALUE = "#bio-properties-panel-timerEventDefinitionValue"
NAME = "#bio-properties-panel-name"


def _select(page: Any, name: str) -> None:
    """As a user finds an element in a large model: the search (Ctrl+F), then Enter selects and shows it."""
    page.locator("#laerred .djs-container svg").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+f")
    page.keyboard.type(name)
    page.locator(".djs-search-result").first.wait_for()
    page.keyboard.press("Enter")
    page.locator(".bio-properties-panel-header-label").filter(has_text=name).wait_for()


def _open_group(page: Any, group: str) -> None:
    header = page.locator(f'[data-group-id="group-{group}"] .bio-properties-panel-group-header')
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def _versions(live_app: LiveApp) -> list[int]:
    with UnitOfWork(live_app.session_factory()) as unit:
        return list(unit.session.scalars(select(ProcessVersion.version).where(
            ProcessVersion.process_id == "sagsbehandling").order_by(ProcessVersion.version)))


def _drafts(live_app: LiveApp) -> list[str]:
    with UnitOfWork(live_app.session_factory()) as unit:
        return list(unit.session.scalars(select(ModelDraft.filename)))


def test_process_owner_edits_validates_and_deploys_a_new_version(page: Any, live_app: LiveApp) -> None:
    log_in(page, "procesejer1", landing="modeller")
    check_page(page, "procesmodeller")
    page.get_by_role("link", name="Børnesag – sagsbehandling").click()
    page.wait_for_selector("#diagram svg")
    check_page(page, "procesmodel")
    page.get_by_role("link", name="Redigér nyeste version").click()
    page.wait_for_selector('#modeller[data-klar="1"]')
    check_page(page, "modeller")
    start_event = page.locator('.djs-palette [data-action="create.start-event"]')
    expect(start_event).to_have_attribute("aria-label", "Opret startbegivenhed")  # the modeler speaks Danish

    _select(page, "Afslutning af sagen")
    _open_group(page, "general")
    page.locator(NAME).fill("Afslut sagen")
    page.get_by_text("Kladden er gemt kl.").wait_for()
    _select(page, TIMER)
    _open_group(page, "timer")
    expect(page.locator(TIMER_VALUE)).to_have_value(re.compile(r'frist\("vurdering_24t"'))  # the group is drawn
    original = page.locator(TIMER_VALUE).input_value()
    picker = page.locator("#bio-properties-panel-sagsflowFrist")  # the deadline, picked from the catalogue
    _open_group(page, "sagsflow-frist")
    expect(picker).to_have_value("vurdering_24t")
    check_page(page, "modeller-frist")
    picker.select_option("kvittering")
    expect(page.locator(TIMER_VALUE)).to_have_value(original.replace("vurdering_24t", "kvittering"))  # re-rendered
    picker.select_option("vurdering_24t")
    expect(page.locator(TIMER_VALUE)).to_have_value(original)
    page.locator(TIMER_VALUE).fill(original.replace("vurdering_24t", "findes_ikke"))
    page.get_by_role("button", name="Validér").click()
    page.get_by_text("Fristen 'findes_ikke' findes ikke i frister.toml.").wait_for()
    assert _versions(live_app) == [1]

    assert _drafts(live_app) == ["sagsbehandling.bpmn"]  # on the server: another PC would offer it too
    page.reload()  # e.g. the tab was closed: the draft is offered back
    page.wait_for_selector('#modeller[data-klar="1"]')
    page.get_by_role("button", name="Gendan kladde").click()
    _select(page, TIMER)
    _open_group(page, "timer")
    page.locator(TIMER_VALUE).fill(original)
    _select(page, "Afslut sagen")
    _open_group(page, "general")
    expect(page.locator(NAME)).to_have_value("Afslut sagen")  # the name change came back with the draft

    page.get_by_role("button", name="Validér").click()
    page.get_by_text("Modellen er gyldig og kan udrulles.").wait_for()
    result = page.locator("#resultat")
    expect(result).to_contain_text(
        "Børnesag – sagsbehandling: bliver version 2. Ændringer i forhold til den nyeste version:")
    expect(result).to_contain_text(
        "Brugeropgave «Afslut sagen» (afslutning) ændret: navn «Afslutning af sagen» → «Afslut sagen»")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Udrul som ny version").click()
    page.get_by_text("Modellen er udrullet.").wait_for()
    assert _versions(live_app) == [1, 2]
    assert _drafts(live_app) == []  # deployed: the draft is gone
    page.get_by_role("link", name="Til procesmodellens versioner").click()
    # the diagram is drawn after the page has loaded: wait for the label, not just for the canvas
    expect(page.locator("#diagram").get_by_text("Afslut sagen")).to_have_count(1)
    expect(page.get_by_role("heading", name="Ændringer fra version 1 til 2")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Per Procesejer")).to_have_count(1)


def _newest(live_app: LiveApp, process_id: str) -> tuple[int, dict]:
    """The newest version's number and the files it was deployed with."""
    with UnitOfWork(live_app.session_factory()) as unit:
        newest = unit.session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                                      .order_by(ProcessVersion.version.desc())).first()
        return newest.version, newest.files


def test_process_owner_changes_a_row_of_the_kompetenceplan(page: Any, live_app: LiveApp) -> None:
    before = {p: _newest(live_app, p)[0] for p in ("sagsbehandling", "visitation")}
    log_in(page, "procesejer1", landing="modeller")
    page.get_by_role("link", name="Fristkatalog").click()
    page.get_by_role("heading", name="Fristkatalog").wait_for()
    check_page(page, "fristkatalog")
    page.get_by_role("link", name="Procesmodeller").first.click()
    page.get_by_role("link", name="Redigér kompetenceplan.dmn").click()
    page.wait_for_selector('#modeller[data-klar="1"]')
    check_page(page, "beslutningstabel")
    expect(page.get_by_text("Hitpolitik:")).to_be_visible()  # every view gets the Danish texts
    cell = page.locator('td[data-element-id="kompetenceplan_regel_1_out_1"]')  # the rule's number, for the journal
    expect(cell).to_have_text("1")
    cell.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("1 +")  # not an expression
    page.get_by_text("Kladden er gemt kl.").wait_for()
    page.get_by_role("button", name="Validér").click()
    page.get_by_text("Beslutningstabellen kan ikke udrulles.").wait_for()
    expect(page.locator("#resultat")).to_contain_text("Regel 1, kolonnen «Regel»: Ikke gyldig FEEL")

    cell.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("101")
    page.get_by_role("button", name="Validér").click()
    page.get_by_text("Modellen er gyldig og kan udrulles.").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Udrul som ny version").click()
    page.get_by_text("Modellen er udrullet.").wait_for()
    for process_id, version in before.items():
        newest, files = _newest(live_app, process_id)
        assert newest == version + 1
        assert "<text>101</text>" in files["kompetenceplan.dmn"]
