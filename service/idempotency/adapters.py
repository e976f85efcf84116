"""Idempotency keys at the edges: the API's `Idempotency-Key` header and the web forms' hidden field.

An operation using them commits here: the stored answer must be written in the change's own transaction, before its
commit, so the change (a view's function of the unit of work) returns its answer instead of committing.
"""

from __future__ import annotations

import copy
import logging
import secrets
from collections.abc import Callable
from functools import wraps
from types import SimpleNamespace
from typing import Any

from flask import Response, flash, jsonify, redirect, render_template, request
from flask_smorest import Blueprint

from service import logs
from service.idempotency import service as idempotency
from service.idempotency.service import Answer, KeyInUse, KeyRefused
from service.uow import UnitOfWork
from service.web import committed_with_retry, current_user, problem

HEADER = "Idempotency-Key"
REPLAYED = "Idempotency-Replayed"
FORM_FIELD = "idempotency_key"
_NOT_FINGERPRINTED = {FORM_FIELD, "csrf_token"}  # the session's CSRF token is no part of what was asked
_FORM_SENT_BEFORE = ("Formularen er allerede sendt med et andet indhold. Genindlæs siden for at se, hvad der blev "
                     "gemt, og ret derefter.")
_FORM_BROKEN = "Formularen er ugyldig. Genindlæs siden og prøv igen."
_FORM_BUSY = "Formularen er ved at blive sendt. Vent et øjeblik, og genindlæs siden."

log = logging.getLogger(__name__)

PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "pattern": idempotency.KEY_PATTERN, "minLength": 1, "maxLength": 255},
    "description": (
        "Valgfri nøgle for netop dette forsøg (fx et nyt UUID pr. handling), så et genforsøg efter en afbrudt "
        "forbindelse ikke udfører handlingen to gange. Et genforsøg fra samme bruger med samme nøgle og samme "
        "forespørgsel (metode, adresse og krop) inden for 24 timer får det første svar igen, med samme status og "
        f"krop og headeren `{REPLAYED}: true`, i stedet for fx 409. Kun gennemførte handlinger (2xx) gemmes: et "
        "fejlsvar (fx 403, 404, 409 eller 422) gemmes ikke, så et rettet genforsøg med samme nøgle udføres på ny. "
        "Samme nøgle med en anden forespørgsel giver 422. Kører den første forespørgsel endnu, venter genforsøget "
        "på den (eller får 409 med Retry-After). Nøgler gælder pr. bruger; efter 24 timer er en nøgle ny igen."),
}
_REPLAYED_DOC = {REPLAYED: {"description": f"`true`, når svaret er gentaget fra en tidligere forespørgsel med samme "
                                           f"`{HEADER}`", "schema": {"type": "string", "enum": ["true"]}}}


def _run_once(key: str | None, field_name: str, fingerprint: Callable[[], str],
              change: Callable[[UnitOfWork], Any], *, attempts: int) -> tuple[Any, bool]:
    """`change` committed, its answer stored under `key` in the same transaction; or the answer stored for `key`
    before (then True). What `change` returns other than an Answer (a failure page) is sent as it is, nothing of it
    committed, nothing stored."""
    user_id = current_user().id
    wanted = fingerprint() if key is not None else ""

    def attempt(unit: UnitOfWork) -> tuple[Any, bool]:
        reservation = None
        if key is not None:
            started = idempotency.begin(unit, user_id=user_id, key=key, request=f"{request.method} {request.path}",
                                        fingerprint=wanted, field_name=field_name)
            if isinstance(started, Answer):
                return started, True
            reservation = started
        answer = change(unit)
        if not isinstance(answer, Answer):
            unit.rollback()  # a failure: its page or answer is sent, the key stays free for a corrected retry
            return answer, False
        if reservation is not None:
            idempotency.finish(reservation, answer)
        return answer, False

    result, replayed = committed_with_retry(attempt, attempts=attempts)
    if replayed:  # the path only (ids, never case data); the key is the client's and is not written anywhere
        log.info("Svaret på %s %s er gentaget (idempotensnøgle)", request.method, logs.loggable_path(request.path))
    return result, replayed


