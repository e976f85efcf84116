"""The administrators' API: users and teams as read, created and changed (field names as on the web page)."""

from __future__ import annotations

from marshmallow import Schema, fields

from service.access.models import ROLES

ROLE_HELP = "En af: " + ", ".join(ROLES) + ". Rådgivere og teamledere skal have et team."
NEW_SECRET_HELP = "Mindst 12 tegn. Udelades den, vælger Sagsflow en midlertidig og returnerer den én gang."  # noqa: S105


class TeamRefSchema(Schema):
    id = fields.Integer()
    navn = fields.String()


class AdminUserSchema(Schema):
    id = fields.Integer()
    brugernavn = fields.String(attribute="username")
    navn = fields.String(attribute="full_name")
    email = fields.String(allow_none=True)
    rolle = fields.String(attribute="role")
    team = fields.Nested(TeamRefSchema, allow_none=True)
    aktiv = fields.Boolean(attribute="active")


class UserListQuerySchema(Schema):
    q = fields.String(load_default=None, metadata={"description": "Søg i brugernavn, navn og e-mail"})
    rolle = fields.String(load_default=None)
    team_id = fields.Integer(load_default=None)
    aktiv = fields.Boolean(load_default=None, metadata={"description": "true: kun aktive, false: kun deaktiverede"})


class UserCreateSchema(Schema):
    brugernavn = fields.String(required=True, metadata={"description": "2–80 tegn: a–z, 0–9, . _ - @"})
    navn = fields.String(required=True, metadata={"description": "Fulde navn"})
    email = fields.String(allow_none=True, load_default=None)
    rolle = fields.String(required=True, metadata={"description": ROLE_HELP})
    team_id = fields.Integer(allow_none=True, load_default=None)
    adgangskode = fields.String(load_only=True, allow_none=True, load_default=None,
                                metadata={"description": NEW_SECRET_HELP})


class UserEditSchema(Schema):
    brugernavn = fields.String()
    navn = fields.String()
    email = fields.String(allow_none=True, metadata={"description": "null eller tom: ingen e-mail"})
    rolle = fields.String(metadata={"description": ROLE_HELP + " Skifter rollen til en uden team, fjernes teamet."})
    team_id = fields.Integer(allow_none=True, metadata={
        "description": "Flyt til et andet team; opgaver taget i det gamle team frigives dér"})


class CreatedUserSchema(Schema):
    bruger = fields.Nested(AdminUserSchema, attribute="user")
    midlertidig_adgangskode = fields.String(attribute="one_time_password", allow_none=True, metadata={
        "description": "Kun når Sagsflow valgte adgangskoden; vises kun denne ene gang"})


class PasswordResetSchema(Schema):
    adgangskode = fields.String(load_only=True, allow_none=True, load_default=None,
                                metadata={"description": NEW_SECRET_HELP})


class PasswordResultSchema(Schema):
    midlertidig_adgangskode = fields.String(allow_none=True)


class AdminTeamSchema(Schema):
    id = fields.Integer(attribute="team.id")
    navn = fields.String(attribute="team.navn")
    aktiv = fields.Boolean(attribute="team.active")
    aktive_brugere = fields.Integer(attribute="members")
    aabne_sager = fields.Integer(attribute="open_cases")


class TeamNameSchema(Schema):
    navn = fields.String(required=True)


class ChangeSchema(Schema):
    id = fields.Integer()
    tidspunkt = fields.DateTime(attribute="at")
    udfoert_af = fields.String(attribute="actor")
    bruger_id = fields.Integer(attribute="user_id", allow_none=True)
    team_id = fields.Integer(allow_none=True)
    handling = fields.String(attribute="action")
    beskrivelse = fields.String(attribute="summary")
    aendringer = fields.Dict(attribute="data", allow_none=True)


class ChangeQuerySchema(Schema):
    bruger_id = fields.Integer(load_default=None)
    team_id = fields.Integer(load_default=None)
