from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from service.access.models import User
from service.brugere import changes, schemas, teams
from service.brugere import service as brugere
from service.brugere.changes import Actor
from service.web import current_user, require_role, uow

blp = Blueprint("admin", __name__, url_prefix="/api/admin",
                description="Administration af brugere og teams (kun administratorer). Alle ændringer logges.")


@blp.before_request
def _admins_only() -> None:
    require_role("admin")  # before the body is read: others learn nothing about the fields


def _actor() -> Actor:
    return Actor.admin(current_user())


def _with_team(team_id: int | None) -> teams.TeamRow:
    return next(row for row in teams.list_teams(uow()) if row.team.id == team_id)


def _with_its_team(user: User) -> User:
    """The answer names the user's team: read before the commit, so that a connection lost after it cannot turn the
    done change into an error (the session keeps what it read)."""
    _ = user.team
    return user


@blp.route("/brugere")
class Users(MethodView):
    @blp.arguments(schemas.UserListQuerySchema, location="query")
    @blp.response(200, schemas.AdminUserSchema(many=True))
    def get(self, args: dict[str, Any]) -> list:
        """Brugerne, aktive først; filtrér på søgetekst, rolle, team og aktiv."""
        return brugere.list_users(uow(), search=args["q"], role=args["rolle"], team_id=args["team_id"],
                                  active=args["aktiv"])

    @blp.arguments(schemas.UserCreateSchema)
    @blp.response(201, schemas.CreatedUserSchema)
    def post(self, args: dict[str, Any]) -> brugere.Created:
        """Opret en bruger. Uden adgangskode vælger Sagsflow en midlertidig, som returneres denne ene gang."""
        unit = uow()
        created = brugere.create_user(unit, _actor(), args)
        _with_its_team(created.user)
        unit.commit()
        return created


@blp.route("/brugere/<int:user_id>")
class UserDetail(MethodView):
    @blp.response(200, schemas.AdminUserSchema)
    def get(self, user_id: int) -> object:
        """En bruger."""
        return brugere.get_user(uow(), user_id)

    @blp.arguments(schemas.UserEditSchema)
    @blp.response(200, schemas.AdminUserSchema)
    def patch(self, args: dict[str, Any], user_id: int) -> object:
        """Ret navn, brugernavn, e-mail, rolle eller team. Opgaver, brugeren ikke længere kan udføre, frigives."""
        unit = uow()
        user = _with_its_team(brugere.edit_user(unit, _actor(), user_id, args))
        unit.commit()
        return user


def _user_action(action: Any, user_id: int) -> object:
    unit = uow()
    user = _with_its_team(action(unit, _actor(), user_id))
    unit.commit()
    return user


@blp.route("/brugere/<int:user_id>/deaktiver")
class Deactivate(MethodView):
    @blp.response(200, schemas.AdminUserSchema)
    def post(self, user_id: int) -> object:
        """Deaktivér: kan ikke logge ind, logges ud overalt (også tokens), og tagne opgaver frigives til teamet."""
        return _user_action(brugere.deactivate_user, user_id)


@blp.route("/brugere/<int:user_id>/aktiver")
class Reactivate(MethodView):
    @blp.response(200, schemas.AdminUserSchema)
    def post(self, user_id: int) -> object:
        """Aktivér en deaktiveret bruger igen."""
        return _user_action(brugere.reactivate_user, user_id)


@blp.route("/brugere/<int:user_id>/nulstil-adgangskode")
class ResetPassword(MethodView):
    @blp.arguments(schemas.PasswordResetSchema)
    @blp.response(200, schemas.PasswordResultSchema)
    def post(self, args: dict[str, Any], user_id: int) -> dict:
        """Sæt en ny adgangskode (angivet, eller en midlertidig fra Sagsflow); brugeren logges ud overalt."""
        unit = uow()
        chosen = brugere.reset_password(unit, _actor(), user_id, args["adgangskode"])
        unit.commit()
        return {"midlertidig_adgangskode": chosen}


def _team_action(action: Any, team_id: int, *args: Any) -> teams.TeamRow:
    unit = uow()
    action(unit, _actor(), team_id, *args)
    row = _with_team(team_id)  # the answer, read before the commit (see _with_its_team)
    unit.commit()
    return row


@blp.route("/teams")
class Teams(MethodView):
    @blp.response(200, schemas.AdminTeamSchema(many=True))
    def get(self) -> list:
        """Teamene med antal aktive brugere og åbne sager."""
        return teams.list_teams(uow())

    @blp.arguments(schemas.TeamNameSchema)
    @blp.response(201, schemas.AdminTeamSchema)
    def post(self, args: dict[str, Any]) -> teams.TeamRow:
        """Opret et team."""
        unit = uow()
        team = teams.create_team(unit, _actor(), args["navn"])
        row = _with_team(team.id)  # the answer, read before the commit (see _with_its_team)
        unit.commit()
        return row


@blp.route("/teams/<int:team_id>")
class TeamDetail(MethodView):
    @blp.arguments(schemas.TeamNameSchema)
    @blp.response(200, schemas.AdminTeamSchema)
    def patch(self, args: dict[str, Any], team_id: int) -> teams.TeamRow:
        """Omdøb et team."""
        return _team_action(teams.rename_team, team_id, args["navn"])


@blp.route("/teams/<int:team_id>/deaktiver")
class DeactivateTeam(MethodView):
    @blp.response(200, schemas.AdminTeamSchema)
    def post(self, team_id: int) -> teams.TeamRow:
        """Nedlæg et team uden aktive brugere og åbne sager."""
        return _team_action(teams.deactivate_team, team_id)


@blp.route("/teams/<int:team_id>/aktiver")
class ReactivateTeam(MethodView):
    @blp.response(200, schemas.AdminTeamSchema)
    def post(self, team_id: int) -> teams.TeamRow:
        """Genopret et nedlagt team."""
        return _team_action(teams.reactivate_team, team_id)


@blp.route("/aendringer")
class Changes(MethodView):
    @blp.arguments(schemas.ChangeQuerySchema, location="query")
    @blp.response(200, schemas.ChangeSchema(many=True))
    def get(self, args: dict[str, Any]) -> list:
        """Ændringsloggen, nyeste først (højst 200): hvem, hvornår, hvad. Adgangskoder logges aldrig."""
        return changes.recent(uow(), user_id=args["bruger_id"], team_id=args["team_id"])
