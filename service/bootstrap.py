"""Wiring that every entry point (web app, CLI, Celery worker) does once at start-up."""

from __future__ import annotations

from service import wiring
from service.config import Settings
from service.deadlines import catalogue, rules
from service.engine import spiff, time_limit, workflow_cache
from service.letters import templates as letter_templates


def configure_engine(settings: Settings) -> catalogue.Catalogue:
    loaded = catalogue.load(settings.workflows_dir / "frister.toml")
    catalogue.install(loaded)
    spiff.set_expression_functions(rules.expression_functions(loaded))
    time_limit.set_seconds(settings.expression_seconds)
    if workflow_cache.cache().size != settings.workflow_cache_size:
        workflow_cache.configure(settings.workflow_cache_size)
    letter_templates.configure(settings.letters_dir)  # a broken letter template stops start-up, in Danish
    wiring.install()  # what follows every engine step, in its declared order
    return loaded
