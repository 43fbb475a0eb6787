"""Test settings: the real settings with fast hashing, immediate tasks and mail kept in memory."""

import os
import tempfile

os.environ.setdefault("TAKEROOT_DATA_DIR", tempfile.mkdtemp(prefix="takeroot-test-"))

from takeroot.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise warns about a missing folder)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
