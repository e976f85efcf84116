"""Vagtplan: which team leader is on duty when, so breaches out of hours reach one named person."""
