"""Settings come from TAKEROOT_* variables and refuse bad values loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from takeroot import settings


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("1", True), ("off", False), ("", True)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("TAKEROOT_SOMETHING", raw)
    assert settings.env_bool("SOMETHING", True) is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("TAKEROOT_SOMETHING", "maybe")
    with pytest.raises(ImproperlyConfigured, match="TAKEROOT_SOMETHING must be true or false"):
        settings.env_bool("SOMETHING", False)


def test_env_int_refuses_a_word(monkeypatch):
    monkeypatch.setenv("TAKEROOT_PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        settings.env_int("PORT", 8000)


def test_env_secret_reads_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "smtp"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("TAKEROOT_SMTP_PASSWORD_FILE", str(secret))
    assert settings.env_secret("SMTP_PASSWORD") == "s3cret"


def test_secret_key_is_generated_once_and_kept_in_the_data_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("TAKEROOT_SECRET_KEY", raising=False)
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    first = settings._secret_key()
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert settings._secret_key() == first
    assert len(first) >= 50
