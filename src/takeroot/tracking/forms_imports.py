"""The import pages' forms: the upload (cohort, kind or saved source, file) and the column mapping."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from takeroot.core.imports.parse import ImportFileError
from takeroot.core.models import Workspace

from .enums import ImportKind
from .imports import FIELDS, importable_cohorts, mapping_errors, read_upload, sources_for_workspace


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cohort) -> str:
        return f"{cohort.programme.name} · {cohort.name}"


class UploadForm(forms.Form):
    """Step 1. The file is read here, so a file that cannot be read is refused on this page."""

    cohort = CohortChoiceField(label=gettext_lazy("Cohort"), queryset=None, empty_label=gettext_lazy("Choose…"))
    source = forms.ModelChoiceField(
        label=gettext_lazy("Saved source"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("None: a new kind of file"),
        help_text=gettext_lazy("A file like one imported before: its columns are chosen as they were then."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[("", gettext_lazy("Choose…")), *ImportKind.choices],
        required=False,
        help_text=gettext_lazy("Not needed with a saved source, which knows its kind."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV or XLSX file with a header row, one participant and day per row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, user, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = importable_cohorts(user, workspace=workspace)
        self.fields["source"].queryset = sources_for_workspace(workspace)
        self.fields["cohort"].to_field_name = self.fields["source"].to_field_name = "uuid"

    def clean(self):
        data = super().clean()
        source, kind = data.get("source"), data.get("kind")
        if source is not None and kind and kind != source.kind:
            self.add_error(
                "kind",
                _("The source “%(source)s” holds %(kind)s; choose that, or leave this empty.")
                % {"source": source.name, "kind": source.get_kind_display()},
            )
        elif source is not None:
            data["kind"] = source.kind
        elif not kind:
            self.add_error("kind", _("Choose what the file holds, or a saved source."))
        if data.get("file") is not None and not self.errors:
            try:
                data["upload"] = read_upload(data["file"])
            except ImportFileError as error:
                self.add_error("file", str(error))
        return data


NOT_IN_FILE = ""


class ColumnsForm(forms.Form):
    """Step 2: which column holds each field the kind needs, and an optional name to save it as."""

    save_as = forms.CharField(
        label=gettext_lazy("Save this mapping as a source"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Optional: a name such as “Moodle attendance”, to pick it for the next file."),
    )

    def __init__(self, *args, header: list[str], kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.header, self.kind = header, kind
        choices = [(NOT_IN_FILE, gettext_lazy("Not in the file"))]
        choices += [
            (str(position), title or _("Column %(number)s") % {"number": position + 1})
            for position, title in enumerate(header)
        ]
        fields = {}
        for spec in FIELDS[kind]:
            label = spec.label if spec.required else _("%(field)s (optional)") % {"field": spec.label}
            fields[spec.key] = forms.ChoiceField(label=label, choices=choices, required=False, help_text=spec.help)
        self.fields = fields | self.fields  # the columns first, the name last

    @classmethod
    def initial_from(cls, positions: dict[str, int]) -> dict[str, str]:
        return {key: str(position) for key, position in positions.items()}

    def clean(self):
        data = super().clean()
        positions = {spec.key: int(data[spec.key]) for spec in FIELDS[self.kind] if data.get(spec.key)}
        for key, message in mapping_errors(self.kind, positions, self.header).items():
            self.add_error(key, message)
        data["positions"] = positions
        return data
