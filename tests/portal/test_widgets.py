"""portal.lib.widgets.LongSelect writes exactly Django's Select HTML."""

from __future__ import annotations

from django import forms
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from portal.lib.widgets import LongSelect

CHOICES = [
    ("", _("All")),
    ("A&B", "x <y> \"q\" 's'"),
    ("c", "é"),
    (3, mark_safe("<b>safe</b>")),
]


class LongSelectTests(SimpleTestCase):
    def test_it_renders_what_djangos_select_renders(self):
        attrs = {"id": "id_scenario", "required": True, "hidden": False}
        for value in ("", "A&B", None, 3, "unknown"):
            with self.subTest(value=value):
                self.assertEqual(
                    LongSelect(choices=CHOICES).render("scenario", value, attrs),
                    forms.Select(choices=CHOICES).render("scenario", value, attrs),
                )

    def test_grouped_choices_fall_back_to_djangos_rendering(self):
        grouped = [("Group <1>", [("a", "A")]), ("b", "B")]
        self.assertEqual(
            LongSelect(choices=grouped).render("g", "a"),
            forms.Select(choices=grouped).render("g", "a"),
        )

    def test_the_field_renders_in_a_bound_form(self):
        class Form(forms.Form):
            scenario = forms.ChoiceField(choices=CHOICES, widget=LongSelect)

        self.assertInHTML(
            '<option value="A&amp;B" selected>x &lt;y&gt; &quot;q&quot; &#x27;s&#x27;</option>',
            str(Form({"scenario": "A&B"})["scenario"]),
        )
