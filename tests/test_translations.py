"""Every UI string has a Simplified Chinese translation.

The test extracts the messages afresh with Django's ``makemessages`` (GNU
gettext's xgettext) from a copy of the source, so a string added anywhere in
Python or templates without a translation fails here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = ["portal", "scenarios", "evaluations", "reviews", "templates"]


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is required: apt-get install gettext")
    work = tmp_path_factory.mktemp("messages")
    for name in SOURCES:
        shutil.copytree(
            ROOT / name,
            work / name,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.mo", "*.po"),
        )
    (work / "locale").mkdir()
    cwd = os.getcwd()
    os.chdir(work)
    try:
        call_command("makemessages", locale=["zh_Hans"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    return polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def test_every_ui_string_is_translated(extracted: polib.POFile) -> None:
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing"
    committed = {_key(e): e for e in polib.pofile(str(CATALOGUE))}
    missing = [
        e.msgid
        for e in extracted
        if e.msgid and (_key(e) not in committed or not _translated(committed[_key(e)]))
    ]
    assert not missing, (
        f"{len(missing)} UI string(s) lack a zh-hans translation, e.g. {missing[:15]}"
    )
    assert len(extracted) > 200  # guards against an extraction that found nothing


def test_the_catalogue_compiles_and_translates() -> None:
    from django.utils import translation

    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.percent_translated() == 100
    with translation.override("zh-hans"):
        assert translation.gettext("Scenarios") == "场景"
