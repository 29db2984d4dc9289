"""The scorecard's own pages and files: an entry's printable scorecard and
the round's CSV and Excel exports. The chair's round page shows the same
scorecard (``views.round_detail``)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.lib.spreadsheet import safe_cell
from reviews import selectors
from reviews.models import ReviewRound
from reviews.rubric import dimension_rows
from reviews.scorecard_selectors import (
    ScorecardRow,
    reliability_rows,
    round_scorecard,
    scorecard_rows,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _labels() -> dict[str, str]:
    return {code: str(label) for code, label, _levels in dimension_rows()}


@login_required
@require_GET
def entry_scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry's scorecard, printable: for the chair, managers and owner
    members (reviewers get 403: calibration draws on entries they may not
    see)."""
    access = selectors.get_entry_for_user(request.user, pk)
    if not access.sees_reviewer_names:
        raise PermissionDenied
    entry = access.entry
    review_round = entry.round
    if review_round.status == ReviewRound.Status.DRAFT:
        raise Http404("The round has not opened.")
    result = round_scorecard(
        review_round, selectors.round_table(review_round, request.user)
    )
    rows = [row for row in scorecard_rows(result, names=True) if row.entry == entry]
    if not rows:
        raise Http404("No such entry.")
    return render(
        request,
        "reviews/entry_scorecard.html",
        {
            "entry": entry,
            "review_round": review_round,
            "row": rows[0],
            "reliability_rows": reliability_rows(result),
            "dimension_labels": _labels(),
            "show_identity": True,
            "decision": getattr(entry, "decision", None),
        },
    )


def _export_rows(rows: list[ScorecardRow]) -> tuple[list[str], list[list[Any]]]:
    labels = _labels()
    header = [
        _("Entry"),
        _("Vendor"),
        _("Solution"),
        _("Rank"),
        _("Tied"),
        _("Composite"),
        _("Composite low"),
        _("Composite high"),
        _("Safety gate blocks"),
        _("Discussion needed"),
    ]
    for label in labels.values():
        header += [
            label,
            f"{label} {_('low')}",
            f"{label} {_('high')}",
            f"{label} {_('method')}",
            f"{label} {_('raw scores')}",
            f"{label} {_('band')}",
        ]
    header += [_("Flags"), _("Decision")]
    body = []
    for row in rows:
        submission = row.entry.submission
        decision = getattr(row.entry, "decision", None)
        line: list[Any] = [
            row.entry.number,
            submission.organisation.name,
            f"{submission.name} {submission.version_label}".strip(),
            row.rank.rank if row.rank else "",
            bool(row.rank and row.rank.tied),
            _round(row.composite.value if row.composite else None),
            _round(row.composite.low if row.composite else None),
            _round(row.composite.high if row.composite else None),
            bool(row.safety and row.safety.blocks),
            row.needs_discussion,
        ]
        for cell in row.cells:
            line += [
                _round(cell.estimate),
                _round(cell.low),
                _round(cell.high),
                cell.method,
                " ".join(f"{value:g}" for value in cell.raw),
                f"{cell.band[0]}-{cell.band[1]}" if cell.band else "",
            ]
        line += [" | ".join(row.flags), decision.outcome if decision else ""]
        body.append([safe_cell(value) for value in line])
    return header, body


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 3)


@login_required
@require_GET
def round_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The round's scorecard as CSV or Excel, for those who see the round."""
    review_round = selectors.get_round_for_user(request.user, pk)
    if review_round.status == ReviewRound.Status.DRAFT:
        raise Http404("The round has not opened.")
    result = round_scorecard(
        review_round, selectors.round_table(review_round, request.user)
    )
    header, body = _export_rows(scorecard_rows(result, names=True))
    name = f"review-round-{review_round.pk}-scorecard"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(body)
        # A byte-order mark so spreadsheet programs read the Chinese right.
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Scorecard")[:31]
        sheet.append(header)
        for line in body:
            sheet.append(line)
        sheet.freeze_panes = "B2"
        output = io.BytesIO()
        workbook.save(output)
        response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
