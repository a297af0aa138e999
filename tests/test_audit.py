"""The audit log: append-only in the ORM and in the database, visible by role."""

import pytest
from django.db import (
    IntegrityError,
    InternalError,
    OperationalError,
    ProgrammingError,
    connection,
    transaction,
)

from mango.audit.log import record
from mango.audit.models import AppendOnly, AuditEvent
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

REFUSED = (IntegrityError, InternalError, OperationalError, ProgrammingError)


def _event(story, actor=None):
    with transaction.atomic():
        return record(actor, "story.view_original", story, organisation=story.organisation)


def test_record_names_the_actor_and_target(story, manager):
    event = _event(story, manager)
    assert (event.actor, event.actor_name, event.target_type, event.target_id) == (
        manager,
        "manager",
        "story",
        str(story.pk),
    )
    assert event.organisation == story.organisation


def test_an_unknown_action_is_refused(story):
    with pytest.raises(ValueError, match="Unknown audit action"), transaction.atomic():
        record(None, "story.stolen", story)


@pytest.mark.django_db(transaction=True)
def test_events_are_written_inside_the_change_transaction_only(org):
    from tests.conftest import make_story

    story = make_story(org)
    # In autocommit, outside any atomic block: refused, so a change cannot go unaudited
    # because its caller forgot the transaction.
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(None, "story.view_original", story)
    assert not AuditEvent.objects.exists()


def test_events_cannot_be_changed_or_deleted_through_the_orm(story):
    event = _event(story)
    event.note = "rewritten"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()


def test_the_database_refuses_updates_of_events(story):
    event = _event(story)
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).note == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="delete trigger on PostgreSQL")
def test_postgresql_refuses_deletes_of_events(story):
    event = _event(story)
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_deleting_a_user_keeps_their_events(story, manager):
    event = _event(story, manager)
    manager.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_name == "manager"


def test_managers_see_their_organisations_trail_only(client, story, manager, outsider, org):
    from tests.conftest import make_story

    _event(story, manager)
    elsewhere = make_story(outsider.memberships.get().organisation)
    _event(elsewhere, outsider)
    client.force_login(manager)
    page = client.get("/en/staff/audit/")
    assert page.status_code == 200
    rows = page.context["page"].object_list
    assert {e.organisation_id for e in rows} == {org.pk}


def test_administrators_see_every_event(client, story, admin_user, outsider):
    from tests.conftest import make_story

    _event(story)
    _event(make_story(outsider.memberships.get().organisation))
    client.force_login(admin_user)
    assert len(client.get("/en/staff/audit/").context["page"].object_list) == 2


def test_other_roles_get_403(client, member, researcher):
    for user in (member, researcher):
        client.force_login(user)
        assert client.get("/en/staff/audit/").status_code == 403


def test_the_trail_can_be_filtered_by_action(client, story, manager):
    _event(story, manager)
    client.force_login(manager)
    assert list(client.get("/en/staff/audit/?action=story.erased").context["page"]) == []
    assert len(client.get("/en/staff/audit/?action=story.view_original").context["page"]) == 1


def test_the_trail_offers_no_way_to_change_it(client, story, admin_user):
    _event(story)
    client.force_login(admin_user)
    html = client.get("/en/staff/audit/").content.decode()
    assert 'method="post"' not in html.split("<main", 1)[1]
    assert client.post("/en/staff/audit/").status_code in (200, 405)
    assert AuditEvent.objects.count() == 1
    event = AuditEvent.objects.get()
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403


def test_a_user_without_memberships_is_refused(client, db):
    client.force_login(make_user("nobody"))
    assert client.get("/en/staff/audit/").status_code == 403


def _scrub_old_review_notes():
    import importlib

    migration = importlib.import_module("mango.audit.migrations.0003_scrub_review_reasons")

    class Editor:
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.scrub(None, Editor())


@pytest.mark.postgres
def test_erasure_leaves_no_review_reason_in_the_trail(org, manager):
    from mango.lifecycle import actions
    from tests.conftest import make_story

    story = make_story(org, text="Verpleegster Sofie Peeters zong voor mijn moeder.")
    quote = "Sofie Peeters zong: mooi, maar herkenbaar"
    actions.review_story(manager, story, shareable=False, reason=quote)
    from mango.research.models import Codebook, Decision

    Decision.objects.create(
        story=story,
        codebook=Codebook.objects.get(slug="screening"),
        method="adjudicated",
        comment=quote,
    )
    actions.erase_story(story, actor=manager, by="system")
    story.refresh_from_db()
    assert story.review_note == "" and story.decisions.get().comment == ""
    for event in AuditEvent.objects.filter(target_type="story", target_id=str(story.pk)):
        assert "Sofie" not in event.note + str(event.old) + str(event.new)
    reviewed = AuditEvent.objects.get(action="story.reviewed")
    assert reviewed.new["reason_given"] is True and reviewed.new["reason_length"] == len(quote)


@pytest.mark.postgres
def test_reasons_copied_into_the_trail_by_older_versions_are_scrubbed(story, manager):
    with transaction.atomic():
        old = record(manager, "story.shared", story, new={"status": "shared"}, note="Sofie!")
        other = record(manager, "codebook.changed", story, note="kept")
    _scrub_old_review_notes()
    old = AuditEvent.objects.get(pk=old.pk)
    assert old.note == "" and old.new == {"status": "shared", "reason_given": True}
    assert AuditEvent.objects.get(pk=other.pk).note == "kept"
    # The log is append-only again afterwards.
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=other.pk).update(note="rewritten")
