"""Walks to the visitation step and readers of its outcome."""

from __future__ import annotations

from typing import Any

from service.demo_payloads import form
from tests.support import ApiClient, complete, open_task


def indstilling(**changes: Any) -> dict[str, Any]:
    return form("visitation_indstilling", **changes)


def walk_to_indstilling(api: ApiClient, cid: str, *, refusal_investigated: bool = False) -> None:
    """BFU done; either barnets plan (measure) or partshøring (refusal) done; indstilling open."""
    complete(api, cid, "registrering")
    complete(api, cid, "kvittering")
    complete(api, cid, "tilbagemelding_underretter")
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering")
    if refusal_investigated:
        complete(api, cid, "bfu", form("bfu", indstilling="afslag"))
        complete(api, cid, "partshoering")
        complete(api, cid, "partshoering_svar")
    else:
        complete(api, cid, "bfu")
        complete(api, cid, "barnets_plan")


def competence_rules(api: ApiClient, cid: str) -> list[int]:
    journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
    return [e["data"]["resultat"]["kompetence_regel"] for e in journal
            if e["handling"] == "delproces_beslutning" and "kompetence_regel" in (e["data"]["resultat"] or {})]


def task_for(api: ApiClient, cid: str, bpmn_id: str, user: str = "teamleder1") -> dict[str, Any]:
    return open_task(api, cid, bpmn_id, user)
