"""The process owner's editors at work: the modeler's search button, the model clear of the palette, a redrawn
model deployed without a new version, and the table editor marking a cell that is not FEEL while it is typed."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from service.engine.models import ProcessVersion
from service.uow import UnitOfWork
from tests.ui.conftest import LiveApp, check_page, log_in

# The diagram (all its shapes) lies right of the palette and inside the canvas; both boxes in page pixels.
_CLEAR_OF_PALETTE = """() => {
  const palette = document.querySelector("#laerred .djs-palette")?.getBoundingClientRect();
  const diagram = document.querySelector("#laerred .viewport")?.getBoundingClientRect();
  const canvas = document.querySelector("#laerred").getBoundingClientRect();
  return palette && diagram && diagram.width > 0 && diagram.left >= palette.right
    && diagram.right <= canvas.right + 1 && diagram.top >= canvas.top - 1 && diagram.bottom <= canvas.bottom + 1;
}"""


def _versions(live_app: LiveApp) -> dict[str, list[int]]:
    with UnitOfWork(live_app.session_factory()) as unit:
        found: dict[str, list[int]] = {}
        for process_id, version in unit.session.execute(select(ProcessVersion.process_id, ProcessVersion.version)
                                                        .order_by(ProcessVersion.version)):
            found.setdefault(process_id, []).append(version)
        return found


def _open_modeler(page: Any) -> None:
    log_in(page, "procesejer1", landing="modeller")
    page.get_by_role("link", name="Børnesag – sagsbehandling").click()
    page.get_by_role("link", name="Redigér nyeste version").click()
    page.wait_for_selector('#modeller[data-klar="1"]')


def test_modeler_search_button_palette_and_a_redrawn_model_without_new_version(page: Any, live_app: LiveApp) -> None:
    before = _versions(live_app)
    _open_modeler(page)
    page.wait_for_function(_CLEAR_OF_PALETTE)  # the palette covers no element of the model
    page.get_by_role("button", name="Zoom ind").click()
    page.get_by_role("button", name="Vis hele modellen").click()
    page.wait_for_function(_CLEAR_OF_PALETTE)

    page.get_by_role("button", name="Søg element (Ctrl+F)").click()
    search = page.locator("#laerred .djs-search-container")
    expect(search).to_have_class(re.compile(r"\bopen\b"))
    expect(search.locator("input")).to_be_focused()
    page.keyboard.type("Afslutning af sagen")
    expect(search.locator(".djs-search-result").first).to_contain_text("Afslutning af sagen")
    page.keyboard.press("Enter")  # selects it: the search closes
    expect(search).not_to_have_class(re.compile(r"\bopen\b"))
    expect(page.locator(".bio-properties-panel-header-label")).to_have_text("Afslutning af sagen")

    shape = page.locator('#laerred .djs-element.selected[data-element-id="afslutning"]')
    before_move = shape.get_attribute("transform")
    page.keyboard.press("Shift+ArrowDown")  # moves the selected task: only the drawing changes
    expect(shape).not_to_have_attribute("transform", before_move)
    page.get_by_text("Kladden er gemt kl.").wait_for()
    page.get_by_role("button", name="Validér").click()
    expect(page.locator("#resultat")).to_contain_text("Ingen ændringer — en udrulning giver ingen ny version.")
    expect(page.locator("#resultat")).to_contain_text("Børnesag – sagsbehandling: uændret (svarer til version 1).")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Udrul som ny version").click()
    expect(page.locator("#resultat")).to_contain_text("Ingen ændringer — ingen ny version.")
    expect(page.locator("#resultat")).to_contain_text("uændret – version 1 bruges fortsat")
    assert _versions(live_app) == before


def test_table_editor_marks_a_cell_that_is_not_feel_while_it_is_typed(page: Any, live_app: LiveApp) -> None:
    before = _versions(live_app)
    log_in(page, "procesejer1", landing="modeller")
    page.get_by_role("link", name="Redigér kompetenceplan.dmn").click()
    page.wait_for_selector('#modeller[data-klar="1"]')
    problems = page.locator("#celle-fejl")
    expect(problems).to_be_hidden()
    cell = page.locator('td[data-element-id="kompetenceplan_regel_1_out_1"]')
    cell.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("1 +")  # no Validér: the mark comes while typing
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(problems).to_be_visible()
    expect(problems).to_contain_text("Regel 1, kolonnen «Regel»: Ikke gyldig FEEL")
    other = page.locator('td[data-element-id="kompetenceplan_regel_2_in_1"]')
    expect(other).not_to_have_attribute("aria-invalid", "true")
    check_page(page, "beslutningstabel-cellefejl")

    page.get_by_role("button", name="Validér").click()  # Validér says the same, and can show the cell
    expect(page.locator("#resultat")).to_contain_text("Regel 1, kolonnen «Regel»: Ikke gyldig FEEL")
    page.locator("#resultat").get_by_role("button", name="Vis cellen").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("1")
    expect(problems).to_be_hidden()
    expect(cell).not_to_have_attribute("aria-invalid", "true")

    # The wide table scrolls its columns inside its own box; the page itself does not scroll sideways.
    page.wait_for_function("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator(".tjs-table-container").evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    expect(page.locator(".tjs-table th.annotation").first).to_be_in_viewport(ratio=0.9)

    page.get_by_text("Kladden er gemt kl.").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Udrul som ny version").click()  # back as it was: nothing to deploy
    expect(page.locator("#resultat")).to_contain_text("Ingen ændringer — ingen ny version.")
    assert _versions(live_app) == before
