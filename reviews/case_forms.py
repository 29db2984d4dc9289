"""Forms of the calculator pages: business case, social impact, SUS and
pilot counts. They parse input (rates as percentages on screen, fractions
in the database); the services decide."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from reviews.models import (
    BusinessCase,
    BusinessCaseLine,
    CaseBasis,
    SocialImpact,
)

HUNDRED = Decimal(100)

# System Usability Scale (Brooke, 1996), the standard English wording; the
# zh-hans catalogue holds a faithful translation of each statement.
SUS_STATEMENTS = (
    _("I think that I would like to use this system frequently."),
    _("I found the system unnecessarily complex."),
    _("I thought the system was easy to use."),
    _(
        "I think that I would need the support of a technical person to be "
        "able to use this system."
    ),
    _("I found the various functions in this system were well integrated."),
    _("I thought there was too much inconsistency in this system."),
    _("I would imagine that most people would learn to use this system very quickly."),
    _("I found the system very cumbersome to use."),
    _("I felt very confident using the system."),
    _("I needed to learn a lot of things before I could get going with this system."),
)
LIKERT = [
    ("1", _("Strongly disagree")),
    ("2", _("Disagree")),
    ("3", _("Neutral")),
    ("4", _("Agree")),
    ("5", _("Strongly agree")),
]


def _percent(fraction: Decimal) -> Decimal:
    """A stored fraction (4 places) as the percentage the forms take."""
    return (fraction * HUNDRED).quantize(Decimal("0.01"))


def _money(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=16, decimal_places=2, min_value=0, **kwargs
    )


class BusinessCaseForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("Basis"), choices=CaseBasis.choices, initial=CaseBasis.PROJECTED
    )
    investment = _money(_("Initial investment (CNY)"))
    horizon_years = forms.IntegerField(
        label=_("Horizon (years)"), min_value=1, max_value=50, initial=5
    )
    discount_rate = forms.DecimalField(
        label=_("Discount rate (%)"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=Decimal(8),
        help_text=_(
            "The social discount rate of 《建设项目经济评价方法与参数》 for "
            "economic appraisal is 8%; a company hurdle rate may be used for a "
            "financial appraisal."
        ),
    )
    asset_life_years = forms.IntegerField(
        label=_("Asset life (years)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Defaults to the horizon."),
    )
    service_units = forms.DecimalField(
        label=_("Annual service units"),
        max_digits=16,
        decimal_places=3,
        min_value=Decimal("0.001"),
        required=False,
    )
    unit_label = forms.CharField(
        label=_("Service unit"),
        max_length=60,
        required=False,
        help_text=_("For example: MWh forecast, asset-year monitored."),
    )
    calls_per_year = forms.IntegerField(
        label=_("Calls per year at the scenario's volume"),
        min_value=0,
        required=False,
        help_text=_(
            "With a tariff, the compute cost line is filled from the energy "
            "and CPU time of the latest hidden-test run."
        ),
    )
    tariff_per_kwh = forms.DecimalField(
        label=_("Electricity tariff (CNY/kWh)"),
        max_digits=8,
        decimal_places=4,
        min_value=0,
        required=False,
    )
    pue = forms.DecimalField(
        label=_("PUE"), max_digits=5, decimal_places=3, min_value=1, initial=1
    )
    cpu_hour_price = forms.DecimalField(
        label=_("Price per CPU-core-hour (CNY)"),
        max_digits=10,
        decimal_places=4,
        min_value=0,
        initial=0,
    )
    note = forms.CharField(
        label=_("Baseline and assumptions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def case_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["discount_rate"] = data["discount_rate"] / HUNDRED
        return data

    @staticmethod
    def initial_from(case: BusinessCase | None) -> dict[str, Any]:
        if case is None:
            return {}
        initial = {
            name: getattr(case, name)
            for name in (
                "basis",
                "investment",
                "horizon_years",
                "asset_life_years",
                "service_units",
                "unit_label",
                "calls_per_year",
                "tariff_per_kwh",
                "pue",
                "cpu_hour_price",
                "note",
            )
        }
        initial["discount_rate"] = _percent(case.discount_rate)
        return initial


class LineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    amount = _money(_("Annual amount, year 1 (CNY)"))
    escalation = forms.DecimalField(
        label=_("Escalation (%/yr)"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("-99.99"),
        max_value=1000,
        required=False,
    )
    driver = forms.CharField(
        label=_("Driver"),
        max_length=1000,
        required=False,
        help_text=_("What the amount comes from: KPI, tariff, baseline."),
    )

    def line_data(self, kind: str) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["kind"] = kind
        data["escalation"] = (data.get("escalation") or Decimal(0)) / HUNDRED
        return data

    @staticmethod
    def initial_from(line: BusinessCaseLine) -> dict[str, Any]:
        return {
            "name": line.name,
            "amount": line.amount,
            "escalation": _percent(line.escalation),
            "driver": line.driver,
        }


LineFormSet = forms.formset_factory(LineForm, extra=0, max_num=30, validate_max=True)


class ImpactForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("Basis"), choices=CaseBasis.choices, initial=CaseBasis.PROJECTED
    )
    energy_kind = forms.ChoiceField(
        label=_("Energy effect"),
        choices=SocialImpact.EnergyKind.choices,
        initial=SocialImpact.EnergyKind.SAVED,
    )
    energy_mwh = forms.DecimalField(
        label=_("Energy per year (MWh)"),
        max_digits=14,
        decimal_places=3,
        help_text=_("Negative if the solution raises consumption."),
    )
    factor = forms.ChoiceField(label=_("Grid emission factor"))
    calls_per_year = forms.IntegerField(
        label=_("Calls per year at the scenario's volume"),
        min_value=0,
        help_text=_(
            "Scales the energy per call of the latest hidden-test run to a "
            "year of operation."
        ),
    )
    pue = forms.DecimalField(
        label=_("PUE"), max_digits=5, decimal_places=3, min_value=1, initial=1
    )
    method = forms.CharField(
        label=_("Method and baseline"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, factors: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["factor"].choices = factors  # type: ignore[attr-defined]

    def impact_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        region, year = data.pop("factor").split(":")
        data["region"] = region
        data["factor_year"] = int(year)
        return data

    @staticmethod
    def initial_from(impact: SocialImpact | None) -> dict[str, Any]:
        if impact is None:
            return {}
        return {
            "basis": impact.basis,
            "energy_kind": impact.energy_kind,
            "energy_mwh": impact.energy_mwh,
            "factor": f"{impact.region}:{impact.factor_year}",
            "calls_per_year": impact.calls_per_year,
            "pue": impact.pue,
            "method": impact.method,
        }


class ImpactItemForm(forms.Form):
    name = forms.CharField(
        label=_("Impact"),
        max_length=120,
        help_text=_("For example: hazardous field-work hours removed."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity per year"), max_digits=16, decimal_places=3
    )
    unit = forms.CharField(label=_("Unit"), max_length=40)
    method = forms.CharField(label=_("Method"), max_length=2000)


ImpactItemFormSet = forms.formset_factory(
    ImpactItemForm, extra=0, max_num=20, validate_max=True
)


def filled(formset: forms.BaseFormSet) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    """The cleaned data of the formset's non-empty forms."""
    return [f.cleaned_data for f in formset.forms if f.has_changed()]


class SusForm(forms.Form):
    """The ten SUS statements, each answered 1–5."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for number, statement in enumerate(SUS_STATEMENTS, start=1):
            self.fields[f"q{number}"] = forms.TypedChoiceField(
                label=statement,
                choices=LIKERT,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer this statement.")},
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{n}"] for n in range(1, len(SUS_STATEMENTS) + 1)]


class InviteForm(forms.Form):
    respondents = forms.ModelMultipleChoiceField(
        label=_("Send the questionnaire to"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["respondents"].queryset = people  # type: ignore[attr-defined]


class PilotForm(forms.Form):
    recommendations = forms.IntegerField(label=_("Recommendations logged"), min_value=0)
    accepted = forms.IntegerField(label=_("Accepted"), min_value=0)
    overridden = forms.IntegerField(label=_("Overridden"), min_value=0)
    source = forms.CharField(
        label=_("Source of the counts"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Which pilot logs, which sites, which period."),
    )


def raw_rows(
    data: Mapping[str, Any], prefix: str, fields: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The rows a formset posted, as typed, valid or not (for re-display)."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 50)
    except (TypeError, ValueError):
        total = 0
    return [
        {name: data.get(f"{prefix}-{index}-{name}", "") for name in fields}
        for index in range(total)
    ]
