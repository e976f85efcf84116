"""The inbox's status for polling pages, and the caller's own notification settings."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from service.notifications import preferences, status
from service.notifications.email import FREQUENCIES
from service.web import current_user, uow

blp = Blueprint("notifikationer", __name__, url_prefix="/api", description="Indbakkens status og mine indstillinger")


class InboxStatusSchema(Schema):
    opgaver = fields.Integer(metadata={"description": "Indbakkens tal: mine og teamets ledige åbne opgaver"})
    nyeste_opgave = fields.DateTime(allow_none=True, metadata={"description": "Hvornår den nyeste af dem kom"})
    beskeder = fields.Integer(metadata={"description": "Ulæste beskeder (advis, overskredne frister, omfordelinger)"})
    nyeste_besked = fields.Integer(allow_none=True, metadata={"description": "Id på den nyeste ulæste besked"})


class SettingsSchema(Schema):
    email_frekvens = fields.String(required=True, validate=validate.OneOf(tuple(FREQUENCIES)), metadata={
        "description": "Beskeder på e-mail: straks (én pr. besked), dagligt (samlet kl. 7) eller aldrig"})


@blp.route("/indbakke/status")
class InboxStatus(MethodView):
    @blp.response(200, InboxStatusSchema)
    def get(self) -> status.InboxStatus:
        """Antal åbne opgaver og ulæste beskeder og de nyeste af dem: siderne spørger hvert halve minut.

        Billigt (to optællinger) og skriver intet, så det holder ikke en inaktiv log-ind-session i live.
        Svaret gemmes ikke (Cache-Control: no-store)."""
        return status.of(uow(), current_user())


@blp.route("/mig/indstillinger")
class MySettings(MethodView):
    @blp.response(200, SettingsSchema)
    def get(self) -> object:
        """Mine indstillinger."""
        return current_user()

    @blp.arguments(SettingsSchema)
    @blp.response(200, SettingsSchema)
    def put(self, args: dict) -> object:
        """Skift mine indstillinger (kun mine egne)."""
        unit = uow()
        user = preferences.set_frequency(unit, current_user(), args["email_frekvens"])
        unit.commit()
        return user
