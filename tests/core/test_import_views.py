"""The import pages: upload, preview with errors in words, confirm; nothing written before."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from takeroot.core.models import PeopleImport, Person

GOOD = (
    "email,name,team,manager email,roles\nzofia@acme.test,Zofia Wójcik,Sales / North,manager@acme.test,participant\n"
).encode()


def _upload(client, content: bytes, name: str = "people.csv"):
    return client.post(reverse("core:import_upload"), {"file": SimpleUploadedFile(name, content)})


def test_upload_then_confirm_adds_the_people(client_for, cast):
    client = client_for(cast["admin"])
    response = _upload(client, GOOD)
    people_import = PeopleImport.objects.get()
    assert response["Location"] == reverse("core:import_preview", args=[people_import.uuid])
    preview = client.get(response["Location"]).content.decode()
    assert "Ready: 1 to add, 0 to update, 0 unchanged." in preview
    assert not Person.objects.filter(user__email="zofia@acme.test").exists()
    client.post(response["Location"])
    person = Person.objects.get(user__email="zofia@acme.test")
    assert (person.team.name, person.team.parent.name, person.manager) == ("North", "Sales", cast["manager"])


def test_unreadable_file_is_refused_on_the_upload_page(client_for, cast):
    response = _upload(client_for(cast["admin"]), "email,name\nå@x.pl,Åsa\n".encode("latin-1"))
    assert response.status_code == 200
    assert "The file is not UTF-8 text." in response.content.decode()
    assert PeopleImport.objects.count() == 0


def test_preview_lists_row_errors_and_offers_no_confirmation(client_for, cast):
    client = client_for(cast["admin"])
    response = _upload(client, b"email,name,language\nnot-an-email,X,en\nok@acme.test,Ok,klingon\n")
    content = client.get(response["Location"]).content.decode()
    assert "Not a valid email address: not-an-email" in content
    assert "Unknown language: klingon (use en, pl, sv or zh-hans)" in content
    assert "Confirm and import" not in content
    client.post(response["Location"])
    assert not Person.objects.filter(user__email="ok@acme.test").exists()


def test_preview_of_another_workspace_is_404(client_for, cast):
    _upload(client_for(cast["admin"]), GOOD)
    people_import = PeopleImport.objects.get()
    response = client_for(cast["outsider"]).post(reverse("core:import_preview", args=[people_import.uuid]))
    assert response.status_code == 404
    assert not Person.objects.filter(user__email="zofia@acme.test").exists()


def test_trainer_may_not_import(client_for, cast):
    response = _upload(client_for(cast["trainer"]), GOOD)
    assert response.status_code == 403
    assert PeopleImport.objects.count() == 0
