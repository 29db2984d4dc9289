"""Reads of scenarios, lists and datasets, scoped by who is asking.

HTML views and API views both call these, so the visibility rules live in
one place:

* the public sees published, closed and archived scenarios and the datasets
  and published lists that belong to them;
* members of the owner organisation also see its drafts and submissions;
* operators see everything;
* an object a user may not know exists raises ``Http404``; an object they
  may read but not change raises ``PermissionDenied`` when write access is
  asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from portal.accounts.models import Organisation
from portal.accounts.selectors import AnyUser, is_operator, organisation_ids_of
from portal.lib.taxonomy import Sector, Stage
from scenarios.models import (
    PUBLIC_STATUSES,
    AccessPolicy,
    AccessRequest,
    Dataset,
    DatasetFile,
    HighValueList,
    HighValueListEntry,
    Scenario,
    ScenarioEvent,
    ScenarioRegistration,
    ScenarioVersion,
)

# --- scenarios ---------------------------------------------------------------


def scenario_visibility_q(user: AnyUser, *, prefix: str = "") -> Q:
    """Return a filter matching the scenarios ``user`` may see.

    With ``prefix`` (``"scenario__"``, say) the filter applies to a model
    that points at its scenario, as a join: SQLite would otherwise build
    the whole list of visible scenario ids for an ``IN`` subquery on every
    request.
    """
    if is_operator(user):
        return Q()
    visible = Q(**{f"{prefix}status__in": PUBLIC_STATUSES})
    own = organisation_ids_of(user, kind=Organisation.Kind.ENERGY, verified=False)
    if own:
        visible |= Q(**{f"{prefix}owner_id__in": own})
    return visible


def scenario_queryset(user: AnyUser) -> QuerySet[Scenario]:
    return Scenario.objects.filter(scenario_visibility_q(user)).select_related(
        "owner", "assessment"
    )


def _invalid_filters(errors: Any) -> ValidationError:
    return ValidationError(
        {field: list(messages) for field, messages in errors.items()}
    )


def scenario_list(
    *, user: AnyUser, params: Any = None, strict: bool = False
) -> QuerySet[Scenario]:
    """Return visible scenarios filtered by ``params`` (a QueryDict).

    With ``strict`` an unknown filter value raises ``ValidationError``
    instead of being ignored (the API answers 400).
    """
    from scenarios.filters import ScenarioFilter

    queryset = scenario_queryset(user)
    if params is None:
        return queryset.filter(status=Scenario.Status.PUBLISHED)
    scenario_filter = ScenarioFilter(params, queryset=queryset, request_user=user)
    if strict and not scenario_filter.is_valid():
        raise _invalid_filters(scenario_filter.errors)
    filtered: QuerySet[Scenario] = scenario_filter.qs
    return filtered


def can_write_scenario(user: AnyUser, scenario: Scenario) -> bool:
    """Owner or admin of the owner organisation.

    Unverified organisations may prepare drafts; submitting for review needs
    verification (checked by the service).
    """
    return scenario.owner_id in organisation_ids_of(
        user, kind=Organisation.Kind.ENERGY, verified=False, write=True
    )


def get_scenario_for_user(user: AnyUser, code: str, *, write: bool = False) -> Scenario:
    """Return the scenario if ``user`` may see it (404) and change it (403)."""
    try:
        scenario = scenario_queryset(user).get(code=code)
    except Scenario.DoesNotExist:
        raise Http404("No such scenario.") from None
    if write and not can_write_scenario(user, scenario):
        raise PermissionDenied
    return scenario


def can_see_history(user: AnyUser, scenario: Scenario) -> bool:
    """The event history is for the owner's writers and operators."""
    return is_operator(user) or can_write_scenario(user, scenario)


def scenario_version_list(scenario: Scenario) -> QuerySet[ScenarioVersion]:
    return scenario.versions.select_related("created_by").order_by("-number")


def get_scenario_version(scenario: Scenario, number: int) -> ScenarioVersion:
    try:
        return scenario_version_list(scenario).get(number=number)
    except ScenarioVersion.DoesNotExist:
        raise Http404("No such version.") from None


def scenario_event_list(scenario: Scenario) -> QuerySet[ScenarioEvent]:
    return scenario.events.select_related("actor")


def scenario_detail_related(scenario: Scenario, user: AnyUser) -> dict[str, Any]:
    """Everything the scenario page shows, in a fixed number of queries."""
    datasets = list(
        scenario.datasets.prefetch_related("versions__files__blob").order_by("slug")
    )
    vendor_ids = organisation_ids_of(user, kind=Organisation.Kind.VENDOR)
    registered = set(
        ScenarioRegistration.objects.filter(
            scenario=scenario, organisation_id__in=vendor_ids
        ).values_list("organisation_id", flat=True)
    )
    return {
        "thresholds": list(scenario.thresholds.all()),
        "versions": list(scenario.versions.select_related("created_by")[:20]),
        "events": list(scenario.events.select_related("actor")[:30]),
        "datasets": datasets,
        "lists": list(
            HighValueListEntry.objects.filter(
                scenario=scenario, high_value_list__published_at__isnull=False
            ).select_related("high_value_list")
        ),
        "registration_count": scenario.registrations.count(),
        "registered_org_ids": registered,
    }


