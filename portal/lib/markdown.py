"""Markdown rendering with an allow-list sanitiser (nh3).

Scenario descriptions and datasheets are written by organisations, so the
HTML produced from them is cleaned before it reaches a browser: no scripts,
no event handlers, no inline styles, and links get ``rel=noopener``.
"""

from __future__ import annotations

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
}


def render_markdown(text: str) -> SafeString:
    """Return sanitised HTML for Markdown ``text``."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists", "fenced_code"])
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitised the HTML above
