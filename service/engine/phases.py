"""The case phases a user task may declare in a model (the Camunda property «fase»): part of the modelling
vocabulary, so the deploy checks know it without asking a domain; service/cases/phases.py derives a case's phase."""

from __future__ import annotations

PHASES = {  # the model's value → what the case page and the lists say
    "underretning": "Underretning",
    "afklaring": "Afklaring",
    "undersoegelse": "Undersøgelse",
    "afgoerelse": "Afgørelse",
    "indsats": "Indsats",
    "opfoelgning": "Opfølgning",
    "afsluttet": "Afsluttet",
}
PROPERTY = "fase"
