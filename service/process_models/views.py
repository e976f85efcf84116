from __future__ import annotations

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import FileStorage

from service.deadlines import catalogue as deadline_catalogue
from service.errors import FieldError, NotFound, ValidationFailed
from service.process_models import drafts, table_check
from service.process_models import service as process_models
from service.web import current_user, require_role, uow

blp = Blueprint("process_versions", __name__, url_prefix="/api", description="Procesmodeller og versioner")


class VersionSchema(Schema):
    id = fields.Integer()
    process_id = fields.String()
    name = fields.String(data_key="navn")
    version = fields.Integer()
    content_hash = fields.String()
    filename = fields.String(data_key="fil")
    deployed_at = fields.DateTime(data_key="udrullet")


class UploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class DeployedSchema(Schema):
    version = fields.Nested(VersionSchema)
    ny_version = fields.Boolean()


class DeployResultSchema(DeployedSchema):
    versioner = fields.List(fields.Nested(DeployedSchema),
                            metadata={"description": "Alle berørte processer (en DMN-tabel giver nye versioner af "
                                                     "de processer, der bruger den)"})


@blp.route("/process-versions")
class Versions(MethodView):
    @blp.response(200, VersionSchema(many=True))
    def get(self) -> list:
        """Alle udrullede versioner; kørende sager bliver på den version, de startede på."""
        current_user()
        return process_models.list_versions(uow())

    @blp.arguments(UploadSchema, location="files")
    @blp.response(201, DeployResultSchema)
    def post(self, files: dict) -> dict:
        """Udrul en BPMN- eller DMN-fil (procesejer): valideres og gemmes som ny version, hvis den er ændret.

        En BPMN-fil udrulles sammen med de processer og beslutningstabeller, den kalder, som de senest er udrullet
        (filer, der aldrig er udrullet, fra workflows/).
        En DMN-fil giver nye versioner af de processer, der bruger den; nye sager følger den nye tabel,
        kørende sager bliver på deres version."""
        user = require_role("procesejer", "admin")
        unit = uow()
        outcomes = process_models.deploy_upload(unit, **upload_arguments(files["file"]), actor_id=user.id)
        unit.commit()
        deployed = [{"version": o.version, "ny_version": o.created} for o in outcomes]
        return {**deployed[0], "versioner": deployed}


class CheckedSchema(Schema):
    process_id = fields.String()
    name = fields.String(data_key="navn")
    version = fields.Integer(metadata={"description": "Versionen, en udrulning ville give (eller den identiske)"})
    new_version = fields.Boolean(data_key="ny_version")
    changes = fields.List(fields.String(), data_key="aendringer",
                          metadata={"description": "Hvad der ændres i forhold til den nyeste version"})


class CheckResultSchema(Schema):
    gyldig = fields.Boolean()
    processer = fields.List(fields.Nested(CheckedSchema))


@blp.route("/process-versions/validering")
class CheckUpload(MethodView):
    @blp.arguments(UploadSchema, location="files")
    @blp.response(200, CheckResultSchema)
    def post(self, files: dict) -> dict:
        """Validér en BPMN- eller DMN-fil som ved udrulning, uden at udrulle den (procesejer): 200 med de versioner,
        en udrulning ville give, eller 422 med fejlene."""
        require_role("procesejer", "admin")
        checked = process_models.check_upload(uow(), **upload_arguments(files["file"]))
        return {"gyldig": True, "processer": checked}


class TableCheckSchema(Schema):
    gyldig = fields.Boolean()
    beslutninger = fields.List(fields.String(), metadata={"description": "Tabellens beslutninger (id)"})


@blp.route("/process-versions/validering/tabel")
class CheckTable(MethodView):
    @blp.arguments(UploadSchema, location="files")
    @blp.response(200, TableCheckSchema)
    def post(self, files: dict) -> dict:
        """Kontrollér en DMN-fils beslutningstabeller (hver celle som FEEL) med de samme kontroller og beskeder som
        Validér, men uden de processer, der bruger den (procesejer): tabeleditoren spørger, mens der skrives. 200,
        eller 422 med én fejl pr. celle (regel og kolonne; cellens id i `element`)."""
        require_role("procesejer", "admin")
        upload = files["file"]
        filename = upload.filename or ""
        if not filename.endswith(".dmn") or "/" in filename or "\\" in filename:
            raise ValidationFailed("Kun .dmn-filer kan kontrolleres her.",
                                   [FieldError("file", "Filen skal ende på .dmn.")])
        return {"gyldig": True, "beslutninger": sorted(table_check.check_table(filename, upload.read()))}


def upload_arguments(upload: FileStorage) -> dict:
    """An uploaded model file with what its checks need: the other models, the forms and the deadline ids."""
    filename = upload.filename or ""
    if not filename.endswith((".bpmn", ".dmn")) or "/" in filename or "\\" in filename:
        raise ValidationFailed("Kun .bpmn- og .dmn-filer kan udrulles.",
                               [FieldError("file", "Filen skal ende på .bpmn eller .dmn.")])
    settings = current_app.extensions["sagsflow"]["settings"]
    return {"filename": filename, "content": upload.read(), "workflows_dir": settings.workflows_dir,
            "forms_dir": settings.forms_dir, "deadline_ids": frozenset(deadline_catalogue.current().rules)}


@blp.route("/process-versions/<int:version_id>/bpmn")
class VersionXml(MethodView):
    @blp.response(200)
    def get(self, version_id: int) -> Response:
        """Versionens BPMN-XML (til diagrammet)."""
        current_user()
        version = process_models.get(uow(), version_id)
        return Response(version.bpmn_xml, mimetype="application/xml")


@blp.route("/process-versions/<int:version_id>/filer/<string:filename>")
class VersionFile(MethodView):
    @blp.response(200)
    def get(self, version_id: int, filename: str) -> Response:
        """En kaldt BPMN-fil eller DMN-tabel, som versionen blev udrullet med (åbnes i bpmn.io)."""
        current_user()
        version = process_models.get(uow(), version_id)
        content = (version.files or {}).get(filename)
        if content is None:
            raise NotFound("Versionen har ingen fil med det navn.")
        return Response(content, mimetype="application/xml")


class DraftSchema(Schema):
    xml = fields.String(required=True, metadata={"description": "Modellens XML, som den står i editoren"})
    base = fields.String(load_default="", data_key="udgangspunkt", validate=validate.Length(max=100),
                         metadata={"description": "Hvad kladden tog udgangspunkt i, fx «version 3»"})
    saved_at = fields.DateTime(dump_only=True, data_key="gemt")


@blp.route("/modelkladder/<string:filename>")
class Draft(MethodView):
    @blp.response(200, DraftSchema)
    def get(self, filename: str) -> object:
        """Min kladde til filen (procesejer): 404, når der ingen er."""
        return drafts.get(uow(), current_user(), filename)

    @blp.arguments(DraftSchema)
    @blp.response(204)
    def put(self, data: dict, filename: str) -> None:
        """Gem min kladde til filen; den afløser den forrige. Kladden udrulles ikke."""
        unit = uow()
        drafts.save(unit, current_user(), filename, xml=data["xml"], base=data["base"])
        unit.commit()

    @blp.response(204)
    def delete(self, filename: str) -> None:
        """Kassér min kladde til filen (også efter en udrulning)."""
        unit = uow()
        drafts.discard(unit, current_user(), filename)
        unit.commit()
