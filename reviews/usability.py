"""User evaluation: System Usability Scale scores and pilot-log rates.

Pure computation (scipy for the t quantile), following
shared/design/rubric-and-lifecycle.md section 7 and rubric D6.

SUS (Brooke, 1996): ten items answered 1–5. Odd items (1, 3, 5, 7, 9)
contribute (answer − 1), even items (2, 4, 6, 8, 10) contribute
(5 − answer); the sum × 2.5 gives 0–100.

Adjective band (Bangor, Kortum & Miller, J. Usability Studies 4(3):114,
2009): the highest adjective whose mean SUS the score reaches, with the
means the design note gives (rounded, unverified): OK ≈ 51, Good ≈ 71,
Excellent ≈ 86; below 51 the band is ``below_ok``. The commonly cited
average SUS is 68 (``above_average``).

Across respondents: mean, sample SD and the t-based interval
mean ± t(1 − α/2, n − 1)·SD/√n, clipped to 0–100; no interval for one
respondent.

Rates from pilot logs (acceptance, override, task success): the share
k/n with the Wilson score interval (Wilson, JASA 22:209, 1927):
(p + z²/2n ± z√(p(1 − p)/n + z²/4n²)) / (1 + z²/n), which stays inside
[0, 1] and behaves at k = 0 and k = n. With n = 0 the rate is undefined
(None) and the interval is [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats

SUS_ITEMS = 10
SUS_AVERAGE = 68.0
# (minimum mean SUS, band), highest first.
ADJECTIVES: tuple[tuple[float, str], ...] = (
    (86.0, "excellent"),
    (71.0, "good"),
    (51.0, "ok"),
)


@dataclass(frozen=True)
class SusSummary:
    n: int
    scores: tuple[float, ...]
    mean: float
    sd: float | None
    low: float | None
    high: float | None
    adjective: str
    above_average: bool


@dataclass(frozen=True)
class Proportion:
    successes: int
    total: int
    rate: float | None
    low: float
    high: float


@dataclass(frozen=True)
class PilotRates:
    acceptance: Proportion
    override: Proportion


def validate_sus(answers: Sequence[int]) -> None:
    """Raise ValueError naming the first problem in one questionnaire."""
    if len(answers) != SUS_ITEMS:
        raise ValueError(f"SUS needs {SUS_ITEMS} answers, got {len(answers)}")
    for item, answer in enumerate(answers, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValueError(
                f"SUS item {item}: answer {answer!r} is not a whole number"
            )
        if not 1 <= answer <= 5:
            raise ValueError(f"SUS item {item}: answer {answer!r} is outside 1–5")


def sus_score(answers: Sequence[int]) -> float:
    """Return the SUS score (0–100) of one questionnaire."""
    validate_sus(answers)
    total = 0
    for item, answer in enumerate(answers, start=1):
        total += answer - 1 if item % 2 == 1 else 5 - answer
    return total * 2.5


def adjective(score: float) -> str:
    """Return the Bangor adjective band of a SUS score."""
    if not math.isfinite(score) or not 0 <= score <= 100:
        raise ValueError(f"SUS score must lie in 0–100, got {score!r}")
    for minimum, name in ADJECTIVES:
        if score >= minimum:
            return name
    return "below_ok"


def sus_summary(
    responses: Sequence[Sequence[int]], *, level: float = 0.95
) -> SusSummary:
    """Score every questionnaire and summarise them with a t interval."""
    if len(responses) == 0:
        raise ValueError("no SUS responses to summarise")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    scores = []
    for index, answers in enumerate(responses):
        try:
            scores.append(sus_score(answers))
        except ValueError as error:
            raise ValueError(f"response {index}: {error}") from None
    n = len(scores)
    mean = sum(scores) / n
    sd: float | None = None
    low: float | None = None
    high: float | None = None
    if n >= 2:
        sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / (n - 1))
        half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
        low, high = max(mean - half, 0.0), min(mean + half, 100.0)
    return SusSummary(
        n=n,
        scores=tuple(scores),
        mean=mean,
        sd=sd,
        low=low,
        high=high,
        adjective=adjective(mean),
        above_average=mean >= SUS_AVERAGE,
    )


def _count(label: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{label} must be a non-negative whole number, got {value!r}")


def wilson(successes: int, total: int, *, level: float = 0.95) -> Proportion:
    """Return k/n with its Wilson score interval."""
    _count("successes", successes)
    _count("total", total)
    if successes > total:
        raise ValueError(f"successes ({successes}) exceed the total ({total})")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    if total == 0:
        return Proportion(successes, total, None, 0.0, 1.0)
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = successes / total
    denominator = 1 + z**2 / total
    centre = (p + z**2 / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
    return Proportion(
        successes, total, p, max(centre - half, 0.0), min(centre + half, 1.0)
    )


def pilot_rates(
    *, recommendations: int, accepted: int, overridden: int, level: float = 0.95
) -> PilotRates:
    """Return acceptance and override rates of the solution's recommendations.

    Both are shares of all recommendations logged; the rest were neither
    (ignored, expired or pending), so accepted + overridden ≤ total.
    """
    _count("recommendations", recommendations)
    _count("accepted", accepted)
    _count("overridden", overridden)
    if accepted + overridden > recommendations:
        raise ValueError(
            f"accepted ({accepted}) plus overridden ({overridden}) exceed the "
            f"recommendations logged ({recommendations})"
        )
    return PilotRates(
        acceptance=wilson(accepted, recommendations, level=level),
        override=wilson(overridden, recommendations, level=level),
    )
