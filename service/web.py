"""Request plumbing shared by all blueprints: the request's unit of work, who is calling, problem bodies."""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any, TypeVar

import psycopg
from flask import Flask, Response, current_app, g, has_request_context, jsonify, render_template, request
from flask_smorest import Blueprint, abort
from marshmallow import missing
from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from service import logs
from service.access import login
from service.access import service as access
from service.access.models import User, UserSession
from service.errors import DomainError, Forbidden, TooManyRequests, Unauthorized
from service.uow import UnitOfWork

T = TypeVar("T")
SESSION_COOKIE = "sagsflow_session"
CSRF_HEADER = "X-CSRF-Token"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def uow() -> UnitOfWork:
    if "uow" not in g:
        g.uow = UnitOfWork(current_app.extensions["sagsflow"]["session_factory"])
    return g.uow


def _close_uow(_exc: BaseException | None) -> None:
    unit = g.pop("uow", None)
    if unit is not None:
        unit.close()  # never raises for a lost connection: the answer is already given (service/uow.py)


def cookie_session() -> tuple[User, UserSession] | None:
    """The live log-in session named by the request's session cookie, if any."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    settings = current_app.extensions["sagsflow"]["settings"]
    return access.user_for_session(uow(), cookie, idle=timedelta(minutes=settings.session_idle_minutes),
                                   absolute=timedelta(hours=settings.session_absolute_hours))


def current_user() -> User:
    """The caller, from a bearer token or the session cookie (which then needs the CSRF header)."""
    if "user" in g:
        return g.user
    user = None
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        user = access.user_for_token(uow(), auth[7:].strip())
    elif (found := cookie_session()) is not None:
        user, session_row = found
        if request.method in _UNSAFE and not access.csrf_ok(session_row, request.headers.get(CSRF_HEADER)):
            raise Forbidden("CSRF-token mangler eller er forkert (header X-CSRF-Token).")
    if user is None:
        raise Unauthorized("Log ind, eller send et gyldigt bearer-token.")
    g.user = user
    g.user_id = user.id  # for the log lines, readable even after the request's transaction failed
    return user


_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock: the other transaction won


def committed_with_retry(change: Callable[[UnitOfWork], T], *, attempts: int = 4) -> T:
    """One state change, committed; if a concurrent request got there first (the same new child's case, the next
    case number, the same instance), it is run again on the now committed data, as a person pressing again
    would, instead of answering 409. The last attempt's conflict still becomes the usual 409."""
    unit = uow()
    for attempt in range(attempts):
        try:
            result = change(unit)
            unit.commit()
            return result
        except (IntegrityError, StaleDataError, DBAPIError) as err:
            unit.rollback()
            transient = not isinstance(err, DBAPIError) or isinstance(err, IntegrityError) or \
                getattr(err.orig, "sqlstate", None) in _RETRYABLE_SQLSTATES
            if attempt == attempts - 1 or not transient:
                raise
    raise AssertionError("unreachable")


def require_role(*roles: str) -> User:
    user = current_user()
    if user.role not in roles:
        raise Forbidden("Din rolle giver ikke adgang til denne funktion.")
    return user


