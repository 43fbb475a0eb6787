"""What a report may carry: up to five files of 10 MB each, of a few office and image types,
recognised by their content (magic bytes), not only by their name."""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
# extension → (content type, how to recognise the content)
TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
}
OFFICE_FOLDERS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}


def _head(upload, size: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _is_office(upload, folder: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def _is_text(upload) -> bool:
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def content_matches(upload, extension: str) -> bool:
    """Whether the file's content is of the type its extension names."""
    head = _head(upload)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in OFFICE_FOLDERS:
        return head.startswith(b"PK\x03\x04") and _is_office(upload, OFFICE_FOLDERS[extension])
    if extension == ".txt":
        return _is_text(upload)
    return False


def check_files(files: list) -> list[tuple[object, str]]:
    """Check every file before anything is saved; returns ``(file, content type)`` pairs.

    Raises a ``ValidationError`` on ``files`` naming each file that is refused and why."""
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Attach at most %(count)d files.") % {"count": MAX_FILES}})
    checked, errors = [], []
    for upload in files:
        name = PurePath(upload.name or "").name
        extension = PurePath(name).suffix.lower()
        if extension not in TYPES:
            errors.append(
                _("%(name)s: this type of file is not accepted. Use PDF, DOCX, XLSX, PPTX, PNG, JPG or TXT.")
                % {"name": name}
            )
        elif upload.size > MAX_BYTES:
            errors.append(_("%(name)s is larger than 10 MB, the most a file may be.") % {"name": name})
        elif not upload.size:
            errors.append(_("%(name)s is empty.") % {"name": name})
        elif not content_matches(upload, extension):
            errors.append(_("%(name)s is not really a %(type)s file.") % {"name": name, "type": extension[1:].upper()})
        else:
            checked.append((upload, TYPES[extension]))
    if errors:
        raise ValidationError({"files": errors})
    return checked
