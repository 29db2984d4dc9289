"""Form widgets for long lists.

Django's ``Select`` renders every option through its own template include,
about 0.15 ms an option: a filter listing thousands of scenarios spends more
than a second there. ``LongSelect`` writes the same HTML in Python.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.safestring import SafeString, mark_safe


def _escape(value: Any) -> str:
    """``conditional_escape`` without its lazy-string wrapper (it is hot)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """The attributes, escaped, as ``django/forms/widgets/attrs.html`` writes
    them."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A ``Select`` whose HTML is identical to Django's, made without a
    template per option. Grouped choices fall back to Django's rendering."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group_name for group_name, _options, _index in groups):
            return super().render(name, value, attrs, renderer)
        parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for _group, options, _index in groups:
            for option in options:
                value_text = _escape(option["value"])
                option_attrs = _attrs(option["attrs"])
                label = _escape(option["label"])
                parts.append(
                    f'\n  <option value="{value_text}"{option_attrs}>{label}</option>\n'
                )
        parts.append("\n</select>")
        # Every value and label above is escaped.
        return mark_safe("".join(parts))  # noqa: S308
