"""The catalog, map, scenario and workspace pages: as many queries with ten
times the rows (tests.scale)."""

from __future__ import annotations

from tests.scale import MANY, PageQueriesTestCase

# Anonymous pages: no session or user query.
EXPECTED = {
    # Counts of public scenarios and owners, datasets, latest six (with
    # owner and score), latest list, map.
    "home": 5,
    # COUNT for the paginator, then one page with owner and score joined.
    "catalog": 2,
    "catalog ?sector=wind": 2,
    "catalog ?sector=grid&min_readiness=3": 2,
    "catalog ?status=closed&sort=-value_score": 2,
    "catalog ?q=scenario 12": 2,
    "catalog ?page=4": 2,
    "catalog results ?sector=wind": 2,
    # Session, user, memberships (twice), notifications, count, page.
    "catalog (energy owner)": 6,
    "map": 1,
    "map ?task_type=forecasting": 1,
    "scenario detail": 8,
    "scenario detail (vendor)": 13,
    "workspace (vendor)": 6,
    "workspace (energy owner)": 6,
    "workspace (operator)": 7,
}


class FewRowsTests(PageQueriesTestCase):
    def test_the_pages_keep_their_query_counts(self):
        self.assert_page_queries(EXPECTED)


class TenTimesTheRowsTests(FewRowsTests):
    sizes = MANY
