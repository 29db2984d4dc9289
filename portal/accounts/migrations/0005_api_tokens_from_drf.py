"""Turn DRF's plaintext tokens into hashed personal access tokens.

Each ``authtoken.Token`` becomes a ``write`` token named "Migrated token"
that never expires, so the scripts using it keep working; its key is
hashed as ``portal.accounts.models.hash_api_key`` does (SHA-256, hex). The
plaintext rows are then deleted. The reverse does nothing: a hash cannot
be turned back into a key, so after a rollback people create new tokens.
"""

import hashlib

from django.db import migrations

MIGRATED_NAME = "Migrated token"


def convert_drf_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    for old in Token.objects.order_by("created"):
        key_hash = hashlib.sha256(old.key.encode()).hexdigest()
        if not ApiToken.objects.filter(key_hash=key_hash).exists():
            ApiToken.objects.create(
                user_id=old.user_id,
                name=MIGRATED_NAME,
                scope="write",
                prefix=old.key[:8],
                key_hash=key_hash,
                created_at=old.created,
                expires_at=None,
            )
        old.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_api_tokens"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [
        migrations.RunPython(convert_drf_tokens, migrations.RunPython.noop),
    ]
