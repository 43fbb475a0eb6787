"""Every catalogue is complete, and the compiled files ship what the catalogues say."""

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
