"""Deploying process models: validate, store immutable numbered versions, look them up."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import func, select

from service import clock, locks
from service.access.models import User
from service.engine import bundle, spiff
from service.engine.models import RUNNING, ProcessInstance, ProcessVersion
from service.errors import FieldError, NotFound, ValidationFailed
from service.forms import service as forms
from service.process_models import changes, table_check
from service.uow import UnitOfWork


@dataclass(frozen=True)
class DeployOutcome:
    version: ProcessVersion
    created: bool
    kept: bool = False  # the file differs, but a process owner's own deployment was kept (see deploy_directory)


_DEADLINE_REFERENCE = re.compile(r"""\b(?:frist|advis|tidspunkt)\(\s*(?:"|'|&quot;)([A-Za-z0-9_]+)""")
_DEADLINE_VARIABLE = re.compile(r"""\b(?:frist|advis|tidspunkt)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,""")
_ASSIGNED_ID = re.compile(r"""\b([A-Za-z_][A-Za-z0-9_]*)\s*=\s*["']([A-Za-z0-9_]+)["']""")


def model_sources(workflows_dir: Path | None, overrides: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The BPMN and DMN files references are resolved from: workflows/, with uploaded files replacing theirs."""
    sources = {}
    if workflows_dir is not None:
        for path in sorted([*workflows_dir.glob("*.bpmn"), *workflows_dir.glob("*.dmn")]):
            sources[path.name] = path.read_bytes()
    return {**sources, **(overrides or {})}


def included_files(filename: str, xml: bytes, sources: dict[str, bytes]) -> dict[str, bytes]:
    """Every file the model reaches through call activities and decision references, or 422 in Danish."""
    by_process: dict[str, str] = {}
    by_decision: dict[str, str] = {}
    for name, content in sources.items():
        if name == filename:
            continue
        try:
            found = bundle.declared(content)
        except etree.XMLSyntaxError:
            continue  # a broken neighbour only matters if it is needed, and then it is unresolved
        for process_id in found.processes:
            by_process.setdefault(process_id, name)
        for decision_id in found.decisions:
            by_decision.setdefault(decision_id, name)
    included: dict[str, bytes] = {}
    problems = []
    queue = [(filename, xml)]
    while queue:
        name, content = queue.pop()
        refs = table_check.declared(name, content)
        for process_id in sorted(refs.called_processes - set(refs.processes)):
            target = by_process.get(process_id)
            if target is None:
                element = _element_with(content, "callActivity", "calledElement", process_id)
                problems.append(FieldError(field=f"{name}#{element}" if element else name, element=element, message=(
                    f"Kaldaktiviteten henviser til processen '{process_id}', som ikke findes i nogen BPMN-fil.")))
            elif target not in included and target != filename:
                included[target] = sources[target]
                queue.append((target, sources[target]))
        for decision_id in sorted(refs.called_decisions):
            target = by_decision.get(decision_id)
            if target is None:
                element = _element_with(content, "businessRuleTask", f"{{{bundle.CAMUNDA_NS}}}decisionRef", decision_id)
                problems.append(FieldError(field=f"{name}#{element}" if element else name, element=element, message=(
                    f"Forretningsreglen henviser til beslutningstabellen '{decision_id}', som ikke findes i nogen "
                    "DMN-fil.")))
            elif target not in included:
                included[target] = sources[target]
    if problems:
        raise ValidationFailed("Procesmodellen henviser til processer eller beslutningstabeller, der ikke findes.",
                               problems)
    return dict(sorted(included.items()))


def _element_with(xml: bytes, tag: str, attribute: str, value: str) -> str | None:
    """The id of the first element of a kind whose attribute has a value (for the editors to show it)."""
    for node in bundle.root_element(xml).iter(f"{{{bundle.BPMN_NS}}}{tag}"):
        if node.get(attribute) == value:
            return node.get("id")
    return None


def _has_id(xml: bytes, element_id: str) -> bool:
    return bool(bundle.root_element(xml).xpath("//*[@id=$id]", id=element_id))


def _element_naming(xml: bytes, deadline_id: str) -> str | None:
    """The timer (or other element) whose expression names a deadline."""
    for node in bundle.root_element(xml).iter(f"{{{bundle.BPMN_NS}}}*"):
        if node.text and deadline_id in node.text and _DEADLINE_REFERENCE.search(node.text):
            while node is not None and not node.get("id"):
                node = node.getparent()
            return node.get("id") if node is not None else None
    return None


@dataclass(frozen=True)
class Prepared:
    """A model that passed every check, ready to store: what a deploy would write, nothing written yet."""

    filename: str
    xml: bytes
    process_id: str
    name: str
    spec_json: str
    form_schemas: dict
    included: dict[str, bytes]
    content_hash: str


def prepare_file(*, filename: str, xml: bytes, forms_dir: Path, deadline_ids: frozenset[str] | None = None,
                 sources: dict[str, bytes] | None = None) -> Prepared:
    """Validate one model with the files it calls (422 in Danish); touches no database."""
    included = included_files(filename, xml, sources or {})
    try:
        parsed = spiff.parse_model(xml, filename, included)
    except spiff.ModelInvalid as err:
        raise ValidationFailed("Procesmodellen kan ikke udrulles.",
                               [FieldError(field=f or filename, message=p, element=e)
                                for p, f, e in zip(err.problems, err.fields, err.elements, strict=True)]) from err
    if deadline_ids is not None:
        unknown = sorted({(name, d) for name, content in {filename: xml, **included}.items()
                          if name.endswith(".bpmn")
                          for d in _DEADLINE_REFERENCE.findall(content.decode("utf-8", "replace"))
                          if d not in deadline_ids})
        if unknown:
            sources_by_name = {filename: xml, **included}
            raise ValidationFailed("Procesmodellen henviser til frister, der ikke findes i fristkataloget.", [
                FieldError(field=f"{name}#{element}" if element else name, element=element,
                           message=f"Fristen '{d}' findes ikke i frister.toml.")
                for name, d in unknown for element in [_element_naming(sources_by_name[name], d)]])
    form_schemas = {}
    problems = []
    for task in parsed.user_tasks:
        try:
            form_schemas[task.form_key] = forms.load_form(forms_dir, task.form_key)
        except forms.FormInvalid as err:
            holder = next((name for name, content in {filename: xml, **included}.items()
                           if _has_id(content, task.bpmn_id)), filename)  # a called process's task: its own file
            problems.append(FieldError(field=f"{holder}#{task.bpmn_id}", message=str(err), element=task.bpmn_id))
    if problems:
        raise ValidationFailed("Procesmodellen henviser til formularer, der mangler eller er ugyldige.", problems)

    digest = hashlib.sha256(xml)
    for name, content in included.items():  # sorted: the same files give the same hash
        digest.update(b"\0" + name.encode() + b"\0" + content)
    digest.update(json.dumps(form_schemas, sort_keys=True).encode())
    return Prepared(filename, xml, parsed.process_id, parsed.name, parsed.spec_json, form_schemas, included,
                    digest.hexdigest())


def _existing(uow: UnitOfWork, prepared: Prepared) -> ProcessVersion | None:
    return uow.session.scalar(select(ProcessVersion).where(
        ProcessVersion.process_id == prepared.process_id, ProcessVersion.content_hash == prepared.content_hash))


def _latest_number(uow: UnitOfWork, process_id: str) -> int:
    return uow.session.scalar(select(func.max(ProcessVersion.version))
                              .where(ProcessVersion.process_id == process_id)) or 0


def _newest(uow: UnitOfWork, process_id: str) -> ProcessVersion | None:
    return uow.session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                              .order_by(ProcessVersion.version.desc()).limit(1))


def _same_as_newest(uow: UnitOfWork, prepared: Prepared) -> ProcessVersion | None:
    """The newest version, when the prepared model differs from it in the drawing only (shapes moved, the file
    re-saved by an editor): the same text a reader sees, and the same spec for the engine (the spec keeps the
    order that matters, e.g. of a gateway's flows, in its lists; the order of its keys follows the file)."""
    newest = _newest(uow, prepared.process_id)
    if newest is None:
        return None
    same_text = changes.text_digest(newest.bpmn_xml, newest.files or {}, newest.forms or {}) == changes.text_digest(
        prepared.xml, prepared.included, prepared.form_schemas)
    return newest if same_text and json.loads(newest.spec_json) == json.loads(prepared.spec_json) else None


def store(uow: UnitOfWork, prepared: Prepared, *, actor_id: int | None = None,
          drawing_is_a_change: bool = True) -> DeployOutcome:
    """Store a prepared model as the next version, unless an identical one exists (or, when the drawing is no
    change, the newest differs from it in the drawing only)."""
    # Nodes starting together all deploy the same files: in turn, the later ones find the version stored.
    locks.take_turn(uow.session, locks.DEPLOY, sqlite_table=ProcessVersion.__table__)
    existing = _existing(uow, prepared) or (None if drawing_is_a_change else _same_as_newest(uow, prepared))
    if existing is not None:
        return DeployOutcome(existing, created=False)
    version = ProcessVersion(
        process_id=prepared.process_id, name=prepared.name, version=_latest_number(uow, prepared.process_id) + 1,
        content_hash=prepared.content_hash, filename=prepared.filename, bpmn_xml=prepared.xml.decode("utf-8"),
        spec_json=prepared.spec_json, forms=prepared.form_schemas,
        files={name: content.decode("utf-8") for name, content in prepared.included.items()},
        deployed_at=clock.now(), deployed_by=actor_id,
    )
    uow.session.add(version)
    uow.session.flush()
    return DeployOutcome(version, created=True)


def deploy_file(uow: UnitOfWork, *, filename: str, xml: bytes, forms_dir: Path,
                deadline_ids: frozenset[str] | None = None, actor_id: int | None = None,
                sources: dict[str, bytes] | None = None) -> DeployOutcome:
    """Validate one model with the files it calls; store it as a new version unless an identical one exists."""
    return store(uow, prepare_file(filename=filename, xml=xml, forms_dir=forms_dir, deadline_ids=deadline_ids,
                                   sources=sources), actor_id=actor_id)


def deploy_directory(uow: UnitOfWork, *, workflows_dir: Path, forms_dir: Path,
                     deadline_ids: frozenset[str] | None = None, actor_id: int | None = None,
                     overrides: dict[str, bytes] | None = None, keep_owner_changes: bool = False,
                     ) -> list[DeployOutcome]:
    """Deploy every BPMN file; a changed called process or DMN table gives its callers new versions too.

    `keep_owner_changes` (start-up): a changed file is not deployed over a version a process owner deployed in
    the app (browser modeler or upload), which would silently undo their change for new cases; the outcome
    says so, and the owner takes the file in through the app when ready.
    """
    sources = model_sources(workflows_dir, overrides)
    outcomes = []
    for name, content in sources.items():
        if not name.endswith(".bpmn"):
            continue
        prepared = prepare_file(filename=name, xml=content, forms_dir=forms_dir, deadline_ids=deadline_ids,
                                sources=sources)
        newest = _newest(uow, prepared.process_id)
        if (keep_owner_changes and newest is not None and newest.deployed_by is not None
                and _existing(uow, prepared) is None):
            outcomes.append(DeployOutcome(newest, created=False, kept=True))
        else:
            outcomes.append(store(uow, prepared, actor_id=actor_id))
    return outcomes


def _newest_versions(uow: UnitOfWork) -> list[Any]:
    """Each process's newest version (id, name, filename, BPMN, called files), oldest first."""
    newest = select(func.max(ProcessVersion.id)).group_by(ProcessVersion.process_id)
    return list(uow.session.execute(
        select(ProcessVersion.id, ProcessVersion.name, ProcessVersion.filename, ProcessVersion.bpmn_xml,
               ProcessVersion.files).where(ProcessVersion.id.in_(newest)).order_by(ProcessVersion.id)))


def deployed_sources(uow: UnitOfWork) -> dict[str, bytes]:
    """The models as deployed now: each process's newest version, and each DMN table as the newest version that
    holds it was deployed with. An upload is resolved against these, so deploying one file never brings back an
    older text of another (e.g. a table change must not undo a change made in the browser modeler)."""
    # A changed table gives every process using it a new version, so the newest versions hold the newest tables.
    tables: dict[str, bytes] = {}
    processes: dict[str, bytes] = {}
    for _id, _name, filename, xml, files in _newest_versions(uow):  # oldest first: a later deploy's copy wins
        tables |= {name: text.encode() for name, text in (files or {}).items() if name.endswith(".dmn")}
        processes[filename] = xml.encode()
    return tables | processes


def deadline_usage(uow: UnitOfWork) -> dict[str, list[str]]:
    """Deadline id → the timers that name it in the processes' newest versions («process: timer»)."""
    used: dict[str, list[str]] = {}
    for _id, process_name, _filename, xml, _files in _newest_versions(uow):
        root = bundle.root_element(xml.encode())
        # A timer may name its deadline through a variable a script sets, e.g. the follow-up rounds'
        # frist(opfoelgning_frist, …) after opfoelgning_frist = "opfoelgning_foerste".
        assigned: dict[str, list[str]] = {}
        for script in root.iter(f"{{{bundle.BPMN_NS}}}script"):
            for variable, value in _ASSIGNED_ID.findall(script.text or ""):
                assigned.setdefault(variable, []).append(value)
        for timer in root.iter(f"{{{bundle.BPMN_NS}}}timerEventDefinition"):
            event = timer.getparent()
            text = "".join(timer.itertext())
            named = _DEADLINE_REFERENCE.findall(text) + [
                value for variable in _DEADLINE_VARIABLE.findall(text) for value in assigned.get(variable, [])]
            for deadline_id in dict.fromkeys(named):
                used.setdefault(deadline_id, []).append(f"{process_name}: {event.get('name') or event.get('id')}")
    return used


@dataclass(frozen=True)
class TableLine:
    """A deployed DMN table: where its newest text can be read, and the processes that use it now."""

    filename: str
    version_id: int
    used_by: list[str]


def tables(uow: UnitOfWork) -> list[TableLine]:
    found: dict[str, tuple[int, list[str]]] = {}
    for version_id, name, _filename, _xml, files in _newest_versions(uow):
        for table in sorted(n for n in (files or {}) if n.endswith(".dmn")):
            found[table] = (version_id, [*found.get(table, (0, []))[1], name])  # the newest copy wins
    return [TableLine(name, version_id, sorted(used)) for name, (version_id, used) in sorted(found.items())]


def table(uow: UnitOfWork, filename: str) -> TableLine:
    line = next((t for t in tables(uow) if t.filename == filename), None)
    if line is None:
        raise NotFound(f"Beslutningstabellen '{filename}' er ikke udrullet.")
    return line


def _upload_plan(uow: UnitOfWork, *, filename: str, content: bytes, workflows_dir: Path, forms_dir: Path,
                 deadline_ids: frozenset[str] | None) -> list[Prepared]:
    """The uploaded model (a BPMN file) and every process that calls it, each validated; 422 on the first that
    fails, so an upload is deployed whole or not at all. Files never deployed come from workflows/."""
    sources = model_sources(workflows_dir, {**deployed_sources(uow), filename: content})
    if filename.endswith(".dmn"):
        decisions = table_check.check_table(filename, content)
    callers = [name for name, xml in sources.items() if name.endswith(".bpmn") and name != filename
               and filename in _included_or_empty(name, xml, sources)]
    if filename.endswith(".dmn") and not callers:
        raise ValidationFailed("Beslutningstabellen bruges ikke af nogen proces.", [FieldError(
            field=filename, message=f"Ingen proces henviser til {', '.join(sorted(d for d in decisions if d))}.")])
    names = ([filename] if filename.endswith(".bpmn") else []) + callers
    return [prepare_file(filename=name, xml=sources[name], forms_dir=forms_dir, deadline_ids=deadline_ids,
                         sources=sources) for name in names]


def deploy_upload(uow: UnitOfWork, *, filename: str, content: bytes, workflows_dir: Path, forms_dir: Path,
                  deadline_ids: frozenset[str] | None = None, actor_id: int | None = None) -> list[DeployOutcome]:
    """An uploaded file is deployed with what it calls, and so is every process that calls it.

    A running case keeps the version it started on; the callers' new versions make new cases use the
    changed called process or decision table.
    """
    plan = _upload_plan(uow, filename=filename, content=content, workflows_dir=workflows_dir, forms_dir=forms_dir,
                        deadline_ids=deadline_ids)
    # An editor re-saves the whole file, so only a change beyond the drawing makes a version. Start-up, deploying
    # the repository's workflows/, still takes a re-drawn file in: it is the text of record.
    return [store(uow, prepared, actor_id=actor_id, drawing_is_a_change=False) for prepared in plan]


@dataclass(frozen=True)
class Checked:
    """What deploying an upload would do to one process: its next version (and what changes against the newest),
    or the identical one it already has."""

    process_id: str
    name: str
    version: int
    new_version: bool
    changes: list[str]


def check_upload(uow: UnitOfWork, *, filename: str, content: bytes, workflows_dir: Path, forms_dir: Path,
                 deadline_ids: frozenset[str] | None = None) -> list[Checked]:
    """Every check a deploy makes, without deploying (the modeler's «Validér»); 422 in Danish when it fails."""
    checked = []
    for prepared in _upload_plan(uow, filename=filename, content=content, workflows_dir=workflows_dir,
                                 forms_dir=forms_dir, deadline_ids=deadline_ids):
        existing = _existing(uow, prepared) or _same_as_newest(uow, prepared)
        if existing is not None:
            checked.append(Checked(prepared.process_id, prepared.name, existing.version, False, []))
            continue
        newest = _newest(uow, prepared.process_id)
        found = [] if newest is None else changes.version_changes(
            newest.bpmn_xml, newest.files or {}, prepared.xml.decode(),
            {name: content.decode() for name, content in prepared.included.items()}) + changes.form_changes(
            newest.forms or {}, prepared.form_schemas)
        checked.append(Checked(prepared.process_id, prepared.name, (newest.version if newest else 0) + 1, True,
                               [str(c) for c in found]))
    return checked


def changes_from_previous(uow: UnitOfWork, version: ProcessVersion) -> list[changes.Change] | None:
    """What changed against the version before (None for the first)."""
    previous = uow.session.scalar(select(ProcessVersion).where(
        ProcessVersion.process_id == version.process_id, ProcessVersion.version == version.version - 1))
    if previous is None:
        return None
    return (changes.version_changes(previous.bpmn_xml, previous.files or {}, version.bpmn_xml, version.files or {})
            + changes.form_changes(previous.forms or {}, version.forms or {}))


def _included_or_empty(name: str, xml: bytes, sources: dict[str, bytes]) -> dict[str, bytes]:
    # A neighbour that does not resolve is not this upload's concern; it fails when deployed itself.
    try:
        return included_files(name, xml, sources)
    except ValidationFailed:
        return {}


def latest(uow: UnitOfWork, process_id: str) -> ProcessVersion:
    version = _newest(uow, process_id)
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


@dataclass(frozen=True)
class VersionLine:
    """A deployed version as the process owner sees it: who deployed it, and how many cases still run on it."""

    version: ProcessVersion
    deployed_by: str | None
    running: int


def _version_lines(uow: UnitOfWork, *where: Any) -> list[VersionLine]:
    running = (select(ProcessInstance.process_version_id, func.count().label("n"))
               .where(ProcessInstance.status == RUNNING).group_by(ProcessInstance.process_version_id).subquery())
    rows = uow.session.execute(
        select(ProcessVersion, User.full_name, func.coalesce(running.c.n, 0))
        .outerjoin(User, User.id == ProcessVersion.deployed_by)
        .outerjoin(running, running.c.process_version_id == ProcessVersion.id)
        .where(*where).order_by(ProcessVersion.process_id, ProcessVersion.version.desc()))
    return [VersionLine(version, by, n) for version, by, n in rows]


def versions_of(uow: UnitOfWork, process_id: str) -> list[VersionLine]:
    """One process's versions, newest first."""
    lines = _version_lines(uow, ProcessVersion.process_id == process_id)
    if not lines:
        raise NotFound(f"Processen '{process_id}' er ikke udrullet.")
    return lines


@dataclass(frozen=True)
class ProcessLine:
    latest: VersionLine
    versions: int
    running: int  # on all its versions


def processes(uow: UnitOfWork) -> list[ProcessLine]:
    """Every deployed process with its newest version, by name."""
    by_process: dict[str, list[VersionLine]] = {}
    for line in _version_lines(uow):
        by_process.setdefault(line.version.process_id, []).append(line)
    return sorted((ProcessLine(lines[0], len(lines), sum(v.running for v in lines)) for lines in by_process.values()),
                  key=lambda p: p.latest.version.name.lower())


_form_cache: dict[tuple[str, str], dict] = {}


def form_schema(version: ProcessVersion, form_key: str) -> dict:
    """A version's form schema; versions never change, so each is read from the database once."""
    key = (version.content_hash, form_key)
    if key not in _form_cache:
        _form_cache[key] = version.forms.get(form_key, {})
    return _form_cache[key]
