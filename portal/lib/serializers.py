"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class SlugRelatedField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """DRF's SlugRelatedField, refusing a NUL character before the lookup.

    PostgreSQL text cannot hold NUL (0x00), so looking such a slug up raises
    DataError, which DRF's field does not catch: the request would end in a
    server error (found by the API fuzzer). A slug never contains one.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
