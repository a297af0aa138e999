"""The audit trail reads as sentences in the reader's language, never as raw data."""

import pytest
from django.db import transaction
from django.utils import translation

from mango.accounts.audit_words import Sentences, describe_changes
from mango.audit.log import record
from mango.audit.models import AuditEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_changes_are_described_with_labels_not_codes():
    with translation.override("nl"):
        text = describe_changes({"status": "shared", "active": True}, {"status": "reviewed"})
    assert text == "status: gedeeld → nagelezen; actief: ja → —"
    assert "{" not in text and "'" not in text


def test_an_invitation_reads_as_a_sentence_naming_both_people(org):
    els = make_user("els", "manager", org, first_name="Els")
    nele = make_user("nele", "team_member", org, first_name="Nele")
    with transaction.atomic():
        record(els, "account.invited", nele, organisation=org, new={"role": "team_member"})
    with translation.override("nl"):
        [(event, sentence, link)] = Sentences(AuditEvent.objects.all()).rows()
    assert sentence == "Els (leidinggevende van de organisatie) nodigde Nele uit als teamlid"
    assert link.endswith(f"/accounts/people/{nele.pk}/")


def test_an_event_of_another_app_still_reads_in_words(org, story):
    els = make_user("els", "manager", org, first_name="Els")
    with transaction.atomic():
        record(els, "story.view_original", story, organisation=org, new={"status": "shared"})
    with translation.override("fr"):
        [(event, sentence, link)] = Sentences(AuditEvent.objects.all()).rows()
    assert sentence.startswith("Els (responsable de l’organisation) : ")
    assert f"histoire {story.pk}" in sentence
    assert "statut : partag" in sentence or "statut: partag" in sentence
