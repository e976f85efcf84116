"""The application factory."""

from __future__ import annotations

import http
from typing import Any

import swagger_ui_bundle
from flask import Flask, redirect, send_from_directory
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.middleware.proxy_fix import ProxyFix

from service import database_figures, health, logs, metrics, web
from service.access import token_cache
from service.access.login import Throttle
from service.api_links import LinksPlugin
from service.bootstrap import configure_engine
from service.config import Settings
from service.db import check_reachable, make_engine, make_session_factory
from service.dokumenter import lager as dokumentlager
from service.schemas import ProblemSchema, plain_text_pattern


class SagsflowApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        # Every error answer is a problem body (service/web.py problem()): documented as the type it is sent as.
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 200 and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, "application/problem+json")
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Fejl (problem+json, RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, "application/problem+json")
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def handle_http_exception(self, error: Any) -> Any:
        return web.handle_http_exception(error)


def create_app(config: Settings | None = None) -> Flask:
    settings = config or Settings.from_env()
    settings.check()
    if not settings.testing:
        logs.configure()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        API_TITLE="Sagsflow",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/api/docs-static/",
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        JSON_SORT_KEYS=False,
        TESTING=settings.testing,
    )
    app.json.ensure_ascii = False  # Danish text reads as Danish in curl, not as \u00f8
    engine = make_engine(settings.database_url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow)
    if not settings.testing:
        check_reachable(engine)  # an unreachable database stops start-up with one line, not the first request
    configure_engine(settings)  # the deadline catalogue and the engine's functions, process-wide
    token_cache.configure(settings.token_cache_seconds)
    app.extensions["sagsflow"] = {"settings": settings, "engine": engine,
                                  "session_factory": make_session_factory(engine),
                                  "throttle": Throttle(settings.ratelimit_storage),
                                  "document_store": dokumentlager.from_settings(settings)}
    if settings.trusted_proxies:  # the client's address (for log-in throttling) as the proxies saw it
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)
    web.install(app)
    metrics.install(app, collectors=[database_figures.DatabaseCollector])
    app.register_blueprint(health.blp)
    if settings.timer_loop:
        from service.deadlines import loop
        app.extensions["sagsflow"]["timer_loop"] = loop.start(app.extensions["sagsflow"]["session_factory"],
                                                             settings)

    api = SagsflowApi(app, spec_kwargs={"info": {"description": "Sagsflow: BPMN-workflow til børnesager."},
                                        "extra_plugins": [LinksPlugin()]})
    api.ma_plugin.converter.add_attribute_function(plain_text_pattern)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearer": []}]
    from service.access.views import blp as auth_blp
    from service.aktindsigt.views import blp as aktindsigt_blp
    from service.arkiv.views import blp as arkiv_blp
    from service.brugere.views import blp as admin_blp
    from service.cases.views import blp as cases_blp
    from service.committee.views import blp as committees_blp
    from service.deadlines.views import blp as deadlines_blp
    from service.dokumenter.views import blp as documents_blp
    from service.inbox.views import blp as tasks_blp
    from service.indsatsvifte.views import blp as indsatsvifte_blp
    from service.indsigt.views import blp as indsigt_blp
    from service.ledelsesinformation.views import blp as mi_blp
    from service.ledelsesinformation.views import tilsyn_blp
    from service.letters.views import blp as letters_blp
    from service.maalopfoelgning.views import blp as maal_blp
    from service.notater.views import blp as notater_blp
    from service.notifications.views import blp as notifications_blp
    from service.oekonomi.views import blp as oekonomi_blp
    from service.parter.views import blp as parter_blp
    from service.process_models.views import blp as versions_blp
    from service.vagtplan.views import blp as vagtplan_blp
    from service.visninger.views import blp as visninger_blp
    for blueprint in (auth_blp, cases_blp, tasks_blp, deadlines_blp, versions_blp, vagtplan_blp, indsatsvifte_blp,
                      letters_blp, committees_blp, mi_blp, tilsyn_blp, indsigt_blp, visninger_blp, admin_blp,
                      notifications_blp, notater_blp, documents_blp, arkiv_blp, aktindsigt_blp, parter_blp,
                      oekonomi_blp, maal_blp):
        api.register_blueprint(blueprint)

    if settings.bench_endpoint:
        from service.bench_endpoint import blp as bench_blp
        app.register_blueprint(bench_blp)

    @app.get("/api/docs-static/<path:filename>")
    def swagger_static(filename: str) -> Any:
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    from service.webapp.views import blp as webapp_blp
    app.register_blueprint(webapp_blp)
    if settings.oidc_enabled:
        from service.webapp.oidc_views import blp as oidc_blp
        app.register_blueprint(oidc_blp)

    @app.get("/")
    def index() -> Any:
        return redirect("/indbakke")  # the web app; its log-in page when not logged in

    @app.after_request
    def docs_csp(response: Any) -> Any:
        from flask import request
        if request.path == "/api/docs":  # Swagger UI's page has one inline start-up script
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
        return response

    return app
