"""Aktindsigt (forvaltningsloven §§ 9 ff.): for one case, a PDF bundle of what the case holds: the journal's events,
the journal notes, the letters' text and the list of documents, for a party who asked for it.

Who the requester is: a party to the case (a parent with custody, the child itself, a representative). The team
leader may give the party's CPR number; every CPR number in the bundle is masked (xxxxxx-xxxx) except that one, so
the party sees its own number and nobody else's (the child's included, unless the child is the requester). Without a
CPR number every number is masked.

Only the team leader of the case's team produces it (a decision on aktindsigt is hers); archived cases too. Producing
it is journalled on the case (who, for whom, what it held; never a CPR number). Reads (`laest`) are not events of the
case and are left out: a citizen's indsigt in who read the case is service/indsigt/.

Made in the request: a large case (1,000 journal events, 100 notes, 10 letters: 218 pages) renders in about a second
(service/aktindsigt/pdf.py breaks the lines itself), an ordinary one in a fraction of that, so the team leader gets
the file at once instead of an «under udarbejdelse» state to come back to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from service import clock
from service.access import service as access
from service.access.models import User
from service.aktindsigt import pdf
from service.cases import cpr as cprs
from service.cases.models import Case
from service.dokumenter import service as dokumenter
from service.engine import instances
from service.errors import FieldError, Forbidden, ValidationFailed
from service.journal import service as journal
from service.letters.models import Brev
from service.letters.pdf import visible_text
from service.notater import service as notater
from service.process_models import service as process_models
from service.uow import UnitOfWork

ACTION = "aktindsigt_udleveret"
MASKED = "xxxxxx-xxxx"
_CPR_SHAPED = re.compile(r"(?<!\d)(\d{6})[-\s]?(\d{4})(?!\d)")


def masker(text: str, keep: str | None) -> str:
    """Every CPR-shaped number masked, except `keep` (the requesting party's own, normalised)."""
    def one(match: re.Match[str]) -> str:
        return match.group(0) if keep and match.group(1) + match.group(2) == keep else MASKED
    return _CPR_SHAPED.sub(one, text)


@dataclass(frozen=True)
class Bundle:
    filename: str
    pdf: bytes


def may_give(user: User, case: Case) -> bool:
    return user.role == "teamleder" and access.may_see_case(user, case.team_id)


def _requester(data: dict[str, Any]) -> tuple[str | None, str]:
    raw = (data.get("part_cpr") or "").strip()
    try:
        part_cpr = cprs.normalise(raw) if raw else None
    except cprs.InvalidCpr as err:
        raise ValidationFailed("Aktindsigten kan ikke dannes.", [FieldError("part_cpr", str(err))]) from err
    return part_cpr, " ".join((data.get("part_navn") or "").split())


def produce(uow: UnitOfWork, actor: User, case_id: str, data: dict[str, Any]) -> Bundle:
    from service.cases.service import readable_case  # cases → inbox → case_documents → letters: import at use
    from service.webapp import timeline
    case = readable_case(uow, actor, case_id)
    if not may_give(actor, case):
        raise Forbidden("Kun teamlederen for sagens team kan give aktindsigt.")
    part_cpr, part_navn = _requester(data)
    entries = journal.for_case(uow, case.id)
    notes = notater.for_case(uow, case.id)
    letters = list(uow.session.scalars(select(Brev).where(Brev.case_id == case.id)
                                       .order_by(Brev.dato, Brev.created_at)))
    documents = dokumenter.of_case(uow, case.id)
    people = access.users_by_id(uow, {e.actor_id for e in entries if e.actor_id} | {n.created_by for n in notes}
                                | {d.created_by for d in documents})
    names = {user_id: user.full_name for user_id, user in people.items()}
    process = next(iter(instances.for_case(uow, case.id)), None)
    version = process_models.get(uow, process.process_version_id) if process else None
    events = list(reversed(timeline.events(entries, version=version, names=names, with_reads=False,
                                           files={d.id: d.filnavn for d in documents})))  # oldest first

    def m(text: object) -> str:
        return masker(str(text), part_cpr)

    content = pdf.Content(
        title=f"Aktindsigt i sag {case.sagsnummer}",
        header=[("Sag", case.sagsnummer), ("Barn", m(f"{case.child_name}, CPR {case.cpr[:6]}-{case.cpr[6:]}")),
                ("Udleveret til", m(part_navn or "Part (navn ikke angivet)")
                 + (f", CPR {part_cpr[:6]}-{part_cpr[6:]}" if part_cpr else "")),
                ("Dannet", f"{pdf.local(clock.now())} af {actor.full_name}")],
        events=[(e.at, e.label, m(e.title), e.actor, [(label, m(value)) for label, value in e.details])
                for e in events],
        notes=[(f"{n.type_navn} {n.dato:%d.%m.%Y}" + (" (rettelse)" if n.retter_id else ""),
                f"Skrevet {pdf.local(n.created_at)} af {names.get(n.created_by, '')}", m(n.tekst))
               for n in sorted(notes, key=lambda n: (n.dato, n.created_at))],
        letters=[(m(b.title), f"{b.dato:%d.%m.%Y}", m(visible_text(b.html))) for b in letters],
        documents=[(m(d.filnavn), pdf.local(d.created_at), names.get(d.created_by, ""), d.indholdstype,
                    dokumenter.megabytes(d.stoerrelse)) for d in reversed(documents)])
    bundle = pdf.render(content, created=clock.now())
    journal.record(uow, case_id=case.id, actor_id=actor.id, action=ACTION,
                   title=f"Aktindsigt udleveret{' til ' + part_navn if part_navn else ''}"[:300],
                   data={"part_cpr_angivet": part_cpr is not None, "haendelser": len(events), "notater": len(notes),
                         "breve": len(letters), "dokumenter": len(documents)})
    return Bundle(f"aktindsigt-{case.sagsnummer}.pdf", bundle)
