"""One world with an object of every kind a route takes, for the
authorisation matrix (tests/portal/test_authorisation_matrix.py).

Built once per class with ``setUpTestData``, through the real services, on
top of ``tests.lifecycle.helpers.LifecycleTestCase``:

* scenarios: ``scenario`` (Demo Grid, published), ``draft`` (Demo Grid,
  never submitted), ``other_scenario`` (Other Power, published);
* ``dataset`` of ``scenario`` (by approval) with one file, and Vendor A's
  pending ``access_request`` for it;
* suite ``version`` with ``submission_a`` (Vendor A: ``hidden_run``,
  ``sample_run``) and ``submission_b`` (Vendor B: ``run_b``); every run has
  a log;
* the blind, open ``round`` with ``entry_a`` and ``entry_b``: rita reviews
  entry_a (``blind_assignment``); hugo was assigned entry_a, then
  declared a conflict with Vendor A, which withdrew him
  (``conflicted_assignment``);
* ``open_round``, not blind, with ``open_entry`` (submission_a) reviewed
  by ravi (``reviewer_assignment``);
* alice's ``solution`` at scale rollout with a ``pilot``, its ``kpi`` and
  two measurements, and its published benchmark ``case``;
* ``hv_list``, a draft high-value list of the operator, listing
  ``scenario``;
* alice's ``notification`` and API ``token``; bob's ``membership`` in
  Vendor A.

The roles of the matrix are the personas below (``ROLE_USERS``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from evaluations.models import Run
from lifecycle import case_services
from lifecycle import services as lifecycle_services
from lifecycle.models import PilotKpi
from portal.accounts import services as account_services
from portal.accounts.models import Membership, User
from reviews import services as review_services
from scenarios import dataset_services
from scenarios import services as scenario_services
from tests.evaluations.helpers import make_run
from tests.lifecycle.helpers import LifecycleTestCase
from tests.scenarios.helpers import make_dataset, make_scenario

# Role → persona attribute (None: not signed in).
ROLE_USERS: dict[str, str | None] = {
    "anonymous": None,
    "vendor_a": "alice",  # owner of Vendor A, whose solution is everywhere
    "vendor_b": "charlie",  # owner of Vendor B, an outsider to A's objects
    "owner": "gina",  # owner of Demo Grid: scenarios, datasets, rounds, pilots
    "other_owner": "otto",  # owner of Other Power, an outsider to Demo Grid
    "reviewer": "ravi",  # reviews open_entry in the round that is not blind
    "conflicted": "hugo",  # declared a conflict with Vendor A, withdrawn
    "blind": "rita",  # reviews entry_a in the blind round
    "operator": "olivia",  # platform operator (staff)
}
ROLES = tuple(ROLE_USERS)

PURPOSE = "Train the day-ahead forecasting model for the sandbox."


class AuthzWorld(LifecycleTestCase):
    """Every persona and one object of every kind (see the module doc)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.draft = make_scenario(cls.gina, cls.grid, "GRID-DRAFT-009", status="draft")
        cls.dataset = make_dataset(cls.gina, cls.scenario, "grid-load")
        cls.dataset_file = cls.dataset.versions.get().files.get()
        cls.access_request = dataset_services.access_request_create(
            dataset=cls.dataset,
            organisation=cls.vendor_a,
            user=cls.alice,
            purpose=PURPOSE,
        )
        # Names that would give Vendor B away in a blind round.
        cls.submission_b.file_name = "secret-vendor-b.zip"
        cls.submission_b.name = "charlie-special-model"
        cls.submission_b.save(update_fields=["file_name", "name"])
        cls.hidden_run.log = "hidden run of Vendor A\n"
        cls.hidden_run.save(update_fields=["log"])
        cls.sample_run.log = "sample run of Vendor A\n"
        cls.sample_run.save(update_fields=["log"])
        cls.run_b = make_run(
            cls.submission_b,
            status=Run.Status.SUCCEEDED,
            finished_at=timezone.now(),
            metrics={"mape": 4.0},
            passed=True,
            log="sample run of Vendor B\n",
        )
        cls._build_rounds()
        cls._build_pilot_and_case()
        cls.hv_list = scenario_services.high_value_list_create(
            user=cls.olivia,
            year=2026,
            batch=1,
            data={"title_zh": "高价值清单", "title_en": "High-value list"},
        )
        scenario_services.high_value_list_add(
            hv_list=cls.hv_list, user=cls.olivia, scenario=cls.scenario
        )
        (cls.notification,) = account_services.notification_send(
            users=[cls.alice], subject="Run finished", body="", url="/submissions/"
        )
        cls.token, _key = account_services.api_token_create(
            user=cls.alice, name="scripts"
        )
        cls.membership = Membership.objects.get(user=cls.bob)

    @classmethod
    def _build_rounds(cls) -> None:
        review_services.round_open(review_round=cls.round, user=cls.gina)
        cls.blind_assignment = review_services.assignment_create(
            entry=cls.entry_a, reviewer=cls.rita, user=cls.gina
        )
        cls.conflicted_assignment = review_services.assignment_create(
            entry=cls.entry_a, reviewer=cls.hugo, user=cls.gina
        )
        review_services.conflict_declare(
            user=cls.hugo,
            reviewer=cls.hugo,
            organisation=cls.vendor_a,
            reason="I consulted for Vendor A last year.",
        )
        cls.open_round = review_services.round_create(
            scenario=cls.scenario,
            user=cls.gina,
            data={
                "title": "Open testing round",
                "stage": "testing",
                "deadline": timezone.now() + timedelta(days=14),
                "reviewers_per_entry": 1,
                "reviewer_cap": 5,
                "blind": False,
            },
        )
        (cls.open_entry,) = review_services.round_entries_add(
            review_round=cls.open_round, user=cls.gina, submissions=[cls.submission_a]
        )
        review_services.round_open(review_round=cls.open_round, user=cls.gina)
        cls.reviewer_assignment = review_services.assignment_create(
            entry=cls.open_entry, reviewer=cls.ravi, user=cls.gina
        )

    @classmethod
    def _build_pilot_and_case(cls) -> None:
        cls.solution.stage = "pilot"
        cls.solution.save(update_fields=["stage"])
        cls.pilot = lifecycle_services.pilot_create(
            solution=cls.solution,
            user=cls.gina,
            site="Site A substation",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 3, 31),
            mode="shadow",
        )
        cls.kpi = lifecycle_services.pilot_kpi_add(
            pilot=cls.pilot,
            user=cls.gina,
            name="mape",
            unit="%",
            target=5.0,
            comparator=PilotKpi.Comparator.AT_MOST,
            tolerance_pct=20,
        )
        for value in (3.0, 3.4):
            lifecycle_services.pilot_measurement_add(
                kpi=cls.kpi,
                user=cls.gina,
                measured_at=datetime(
                    2026, 2, 1, tzinfo=timezone.get_current_timezone()
                ),
                value=value,
            )
        cls.solution.stage = "scale"
        cls.solution.save(update_fields=["stage"])
        case_services.benchmark_case_save(
            solution=cls.solution,
            user=cls.alice,
            summary_zh="短期负荷预测，已在三个地市推广。",
            summary_en="Short-term load forecasting, rolled out in three cities.",
        )
        cls.case = case_services.benchmark_case_publish(
            case=cls.solution.benchmark_case, user=cls.gina
        )

    def user_for(self, role: str) -> User | None:
        attribute = ROLE_USERS[role]
        return None if attribute is None else getattr(self, attribute)


def vendor_identity(world: Any) -> list[str]:
    """Strings that name a vendor of the blind round: none may reach rita."""
    strings = []
    for org in (world.vendor_a, world.vendor_b):
        strings += [org.name_en, org.name_zh, org.slug]
    for user in (world.alice, world.bob, world.charlie):
        strings += [user.username, user.email]
    for submission in (world.submission_a, world.submission_b):
        strings += [submission.file_name, submission.name]
    return strings
