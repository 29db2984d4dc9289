from __future__ import annotations

from django.urls import reverse

from portal.lib.markdown import render_markdown
from tests.base import PortalTestCase
from tests.scenarios.helpers import make_scenario


class SecurityHeaderTests(PortalTestCase):
    def test_pages_carry_csp_and_security_headers(self):
        response = self.client.get(reverse("home"))
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")

    def test_only_the_api_docs_allow_inline_styles(self):
        response = self.client.get(reverse("api_docs"))
        self.assertIn("'unsafe-inline'", response["Content-Security-Policy"])
        self.assertNotIn(
            "script-src 'self' 'unsafe-inline'", response["Content-Security-Policy"]
        )

    def test_scenario_markdown_is_sanitised(self):
        make_scenario(
            self.gina,
            self.grid,
            "GRID-PO-FC-901",
            operator=self.olivia,
            description_en=(
                "## Task\n<script>alert('x')</script>\n"
                "[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
            ),
        )
        response = self.client.get(reverse("scenarios:detail", args=["GRID-PO-FC-901"]))
        self.assertContains(response, "<h2>Task</h2>", html=False)
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "javascript:")
        self.assertNotContains(response, "onerror")

    def test_render_markdown_keeps_tables_and_safe_links(self):
        html = render_markdown("|a|b|\n|-|-|\n|1|2|\n\n[x](https://example.com)")
        self.assertIn("<table>", html)
        self.assertIn('href="https://example.com"', html)
        self.assertIn('rel="noopener noreferrer nofollow"', html)

    def test_language_switching_changes_nothing_on_get(self):
        response = self.client.get(reverse("set_language"), {"language": "zh-hans"})
        self.assertNotIn("django_language", response.cookies)
        response = self.client.get(reverse("home"))
        self.assertNotContains(response, "场景图谱")
        response = self.client.post(
            reverse("set_language"), {"language": "zh-hans", "next": "/"}
        )
        self.assertEqual(response.status_code, 302)
        response = self.client.get(reverse("home"), headers={"accept-language": "en"})
        self.assertContains(response, "场景图谱")
