"""Screenshots of Mango's main screens on a phone (390 px) and a desktop (1280 px).

Run against a copy of the demo database, never a real one:

    MANGO_DATA_DIR=/tmp/shots .venv/bin/mango migrate
    MANGO_DATA_DIR=/tmp/shots .venv/bin/mango demo_load --moderate
    MANGO_DATA_DIR=/tmp/shots .venv/bin/python tools/screenshots.py docs/screenshots after

The `report` step renders the PDF report's widest table instead (no browser, no server):

    MANGO_DATA_DIR=/tmp/shots .venv/bin/python tools/screenshots.py docs/screenshots report

It builds the demo campaign's report in Dutch for every comparison group, picks the table with
the most columns, and prints the page(s) it is on with `pdftoppm -png -r 80`, stacked into
`after-report-widest-page.png` (wide tables split into parts that fit A4, as `mango report
--format pdf` prints them) and `before-report-widest-page.png` (the same report printed without
the split, as the PDF was before: its last columns fall off the page).

It adds one illustrative transcript with a few coded passages (once), writes the report's HTML
into the data directory, starts `mango runserver` on a free port, signs in as the demo users
with real Chromium (/usr/bin/chromium) and saves `<label>-<screen>-<phone|desktop>.png`.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANGO = str(ROOT / ".venv" / "bin" / "mango")
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "mango-demo"  # noqa: S105 - the demo accounts' published password
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
TRANSCRIPT = (
    "Interviewer: Wat is u het meest bijgebleven van de opname?\n"
    "Patiënt: Dat de verpleegkundige elke ochtend even bleef staan om te vragen hoe ik "
    "geslapen had. Ze keek me echt aan. Dat gaf me rust.\n"
    "Interviewer: En de informatie over de behandeling?\n"
    "Patiënt: Die was soms te snel. De arts sprak vakjargon en ik durfde niet te vragen wat "
    "hij bedoelde. Mijn dochter heeft het later uitgelegd.\n"
    "Interviewer: Wat had u geholpen?\n"
    "Patiënt: Een folder in gewone taal, en iemand die even terugkomt na het gesprek.\n"
)


def prepare(data_dir: Path) -> dict:
    """Ids of the objects to show; adds the transcript the demo does not have."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mango.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from mango.qualitative import actions as qualitative
    from mango.qualitative.models import Document
    from mango.research.models import Code, CodingRound
    from mango.stories.models import Story

    researcher = get_user_model().objects.get(username="researcher")
    round_ = CodingRound.objects.order_by("-pk").first()
    document = Document.objects.filter(title="Interview (illustratief)").first()
    if document is None:
        codebook = round_.codebook
        project = qualitative.create_project(
            researcher,
            name="Interviews (illustratief)",
            organisation=None,
            codebook=codebook,
        )
        document = qualitative.upload_transcript(
            researcher,
            project,
            title="Interview (illustratief)",
            kind="interview",
            text=TRANSCRIPT,
        )
        codes = list(Code.objects.filter(codebook=codebook, parent__isnull=False)[:3])
        for code, phrase in zip(
            codes, ["Ze keek me echt aan", "vakjargon", "gewone taal"], strict=False
        ):
            start = TRANSCRIPT.index(phrase)
            qualitative.code_segment(
                researcher, document, code=code, start=start, end=start + len(phrase)
            )
    pending = Story.objects.filter(status="deidentified").order_by("pk").first()
    shared = Story.objects.filter(status="shared").order_by("pk").first()
    report = data_dir / "report.html"
    if not report.exists():
        call_command(
            "report", campaign="mangomomenten-demo", out=str(report), language="nl", verbosity=0
        )
    return {
        "round": round_.pk,
        "document": document.pk,
        "pending": pending.pk if pending else shared.pk,
        "story": shared.pk,
        "receipt": shared.receipt,
        "report": report,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    env = {**os.environ, "MANGO_DEBUG": "1", "MANGO_TASKS_IMMEDIATE": "1"}
    server = subprocess.Popen(  # noqa: S603 - our own mango command, fixed arguments
        [MANGO, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("runserver did not start")


def sign_in(page, username: str) -> None:
    page.goto("/nl/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state()


def shoot(browser, base: str, out: Path, label: str, ids: dict) -> None:
    screens = [
        ("form", None, "/nl/tell/", None),
        ("teller-status", None, "/nl/my-story/", "receipt"),
        ("moderation", "manager", f"/nl/staff/moderation/{ids['pending']}/", None),
        ("dashboard", "researcher", "/nl/staff/dashboard/", None),
        ("coder", "coder1", f"/nl/staff/research/rounds/{ids['round']}/code/1/", None),
        ("transcript", "researcher", f"/nl/staff/transcripts/documents/{ids['document']}/", None),
        ("report", None, ids["report"].as_uri(), None),
    ]
    for size, options in SIZES.items():
        for name, user, path, action in screens:
            context = browser.new_context(base_url=base, locale="nl-BE", **options)
            page = context.new_page()
            if user:
                sign_in(page, user)
            page.goto(path)
            if action == "receipt":
                page.fill("input[name=receipt]", ids["receipt"])
                page.locator("main form button[type=submit]").first.click()
                page.wait_for_load_state()
            if name == "report":
                # The widest page: scroll the widest table into view.
                page.evaluate(
                    "() => { let w = null; for (const t of document.querySelectorAll('table'))"
                    " if (!w || t.scrollWidth > w.scrollWidth) w = t;"
                    " if (w) w.scrollIntoView(); }"
                )
            page.wait_for_timeout(300)
            width = page.evaluate("document.documentElement.scrollWidth")
            target = out / f"{label}-{name}-{size}.png"
            page.screenshot(path=str(target), full_page=False)
            print(f"{target.name}: page width {width}px")
            context.close()


def widest_report(campaign_slug: str = "mangomomenten-demo", language: str = "nl"):
    """The demo report (and its group) whose widest table has the most columns."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mango.settings")
    import django

    django.setup()
    from mango.analysis import data
    from mango.analysis.management.commands.report import GROUPS
    from mango.lib import reports
    from mango.organisations.models import Campaign

    campaign = Campaign.objects.get(slug=campaign_slug)
    best = None
    for group in GROUPS:
        source = data.report_input(campaign, None, language=language, group=group)
        try:
            report = reports.build_report(source)
        except ValueError:
            continue
        table = max(report.tables, key=lambda t: len(t.columns))
        if best is None or len(table.columns) > len(best[2].columns):
            best = (group, report, table)
    return best


def page_text(pdf: Path, number: int) -> str:
    """The text of one page of a PDF (poppler's pdftotext), lines joined."""
    found = subprocess.run(  # noqa: S603 - poppler's pdftotext, fixed arguments
        ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    return " ".join(found.stdout.split())


def report_pages(out: Path, data_dir: Path) -> None:
    """PNGs of the PDF report's widest table, with and without the split into parts."""
    from PIL import Image
    from weasyprint import HTML

    from mango.lib.reports import output

    group, report, table = widest_report()
    for label, paged in (("after", True), ("before", False)):
        document = HTML(string=output.to_html(report, "svg", paged=paged)).render()
        first = next(i for i, p in enumerate(document.pages) if table.key in p.anchors)
        pdf = data_dir / f"report-{label}.pdf"
        document.write_pdf(str(pdf))
        # The table's parts ("(continued)") run on over the next pages (at most 3 in all).
        last = first
        while last + 1 < min(len(document.pages), first + 3) and table.title in page_text(
            pdf, last + 2
        ):
            last += 1
        prefix = data_dir / f"report-{label}-page"
        for old in data_dir.glob(f"{prefix.name}*.png"):
            old.unlink()
        subprocess.run(  # noqa: S603 - poppler's pdftoppm, fixed arguments
            ["pdftoppm", "-png", "-r", "80", "-f", str(first + 1), "-l", str(last + 1)]
            + [str(pdf), str(prefix)],
            check=True,
        )
        images = [Image.open(p) for p in sorted(data_dir.glob(f"{prefix.name}*.png"))]
        sheet = Image.new(
            "RGB",
            (max(i.width for i in images), sum(i.height for i in images) + 8 * (len(images) - 1)),
            "#888888",
        )
        y = 0
        for image in images:
            sheet.paste(image, (0, y))
            y += image.height + 8
        target = out / f"{label}-report-widest-page.png"
        sheet.save(target, optimize=True)
        print(
            f"{target.name}: group {group}, table {table.key!r} with {len(table.columns)} "
            f"columns, PDF page(s) {first + 1}-{last + 1} of {len(document.pages)}"
        )


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    label = sys.argv[2] if len(sys.argv) > 2 else "after"
    data_dir = Path(os.environ.get("MANGO_DATA_DIR", ""))
    if not os.environ.get("MANGO_DATA_DIR"):
        sys.exit("Set MANGO_DATA_DIR to a copy of the demo data (never a real database).")
    out.mkdir(parents=True, exist_ok=True)
    if label == "report":
        report_pages(out, data_dir)
        return
    ids = prepare(data_dir)
    port = free_port()
    server = serve(port)
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            shoot(browser, f"http://127.0.0.1:{port}", out, label, ids)
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
