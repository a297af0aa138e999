"""Sending one e-mail in the recipient's language, with a plain-text and an HTML part.

Mail goes through Django's configured backend (SMTP in production: MANGO_EMAIL_* settings).
Never log a message's body: it may hold a story.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send(
    to: list[str],
    template: str,
    context: dict,
    *,
    language: str,
    cc: list[str] | None = None,
    headers: dict | None = None,
    connection=None,
) -> None:
    """Render ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` in
    ``language`` and send them as one message. Raises on a delivery failure, so a caller can
    retry; nothing is sent twice by this function."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        to,
        cc=cc or [],
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    message.send()
