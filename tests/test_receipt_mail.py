"""E-mail the receipt to oneself from the thank-you page (issue 13, point 6).

The receipt comes from the signed thanks cookie, never from the form; the address is used for
one message through a real SMTP server and is stored nowhere: no table row, no audit event.
"""

import re
import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mango.audit.models import AuditEvent
from mango.stories.models import Story

from .test_view_tell import STORY, submit

ADDRESS = "teller.private-7f3a@example.org"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def url(name, lang="nl"):
    with translation.override(lang):
        return reverse(name)


def told(client, lang="nl"):
    """Tell a story and open the thank-you page; returns the story and the page's HTML."""
    response = submit(client, lang=lang)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    story = Story.objects.get()
    assert story.receipt in page
    return story, page


def every_text_in_the_database() -> str:
    """Every row of every table, as text (the address must be in none of them)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_the_receipt_arrives_without_the_story_and_the_address_is_kept_nowhere(
    client, db, smtp_server
):
    story, page = told(client)
    assert 'action="/nl/tell/thanks/mail/"' in page
    response = client.post(url("receipt_mail"), {"email": ADDRESS})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="receipt-mailed"' in html
    assert "niet bewaard" in html  # "We did not keep the address", in the page's language
    assert ADDRESS not in html

    [message] = smtp_server.to(ADDRESS)
    text, body = smtp_server.text(message), smtp_server.html(message)
    for part in (text, body):
        assert story.receipt in part
        assert "/nl/my-story/" in part  # the way to the status page, in the same language
        assert STORY not in part and "verjaardag" not in part
        assert story.text_redacted not in part
    assert "ontvangstcode" in message["Subject"].lower()

    # The address is in no table (not the story, not the submission, not the audit trail).
    assert ADDRESS not in every_text_in_the_database()
    assert ADDRESS.split("@")[0] not in every_text_in_the_database()
    assert not AuditEvent.objects.filter(note__contains="example.org").exists()
    for event in AuditEvent.objects.all():
        assert ADDRESS not in repr((event.old, event.new, event.note))

    # Sent once: the cookie that allowed it is gone, so a second post is refused.
    again = client.post(url("receipt_mail"), {"email": ADDRESS})
    assert again.status_code == 403
    assert len(smtp_server.messages) == 1


def test_the_mail_is_in_the_page_language(client, db, smtp_server):
    story, _page = told(client, lang="fr")
    response = client.post(url("receipt_mail", "fr"), {"email": ADDRESS})
    assert response.status_code == 200
    [message] = smtp_server.messages
    text = smtp_server.text(message)
    assert story.receipt in text and "/fr/my-story/" in text
    assert "histoire" in text and "Thank you" not in text


def test_without_the_cookie_the_form_is_refused(client, db, smtp_server):
    story, _page = told(client)
    # Another browser (no thanks cookie) cannot have the receipt mailed, not even by naming
    # it in the form.
    stranger = Client()
    response = stranger.post(url("receipt_mail"), {"email": ADDRESS, "receipt": story.receipt})
    assert response.status_code == 403
    assert story.receipt not in response.content.decode()
    assert "niet meer" in response.content.decode()
    # A cookie from before the receipt was shown (the redirect's) does not allow it either.
    fresh = Client()
    submit(fresh, text="Een verpleegkundige bleef bij mij tot de dokter kwam, ook na haar dienst.")
    assert fresh.post(url("receipt_mail"), {"email": ADDRESS}).status_code == 403
    # A forged cookie is refused.
    forged = Client()
    forged.cookies["mango_thanks"] = '{"submission": 1, "mail": true}'
    assert forged.post(url("receipt_mail"), {"email": ADDRESS}).status_code == 403
    assert smtp_server.messages == []


def test_a_bad_address_gets_a_clear_message_and_the_form_again(client, db, smtp_server):
    story, _page = told(client)
    response = client.post(url("receipt_mail", "en"), {"email": "not-an-address"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This is not an e-mail address" in html
    assert 'aria-invalid="true"' in html
    # The code stays on screen, and the teller can correct the address and send it.
    assert story.receipt in html
    empty = client.post(url("receipt_mail", "nl"), {"email": ""})
    assert empty.status_code == 400
    assert re.search(r"e-mailadres", empty.content.decode())
    assert smtp_server.messages == []
    assert client.post(url("receipt_mail"), {"email": ADDRESS}).status_code == 200
    assert len(smtp_server.to(ADDRESS)) == 1


def test_the_mail_is_rate_limited(client, db, smtp_server, settings):
    settings.MANGO_SUBMIT_RATE = "1/h"
    told(client)
    assert client.post(url("receipt_mail"), {"email": ADDRESS}).status_code == 200
    other = Client()
    settings.MANGO_SUBMIT_RATE = "20/h"
    submit(other, text="De nachtverpleegkundige bracht mij warme melk toen ik niet kon slapen.")
    other.get(url("thanks"))
    settings.MANGO_SUBMIT_RATE = "1/h"
    response = other.post(url("receipt_mail"), {"email": "someone.else@example.org"})
    assert response.status_code == 429
    assert len(smtp_server.messages) == 1


def test_the_address_is_in_no_log_line_when_sent_or_when_sending_fails(
    client, db, smtp_server, settings, caplog
):
    caplog.set_level("DEBUG")
    told(client)
    assert client.post(url("receipt_mail"), {"email": ADDRESS}).status_code == 200
    # A second teller, while the mail server is down: a clear message, the form again.
    other = Client()
    submit(other, text="De vroedvrouw nam de tijd om alles twee keer uit te leggen, heel rustig.")
    other.get(url("thanks"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]  # nothing listens there once closed
    failed = other.post(url("receipt_mail", "en"), {"email": "second." + ADDRESS})
    assert failed.status_code == 503
    assert "could not be sent just now" in failed.content.decode()
    assert len(smtp_server.messages) == 1
    # Mango's own log lines (not the test SMTP server's, "mail.log") never hold an address.
    mango_lines = [r.getMessage() for r in caplog.records if r.name != "mail.log"]
    assert mango_lines, "the story intake logs something, so this check can fail"
    assert not [line for line in mango_lines if "example.org" in line]