# --- the API --------------------------------------------------------------------------------------------


def idempotent(blp: Blueprint, status: int, schema: Any, *, retry: bool = False) -> Callable[[Callable], Callable]:
    """An API operation that changes state and takes an `Idempotency-Key`, answered `status` with `schema`. The view
    makes the change and returns what to serialize, without committing. With `retry`, a change that lost to a
    concurrent one is run again on the committed data (web.committed_with_retry)."""
    dump = (schema() if isinstance(schema, type) else schema).dump

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def run(*args: Any, **kwargs: Any) -> Response:
            key = request.headers.get(HEADER)
            if key is not None:
                idempotency.check_key(key, HEADER)

            def change(unit: UnitOfWork) -> Answer:
                result = view(*args, **kwargs)
                unit.session.flush()  # the ids and defaults of new rows, for the answer
                return Answer(status, dump(result))

            try:
                answer, replayed = _run_once(key, HEADER, _api_fingerprint, change, attempts=4 if retry else 1)
            except KeyInUse as busy:
                response = problem(409, busy.title, busy.message)
                response.headers["Retry-After"] = str(busy.retry_after)
                return response
            response = jsonify(answer.body)
            response.status_code = answer.status
            response.headers.update(answer.headers)
            if replayed:
                response.headers[REPLAYED] = "true"
            return response

        documented = blp.response(status, schema, headers=copy.deepcopy(_REPLAYED_DOC))(run)
        return blp.doc(parameters=[copy.deepcopy(PARAMETER)])(documented)

    return decorator


def _api_fingerprint() -> str:
    body = request.get_json(silent=True) if request.is_json else None
    return idempotency.fingerprint(request.method, request.path, body if body is not None else request.get_data())


# --- the web app's forms --------------------------------------------------------------------------------


def new_form_key() -> str:
    """A key for one rendered form (its hidden field): a double click or a browser's resend gets the first result."""
    return secrets.token_urlsafe(18)


def redirect_answer(location: str, message: str, kind: str = "ok") -> Answer:
    """A page's successful change: where the browser goes next and what it is told there."""
    return Answer(302, {"meddelelser": [[message, kind]]}, {"Location": location})


def page_change(change: Callable[[UnitOfWork], Any], *, attempts: int = 1) -> Any:
    """A form's change, made once per rendered form: `change` returns a `redirect_answer` when it is done (the
    answer is stored with the change, so a resent form is sent to the same place with the same message) or a
    page saying why not (nothing committed). A form without the field (a script) is served as before."""
    key = request.form.get(FORM_FIELD)
    try:
        if key is not None:
            idempotency.check_key(key, FORM_FIELD)
        result, _replayed = _run_once(key, FORM_FIELD, _form_fingerprint, change, attempts=attempts)
    except KeyRefused as refused:  # a person did not choose the key: say what to do about the form instead
        page = SimpleNamespace(title=refused.title, message=_FORM_SENT_BEFORE if refused.errors[0].message ==
                               idempotency.OTHER_REQUEST else _FORM_BROKEN)
        return render_template("fejl.html", error=page), refused.status
    except KeyInUse as busy:
        response = Response(render_template("fejl.html", error=SimpleNamespace(title=busy.title, message=_FORM_BUSY)),
                            busy.status)
        response.headers["Retry-After"] = str(busy.retry_after)
        return response
    if not isinstance(result, Answer):
        return result
    for message, kind in (result.body or {}).get("meddelelser", []):
        flash(message, kind)
    return redirect(result.headers["Location"], result.status)


def _form_fingerprint() -> str:
    fields = sorted((name, value) for name, value in request.form.items(multi=True) if name not in _NOT_FINGERPRINTED)
    return idempotency.fingerprint(request.method, request.path, fields)

