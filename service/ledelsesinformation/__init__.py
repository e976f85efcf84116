"""Management information (ledelsesinformation): compliance figures from the engine's own deadline data."""
