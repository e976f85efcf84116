"""Every setting is named once here and read once at start-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{ROOT / 'instance' / 'sagsflow.db'}"
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    workflows_dir: Path = ROOT / "workflows"
    forms_dir: Path = ROOT / "forms"
    letters_dir: Path = ROOT / "letters"  # the municipality's letter templates (Jinja2)
    demo_mode: bool = False
    secure_cookies: bool = False
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    broker_url: str = "redis://127.0.0.1:6379/0"
    testing: bool = False
    bench_endpoint: bool = False
    smtp_host: str = ""  # empty: no e-mail is sent (notifications still show in the inbox)
    smtp_port: int = 25
    smtp_from: str = "sagsflow@localhost"
    timer_loop: bool = False  # embedded mode fires timers in-process; production uses Celery beat
    # Production: how many more Celery worker processes a tick may call in when many timers are due at once
    # (set it to the worker processes minus one).
    firing_helpers: int = 3

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        base = cls()
        return replace(
            base,
            database_url=env.get("SAGSFLOW_DATABASE_URL", base.database_url),
            secret_key=env.get("SAGSFLOW_SECRET_KEY", base.secret_key),
            workflows_dir=Path(env.get("SAGSFLOW_WORKFLOWS_DIR", base.workflows_dir)),
            forms_dir=Path(env.get("SAGSFLOW_FORMS_DIR", base.forms_dir)),
            letters_dir=Path(env.get("SAGSFLOW_LETTERS_DIR", base.letters_dir)),
            demo_mode=_bool(env.get("SAGSFLOW_DEMO_MODE"), base.demo_mode),
            secure_cookies=_bool(env.get("SAGSFLOW_SECURE_COOKIES"), base.secure_cookies),
            broker_url=env.get("SAGSFLOW_BROKER_URL", base.broker_url),
            bench_endpoint=_bool(env.get("SAGSFLOW_BENCH_ENDPOINT"), base.bench_endpoint),
            timer_loop=_bool(env.get("SAGSFLOW_TIMER_LOOP"), base.timer_loop),
            smtp_host=env.get("SAGSFLOW_SMTP_HOST", base.smtp_host),
            smtp_port=int(env.get("SAGSFLOW_SMTP_PORT", base.smtp_port)),
            smtp_from=env.get("SAGSFLOW_SMTP_FROM", base.smtp_from),
            firing_helpers=int(env.get("SAGSFLOW_FIRING_HELPERS", base.firing_helpers)),
        )

    def check(self) -> None:
        """Refuse settings that cannot work together (fail at start-up, not later)."""
        if not self.database_url:
            raise ValueError("SAGSFLOW_DATABASE_URL mangler")
        if not self.workflows_dir.is_dir():
            raise ValueError(f"Mappen med procesmodeller findes ikke: {self.workflows_dir}")
        if not self.forms_dir.is_dir():
            raise ValueError(f"Mappen med formularer findes ikke: {self.forms_dir}")
