"""Show a service's ValidationError in a view: next to its fields, or as messages."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest


def apply_errors(
    form: Form | None,
    exc: ValidationError,
    request: HttpRequest | None = None,
    *,
    fields: Mapping[str, str] | None = None,
) -> None:
    """Put each error next to its form field, the rest on top of the form.

    ``fields`` renames a service's field to the form's (``config`` to
    ``config_text``, say). Without a form, every error becomes a message
    on ``request``.
    """
    rename = fields or {}
    pairs: list[tuple[str | None, str]]
    if hasattr(exc, "error_dict"):
        pairs = [
            (rename.get(field, field), error)
            for field, errors in exc.message_dict.items()
            for error in errors
        ]
    else:
        pairs = [(None, error) for error in exc.messages]
    for field, error in pairs:
        if form is None:
            if request is not None:
                messages.error(request, error)
        else:
            form.add_error(field if field in form.fields else None, error)
