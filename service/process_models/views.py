from __future__ import annotations

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from service.errors import FieldError, ValidationFailed
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


class DeployResultSchema(Schema):
    version = fields.Nested(VersionSchema)
    ny_version = fields.Boolean()


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
        """Udrul en BPMN-fil (procesejer): valideres og gemmes som ny version, hvis den er ændret."""
        user = require_role("procesejer", "admin")
        upload = files["file"]
        filename = upload.filename or ""
        if not filename.endswith(".bpmn"):
            raise ValidationFailed("Kun .bpmn-filer kan udrulles.", [FieldError("file", "Filen skal ende på .bpmn.")])
        unit = uow()
        settings = current_app.extensions["sagsflow"]["settings"]
        outcome = process_models.deploy_file(unit, filename=filename, xml=upload.read(),
                                             forms_dir=settings.forms_dir, actor_id=user.id,
                                             deadline_ids=frozenset(current_app.extensions["sagsflow"]["catalogue"].rules))
        unit.commit()
        return {"version": outcome.version, "ny_version": outcome.created}


@blp.route("/process-versions/<int:version_id>/bpmn")
class VersionXml(MethodView):
    @blp.response(200)
    def get(self, version_id: int) -> Response:
        """Versionens BPMN-XML (til diagrammet)."""
        current_user()
        version = process_models.get(uow(), version_id)
        return Response(version.bpmn_xml, mimetype="application/xml")
