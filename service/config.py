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
    poll_seconds: int = 30  # how often an open page asks whether new tasks or notices have come (the header badge)
    timer_loop: bool = False  # embedded mode fires timers in-process; production uses Celery beat
    # Production: how many more Celery worker processes a tick may call in when many timers are due at once
    # (set it to the worker processes minus one).
    firing_helpers: int = 3
    token_hours: int = 9  # a bearer token lasts a working day
    # Seconds a process keeps a bearer token's look-up (revocation here ends it at once; from another process
    # within this time: service/access/token_cache.py); 0: looked up on every request.
    token_cache_seconds: int = 30
    # Instances a process keeps deserialised between steps (least recently used out; service/engine/workflow_cache.py);
    # 0: restored from the stored state on every step.
    workflow_cache_size: int = 100
    # Log-in throttling: memory:// serves one process (the embedded default); several nodes share Redis.
    ratelimit_storage: str = "memory://"
    # Wall-clock seconds one model expression or script may run before it is stopped (service/engine/limits.py).
    expression_seconds: float = 1.0
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-For may be believed (the client address)
    # Database connections per process (PostgreSQL): kept open, and extra for a burst. Size them against
    # max_connections as deploy/sagsflow.env.example explains (web: threads + 1; Celery worker process: 2).
    db_pool_size: int = 5
    db_max_overflow: int = 5
    # /metrics: without it only a scrape from the machine itself (loopback) is answered.
    metrics_token: str = ""
    # A Celery worker node's own /metrics (timers fired, lag, failures), e.g. "0.0.0.0:9808"; empty: none.
    worker_metrics_bind: str = ""
    # Production mode: every setting that has a convenient default here must be given, and is checked.
    production: bool = False
    given: frozenset[str] = frozenset()  # the SAGSFLOW_* variables that were set (production refuses defaults)
    # Sign-in through the municipality's identity provider (OpenID Connect); off while the issuer is empty.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_redirect_url: str = ""  # empty: derived from the request (set it behind a reverse proxy)
    oidc_group_claim: str = "groups"
    oidc_scopes: str = "openid profile email"  # add the provider's group scope if it has one (e.g. "groups")
    oidc_group_map: Path | None = None  # TOML: group → role (and team); see deploy/oidc.md
    local_passwords: bool = True  # off: only the identity provider signs people in
    # Documents on cases: "disk" (a directory; the embedded default) or "s3" (S3-compatible object storage).
    document_store: str = "disk"
    documents_dir: Path = ROOT / "instance" / "dokumenter"
    document_max_bytes: int = 25 * 1024 * 1024  # SAGSFLOW_DOKUMENT_MAKS_MB, in MB
    s3_bucket: str = ""
    s3_endpoint_url: str = ""  # empty: AWS itself; e.g. https://s3.kommune.dk for MinIO or Ceph
    s3_region: str = ""
    s3_prefix: str = ""  # keys under this prefix, e.g. "sagsflow/" in a shared bucket
    # Empty: boto3's own chain (AWS_* variables, a shared credentials file, an instance role).
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    # Retention (domain.md §7): a closed case is archived this many months after it closed (sagsflow arkiv).
    archive_after_months: int = 24

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer)

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
            poll_seconds=int(env.get("SAGSFLOW_POLL_SECONDS", base.poll_seconds)),
            firing_helpers=int(env.get("SAGSFLOW_FIRING_HELPERS", base.firing_helpers)),
            db_pool_size=int(env.get("SAGSFLOW_DB_POOL_SIZE", base.db_pool_size)),
            db_max_overflow=int(env.get("SAGSFLOW_DB_MAX_OVERFLOW", base.db_max_overflow)),
            metrics_token=env.get("SAGSFLOW_METRICS_TOKEN", base.metrics_token),
            worker_metrics_bind=env.get("SAGSFLOW_WORKER_METRICS_BIND", base.worker_metrics_bind),
            production=_bool(env.get("SAGSFLOW_PRODUCTION"), base.production),
            token_hours=int(env.get("SAGSFLOW_TOKEN_HOURS", base.token_hours)),
            token_cache_seconds=int(env.get("SAGSFLOW_TOKEN_CACHE_SECONDS", base.token_cache_seconds)),
            workflow_cache_size=int(env.get("SAGSFLOW_WORKFLOW_CACHE", base.workflow_cache_size)),
            ratelimit_storage=env.get("SAGSFLOW_RATELIMIT_STORAGE")
            or (env["SAGSFLOW_BROKER_URL"] if _bool(env.get("SAGSFLOW_PRODUCTION")) and env.get("SAGSFLOW_BROKER_URL")
                else base.ratelimit_storage),
            trusted_proxies=int(env.get("SAGSFLOW_TRUSTED_PROXIES", base.trusted_proxies)),
            oidc_issuer=env.get("SAGSFLOW_OIDC_ISSUER", "").strip(),
            oidc_client_id=env.get("SAGSFLOW_OIDC_CLIENT_ID", "").strip(),
            oidc_client_secret=env.get("SAGSFLOW_OIDC_CLIENT_SECRET", ""),
            oidc_redirect_url=env.get("SAGSFLOW_OIDC_REDIRECT_URL", "").strip(),
            oidc_group_claim=env.get("SAGSFLOW_OIDC_GROUP_CLAIM", "").strip() or base.oidc_group_claim,
            oidc_scopes=" ".join(env.get("SAGSFLOW_OIDC_SCOPES", "").split()) or base.oidc_scopes,
            oidc_group_map=Path(env["SAGSFLOW_OIDC_GROUP_MAP"]) if env.get("SAGSFLOW_OIDC_GROUP_MAP") else None,
            local_passwords=_bool(env.get("SAGSFLOW_LOCAL_PASSWORDS"), base.local_passwords),
            expression_seconds=float(env.get("SAGSFLOW_EXPRESSION_SECONDS", base.expression_seconds)),
            document_store=env.get("SAGSFLOW_DOKUMENT_LAGER", "").strip().lower() or base.document_store,
            documents_dir=Path(env.get("SAGSFLOW_DOKUMENT_MAPPE", base.documents_dir)),
            document_max_bytes=int(float(env["SAGSFLOW_DOKUMENT_MAKS_MB"]) * 1024 * 1024)
            if env.get("SAGSFLOW_DOKUMENT_MAKS_MB") else base.document_max_bytes,
            s3_bucket=env.get("SAGSFLOW_S3_BUCKET", "").strip(),
            s3_endpoint_url=env.get("SAGSFLOW_S3_ENDPOINT_URL", "").strip(),
            s3_region=env.get("SAGSFLOW_S3_REGION", "").strip(),
            s3_prefix=env.get("SAGSFLOW_S3_PREFIX", "").strip(),
            s3_access_key_id=env.get("SAGSFLOW_S3_ACCESS_KEY_ID", "").strip(),
            s3_secret_access_key=env.get("SAGSFLOW_S3_SECRET_ACCESS_KEY", ""),
            archive_after_months=int(env.get("SAGSFLOW_ARKIVERING_EFTER_MAANEDER", base.archive_after_months)),
            given=frozenset(k for k, v in env.items() if k.startswith("SAGSFLOW_") and v.strip()),
        )

    def check(self) -> None:
        """Refuse settings that cannot work together (fail at start-up with one clear line, not later)."""
        if not self.database_url:
            raise ConfigError("SAGSFLOW_DATABASE_URL mangler")
        if not self.workflows_dir.is_dir():
            raise ConfigError(f"Mappen med procesmodeller findes ikke: {self.workflows_dir}")
        if not self.forms_dir.is_dir():
            raise ConfigError(f"Mappen med formularer findes ikke: {self.forms_dir}")
        self._check_oidc()
        if not 0 < self.expression_seconds <= 60:
            raise ConfigError("SAGSFLOW_EXPRESSION_SECONDS skal være over 0 og højst 60")
        if not 0 <= self.token_cache_seconds <= 300:
            raise ConfigError("SAGSFLOW_TOKEN_CACHE_SECONDS skal være mellem 0 og 300 (så længe kan en tilbagekaldelse "
                              "i en anden proces være om at slå igennem)")
        if not 1 <= self.poll_seconds <= 3600:
            raise ConfigError("SAGSFLOW_POLL_SECONDS skal være mellem 1 og 3600 (sekunder mellem sidernes opslag)")
        if not 0 <= self.workflow_cache_size <= 10_000:
            raise ConfigError("SAGSFLOW_WORKFLOW_CACHE skal være mellem 0 og 10000 (sager i hukommelsen pr. proces)")
        self._check_documents()
        if not 6 <= self.archive_after_months <= 1200:
            raise ConfigError("SAGSFLOW_ARKIVERING_EFTER_MAANEDER skal være mellem 6 og 1200 (måneder fra sagen er "
                              "afsluttet, til den arkiveres; en klage eller en ny underretning kommer ofte inden)")
        if self.production:
            self._check_production()

    def _check_documents(self) -> None:
        if self.document_store not in ("disk", "s3"):
            raise ConfigError("SAGSFLOW_DOKUMENT_LAGER skal være disk eller s3")
        if self.document_store == "s3" and not self.s3_bucket:
            raise ConfigError("SAGSFLOW_S3_BUCKET mangler (dokumentlageret er s3)")
        if not 1024 <= self.document_max_bytes <= 1024 ** 3:
            raise ConfigError("SAGSFLOW_DOKUMENT_MAKS_MB skal være mellem 0,001 og 1024 (megabytes pr. dokument)")

    def _check_oidc(self) -> None:
        if not self.oidc_enabled:
            if not self.local_passwords:
                raise ConfigError("SAGSFLOW_LOCAL_PASSWORDS=0 kræver SAGSFLOW_OIDC_ISSUER (ellers kan ingen logge ind)")
            return
        if not self.oidc_issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ConfigError("SAGSFLOW_OIDC_ISSUER skal være en https-adresse (fx https://login.kommune.dk/realms/ansatte)")
        for name, value in (("CLIENT_ID", self.oidc_client_id), ("CLIENT_SECRET", self.oidc_client_secret)):
            if not value:
                raise ConfigError(f"SAGSFLOW_OIDC_{name} mangler (fra klientregistreringen hos identitetsudbyderen)")
        if "openid" not in self.oidc_scopes.split():
            raise ConfigError("SAGSFLOW_OIDC_SCOPES skal indeholde openid")
        if self.oidc_group_map is None:
            raise ConfigError("SAGSFLOW_OIDC_GROUP_MAP mangler (sti til TOML-filen, der oversætter grupper til roller)")
        from service.access.group_map import load_group_map
        load_group_map(self.oidc_group_map)  # raises ConfigError naming the file and the bad entry
        if self.production and not self.oidc_redirect_url.startswith("https://"):
            raise ConfigError("SAGSFLOW_OIDC_REDIRECT_URL skal angives med https i produktion "
                              "(fx https://sagsflow.kommune.dk/log-ind/oidc/retur)")

    def _check_production(self) -> None:
        # In production a default is a mistake: it would quietly point at localhost or a throwaway secret.
        if "SAGSFLOW_DATABASE_URL" not in self.given or not self.database_url.startswith("postgresql"):
            raise ConfigError("SAGSFLOW_DATABASE_URL skal pege på PostgreSQL i produktion "
                              "(postgresql+psycopg://bruger@vaert:5432/sagsflow)")
        if "SAGSFLOW_SECRET_KEY" not in self.given:
            raise ConfigError("SAGSFLOW_SECRET_KEY mangler (64 tilfældige hex-tegn: python3 -c "
                              "'import secrets; print(secrets.token_hex(32))')")
        if len(self.secret_key) < 32 or any(p in self.secret_key.lower() for p in _PLACEHOLDERS):
            raise ConfigError("SAGSFLOW_SECRET_KEY er en pladsholder eller for kort (mindst 32 tegn, tilfældige)")
        if "SAGSFLOW_BROKER_URL" not in self.given and not self.timer_loop:
            raise ConfigError("SAGSFLOW_BROKER_URL mangler (Redis til Celery, fx redis://redis:6379/0)")
        if not self.secure_cookies:
            raise ConfigError("SAGSFLOW_SECURE_COOKIES=1 kræves i produktion (cookies kun over HTTPS)")
        if self.demo_mode:
            raise ConfigError("SAGSFLOW_DEMO_MODE må ikke være slået til i produktion")


class ConfigError(ValueError):
    """A setting that stops start-up; its message is the one line the operator sees."""


_PLACEHOLDERS = ("change-me", "changeme", "skift-mig", "replace", "secret", "xxxx")
