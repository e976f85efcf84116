"""Users and teams as an administrator manages them, with an append-only log of every change."""
