"""The ``<id:...>`` path converter: a database id, or no match at all.

Django's ``<int:...>`` matches any run of digits, so a path such as
``/runs/10408947829514048634880/`` reaches the view and the database,
which cannot hold the number (SQLite raises OverflowError, PostgreSQL
"value out of range") and the request ends in a server error. Ids are
positive 64-bit integers; 18 digits are always below the largest one, and
no table here will hold 10^18 rows, so a longer number is simply not a
route: 404.

Registered on import; every URL module that uses it imports this module.
"""

from __future__ import annotations

from django.urls import register_converter


class DatabaseIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))


register_converter(DatabaseIdConverter, "id")
