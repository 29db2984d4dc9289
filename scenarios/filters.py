"""django-filter sets for the catalog, datasets and their API lists."""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.accounts.selectors import AnyUser, is_operator
from portal.lib.taxonomy import Sector, Stage, TaskType
from scenarios.models import (
    PUBLIC_STATUSES,
    AccessPolicy,
    Classification,
    DataReadiness,
    Dataset,
    DeploymentMode,
    Scenario,
    SecurityZone,
)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

SORT_CHOICES = [
    ("code", _("Code")),
    ("-published_at", _("Newest")),
    ("-annual_value", _("Annual value")),
    ("-value_score", _("Value score")),
    ("-data_readiness", _("Data readiness")),
    ("-replicable_sites", _("Scale potential")),
]
_SORT_FIELDS = {
    "code": ["code"],
    "-published_at": [F("published_at").desc(nulls_last=True), "code"],
    "-annual_value": ["-annual_value_estimate", "code"],
    "-value_score": [F("assessment__score").desc(nulls_last=True), "code"],
    "-data_readiness": ["-data_readiness", "code"],
    "-replicable_sites": ["-replicable_sites", "code"],
}


def search_scenarios(queryset: QuerySet[Scenario], text: str) -> QuerySet[Scenario]:
    """Full-text search over the denormalised ``search_document``.

    PostgreSQL: a ``websearch`` query against a ``simple`` tsvector, ranked.
    Chinese has no spaces, so the ``simple`` parser sees a whole phrase as
    one token; terms with CJK characters therefore also match as substrings.
    SQLite: every term must occur as a case-insensitive substring.
    """
    terms = [t for t in text.split() if t]
    if not terms:
        return queryset
    substring = Q()
    for term in terms:
        substring &= Q(search_document__icontains=term.lower())
    if connection.vendor != "postgresql":
        return queryset.filter(substring)
    query = SearchQuery(text, search_type="websearch", config="simple")
    vector = SearchVector("search_document", config="simple")
    # Match with @@; ts_rank alone is never zero, even for a miss.
    condition = Q(search_vector=query)
    if _CJK.search(text):
        condition |= substring
    return queryset.annotate(
        search_vector=vector, search_rank=SearchRank(vector, query)
    ).filter(condition)


class ScenarioFilter(django_filters.FilterSet):
    # The choice filters read the scenario's own columns, so a row cannot
    # repeat: no DISTINCT (django-filter's default), which would make the
    # database compare whole rows of the catalog before paging.
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    sector = django_filters.MultipleChoiceFilter(
        choices=Sector.choices, label=_("Sector"), distinct=False
    )
    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices, label=_("Stage"), distinct=False
    )
    task_type = django_filters.MultipleChoiceFilter(
        choices=TaskType.choices, label=_("Task type"), distinct=False
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Scenario.Status.choices,
        method="filter_status",
        label=_("Status"),
        distinct=False,
    )
    owner = django_filters.CharFilter(field_name="owner__slug", label=_("Owner"))
    min_readiness = django_filters.ChoiceFilter(
        field_name="data_readiness",
        lookup_expr="gte",
        choices=DataReadiness.choices,
        empty_label=_("Any"),
        label=_("Data readiness at least"),
    )
    deployment_mode = django_filters.ChoiceFilter(
        choices=DeploymentMode.choices, empty_label=_("Any"), label=_("Deployment")
    )
    security_zone = django_filters.ChoiceFilter(
        choices=SecurityZone.choices, empty_label=_("Any"), label=_("Security zone")
    )
    domestic = django_filters.BooleanFilter(
        method="filter_domestic", label=_("Domestic hardware or software required")
    )
    on_list = django_filters.CharFilter(
        method="filter_on_list", label=_("On high-value list")
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_sort", label=_("Sort by"), empty_label=None
    )

    class Meta:
        model = Scenario
        fields: list[str] = []

    def __init__(self, *args: Any, request_user: AnyUser | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.request_user = request_user

    def filter_q(
        self, queryset: QuerySet[Scenario], name: str, value: str
    ) -> QuerySet[Scenario]:
        return search_scenarios(queryset, value)

    def filter_status(
        self, queryset: QuerySet[Scenario], name: str, value: list[str]
    ) -> QuerySet[Scenario]:
        return queryset.filter(status__in=value) if value else queryset

    def filter_domestic(
        self, queryset: QuerySet[Scenario], name: str, value: bool | None
    ) -> QuerySet[Scenario]:
        if value is None:
            return queryset
        either = Q(requires_domestic_hardware=True) | Q(requires_domestic_software=True)
        return queryset.filter(either) if value else queryset.exclude(either)

    def filter_on_list(
        self, queryset: QuerySet[Scenario], name: str, value: str
    ) -> QuerySet[Scenario]:
        lists = Q(list_entries__high_value_list__slug=value)
        if self.request_user is None or not is_operator(self.request_user):
            lists &= Q(list_entries__high_value_list__published_at__isnull=False)
        return queryset.filter(lists)

    def filter_sort(
        self, queryset: QuerySet[Scenario], name: str, value: str
    ) -> QuerySet[Scenario]:
        return queryset  # applied in ``qs`` so that it also runs without a value

    @property
    def qs(self) -> QuerySet[Scenario]:
        queryset = super().qs
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if not data.get("status"):
            # By default the catalog lists what is open now; closed and
            # archived scenarios appear when asked for by status.
            queryset = queryset.filter(
                status__in=[s for s in PUBLIC_STATUSES if s != Scenario.Status.ARCHIVED]
            )
        sort = data.get("sort") or ""
        if sort in _SORT_FIELDS:
            return queryset.order_by(*_SORT_FIELDS[sort])
        if data.get("q") and connection.vendor == "postgresql":
            return queryset.order_by("-search_rank", "code")
        return queryset.order_by("code")


class DatasetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    scenario = django_filters.CharFilter(
        field_name="scenario__code", label=_("Scenario")
    )
    sector = django_filters.MultipleChoiceFilter(
        field_name="scenario__sector", choices=Sector.choices, label=_("Sector")
    )
    classification = django_filters.MultipleChoiceFilter(
        choices=Classification.choices, label=_("Classification")
    )
    access_policy = django_filters.MultipleChoiceFilter(
        choices=AccessPolicy.choices, label=_("Access policy")
    )

    class Meta:
        model = Dataset
        fields: list[str] = []

    def filter_q(
        self, queryset: QuerySet[Dataset], name: str, value: str
    ) -> QuerySet[Dataset]:
        for term in value.split():
            queryset = queryset.filter(
                Q(title_zh__icontains=term)
                | Q(title_en__icontains=term)
                | Q(slug__icontains=term)
                | Q(source_en__icontains=term)
                | Q(source_zh__icontains=term)
            )
        return queryset
