"""The user's own settings for notifications: how often notices come by e-mail."""

from __future__ import annotations

from service.access.models import User
from service.errors import FieldError, ValidationFailed
from service.notifications.email import FREQUENCIES
from service.uow import UnitOfWork


def set_frequency(uow: UnitOfWork, user: User, frequency: object) -> User:
    """Change the caller's own e-mail frequency (no one sets another's: it is her inbox)."""
    if not isinstance(frequency, str) or frequency not in FREQUENCIES:
        raise ValidationFailed("Indstillingen er ikke gemt.", [FieldError(
            "email_frekvens", "Vælg straks, dagligt eller aldrig.")])
    row = uow.session.get(User, user.id)
    assert row is not None
    row.email_frekvens = frequency
    return row
