"""Fixtures for tests/evaluations; the sandbox ones live in sandbox_fixtures."""

from tests.evaluations.sandbox_fixtures import canary, require_bwrap, sandbox

__all__ = ["canary", "require_bwrap", "sandbox"]
