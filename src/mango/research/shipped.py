"""The three codebooks Mango ships (``codebooks/*.json``): screening, the eight Picker
dimensions and the Mangomoment model.

``load`` is idempotent: it adds a codebook or code that is missing and leaves existing ones as
they are, so researchers' edits survive a new release. The data migration calls it with the
historical models, ``mango codebooks load`` with the current ones.
"""

import json
from importlib import resources

SHIPPED = ("screening", "dimensions", "mangomoment-model")
CODE_FIELDS = ("label", "definition", "inclusion", "exclusion", "examples", "hotkey")


def read(slug: str) -> dict:
    path = resources.files("mango.research").joinpath("codebooks", f"{slug}.json")
    return json.loads(path.read_text("utf-8"))


def load(Codebook, Code, CodebookVersion) -> list[str]:
    """Create the shipped codebooks and codes that are missing; returns what was added."""
    added = []
    for slug in SHIPPED:
        data = read(slug)
        book, created = Codebook.objects.get_or_create(
            slug=slug,
            defaults={
                "name": data["name"],
                "description": data["description"],
                "multiple": data["multiple"],
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
            )
            keys[code.key] = code.pk
            added.append(f"{slug}:{code.key}")
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
    parents = dict(codes.values_list("pk", "key"))
    return {
        "slug": book.slug,
        "name": book.name,
        "description": book.description,
        "multiple": book.multiple,
        "version": book.version,
        "codes": [
            {
                "key": c.key,
                "parent": parents.get(c.parent_id),
                "order": c.order,
                "active": c.active,
                **{f: getattr(c, f) for f in CODE_FIELDS},
            }
            for c in codes
        ],
    }
