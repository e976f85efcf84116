"""OpenAPI links: where the ids in one answer lead next (the API's real flows, for clients and stateful fuzzing).

One table, read as "after this operation's answer, these requests can follow with these values", added to the
published document's responses by an apispec plugin. The targets are named by operationRef (a JSON pointer into
the document itself), as flask-smorest gives operations no operationId.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin

Link = tuple[str, str, dict[str, Any]]  # target "METHOD /path", parameters, request body (or {})


def _task_steps(task_id: str) -> dict[str, Link]:
    """A task's own steps: read it (its form), claim, save a draft, complete, release."""
    return {
        "Opgaven": ("GET /api/tasks/{task_id}", {"task_id": task_id}, {}),
        "TagOpgaven": ("POST /api/tasks/{task_id}/claim", {"task_id": task_id}, {}),
        "GemKladde": ("PUT /api/tasks/{task_id}/draft", {"task_id": task_id}, {}),
        "Afslut": ("POST /api/tasks/{task_id}/complete", {"task_id": task_id}, {}),
        "Frigiv": ("POST /api/tasks/{task_id}/release", {"task_id": task_id}, {}),
    }


def _case_reads(case_id: str) -> dict[str, Link]:
    """What hangs off a case: its file (with underretninger, open tasks and journal), deadlines, contracts,
    letters, notes, documents, and a complaint."""
    return {
        "Sagen": ("GET /api/cases/{case_id}", {"case_id": case_id}, {}),
        "SagensFrister": ("GET /api/cases/{case_id}/frister", {"case_id": case_id}, {}),
        "SagensKontrakter": ("GET /api/cases/{case_id}/kontrakter", {"case_id": case_id}, {}),
        "SagensBreve": ("GET /api/cases/{case_id}/breve", {"case_id": case_id}, {}),
        "SagensNotater": ("GET /api/cases/{case_id}/notater", {"case_id": case_id}, {}),
        "SkrivNotat": ("POST /api/cases/{case_id}/notater", {"case_id": case_id}, {}),
        "SagensDokumenter": ("GET /api/cases/{case_id}/dokumenter", {"case_id": case_id}, {}),
        "SagensParter": ("GET /api/cases/{case_id}/parter", {"case_id": case_id}, {}),
        "RegistrerPart": ("POST /api/cases/{case_id}/parter", {"case_id": case_id}, {}),
        "Klage": ("POST /api/cases/{case_id}/klager", {"case_id": case_id}, {}),
    }


def _note_steps(case_id: str, notat_id: str) -> dict[str, Link]:
    """A note: read it, change it (its author, within 24 hours), correct it."""
    ids = {"case_id": case_id, "notat_id": notat_id}
    return {
        "Notatet": ("GET /api/cases/{case_id}/notater/{notat_id}", ids, {}),
        "RetNotatet": ("PATCH /api/cases/{case_id}/notater/{notat_id}", ids, {}),
        "Rettelse": ("POST /api/cases/{case_id}/notater/{notat_id}/rettelser", ids, {}),
    }


def _party_steps(case_id: str, part_id: str) -> dict[str, Link]:
    """A party: change or end it, show its CPR number (journalled)."""
    ids = {"case_id": case_id, "part_id": part_id}
    return {
        "RetParten": ("PATCH /api/cases/{case_id}/parter/{part_id}", ids, {}),
        "PartensCpr": ("POST /api/cases/{case_id}/parter/{part_id}/cpr", ids, {}),
    }


def _user_steps(user_id: str) -> dict[str, Link]:
    return {
        "Brugeren": ("GET /api/admin/brugere/{user_id}", {"user_id": user_id}, {}),
        "RetBrugeren": ("PATCH /api/admin/brugere/{user_id}", {"user_id": user_id}, {}),
        "Deaktiver": ("POST /api/admin/brugere/{user_id}/deaktiver", {"user_id": user_id}, {}),
        "Aktiver": ("POST /api/admin/brugere/{user_id}/aktiver", {"user_id": user_id}, {}),
        "NulstilAdgangskode": ("POST /api/admin/brugere/{user_id}/nulstil-adgangskode", {"user_id": user_id}, {}),
    }


def _team_steps(team_id: str) -> dict[str, Link]:
    return {
        "RetTeamet": ("PATCH /api/admin/teams/{team_id}", {"team_id": team_id}, {}),
        "Deaktiver": ("POST /api/admin/teams/{team_id}/deaktiver", {"team_id": team_id}, {}),
        "Aktiver": ("POST /api/admin/teams/{team_id}/aktiver", {"team_id": team_id}, {}),
    }


