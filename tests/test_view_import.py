"""The researchers' import page (``staff:import``)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from mango.stories.models import Story

from .conftest import make_user

pytestmark = pytest.mark.postgres

TEXT = "De verpleegkundige bracht me een mango toen ik daar zo naar verlangde, nummer {}."
# English, so the assertions read the messages as written in the code.
URL = "/en/staff/import/"


def csv_upload(*rows, name="stories.csv", header="text;teller_role;setting;organisation"):
    body = "\r\n".join([header, *rows]) + "\r\n"
    return SimpleUploadedFile(name, body.encode("utf-8-sig"), content_type="text/csv")


def good_rows(n, start=2):
    return [f"{TEXT.format(i)};patient;hospital;az-test" for i in range(start, start + n)]


def post(client, upload, campaign="campagne", **extra):
    return client.post(URL, {"file": upload, "campaign": campaign, "action": "import", **extra})


def test_the_page_is_at_staff_import():
    with translation.override("en"):
        assert reverse("staff:import") == URL


def test_a_researcher_sees_the_form(client, researcher, campaign):
    client.force_login(researcher)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert '<option value="campagne">Campagne</option>' in body
    assert 'name="skip_invalid"' in body
    assert "<td><code>text</code></td><td>story, mangomoment, verhaal," in body  # aliases


def test_a_researcher_uploads_and_imports(client, researcher, campaign):
    client.force_login(researcher)

    response = post(client, csv_upload(*good_rows(3)))

    assert response.status_code == 200
    body = response.content.decode()
    assert "3 rows read, 3 valid, 0 invalid" in body
    assert "3 stories imported into Campagne." in body
    assert Story.objects.filter(source="import", campaign=campaign).count() == 3


def test_an_administrator_may_import_too(client, campaign):
    admin = make_user("beheerder", "administrator", None)
    client.force_login(admin)

    post(client, csv_upload(*good_rows(1)))

    assert Story.objects.count() == 1


def test_a_superuser_may_import(client, admin_user, campaign):
    client.force_login(admin_user)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("who", ["manager", "member", "outsider"])
def test_others_get_403_and_import_nothing(client, request, who, campaign):
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403
    assert post(client, csv_upload(*good_rows(1))).status_code == 403
    assert Story.objects.count() == 0


def test_a_researcher_of_one_organisation_may_not_import(client, org, campaign):
    client.force_login(make_user("local", "researcher", org))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, campaign):
    response = post(client, csv_upload(*good_rows(1)))

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert Story.objects.count() == 0


def test_a_bad_file_shows_its_problems_and_imports_nothing(client, researcher, campaign):
    client.force_login(researcher)
    rows = good_rows(2) + ["Te kort;patient;hospital;az-test", f"{TEXT.format(5)};patient;castle;"]

    response = post(client, csv_upload(*rows))

    assert response.status_code == 200
    assert response.context["summary"] == "4 rows read, 2 valid, 2 invalid"
    assert response.context["problems"] == [
        (4, "text", "Please tell a little more: at least 20 characters."),
        (
            5,
            "setting",
            "Choose one of the options offered. Allowed: hospital, rehabilitation, "
            "residential, disability, primary, other.",
        ),
    ]
    assert response.context["nothing_imported"] is True
    assert b"<td>4</td><td>text</td>" in response.content
    assert Story.objects.count() == 0


def test_skipping_invalid_rows_imports_the_good_ones(client, researcher, campaign):
    client.force_login(researcher)
    rows = good_rows(2) + ["Te kort;patient;hospital;az-test"]

    response = post(client, csv_upload(*rows), skip_invalid="on")

    assert response.context["imported"] == 2
    assert b"Invalid rows, not imported" in response.content
    assert [p[0] for p in response.context["problems"]] == [4]
    assert Story.objects.count() == 2


def test_check_only_imports_nothing(client, researcher, campaign):
    client.force_login(researcher)

    response = client.post(
        URL, {"file": csv_upload(*good_rows(2)), "campaign": "campagne", "action": "check"}
    )

    assert response.context["summary"] == "2 rows read, 2 valid, 0 invalid"
    assert response.context["check_only"] is True
    assert Story.objects.count() == 0


def test_an_xlsx_upload_is_imported(client, researcher, campaign):
    client.force_login(researcher)
    book = Workbook()
    book.active.append(["Histoire", "Rôle", "Secteur"])
    book.active.append([TEXT.format(1), "patient", "hospital"])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("enquete.xlsx", data.getvalue())

    post(client, upload)

    assert Story.objects.get().text == TEXT.format(1)


def test_a_file_of_another_kind_is_refused_with_a_clear_message(client, researcher, campaign):
    client.force_login(researcher)
    response = post(client, SimpleUploadedFile("notes.pdf", b"%PDF-1.7"))

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Only CSV (.csv) and Excel (.xlsx) files can be imported."
    ]
    assert Story.objects.count() == 0


def test_an_unknown_column_is_reported(client, researcher, campaign):
    client.force_login(researcher)
    response = post(client, csv_upload(*good_rows(1), header="text;teller_role;setting;mood"))

    assert response.status_code == 400
    assert "mood" in response.context["form"].errors["file"][0]


def test_a_file_over_the_size_limit_is_refused_unread(client, researcher, campaign, settings):
    settings.MANGO_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(researcher)
    big = csv_upload(*good_rows(30_000))
    assert big.size > settings.MANGO_IMPORT_MAX_BYTES

    response = post(client, big)

    assert response.status_code == 400
    [error] = response.context["form"].errors["file"]
    assert "2 MB" in error
    assert Story.objects.count() == 0


def test_the_csrf_token_is_still_checked(researcher, campaign):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)

    response = post(client, csv_upload(*good_rows(1)))

    assert response.status_code == 403
    assert Story.objects.count() == 0


def test_a_zip_bomb_or_too_many_rows_is_refused_with_a_clear_message(
    client, researcher, campaign, monkeypatch
):
    import zipfile

    from mango.lib import importing

    client.force_login(researcher)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as stream:
            for _ in range(101):
                stream.write(b"\0" * 2**20)
    bomb = SimpleUploadedFile("stories.xlsx", buffer.getvalue())
    response = post(client, bomb)
    assert response.status_code == 400
    assert "unpacks to far more than its size" in response.content.decode()

    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    book = Workbook()
    for row in [["text", "teller_role", "setting"]] + [["x" * 30, "patient", "hospital"]] * 3:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    with translation.override("nl"):
        response = client.post(
            "/nl/staff/import/",
            {"file": SimpleUploadedFile("s.xlsx", data.getvalue()), "campaign": "campagne"},
        )
    assert response.status_code == 400
    assert "meer dan 2 rijen" in response.content.decode()
    assert not Story.objects.exists()
