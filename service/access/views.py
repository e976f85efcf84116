from __future__ import annotations

from datetime import timedelta

from flask import current_app, jsonify, make_response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from service.access import login
from service.access import service as access
from service.config import Settings
from service.web import SESSION_COOKIE, current_user, password_sign_in, require_role, uow

blp = Blueprint("auth", __name__, url_prefix="/api", description="Log-ind, sessioner og tokens")


class LoginSchema(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class TeamSchema(Schema):
    id = fields.Integer()
    navn = fields.String()


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String()
    team = fields.Nested(TeamSchema, allow_none=True)


class LoginResultSchema(Schema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String()


class TokenSchema(Schema):
    token = fields.String()
    token_type = fields.String()
    id = fields.Integer()
    udloeber = fields.DateTime(metadata={"description": "Tokenet virker til dette tidspunkt (standard en arbejdsdag)"})


def _settings() -> Settings:
    return current_app.extensions["sagsflow"]["settings"]


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, LoginResultSchema)
    def post(self, args: dict) -> object:
        """Log ind med brugernavn og adgangskode (session-cookie + CSRF-token)."""
        unit = uow()
        user = password_sign_in(args["username"], args["password"])
        access.end_session(unit, request.cookies.get(SESSION_COOKIE, ""))  # a new session id at every log-in
        new = access.start_session(unit, user)
        unit.commit()
        settings = _settings()
        response = make_response(jsonify(LoginResultSchema().dump({"user": user, "csrf_token": new.csrf_token})))
        response.set_cookie(SESSION_COOKIE, new.cookie_value, httponly=True, samesite="Lax",
                            secure=settings.secure_cookies, path="/")
        return response


@blp.route("/auth/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self) -> object:
        """Log ud: sessionen afsluttes på serveren."""
        current_user()
        cookie = request.cookies.get(SESSION_COOKIE)
        unit = uow()
        if cookie:
            access.end_session(unit, cookie)
        unit.commit()
        response = make_response("", 204)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


@blp.route("/auth/token")
class Token(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(201, TokenSchema)
    def post(self, args: dict) -> dict:
        """Udsted et bearer-token (til curl og integrationer)."""
        unit = uow()
        user = password_sign_in(args["username"], args["password"])
        token, row = access.issue_token(unit, user, lifetime=timedelta(hours=_settings().token_hours))
        unit.commit()
        return {"token": token, "token_type": "Bearer", "id": row.id, "udloeber": row.expires_at}


class TokenListQuerySchema(Schema):
    bruger_id = fields.Integer(metadata={"description": "En anden brugers tokens (kun administratorer)"})


class TokenInfoSchema(Schema):
    id = fields.Integer()
    created_at = fields.DateTime(data_key="oprettet")
    expires_at = fields.DateTime(data_key="udloeber", allow_none=True)
    revoked_at = fields.DateTime(data_key="tilbagekaldt", allow_none=True)


@blp.route("/auth/tokens")
class Tokens(MethodView):
    @blp.arguments(TokenListQuerySchema, location="query")
    @blp.response(200, TokenInfoSchema(many=True))
    def get(self, args: dict) -> list:
        """Mine bearer-tokens (administratorer: en brugers med bruger_id), nyeste først; selve tokenet vises aldrig."""
        return access.tokens_of(uow(), current_user(), args.get("bruger_id"))


@blp.route("/auth/tokens/<int:token_id>")
class TokenRevoke(MethodView):
    @blp.response(204)
    def delete(self, token_id: int) -> None:
        """Tilbagekald et token (ejeren eller en administrator)."""
        unit = uow()
        access.revoke_token(unit, current_user(), token_id)
        unit.commit()


class LockedUserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    locked_at = fields.DateTime(data_key="spaerret")


@blp.route("/auth/spaerrede")
class Locked(MethodView):
    @blp.response(200, LockedUserSchema(many=True))
    def get(self) -> list:
        """Konti spærret efter for mange forkerte adgangskoder (teamleder: eget team; administrator: alle)."""
        return login.locked_users(uow(), require_role("teamleder", "admin"))


@blp.route("/auth/spaerrede/<int:user_id>/ophaev")
class Unlock(MethodView):
    @blp.response(204)
    def post(self, user_id: int) -> None:
        """Ophæv en spærring, så brugeren kan logge ind igen."""
        unit = uow()
        login.lift_lock(unit, require_role("teamleder", "admin"), user_id)
        unit.commit()


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, UserSchema)
    def get(self) -> object:
        """Hvem er jeg logget ind som."""
        return current_user()
