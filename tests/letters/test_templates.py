"""The municipality's templates are checked with sample data before use: broken ones are refused in Danish."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.cli import main
from service.config import ROOT
from service.letters import templates
from service.letters.templates import LettersInvalid


@pytest.fixture
def letters_dir(tmp_path: Path) -> Path:
    target = tmp_path / "letters"
    shutil.copytree(ROOT / "letters", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_shipped_templates_pass(letters_dir):
    assert len(templates.load(letters_dir).template_hash) == 64


def test_a_syntax_error_is_refused_with_its_line(letters_dir):
    _edit(letters_dir / "afgoerelse.html.j2", "{% endif %}", "{% endiff %}")
    with pytest.raises(LettersInvalid, match=r"Brevskabelonen «afgoerelse.html.j2» har en fejl i linje \d+"):
        templates.load(letters_dir)


def test_an_unknown_field_is_refused(letters_dir):
    _edit(letters_dir / "partshoering.html.j2", "{{ partshoering.svarfrist | dato }}", "{{ partshoering.frist }}")
    with pytest.raises(LettersInvalid, match="«partshoering.html.j2» kan ikke dannes"):
        templates.load(letters_dir)


@pytest.mark.parametrize("template", ["afgoerelse.html.j2", "bfu_beslutning.html.j2"])
def test_a_decision_letter_without_klagevejledning_is_refused(letters_dir, template):
    path = letters_dir / template
    text = path.read_text(encoding="utf-8")
    start, end = text.index("<h2>Klagevejledning</h2>"), text.index("{% endblock %}")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(LettersInvalid) as refused:
        templates.load(letters_dir)
    assert str(refused.value) == (f"Brevskabelonen «{template}» mangler påkrævede dele: "
                                  "klagevejledning (4 uger), klagevejledning (Ankestyrelsen).")


def test_a_decision_to_investigate_without_consent_must_give_the_reason(letters_dir):
    _edit(letters_dir / "bfu_beslutning.html.j2", "fordi: {{ beslutning.uden_samtykke_begrundelse }}", "fordi: ")
    with pytest.raises(LettersInvalid, match="mangler påkrævede dele: begrundelse uden samtykke"):
        templates.load(letters_dir)


def test_a_decision_letter_without_purpose_or_duration_is_refused(letters_dir):
    _edit(letters_dir / "afgoerelse.html.j2", "<p>{{ afgoerelse.formaal }}</p>", "")
    with pytest.raises(LettersInvalid, match="mangler påkrævede dele: formål"):
        templates.load(letters_dir)


def test_the_sandbox_refuses_reaching_into_python(letters_dir):
    _edit(letters_dir / "base.html.j2", "<h1>{{ titel }}</h1>", "<h1>{{ titel.__class__.__mro__ }}</h1>")
    with pytest.raises(LettersInvalid, match="kan ikke dannes"):
        templates.load(letters_dir)


def test_the_cli_and_deploy_refuse_a_broken_template(letters_dir, monkeypatch, capsys):
    monkeypatch.setenv("SAGSFLOW_LETTERS_DIR", str(letters_dir))
    assert main(["breve"]) == 0
    assert "er i orden" in capsys.readouterr().out
    (letters_dir / "partshoering.html.j2").unlink()
    assert main(["breve"]) == 1
    assert "Fejl: Brevskabelonen «partshoering.html.j2» mangler i" in capsys.readouterr().err
    monkeypatch.setenv("SAGSFLOW_DATABASE_URL", "sqlite:///" + str(letters_dir.parent / "x.db"))
    assert main(["deploy"]) == 1  # checked before anything is deployed


def test_the_service_does_not_start_with_a_broken_template(settings, letters_dir):
    from dataclasses import replace

    from service.app import create_app
    _edit(letters_dir / "base.html.j2", "</body>", "{% if %}</body>")
    with pytest.raises(LettersInvalid):
        create_app(replace(settings, letters_dir=letters_dir))
    templates.configure(ROOT / "letters")  # the rest of the suite uses the shipped templates


def test_a_child_friendly_version_is_checked_as_the_letter_and_is_optional(letters_dir):
    assert templates.load(letters_dir).child_versions == frozenset({"partshoering"})
    _edit(letters_dir / "partshoering_barn.html.j2", "{{ partshoering.svarfrist | dato }}", "snart")
    with pytest.raises(LettersInvalid, match="«partshoering_barn.html.j2» mangler påkrævede dele: svarfrist"):
        templates.load(letters_dir)
    (letters_dir / "partshoering_barn.html.j2").unlink()  # the municipality provides none: the usual letter
    assert templates.load(letters_dir).child_versions == frozenset()


def test_a_letter_that_does_not_name_its_recipient_is_refused(letters_dir):
    _edit(letters_dir / "base.html.j2", "<p>{{ modtager.navn }}<br>{{ modtager.adresse }}</p>", "")
    with pytest.raises(LettersInvalid, match="«partshoering.html.j2» mangler påkrævede dele: modtagerens adresse"):
        templates.load(letters_dir)
