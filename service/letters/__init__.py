"""Letters on a case (partshøring, afgørelse) from templates the municipality edits, as HTML and PDF."""
