"""The authorisation matrix: every route, every role, the expected answer.

``ROUTES`` is keyed by URL name (``name@variant`` when a route is checked
on a second object). Each entry names the object its URL takes (a key of
``OBJECTS``) and, per HTTP method the route serves, the expected answer of
each role, in the column order of ``ROLES``::

    anonymous vendor_a vendor_b owner other_owner reviewer conflicted blind operator

Answers: a status code; ``L`` for a redirect to the log-in page; ``ok``
for a write that went through (2xx or a redirect other than to log in).
Write requests carry no data, so a role allowed to write may also get a
precise ``400``. Reads are always exact.

Each route is also sent one method it does not serve, as ``probe_as``
(the operator unless stated), and must answer 405; ``no_probe`` gives the
reason where a route cannot.

``names_vendors`` marks a route that names vendors to everyone by design,
with the reason; the blind reviewer's check skips it. Every other answer
with status 200 the blind reviewer gets must not name a vendor.

``EXCLUDED`` lists the routes the matrix leaves out, each with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.portal.authz_world import ROLES

__all__ = ["EXCLUDED", "OBJECTS", "ROLES", "ROUTES", "Route"]

# Why a route may name vendors to the blind reviewer.
ORG_PAGE = "the public directory of organisations, open to anonymous visitors"
CASE_PAGE = "a published benchmark case, public by the vendor's consent"
CONFLICT_FORM = (
    "the declaration form lists every vendor organisation to choose from; "
    "it links no vendor to an entry"
)

# Routes left out of the matrix, by name, namespace (``admin:*``) or, for
# an unnamed route, its path.
EXCLUDED: dict[str, str] = {
    # Django's admin has its own staff-only login and dozens of generated
    # routes per model; tests/*/test_admin.py cover who may use it.
    "admin:*": "Django admin (staff only, own login)",
    # Django's set_language: redirects every method, for every role.
    "set_language": "i18n plumbing (django.conf.urls.i18n)",
    # A permanent redirect to the static file.
    "/favicon.ico": "static plumbing",
}
# Static and media files are not routed: WhiteNoise serves static files and
# uploads are only ever streamed by the download views in the matrix.


@dataclass(frozen=True)
class Route:
    obj: str | None
    get: str | None = None
    post: str | None = None
    put: str | None = None
    patch: str | None = None
    delete: str | None = None
    names_vendors: str = ""
    probe_as: str = "operator"
    # Why the route answers every method alike (no 405 to probe for).
    no_probe: str = ""

    def methods(self) -> dict[str, str]:
        """Return the served methods and their expected answers."""
        answers = {
            "get": self.get,
            "post": self.post,
            "put": self.put,
            "patch": self.patch,
            "delete": self.delete,
        }
        return {method: row for method, row in answers.items() if row is not None}

    def probe(self) -> str:
        """Return a method the route does not serve."""
        served = self.methods()
        # "put" comes after "delete": Django's form views serve PUT as POST.
        for method in ("post", "get", "delete", "put", "patch"):
            if method not in served:
                return method
        raise AssertionError("a route serves every method")


R = Route

OBJECTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "uid": lambda w: {"uidb64": "MQ", "token": "bad-token"},
    "notification": lambda w: {"pk": w.notification.pk},
    "api_token": lambda w: {"pk": w.token.pk},
    "org": lambda w: {"slug": w.vendor_a.slug},
    "member": lambda w: {"slug": w.vendor_a.slug, "pk": w.membership.pk},
    "draft": lambda w: {"code": w.draft.code},
    "scenario": lambda w: {"code": w.scenario.code},
    "version": lambda w: {"code": w.scenario.code, "number": 1},
    "list": lambda w: {"slug": w.hv_list.slug},
    "list_entry": lambda w: {"slug": w.hv_list.slug, "code": w.scenario.code},
    "dataset": lambda w: {"slug": w.dataset.slug},
    "file": lambda w: {"slug": w.dataset.slug, "file_id": w.dataset_file.pk},
    "areq": lambda w: {"pk": w.access_request.pk},
    "sv": lambda w: {"pk": w.version.pk},
    "inputs": lambda w: {"pk": w.version.pk, "split": "sample"},
    "suite": lambda w: {"pk": w.version.suite_id},
    "run": lambda w: {"pk": w.sample_run.pk},
    "round": lambda w: {"pk": w.round.pk},
    "open_round": lambda w: {"pk": w.open_round.pk},
    "assignment": lambda w: {"pk": w.blind_assignment.pk},
    "open_assignment": lambda w: {"pk": w.reviewer_assignment.pk},
    "entry": lambda w: {"pk": w.entry_a.pk},
    "open_entry": lambda w: {"pk": w.open_entry.pk},
    "export_csv": lambda w: {"pk": w.round.pk, "fmt": "csv"},
    "export_xlsx": lambda w: {"pk": w.round.pk, "fmt": "xlsx"},
    "solution": lambda w: {"pk": w.solution.pk},
    "pilot": lambda w: {"pk": w.pilot.pk},
    "kpi": lambda w: {"pk": w.pilot.pk, "kpi_pk": w.kpi.pk},
    "case": lambda w: {"slug": w.case.slug},
}

ROUTES: dict[str, Route] = {
    # --- root ------------------------------------------------------------------
    "home": R(None, get="200 200 200 200 200 200 200 200 200"),
    # --- accounts --------------------------------------------------------------
    "accounts:signup": R(
        None,
        get="200 302 302 302 302 302 302 302 302",
        post="ok ok ok ok ok ok ok ok ok",
    ),
    "accounts:login": R(
        None,
        get="200 302 302 302 302 302 302 302 302",
        post="ok ok ok ok ok ok ok ok ok",
        put="ok ok ok ok ok ok ok ok ok",
        # A signed-in visitor is redirected whatever the method.
        probe_as="anonymous",
    ),
    "accounts:logout": R(None, post="ok ok ok ok ok ok ok ok ok"),
    "accounts:resend_verification": R(None, post="L ok ok ok ok ok ok ok ok"),
    "accounts:verify_email": R(
        "uid",
        get="400 400 400 400 400 400 400 400 400",
        post="400 400 400 400 400 400 400 400 400",
    ),
    "accounts:password_change": R(
        None,
        get="L 200 200 200 200 200 200 200 200",
        post="L ok ok ok ok ok ok ok ok",
        put="L ok ok ok ok ok ok ok ok",
    ),
    "accounts:password_change_done": R(None, get="L 200 200 200 200 200 200 200 200"),
    "accounts:password_reset": R(
        None,
        get="200 200 200 200 200 200 200 200 200",
        post="ok ok ok ok ok ok ok ok ok",
        put="ok ok ok ok ok ok ok ok ok",
    ),
    "accounts:password_reset_done": R(None, get="200 200 200 200 200 200 200 200 200"),
    "accounts:password_reset_confirm": R(
        "uid",
        get="200 200 200 200 200 200 200 200 200",
        post="ok ok ok ok ok ok ok ok ok",
        put="ok ok ok ok ok ok ok ok ok",
        no_probe="Django's PasswordResetConfirmView renders the invalid-link "
        "page from dispatch(), before the method is looked at",
    ),
    "accounts:password_reset_complete": R(
        None, get="200 200 200 200 200 200 200 200 200"
    ),
    "accounts:profile": R(
        None, get="L 200 200 200 200 200 200 200 200", post="L ok ok ok ok ok ok ok ok"
    ),
    "accounts:reviewer_profile": R(
        None, get="L 200 200 200 200 200 200 200 200", post="L ok ok ok ok ok ok ok ok"
    ),
    "accounts:api_token": R(
        None,
        get="L 200 200 200 200 200 200 200 200",
        # No data: the creation form answers with its errors.
        post="L 400 400 400 400 400 400 400 400",
    ),
    "accounts:api_token_revoke": R(
        "api_token", post="L ok 404 404 404 404 404 404 404"
    ),
    "accounts:notifications": R(None, get="L 200 200 200 200 200 200 200 200"),
    "accounts:notification_preferences": R(
        None, get="L 200 200 200 200 200 200 200 200", post="L ok ok ok ok ok ok ok ok"
    ),
    "accounts:notifications_mark_all_read": R(None, post="L ok ok ok ok ok ok ok ok"),
    "accounts:notification_mark_read": R(
        "notification", post="L ok 404 404 404 404 404 404 404"
    ),
    "accounts:organisation_create": R(
        None, get="L 200 200 200 200 200 200 200 200", post="L ok ok ok ok ok ok ok ok"
    ),
    "accounts:organisation_queue": R(None, get="L 403 403 403 403 403 403 403 200"),
    "accounts:organisation": R(
        "org", get="200 200 200 200 200 200 200 200 200", names_vendors=ORG_PAGE
    ),
    "accounts:organisation_edit": R(
        "org",
        get="L 200 404 404 404 404 404 404 404",
        post="L ok 404 404 404 404 404 404 404",
    ),
    "accounts:organisation_members": R("org", get="L 200 404 404 404 404 404 404 404"),
    "accounts:organisation_member_add": R(
        "org", post="L ok 404 404 404 404 404 404 404"
    ),
    "accounts:organisation_member_role": R(
        "member", post="L ok 404 404 404 404 404 404 404"
    ),
    "accounts:organisation_member_remove": R(
        "member", post="L ok 404 404 404 404 404 404 404"
    ),
    "accounts:organisation_verify": R("org", post="L 403 403 403 403 403 403 403 ok"),
    "accounts:organisation_reject": R("org", post="L 403 403 403 403 403 403 403 ok"),
    # --- ledger ----------------------------------------------------------------
    "ledger:index": R(None, get="L 403 403 403 403 403 403 403 200"),
    "ledger:verify": R(None, post="L 403 403 403 403 403 403 403 ok"),
    # --- scenarios -------------------------------------------------------------
    "scenarios:workspace": R(None, get="L 200 200 200 200 200 200 200 200"),
    "scenarios:index": R(None, get="200 200 200 200 200 200 200 200 200"),
    "scenarios:index_results": R(None, get="200 200 200 200 200 200 200 200 200"),
    "scenarios:create": R(
        None,
        get="L 403 403 200 200 403 403 403 403",
        post="L 403 403 ok ok 403 403 403 403",
    ),
    "scenarios:detail": R("draft", get="404 404 404 200 404 404 404 404 200"),
    "scenarios:detail@public": R("scenario", get="200 200 200 200 200 200 200 200 200"),
    "scenarios:edit": R(
        "draft",
        get="L 404 404 200 404 404 404 404 403",
        post="L 404 404 ok 404 404 404 404 403",
    ),
    "scenarios:version": R("version", get="200 200 200 200 200 200 200 200 200"),
    "scenarios:submit": R("draft", post="L 404 404 ok 404 404 404 404 403"),
    "scenarios:withdraw": R("draft", post="L 404 404 ok 404 404 404 404 403"),
    "scenarios:publish": R("draft", post="L 404 404 403 404 404 404 404 ok"),
    "scenarios:reject": R("draft", post="L 404 404 ok 404 404 404 404 ok"),
    "scenarios:close": R("scenario", post="L 403 403 ok 403 403 403 403 ok"),
    "scenarios:reopen": R("scenario", post="L 403 403 ok 403 403 403 403 ok"),
    "scenarios:archive": R("scenario", post="L 403 403 ok 403 403 403 403 ok"),
    "scenarios:register": R("scenario", post="L ok ok 403 403 403 403 403 403"),
    "scenarios:assess": R("scenario", post="L 403 403 403 403 403 403 403 ok"),
    "scenarios:dataset_create": R(
        "scenario",
        get="L 403 403 200 403 403 403 403 403",
        post="L 403 403 ok 403 403 403 403 403",
    ),
    "scenarios:map": R(None, get="200 200 200 200 200 200 200 200 200"),
    "scenarios:lists": R(None, get="200 200 200 200 200 200 200 200 200"),
    "scenarios:list_create": R(
        None,
        get="L 403 403 403 403 403 403 403 200",
        post="L 403 403 403 403 403 403 403 ok",
    ),
    "scenarios:list_detail": R("list", get="404 404 404 404 404 404 404 404 200"),
    "scenarios:list_entries": R("list", post="L 404 404 404 404 404 404 404 ok"),
    "scenarios:list_export": R("list", get="404 404 404 404 404 404 404 404 200"),
    "scenarios:datasets": R(None, get="200 200 200 200 200 200 200 200 200"),
    "scenarios:dataset": R("dataset", get="200 200 200 200 200 200 200 200 200"),
    "scenarios:dataset_edit": R(
        "dataset",
        get="L 403 403 200 403 403 403 403 403",
        post="L 403 403 ok 403 403 403 403 403",
    ),
    "scenarios:dataset_upload": R("dataset", post="L 403 403 ok 403 403 403 403 403"),
    "scenarios:dataset_download": R("file", post="L 403 403 ok 403 403 403 403 403"),
    "scenarios:access_request_create": R(
        "dataset", post="L ok ok 403 403 403 403 403 403"
    ),
    "scenarios:access_requests": R(None, get="L 200 200 200 200 200 200 200 200"),
    "scenarios:access_request": R("areq", get="L 200 404 200 404 404 404 404 200"),
    "scenarios:access_request_decide": R(
        "areq", post="L 403 404 ok 404 404 404 404 403"
    ),
    "scenarios:access_request_withdraw": R(
        "areq", post="L ok 404 403 404 404 404 404 403"
    ),
    "scenarios:access_request_revoke": R("areq", post="L ok 404 ok 404 404 404 404 ok"),
    # --- evaluations -----------------------------------------------------------
    "evaluations:suite": R("sv", get="200 200 200 200 200 200 200 200 200"),
    "evaluations:submit": R("sv", post="L 400 400 403 403 403 403 403 403"),
    "evaluations:inputs": R("inputs", get="404 404 404 404 404 404 404 404 404"),
    "evaluations:leaderboard": R("sv", get="200 200 200 200 200 200 200 200 200"),
    "evaluations:run": R("run", get="L 200 404 200 404 404 404 404 200"),
    "evaluations:cancel": R("run", post="L ok 404 403 404 404 404 404 403"),
    "evaluations:submissions": R(None, get="L 200 200 200 200 200 200 200 200"),
    "evaluations:scenario_suites": R(
        "scenario",
        get="L 403 403 200 403 403 403 403 200",
        post="L 403 403 ok 403 403 403 403 ok",
    ),
    "evaluations:suite_edit": R(
        "suite",
        get="L 403 403 200 403 403 403 403 200",
        post="L 403 403 ok 403 403 403 403 ok",
    ),
    "evaluations:suite_version_create": R(
        "suite",
        get="L 403 403 200 403 403 403 403 200",
        post="L 403 403 ok 403 403 403 403 ok",
    ),
    "evaluations:suite_version_manage": R(
        "sv",
        get="L 403 403 200 403 403 403 403 200",
        post="L 403 403 ok 403 403 403 403 ok",
    ),
    "evaluations:suite_version_publish": R(
        "sv", post="L 403 403 ok 403 403 403 403 ok"
    ),
    "evaluations:suite_version_retire": R("sv", post="L 403 403 ok 403 403 403 403 ok"),
    "evaluations:suite_version_discard": R(
        "sv", post="L 403 403 ok 403 403 403 403 ok"
    ),
    # --- reviews ---------------------------------------------------------------
    "reviews:queue": R(None, get="L 200 200 200 200 200 200 200 200"),
    "reviews:conflicts": R(
        None,
        get="L 200 200 200 200 200 200 200 200",
        post="L ok ok ok ok ok ok ok ok",
        names_vendors=CONFLICT_FORM,
    ),
    "reviews:round_create": R(
        "scenario",
        get="L 403 403 200 403 403 403 403 200",
        post="L 403 403 ok 403 403 403 403 ok",
    ),
    "reviews:round": R("round", get="L 404 404 200 404 404 404 404 200"),
    "reviews:round@open": R("open_round", get="L 404 404 200 404 404 404 404 200"),
    "reviews:round_edit": R(
        "round",
        get="L 404 404 200 404 404 404 404 200",
        post="L 404 404 ok 404 404 404 404 ok",
    ),
    "reviews:round_open": R("round", post="L 404 404 ok 404 404 404 404 ok"),
    "reviews:round_close": R("round", post="L 404 404 ok 404 404 404 404 ok"),
    "reviews:round_entries": R("round", post="L 404 404 ok 404 404 404 404 ok"),
    "reviews:round_assign": R("round", post="L 404 404 ok 404 404 404 404 ok"),
    "reviews:round_auto_assign": R("round", post="L 404 404 ok 404 404 404 404 ok"),
    "reviews:round_detect": R("round", post="L 404 404 ok 404 404 404 404 ok"),
    "reviews:review": R(
        "assignment",
        get="L 404 404 404 404 404 404 200 404",
        post="L 404 404 404 404 404 404 ok 404",
    ),
    "reviews:review@open": R(
        "open_assignment",
        get="L 404 404 404 404 200 404 404 404",
        post="L 404 404 404 404 ok 404 404 404",
    ),
    "reviews:decline": R("assignment", post="L 404 404 404 404 404 404 ok 404"),
    "reviews:round_export": R("export_csv", get="L 404 404 200 404 404 404 404 200"),
    "reviews:round_export@xlsx": R(
        "export_xlsx", get="L 404 404 200 404 404 404 404 200"
    ),
    "reviews:entry": R("entry", get="L 404 404 200 404 404 404 200 200"),
    "reviews:entry@open": R("open_entry", get="L 404 404 200 404 200 404 404 200"),
    "reviews:entry_scorecard": R("entry", get="L 404 404 200 404 404 404 403 200"),
    "reviews:comment": R("entry", post="L 404 404 ok 404 404 404 ok ok"),
    "reviews:decide": R("entry", post="L 404 404 ok 404 404 404 403 ok"),
    "reviews:vendor_entry": R("entry", get="L 200 404 404 404 404 404 404 404"),
    "reviews:vendor_response": R("entry", post="L 400 404 404 404 404 404 404 404"),
    "reviews:vendor_conflict": R("entry", post="L 400 404 404 404 404 404 404 404"),
    "reviews:case_business": R(
        "entry",
        get="L 200 404 200 404 404 404 200 200",
        post="L 400 404 400 404 404 404 403 400",
    ),
    "reviews:case_business_preview": R("entry", post="L ok 404 ok 404 404 404 403 ok"),
    "reviews:case_impact": R(
        "entry",
        get="L 200 404 200 404 404 404 200 200",
        post="L 400 404 400 404 404 404 403 400",
    ),
    "reviews:case_impact_preview": R("entry", post="L ok 404 ok 404 404 404 403 ok"),
    "reviews:case_users": R("entry", get="L 404 404 200 404 404 404 200 200"),
    "reviews:case_users_invite": R("entry", post="L 404 404 400 404 404 404 403 400"),
    "reviews:case_users_pilot": R("entry", post="L 404 404 400 404 404 404 403 400"),
    "reviews:case_sus_respond": R(
        "entry",
        get="L 404 404 404 404 404 404 404 404",
        post="L 404 404 404 404 404 404 404 404",
    ),
    # --- lifecycle -------------------------------------------------------------
    "lifecycle:index": R(None, get="L 200 200 200 200 200 200 200 200"),
    "lifecycle:register": R(None, post="L 404 404 404 404 404 404 404 404"),
    "lifecycle:dashboard": R(None, get="200 200 200 200 200 200 200 200 200"),
    "lifecycle:dashboard_results": R(None, get="200 200 200 200 200 200 200 200 200"),
    "lifecycle:dashboard_funnel_csv": R(
        None, get="200 200 200 200 200 200 200 200 200"
    ),
    "lifecycle:dashboard_monitoring_csv": R(
        None, get="200 200 200 200 200 200 200 200 200"
    ),
    "lifecycle:gate_config": R(
        "scenario",
        get="L 200 200 200 200 200 200 200 200",
        post="L 403 403 ok 403 403 403 403 ok",
    ),
    "lifecycle:solution": R("solution", get="L 200 404 200 404 404 404 404 200"),
    "lifecycle:solution_gate": R("solution", get="L 200 404 200 404 404 404 404 200"),
    "lifecycle:advance": R("solution", post="L ok 404 ok 404 404 404 404 ok"),
    "lifecycle:send_back": R("solution", post="L ok 404 ok 404 404 404 404 ok"),
    "lifecycle:withdraw": R("solution", post="L ok 404 ok 404 404 404 404 ok"),
    "lifecycle:reject": R("solution", post="L ok 404 ok 404 404 404 404 ok"),
    "lifecycle:new_version": R("solution", post="L ok 404 ok 404 404 404 404 ok"),
    "lifecycle:rescore": R("solution", post="L ok 404 ok 404 404 404 404 ok"),
    "lifecycle:case_save": R("solution", post="L ok 404 ok 404 404 404 404 ok"),
    "lifecycle:case_publish": R("solution", post="L 403 404 ok 404 404 404 404 ok"),
    "lifecycle:case_withdraw": R("solution", post="L ok 404 ok 404 404 404 404 ok"),
    "lifecycle:evidence_pack": R("solution", get="404 200 404 200 404 404 404 404 200"),
    "lifecycle:pilot_create": R("solution", post="L ok 404 ok 404 404 404 404 ok"),
    "lifecycle:pilot": R("pilot", get="L 200 404 200 404 404 404 404 200"),
    "lifecycle:pilot_start": R("pilot", post="L 403 404 ok 404 404 404 404 ok"),
    "lifecycle:pilot_close": R("pilot", post="L 403 404 ok 404 404 404 404 ok"),
    "lifecycle:kpi_add": R("pilot", post="L 403 404 ok 404 404 404 404 ok"),
    "lifecycle:measurement_add": R("pilot", post="L 403 404 ok 404 404 404 404 ok"),
    "lifecycle:measurement_upload": R("pilot", post="L 403 404 ok 404 404 404 404 ok"),
    "lifecycle:incident_add": R("pilot", post="L 403 404 ok 404 404 404 404 ok"),
    "lifecycle:pilot_usage_add": R("pilot", post="L 403 404 ok 404 404 404 404 ok"),
    "lifecycle:pilot_sus_invite": R("pilot", post="L 403 404 ok 404 404 404 404 ok"),
    "lifecycle:pilot_business_case": R(
        "pilot", get="L 200 404 200 404 404 404 404 200"
    ),
    "lifecycle:pilot_business_case_create": R(
        "pilot", post="L 403 404 ok 404 404 404 404 ok"
    ),
    "lifecycle:pilot_kpi_benefit": R("kpi", post="L 403 404 ok 404 404 404 404 ok"),
    # --- cases -----------------------------------------------------------------
    "cases:index": R(
        None, get="200 200 200 200 200 200 200 200 200", names_vendors=CASE_PAGE
    ),
    "cases:index_results": R(
        None, get="200 200 200 200 200 200 200 200 200", names_vendors=CASE_PAGE
    ),
    "cases:detail": R(
        "case", get="200 200 200 200 200 200 200 200 200", names_vendors=CASE_PAGE
    ),
    # --- api -------------------------------------------------------------------
    "api-me": R(
        None,
        get="401 200 200 200 200 200 200 200 200",
        patch="401 ok ok ok ok ok ok ok ok",
    ),
    "api-me-notification-preferences": R(
        None,
        get="401 200 200 200 200 200 200 200 200",
        patch="401 400 400 400 400 400 400 400 400",
    ),
    "api-auth-token": R(None, post="400 400 400 400 400 400 400 400 400"),
    "api-organisation-list": R(
        None, get="200 200 200 200 200 200 200 200 200", names_vendors=ORG_PAGE
    ),
    "api-organisation-detail": R(
        "org", get="200 200 200 200 200 200 200 200 200", names_vendors=ORG_PAGE
    ),
    "api-organisation-verify": R("org", post="401 403 403 403 403 403 403 403 400"),
    "api-ledger-verify": R(None, get="401 403 403 403 403 403 403 403 200"),
    "api-ledger-check-latest": R(None, get="401 403 403 403 403 403 403 403 404"),
    "api-scenario-list": R(
        None,
        get="200 200 200 200 200 200 200 200 200",
        post="401 400 400 400 400 400 400 400 400",
    ),
    "api-scenario-detail": R(
        "draft",
        get="404 404 404 200 404 404 404 404 200",
        patch="401 404 404 ok 404 404 404 404 403",
    ),
    "api-scenario-detail@public": R(
        "scenario",
        get="200 200 200 200 200 200 200 200 200",
        patch="401 403 403 400 403 403 403 403 403",
    ),
    "api-scenario-submit": R("draft", post="401 404 404 ok 404 404 404 404 403"),
    "api-scenario-withdraw": R("draft", post="401 404 404 400 404 404 404 404 403"),
    "api-scenario-publish": R("draft", post="401 404 404 403 404 404 404 404 400"),
    "api-scenario-reject": R("draft", post="401 404 404 400 404 404 404 404 400"),
    "api-scenario-close": R("scenario", post="401 403 403 ok 403 403 403 403 ok"),
    "api-scenario-reopen": R("scenario", post="401 403 403 400 403 403 403 403 400"),
    "api-scenario-archive": R("scenario", post="401 403 403 400 403 403 403 403 400"),
    "api-scenario-register": R("scenario", post="401 400 400 400 400 400 400 400 400"),
    "api-scenario-unregister": R(
        "scenario", post="401 400 400 400 400 400 400 400 400"
    ),
    "api-scenario-assessment": R("scenario", put="401 400 400 400 400 400 400 400 400"),
    "api-scenario-version-list": R(
        "scenario", get="200 200 200 200 200 200 200 200 200"
    ),
    "api-scenario-version-detail": R(
        "version", get="200 200 200 200 200 200 200 200 200"
    ),
    "api-scenario-history": R("draft", get="404 404 404 200 404 404 404 404 200"),
    "api-scenario-dataset-create": R(
        "scenario", post="401 403 403 400 403 403 403 403 403"
    ),
    "api-scenario-map": R(None, get="200 200 200 200 200 200 200 200 200"),
    "api-high-value-list-list": R(
        None,
        get="200 200 200 200 200 200 200 200 200",
        post="401 400 400 400 400 400 400 400 400",
    ),
    "api-high-value-list-detail": R("list", get="404 404 404 404 404 404 404 404 200"),
    "api-high-value-list-publish": R("list", post="401 404 404 404 404 404 404 404 ok"),
    "api-high-value-list-entry-add": R(
        "list", post="401 404 404 404 404 404 404 404 400"
    ),
    "api-high-value-list-entry-remove": R(
        "list_entry", delete="401 404 404 404 404 404 404 404 ok"
    ),
    "api-dataset-list": R(None, get="200 200 200 200 200 200 200 200 200"),
    "api-dataset-detail": R("dataset", get="200 200 200 200 200 200 200 200 200"),
    "api-dataset-version-create": R(
        "dataset", post="401 403 403 400 403 403 403 403 403"
    ),
    "api-dataset-file-download": R("file", get="403 403 403 200 403 403 403 403 403"),
    "api-access-request-list": R(
        None,
        get="401 200 200 200 200 200 200 200 200",
        post="401 400 400 400 400 400 400 400 400",
    ),
    "api-access-request-detail": R("areq", get="401 200 404 200 404 404 404 404 200"),
    "api-access-request-approve": R("areq", post="401 403 404 ok 404 404 404 404 403"),
    "api-access-request-deny": R("areq", post="401 400 404 400 404 404 404 404 400"),
    "api-access-request-withdraw": R("areq", post="401 ok 404 403 404 404 404 404 403"),
    "api-access-request-revoke": R("areq", post="401 400 404 400 404 404 404 404 400"),
    "api-suite-version-detail": R("sv", get="200 200 200 200 200 200 200 200 200"),
    "api-suite-version-leaderboard": R("sv", get="200 200 200 200 200 200 200 200 200"),
    "api-suite-version-submit": R("sv", post="401 400 400 400 400 400 400 400 400"),
    "api-suite-version-inputs": R("inputs", get="404 404 404 404 404 404 404 404 404"),
    "api-submission-list": R(None, get="401 200 200 200 200 200 200 200 200"),
    "api-run-detail": R("run", get="404 200 404 200 404 404 404 404 200"),
    "api-run-log": R("run", get="404 200 404 404 404 404 404 404 404"),
    "api-run-cancel": R("run", post="401 400 404 403 404 404 404 404 403"),
    "api-scenario-suites": R(
        "scenario",
        get="200 200 200 200 200 200 200 200 200",
        post="401 403 403 400 403 403 403 403 400",
    ),
    "api-test-suite-detail": R(
        "suite",
        get="200 200 200 200 200 200 200 200 200",
        patch="401 403 403 ok 403 403 403 403 ok",
    ),
    "api-test-suite-versions": R(
        "suite",
        get="200 200 200 200 200 200 200 200 200",
        post="401 403 403 400 403 403 403 403 400",
    ),
    "api-suite-version-manage": R(
        "sv",
        delete="401 403 403 400 403 403 403 403 400",
        get="403 403 403 200 403 403 403 403 200",
        patch="401 403 403 400 403 403 403 403 400",
    ),
    "api-suite-version-publish": R("sv", post="401 403 403 400 403 403 403 403 400"),
    "api-suite-version-retire": R("sv", post="401 403 403 ok 403 403 403 403 ok"),
    "api-review-assignment-list": R(None, get="401 200 200 200 200 200 200 200 200"),
    "api-review-detail": R(
        "assignment",
        get="401 404 404 404 404 404 404 200 404",
        post="401 404 404 404 404 404 404 400 404",
    ),
    "api-review-detail@open": R(
        "open_assignment",
        get="401 404 404 404 404 200 404 404 404",
        post="401 404 404 404 404 400 404 404 404",
    ),
    "api-review-submit": R("assignment", post="401 404 404 404 404 404 404 400 404"),
    "api-review-round-detail": R("round", get="401 404 404 200 404 404 404 404 200"),
    "api-review-round-detail@open": R(
        "open_round", get="401 404 404 200 404 404 404 404 200"
    ),
    "api-review-round-scorecard": R("round", get="401 404 404 200 404 404 404 404 200"),
    "api-review-decision-list": R(None, get="401 200 200 200 200 200 200 200 200"),
    "api-review-business-case": R("entry", get="401 200 404 200 404 404 404 200 200"),
    "api-review-business-case-update": R(
        "entry", put="401 400 404 400 404 404 404 403 400"
    ),
    "api-review-impact": R("entry", get="401 200 404 200 404 404 404 200 200"),
    "api-review-impact-update": R("entry", put="401 400 404 400 404 404 404 403 400"),
    "api-review-usability": R("entry", get="401 404 404 200 404 404 404 200 200"),
    "api-review-sus-response-create": R(
        "entry", post="401 404 404 404 404 404 404 404 404"
    ),
    "api-solution-list": R(None, get="401 200 200 200 200 200 200 200 200"),
    "api-solution-register": R(None, post="401 400 400 400 400 400 400 400 400"),
    "api-solution": R("solution", get="401 200 404 200 404 404 404 404 200"),
    "api-solution-gate": R("solution", get="401 200 404 200 404 404 404 404 200"),
    "api-solution-transition": R(
        "solution", post="401 400 404 400 404 404 404 404 400"
    ),
    "api-solution-evidence-pack": R(
        "solution", get="404 200 404 200 404 404 404 404 200"
    ),
    "api-pilot-create": R("solution", post="401 400 404 400 404 404 404 404 400"),
    "api-gate-config": R("scenario", get="401 200 200 200 200 200 200 200 200"),
    "api-gate-config-update": R("scenario", put="401 400 400 400 400 400 400 400 400"),
    "api-pilot": R("pilot", get="401 200 404 200 404 404 404 404 200"),
    "api-pilot-close": R("pilot", post="401 403 404 ok 404 404 404 404 ok"),
    "api-pilot-kpi": R("pilot", post="401 403 404 400 404 404 404 404 400"),
    "api-pilot-upload": R("pilot", post="401 403 404 415 404 404 404 404 415"),
    "api-pilot-incident": R("pilot", post="401 403 404 400 404 404 404 404 400"),
    "api_schema": R(None, get="200 200 200 200 200 200 200 200 200"),
    "api_docs": R(None, get="200 200 200 200 200 200 200 200 200"),
    "api_redoc": R(None, get="200 200 200 200 200 200 200 200 200"),
}
