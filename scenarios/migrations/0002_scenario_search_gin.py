"""A GIN index for the catalog's full-text search on PostgreSQL.

The expression matches what ``scenarios.filters.search_scenarios`` asks for
(``SearchVector("search_document", config="simple")``), so the planner can
use it. SQLite searches by substring and gets no index.
"""

from __future__ import annotations

from django.db import migrations

INDEX = "scenario_search_gin"
EXPRESSION = "to_tsvector('simple'::regconfig, COALESCE(search_document, ''))"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON scenarios_scenario USING gin ({EXPRESSION})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("scenarios", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
