from __future__ import annotations

from flask import current_app, jsonify, make_response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from service.access import service as access
from service.access.models import User
from service.config import Settings
from service.uow import UnitOfWork
from service.web import SESSION_COOKIE, current_user, uow

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


def _settings() -> Settings:
    return current_app.extensions["sagsflow"]["settings"]


def _authenticate(unit: UnitOfWork, args: dict) -> User:
    return access.authenticate(unit, args["username"], args["password"], local_passwords=_settings().local_passwords)


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, LoginResultSchema)
    def post(self, args: dict) -> object:
        """Log ind med brugernavn og adgangskode (session-cookie + CSRF-token)."""
        unit = uow()
        user = _authenticate(unit, args)
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
        user = _authenticate(unit, args)
        token = access.issue_token(unit, user)
        unit.commit()
        return {"token": token, "token_type": "Bearer"}


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, UserSchema)
    def get(self) -> object:
        """Hvem er jeg logget ind som."""
        return current_user()
