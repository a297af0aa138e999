"""mango.mail sends a two-part message in the recipient's language through real SMTP."""

from django.test import override_settings

from mango import mail

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "t/hello_subject.txt": "{% load i18n %}{% translate 'Stories' %}\n",
                        "t/hello.txt": "{% load i18n %}{% translate 'Stories' %}: {{ n }}",
                        "t/hello.html": "<p>{{ n }} &amp; more</p>",
                    },
                )
            ]
        },
    }
]


@override_settings(TEMPLATES=TEMPLATES)
def test_a_message_arrives_with_both_parts_in_the_recipients_language(smtp_server):
    mail.send(["els@example.org"], "t/hello", {"n": 3}, language="nl", cc=["boss@example.org"])
    [message] = smtp_server.messages
    assert message["Subject"] == "Verhalen"
    assert smtp_server.text(message).strip() == "Verhalen: 3"
    assert "<p>3 &amp; more</p>" in smtp_server.html(message)
    assert set(message.envelope_to) == {"els@example.org", "boss@example.org"}
