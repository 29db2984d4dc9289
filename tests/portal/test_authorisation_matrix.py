"""Every route × every role answers as tests/portal/authz_matrix.py says.

One test per (route, role), named ``test_<route>__<role>``, sends each
method the route serves; one ``test_<route>__405`` per route sends a
method it does not serve. ``test_every_route_is_in_the_matrix`` walks the
URL resolver, so a new route without an entry fails. The world is built
once for the class (tests/portal/authz_world.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.portal.authz_matrix import EXCLUDED, OBJECTS, ROLES, ROUTES, Route
from tests.portal.authz_world import AuthzWorld, vendor_identity

LOGIN_URL = "/accounts/login/"
# "ok": a write went through, or was refused for its (empty) data only.
WRITE_OK = {200, 201, 204, 302}


def route_names(
    resolver: URLResolver | None = None, namespace: str = ""
) -> Iterator[str]:
    """Yield every route's name (``ns:name``), or ``/path`` when unnamed."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from route_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}{pattern.name}"
            else:
                yield f"{namespace}/{pattern.pattern}"


def excluded(name: str) -> bool:
    return name in EXCLUDED or f"{name.split(':')[0]}:*" in EXCLUDED


def answer(response: HttpResponse) -> str:
    if response.status_code == 302 and response["Location"].startswith(LOGIN_URL):
        return "L"
    return str(response.status_code)


def matches(expected: str, response: HttpResponse) -> bool:
    if expected == "ok":
        return response.status_code in WRITE_OK and answer(response) != "L"
    return answer(response) == expected


class AuthorisationMatrixTests(AuthzWorld):
    """The cells are added below the class, one method per (route, role)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Resolved once: a test reads plain strings, not model instances
        # that setUpTestData would copy for every test.
        cls.urls = {
            key: reverse(
                key.split("@")[0],
                kwargs=OBJECTS[route.obj](cls) if route.obj else None,
            )
            for key, route in ROUTES.items()
        }
        cls.identity = vendor_identity(cls)

    def send(self, method: str, url: str, key: str) -> HttpResponse:
        if method == "get":
            return self.client.get(url)
        if key.startswith("api"):
            return getattr(self.client, method)(
                url, "{}", content_type="application/json"
            )
        return getattr(self.client, method)(url)

    def sign_in(self, role: str) -> None:
        user = self.user_for(role)
        if user is not None:
            self.login(user)

    def check_cell(self, key: str, role: str) -> None:
        route = ROUTES[key]
        column = ROLES.index(role)
        self.sign_in(role)
        url = self.urls[key]
        wrong, leaks = [], []
        for method, row in route.methods().items():
            expected = row.split()[column]
            response = self.send(method, url, key)
            if not matches(expected, response):
                wrong.append(
                    f"{method.upper()} {url} as {role}: expected {expected}, "
                    f"got {answer(response)}"
                )
            if role == "blind" and response.status_code == 200:
                leaks += self.vendor_identity_in(response, method, route)
        self.assertEqual(wrong, [])
        self.assertEqual(leaks, [], "the blind reviewer learns who the vendor is")

    def check_probe(self, key: str) -> None:
        route = ROUTES[key]
        if route.no_probe:
            self.skipTest(route.no_probe)
        method = route.probe()
        self.sign_in(route.probe_as)
        url = self.urls[key]
        response = self.send(method, url, key)
        self.assertEqual(
            response.status_code,
            405,
            f"{method.upper()} {url} as {route.probe_as} is not served",
        )

    def vendor_identity_in(
        self, response: HttpResponse, method: str, route: Route
    ) -> list[str]:
        """Return where the response names a vendor (body or any header)."""
        if route.names_vendors:
            return []
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        found = [
            f"{method.upper()} body: {t!r}" for t in self.identity if t.encode() in body
        ]
        found += [
            f"{method.upper()} headers: {t!r}" for t in self.identity if t in headers
        ]
        return found

    def test_every_route_is_in_the_matrix(self):
        names = [name for name in route_names() if not excluded(name)]
        listed = {key.split("@")[0] for key in ROUTES}
        missing = sorted(set(names) - listed)
        self.assertEqual(
            missing, [], "routes with no entry in tests/portal/authz_matrix.py"
        )
        self.assertEqual(sorted(listed - set(names)), [], "entries with no route")

    def test_every_entry_names_every_role(self):
        for key, route in ROUTES.items():
            for method, row in route.methods().items():
                with self.subTest(route=key, method=method):
                    self.assertEqual(len(row.split()), len(ROLES))
            with self.subTest(route=key):
                self.assertIn(route.probe_as, ROLES)
                self.assertIs(route.obj is None or route.obj in OBJECTS, True)


def _test_name(key: str, suffix: str) -> str:
    # "reviews:round@open" → test_reviews_round_at_open__<suffix>, apart
    # from "reviews:round_open" → test_reviews_round_open__<suffix>.
    return (
        "test_"
        + re.sub(r"[^0-9a-zA-Z]+", "_", key.replace("@", " at "))
        + ("__" + suffix)
    )


def _cell(key: str, role: str) -> Callable[[AuthorisationMatrixTests], None]:
    def test(self: AuthorisationMatrixTests) -> None:
        self.check_cell(key, role)

    return test


def _probe(key: str) -> Callable[[AuthorisationMatrixTests], None]:
    def test(self: AuthorisationMatrixTests) -> None:
        self.check_probe(key)

    return test


def _add_tests(routes: dict[str, Route]) -> None:
    tests = {}
    for key in routes:
        for role in ROLES:
            tests[_test_name(key, role)] = _cell(key, role)
        tests[_test_name(key, "405")] = _probe(key)
    # Two keys must never share a test (one would hide the other).
    assert len(tests) == len(routes) * (len(ROLES) + 1), "test names collide"
    for name, test in tests.items():
        setattr(AuthorisationMatrixTests, name, test)


_add_tests(ROUTES)
