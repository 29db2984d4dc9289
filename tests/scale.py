"""Query counts of pages that must not grow with the data.

Each ``*_at_scale`` test module declares the query count of its pages and
runs the same assertions over two synthetic data sets made by
``lifecycle.scale_data`` (the load-test generator): ``FEW`` rows and ten
times as many. A page whose count follows its rows fails at one of the two.
The personas of ``tests.base`` exist too; the pages are requested as the
set's own users (``load-vendor-00000`` ...), who own its rows.
"""

from __future__ import annotations

from django.core.cache import cache

from lifecycle.scale_data import Generator, Sizes, benchmark_pages
from portal.accounts.models import User
from tests.base import PortalTestCase

# Some rows of everything (enough that every filtered catalog page has a
# row: an empty page skips its query), then ten times as many scenarios,
# runs and vendors (a hundred times the runs: ten times the runs per suite).
# With every vendor on every suite, the largest leaderboard grows from 3
# rows to about 20.
FEW = Sizes(scenarios=100, vendors=3, runs=60)
MANY = Sizes(scenarios=1000, vendors=30, runs=6000)


class PageQueriesTestCase(PortalTestCase):
    """Make one set of ``sizes``; ``assert_page_queries`` checks pages."""

    sizes = FEW

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.counts = Generator(cls.sizes, vendors_per_suite=1000).run()

    def assert_page_queries(self, expected: dict[str, int]) -> None:
        """Request each page named in ``expected``; count its queries."""
        pages = {page: (username, url) for page, username, url in benchmark_pages()}
        for page, count in expected.items():
            username, url = pages[page]
            with self.subTest(page=page, sizes=self.sizes):
                self.client.logout()
                if username is not None:
                    self.login(User.objects.get(username=username))
                self.assertEqual(self.client.get(url).status_code, 200)
                # Count the pages' own work, not what the first request left
                # in the cache (the dashboards share their monitoring counts).
                cache.clear()
                with self.assertNumQueries(count):
                    self.client.get(url)
