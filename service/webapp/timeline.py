"""The case journal as a readable timeline: Danish labels for entry kinds and for form fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.engine.models import ProcessVersion
from service.journal.models import JournalEntry
from service.notater.models import TYPES as NOTE_TYPES
from service.process_models import service as process_models
from service.webapp import forms
from service.webapp.format import day, when
from service.webapp.intake import KANAL_LABELS, UNDERRETTER_LABELS

KIND_LABELS = {
    "underretning_modtaget": "Underretning", "proces_startet": "Sagsforløb", "laest": "Læst",
    "cpr_vist": "CPR vist", "opgave_taget": "Opgave taget", "opgave_frigivet": "Opgave frigivet",
    "opgave_udfoert": "Opgave udført", "advis": "Advis", "frist_overskredet": "Frist overskredet",
    "timer": "Tidspunkt", "omfordelt": "Omfordelt", "ny_dato_aftalt": "Ny dato", "klage_modtaget": "Klage",
    "genvurdering_startet": "Genvurdering", "sag_afsluttet": "Sag afsluttet",
    "indsigt_givet": "Indsigt givet", "notat_skrevet": "Notat", "notat_aendret": "Notat ændret",
    "notat_rettelse": "Rettelse til notat", "dokument_tilfoejet": "Dokument",
    "part_registreret": "Part", "part_aendret": "Part ændret", "part_ophoert": "Part ophørt",
    "samtykke_ung": "Den unges samtykke", "brev_dannet": "Brev",
    "ankestyrelsens_afgoerelse": "Ankestyrelsens afgørelse",
}
READS = ("laest", "cpr_vist", "indsigt_givet")


@dataclass(frozen=True)
class Event:
    at: str
    kind: str  # the raw kind, for CSS
    label: str
    title: str
    actor: str
    details: list[tuple[str, str]]


def _details(entry: JournalEntry, version: ProcessVersion | None,
             files: dict[str, str]) -> list[tuple[str, str]]:
    data: dict[str, Any] = entry.data or {}
    if entry.action == "opgave_udfoert" and version is not None and isinstance(data.get("data"), dict):
        # A form that names one of the case's documents (e.g. Ankestyrelsen's ruling) shows its file name, not its id.
        return [(label, files.get(value, value)) for label, value in
                forms.readable(process_models.form_schema(version, data.get("form", "")), data["data"])]
    if entry.action == "underretning_modtaget":
        return [("Underretter", UNDERRETTER_LABELS.get(data.get("underretter_type", ""), "")),
                ("Modtaget via", KANAL_LABELS.get(data.get("kanal", ""), ""))]
    if entry.action in ("notat_skrevet", "notat_aendret", "notat_rettelse"):
        return _note_details(data)
    return []


def _note_details(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The note as it read at that moment; a change also shows what it said before."""
    details = [("Type", NOTE_TYPES.get(data.get("type", ""), "")), ("Dato for hændelsen", day(data.get("dato", ""))),
               ("Notat", data.get("tekst", ""))]
    before = data.get("foer") or {}
    if before and before.get("tekst") != data.get("tekst"):
        details.append(("Stod før", before.get("tekst", "")))
    return details


def events(entries: list[JournalEntry], *, version: ProcessVersion | None, names: dict[int, str],
           with_reads: bool, files: dict[str, str] | None = None) -> list[Event]:
    """Newest first; reads of the case are left out unless asked for. ``files``: the case's document ids → names."""
    shown = [e for e in entries if with_reads or e.action not in READS]
    return [Event(at=when(e.at), kind=e.action, label=KIND_LABELS.get(e.action, "Hændelse"), title=e.title,
                  actor=names.get(e.actor_id, "") if e.actor_id else "Systemet",
                  details=_details(e, version, files or {})) for e in reversed(shown)]
