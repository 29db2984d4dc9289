"""Build scenarios and datasets through the real services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from portal.accounts.models import Organisation, User
from scenarios import dataset_services, services
from scenarios.models import Dataset, Scenario


def spec(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sector": "grid",
        "stage": "production_operation",
        "task_type": "forecasting",
        "title_zh": "系统日前负荷预测",
        "title_en": "System day-ahead load forecast",
        "summary_zh": "预测次日96点系统负荷。",
        "summary_en": "Forecast the 96 load points of the next day.",
        "description_zh": "## 背景\n负荷预测。",
        "description_en": "## Background\nLoad forecasting.",
        "business_value_metric_zh": "备用容量",
        "business_value_metric_en": "Reserve capacity",
        "annual_value_estimate": 1200,
        "data_readiness": 4,
        "replicable_sites": 30,
        "latency_sla_ms": None,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": False,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "Gina",
        "contact_email": "gina@example.com",
    }
    data.update(overrides)
    return data


THRESHOLD = {
    "metric": "MAPE",
    "comparator": "<=",
    "value": Decimal("2.0"),
    "unit": "%",
    "standard": "",
    "note_zh": "",
    "note_en": "",
}


def make_scenario(
    owner: User,
    org: Organisation,
    code: str,
    *,
    status: str = "published",
    operator: User | None = None,
    **overrides: Any,
) -> Scenario:
    scenario = services.scenario_create(
        user=owner, owner=org, code=code, data=spec(**overrides), thresholds=[THRESHOLD]
    )
    if status == "draft":
        return scenario
    services.scenario_submit(scenario=scenario, user=owner)
    if status == "submitted":
        return scenario
    assert operator is not None, "publishing needs an operator"
    services.scenario_publish(scenario=scenario, user=operator)
    if status == "closed":
        services.scenario_close(scenario=scenario, user=operator)
    scenario.refresh_from_db()
    return scenario


def make_dataset(
    owner: User,
    scenario: Scenario,
    slug: str,
    *,
    policy: str = "approved",
    classification: str = "general",
    content: bytes | None = b"timestamp,load\n2026-01-01T00:00,100\n",
) -> Dataset:
    dataset = dataset_services.dataset_create(
        scenario=scenario,
        user=owner,
        slug=slug,
        data={
            "title_zh": "负荷数据",
            "title_en": "Load data",
            "source_zh": "调度SCADA",
            "source_en": "Dispatch SCADA",
            "licence": "Internal",
            "classification": classification,
            "access_policy": policy,
        },
    )
    if content is not None:
        dataset_services.dataset_version_create(
            dataset=dataset,
            user=owner,
            label="1.0",
            notes="",
            files=[ContentFile(content, name="load.csv")],
        )
    return dataset
