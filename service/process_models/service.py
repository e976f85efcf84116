"""Deploying process models: validate, store immutable numbered versions, look them up."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from service import clock
from service.engine import spiff
from service.errors import FieldError, NotFound, ValidationFailed
from service.forms import service as forms
from service.process_models.models import ProcessVersion
from service.uow import UnitOfWork


@dataclass(frozen=True)
class DeployOutcome:
    version: ProcessVersion
    created: bool


_DEADLINE_REFERENCE = re.compile(r"""\b(?:frist|advis)\(\s*(?:"|'|&quot;)([A-Za-z0-9_]+)""")


def deploy_file(uow: UnitOfWork, *, filename: str, xml: bytes, forms_dir: Path,
                deadline_ids: frozenset[str] | None = None, actor_id: int | None = None) -> DeployOutcome:
    """Validate one model and store it as a new version unless an identical one exists."""
    try:
        parsed = spiff.parse_model(xml, filename)
    except spiff.ModelInvalid as err:
        raise ValidationFailed("Procesmodellen kan ikke udrulles.",
                               [FieldError(field=filename, message=p) for p in err.problems]) from err
    if deadline_ids is not None:
        unknown = sorted(set(_DEADLINE_REFERENCE.findall(xml.decode("utf-8", "replace"))) - deadline_ids)
        if unknown:
            raise ValidationFailed("Procesmodellen henviser til frister, der ikke findes i fristkataloget.", [
                FieldError(field=filename, message=f"Fristen '{d}' findes ikke i frister.toml.") for d in unknown])
    form_schemas = {}
    problems = []
    for task in parsed.user_tasks:
        try:
            form_schemas[task.form_key] = forms.load_form(forms_dir, task.form_key)
        except forms.FormInvalid as err:
            problems.append(FieldError(field=f"{filename}#{task.bpmn_id}", message=str(err)))
    if problems:
        raise ValidationFailed("Procesmodellen henviser til formularer, der mangler eller er ugyldige.", problems)

    content_hash = hashlib.sha256(xml + json.dumps(form_schemas, sort_keys=True).encode()).hexdigest()
    session = uow.session
    existing = session.scalar(select(ProcessVersion).where(
        ProcessVersion.process_id == parsed.process_id, ProcessVersion.content_hash == content_hash))
    if existing is not None:
        return DeployOutcome(existing, created=False)
    latest = session.scalar(select(func.max(ProcessVersion.version))
                            .where(ProcessVersion.process_id == parsed.process_id)) or 0
    version = ProcessVersion(
        process_id=parsed.process_id, name=parsed.name, version=latest + 1, content_hash=content_hash,
        filename=filename, bpmn_xml=xml.decode("utf-8"), spec_json=parsed.spec_json, forms=form_schemas,
        deployed_at=clock.now(), deployed_by=actor_id,
    )
    session.add(version)
    session.flush()
    return DeployOutcome(version, created=True)


def deploy_directory(uow: UnitOfWork, *, workflows_dir: Path, forms_dir: Path,
                     deadline_ids: frozenset[str] | None = None, actor_id: int | None = None) -> list[DeployOutcome]:
    return [
        deploy_file(uow, filename=path.name, xml=path.read_bytes(), forms_dir=forms_dir,
                    deadline_ids=deadline_ids, actor_id=actor_id)
        for path in sorted(workflows_dir.glob("*.bpmn"))
    ]


def latest(uow: UnitOfWork, process_id: str) -> ProcessVersion:
    version = uow.session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                                 .order_by(ProcessVersion.version.desc()).limit(1))
    if version is None:
        raise NotFound(f"Processen '{process_id}' er ikke udrullet.")
    return version


def get(uow: UnitOfWork, version_id: int) -> ProcessVersion:
    version = uow.session.get(ProcessVersion, version_id)
    if version is None:
        raise NotFound("Procesversionen findes ikke.")
    return version


def list_versions(uow: UnitOfWork) -> list[ProcessVersion]:
    return list(uow.session.scalars(select(ProcessVersion)
                                    .order_by(ProcessVersion.process_id, ProcessVersion.version.desc())))


_form_cache: dict[tuple[str, str], dict] = {}


def form_schema(version: ProcessVersion, form_key: str) -> dict:
    """A version's form schema; versions never change, so each is read from the database once."""
    key = (version.content_hash, form_key)
    if key not in _form_cache:
        _form_cache[key] = version.forms.get(form_key, {})
    return _form_cache[key]
