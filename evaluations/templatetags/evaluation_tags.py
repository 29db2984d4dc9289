"""Template tags that let scenario pages show evaluation content.

The scenarios app does not import evaluations; its templates load this
library instead, which keeps the Python dependencies pointing one way.
"""

from __future__ import annotations

from typing import Any

from django import template

from evaluations.selectors import suite_versions_for_scenario

register = template.Library()


@register.inclusion_tag("evaluations/_scenario_suites.html", takes_context=True)
def scenario_suites(context: dict[str, Any], scenario: Any) -> dict[str, Any]:
    request = context["request"]
    return {"versions": suite_versions_for_scenario(scenario, request.user)}
