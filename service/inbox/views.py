from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.idempotency.adapters import idempotent
from service.inbox import listing, schemas
from service.inbox import service as inbox
from service.list_schemas import page_body, search_terms
from service.web import current_user, uow

blp = Blueprint("tasks", __name__, url_prefix="/api", description="Indbakke og opgaver")


@blp.route("/tasks")
class Tasks(MethodView):
    @blp.arguments(schemas.TaskListQuerySchema, location="query")
    @blp.response(200, schemas.TaskPageSchema)
    def get(self, args: dict) -> dict:
        """Mine og mit teams åbne opgaver, som min rolle må tage: én side ad gangen, overskredne og nærmeste frist
        først. Søg på navn eller sagsnummer med `q`; et CPR-nummer i adressen afvises (422): brug POST /tasks/soeg.
        """
        page = listing.list_tasks(uow(), current_user(), listing.TaskQuery(**args))
        return page_body(page, "opgaver", [schemas.row_item(r) for r in page.rows])


@blp.route("/tasks/soeg")
class TaskSearch(MethodView):
    @blp.arguments(schemas.TaskSearchSchema)
    @blp.response(200, schemas.TaskPageSchema)
    def post(self, args: dict) -> dict:
        """Som GET /tasks, men med søgningen i kroppen: `q` kan være hele CPR-nummeret (10 cifre, med eller uden
        bindestreg). Nummeret matches mod sagen, vises aldrig i svaret, og søgningen journaliseres på de fundne sager.
        """
        unit = uow()
        page = listing.search_tasks(unit, current_user(), listing.TaskQuery(**{**args, **search_terms(args)}))
        unit.commit()
        return page_body(page, "opgaver", [schemas.row_item(r) for r in page.rows])


@blp.route("/tasks/<string:task_id>")
class TaskDetail(MethodView):
    @blp.response(200, schemas.TaskDetailSchema)
    def get(self, task_id: str) -> dict:
        """En opgave med formularens JSON Schema og en evt. kladde."""
        unit = uow()
        view = inbox.get_task(unit, current_user(), task_id)
        unit.commit()
        return {**schemas.list_item(view.task, view.case), "formular_skema": view.form, "kladde": view.task.draft}


@blp.route("/tasks/<string:task_id>/claim")
class Claim(MethodView):
    @idempotent(blp, 200, schemas.TaskSchema)
    def post(self, task_id: str) -> object:
        """Tag opgaven."""
        return inbox.claim(uow(), current_user(), task_id)


@blp.route("/tasks/<string:task_id>/release")
class Release(MethodView):
    @blp.response(200, schemas.TaskSchema)
    def post(self, task_id: str) -> object:
        """Frigiv opgaven til teamet."""
        unit = uow()
        task = inbox.release(unit, current_user(), task_id)
        unit.commit()
        return task


@blp.route("/tasks/<string:task_id>/draft")
class Draft(MethodView):
    @blp.arguments(schemas.CompleteSchema)
    @blp.response(200, schemas.TaskSchema)
    def put(self, args: dict, task_id: str) -> object:
        """Gem en kladde uden at udføre opgaven."""
        unit = uow()
        task = inbox.save_draft(unit, current_user(), task_id, args["data"])
        unit.commit()
        return task


@blp.route("/tasks/<string:task_id>/complete")
class Complete(MethodView):
    @blp.arguments(schemas.CompleteSchema)
    @idempotent(blp, 200, schemas.CompleteResultSchema)
    def post(self, args: dict, task_id: str) -> dict:
        """Udfør opgaven med formularens data.

        En opgave, som ingen har taget, tages af den, der udfører den (i samme transaktion, og journaliseres).
        422 med feltfejl hvis data er ugyldige; 409 hvis opgaven allerede er udført eller taget af en kollega;
        403 hvis opgaven hører til en anden rolle (fx teamlederens); 404 hvis den ikke findes for dig.
        """
        done = inbox.complete_with_next(uow(), current_user(), task_id, args["data"])
        return {"opgave": done.task, "sag_status": done.case.status, "sag_fase": done.case.phase,
                "naeste_opgaver": done.next_tasks}
