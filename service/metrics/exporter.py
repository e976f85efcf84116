"""/metrics for a Celery worker node, served by the worker's main process (what its worker processes counted:
timers fired, firing lag and failures). The database figures come from the web nodes' /metrics only, so
Prometheus does not get them once per node. The same rule as the web: loopback or the bearer token."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.metrics import instruments, refusal

log = logging.getLogger(__name__)
_STATUS = {401: "401 Unauthorized", 403: "403 Forbidden", 404: "404 Not Found"}


class _Quiet(WSGIRequestHandler):
    def log_message(self, *_args: Any) -> None:
        pass  # a scrape every few seconds is not news


def metrics_app(token: str) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        status = 404 if environ.get("PATH_INFO") != "/metrics" else refusal(
            environ.get("REMOTE_ADDR"), "HTTP_X_FORWARDED_FOR" in environ, environ.get("HTTP_AUTHORIZATION", ""),
            token)
        if status is not None:
            start_response(_STATUS[status], [("Content-Type", "text/plain; charset=utf-8")])
            return [_STATUS[status].encode()]
        start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
        return [generate_latest(instruments.process_registry())]
    return app


def serve(bind: str, token: str) -> None:
    """Serve in a daemon thread of this process, e.g. bind "0.0.0.0:9808"."""
    host, port = bind.rsplit(":", 1)
    server = make_server(host.strip("[]"), int(port), metrics_app(token), handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, name="sagsflow-metrics", daemon=True).start()
    log.info("metrics for denne worker på http://%s/metrics", bind)
