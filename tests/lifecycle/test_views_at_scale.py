"""The lifecycle dashboards and solution lists: as many queries with ten
times the rows (tests.scale)."""

from __future__ import annotations

from tests.scale import MANY, PageQueriesTestCase

EXPECTED = {
    # Scenario and list options, funnel (2), monitoring (5), map.
    "lifecycle dashboard": 9,
    "lifecycle dashboard ?sector=wind": 9,
    # The same, plus session, user, memberships and notifications.
    "lifecycle dashboard (operator)": 13,
    "solutions (vendor)": 6,
    "solutions (energy owner)": 5,
}


class FewRowsTests(PageQueriesTestCase):
    def test_the_pages_keep_their_query_counts(self):
        self.assert_page_queries(EXPECTED)


class TenTimesTheRowsTests(FewRowsTests):
    sizes = MANY
