"""Plain-language texts for the calculators' codes (flags, band reasons).

The calculators return codes and numbers so that they stay free of Django;
the pages, exports and API render them here, in the reader's language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reviews.aggregation import Flag
from reviews.evidence import Reason


def _number(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def flag_text(flag: Flag, reviewer_names: dict[str, str] | None = None) -> str:
    p = flag.params
    if flag.code == "spread":
        return _("Scores range from %(min)s to %(max)s (a spread of %(spread)s).") % {
            "min": _number(p.get("min")),
            "max": _number(p.get("max")),
            "spread": _number(p.get("spread")),
        }
    if flag.code == "sd":
        return _("The standard deviation of the scores is %(sd)s.") % {
            "sd": _number(p.get("sd"))
        }
    if flag.code in ("out_of_band", "outside_band"):
        reviewer = str(p.get("reviewer", ""))
        name = (reviewer_names or {}).get(reviewer, _("a reviewer"))
        text = _(
            "%(name)s scored %(score)s, outside the band %(low)s–%(high)s that "
            "the automated evidence allows."
        ) % {
            "name": name,
            "score": _number(p.get("score")),
            "low": _number(p.get("low")),
            "high": _number(p.get("high")),
        }
        if flag.code == "out_of_band":
            text += " " + _("That is two levels or more away: discuss it.")
        return text
    return flag.code


_REASONS = {
    "no_run": lambda p: _("No run succeeded in the sandbox."),
    "no_hidden_run": lambda p: _("No finished run on the hidden test set."),
    "hidden_thresholds_failed": lambda p: (
        _("Thresholds failed on the hidden test set: %(gates)s.")
        % {"gates": p.get("gates") or "—"}
    ),
    "hidden_thresholds_met": lambda p: _(
        "Every threshold is met on the hidden test set."
    ),
    "no_pilot_data": lambda p: _("No pilot data yet."),
    "invalid_output": lambda p: _(
        "The latest hidden run broke the output contract (invalid output)."
    ),
    "over_budget": lambda p: (
        _("%(resource)s of %(used)s is over the budget of %(limit)s.")
        % {
            "resource": p.get("resource"),
            "used": _number(p.get("used")),
            "limit": _number(p.get("limit")),
        }
    ),
    "unsandboxed": lambda p: _(
        "Resource figures were not measured in the sandbox and are not used."
    ),
    "no_business_case": lambda p: _("No quantified business case."),
    "not_cost_effective": lambda p: _(
        "Not cost-effective: NPV below 0, benefit-cost ratio below 1, or payback "
        "beyond the horizon."
    ),
    "not_robust": lambda p: _(
        "Not robust: NPV turns negative under ±20% on a main driver, or the "
        "benefit-cost ratio is below 1.5."
    ),
    "co2_net_negative": lambda p: (
        _("Net CO₂ is negative: %(t)s t a year.") % {"t": _number(p.get("co2_net_t"))}
    ),
    "probes_not_run": lambda p: _("No robustness probe was run."),
    "probes_failed": lambda p: (
        _("Robustness probes failed: %(probes)s.") % {"probes": p.get("probes") or "—"}
    ),
    "no_sus": lambda p: _("No System Usability Scale responses."),
    "few_sus_respondents": lambda p: (
        _("Only %(n)s SUS respondents (at least %(minimum)s are needed).")
        % {"n": p.get("n"), "minimum": p.get("minimum")}
    ),
    "sus_below": lambda p: (
        _("Mean SUS %(mean)s is below %(threshold)s.")
        % {"mean": _number(p.get("mean")), "threshold": _number(p.get("threshold"))}
    ),
}


def reason_text(reason: Reason) -> str:
    render = _REASONS.get(reason.code)
    text = render(reason.params) if render else reason.code
    if reason.effect == "cap" and reason.level is not None:
        return _("At most %(level)s: %(text)s") % {"level": reason.level, "text": text}
    if reason.effect == "floor" and reason.level is not None:
        return _("At least %(level)s: %(text)s") % {
            "level": reason.level,
            "text": text,
        }
    return text
