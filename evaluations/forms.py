from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.services import DESCRIPTION_LIMIT, NAME_LIMIT, VERSION_LIMIT
from portal.accounts.models import Organisation

PACKAGE_SUFFIXES = (".zip", ".tar.gz", ".tgz")
PREDICTION_FILE_SUFFIXES = (".csv", ".parquet")


class SubmissionForm(forms.Form):
    """The upload form; ``services.submission_create`` owns the rules."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("On behalf of")
    )
    file = forms.FileField(label=_("Solution package"))
    name = forms.CharField(
        label=_("Solution name"), max_length=NAME_LIMIT, required=False
    )
    version_label = forms.CharField(
        label=_("Solution version"), max_length=VERSION_LIMIT, required=False
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        accepts_prediction_files: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
        suffixes = PACKAGE_SUFFIXES
        if accepts_prediction_files:
            suffixes += PREDICTION_FILE_SUFFIXES
            self.fields["file"].label = _("Solution package or prediction file")
            self.fields["file"].help_text = _(
                "A .zip or .tar.gz with solution.toml at its root, or a .csv or "
                ".parquet file with the columns id and prediction."
            )
            for name in ("name", "version_label"):
                self.fields[name].help_text = _(
                    "Required for a prediction file. For a package, leave it "
                    "empty to use the one in solution.toml."
                )
        else:
            self.fields["file"].help_text = _(
                "A .zip or .tar.gz with solution.toml at its root."
            )
            for name in ("name", "version_label"):
                self.fields[name].help_text = _(
                    "Leave it empty to use the one in solution.toml."
                )
        self.fields["description"].help_text = _(
            "Shown to reviewers. For a package, empty means the description in "
            "solution.toml."
        )
        # A hint for the browser's file picker, which matches the last
        # extension only (".gz"); the server judges by content.
        self.fields["file"].widget.attrs["accept"] = ",".join((*suffixes, ".gz"))
