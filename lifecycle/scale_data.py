"""A synthetic load-test data set for benchmarks (``generate_scale_data``).

Everything made here is marked so it can never pass for real data: scenario
codes start with ``LOAD-``, organisation and user names with ``load-`` and
"LOAD TEST", e-mail addresses end in ``@load.invalid``, and every title says
it is synthetic. The set is for benchmarks (``bench/web_pages.py``, HTTP
load tests), never for the demo.

The shape keeps what one person sees constant while the tables grow: an
energy company owns about 50 scenarios, a vendor makes about 50 submissions,
a suite version gets about 50 submissions from 10 competing vendors (so
its leaderboard has at most 10 rows) and a reviewer about 8 assignments, at
every size. Only the number of scenarios, organisations,
suites and runs changes, which is what "constant in N" is measured against.

The set is deterministic: one seeded generator and a fixed clock.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from evaluations.leaderboard import Entry, columns_for, rank_entries
from evaluations.models import (
    LeaderboardRow,
    Run,
    Submission,
    SuiteVersion,
    TaskKind,
    TestSuite,
)
from lifecycle.models import Pilot, Solution, Stage, Transition
from portal.accounts.models import Membership, Organisation, ReviewerProfile, User
from portal.lib.taxonomy import Sector, TaskType
from portal.lib.taxonomy import Stage as ChainStage
from reviews.models import Assignment, ReviewRound, RoundEntry
from scenarios.models import (
    Blob,
    DataReadiness,
    DeploymentMode,
    Scenario,
    ScenarioRegistration,
    SecurityZone,
    ValueAssessment,
)

CODE_PREFIX = "LOAD-"
SLUG_PREFIX = "load-"
EMAIL_DOMAIN = "load.invalid"
NAME_PREFIX = "LOAD TEST"
# Every user of the set signs in with this password (benchmarks only).
PASSWORD = "load-test-password"  # noqa: S105 - public, synthetic accounts
# The fixed clock of the set, so two runs make the same rows.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 2000

SIZES: dict[str, dict[str, int]] = {
    "small": {"scenarios": 100, "vendors": 10, "runs": 1_000},
    "large": {"scenarios": 10_000, "vendors": 1_000, "runs": 100_000},
}

# What one person sees, kept constant across sizes.
SCENARIOS_PER_OWNER = 50
SCENARIOS_PER_SUITE = 10
VENDORS_PER_SUITE = 10
SUBMISSIONS_PER_SOLUTION = 20
SCENARIOS_PER_ROUND = 100
SCENARIOS_PER_REVIEWER = 50
ENTRIES_PER_ROUND = 5
REVIEWERS_PER_ENTRY = 3

SUITE_CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [{"code": "mae"}, {"code": "rmse"}],
    "gates": [{"metric": "mae", "comparator": "<=", "value": 50.0}],
    "limits": {"wall_seconds": 60, "cpu_seconds": 60, "memory_mb": 1024},
    "leaderboard": {"weights": {"mae": 1.0, "rmse": 0.5}},
    "quotas": {"per_day": 10},
}

# Scenario statuses with their share of the catalog, in percent.
STATUS_SHARES = (
    (Scenario.Status.PUBLISHED, 70),
    (Scenario.Status.CLOSED, 10),
    (Scenario.Status.ARCHIVED, 5),
    (Scenario.Status.SUBMITTED, 5),
    (Scenario.Status.DRAFT, 10),
)
# Where the lifecycle's solutions stand, with weights.
STAGE_WEIGHTS = (
    (Stage.RELEASED, 30),
    (Stage.RND, 20),
    (Stage.TESTING, 20),
    (Stage.PILOT, 12),
    (Stage.EFFECTIVENESS, 8),
    (Stage.SCALE, 4),
    (Stage.WITHDRAWN, 4),
    (Stage.REJECTED, 2),
)
STAGE_ORDER = (
    Stage.RELEASED,
    Stage.RND,
    Stage.TESTING,
    Stage.PILOT,
    Stage.EFFECTIVENESS,
    Stage.SCALE,
)

M = TypeVar("M", bound=models.Model)


class ScaleDataError(Exception):
    """The database is not one the generator may write to."""


@dataclass(frozen=True)
class Sizes:
    scenarios: int
    vendors: int
    runs: int

    @classmethod
    def named(cls, scale: str) -> Sizes:
        return cls(**SIZES[scale])


def real_data_counts() -> dict[str, int]:
    """Rows that are not part of a load-test set, per kind."""
    return {
        "organisations": Organisation.objects.exclude(
            slug__startswith=SLUG_PREFIX
        ).count(),
        "users": User.objects.exclude(username__startswith=SLUG_PREFIX).count(),
        "scenarios": Scenario.objects.exclude(code__startswith=CODE_PREFIX).count(),
    }


def has_load_data() -> bool:
    return Scenario.objects.filter(code__startswith=CODE_PREFIX).exists() or (
        Organisation.objects.filter(slug__startswith=SLUG_PREFIX).exists()
    )


def check_database(*, force: bool) -> None:
    """Refuse a database with real data (unless forced) or an earlier set."""
    if has_load_data():
        raise ScaleDataError(
            "This database already holds a load-test set; generate into a fresh "
            "database."
        )
    real = {kind: n for kind, n in real_data_counts().items() if n}
    if real and not force:
        found = ", ".join(f"{n} {kind}" for kind, n in real.items())
        raise ScaleDataError(
            f"This database holds real data ({found}); the load-test set is for "
            "a throwaway database. Use --force to add it anyway."
        )


def _bulk(model: type[M], objects: Iterable[M]) -> list[M]:
    """Insert in batches; return the objects with their primary keys."""
    items = list(objects)
    created: list[M] = []
    for start in range(0, len(items), BATCH):
        created += model._default_manager.bulk_create(items[start : start + BATCH])
    if created and created[0].pk is None:
        raise ScaleDataError("the database backend did not return primary keys")
    return created


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, int]]) -> Any:
    values = [value for value, _weight in weighted]
    weights = [weight for _value, weight in weighted]
    return rng.choices(values, weights)[0]


def _at(days: float) -> datetime:
    return EPOCH + timedelta(days=days)


class Generator:
    """Build the set in dependency order; ``counts`` says what was made."""

    def __init__(
        self, sizes: Sizes, *, seed: int = 7, vendors_per_suite: int = VENDORS_PER_SUITE
    ) -> None:
        self.sizes = sizes
        self.vendors_per_suite = vendors_per_suite
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.counts: dict[str, int] = defaultdict(int)
        self.password = make_password(PASSWORD, salt="loadtestsalt")

    # -- people ---------------------------------------------------------------

    def _org(self, kind: str, slug: str, label: str) -> Organisation:
        return Organisation(
            slug=f"{SLUG_PREFIX}{slug}",
            kind=kind,
            name_zh=f"{NAME_PREFIX} {label}（压测数据）",
            name_en=f"{NAME_PREFIX} {label}",
            description_en="Synthetic organisation of a load-test data set.",
            verified_at=EPOCH,
            created_at=EPOCH,
        )

    def _user(self, username: str) -> User:
        return User(
            username=f"{SLUG_PREFIX}{username}",
            email=f"{username}@{EMAIL_DOMAIN}",
            password=self.password,
            first_name=NAME_PREFIX,
            email_verified_at=EPOCH,
            date_joined=EPOCH,
        )

    def people(self) -> None:
        sizes = self.sizes
        owners = max(2, -(-sizes.scenarios // SCENARIOS_PER_OWNER))
        reviewers = max(3, -(-sizes.scenarios // SCENARIOS_PER_REVIEWER))
        orgs = [self._org(Organisation.Kind.OPERATOR, "operator", "operator")]
        orgs += [
            self._org(Organisation.Kind.ENERGY, f"energy-{i:05d}", f"energy {i}")
            for i in range(owners)
        ]
        orgs += [
            self._org(Organisation.Kind.VENDOR, f"vendor-{i:05d}", f"vendor {i}")
            for i in range(sizes.vendors)
        ]
        orgs.append(self._org(Organisation.Kind.REVIEW, "reviewers", "review body"))
        orgs = _bulk(Organisation, orgs)
        self.operator_org = orgs[0]
        self.energy = orgs[1 : 1 + owners]
        self.vendors = orgs[1 + owners : 1 + owners + sizes.vendors]
        review_body = orgs[-1]

        users = [self._user("operator")]
        users += [self._user(f"energy-{i:05d}") for i in range(owners)]
        users += [self._user(f"vendor-{i:05d}") for i in range(sizes.vendors)]
        users += [self._user(f"vendor-{i:05d}-member") for i in range(sizes.vendors)]
        users += [self._user(f"reviewer-{i:05d}") for i in range(reviewers)]
        users = _bulk(User, users)
        self.operator = users[0]
        self.energy_users = users[1 : 1 + owners]
        start = 1 + owners
        self.vendor_users = users[start : start + sizes.vendors]
        members = users[start + sizes.vendors : start + 2 * sizes.vendors]
        self.reviewers = users[start + 2 * sizes.vendors :]

        role = Membership.Role
        memberships = [
            Membership(
                user=self.operator, organisation=self.operator_org, role=role.OWNER
            )
        ]
        memberships += [
            Membership(user=u, organisation=o, role=role.OWNER)
            for u, o in zip(self.energy_users, self.energy, strict=True)
        ]
        memberships += [
            Membership(user=u, organisation=o, role=role.OWNER)
            for u, o in zip(self.vendor_users, self.vendors, strict=True)
        ]
        memberships += [
            Membership(user=u, organisation=o, role=role.MEMBER)
            for u, o in zip(members, self.vendors, strict=True)
        ]
        memberships += [
            Membership(user=u, organisation=review_body, role=role.MEMBER)
            for u in self.reviewers
        ]
        _bulk(Membership, memberships)
        _bulk(
            ReviewerProfile,
            (
                ReviewerProfile(
                    user=u,
                    sectors=[self.rng.choice(Sector.values)],
                    task_types=[TaskType.FORECASTING],
                )
                for u in self.reviewers
            ),
        )
        self.counts["organisations"] = len(orgs)
        self.counts["users"] = len(users)

    # -- scenarios ------------------------------------------------------------

    def scenarios(self) -> None:
        rng = self.rng
        rows = []
        for i in range(self.sizes.scenarios):
            owner = self.energy[i % len(self.energy)]
            status = _pick(rng, STATUS_SHARES)
            sector = rng.choice(Sector.values)
            stage = rng.choice(ChainStage.values)
            task_type = rng.choice(TaskType.values)
            code = f"{CODE_PREFIX}{sector[:4].upper()}-{i:06d}"
            title_en = f"{NAME_PREFIX} scenario {i} ({sector}, {task_type})"
            title_zh = f"压测场景 {i}"
            summary = f"Synthetic load-test scenario {i}; not a real requirement."
            created = _at(rng.uniform(0, 300))
            published = status not in (
                Scenario.Status.DRAFT,
                Scenario.Status.SUBMITTED,
            )
            rows.append(
                Scenario(
                    code=code,
                    owner=owner,
                    status=status,
                    sector=sector,
                    stage=stage,
                    task_type=task_type,
                    title_zh=title_zh,
                    title_en=title_en,
                    summary_zh="压测用合成数据，非真实需求。",
                    summary_en=summary,
                    business_value_metric_zh="合成指标",
                    business_value_metric_en="synthetic metric",
                    annual_value_estimate=rng.randint(10, 5000),
                    data_readiness=rng.choice(DataReadiness.values),
                    replicable_sites=rng.randint(1, 500),
                    deployment_mode=rng.choice(DeploymentMode.values),
                    requires_domestic_hardware=rng.random() < 0.3,
                    requires_domestic_software=rng.random() < 0.3,
                    security_zone=rng.choice(SecurityZone.values),
                    contact_name=NAME_PREFIX,
                    contact_email=f"contact@{EMAIL_DOMAIN}",
                    version=1 if published else 0,
                    search_document=" ".join(
                        [code, title_zh, title_en, summary, owner.name_en, sector]
                    ).lower(),
                    created_at=created,
                    updated_at=created,
                    published_at=created + timedelta(days=3) if published else None,
                )
            )
        self.scenario_rows = _bulk(Scenario, rows)
        self.counts["scenarios"] = len(rows)
        assessments = []
        for scenario in self.scenario_rows:
            if scenario.published_at is None or rng.random() < 0.5:
                continue
            scores = [rng.randint(1, 5) for _ in range(4)]
            base = sum(
                s * float(w) * 20
                for s, w in zip(scores, ValueAssessment.WEIGHTS.values(), strict=True)
            )
            assessments.append(
                ValueAssessment(
                    scenario=scenario,
                    application_value=scores[0],
                    data_readiness=scores[1],
                    scale_potential=scores[2],
                    strategic_priority=scores[3],
                    base_score=round(base, 2),
                    score=round(base, 2),
                    assessed_by=self.operator,
                    assessed_at=scenario.published_at,
                )
            )
        self.counts["value assessments"] = len(_bulk(ValueAssessment, assessments))

    # -- suites, submissions, runs, leaderboards --------------------------------

    def evaluations(self) -> None:
        rng = self.rng
        published = [
            s for s in self.scenario_rows if s.status == Scenario.Status.PUBLISHED
        ]
        n_suites = max(
            1, min(len(published), self.sizes.scenarios // SCENARIOS_PER_SUITE)
        )
        hosts = rng.sample(published, n_suites)
        published_at = {s.pk: s.published_at or EPOCH for s in hosts}
        suites = _bulk(
            TestSuite,
            (
                TestSuite(
                    scenario=s,
                    slug="load-suite",
                    title_zh="压测测试集",
                    title_en=f"{NAME_PREFIX} suite",
                    task_kind=TaskKind.FORECASTING,
                    created_at=published_at[s.pk],
                )
                for s in hosts
            ),
        )
        versions = _bulk(
            SuiteVersion,
            (
                SuiteVersion(
                    suite=suite,
                    number=1,
                    status=SuiteVersion.Status.PUBLISHED,
                    config=SUITE_CONFIG,
                    change_notes="Synthetic load-test suite version.",
                    created_at=suite.created_at,
                    published_at=suite.created_at,
                )
                for suite in suites
            ),
        )
        self.suite_versions = versions
        content = b"LOAD TEST: synthetic submission, no real package\n"
        blob = Blob.objects.create(
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            storage_name="load-test/none",
            created_at=EPOCH,
        )
        scenario_of = {v.pk: host for v, host in zip(versions, hosts, strict=True)}

        # Two runs (validation and hidden test) per submission.
        n_submissions = max(1, self.sizes.runs // 2)
        # Each version has its own few competitors, as a real suite would.
        competitors = {
            v.pk: rng.sample(
                range(len(self.vendors)), min(self.vendors_per_suite, len(self.vendors))
            )
            for v in versions
        }
        submissions = []
        for i in range(n_submissions):
            version = rng.choice(versions)
            vendor_index = rng.choice(competitors[version.pk])
            created = published_at[scenario_of[version.pk].pk] + timedelta(
                days=rng.uniform(0, 60)
            )
            submissions.append(
                Submission(
                    suite_version=version,
                    organisation=self.vendors[vendor_index],
                    submitted_by=self.vendor_users[vendor_index],
                    kind=Submission.Kind.PACKAGE,
                    blob=blob,
                    file_name="load-test.zip",
                    name=f"load-solution-{vendor_index % 7}",
                    version_label=f"1.{i % 10}",
                    description="Synthetic load-test submission.",
                    created_at=created,
                )
            )
        submissions = _bulk(Submission, submissions)
        self.submissions = submissions
        self.counts["submissions"] = len(submissions)

        runs = []
        for submission in submissions:
            start = submission.created_at + timedelta(minutes=1)
            for split in (Run.Split.SAMPLE, Run.Split.HIDDEN):
                roll = rng.random()
                if roll < 0.8:
                    status, failure = Run.Status.SUCCEEDED, ""
                elif roll < 0.9:
                    status, failure = Run.Status.FAILED, Run.Failure.THRESHOLD
                elif roll < 0.97:
                    status, failure = Run.Status.FAILED, Run.Failure.CRASH
                else:
                    status, failure = Run.Status.QUEUED, ""
                scored = failure in ("", Run.Failure.THRESHOLD) and (
                    status != Run.Status.QUEUED
                )
                mae = round(rng.uniform(5, 100), 3)
                runs.append(
                    Run(
                        submission=submission,
                        split=split,
                        status=status,
                        failure=failure,
                        progress=100 if status != Run.Status.QUEUED else 0,
                        attempt=1,
                        enqueued_at=start,
                        started_at=None if status == Run.Status.QUEUED else start,
                        finished_at=None
                        if status == Run.Status.QUEUED
                        else start + timedelta(seconds=2),
                        metrics={"mae": mae, "rmse": round(mae * 1.3, 3)}
                        if scored
                        else {},
                        passed=(mae <= 50.0) if scored else None,
                    )
                )
                start += timedelta(seconds=3)
        runs = _bulk(Run, runs)
        self.counts["runs"] = len(runs)
        self._leaderboards(runs)
        self._registrations()

    def _leaderboards(self, runs: list[Run]) -> None:
        """One row per organisation and version: its best hidden run, ranked
        by the portal's own rules (``evaluations.leaderboard``)."""
        by_version: dict[int, dict[int, list[Run]]] = defaultdict(
            lambda: defaultdict(list)
        )
        submission_of = {s.pk: s for s in self.submissions}
        for run in runs:
            eligible = run.status == Run.Status.SUCCEEDED or (
                run.status == Run.Status.FAILED and run.failure == Run.Failure.THRESHOLD
            )
            if run.split != Run.Split.HIDDEN or not eligible:
                continue
            submission = submission_of[run.submission_id]
            by_version[submission.suite_version_id][submission.organisation_id].append(
                run
            )
        columns = columns_for(SUITE_CONFIG)

        def entry(run: Run) -> Entry:
            return Entry(
                run_id=run.pk,
                metrics=run.metrics,
                passed=run.passed is True,
                submitted_at=submission_of[run.submission_id].created_at,
            )

        rows = []
        for version_id, per_org in by_version.items():
            best = {}
            for org_id, org_runs in per_org.items():
                top = rank_entries([entry(r) for r in org_runs], columns)[0]
                best[top.entry.run_id] = org_id
            run_by_id = {r.pk: r for org_runs in per_org.values() for r in org_runs}
            for ranked in rank_entries(
                [entry(run_by_id[run_id]) for run_id in best], columns
            ):
                run = run_by_id[ranked.entry.run_id]
                rows.append(
                    LeaderboardRow(
                        suite_version_id=version_id,
                        organisation_id=best[run.pk],
                        run=run,
                        metrics=run.metrics,
                        passed=run.passed is True,
                        composite=ranked.composite,
                        rank=ranked.rank,
                        submitted_at=ranked.entry.submitted_at,
                        updated_at=ranked.entry.submitted_at,
                    )
                )
        self.counts["leaderboard rows"] = len(_bulk(LeaderboardRow, rows))

    def _registrations(self) -> None:
        version_scenario = {v.pk: v.suite.scenario_id for v in self.suite_versions}
        pairs = sorted(
            {
                (version_scenario[s.suite_version_id], s.organisation_id)
                for s in self.submissions
            }
        )
        users = {o.pk: u for o, u in zip(self.vendors, self.vendor_users, strict=True)}
        self.counts["registrations"] = len(
            _bulk(
                ScenarioRegistration,
                (
                    ScenarioRegistration(
                        scenario_id=scenario_id,
                        organisation_id=org_id,
                        registered_by=users[org_id],
                        created_at=EPOCH,
                    )
                    for scenario_id, org_id in pairs
                ),
            )
        )

    # -- lifecycle -------------------------------------------------------------

    def lifecycle(self) -> None:
        rng = self.rng
        version_scenario = {v.pk: v.suite.scenario_id for v in self.suite_versions}
        users = {o.pk: u for o, u in zip(self.vendors, self.vendor_users, strict=True)}
        seen: set[tuple[int, int, str]] = set()
        solutions = []
        for index, submission in enumerate(self.submissions):
            if index % SUBMISSIONS_PER_SOLUTION:
                continue
            scenario_id = version_scenario[submission.suite_version_id]
            key = (scenario_id, submission.organisation_id, submission.name)
            if key in seen:
                continue
            seen.add(key)
            created = submission.created_at + timedelta(days=1)
            solutions.append(
                Solution(
                    scenario_id=scenario_id,
                    organisation_id=submission.organisation_id,
                    name=submission.name,
                    stage=_pick(rng, STAGE_WEIGHTS),
                    submission=submission,
                    created_at=created,
                    updated_at=created,
                )
            )
        solutions = _bulk(Solution, solutions)
        transitions = []
        pilots = []
        for solution in solutions:
            actor = users[solution.organisation_id]
            when = solution.created_at
            path: list[str]
            if solution.stage in STAGE_ORDER:
                path = list(STAGE_ORDER[: STAGE_ORDER.index(Stage(solution.stage)) + 1])
            else:
                path = [*STAGE_ORDER[: rng.randint(1, 3)], solution.stage]
            previous = ""
            for step, stage in enumerate(path):
                kind = (
                    Transition.Kind.REGISTER
                    if step == 0
                    else Transition.Kind.WITHDRAW
                    if stage == Stage.WITHDRAWN
                    else Transition.Kind.REJECT
                    if stage == Stage.REJECTED
                    else Transition.Kind.ADVANCE
                )
                transitions.append(
                    Transition(
                        solution=solution,
                        kind=kind,
                        from_stage=previous,
                        to_stage=stage,
                        actor=actor
                        if kind != Transition.Kind.ADVANCE
                        else self.operator,
                        reasons="Synthetic load-test transition.",
                        created_at=when,
                    )
                )
                previous = stage
                when += timedelta(days=rng.uniform(5, 40))
            if solution.stage in (Stage.PILOT, Stage.EFFECTIVENESS, Stage.SCALE):
                pilots.append(
                    Pilot(
                        solution=solution,
                        site=f"{NAME_PREFIX} site {solution.pk}",
                        starts_on=when.date(),
                        ends_on=(when + timedelta(days=90)).date(),
                        mode=Pilot.Mode.SHADOW,
                        status=Pilot.Status.RUNNING
                        if solution.stage == Stage.PILOT
                        else Pilot.Status.CLOSED,
                        created_by=actor,
                        created_at=when,
                    )
                )
        self.counts["solutions"] = len(solutions)
        self.counts["transitions"] = len(_bulk(Transition, transitions))
        self.counts["pilots"] = len(_bulk(Pilot, pilots))

    # -- reviews ---------------------------------------------------------------

    def reviews(self) -> None:
        rng = self.rng
        by_scenario: dict[int, list[Submission]] = defaultdict(list)
        version_scenario = {v.pk: v.suite.scenario_id for v in self.suite_versions}
        for submission in self.submissions:
            by_scenario[version_scenario[submission.suite_version_id]].append(
                submission
            )
        hosts = sorted(by_scenario)
        n_rounds = max(1, self.sizes.scenarios // SCENARIOS_PER_ROUND)
        chosen = rng.sample(hosts, min(n_rounds, len(hosts)))
        rounds = _bulk(
            ReviewRound,
            (
                ReviewRound(
                    scenario_id=scenario_id,
                    stage=Stage.TESTING,
                    title=f"{NAME_PREFIX} review round",
                    deadline=_at(400),
                    weights={},
                    status=ReviewRound.Status.OPEN,
                    chair=self.operator,
                    created_by=self.operator,
                    created_at=_at(330),
                    opened_at=_at(331),
                )
                for scenario_id in chosen
            ),
        )
        entries = []
        for review_round in rounds:
            pool = by_scenario[review_round.scenario_id]
            for number, submission in enumerate(
                rng.sample(pool, min(ENTRIES_PER_ROUND, len(pool))), start=1
            ):
                entries.append(
                    RoundEntry(
                        round=review_round,
                        submission=submission,
                        number=number,
                        created_at=_at(331),
                    )
                )
        entries = _bulk(RoundEntry, entries)
        assignments = []
        for entry in entries:
            for reviewer in rng.sample(
                self.reviewers, min(REVIEWERS_PER_ENTRY, len(self.reviewers))
            ):
                assignments.append(
                    Assignment(
                        entry=entry,
                        reviewer=reviewer,
                        source=Assignment.Source.AUTOMATIC,
                        created_by=self.operator,
                        created_at=_at(331),
                    )
                )
        self.counts["review rounds"] = len(rounds)
        self.counts["round entries"] = len(entries)
        self.counts["assignments"] = len(_bulk(Assignment, assignments))

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.people()
            self.scenarios()
            self.evaluations()
            self.lifecycle()
            self.reviews()
        # A bulk load leaves the query planner without statistics (SQLite
        # has none until ANALYZE; PostgreSQL's autovacuum would gather them
        # later). Gather them now, as after any bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return dict(self.counts)


def generate(sizes: Sizes, *, seed: int = 7, force: bool = False) -> dict[str, int]:
    """Check the database, then create the set; return the counts made."""
    check_database(force=force)
    return Generator(sizes, seed=seed).run()


# The personas of a set, by role: the first of each kind.
VENDOR_USER = f"{SLUG_PREFIX}vendor-00000"
ENERGY_USER = f"{SLUG_PREFIX}energy-00000"
OPERATOR_USER = f"{SLUG_PREFIX}operator"
REVIEWER_USER = f"{SLUG_PREFIX}reviewer-00000"


def benchmark_pages() -> list[tuple[str, str | None, str]]:
    """(page, username or None for anonymous, URL) of the pages to measure.

    Read from a database holding a load-test set: the scenario detail and
    suite pages are those of the version with the largest leaderboard.
    ``bench/web_pages.py`` times them; the query-count tests count them.
    """
    from django.db.models import Count
    from django.urls import reverse

    largest = (
        LeaderboardRow.objects.filter(
            suite_version__suite__scenario__code__startswith=CODE_PREFIX
        )
        .values("suite_version_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "suite_version_id")
        .first()
    )
    if largest is None:
        raise ScaleDataError("the database holds no load-test leaderboard")
    version = largest["suite_version_id"]
    code = Scenario.objects.get(suites__versions__pk=version).code
    catalog = reverse("scenarios:index")
    results = reverse("scenarios:index_results")
    map_url = reverse("scenarios:map")
    dashboard = reverse("lifecycle:dashboard")
    detail = reverse("scenarios:detail", args=[code])
    workspace = reverse("scenarios:workspace")
    solutions = reverse("lifecycle:index")
    return [
        ("home", None, reverse("home")),
        ("catalog", None, catalog),
        ("catalog ?sector=wind", None, f"{catalog}?sector=wind"),
        (
            "catalog ?sector=grid&min_readiness=3",
            None,
            f"{catalog}?sector=grid&min_readiness=3",
        ),
        (
            "catalog ?status=closed&sort=-value_score",
            None,
            f"{catalog}?status=closed&sort=-value_score",
        ),
        ("catalog ?q=scenario 12", None, f"{catalog}?q=scenario+12"),
        ("catalog ?page=4", None, f"{catalog}?page=4"),
        ("catalog results ?sector=wind", None, f"{results}?sector=wind"),
        ("catalog (energy owner)", ENERGY_USER, catalog),
        ("map", None, map_url),
        ("map ?task_type=forecasting", None, f"{map_url}?task_type=forecasting"),
        ("scenario detail", None, detail),
        ("scenario detail (vendor)", VENDOR_USER, detail),
        ("suite page", None, reverse("evaluations:suite", args=[version])),
        (
            "leaderboard (largest)",
            None,
            reverse("evaluations:leaderboard", args=[version]),
        ),
        ("lifecycle dashboard", None, dashboard),
        ("lifecycle dashboard (operator)", OPERATOR_USER, dashboard),
        ("lifecycle dashboard ?sector=wind", None, f"{dashboard}?sector=wind"),
        ("workspace (vendor)", VENDOR_USER, workspace),
        ("workspace (energy owner)", ENERGY_USER, workspace),
        ("workspace (operator)", OPERATOR_USER, workspace),
        ("submissions (vendor)", VENDOR_USER, reverse("evaluations:submissions")),
        ("solutions (vendor)", VENDOR_USER, solutions),
        ("solutions (energy owner)", ENERGY_USER, solutions),
        ("review queue (reviewer)", REVIEWER_USER, reverse("reviews:queue")),
        (
            "organisation queue (operator)",
            OPERATOR_USER,
            reverse("accounts:organisation_queue"),
        ),
    ]