@dataclass
class MapCell:
    sector: str
    stage: str
    count: int
    heat: int


def scenario_map(*, task_type: str | None = None) -> dict[str, Any]:
    """Count public scenarios per sector and value-chain stage (场景图谱).

    Returns rows per sector with one cell per stage, in taxonomy order, from a
    single aggregate query.
    """
    queryset = Scenario.objects.filter(status__in=PUBLIC_STATUSES).exclude(
        status=Scenario.Status.ARCHIVED
    )
    if task_type:
        queryset = queryset.filter(task_type=task_type)
    counts = {
        (row["sector"], row["stage"]): row["n"]
        for row in queryset.values("sector", "stage").annotate(n=Count("pk"))
    }
    top = max(counts.values(), default=0)

    def heat(count: int) -> int:
        if count == 0 or top == 0:
            return 0
        return max(1, min(4, round(4 * count / top)))

    rows = []
    for sector in Sector:
        cells = [
            MapCell(sector.value, stage.value, counts.get((sector, stage), 0), 0)
            for stage in Stage
        ]
        for cell in cells:
            cell.heat = heat(cell.count)
        rows.append(
            {"sector": sector, "cells": cells, "total": sum(c.count for c in cells)}
        )
    column_totals = [
        sum(counts.get((sector, stage), 0) for sector in Sector) for stage in Stage
    ]
    return {
        "stages": list(Stage),
        "rows": rows,
        "column_totals": column_totals,
        "total": sum(counts.values()),
    }


# --- high-value lists ----------------------------------------------------------


def high_value_list_queryset(user: AnyUser) -> QuerySet[HighValueList]:
    # The annotation drops the model's default ordering; restate it.
    queryset = HighValueList.objects.annotate(entry_count=Count("entries")).order_by(
        "-year", "-batch"
    )
    if not is_operator(user):
        queryset = queryset.filter(published_at__isnull=False)
    return queryset


def get_high_value_list_for_user(
    user: AnyUser, slug: str, *, write: bool = False
) -> HighValueList:
    try:
        hv_list = high_value_list_queryset(user).get(slug=slug)
    except HighValueList.DoesNotExist:
        raise Http404("No such list.") from None
    if write and not is_operator(user):
        raise PermissionDenied
    return hv_list


def high_value_list_entries(hv_list: HighValueList) -> list[HighValueListEntry]:
    return list(
        hv_list.entries.select_related(
            "scenario", "scenario__owner", "scenario__assessment"
        ).order_by("rank")
    )


# --- datasets and access ---------------------------------------------------------


def dataset_queryset(user: AnyUser) -> QuerySet[Dataset]:
    return Dataset.objects.filter(
        scenario_visibility_q(user, prefix="scenario__")
    ).select_related("scenario", "scenario__owner")


def dataset_list(
    *, user: AnyUser, params: Any = None, strict: bool = False
) -> QuerySet[Dataset]:
    from scenarios.filters import DatasetFilter

    queryset = dataset_queryset(user).order_by("scenario__code", "slug")
    dataset_filter = DatasetFilter(params, queryset=queryset)
    if strict and params is not None and not dataset_filter.is_valid():
        raise _invalid_filters(dataset_filter.errors)
    filtered: QuerySet[Dataset] = dataset_filter.qs
    return filtered


def can_manage_dataset(user: AnyUser, dataset: Dataset) -> bool:
    return can_write_scenario(user, dataset.scenario)


def get_dataset_for_user(user: AnyUser, slug: str, *, write: bool = False) -> Dataset:
    try:
        dataset = dataset_queryset(user).get(slug=slug)
    except Dataset.DoesNotExist:
        raise Http404("No such dataset.") from None
    if write and not can_manage_dataset(user, dataset):
        raise PermissionDenied
    return dataset


def dataset_versions(dataset: Dataset) -> list[Any]:
    return list(
        dataset.versions.prefetch_related(
            Prefetch("files", queryset=DatasetFile.objects.select_related("blob"))
        ).select_related("created_by")
    )


@dataclass
class DownloadDecision:
    allowed: bool
    organisation: Organisation | None
    reason: str


