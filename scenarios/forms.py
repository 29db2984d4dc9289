from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation
from scenarios.dataset_services import DATASET_FIELDS
from scenarios.models import (
    AcceptanceThreshold,
    Dataset,
    HighValueList,
    Scenario,
)
from scenarios.services import SPEC_FIELDS


class ScenarioForm(forms.ModelForm):  # type: ignore[type-arg]
    """The specification; ``code`` and ``owner`` only when creating."""

    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Owner organisation")
    )

    class Meta:
        model = Scenario
        fields = ["code", *SPEC_FIELDS, "closes_at"]
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 10}),
            "description_en": forms.Textarea(attrs={"rows": 10}),
            "summary_zh": forms.Textarea(attrs={"rows": 2}),
            "summary_en": forms.Textarea(attrs={"rows": 2}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(
        self,
        *args: Any,
        owners: list[Organisation] | None = None,
        creating: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["owner"].queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in owners or []]
            )
            if owners and len(owners) == 1:
                self.fields["owner"].initial = owners[0].pk
            self.fields["code"].help_text = _(
                "Stable code, e.g. GRID-PO-FC-001 (sector–stage–task–number)."
            )
        else:
            del self.fields["owner"]
            del self.fields["code"]

    def spec_data(self) -> dict[str, Any]:
        fields = [*SPEC_FIELDS, "closes_at"]
        return {f: self.cleaned_data[f] for f in fields if f in self.cleaned_data}


class ThresholdForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AcceptanceThreshold
        fields = [
            "metric",
            "comparator",
            "value",
            "unit",
            "standard",
            "note_zh",
            "note_en",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A blank first choice keeps an untouched extra row "unchanged", so
        # the formset skips it instead of demanding a metric.
        self.fields["comparator"].choices = [
            ("", "—"),
            *AcceptanceThreshold.Comparator.choices,
        ]


ThresholdFormSet = forms.formset_factory(
    ThresholdForm, extra=2, can_delete=True, max_num=20, validate_max=True
)


def threshold_rows(formset: Any) -> list[dict[str, Any]]:
    rows = []
    for form in formset.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
    return rows


def threshold_initial(scenario: Scenario) -> list[dict[str, Any]]:
    return [
        {
            "metric": t.metric,
            "comparator": t.comparator,
            "value": t.value.normalize(),
            "unit": t.unit,
            "standard": t.standard,
            "note_zh": t.note_zh,
            "note_en": t.note_en,
        }
        for t in scenario.thresholds.all()
    ]


class RevisionNotesForm(forms.Form):
    change_notes = forms.CharField(
        label=_("Change notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Registered vendors receive these notes."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ValueAssessmentForm(forms.Form):
    strategic_priority = forms.TypedChoiceField(
        label=_("Strategic priority"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
    )
    adjustment = forms.DecimalField(
        label=_("Adjustment (points)"),
        min_value=Decimal("-10"),
        max_value=Decimal("10"),
        decimal_places=1,
        initial=Decimal("0"),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("adjustment") and not (data.get("justification") or "").strip():
            self.add_error(
                "justification", _("An adjustment needs a written justification.")
            )
        return data


class RegisterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class DatasetForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Dataset
        fields = ["slug", *DATASET_FIELDS]
        widgets = {
            "time_span_start": forms.DateInput(attrs={"type": "date"}),
            "time_span_end": forms.DateInput(attrs={"type": "date"}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "collection_zh": forms.Textarea(attrs={"rows": 2}),
            "collection_en": forms.Textarea(attrs={"rows": 2}),
            "labelling_zh": forms.Textarea(attrs={"rows": 2}),
            "labelling_en": forms.Textarea(attrs={"rows": 2}),
            "fields": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["slug"]

    def validate_unique(self) -> None:
        # The service reports a duplicate slug with a clear message.
        return

    def dataset_data(self) -> dict[str, Any]:
        return {
            f: self.cleaned_data[f] for f in DATASET_FIELDS if f in self.cleaned_data
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class DatasetVersionForm(forms.Form):
    label = forms.CharField(label=_("Version"), max_length=40)
    notes = forms.CharField(
        label=_("Release notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = MultipleFileField(label=_("Files"))


class AccessRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("On behalf of")
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the data will be used for, by whom and for how long."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("deny", _("Deny"))], label=_("Decision")
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when denying; sent to the requester."),
    )


class HighValueListForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HighValueList
        fields = [
            "year",
            "batch",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
        ]
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def validate_unique(self) -> None:
        return


class ListEntryForm(forms.Form):
    code = forms.CharField(label=_("Scenario code"), max_length=40)
    rationale_zh = forms.CharField(
        label=_("Rationale (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rationale_en = forms.CharField(
        label=_("Rationale (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
