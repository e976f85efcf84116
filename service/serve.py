"""Runs the app under gunicorn (embedded default and production alike)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from service import logs
from service.config import ROOT, Settings


class _Server(BaseApplication):
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self._settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from service.app import create_app
        return create_app(self._settings)


def run(settings: Settings, *, host: str, port: int, workers: int) -> None:
    print(f"Sagsflow kører på http://{host}:{port}/  (API-dokumentation: http://{host}:{port}/api/docs)")
    logs.configure(terminal=True)  # before the workers fork: they keep this and skip the JSON set-up
    instance = ROOT / "instance"
    instance.mkdir(exist_ok=True)
    # Request lines come from the app (one line each, without query values); gunicorn's own access log
    # would repeat them with the query string. Its control socket lives in the instance folder, so two
    # instances on one machine do not share one in the user's home.
    _Server(settings, {"bind": f"{host}:{port}", "workers": workers, "threads": 4, "worker_class": "gthread",
                       "accesslog": None, "logconfig_dict": logs.gunicorn_logconfig(terminal=True),
                       "control_socket": str(instance / f"gunicorn-{port}.ctl")}).run()
