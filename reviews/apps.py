from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Expert review rounds, the six-dimension rubric and decisions (issue 4)."""

    name = "reviews"
    verbose_name = _("Expert review")
