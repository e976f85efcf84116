"""Indsatsviften: the municipality's catalogue of measures, its providers, standard and individual contracts."""
