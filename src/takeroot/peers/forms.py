"""The input boundary of the peer pages. Forms check the shape; services check the meaning."""

from django import forms
from django.utils.translation import gettext_lazy as _

from takeroot.core.models import Person

from .enums import GroupingMode
from .services.groups import SIZES


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.user.name} ({obj.team.name})" if obj.team else obj.user.name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.user.name} ({obj.team.name})" if obj.team else obj.user.name


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)


class PostForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)


class EditPostForm(forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, help_text=_("The author sees that it was hidden, and why.")
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=200)
    members = PeopleChoice(
        Person.objects.none(), label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people if people is not None else Person.objects.none()


class MemberForm(forms.Form):
    person = PersonChoice(Person.objects.none(), label=_("Participant"))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class AutoGroupForm(forms.Form):
    size = forms.TypedChoiceField(
        label=_("People per group"), choices=[(n, str(n)) for n in SIZES], coerce=int, initial=2
    )
    mode = forms.ChoiceField(
        label=_("How to form them"),
        choices=GroupingMode.choices,
        widget=forms.RadioSelect,
        initial=GroupingMode.MIXED_TEAMS,
    )


class AmbassadorForm(forms.Form):
    person = PersonChoice(Person.objects.none(), label=_("Ambassador"))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
