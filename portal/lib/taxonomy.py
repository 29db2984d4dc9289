"""Shared vocabulary of the portal: sectors, value-chain stages, task types.

These lists are used by scenarios (classification), reviewer profiles
(expertise tags) and the scenario map, so they live in the leaf ``lib``
package that imports no app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    GRID = "grid", _("Power grid")
    THERMAL = "thermal", _("Thermal power")
    HYDRO = "hydro", _("Hydropower")
    WIND = "wind", _("Wind power")
    SOLAR = "solar", _("Solar power")
    NUCLEAR = "nuclear", _("Nuclear power")
    COAL = "coal", _("Coal")
    OIL_GAS = "oil_gas", _("Oil and gas")
    INTEGRATED = "integrated", _("Integrated energy")
    STORAGE = "storage", _("Energy storage")
    COMPUTE_POWER = "compute_power", _("Compute–power synergy")


class Stage(models.TextChoices):
    PLANNING_DESIGN = "planning_design", _("Planning and design")
    EXPLORATION_DEVELOPMENT = (
        "exploration_development",
        _("Exploration and development"),
    )
    PRODUCTION_OPERATION = "production_operation", _("Production and operation")
    EQUIPMENT_OM = "equipment_om", _("Equipment O&M")
    OPERATIONS_MANAGEMENT = "operations_management", _("Operations management")
    SAFETY_MANAGEMENT = "safety_management", _("Safety management")
    MARKETING_SERVICE = "marketing_service", _("Marketing and customer service")


class TaskType(models.TextChoices):
    FORECASTING = "forecasting", _("Forecasting")
    VISION_INSPECTION = "vision_inspection", _("Vision inspection")
    ANOMALY_DETECTION = "anomaly_detection", _("Anomaly detection")
    OPTIMISATION_DISPATCH = "optimisation_dispatch", _("Optimisation and dispatch")
    NLP_LLM = "nlp_llm", _("NLP / large language models")
    AGENT = "agent", _("Agent")
