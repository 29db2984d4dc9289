from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Test suites, submissions and sandboxed runs (see issue 3)."""

    name = "evaluations"
    verbose_name = _("Evaluations")
