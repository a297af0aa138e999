"""The three codebooks Mango ships (``codebooks/*.json``): screening, the eight Picker
dimensions and the Mangomoment model.

``load`` is idempotent: it adds a codebook or code that is missing and leaves existing ones as
they are, so researchers' edits survive a new release. The data migration calls it with the
historical models, ``mango codebooks load`` with the current ones.

Each codebook and code carries its Dutch and French text beside the English base text
(``label_nl``, ``definition_fr``...). ``fill_translations`` adds a missing translation of a
shipped text, and only while the English text is still the shipped one: a code a researcher has
reworded keeps the translations they gave it (or none, which falls back to English).
"""

import json
from importlib import resources

SHIPPED = ("screening", "dimensions", "mangomoment-model")
CODE_FIELDS = ("label", "definition", "inclusion", "exclusion", "examples", "hotkey")
LANGUAGES = ("nl", "fr")
BOOK_TEXTS = ("name", "description")
CODE_TEXTS = ("label", "definition")


def _translated(model) -> bool:
    # The historical model of migration 0002 has no translation fields yet.
    return any(f.name == "label_nl" or f.name == "name_nl" for f in model._meta.get_fields())


def _fill(obj, item: dict, texts) -> list[str]:
    """Set each empty translation whose English text is still the shipped one."""
    filled = []
    for field in texts:
        if getattr(obj, field) != item.get(field):
            continue
        for lang in LANGUAGES:
            name = f"{field}_{lang}"
            if not getattr(obj, name) and item.get(name):
                setattr(obj, name, item[name])
                filled.append(name)
    return filled


def read(slug: str) -> dict:
    path = resources.files("mango.research").joinpath("codebooks", f"{slug}.json")
    return json.loads(path.read_text("utf-8"))


def fill_translations(Codebook, Code) -> dict[str, list[str]]:
    """Fill missing Dutch and French texts of shipped codebooks and codes (never overwriting a
    researcher's text); returns, per codebook slug, what was filled ("key:label_nl")."""
    out: dict[str, list[str]] = {}
    for slug in SHIPPED:
        book = Codebook.objects.filter(slug=slug).first()
        if book is None:
            continue
        data = read(slug)
        filled = [f"{slug}:{name}" for name in _fill(book, data, BOOK_TEXTS)]
        if filled:
            book.save(update_fields=[n.split(":", 1)[1] for n in filled])
        items = {item["key"]: item for item in data["codes"]}
        for code in Code.objects.filter(codebook=book, key__in=items):
            names = _fill(code, items[code.key], CODE_TEXTS)
            if names:
                code.save(update_fields=names)
                filled += [f"{code.key}:{name}" for name in names]
        if filled:
            out[slug] = filled
    return out


def load(Codebook, Code, CodebookVersion) -> list[str]:
    """Create the shipped codebooks and codes that are missing and fill missing translations
    of shipped texts; returns what was added or filled."""
    added = []
    translated = _translated(Code)
    filled = fill_translations(Codebook, Code) if translated else {}
    for slug in SHIPPED:
        data = read(slug)
        book, created = Codebook.objects.get_or_create(
            slug=slug,
            defaults={
                "name": data["name"],
                "description": data["description"],
                "multiple": data["multiple"],
                **(
                    {
                        f"{t}_{lang}": data.get(f"{t}_{lang}", "")
                        for t in BOOK_TEXTS
                        for lang in LANGUAGES
                    }
                    if translated
                    else {}
                ),
            },
        )
        if created:
            added.append(slug)
        keys = dict(Code.objects.filter(codebook=book).values_list("key", "pk"))
        new = False
        for order, item in enumerate(data["codes"], start=1):
            if item["key"] in keys:
                continue
            code = Code.objects.create(
                codebook=book,
                key=item["key"],
                parent_id=keys.get(item.get("parent")),
                order=order * 10,
                **{f: item.get(f, "") for f in CODE_FIELDS},
                **(
                    {
                        f"{t}_{lang}": item.get(f"{t}_{lang}", "")
                        for t in CODE_TEXTS
                        for lang in LANGUAGES
                    }
                    if translated
                    else {}
                ),
            )
            keys[code.key] = code.pk
            added.append(f"{slug}:{code.key}")
            new = True
        if filled.get(slug):
            added += [f"{slug}:{name}" for name in filled[slug]]
            new = True
        if new and not created:
            book.version += 1
            book.save(update_fields=["version", "updated_at"])
        if new or not CodebookVersion.objects.filter(codebook=book, version=book.version).exists():
            CodebookVersion.objects.update_or_create(
                codebook=book, version=book.version, defaults={"snapshot": _snapshot(book, Code)}
            )
    return added


def _snapshot(book, Code) -> dict:
    # The historical models of a migration have no methods: build the snapshot here.
    codes = Code.objects.filter(codebook=book).order_by("order", "key")
    translated = _translated(Code)
    parents = dict(codes.values_list("pk", "key"))
    return {
        "slug": book.slug,
        "name": book.name,
        "description": book.description,
        **{
            f"{t}_{lang}": getattr(book, f"{t}_{lang}")
            for t in BOOK_TEXTS
            for lang in LANGUAGES
            if translated
        },
        "multiple": book.multiple,
        "version": book.version,
        "codes": [
            {
                "key": c.key,
                "parent": parents.get(c.parent_id),
                "order": c.order,
                "active": c.active,
                **{f: getattr(c, f) for f in CODE_FIELDS},
                **{
                    f"{t}_{lang}": getattr(c, f"{t}_{lang}")
                    for t in CODE_TEXTS
                    for lang in LANGUAGES
                    if translated
                },
            }
            for c in codes
        ],
    }
