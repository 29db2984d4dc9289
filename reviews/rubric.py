"""The six review dimensions, their level descriptors and default weights.

Data only, from docs in ``/shared/design/rubric-and-lifecycle.md`` sections 1
and 2 (proposed there): each dimension is scored 1–5 against the level
descriptors below, with a confidence of 1–3; a score of 4 or 5 needs
evidence. Weights are per round stage and sum to 100.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reviews import aggregation

SCORE_MIN = 1
SCORE_MAX = 5
CONFIDENCE_MIN = 1
CONFIDENCE_MAX = 3
# Scores at or above this need at least one evidence link.
EVIDENCE_REQUIRED_FROM = 4


class Dimension(models.TextChoices):
    MATURITY = "maturity", _("Technology maturity")
    FIT = "fit", _("Scenario fit")
    ECONOMICS = "economics", _("Economic benefit")
    SOCIAL = "social", _("Social impact")
    SAFETY = "safety", _("Safety and controllability")
    USER = "user", _("User evaluation")


class Confidence(models.IntegerChoices):
    LOW = 1, _("1 – low")
    MEDIUM = 2, _("2 – medium")
    HIGH = 3, _("3 – high")


DIMENSIONS: list[str] = list(Dimension.values)


@dataclass(frozen=True)
class Level:
    score: int
    descriptor: str | Promise


DESCRIPTORS: dict[str, list[Level]] = {
    Dimension.MATURITY: [
        Level(
            1,
            _(
                "Concept or proof of principle: results only on synthetic or public data; does not run in the sandbox or fails the smoke test."
            ),
        ),
        Level(
            2,
            _(
                "Lab-validated proof of concept: runs end-to-end in the sandbox on development data and beats the naive baseline."
            ),
        ),
        Level(
            3,
            _(
                "Validated in a relevant environment: meets the thresholds on the hidden test set; integrated through the scenario's interfaces; limits documented."
            ),
        ),
        Level(
            4,
            _(
                "Prototype in an operational environment: shadow or closed-loop pilot at the publisher's site; field results within tolerance of the sandbox; monitoring in place."
            ),
        ),
        Level(
            5,
            _(
                "Qualified and proven in operations: sustained, ideally multi-site use with change management, versioned retraining and monitoring."
            ),
        ),
    ],
    Dimension.FIT: [
        Level(
            1,
            _(
                "Solves a different problem, or violates the mandatory input/output contract or a deployment constraint."
            ),
        ),
        Level(
            2,
            _(
                "Meets part of the mandatory requirements; needs major adaptation (inputs, latency, hardware or security zone)."
            ),
        ),
        Level(
            3,
            _(
                "All mandatory requirements pass in the sandbox: contract tests, p95 latency within the SLA, resources within budget."
            ),
        ),
        Level(
            4,
            _(
                "Mandatory and most optional requirements at production-like volume; deployment constraints met; workflow co-designed with the publisher's staff."
            ),
        ),
        Level(
            5,
            _(
                "As 4, and portable across two or more sites or asset types by configuration, with standard interfaces."
            ),
        ),
    ],
    Dimension.ECONOMICS: [
        Level(1, _("No quantified business case.")),
        Level(
            2,
            _(
                "Benefits estimated without a baseline, or benefit-cost ratio below 1, or payback beyond the horizon."
            ),
        ),
        Level(
            3,
            _(
                "Documented baseline; NPV ≥ 0 at the declared discount rate; benefit-cost ratio ≥ 1.0; payback within the horizon; all cost lines included."
            ),
        ),
        Level(
            4,
            _(
                "As 3, and NPV ≥ 0 under ±20% on the three largest drivers; benefit-cost ratio ≥ 1.5; benefits tied to gains measured in the sandbox."
            ),
        ),
        Level(
            5,
            _(
                "Benefits measured in the pilot against a baseline; NPV recomputed from measured data; unit cost competitive with the incumbent method."
            ),
        ),
    ],
    Dimension.SOCIAL: [
        Level(
            1,
            _("Not assessed, or net negative (more emissions, more safety exposure)."),
        ),
        Level(2, _("Qualitative claims only.")),
        Level(
            3,
            _(
                "At least one impact quantified by a recognised method, e.g. net CO₂ with the official regional grid factor recorded."
            ),
        ),
        Level(
            4,
            _(
                "Several impacts quantified with sensitivity; negative impacts assessed with mitigations."
            ),
        ),
        Level(
            5,
            _(
                "Impacts measured in pilot or operation and independently verified; stakeholder engagement documented."
            ),
        ),
    ],
    Dimension.SAFETY: [
        Level(
            1,
            _(
                "Critical failures in sandbox safety tests (unsafe outputs, crashes or hangs on malformed input), or no safety evaluation."
            ),
        ),
        Level(
            2,
            _(
                "Functional tests only; robustness and security not evaluated; no human override or rollback."
            ),
        ),
        Level(
            3,
            _(
                "Passes the robustness probes within the degradation budget; input validation and output limit checks; human override designed; decisions logged."
            ),
        ),
        Level(
            4,
            _(
                "As 3, plus adversarial testing, fail-safe behaviour shown, monitoring and incident response, provenance and least-privilege access."
            ),
        ),
        Level(
            5,
            _(
                "As 4, plus independent third-party assessment or certification and no critical incidents over the agreed period."
            ),
        ),
    ],
    Dimension.USER: [
        Level(1, _("No user evaluation.")),
        Level(2, _("Developer or internal demo only, or SUS below 51.")),
        Level(
            3,
            _(
                "Structured usability test with at least 5 target users; SUS ≥ 68; task success ≥ 80%."
            ),
        ),
        Level(
            4,
            _(
                "Pilot users report SUS ≥ 71; acceptance and override rates logged and within target."
            ),
        ),
        Level(5, _("Sustained use across sites; SUS ≥ 80; stable or rising usage.")),
    ],
}


class Stage(models.TextChoices):
    TESTING = "testing", _("Testing and validation")
    EFFECTIVENESS = "effectiveness", _("Effectiveness evaluation")


# The rubric's weights per stage, as whole percentages (reviews.aggregation
# holds them for the calculators).
DEFAULT_WEIGHTS: dict[str, dict[str, int]] = {
    stage: {dimension: int(weight) for dimension, weight in weights.items()}
    for stage, weights in aggregation.DEFAULT_WEIGHTS.items()
}


def dimension_rows() -> list[tuple[str, str | Promise, list[Level]]]:
    """Return (code, label, levels) for every dimension, in rubric order."""
    return [(d.value, d.label, DESCRIPTORS[d.value]) for d in Dimension]
