"""Deploy time: a BPMN file with the files it calls, validated and turned into an executable spec."""

from __future__ import annotations

import functools
import json
from typing import Any

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from service.engine import bundle, dialects, model_checks, model_errors, spiff_dmn
from service.engine.results import ModelInvalid, ParsedModel, UserTaskInfo
from service.engine.serialisation import serializer

_validator = BpmnValidator()


def parse_model(xml: bytes, filename: str, included: dict[str, bytes] | None = None) -> ParsedModel:
    """Validate a BPMN file with the files it calls (XSD, structure, expressions); return its executable spec.

    ``included`` holds the other BPMN and DMN files (name -> content) its call activities and business
    rule tasks refer to; the spec then contains them, so a version never changes under a running case.
    """
    # The same files give the same (immutable) result: every start-up deploy, and a process owner's repeated
    # Validér of one draft, parse the same bytes again; a refusal is not kept and is worked out anew.
    return _parse_once(xml, filename, tuple((included or {}).items()))


@functools.lru_cache(maxsize=32)
def _parse_once(xml: bytes, filename: str, included_items: tuple[tuple[str, bytes], ...]) -> ParsedModel:
    included = dict(included_items)
    problems: list[str] = []
    fields: list[str | None] = []
    elements: list[str | None] = []

    def add(name: str, found: list[Any]) -> None:
        problems.extend(f"{name}: {p.message}" for p in found)
        fields.extend(f"{name}#{p.where}" if p.where else name for p in found)
        elements.extend(p.element for p in found)

    roots = {}
    for name, content in {filename: xml, **included}.items():
        roots[name], found = model_checks.read(name, content, _validator, main=name == filename)
        add(name, found)
    if problems:
        raise ModelInvalid(problems, fields, elements)
    process_id = bundle.declared(xml).processes[0]
    parser = spiff_dmn.SagsflowParser(validator=_validator)
    current = filename
    try:
        parser.add_bpmn_str(xml, filename=filename)
        for current, content in included.items():
            if current.endswith(".dmn"):
                parser.add_dmn_str(content, filename=current)
            else:
                parser.add_bpmn_str(content, filename=current)
        current = filename
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except Exception as err:  # noqa: BLE001 - any parser failure is the model's; never a 500
        # The element the library names (err.id, or its line) lets the editors show it.
        named = getattr(err, "file_name", None)
        where = named if named in roots else current
        add(where, [model_errors.engine_problem(err, roots.get(where))])
        raise ModelInvalid(problems, fields, elements) from err
    for task_spec in (ts for s in (spec, *subprocess_specs.values()) for ts in s.task_specs.values()):
        definition = getattr(task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition) and dialects.is_iso_timer(definition.expression or ""):
            definition.expression = dialects.quoted(definition.expression)  # PT5M as Camunda Modeler writes it
    try:
        spec_json = json.dumps({
            "spec": serializer.to_dict(spec),
            "subprocess_specs": {name: serializer.to_dict(s) for name, s in subprocess_specs.items()},
        })
    except TypeError as err:  # a construct the library parses but cannot store: refuse, never a 500
        raise ModelInvalid([f"{filename}: Modellen indeholder et element, som Sagsflows motor kan læse, men ikke "
                            "gemme; fjern det senest tilføjede element, og prøv igen."]) from err
    tasks = [
        _task_info_from_spec(ts)
        for s in (spec, *subprocess_specs.values())
        for ts in s.task_specs.values()
        if getattr(ts, "manual", False)
    ]
    missing = [t.bpmn_id for t in tasks if not t.form_key]
    if missing:
        raise ModelInvalid([f"{filename}: {model_checks.missing_form(roots, m)}" for m in missing],
                           [f"{model_checks.file_of(roots, m, filename)}#{m}" for m in missing], list(missing))
    return ParsedModel(process_id, spec.description or process_id, spec_json, tuple(tasks))


def _task_info_from_spec(ts: Any, task_id: str | None = None) -> UserTaskInfo:
    form = getattr(ts, "form", None)
    return UserTaskInfo(
        id=task_id or ts.bpmn_id,
        bpmn_id=ts.bpmn_id,
        name=ts.bpmn_name or ts.bpmn_id,
        lane=ts.lane,
        form_key=getattr(form, "key", None),
        phase=phase(ts),
    )


def phase(spec: Any) -> str | None:
    extensions = spec.extensions if isinstance(spec.extensions, dict) else {}
    value = extensions.get("fase")
    return value if isinstance(value, str) else None
