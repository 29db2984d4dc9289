from __future__ import annotations

from typing import Any, cast

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from lifecycle.models import Pilot, PilotIncident, PilotKpi, Stage

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class RegisterForm(forms.Form):
    submission = forms.TypedChoiceField(label=_("Submission"), coerce=int)
    name = forms.CharField(label=_("Solution name"), max_length=100, required=False)

    def __init__(self, *args: Any, submissions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["submission"])
        field.choices = [
            (
                s.pk,
                f"{s.suite_version.suite.scenario.code} · {s.name} {s.version_label}",
            )
            for s in submissions
        ]


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    run = forms.IntegerField(label=_("Hidden run (id)"), required=False, min_value=1)
    reasons = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea
    )


class SendBackForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Back to"), choices=[])
    reasons = forms.CharField(
        label=_("Reasons"), max_length=5000, widget=forms.Textarea
    )
    gaps = forms.CharField(
        label=_("Gaps (one a line: gap | tests to close it)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea,
        help_text=_("Leave empty to list the failed criteria of the next gate."),
    )

    def __init__(self, *args: Any, targets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["to_stage"])
        field.choices = [(s, Stage(s).label) for s in targets]

    def gap_rows(self) -> list[dict[str, str]]:
        rows = []
        for line in self.cleaned_data["gaps"].splitlines():
            if not line.strip():
                continue
            gap, _sep, tests = line.partition("|")
            rows.append({"gap": gap.strip(), "tests": tests.strip()})
        return rows


class ReasonsForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons"), max_length=5000, widget=forms.Textarea
    )


class VersionForm(forms.Form):
    submission = forms.TypedChoiceField(label=_("New version"), coerce=int)

    def __init__(self, *args: Any, submissions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["submission"])
        field.choices = [(s.pk, f"{s.name} {s.version_label}") for s in submissions]


class PilotForm(forms.Form):
    site = forms.CharField(label=_("Site"), max_length=200)
    starts_on = forms.DateField(
        label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Pilot.Mode.choices)


class KpiForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        help_text=_("Use a metric code of the hidden run to copy its sandbox value."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    target = forms.FloatField(label=_("Target"))
    comparator = forms.ChoiceField(
        label=_("Comparator"), choices=PilotKpi.Comparator.choices
    )
    sandbox_value = forms.FloatField(label=_("Sandbox value"), required=False)
    tolerance_pct = forms.FloatField(
        label=_("Drift tolerance (%)"), min_value=0, max_value=1000
    )


class MeasurementForm(forms.Form):
    kpi = forms.TypedChoiceField(label=_("KPI"), coerce=int)
    measured_at = forms.DateTimeField(
        label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    value = forms.FloatField(label=_("Value"))

    def __init__(self, *args: Any, kpis: list[PilotKpi], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["kpi"])
        field.choices = [(k.pk, k.name) for k in kpis]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Header kpi,timestamp,value; ISO 8601 timestamps with an offset. "
            "Nothing is saved when a row is wrong."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class IncidentForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=PilotIncident.Severity.choices
    )
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea
    )
    fallback_activated = forms.BooleanField(
        label=_("Fallback activated"), required=False
    )


class GateConfigForm(forms.Form):
    config = forms.JSONField(
        label=_("Gate thresholds (JSON)"),
        required=False,
        help_text=_(
            'By target stage, for example {"pilot": {"composite": 3.4}}. '
            "Thresholds left out keep their defaults."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


# --- benchmark cases and dashboards -------------------------------------------------


class CaseForm(forms.Form):
    summary_zh = forms.CharField(
        label=_("Solution summary (Chinese)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    summary_en = forms.CharField(
        label=_("Solution summary (English)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CaseWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DashboardFilterForm(forms.Form):
    """Filters of the dashboards; unknown values are dropped, not errors."""

    # A code, with suggestions as the user types (the view serves them): a
    # list of every scenario in scope would hold thousands of options.
    scenario = forms.CharField(
        label=_("Scenario"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "list": "dashboard-scenarios",
                "autocomplete": "off",
                "placeholder": _("Code or title"),
                # Suggestions: the dashboard view answers ?suggest=1 with
                # the <datalist> (dashboard_views.dashboard).
                "hx-get": reverse_lazy("lifecycle:dashboard"),
                "hx-trigger": "input changed delay:250ms",
                "hx-vals": '{"suggest": "1"}',
                "hx-target": "#dashboard-scenarios",
                "hx-swap": "outerHTML",
                "hx-push-url": "false",
            }
        ),
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    batch = forms.ChoiceField(label=_("High-value list"), required=False)
    layer = forms.ChoiceField(
        label=_("Map colours"),
        required=False,
        choices=[
            ("solutions", _("Active solutions")),
            ("pilots", _("Pilots under way")),
        ],
    )
    demo = forms.ChoiceField(
        label=_("Demo content"),
        required=False,
        choices=[("1", _("Included")), ("0", _("Left out"))],
    )

    def __init__(
        self,
        *args: Any,
        sectors: list[tuple[str, str]],
        batches: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["sector"]).choices = [
            *everything,
            *sectors,
        ]
        cast(forms.ChoiceField, self.fields["batch"]).choices = [
            *everything,
            *batches,
        ]

    def value(self, name: str) -> str:
        """The cleaned value, or "" when the form is unbound or invalid."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")


class UsageForm(forms.Form):
    period_start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    presented = forms.IntegerField(label=_("Recommendations presented"), min_value=0)
    accepted = forms.IntegerField(label=_("Accepted"), min_value=0)
    overridden = forms.IntegerField(label=_("Overridden"), min_value=0)
    source = forms.CharField(
        label=_("Source of the counts"),
        max_length=500,
        required=False,
        help_text=_("For example the operator log export and its date."),
    )


class SusInviteForm(forms.Form):
    respondents = forms.TypedMultipleChoiceField(
        label=_("Pilot users"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["respondents"])
        field.choices = [(u.pk, u.get_full_name() or u.username) for u in candidates]


class KpiBenefitForm(forms.Form):
    line_name = forms.CharField(label=_("Benefit line"), max_length=120)
    baseline = forms.FloatField(
        label=_("Baseline"),
        help_text=_("The KPI's value without the solution."),
    )
    benefit_per_unit = forms.FloatField(
        label=_("Benefit per unit of improvement (CNY a year)"), min_value=0
    )
