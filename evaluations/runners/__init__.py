"""Sandbox runners: one module per back-end, all with the ``Runner`` shape.

``get_runner()`` returns the configured one; see ``base.py`` for the
interface and ``bubblewrap.py`` for the default.
"""
