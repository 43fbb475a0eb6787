"""The report page, its XLSX and PDF exports and the JSON API: who may read them, and what they hold."""

import datetime
import logging
import re
import zlib
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from takeroot.core.services import create_api_key
from takeroot.retrospectives.models import Retrospective

from .test_report import make_sample

ROLES_REFUSED = ["trainer", "mentor", "manager", "participant"]


@pytest.fixture
def retrospective(cast):
    return make_sample(cast["admin"].workspace)[0]


def urls(retrospective):
    return {
        "page": reverse("retrospectives:report", args=[retrospective.uuid]),
        "xlsx": reverse("retrospectives:report_xlsx", args=[retrospective.uuid]),
        "pdf": reverse("retrospectives:report_pdf", args=[retrospective.uuid]),
        "api": f"/api/v1/retrospectives/{retrospective.uuid}/report",
    }


def test_url_names(retrospective):
    uuid = retrospective.uuid
    assert urls(retrospective)["page"] == f"/retrospectives/{uuid}/report/"
    assert urls(retrospective)["xlsx"] == f"/retrospectives/{uuid}/report.xlsx"
    assert urls(retrospective)["pdf"] == f"/retrospectives/{uuid}/report.pdf"


@pytest.mark.parametrize("what", ["page", "xlsx", "pdf", "api"])
def test_admin_reads_the_report(client_for, cast, retrospective, what):
    response = client_for(cast["admin"]).get(urls(retrospective)[what])
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES_REFUSED)
@pytest.mark.parametrize("what", ["page", "xlsx", "pdf", "api"])
def test_other_roles_are_refused(client_for, cast, retrospective, role, what):
    assert client_for(cast[role]).get(urls(retrospective)[what]).status_code == 403


@pytest.mark.parametrize("what", ["page", "xlsx", "pdf", "api"])
def test_another_workspace_answers_404(client_for, cast, retrospective, what):
    assert client_for(cast["outsider"]).get(urls(retrospective)[what]).status_code == 404


def test_anonymous_is_sent_to_sign_in_or_401(client, retrospective):
    assert client.get(urls(retrospective)["page"]).status_code == 302
    assert client.get(urls(retrospective)["api"]).status_code == 401


def test_api_key_needs_the_retrospectives_read_scope(cast, retrospective):
    workspace = cast["admin"].workspace
    without = create_api_key(workspace=workspace, actor=None, name="HR", scopes=["catalogue:read"])[1]
    with_scope = create_api_key(workspace=workspace, actor=None, name="BI", scopes=["retrospectives:read"])[1]
    elsewhere = create_api_key(
        workspace=cast["outsider"].workspace, actor=None, name="BI", scopes=["retrospectives:read"]
    )[1]
    client, url = Client(), urls(retrospective)["api"]
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {without}").status_code == 403
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {with_scope}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {elsewhere}").status_code == 404


def test_api_returns_the_statistics(client_for, cast, retrospective):
    body = client_for(cast["admin"]).get(urls(retrospective)["api"]).json()
    assert (body["title"], body["state"], body["interim"]) == ("Two years of learning", "closed", False)
    assert [(r["rank"], r["initiative"]["title"], r["verdict"]) for r in body["ranking"]][:2] == [
        (1, "Leadership programme", "stuck"),
        (2, "Book circle", "stuck"),
    ]
    assert body["ranking"][1]["per_level"] == [1, 0, 1, 2]
    assert body["factors"][0]["tag"] == "real_need"
    assert body["factors"][0]["stuck_count"] == 5
    assert body["factors"][0]["clear_difference"] is False
    eur = next(c for c in body["currencies"] if c["currency"] == "EUR")
    assert (eur["total"], eur["cost_per_stuck"]) == ("9200.00", "4600.00")
    assert [r["initiative"]["title"] for r in body["repeat"]] == ["Book circle", "Expert talk", "Study trip"]
    assert body["response"][-1] == {"group": "all", "label": "All raters", "invited": 6, "submitted": 4, "rate": 4 / 6}
    assert "rater0@" not in str(body)


def test_page_shows_every_section_with_accessible_chart_and_no_names(client_for, cast, retrospective):
    response = client_for(cast["admin"]).get(urls(retrospective)["page"])
    assert "style-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    for heading in [
        "Summary",
        "How well each initiative stuck",
        "What the sticky ones share and the forgotten ones lack",
        "Cost per initiative that stuck",
        "What the raters would repeat",
        "Effect indicators",
    ]:
        assert f">{heading}</h2>" in html
    assert html.count("<figure") == 2
    assert html.count("<figcaption>") == 2
    assert 'role="img" aria-label="Bar chart: why initiatives stuck or were forgotten"' in html
    # Nothing the CSP would refuse inside the page's own markup.
    assert not re.search(r"\sstyle=", html)
    assert "<style" not in html
    assert "Wrong timing" in html
    assert "Again next spring" in html
    assert "4600.00" in html.replace(",", "").replace("\xa0", "")
    assert "Interim report" not in html
    assert "rater0@" not in html
    assert reverse("retrospectives:report_pdf", args=[retrospective.uuid]) in html


