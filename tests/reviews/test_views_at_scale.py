"""A reviewer's queue and the operator's organisation queue: as many queries
with ten times the rows (tests.scale)."""

from __future__ import annotations

from tests.scale import MANY, PageQueriesTestCase

EXPECTED = {
    "review queue (reviewer)": 8,
    # The personas of tests.base add an unverified vendor: its owners are
    # fetched in one more query, whatever their number.
    "organisation queue (operator)": 6,
}


class FewRowsTests(PageQueriesTestCase):
    def test_the_pages_keep_their_query_counts(self):
        self.assert_page_queries(EXPECTED)


class TenTimesTheRowsTests(FewRowsTests):
    sizes = MANY
