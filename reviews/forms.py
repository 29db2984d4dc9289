"""Forms of the review pages; they parse input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Submission
from portal.accounts.models import Organisation, User
from reviews.models import MAX_COMMENT_LENGTH, Decision, ReviewRound, RoundEntry
from reviews.rubric import (
    DIMENSIONS,
    Confidence,
    Stage,
    dimension_rows,
)

SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]
CONFIDENCE_CHOICES = [("", "—")] + [
    (str(v), str(label)) for v, label in Confidence.choices
]


class RoundForm(forms.Form):
    """A round's settings; the weights default to the stage's."""

    title = forms.CharField(label=_("Title"), max_length=200)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    deadline = forms.DateTimeField(
        label=_("Review deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reviewers_per_entry = forms.IntegerField(
        label=_("Reviewers per entry"), min_value=1, max_value=10, initial=3
    )
    reviewer_cap = forms.IntegerField(
        label=_("Maximum entries per reviewer"), min_value=1, max_value=100, initial=8
    )
    blind = forms.BooleanField(
        label=_("Blind review (hide the vendor's identity until the decision)"),
        required=False,
        initial=True,
    )
    response_limit = forms.IntegerField(
        label=_("Vendor response limit (characters)"),
        min_value=200,
        max_value=20000,
        initial=3000,
    )
    chair = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Chair"))

    FIELDS = [
        "title",
        "stage",
        "deadline",
        "reviewers_per_entry",
        "reviewer_cap",
        "blind",
        "response_limit",
    ]

    def __init__(
        self,
        *args: Any,
        chairs: Any,
        instance: ReviewRound | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(instance, name) for name in self.FIELDS},
                    "chair": instance.chair_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs
        weights = instance.weights if instance is not None else {}
        for code, label, _levels in dimension_rows():
            self.fields[f"weight_{code}"] = forms.IntegerField(
                label=format_weight_label(label),
                min_value=0,
                max_value=100,
                required=False,
                initial=weights.get(code),
            )

    def round_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        weights = {d: self.cleaned_data.get(f"weight_{d}") for d in DIMENSIONS}
        if any(v is not None for v in weights.values()):
            data["weights"] = {d: v or 0 for d, v in weights.items()}
        return data

    def weight_fields(self) -> list[Any]:
        return [self[f"weight_{d}"] for d in DIMENSIONS]


def format_weight_label(label: Any) -> Any:
    from django.utils.text import format_lazy

    return format_lazy(_("Weight: {dimension}"), dimension=label)


class EntriesForm(forms.Form):
    submissions = forms.ModelMultipleChoiceField(
        queryset=Submission.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Submissions"),
    )

    def __init__(self, *args: Any, candidates: list[Submission], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["submissions"]
        field.queryset = Submission.objects.filter(pk__in=[s.pk for s in candidates])
        field.label_from_instance = lambda s: (
            f"{s.organisation.name} · {s.name} {s.version_label} "
            f"({s.created_at:%Y-%m-%d})"
        )


class AssignForm(forms.Form):
    entry = forms.ModelChoiceField(queryset=RoundEntry.objects.none(), label=_("Entry"))
    reviewer = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Reviewer"))

    def __init__(
        self, *args: Any, review_round: ReviewRound, pool: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = review_round.entries.all()
        self.fields["entry"].label_from_instance = lambda e: str(
            _("Entry %(n)d") % {"n": e.number}
        )
        self.fields["reviewer"].queryset = User.objects.filter(
            pk__in=[u.pk for u in pool]
        ).order_by("username")
        self.fields["reviewer"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )


class ReviewForm(forms.Form):
    """One score, confidence, evidence and justification per dimension."""

    comment = forms.CharField(
        label=_("Comment to the chair and other reviewers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Dimension -> (low, high, reasons) that the automated evidence
        # allows; the view fills it when it renders the whole page.
        self.bands: dict[str, tuple[int, int, list[str]]] = {}
        for code in DIMENSIONS:
            self.fields[f"{code}_score"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"{code}_confidence"] = forms.TypedChoiceField(
                label=_("Confidence"),
                choices=CONFIDENCE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"{code}_evidence"] = forms.CharField(
                label=_("Evidence (run ids such as run:12, or links; one per line)"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            self.fields[f"{code}_justification"] = forms.CharField(
                label=_("Justification"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    @staticmethod
    def initial_from(version: Any) -> dict[str, Any]:
        if version is None:
            return {}
        initial: dict[str, Any] = {"comment": version.comment}
        for code, item in version.scores.items():
            initial[f"{code}_score"] = item.get("score")
            initial[f"{code}_confidence"] = item.get("confidence")
            initial[f"{code}_evidence"] = "\n".join(item.get("evidence", []))
            initial[f"{code}_justification"] = item.get("justification", "")
        return initial

    def scores(self) -> dict[str, Any]:
        return {
            code: {
                "score": self.cleaned_data.get(f"{code}_score"),
                "confidence": self.cleaned_data.get(f"{code}_confidence"),
                "evidence": (
                    self.cleaned_data.get(f"{code}_evidence") or ""
                ).splitlines(),
                "justification": self.cleaned_data.get(f"{code}_justification") or "",
            }
            for code in DIMENSIONS
        }

    def dimension_fields(self) -> list[dict[str, Any]]:
        """The fields grouped per dimension, with the level descriptors."""
        return [
            {
                "code": code,
                "label": label,
                "levels": levels,
                "band": self.bands.get(code),
                "score": self[f"{code}_score"],
                "confidence": self[f"{code}_confidence"],
                "evidence": self[f"{code}_evidence"],
                "justification": self[f"{code}_justification"],
            }
            for code, label, levels in dimension_rows()
        ]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_COMMENT_LENGTH,
    )


class ResponseForm(forms.Form):
    body = forms.CharField(
        label=_("Response"), widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = str(limit)
        self.fields["body"].help_text = _(
            "At most %(n)d characters; one response only."
        ) % {"n": limit}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)
    reasons = forms.CharField(
        label=_("Reasons (shown to the vendor)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_COMMENT_LENGTH,
    )
    meta_review = forms.CharField(
        label=_("Meta-review (for the reviewers and the owner)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
    )


class ConflictForm(forms.Form):
    """A reviewer declares a conflict with a vendor organisation."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.VENDOR).order_by(
            "name_en"
        ),
        label=_("Vendor organisation"),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2})
    )


class VendorConflictForm(forms.Form):
    """A vendor declares a conflict of a reviewer with its entry."""

    reviewer = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Reviewer"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, pool: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            pk__in=[u.pk for u in pool]
        ).order_by("username")
        self.fields["reviewer"].label_from_instance = lambda u: (
            u.get_full_name() or u.username
        )
