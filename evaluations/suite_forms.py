"""Forms of the suite management pages; ``suite_services`` owns the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import TaskKind

CONFIG_FORMAT_CHOICES = [
    ("auto", gettext_lazy("Detect (JSON if it starts with “{”, else TOML)")),
    ("json", "JSON"),
    ("toml", "TOML"),
]


class SuiteForm(forms.Form):
    """A suite's identity and texts; the slug only when creating."""

    slug = forms.SlugField(
        label=gettext_lazy("Slug"),
        max_length=80,
        help_text=gettext_lazy(
            "Short name in URLs and the history, e.g. day-ahead; it never changes."
        ),
    )
    task_kind = forms.ChoiceField(
        label=gettext_lazy("Task kind"), choices=TaskKind.choices
    )
    title_zh = forms.CharField(label=gettext_lazy("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200)
    description_zh = forms.CharField(
        label=gettext_lazy("Description (Chinese, Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description (English, Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        creating: bool = True,
        kind_locked: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["slug"]
        if kind_locked:
            self.fields["task_kind"].disabled = True
            self.fields["task_kind"].help_text = gettext_lazy(
                "Fixed: the suite has versions."
            )

    def suite_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in (
                "task_kind",
                "title_zh",
                "title_en",
                "description_zh",
                "description_en",
            )
        }


class SuiteVersionForm(forms.Form):
    """A draft's configuration, data bundle and change notes."""

    config_text = forms.CharField(
        label=gettext_lazy("Configuration"),
        widget=forms.Textarea(attrs={"rows": 26, "class": "code-input"}),
        help_text=gettext_lazy(
            "Metrics, gates, limits, leaderboard weights, quotas, probes, input "
            "schema and development data, as JSON or TOML (docs/suites.md)."
        ),
        strip=False,
    )
    config_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=CONFIG_FORMAT_CHOICES,
        initial="auto",
        widget=forms.RadioSelect,
    )
    bundle = forms.FileField(
        label=gettext_lazy("Data bundle"),
        required=False,
        help_text=gettext_lazy(
            "A .tar.gz with manifest.json at its top, the sample and hidden calls "
            "and their labels (docs/suites.md, “Building a suite bundle”)."
        ),
    )
    bundle_token = forms.CharField(required=False, widget=forms.HiddenInput)
    change_notes = forms.CharField(
        label=gettext_lazy("Change notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What changed and why; vendors read this."),
    )

    def __init__(self, *args: Any, replacing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["bundle"].help_text = gettext_lazy(
                "Only to replace the draft's bundle; leave empty to keep it."
            )


def starter_config(task_kind: str) -> str:
    """A configuration to start from, in TOML, for a suite of ``task_kind``."""
    metrics = {
        TaskKind.FORECASTING: ('"mape"', '"rmse"', '"mape"', '"<="', "5.0"),
        TaskKind.CLASSIFICATION: ('"f1"', '"accuracy"', '"f1"', '">="', "0.8"),
        TaskKind.EVENT_DETECTION: (
            '"event_recall"',
            '"false_alarms_per_unit_month"',
            '"event_recall"',
            '">="',
            "80.0",
        ),
    }[TaskKind(task_kind)]
    first, second, gated, comparator, value = metrics
    header = _("Suite configuration (docs/suites.md); JSON works too.")
    return f"""# {header}
schema_version = 1

[[metrics]]
code = {first}

[[metrics]]
code = {second}

[[gates]]
metric = {gated}
comparator = {comparator}
value = {value}

[limits]
wall_seconds = 120
cpu_seconds = 120
memory_mb = 2048

[leaderboard.weights]
{gated.strip('"')} = 1.0

[quotas]
per_day = 10

# [probes.missing_and_noise]
# description = "..."

# [input_schema]
# files = [{{ name = "task.json" }}, {{ name = "history.csv", columns = ["timestamp", "load_mw"] }}]

# [development]
# dataset = "..."
"""
