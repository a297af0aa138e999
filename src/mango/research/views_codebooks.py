"""Codebooks: list, detail (with versions) and edit (a new version per saved change)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import actions
from .access import can_edit_codebooks, get_codebook, require_researcher
from .forms import CodebookForm, CodeFormSet
from .models import CODE_TEXTS, Codebook, translation_fields


def code_tree(codebook, active_only=False):
    """The codes in order, parents before their children, each with its depth."""
    codes = list(codebook.codes.all().order_by("order", "key"))
    if active_only:
        codes = [c for c in codes if c.active]
    children: dict = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c)
    ids = {c.pk for c in codes}
    out = []

    def walk(parent, depth):
        for c in children.get(parent, []):
            c.level = depth
            out.append(c)
            walk(c.pk, depth + 1)

    walk(None, 0)
    for c in codes:  # children of a retired parent still show
        if c.parent_id is not None and c.parent_id not in ids:
            c.level = 0
            out.append(c)
            walk(c.pk, 1)
    return out


@login_required
def codebook_list(request):
    require_researcher(request.user)
    books = Codebook.objects.all()
    return render(
        request,
        "research/codebook_list.html",
        {"codebooks": books, "can_edit": can_edit_codebooks(request.user)},
    )


@login_required
def codebook_detail(request, slug):
    book = get_codebook(request.user, slug)
    return render(
        request,
        "research/codebook_detail.html",
        {
            "codebook": book,
            "codes": code_tree(book),
            "versions": book.versions.select_related("created_by")[:20],
            "can_edit": can_edit_codebooks(request.user),
        },
    )


def _initial(book):
    return [
        {
            "id": c.pk,
            "key": c.key,
            "label": c.label,
            "parent": c.parent.key if c.parent_id else "",
            "definition": c.definition,
            **{f: getattr(c, f) for f in translation_fields(CODE_TEXTS)},
            "inclusion": c.inclusion,
            "exclusion": c.exclusion,
            "examples": c.examples,
            "order": c.order,
            "hotkey": c.hotkey,
            "active": c.active,
        }
        for c in code_tree(book)
    ]


@login_required
def codebook_edit(request, slug):
    book = get_codebook(request.user, slug)
    if not can_edit_codebooks(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = CodebookForm(request.POST, instance=book)
        codes = CodeFormSet(request.POST, codebook=book, prefix="codes")
        if form.is_valid() and codes.is_valid():
            items = [f.cleaned_data for f in codes.forms if f.cleaned_data.get("key")]
            before = book.version
            fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
            book = Codebook.objects.get(pk=book.pk)
            book = actions.save_codebook(request.user, book, fields=fields, codes=items)
            if book.version != before:
                messages.success(request, _("Saved as version %(v)s.") % {"v": book.version})
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("research:codebook", slug=book.slug)
    else:
        form = CodebookForm(instance=book)
        codes = CodeFormSet(initial=_initial(book), codebook=book, prefix="codes")
    return render(
        request, "research/codebook_edit.html", {"codebook": book, "form": form, "codes": codes}
    )