def _catalogue_item(path: str, id_name: str, item: str) -> dict[str, Link]:
    """A catalogue item (indsats, leverandør, standardkontrakt): read it, and change it."""
    return {
        "Elementet": (f"GET {path}", {id_name: item}, {}),
        "RetElementet": (f"PATCH {path}", {id_name: item}, {}),
    }


FIRST_TASK = "$response.body#/opgaver/0/id"
THIS_TASK = "$request.path.task_id"
THIS_CASE = "$request.path.case_id"

# (source "METHOD /path", status) -> link name -> link
LINKS: dict[tuple[str, str], dict[str, Link]] = {
    # Intake: the case it created or joined (absent when the child's open case belongs to another team).
    ("POST /api/underretninger", "201"): _case_reads("$response.body#/case_id"),
    ("GET /api/cases", "200"): _case_reads("$response.body#/sager/0/id"),
    ("POST /api/cases/soeg", "200"): _case_reads("$response.body#/sager/0/id"),
    # A case's file: its open tasks (aktiviteter) and what its journal says was done on which task.
    ("GET /api/cases/{case_id}", "200"): {
        **{name: link for name, link in _case_reads(THIS_CASE).items() if name != "Sagen"},
        **_task_steps("$response.body#/aktiviteter/0/id"),
        "JournalensOpgave": ("GET /api/tasks/{task_id}", {"task_id": "$response.body#/journal/0/task_id"}, {}),
    },
    ("GET /api/cases/{case_id}/breve", "200"): {
        "Brevet": ("GET /api/breve/{brev_id}", {"brev_id": "$response.body#/0/id"}, {}),
        "BrevetSomPdf": ("GET /api/breve/{brev_id}.pdf", {"brev_id": "$response.body#/0/id"}, {}),
    },
    ("GET /api/cases/{case_id}/notater", "200"): _note_steps(THIS_CASE, "$response.body#/0/id"),
    ("POST /api/cases/{case_id}/notater", "201"): _note_steps(THIS_CASE, "$response.body#/id"),
    ("GET /api/cases/{case_id}/parter", "200"): _party_steps(THIS_CASE, "$response.body#/parter/0/id"),
    ("POST /api/cases/{case_id}/parter", "201"): _party_steps(THIS_CASE, "$response.body#/id"),
    ("GET /api/cases/{case_id}/dokumenter", "200"): {
        "Dokumentet": ("GET /api/dokumenter/{dokument_id}", {"dokument_id": "$response.body#/0/id"}, {}),
    },
    ("POST /api/cases/{case_id}/dokumenter", "201"): {
        "Dokumentet": ("GET /api/dokumenter/{dokument_id}", {"dokument_id": "$response.body#/id"}, {}),
    },
    # The inbox: a task, its case, and its steps.
    ("GET /api/tasks", "200"): {**_task_steps(FIRST_TASK),
                                "Sagen": ("GET /api/cases/{case_id}", {"case_id": "$response.body#/opgaver/0/case_id"},
                                          {})},
    ("POST /api/tasks/soeg", "200"): _task_steps(FIRST_TASK),
    ("GET /api/tasks/{task_id}", "200"): {
        **{name: link for name, link in _task_steps(THIS_TASK).items() if name != "Opgaven"},
        "Sagen": ("GET /api/cases/{case_id}", {"case_id": "$response.body#/case_id"}, {}),
    },
    ("PUT /api/tasks/{task_id}/draft", "200"): {
        "Opgaven": ("GET /api/tasks/{task_id}", {"task_id": "$response.body#/id"}, {}),
        "Afslut": ("POST /api/tasks/{task_id}/complete", {"task_id": "$response.body#/id"}, {}),
    },
    # Completing a task: the process's next tasks, and the case it moved on.
    ("POST /api/tasks/{task_id}/complete", "200"): {
        **_task_steps("$response.body#/naeste_opgaver/0/id"),
        "Sagen": ("GET /api/cases/{case_id}", {"case_id": "$response.body#/opgave/case_id"}, {}),
    },
    ("GET /api/frister", "200"): {
        "Sagen": ("GET /api/cases/{case_id}", {"case_id": "$response.body#/0/case_id"}, {}),
    },
    ("GET /api/notifikationer", "200"): {
        "Laest": ("POST /api/notifikationer/{notification_id}/laest",
                  {"notification_id": "$response.body#/0/id"}, {}),
        "Sagen": ("GET /api/cases/{case_id}", {"case_id": "$response.body#/0/case_id"}, {}),
    },
    # Administration: a user or team just created, then read and changed.
    ("POST /api/admin/brugere", "201"): _user_steps("$response.body#/bruger/id"),
    ("GET /api/admin/brugere", "200"): {
        "Brugeren": ("GET /api/admin/brugere/{user_id}", {"user_id": "$response.body#/0/id"}, {})},
    ("PATCH /api/admin/brugere/{user_id}", "200"): {
        name: link for name, link in _user_steps("$response.body#/id").items() if name != "RetBrugeren"},
    ("POST /api/admin/teams", "201"): _team_steps("$response.body#/id"),
    ("GET /api/auth/spaerrede", "200"): {
        "Ophaev": ("POST /api/auth/spaerrede/{user_id}/ophaev", {"user_id": "$response.body#/0/id"}, {})},
    # The indsatsvifte: measures, providers and their standard contracts.
    ("POST /api/indsatsvifte", "201"): _catalogue_item("/api/indsatsvifte/{indsats_id}", "indsats_id",
                                                       "$response.body#/id"),
    ("GET /api/indsatsvifte", "200"): _catalogue_item("/api/indsatsvifte/{indsats_id}", "indsats_id",
                                                      "$response.body#/0/id"),
    ("POST /api/leverandoerer", "201"): _catalogue_item("/api/leverandoerer/{leverandoer_id}", "leverandoer_id",
                                                        "$response.body#/id"),
    ("GET /api/leverandoerer", "200"): _catalogue_item("/api/leverandoerer/{leverandoer_id}", "leverandoer_id",
                                                       "$response.body#/0/id"),
    ("POST /api/standardkontrakter", "201"): {
        **_catalogue_item("/api/standardkontrakter/{kontrakt_id}", "kontrakt_id", "$response.body#/id"),
        "Indsatsen": ("GET /api/indsatsvifte/{indsats_id}", {"indsats_id": "$response.body#/indsats_id"}, {}),
        "Leverandoeren": ("GET /api/leverandoerer/{leverandoer_id}",
                          {"leverandoer_id": "$response.body#/leverandoer_id"}, {}),
    },
    ("GET /api/standardkontrakter", "200"): _catalogue_item("/api/standardkontrakter/{kontrakt_id}", "kontrakt_id",
                                                            "$response.body#/0/id"),
    # Planning: shifts, saved list views, committee meetings, supervision samples.
    ("POST /api/vagtplan", "201"): {
        "Slet": ("DELETE /api/vagtplan/{shift_id}", {"shift_id": "$response.body#/id"}, {})},
    ("POST /api/visninger", "201"): {
        "Slet": ("DELETE /api/visninger/{visning_id}", {"visning_id": "$response.body#/id"}, {})},
    ("POST /api/udvalgsmoeder", "201"): {
        "Moedet": ("GET /api/udvalgsmoeder/{meeting_id}", {"meeting_id": "$response.body#/id"}, {}),
        "Afhold": ("POST /api/udvalgsmoeder/{meeting_id}/afhold", {"meeting_id": "$response.body#/id"}, {}),
    },
    ("POST /api/ledelsestilsyn", "201"): {
        "Gennemgaa": ("POST /api/ledelsestilsyn/{sample_id}/gennemgang", {"sample_id": "$response.body#/0/id"}, {}),
        "Sagen": ("GET /api/cases/{case_id}", {"case_id": "$response.body#/0/case_id"}, {}),
    },
    ("GET /api/ledelsestilsyn", "200"): {
        "Gennemgaa": ("POST /api/ledelsestilsyn/{sample_id}/gennemgang", {"sample_id": "$response.body#/0/id"}, {}),
    },
    # Process models: a deployed version's diagram; a saved draft read back and deleted.
    ("GET /api/process-versions", "200"): {
        "Diagrammet": ("GET /api/process-versions/{version_id}/bpmn", {"version_id": "$response.body#/0/id"}, {}),
    },
    ("POST /api/process-versions", "201"): {
        "Diagrammet": ("GET /api/process-versions/{version_id}/bpmn",
                       {"version_id": "$response.body#/version/id"}, {}),
    },
    ("PUT /api/modelkladder/{filename}", "204"): {
        "Kladden": ("GET /api/modelkladder/{filename}", {"filename": "$request.path.filename"}, {}),
        "Slet": ("DELETE /api/modelkladder/{filename}", {"filename": "$request.path.filename"}, {}),
    },
}


def operation_ref(target: str) -> str:
    """`GET /api/cases/{case_id}` -> `#/paths/~1api~1cases~1{case_id}/get` (RFC 6901 escaping)."""
    method, path = target.split(" ", 1)
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method.lower()


def link_object(link: Link) -> dict[str, Any]:
    target, parameters, body = link
    document: dict[str, Any] = {"operationRef": operation_ref(target), "parameters": parameters}
    if body:
        document["requestBody"] = body
    return document


class LinksPlugin(BasePlugin):
    """Adds LINKS to the responses they follow, as each path is registered."""

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            for status, response in operation.get("responses", {}).items():
                links = LINKS.get((f"{method.upper()} {path}", str(status)))
                if links:
                    response["links"] = {name: link_object(link) for name, link in links.items()}
