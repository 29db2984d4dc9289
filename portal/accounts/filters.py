"""Filters for the organisation directory (API)."""

from __future__ import annotations

import django_filters

from portal.accounts.models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)

    class Meta:
        model = Organisation
        fields = ["kind"]
