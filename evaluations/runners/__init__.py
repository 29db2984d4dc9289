"""Sandbox runners: one module per back-end, all with the ``Runner`` shape.

``get_runner()`` returns the configured one; see ``base.py`` for the
interface and the ``bubblewrap`` package for the default.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from evaluations.runners.base import Runner
from evaluations.runners.bubblewrap import BubblewrapRunner
from evaluations.runners.local import LocalRunner


def get_runner() -> Runner:
    """Return the runner named by ``PORTAL_SANDBOX_RUNNER``.

    The bubblewrap runner is the default. ``"local"`` runs vendor code
    without a sandbox and is refused (``ImproperlyConfigured``) unless
    ``DEBUG`` and ``PORTAL_ALLOW_UNSANDBOXED`` are both True.
    """
    name = getattr(settings, "PORTAL_SANDBOX_RUNNER", "bubblewrap")
    if name == "bubblewrap":
        return BubblewrapRunner()
    if name == "local":
        return LocalRunner()
    raise ImproperlyConfigured(
        f"PORTAL_SANDBOX_RUNNER must be 'bubblewrap' or 'local', got {name!r}."
    )
