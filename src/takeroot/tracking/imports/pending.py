"""An uploaded file kept between the steps of the import pages, so going back from the preview to
the column mapping never asks for the file again.

The file is read once (``core.imports.parse.read_file``) and its header and rows are kept as JSON
in the default storage, under a random token that only the uploader's session knows. A kept file
goes when its import is done, and any left behind (an abandoned upload) after a day.
"""

import datetime
import json
import secrets
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from takeroot.core.imports.parse import Records, read_file
from takeroot.core.models import Workspace

SESSION_KEY = "tracking-imports"
KEEP_FOR = datetime.timedelta(days=1)


@dataclass
class Upload:
    """A read file: its header and its non-empty rows ``(line, cells, formula positions)``."""

    filename: str
    header: list[str]
    records: Records
    # What the upload step chose, kept for the next steps.
    cohort: str = ""  # uuid
    kind: str = ""
    source: str = ""  # uuid of a saved source, or ""
    columns: dict[str, int] = field(default_factory=dict)  # field key → column position


def read_upload(uploaded_file) -> Upload:
    """Read an uploaded CSV or XLSX file; raises ``ImportFileError`` when it cannot be read."""
    header, records = read_file(uploaded_file)
    return Upload(filename=(uploaded_file.name or "")[:255], header=header, records=records)


def _path(workspace: Workspace, token: str) -> str:
    return f"tracking-imports/{workspace.uuid}/{token}.json"


def keep_upload(request, upload: Upload) -> str:
    """Store the upload for this session and return its token; clears this workspace's stale ones."""
    _clear_stale(request.workspace)
    token = secrets.token_urlsafe(16)
    default_storage.save(_path(request.workspace, token), ContentFile(json.dumps(_as_json(upload)).encode()))
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-9:], token]
    return token


def load_upload(request, token: str) -> Upload | None:
    """The session's upload with this token; None when it is not the session's or has gone."""
    if token not in request.session.get(SESSION_KEY, []):
        return None
    path = _path(request.workspace, token)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path) as stored:
        data = json.loads(stored.read())
    data["records"] = [(line, cells, set(formulas)) for line, cells, formulas in data["records"]]
    data["columns"] = {key: int(position) for key, position in data["columns"].items()}
    return Upload(**data)


def save_upload(request, token: str, upload: Upload) -> None:
    """Keep the choices made on a later step (the column mapping)."""
    path = _path(request.workspace, token)
    default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(_as_json(upload)).encode()))


def forget_upload(request, token: str) -> None:
    default_storage.delete(_path(request.workspace, token))
    request.session[SESSION_KEY] = [kept for kept in request.session.get(SESSION_KEY, []) if kept != token]


def _as_json(upload: Upload) -> dict:
    data = upload.__dict__ | {"records": [(line, cells, sorted(formulas)) for line, cells, formulas in upload.records]}
    return data


def _clear_stale(workspace: Workspace) -> None:
    folder = f"tracking-imports/{workspace.uuid}"
    if not default_storage.exists(folder):
        return
    cutoff = timezone.now() - KEEP_FOR
    for name in default_storage.listdir(folder)[1]:
        if default_storage.get_modified_time(f"{folder}/{name}") < cutoff:
            default_storage.delete(f"{folder}/{name}")
