"""Template tags that let scenario pages show evaluation content.

The scenarios app does not import evaluations; its templates load this
library instead, which keeps the Python dependencies pointing one way.
"""

from __future__ import annotations

from typing import Any

from django import template

from evaluations.models import SuiteVersion
from evaluations.selectors import suite_versions_for_scenario
from evaluations.suite_selectors import (
    can_manage_suites,
    suite_version_declaration,
    suite_version_list,
)

register = template.Library()


@register.inclusion_tag("evaluations/_scenario_suites.html", takes_context=True)
def scenario_suites(context: dict[str, Any], scenario: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        "scenario": scenario,
        "versions": suite_versions_for_scenario(scenario, request.user),
        "can_manage": can_manage_suites(request.user, scenario),
    }


@register.inclusion_tag("evaluations/_suite_declaration.html", takes_context=True)
def suite_declaration(context: dict[str, Any], version: SuiteVersion) -> dict[str, Any]:
    """What a suite version declares: metrics, gates, data, probes, budget."""
    return {"declaration": suite_version_declaration(version, context["request"].user)}


@register.simple_tag(takes_context=True)
def suite_manager(context: dict[str, Any], scenario: Any) -> bool:
    """Whether the user manages the scenario's suites (for links only)."""
    return can_manage_suites(context["request"].user, scenario)


@register.simple_tag(takes_context=True)
def suite_versions(
    context: dict[str, Any], version: SuiteVersion
) -> list[SuiteVersion]:
    """The versions of ``version``'s suite that the user may see."""
    return list(suite_version_list(version.suite, context["request"].user))
