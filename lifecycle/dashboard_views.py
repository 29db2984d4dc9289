"""The lifecycle dashboards: a page, its HTMX partial and two CSV files.

Open to everybody; ``dashboard_selectors`` decides the scope (public
scenarios for the public, everything for operators). The page, the
partial and the CSV files read the same filters and figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lifecycle import dashboard_selectors as ds
from lifecycle.forms import DashboardFilterForm
from portal.accounts.selectors import is_operator
from portal.lib.spreadsheet import csv_response
from portal.lib.taxonomy import Sector


@dataclass
class Figures:
    form: DashboardFilterForm
    filters: ds.DashboardFilters
    layer: str
    funnel: ds.Funnel
    monitoring: ds.Monitoring
    activity: dict[str, Any]
    as_of: datetime


def _figures(request: HttpRequest) -> Figures:
    user = request.user
    form = DashboardFilterForm(
        request.GET or None,
        sectors=list(Sector.choices),
        batches=[(b.slug, b.title) for b in ds.batch_options(user)],
    )
    scenario = form.value("scenario").strip()
    if scenario and not ds.scenario_in_scope(user, scenario):
        scenario = ""  # unknown or out of scope: dropped, like other filters
    filters = ds.DashboardFilters(
        scenario=scenario,
        sector=form.value("sector"),
        batch=form.value("batch"),
        include_demo=form.value("demo") != "0",
    )
    layer = form.value("layer") or "solutions"
    figures = ds.dashboard_figures(user, filters, layer=layer)
    return Figures(
        form,
        filters,
        layer,
        figures.funnel,
        figures.monitoring,
        figures.activity,
        figures.as_of,
    )


def monitoring_rows(figures: Figures) -> list[tuple[str, Any, str]]:
    """(figure, value, note) for the monitoring table and its CSV file."""
    m = figures.monitoring
    rate = m.hidden_pass_rate
    rows: list[tuple[str, Any, str]] = [
        (_("Scenarios published"), m.scenarios_published, ""),
        (_("Vendors that submitted"), m.vendors, ""),
        (_("Submissions"), m.submissions, ""),
        (_("Finished runs"), m.runs, ""),
        (
            _("Pass rate of hidden-test runs (%)"),
            "" if rate is None else rate,
            _("%(passed)d of %(runs)d succeeded or failed hidden-test runs")
            % {"passed": m.hidden_passed, "runs": m.hidden_runs},
        ),
    ]
    for row in figures.funnel.rows + figures.funnel.ended:
        rows.append(
            (_("Solutions now in: %(stage)s") % {"stage": row.label}, row.current, "")
        )
    rows.append((_("Pilots under way"), m.pilots_running, ""))
    rows.append((_("Published benchmark cases"), m.cases, ""))
    basis = _("Sum over %(n)d published benchmark cases, as snapshotted at publication")
    if m.npv_by_currency:
        for currency, total in m.npv_by_currency.items():
            rows.append(
                (
                    _("Measured benefits: NPV (%(currency)s)") % {"currency": currency},
                    total,
                    basis % {"n": m.npv_cases},
                )
            )
    else:
        rows.append((_("Measured benefits: NPV"), "", _("not measured")))
    rows.append(
        (
            _("Measured benefits: net CO₂ avoided (t/year)"),
            "" if m.co2_avoided_t is None else m.co2_avoided_t,
            basis % {"n": m.co2_cases} if m.co2_cases else _("not measured"),
        )
    )
    return rows


@require_GET
def dashboard(request: HttpRequest, *, results_only: bool = False) -> HttpResponse:
    """The dashboards; ``results_only`` serves the HTMX partial, and
    ``?suggest=1&scenario=TEXT`` the scenario filter's suggestions."""
    if request.GET.get("suggest"):
        options = ds.scenario_suggestions(
            request.user, request.GET.get("scenario", "")[:100]
        )
        return render(
            request, "lifecycle/_scenario_suggestions.html", {"options": options}
        )
    figures = _figures(request)
    funnel = figures.funnel
    labels = [row.label for row in funnel.rows]
    context = {
        "form": figures.form,
        "filters": figures.filters,
        "layer": figures.layer,
        "funnel": funnel,
        "funnel_labels": labels,
        "funnel_series": [
            (_("Reached"), [row.reached for row in funnel.rows], "bar-reached"),
            (_("In it now"), [row.current for row in funnel.rows], "bar-current"),
        ],
        "time_series": [
            (_("Median days"), [row.median_days for row in funnel.rows], "bar-median"),
            (_("Mean days"), [row.mean_days for row in funnel.rows], "bar-mean"),
        ],
        "monitoring": monitoring_rows(figures),
        "figures_as_of": figures.as_of,
        "figures_cache_seconds": settings.DASHBOARD_CACHE_SECONDS,
        "map": figures.activity,
        "is_operator": is_operator(request.user),
        "query": request.GET.urlencode(),
    }
    template = (
        "lifecycle/_dashboard.html"
        if results_only or request.htmx
        else "lifecycle/dashboard.html"
    )
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def dashboard_export(request: HttpRequest, *, part: str) -> HttpResponse:
    """The funnel or the monitoring figures as CSV, with the page's filters."""
    figures = _figures(request)
    if part == "funnel":
        header = [
            _("Stage"),
            _("Reached"),
            _("In it now"),
            _("Median days in stage"),
            _("Mean days in stage"),
            _("Stays"),
            _("Ongoing stays"),
        ]
        body: list[list[Any]] = [
            [
                row.label,
                row.reached,
                row.current,
                "" if row.median_days is None else row.median_days,
                "" if row.mean_days is None else row.mean_days,
                len(row.stays),
                row.ongoing,
            ]
            for row in figures.funnel.rows
        ]
        body += [
            [row.label, "", row.current, "", "", "", ""] for row in figures.funnel.ended
        ]
        return csv_response("lifecycle-funnel.csv", header, body)
    header = [_("Figure"), _("Value"), _("Note")]
    return csv_response(
        "lifecycle-monitoring.csv",
        header,
        [[str(a), b, str(c)] for a, b, c in monitoring_rows(figures)],
    )
