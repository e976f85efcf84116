"""Making the letters when their task is completed, and reading them under the case's access rules.

The completion stores the letter's HTML; its PDF (≈70 ms for an afgørelse) is made after commit by
service/letters/pdf_jobs.py, so the caseworker does not wait for it. Until then the letter is «under
udarbejdelse»: its HTML can be read, its PDF not yet.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select

from service import clock
from service.access.models import User
from service.cases.models import Case
from service.errors import Conflict, NotFound
from service.journal import service as journal
from service.letters import templates
from service.letters.models import Brev
from service.parter import service as parter
from service.uow import UnitOfWork

# The investigation's findings the hearing letter lists (BFU form field → heading).
_FINDINGS = {"konklusion": "Konklusion", "barnets_udvikling": "Barnets udvikling og adfærd",
             "foraeldrekompetencer": "Forældrenes kompetencer", "familie_og_netvaerk": "Familie og netværk"}
_AFGOERELSE_FIELDS = ("udfald", "foranstaltning", "lovgrundlag", "formaal", "forventet_varighed_maaneder", "samtykke",
                      "samtykke_ung_15", "begrundelse", "klagevejledning_givet", "afgoerelsesdato")


def _store(uow: UnitOfWork, *, actor: User, case: Case, task_id: str, kind: str, title: str,
           context: dict[str, Any]) -> list[Brev]:
    """One letter per recipient among the parties (parter.recipients); one without a named recipient on a case
    whose custody holders are not registered."""
    dato = date.fromisoformat(context["dato"])
    return [_store_one(uow, actor=actor, case=case, task_id=task_id, kind=kind, title=title, context=context,
                       modtager=modtager) for modtager in parter.recipients(uow, case, dato) or [None]]


def _store_one(uow: UnitOfWork, *, actor: User, case: Case, task_id: str, kind: str, title: str,
               context: dict[str, Any], modtager: parter.Modtager | None) -> Brev:
    letters = templates.current()
    for_child = modtager is not None and modtager.boernevenlig and kind in letters.child_versions
    context = {**context, "titel": title, "sag": {"sagsnummer": case.sagsnummer, "barnets_navn": case.child_name},
               "afsender": {"navn": actor.full_name}, "klagefrist_uger": templates.KLAGEFRIST_UGER,
               "modtager": None if modtager is None else {"navn": modtager.navn, "adresse": modtager.adresse,
                                                          "barn": modtager.barn_alder is not None}}
    html = letters.render(kind, context, for_child=for_child)
    now = clock.now()
    brev = Brev(id=str(uuid.uuid4()), case_id=case.id, kind=kind, title=title, dato=date.fromisoformat(context["dato"]),
                html=html, pdf=None, pdf_next_attempt_at=now, pdf_attempts=0,  # the PDF: pdf_jobs, after commit
                template_hash=letters.template_hash, task_id=task_id, created_at=now, created_by=actor.id,
                part_id=modtager.part_id if modtager else None, modtager_navn=modtager.navn if modtager else None,
                modtager_adresse=modtager.adresse if modtager else None, boernevenlig=for_child)
    uow.session.add(brev)
    to = f" til {modtager.navn}" + (" (børnevenlig udgave)" if for_child else "") if modtager else ""
    journal.record(uow, case_id=case.id, actor_id=actor.id, action="brev_dannet", title=f"Brev dannet: {title}{to}",
                   task_id=task_id, data={"brev_id": brev.id, "type": kind, "skabelon_hash": letters.template_hash,
                                          **({"part_id": modtager.part_id, "boernevenlig": for_child}
                                             if modtager else {})})
    return brev


def hearing_letter(uow: UnitOfWork, *, actor: User, case: Case, task_id: str, data: dict[str, Any]) -> list[Brev]:
    bfu = journal.latest_form(uow, case.id, "bfu")
    findings = [(heading, bfu[key]) for key, heading in _FINDINGS.items() if bfu.get(key)]
    return _store(uow, actor=actor, case=case, task_id=task_id, kind="partshoering",
                  title=f"Partshøring – {case.child_name}",
                  context={"dato": data["hoeringsbrev_sendt"], "partshoering": data, "oplysninger": findings})


def decision_letter(uow: UnitOfWork, *, actor: User, case: Case, task_id: str,
                    data: dict[str, Any]) -> list[Brev]:
    afgoerelse = {key: data.get(key) for key in _AFGOERELSE_FIELDS}  # every field present: the template may ask
    title = (f"Afgørelse om {data['foranstaltning']}" if data["udfald"] == "bevilget" and data.get("foranstaltning")
             else "Afgørelse: afslag")
    return _store(uow, actor=actor, case=case, task_id=task_id, kind="afgoerelse", title=title,
                  context={"dato": data["afgoerelsesdato"], "afgoerelse": afgoerelse})


_BFU_GRUNDLAG = {"stk_1": "barnets lov § 20, stk. 1", "stk_2": "barnets lov § 20, stk. 2"}
_BFU_FIELDS = ("grundlag", "begrundelse", "samtykke", "uden_samtykke_begrundelse", "klagevejledning_givet",
               "afgoerelsesdato")


def investigation_letter(uow: UnitOfWork, *, actor: User, case: Case, task_id: str,
                         data: dict[str, Any]) -> list[Brev]:
    """The decision to investigate (BL § 20), to each custody holder before the investigation begins."""
    beslutning = {key: data.get(key) for key in _BFU_FIELDS} | {"lovgrundlag": _BFU_GRUNDLAG[data["grundlag"]]}
    return _store(uow, actor=actor, case=case, task_id=task_id, kind="bfu_beslutning",
                  title="Afgørelse om børnefaglig undersøgelse",
                  context={"dato": data["afgoerelsesdato"], "beslutning": beslutning})


def for_case(uow: UnitOfWork, user: User, case_id: str) -> list[Brev]:
    from service.cases.service import readable_case  # cases → inbox → case_documents → here: import at use
    case = readable_case(uow, user, case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest", title="Sagens breve er læst")
    return list(uow.session.scalars(select(Brev).where(Brev.case_id == case.id)
                                    # one task's letters: the custody holders' by name, then the child's (no party row)
                                    .order_by(Brev.dato, Brev.created_at, Brev.part_id.is_(None), Brev.modtager_navn,
                                              Brev.id)))


class PdfUnderUdarbejdelse(Conflict):
    """The letter's PDF is not made yet (seconds after the task was completed): ask again shortly."""

    retry_after = 2  # seconds; the job runs every second


def get(uow: UnitOfWork, user: User, brev_id: str, *, as_pdf: bool) -> Brev:
    from service.cases.service import readable_case
    brev = uow.session.get(Brev, brev_id)
    if brev is None:
        raise NotFound("Brevet findes ikke.")
    try:
        readable_case(uow, user, brev.case_id)
    except NotFound as err:
        raise NotFound("Brevet findes ikke.") from err  # same answer as a missing letter: no existence leak
    if as_pdf and brev.pdf is None:  # not read: nothing to journal
        raise PdfUnderUdarbejdelse("Brevets PDF er under udarbejdelse. Prøv igen om et øjeblik.")
    journal.record(uow, case_id=brev.case_id, actor_id=user.id, action="laest",
                   title=f"Brevet «{brev.title}» er læst" + (" (PDF)" if as_pdf else ""), data={"brev_id": brev.id})
    return brev