def test_open_retrospective_page_is_labelled_interim(client_for, cast):
    retrospective = make_sample(cast["admin"].workspace, state="open")[0]
    html = client_for(cast["admin"]).get(urls(retrospective)["page"]).content.decode()
    assert "Interim report" in html


def test_chart_text_is_escaped(client_for, cast, retrospective):
    retrospective.initiatives.filter(title="Book circle").update(title="<script>alert(1)</script>")
    html = client_for(cast["admin"]).get(urls(retrospective)["page"]).content.decode()
    assert "<script>alert(1)" not in html


def test_xlsx_holds_the_numbers_as_numbers(client_for, cast, retrospective):
    response = client_for(cast["admin"]).get(urls(retrospective)["xlsx"])
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.fullmatch(
        r'attachment; filename="what-stuck-and-why-\d{4}-\d{2}-\d{2}\.xlsx"', response["Content-Disposition"]
    )
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Ranking", "Factors", "Cost", "Repeat", "Indicators"]
    ranking = workbook["Ranking"]
    assert ranking["A1"].value == "Rank"
    assert ranking["A1"].font.bold is True
    assert ranking.freeze_panes == "A2"
    assert [c.value for c in ranking[3]][:9] == [2, "Book circle", 4, 1, 0, 1, 2, 2.0, 0.75]
    assert ranking["I3"].number_format == "0.0%"
    factors = workbook["Factors"]
    assert [c.value for c in factors[2]][:6] == ["A real need or problem", 5, 0.5, 1, 0.2, 30.0]
    assert factors["G2"].value == pytest.approx(2905 / 5005)
    cost = workbook["Cost"]
    totals = {row[0].value: row for row in cost.iter_rows() if row[0].value in {"EUR", "PLN", "SEK"}}
    assert (totals["EUR"][2].value, totals["EUR"][4].value) == (9200, 4600)
    assert totals["SEK"][4].value is None
    repeat = workbook["Repeat"]
    assert [c.value for c in repeat[2]] == ["Book circle", 2, 4, 0.5, "Again next spring"]
    indicators = [[c.value for c in row] for row in workbook["Indicators"].iter_rows(min_row=2)]
    assert ["Leadership programme", "Completion rate", 50, "%", "Takeroot"] in indicators


def test_xlsx_in_polish_translates_the_sheet_names(client_for, cast, retrospective):
    user = cast["admin"].user
    user.language = "pl"
    user.save()
    response = client_for(cast["admin"]).get(urls(retrospective)["xlsx"], HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    assert len(load_workbook(BytesIO(response.content)).sheetnames) == 5


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for dictionary keys and metadata."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            parts.append(stream)
    return b"\n".join(parts)


def weasyprint_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]


def test_pdf_is_tagged_pdf_ua(client_for, cast, retrospective, caplog):
    response = client_for(cast["admin"]).get(urls(retrospective)["pdf"])
    assert weasyprint_warnings(caplog) == []
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(
        r'attachment; filename="what-stuck-and-why-\d{4}-\d{2}-\d{2}\.pdf"', response["Content-Disposition"]
    )
    assert response.content.startswith(b"%PDF")
    pdf = pdf_text(response.content)
    assert b"pdfuaid:part" in pdf  # the PDF/UA identification in the XMP metadata
    assert b"/StructTreeRoot" in pdf  # tagged
    assert b"/Lang" in pdf


def test_pdf_renders_in_chinese(client_for, cast, retrospective, caplog):
    user = cast["admin"].user
    user.language = "zh-hans"
    user.save()
    retrospective.initiatives.filter(title="Book circle").update(title="读书会")
    response = client_for(cast["admin"]).get(urls(retrospective)["pdf"])
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert b"WenQuanYi" in pdf_text(response.content)
    assert weasyprint_warnings(caplog) == []  # the Chinese title needed the CJK font, and it was embedded


@pytest.mark.parametrize("what", ["page", "xlsx", "pdf", "api"])
def test_empty_retrospective_report_works(client_for, cast, what):
    workspace = cast["admin"].workspace
    retrospective = Retrospective.objects.create(
        workspace=workspace,
        title="Nothing yet",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
    )
    response = client_for(cast["admin"]).get(urls(retrospective)[what])
    assert response.status_code == 200
    if what == "page":
        assert "No initiatives are under review yet." in response.content.decode()
