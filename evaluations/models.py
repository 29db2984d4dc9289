"""Evaluation models arrive with the evaluation engine (issue 3)."""

from __future__ import annotations