def download_decision(user: AnyUser, dataset: Dataset) -> DownloadDecision:
    """Decide whether ``user`` may download files of ``dataset``.

    1. Hidden data never leaves the platform, whoever asks.
    2. Members of the owner organisation hold the data already.
    3. Public data: anyone. Registered: members of any verified organisation.
    4. By request: a verified vendor organisation of the user with an approved
       request; the download is attributed to that organisation.
    """
    policy = dataset.access_policy
    if policy == AccessPolicy.HIDDEN:
        return DownloadDecision(False, None, "hidden")
    owner_id = dataset.scenario.owner_id
    own_ids = organisation_ids_of(user)
    if owner_id in own_ids:
        return DownloadDecision(True, dataset.scenario.owner, "owner")
    if policy == AccessPolicy.PUBLIC:
        return DownloadDecision(True, None, "public")
    if not user.is_authenticated:
        return DownloadDecision(False, None, "login")
    if policy == AccessPolicy.REGISTERED:
        if own_ids:
            return DownloadDecision(True, None, "registered")
        return DownloadDecision(False, None, "verified_organisation")
    vendor_ids = organisation_ids_of(user, kind=Organisation.Kind.VENDOR)
    approved = (
        AccessRequest.objects.filter(
            dataset=dataset,
            organisation_id__in=vendor_ids,
            status=AccessRequest.Status.APPROVED,
        )
        .select_related("organisation")
        .first()
    )
    if approved is not None:
        return DownloadDecision(True, approved.organisation, "approved")
    return DownloadDecision(False, None, "request")


def get_dataset_file_for_user(user: AnyUser, slug: str, file_id: int) -> DatasetFile:
    """Return a file of a visible dataset; 404 when unknown, 403 when denied."""
    dataset = get_dataset_for_user(user, slug)
    try:
        dataset_file = DatasetFile.objects.select_related("blob", "version").get(
            pk=file_id, version__dataset=dataset
        )
    except DatasetFile.DoesNotExist:
        raise Http404("No such file.") from None
    dataset_file.version.dataset = dataset
    return dataset_file


def access_request_queryset(user: AnyUser) -> QuerySet[AccessRequest]:
    """Requests the user's organisations made, or received as data owner."""
    base = AccessRequest.objects.select_related(
        "dataset", "dataset__scenario", "organisation", "requested_by", "decided_by"
    )
    if is_operator(user):
        return base
    org_ids = organisation_ids_of(user, verified=False)
    return base.filter(
        Q(organisation_id__in=org_ids) | Q(dataset__scenario__owner_id__in=org_ids)
    )


def get_access_request_for_user(user: AnyUser, pk: int) -> AccessRequest:
    try:
        return access_request_queryset(user).get(pk=pk)
    except AccessRequest.DoesNotExist:
        raise Http404("No such access request.") from None


def can_decide_access_request(user: AnyUser, request: AccessRequest) -> bool:
    return can_write_scenario(user, request.dataset.scenario)


def can_withdraw_access_request(user: AnyUser, request: AccessRequest) -> bool:
    if request.status != AccessRequest.Status.PENDING:
        return False
    if request.requested_by_id == getattr(user, "pk", None):
        return True
    return request.organisation_id in organisation_ids_of(user, write=True)


WORKSPACE_REVIEW_QUEUE = 20


def workspace_summary(user: AnyUser) -> dict[str, Any]:
    """What a signed-in user's workspace shows, by role."""
    energy_ids = organisation_ids_of(
        user, kind=Organisation.Kind.ENERGY, verified=False
    )
    vendor_ids = organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False
    )
    summary: dict[str, Any] = {"operator": is_operator(user)}
    if energy_ids:
        summary["own_scenarios"] = list(
            Scenario.objects.filter(owner_id__in=energy_ids)
            .select_related("owner")
            .order_by("status", "code")
        )
        summary["incoming_requests"] = list(
            AccessRequest.objects.filter(
                dataset__scenario__owner_id__in=energy_ids,
                status=AccessRequest.Status.PENDING,
            ).select_related("dataset", "organisation", "requested_by")
        )
    if vendor_ids:
        summary["registrations"] = list(
            ScenarioRegistration.objects.filter(organisation_id__in=vendor_ids)
            .select_related("scenario", "organisation")
            .order_by("scenario__code")
        )
        summary["my_requests"] = list(
            AccessRequest.objects.filter(organisation_id__in=vendor_ids).select_related(
                "dataset", "organisation"
            )[:50]
        )
    if summary["operator"]:
        # The oldest first, a page of them; the count and the catalog's
        # status filter cover the rest (hundreds at scale).
        submitted = Scenario.objects.filter(status=Scenario.Status.SUBMITTED)
        summary["review_queue"] = list(
            submitted.select_related("owner").order_by("updated_at", "pk")[
                :WORKSPACE_REVIEW_QUEUE
            ]
        )
        summary["review_queue_total"] = submitted.count()
        summary["unverified_orgs"] = Organisation.objects.filter(
            verified_at__isnull=True
        ).count()
    return summary