def problem(status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


_HTTP_TITLES = {400: "Ugyldig forespørgsel", 401: "Log ind først", 403: "Ingen adgang", 404: "Findes ikke",
                405: "Metoden er ikke tilladt", 409: "Konflikt", 413: "For stor forespørgsel",
                415: "Forkert indholdstype", 422: "Ugyldige data", 429: "For mange forespørgsler"}


def _flatten(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "(body)"
            out += _flatten(value, name)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out += [{"field": prefix or "(body)", "message": m} for m in messages]
    elif isinstance(messages, list):
        for i, m in enumerate(messages):
            out += _flatten(m, f"{prefix}.{i}")
    else:
        out.append({"field": prefix or "(body)", "message": str(messages)})
    return out


def handle_http_exception(error: HTTPException) -> Response | tuple[str, int]:
    original = getattr(error, "original_exception", None)  # an error page that failed itself arrives as a 500
    if original is not None and database_lost(original):
        return handle_database_unavailable(original)
    status = error.code or 500
    if not request.path.startswith("/api/"):  # a person at a browser: a Danish page, not JSON
        page = SimpleNamespace(title=_HTTP_TITLES.get(status, error.name), message=_danish_detail(status, error))
        return render_template("fejl.html", error=page), status
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    errors = None
    if messages:
        # webargs keys messages by location ("json", "query"); the client wants the field names.
        errors = [e for loc in messages.values() for e in _flatten(loc)] if isinstance(messages, dict) else None
    if status == 400:  # webargs answers 400 only for a body that is not JSON at all
        return problem(400, _HTTP_TITLES[400], "Forespørgslens indhold er ikke gyldig JSON.")
    detail = "Et eller flere felter er ugyldige." if errors else _danish_detail(status, error)
    return problem(status, _HTTP_TITLES.get(status, error.name), detail, errors)


def _danish_detail(status: int, error: HTTPException) -> str:
    return {404: "Adressen findes ikke.", 405: "Metoden er ikke tilladt på denne adresse.",
            415: "Send indholdet som application/json.", 413: "Forespørgslen er for stor."}.get(
        status, error.description or "")


def handle_domain_error(error: DomainError) -> Response:
    errors = [{"field": e.field, "message": e.message, **({"element": e.element} if e.element else {})}
              for e in error.errors] or None
    response = problem(error.status, error.title, error.message, errors)
    retry_after = getattr(error, "retry_after", None)  # too many attempts, or a store that is down for a moment
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def password_sign_in(username: str, password: str) -> User:
    """The user a correct password names, in the request's open transaction (the caller starts the session or
    issues the token and commits). A failure is committed here, since its count of wrong passwords must stay."""
    if not current_app.extensions["sagsflow"]["settings"].local_passwords:
        # SAGSFLOW_LOCAL_PASSWORDS=0: the identity provider is the only way in
        raise Forbidden("Log-ind med adgangskode er slået fra. Brug «Log ind med kommunens login».")
    unit = uow()
    result = login.attempt(unit, current_app.extensions["sagsflow"]["throttle"], username=username,
                           password=password, address=request.remote_addr or "")
    if result.user is not None:
        return result.user
    unit.commit()
    if result.retry_after is not None:
        error = TooManyRequests(f"For mange log-ind-forsøg. Prøv igen om {result.retry_after} sekunder.")
        error.retry_after = result.retry_after
        raise error
    raise Unauthorized(login.WRONG)


def handle_concurrent_change(_error: Exception) -> Response:
    # Optimistic locking: someone else changed the same instance first; nothing of ours was written.
    return problem(409, "Konflikt", "Sagen blev ændret af en anden samtidig. Hent den igen og prøv på ny.")


def handle_integrity_error(_error: IntegrityError) -> Response:
    # A concurrent request created the same thing first (e.g. two intakes for one new child).
    return problem(409, "Konflikt", "En anden ændring kom først. Prøv igen; nu med de nye data.")


# What a database that is gone for a moment (restart, fail-over, a dropped connection, a full pool) raises: the
# driver's own errors reach us wrapped by SQLAlchemy, except where code talks to the driver directly.
_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout, psycopg.OperationalError, psycopg.InterfaceError)
UNAVAILABLE_DETAIL = "Databasen kan ikke nås lige nu. Prøv igen om lidt."
RETRY_AFTER_SECONDS = 5


def _note_database_lost(context: ExceptionContext) -> None:
    """Remember for the rest of the request that its database connection failed: whatever then goes wrong (a
    PendingRollbackError, an error wrapped by a library, a page that needs the database) is that loss, a 503."""
    if not has_request_context() or context.is_pre_ping:  # a failed pre-ping is replaced by a new connection
        return
    if getattr(context.original_exception, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return  # lost to another transaction (retried, or a 409): the connection is fine
    if context.is_disconnect or isinstance(context.sqlalchemy_exception, OperationalError | InterfaceError):
        g.database_lost = True


def database_lost(error: Exception) -> bool:
    if isinstance(error, _UNAVAILABLE) or isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return bool(g.get("database_lost"))


def handle_database_unavailable(error: Exception) -> Response | tuple[str, int]:
    """The database is gone for a moment (restart, fail-over, dropped connections): a 503 the client may
    retry, not a 500. The pool's pre-ping opens fresh connections once it is back."""
    driver = getattr(error, "orig", None) or error  # SQLAlchemy's wrapper, or the driver's own error
    sqlstate = getattr(driver, "sqlstate", None) or ""
    if sqlstate in _RETRYABLE_SQLSTATES:
        return handle_concurrent_change(error)  # still losing to another transaction after the retries
    if sqlstate.startswith("22"):  # a data exception: a value the schema let through and the column cannot hold
        return _value_refused_by_database(sqlstate)
    if not database_lost(error):
        return handle_unexpected(error)  # a fault of ours, e.g. a bad statement
    g.database_lost = True  # the error page asks nothing of the database
    current_app.logger.warning("Databasen kan ikke nås under %s %s (%s)", request.method,
                               logs.loggable_path(request.path), type(driver).__name__)
    response: Response
    if request.path.startswith("/api/"):
        response = problem(503, "Midlertidigt utilgængelig", UNAVAILABLE_DETAIL)
    else:
        page = SimpleNamespace(title="Midlertidigt utilgængelig", message=UNAVAILABLE_DETAIL)
        try:
            response = Response(render_template("fejl.html", error=page), 503, mimetype="text/html")
        except Exception:  # noqa: BLE001 - the page must not need what failed; if it does anyway, plain text
            response = Response(f"<!doctype html><html lang=da><title>{page.title}</title><h1>{page.title}</h1>"
                                f"<p>{UNAVAILABLE_DETAIL}</p>", 503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _value_refused_by_database(sqlstate: str) -> Response | tuple[str, int]:
    """A 422, not a 500: the request's own data was wrong (too long, out of range). Logged without the value, so
    that the missing check on the field can be added."""
    current_app.logger.warning("Databasen afviste en værdi under %s %s (SQLSTATE %s)", request.method,
                               logs.loggable_path(request.path), sqlstate)
    detail = "En værdi er for lang eller uden for det tilladte område."
    if not request.path.startswith("/api/"):
        return render_template("fejl.html", error=SimpleNamespace(title=_HTTP_TITLES[422], message=detail)), 422
    return problem(422, _HTTP_TITLES[422], detail)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
    # Answers and pages may carry case data: no browser or proxy keeps a copy. Static assets may be cached.
    if not request.path.startswith(("/assets/", "/static/", "/api/docs")):
        response.headers["Cache-Control"] = "no-store"
    if current_app.extensions["sagsflow"]["settings"].secure_cookies:  # served over HTTPS only
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


_PUBLIC = ("/api/auth/login", "/api/auth/token", "/api/openapi.json", "/api/docs")


def _authenticate_api_requests() -> None:
    """Who is calling is settled before the body is parsed: no login, no 422 hints about the API."""
    path = request.path
    if path.startswith("/api/") and not path.startswith(_PUBLIC):
        current_user()


_UPLOAD_ENDPOINTS: set[str] = set()
_MULTIPART_OVERHEAD = 64 * 1024  # the form's other fields and the part headers around the file


def takes_documents(endpoint: str) -> None:
    """The endpoint receives a document upload: its body may be as large as the document limit (others keep the
    app's MAX_CONTENT_LENGTH)."""
    _UPLOAD_ENDPOINTS.add(endpoint)


def _document_upload_limit() -> None:
    """Before the body is parsed (the check for control characters reads the form): a too large upload is refused
    by its Content-Length, with the limit in Danish, without reading it."""
    if request.endpoint not in _UPLOAD_ENDPOINTS:
        return
    from service.dokumenter.service import too_large
    limit = current_app.extensions["sagsflow"]["settings"].document_max_bytes
    request.max_content_length = limit + _MULTIPART_OVERHEAD
    if request.content_length is not None and request.content_length > request.max_content_length:
        raise too_large(limit)


_request_log = logging.getLogger("sagsflow.request")
_REQUEST_ID = re.compile(r"[0-9A-Fa-f-]{8,64}")


def _start_request() -> None:
    g.started = time.perf_counter()
    # A request id from the reverse proxy ties our line to its access log; ours otherwise. It is written into
    # every line of the request, so only the shape proxies send (hex, UUID) is taken: never a client's text.
    incoming = request.headers.get("X-Request-ID", "")
    if not (_REQUEST_ID.fullmatch(incoming) and not logs.TEN_DIGITS.search(incoming)):
        incoming = secrets.token_hex(8)
        while logs.TEN_DIGITS.search(incoming):  # one id in a few hundred; the mask would garble it in the log
            incoming = secrets.token_hex(8)
    g.request_id = incoming


def _log_request(response: Response) -> Response:
    """One line per request: method, path (never the query: it can hold a search for a CPR; a path segment a client
    could have typed is shown as "…"), status, time, user."""
    started = g.get("started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    path = logs.loggable_path(request.path)  # a client may put a name or a CPR number in a path
    _request_log.info("%s %s %s", request.method, path, response.status_code,
                      extra={"method": request.method, "path": path, "status": response.status_code,
                             "duration_ms": duration})
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


def handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    """A fault of ours: logged with its request id (no case data), answered in Danish, never a bare 500 page."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    if database_lost(error):  # the connection went and something else failed of it, e.g. a PendingRollbackError
        return handle_database_unavailable(error)
    if current_app.testing:
        raise error  # tests see the real exception (and the projection check's assertion), not a 500 page
    current_app.logger.error("Uventet fejl under %s %s", request.method, logs.loggable_path(request.path),
                             exc_info=error)
    detail = f"Der skete en fejl hos os. Prøv igen; oplys fejl-id {g.get('request_id', '')} til support."
    if request.path.startswith("/api/"):
        return problem(500, "Intern fejl", detail)
    page = SimpleNamespace(title="Der skete en fejl", message=detail)
    try:
        return render_template("fejl.html", error=page), 500
    except Exception:  # noqa: BLE001 - the page itself may need what failed (the database)
        return f"<!doctype html><html lang=da><title>Fejl</title><h1>Der skete en fejl</h1><p>{detail}</p>", 500


_DEEPEST = 32  # no form or body of ours nests deeper; a deeper one is aimed at the parser and the validators
_CONTROL = "Feltet indeholder et ugyldigt kontroltegn."
_SURROGATE = "Feltet indeholder et ugyldigt tegn."  # half a UTF-16 pair (\ud800 in JSON): no database stores it
_TOO_DEEP = "Indholdet er indlejret for dybt."


def _reject_control_characters() -> Response | None:
    """NUL and other control characters are never text a person typed, nor is half a UTF-16 surrogate pair: refuse
    them per field (422), so they cannot reach the database, which would refuse them with an error carrying the
    whole row. A body nested deeper than any of ours is refused the same way (the parser would overflow)."""
    bad: list[dict[str, str]] = []
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # deeper than the JSON parser can follow
            body, bad = None, [{"field": "(body)", "message": _TOO_DEEP}]
        if body is not None:
            _find_bad_text(body, bad)
    elif request.form:
        for key, value in request.form.items(multi=True):
            _find_bad_text(value, bad, key)
    for key, value in request.args.items(multi=True):
        _find_bad_text(value, bad, key)
    if not bad:
        return None
    if not request.path.startswith("/api/"):
        page = SimpleNamespace(title=_HTTP_TITLES[422], message="Formularen indeholder ugyldige tegn.")
        return render_template("fejl.html", error=page), 422  # type: ignore[return-value]
    return problem(422, _HTTP_TITLES[422], "Et eller flere felter er ugyldige.", bad)


def _bad_characters(text: str) -> str | None:
    for c in text:
        code = ord(c)
        if code < 32 and c not in "\t\n\r" or code == 127:
            return _CONTROL
        if 0xD800 <= code <= 0xDFFF:
            return _SURROGATE
    return None


def _find_bad_text(value: Any, bad: list[dict[str, str]], where: str = "") -> None:
    """Each string (and each key) of a parsed body, breadth first without recursion: a body may be nested deep."""
    waiting: deque[tuple[Any, str, int]] = deque([(value, where, 0)])
    while waiting:
        item, where, depth = waiting.popleft()
        if isinstance(item, str):
            if message := _bad_characters(item):
                bad.append({"field": where or "(body)", "message": message})
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= _DEEPEST:
            bad.append({"field": where or "(body)", "message": _TOO_DEEP})
            return
        if isinstance(item, dict):
            for key, child in item.items():
                if _bad_characters(key):  # the name itself is not echoed: it is not a field of ours
                    bad.append({"field": where or "(body)", "message": "Et feltnavn indeholder et ugyldigt tegn."})
                    continue
                waiting.append((child, f"{where}.{key}" if where else str(key), depth + 1))
        else:
            waiting.extend((child, f"{where}.{i}" if where else str(i), depth + 1) for i, child in enumerate(item))


_LARGEST_ID = 2**31 - 1  # the database's integer key: a larger id names nothing, it is not a server error


def _names_nothing(value: Any) -> bool:
    if isinstance(value, int):
        return not 0 <= value <= _LARGEST_ID
    return isinstance(value, str) and _bad_characters(value) is not None  # NUL: PostgreSQL refuses the query


def _reject_ids_out_of_range() -> Response | tuple[str, int] | None:
    """An id too large for the database, or with a control character in it, names nothing: 404, not 500."""
    if any(_names_nothing(v) for v in (request.view_args or {}).values()):
        if not request.path.startswith("/api/"):
            page = SimpleNamespace(title=_HTTP_TITLES[404], message="Siden findes ikke.")
            return render_template("fejl.html", error=page), 404
        return problem(404, _HTTP_TITLES[404], "Findes ikke.")
    return None


def _require_json_bodies(parser: FlaskParser) -> None:
    """A JSON body the OpenAPI document marks as required (every one we take) must be sent, as JSON: webargs
    would read a missing one as an empty object, and a bare POST would then search everything or draw this
    month's sample. Checked where the body is read, so a caller without access still gets 401/403 first."""
    if getattr(parser, "sagsflow_requires_json", False):
        return
    load_json = parser.load_json

    def required_json(req: Any, schema: Any) -> Any:
        data = load_json(req, schema)
        if data is missing:
            abort(422, messages={"json": {"(body)": ["Send indholdet som application/json."]}})
        return data

    parser.load_json = required_json  # type: ignore[method-assign]
    parser.sagsflow_requires_json = True  # type: ignore[attr-defined]


def install(app: Flask) -> None:
    app.before_request(_start_request)
    app.before_request(_authenticate_api_requests)
    app.before_request(_document_upload_limit)
    app.before_request(_reject_control_characters)
    app.before_request(_reject_ids_out_of_range)
    _require_json_bodies(Blueprint.ARGUMENTS_PARSER)
    app.teardown_appcontext(_close_uow)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(StaleDataError, handle_concurrent_change)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(DBAPIError, handle_database_unavailable)
    for unavailable in _UNAVAILABLE:
        app.register_error_handler(unavailable, handle_database_unavailable)
    if not event.contains(Engine, "handle_error", _note_database_lost):
        event.listen(Engine, "handle_error", _note_database_lost)
    app.register_error_handler(Exception, handle_unexpected)
    app.after_request(_security_headers)
    app.after_request(_log_request)
