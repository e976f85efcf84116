"""Økonomi: each measure's expected cost, the payments made and the yearly review against the budget."""
