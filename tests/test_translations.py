"""Every catalogue is complete, and the compiled files ship what the catalogues say."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted((ROOT / "src" / "takeroot" / "locale").glob("*/LC_MESSAGES/django.po"))


def test_there_is_a_catalogue_per_language():
    assert [po.parts[-3] for po in CATALOGUES] == ["pl", "sv", "zh_Hans"]


def test_no_untranslated_or_fuzzy_entries_and_every_blocktranslate_trimmed():
    result = subprocess.run([sys.executable, str(ROOT / "bin" / "check-translations")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-3])
def test_compiled_catalogue_matches_its_source(po, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), "run `make messages`"


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """The catalogues hold every translatable string of the code and templates: extracting them
    afresh, into a copy of the tree, finds nothing the committed catalogues lack."""
    tree = tmp_path / "takeroot"
    shutil.copytree(ROOT / "src" / "takeroot", tree, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "takeroot.settings"}
    command = [sys.executable, "-m", "django", "makemessages", "--no-location", "--no-obsolete"]
    command += [f"-l{po.parts[-3]}" for po in CATALOGUES]
    subprocess.run(command, cwd=tree, env=environment, check=True, capture_output=True)
    for po in sorted((tree / "locale").glob("*/LC_MESSAGES/django.po")):
        result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
            f"{po.parts[-3]}: {result.stderr.strip()}; run `make messages` and translate the new strings"
        )
