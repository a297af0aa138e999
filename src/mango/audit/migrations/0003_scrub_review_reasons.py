"""Remove moderators' reasons from audit rows written before they stopped being copied there.

A reason may quote the story or name its people, and the audit log outlives an erasure. Older
versions copied the reason into ``note`` of ``story.reviewed`` and ``story.shared`` events;
this blanks those notes once, and records in ``new`` that a reason had been given. The log is
append-only by triggers (0002), so they are lifted for this one statement and put back in
the same transaction.
"""

from django.db import migrations

SQLITE = [
    "DROP TRIGGER IF EXISTS audit_no_update;",
    "UPDATE audit_auditevent SET new = json_set(new, '$.reason_given', json('true')), "
    "note = '' WHERE action IN ('story.reviewed', 'story.shared') AND note <> '';",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
]
POSTGRES = [
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_change;",
    "UPDATE audit_auditevent SET new = new || '{\"reason_given\": true}'::jsonb, note = '' "
    "WHERE action IN ('story.reviewed', 'story.shared') AND note <> '';",
    "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_no_change;",
]


def scrub(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
