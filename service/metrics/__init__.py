"""Prometheus metrics: `install(app)` times every request by endpoint and serves /metrics.

/metrics answers without log-in only from loopback (a Prometheus agent on the node) or with the bearer token
SAGSFLOW_METRICS_TOKEN; anyone else gets 401/403. A request that came through a reverse proxy (X-Forwarded-For)
never counts as loopback, even when the proxy runs on the same machine.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.metrics import instruments


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is not None:
        # The URL rule, never the path: ids and numbers in paths would make a series per case.
        endpoint = request.url_rule.rule if request.url_rule is not None else "(ingen)"
        instruments.REQUEST_SECONDS.labels(method=request.method, endpoint=endpoint,
                                           status=str(response.status_code)).observe(time.perf_counter() - started)
    return response


def refusal(remote_addr: str | None, forwarded: bool, authorization: str, token: str) -> int | None:
    """None when the caller may read /metrics; else 401 (no or another kind of credentials) or 403."""
    if authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
        return None if token and hmac.compare_digest(given.encode(), token.encode()) else 403
    if not forwarded and _is_loopback(remote_addr):
        return None
    return 401


def _is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # a unix socket or anything else unrecognised is not trusted


def _metrics() -> Any:
    from service.web import problem
    extensions = current_app.extensions["sagsflow"]
    status = refusal(request.remote_addr, "X-Forwarded-For" in request.headers,
                     request.headers.get("Authorization", ""), extensions["settings"].metrics_token)
    if status == 401:
        response = problem(401, "Log ind først", "Målepunkterne kræver et bearer-token (SAGSFLOW_METRICS_TOKEN) "
                                                 "eller et kald fra maskinen selv.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="sagsflow-metrics"'
        return response
    if status == 403:
        return problem(403, "Ingen adgang", "Forkert token til målepunkterne.")
    registry = instruments.process_registry()
    for collector in current_app.extensions["sagsflow_metrics_collectors"]:
        registry.register(collector(extensions["engine"]))
    return Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST,
                                                        "Cache-Control": "no-store"})


def install(app: Flask, collectors: list[Callable[[Any], Any]]) -> None:
    """``collectors``: made per scrape with the database engine (service/database_figures.py): registered here by
    the app, since what they count lives in the domains, which themselves use this package's instruments."""
    app.extensions["sagsflow_metrics_collectors"] = collectors
    # First of all before-request hooks, so a request refused by a later hook (401, 422) is timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_observe)
    app.add_url_rule("/metrics", "metrics", _metrics, methods=["GET"])
