"""Leave TRUNCATE to privileges, not a trigger (PostgreSQL).

Django's test runner empties the database between transactional tests
with TRUNCATE, which the trigger of 0002 refused. Application code never
truncates; the portal's database role should hold only SELECT and INSERT
on the ledger table (docs/ledger.md), which refuses TRUNCATE as well. The
UPDATE and DELETE trigger stays.
"""

from django.db import migrations


def _run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return operation


FORWARD = "DROP TRIGGER IF EXISTS ledger_no_truncate ON ledger_ledgerentry;"
BACKWARD = """
CREATE TRIGGER ledger_no_truncate
    BEFORE TRUNCATE ON ledger_ledgerentry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_trigger")]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
