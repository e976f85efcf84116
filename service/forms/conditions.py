"""A form's if/then rules in words: «Når «Barnet er i akut fare» er «Ja»», so a caseworker told that an answer
does not fit another one reads which answer and why, in the form's own titles and option labels, not its codes."""

from __future__ import annotations

from typing import Any


def labels_of(root: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The option labels a form gives its values (x-ui.labels: field name → value → label)."""
    ui = root.get("x-ui")
    labels = ui.get("labels") if isinstance(ui, dict) else None
    return labels if isinstance(labels, dict) else {}


def shown(labels: dict[str, dict[str, str]], name: str, value: Any) -> str:
    """A value as the form shows it: its option label, Ja/Nej for booleans, else the value itself."""
    key = "true" if value is True else "false" if value is False else str(value)
    default = {"true": "Ja", "false": "Nej"}.get(key, key) if isinstance(value, bool) else key
    field_labels = labels.get(name)
    return field_labels.get(key, default) if isinstance(field_labels, dict) else default


def condition(rule: dict[str, Any], props: dict[str, Any], labels: dict[str, dict[str, str]]) -> str | None:
    """The rule's `if` in words (const, enum and contains-const tests), or None when it says something else."""
    tests = rule.get("if", {}).get("properties", {}) if isinstance(rule.get("if"), dict) else {}
    words = []
    for name, test in tests.items():
        if not isinstance(test, dict):
            return None
        title = props.get(name, {}).get("title", name) if isinstance(props.get(name), dict) else name
        if "const" in test:
            words.append(f"«{title}» er «{shown(labels, name, test['const'])}»")
        elif isinstance(test.get("contains"), dict) and "const" in test["contains"]:
            words.append(f"«{title}» omfatter «{shown(labels, name, test['contains']['const'])}»")
        elif isinstance(test.get("enum"), list):
            words.append(f"«{title}» er {' eller '.join(f'«{shown(labels, name, v)}»' for v in test['enum'])}")
        else:
            return None
    return " og ".join(words) or None


def of_error(root: dict[str, Any], schema_path: list[Any]) -> str | None:
    """The condition of the innermost if/then rule an error came from (its path into the schema), in words."""
    node: Any = root
    found = None
    for i, part in enumerate(schema_path):
        if part == "then" and i >= 2 and schema_path[i - 2] == "allOf" and isinstance(node, dict):
            holder = _at(root, schema_path[:i - 2])
            props = holder.get("properties", {}) if isinstance(holder, dict) else {}
            found = condition(node, props, labels_of(root))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return found
    return found


def _at(root: dict[str, Any], path: list[Any]) -> Any:
    node: Any = root
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node
