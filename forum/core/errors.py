"""Errors the services of every app raise, and views and the admin answer alike."""

from django.core.exceptions import ValidationError


class AlreadyHandled(ValidationError):
    """Someone (maybe another moderator a moment ago) already did this."""
