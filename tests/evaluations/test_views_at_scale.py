"""The suite page, the largest leaderboard and a vendor's submissions: as
many queries with ten times the rows (tests.scale)."""

from __future__ import annotations

from tests.scale import MANY, PageQueriesTestCase

EXPECTED = {
    # The version with its suite, scenario and owner; the board's rows with
    # their organisation, run and submission in one query.
    "suite page": 2,
    "leaderboard (largest)": 2,
    # Session, user, memberships (twice), notifications, COUNT, the page with
    # its runs prefetched.
    "submissions (vendor)": 7,
}


class FewRowsTests(PageQueriesTestCase):
    def test_the_pages_keep_their_query_counts(self):
        self.assert_page_queries(EXPECTED)


class TenTimesTheRowsTests(FewRowsTests):
    sizes = MANY

    def test_the_leaderboard_has_grown(self):
        """The board counted above holds several times the small set's 3."""
        from django.db.models import Count

        from evaluations.models import LeaderboardRow

        largest = (
            LeaderboardRow.objects.values("suite_version")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        self.assertGreaterEqual(largest["n"], 15)
