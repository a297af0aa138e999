"""The consensus app's writes, one function each, in one transaction with their audit row.

A panellist's scores and comments are not audited one by one: the rows (with ``updated_at``)
are their record. What shapes the results is: the rule (chosen, locked when round 1 opens,
and every refused attempt to change it afterwards), rounds opened and closed, items carried,
dropped or added, the panel and its links, decisions and codes made from items.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mango.audit.log import record

from . import rules
from .models import (
    LANGUAGES,
    Comment,
    Criterion,
    Decision,
    Item,
    LiveParticipant,
    LiveRanking,
    LiveSession,
    LiveVote,
    Panellist,
    Proposal,
    Rating,
    Round,
    Section,
    Study,
    Submission,
    localised,
    new_nonce,
)


class RuleLocked(Exception):
    """The study's rule was fixed when round 1 opened; it cannot change."""


class RoundClosed(Exception):
    """A write to a round that is not open."""


def _org(study):
    return study.organisation if study.organisation_id else None


# --- studies, criteria, sections, items ---------------------------------------------------


def create_study(
    actor,
    *,
    title: str,
    kind: str = "delphi",
    organisation=None,
    question: dict | None = None,
    instructions: dict | None = None,
    groups: list | None = None,
    feedback_by_group: bool = False,
    criteria: list[dict] | None = None,
) -> Study:
    """A study with its criteria (default: importance on 1-9)."""
    criteria = criteria or [
        {"key": "importance", "label": {"nl": "Belang", "fr": "Importance", "en": "Importance"}}
    ]
    with transaction.atomic():
        study = Study.objects.create(
            title=title,
            kind=kind,
            organisation=organisation,
            question=question or {},
            instructions=instructions or {},
            groups=groups or [],
            feedback_by_group=feedback_by_group,
            created_by=actor,
        )
        for order, c in enumerate(criteria):
            add_criterion(actor, study, order=order, audit=False, **c)
        record(
            actor,
            "consensus.study_created",
            study,
            organisation=_org(study),
            new={"kind": kind, "criteria": [c["key"] for c in criteria]},
        )
    return study


def update_study(actor, study: Study, **fields) -> Study:
    allowed = {"title", "kind", "question", "instructions", "groups", "feedback_by_group"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown study fields: {sorted(unknown)}")
    with transaction.atomic():
        study = Study.objects.select_for_update().get(pk=study.pk)
        changed = [k for k, v in fields.items() if getattr(study, k) != v]
        for k in changed:
            setattr(study, k, fields[k])
        if changed:
            study.save(update_fields=changed)
            record(
                actor,
                "consensus.study_changed",
                study,
                organisation=_org(study),
                new={"fields": changed},
            )
    return study


def _scale(scale_min: int, scale_max: int):
    if not (0 <= scale_min < scale_max <= 100):
        raise ValueError(_("A scale runs from a lower to a higher whole number (0-100)."))


def add_criterion(
    actor,
    study: Study,
    *,
    key: str,
    label: dict,
    scale_min: int = 1,
    scale_max: int = 9,
    order: int | None = None,
    audit: bool = True,
) -> Criterion:
    _scale(scale_min, scale_max)
    with transaction.atomic():
        if study.rounds.exclude(status="draft").exists():
            raise RuleLocked(_("Criteria are fixed once round 1 has opened."))
        if (study.rule or {}).get("kind") == "rand_ucla" and (scale_min, scale_max) != (1, 9):
            raise ValueError(_("The RAND/UCLA method is defined on the 1-9 scale only."))
        if order is None:
            order = (study.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
        criterion = Criterion.objects.create(
            study=study,
            key=key,
            label=label,
            scale_min=scale_min,
            scale_max=scale_max,
            order=order,
        )
        if audit:
            record(
                actor,
                "consensus.study_changed",
                study,
                organisation=_org(study),
                new={"criterion": key, "scale": [scale_min, scale_max]},
            )
    return criterion


def add_section(actor, study: Study, *, title: dict, order: int | None = None) -> Section:
    with transaction.atomic():
        if order is None:
            order = (study.sections.aggregate(m=Max("order"))["m"] or 0) + 1
        return Section.objects.create(study=study, title=title, order=order)


def _next_key(study: Study) -> str:
    n = study.items.count() + 1
    keys = set(study.items.values_list("key", flat=True))
    while f"S{n}" in keys:
        n += 1
    return f"S{n}"


def add_item(
    actor,
    study: Study,
    *,
    text: dict,
    section: Section | None = None,
    key: str = "",
    stories=(),
    segments=(),
    codes=(),
    proposed_by: Panellist | None = None,
    audit: bool = True,
) -> Item:
    """A statement, with its evidence. Evidence must be what the actor may read: the caller
    (the view) offers only stories and segments in the actor's scope."""
    if not any((text or {}).get(lang, "").strip() for lang in LANGUAGES):
        raise ValueError("An item needs its statement in at least one language.")
    with transaction.atomic():
        order = (study.items.aggregate(m=Max("order"))["m"] or 0) + 1
        item = Item.objects.create(
            study=study,
            section=section,
            key=key or _next_key(study),
            text={k: v.strip() for k, v in text.items() if v and v.strip()},
            order=order,
            proposed_by=proposed_by,
        )
        if stories:
            item.stories.set(stories)
        if segments:
            item.segments.set(segments)
        if codes:
            item.codes.set(codes)
        # An item added while a round is in draft joins it.
        draft = study.rounds.filter(status="draft").first()
        if draft is not None:
            draft.items.add(item)
        if audit:
            record(
                actor,
                "consensus.items_changed",
                study,
                organisation=_org(study),
                new={"added": [item.key]},
            )
    return item


def edit_item(
    actor, item: Item, *, text: dict, section=None, stories=(), segments=(), codes=()
) -> Item:
    """Change a statement and its evidence. Once it has been rated its wording is fixed
    (panellists rated those words): only the evidence may change then."""
    if not any((text or {}).get(lang, "").strip() for lang in LANGUAGES):
        raise ValueError("An item needs its statement in at least one language.")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        text = {k: v.strip() for k, v in text.items() if v and v.strip()}
        changed = []
        if text != item.text or (section.pk if section else None) != item.section_id:
            if item.ratings.exists():
                raise RuleLocked("A statement that has been rated keeps its words.")
            item.text, item.section = text, section
            item.save(update_fields=["text", "section"])
            changed.append("text")
        for name, values in (("stories", stories), ("segments", segments), ("codes", codes)):
            new = {v.pk for v in values}
            if new != set(getattr(item, name).values_list("pk", flat=True)):
                getattr(item, name).set(values)
                changed.append(name)
        if changed:
            record(
                actor,
                "consensus.items_changed",
                item.study,
                organisation=_org(item.study),
                new={"changed": item.key, "fields": changed},
            )
    return item


def add_proposal_as_item(actor, proposal: Proposal, *, text: dict | None = None) -> Item:
    """The facilitator takes a panellist's proposal into the study (for the next round)."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)
        if proposal.item_id:
            return proposal.item
        study = proposal.round.study
        item = add_item(
            actor,
            study,
            text=text or {study_language(proposal.panellist): proposal.text},
            proposed_by=proposal.panellist,
        )
        proposal.item = item
        proposal.save(update_fields=["item"])
    return item


def study_language(panellist: Panellist) -> str:
    return panellist.language if panellist.language in LANGUAGES else "nl"


def drop_items(actor, study: Study, items, *, after_round: int) -> int:
    """Items that reached consensus (or were ruled out) leave the following rounds."""
    with transaction.atomic():
        keys = list(
            Item.objects.filter(study=study, pk__in=[i.pk for i in items]).values_list(
                "key", flat=True
            )
        )
        n = Item.objects.filter(study=study, key__in=keys).update(dropped_after=after_round)
        record(
            actor,
            "consensus.items_changed",
            study,
            organisation=_org(study),
            new={"dropped": keys, "after_round": after_round},
        )
    return n


def restore_items(actor, study: Study, items) -> int:
    with transaction.atomic():
        keys = [i.key for i in items]
        n = Item.objects.filter(study=study, key__in=keys).update(dropped_after=None)
        record(
            actor,
            "consensus.items_changed",
            study,
            organisation=_org(study),
            new={"carried": keys},
        )
    return n


# --- the rule -----------------------------------------------------------------------------


def set_rule(actor, study: Study, rule: dict) -> Study:
    """Choose the rule before round 1 opens. Once locked, the attempt is refused and
    audited (the audit row commits; the change does not)."""
    spec = rules.validate(rule)  # ValueError on a bad spec
    if spec["kind"] == "rand_ucla" and study.criteria.exclude(scale_min=1, scale_max=9).exists():
        raise ValueError(_("The RAND/UCLA method is defined on the 1-9 scale only."))
    given = study
    with transaction.atomic():
        study = Study.objects.select_for_update().get(pk=study.pk)
        if study.rule_locked:
            record(
                actor,
                "consensus.rule_change_refused",
                study,
                organisation=_org(study),
                old={"rule": study.rule},
                new={"rule": spec},
                note="The rule was locked when round 1 opened.",
            )
            refused = True
        else:
            old = study.rule
            study.rule = spec
            study.save(update_fields=["rule"])
            record(
                actor,
                "consensus.rule_set",
                study,
                organisation=_org(study),
                old={"rule": old},
                new={"rule": spec},
            )
            refused = False
    if refused:
        raise RuleLocked("The consensus rule was fixed before round 1 opened.")
    given.rule = study.rule
    return study


# --- rounds -------------------------------------------------------------------------------


def open_round(actor, study: Study, *, items=None) -> Round:
    """Open the next round. Round 1 needs a rule, criteria and items, and locks the rule.
    Later rounds carry the items not dropped (default) or ``items``; the previous round must
    be closed."""
    given = study
    with transaction.atomic():
        study = Study.objects.select_for_update().get(pk=study.pk)
        rounds = list(study.rounds.select_for_update().order_by("number"))
        if any(r.status == "open" for r in rounds):
            raise ValueError(_("A round is already open."))
        draft = next((r for r in rounds if r.status == "draft"), None)
        number = draft.number if draft else len(rounds) + 1
        if number == 1:
            if not study.rule:
                raise ValueError(_("Choose the consensus rule before round 1 opens."))
            if not study.criteria.exists():
                raise ValueError(_("The study needs at least one criterion."))
        chosen = list(items) if items is not None else list(study.items.filter(dropped_after=None))
        if not chosen:
            raise ValueError(_("The round has no items."))
        if draft is None:
            draft = Round.objects.create(study=study, number=number)
        draft.items.set(chosen)
        draft.status = "open"
        draft.opened_at = timezone.now()
        draft.save(update_fields=["status", "opened_at"])
        if number == 1 and not study.rule_locked:
            study.rule_locked_at = timezone.now()
            study.rule_locked_by = actor if actor is not None and actor.is_authenticated else None
            study.save(update_fields=["rule_locked_at", "rule_locked_by"])
            record(
                actor,
                "consensus.rule_locked",
                study,
                organisation=_org(study),
                new={"rule": study.rule},
            )
        record(
            actor,
            "consensus.round_opened",
            study,
            organisation=_org(study),
            new={"round": number, "items": sorted(i.key for i in chosen)},
        )
    given.rule, given.rule_locked_at = study.rule, study.rule_locked_at
    given.rule_locked_by = study.rule_locked_by
    return draft


def close_round(actor, round: Round) -> Round:
    with transaction.atomic():
        round = Round.objects.select_for_update().select_related("study").get(pk=round.pk)
        if not round.is_open:
            raise RoundClosed
        round.status = "closed"
        round.closed_at = timezone.now()
        round.save(update_fields=["status", "closed_at"])
        record(
            actor,
            "consensus.round_closed",
            round.study,
            organisation=_org(round.study),
            new={
                "round": round.number,
                "submitted": round.submissions.count(),
                "panellists": round.study.panellists.filter(revoked_at=None).count(),
            },
        )
    return round


# --- the panel ----------------------------------------------------------------------------


def add_panellists(actor, study: Study, rows: list[dict]) -> list[Panellist]:
    """``rows``: dicts with email, group, and optionally name and language. All or none."""
    groups = dict(study.group_choices())
    made = []
    with transaction.atomic():
        for row in rows:
            if row.get("group") not in groups:
                raise ValueError(
                    _("Unknown stakeholder group: %(group)s") % {"group": row.get("group")}
                )
            language = row.get("language") or "nl"
            if language not in LANGUAGES:
                raise ValueError(_("Unknown language: %(language)s") % {"language": language})
            try:
                with transaction.atomic():
                    made.append(
                        Panellist.objects.create(
                            study=study,
                            email=row["email"].strip().lower(),
                            name=(row.get("name") or "").strip(),
                            group=row["group"],
                            language=language,
                        )
                    )
            except IntegrityError:
                raise ValueError(
                    _("%(email)s is already on the panel.") % {"email": row["email"]}
                ) from None
        record(
            actor,
            "consensus.panellists_changed",
            study,
            organisation=_org(study),
            new={"added": len(made)},
        )
    return made


def revoke_link(actor, panellist: Panellist, *, reissue: bool = False) -> Panellist:
    """Every earlier link stops working; ``reissue``: the panellist gets a new one (send it
    with ``send_invitations``), else they leave the panel."""
    with transaction.atomic():
        panellist = Panellist.objects.select_for_update().get(pk=panellist.pk)
        panellist.nonce = new_nonce()
        panellist.revoked_at = None if reissue else timezone.now()
        panellist.save(update_fields=["nonce", "revoked_at"])
        record(
            actor,
            "consensus.link_revoked",
            panellist.study,
            organisation=_org(panellist.study),
            new={"panellist": panellist.pk, "reissued": reissue},
        )
    return panellist


def forget_panellist(actor, panellist: Panellist) -> Panellist:
    """Erase a panellist's contact details (name, address) and end their link; their scores
    and comments stay, anonymous, in the results."""
    with transaction.atomic():
        panellist = Panellist.objects.select_for_update().get(pk=panellist.pk)
        panellist.name = ""
        panellist.email = f"removed-{panellist.pk}@invalid"
        panellist.nonce = new_nonce()
        panellist.revoked_at = panellist.revoked_at or timezone.now()
        panellist.save(update_fields=["name", "email", "nonce", "revoked_at"])
        record(
            actor,
            "consensus.panellists_changed",
            panellist.study,
            organisation=_org(panellist.study),
            new={"forgotten": panellist.pk},
        )
    return panellist


def unanswered(round: Round):
    """Panellists on the panel who have not submitted ``round``."""
    return round.study.panellists.filter(revoked_at=None).exclude(submissions__round=round)


def send_invitations(
    actor, study: Study, panellists, link_for, *, reminder: bool = False, since=None
) -> int:
    """Mail each panellist their personal link (``link_for(panellist)`` builds the absolute
    URL). Reminders go only to those who have not submitted the open round. Each message is
    sent on its own and its time stored once it has gone; ``since`` (a retried job's start)
    skips those already mailed since then, so a retry sends nobody a message twice. What was
    sent is audited even when the mail server fails midway (the error is raised after)."""
    from mango import mail

    round = study.rounds.filter(status="open").first()
    field = "reminded_at" if reminder else "invited_at"
    panellists = list(panellists)
    if reminder:
        if round is None:
            raise ValueError(_("Reminders need an open round."))
        waiting = set(unanswered(round).values_list("pk", flat=True))
        panellists = [p for p in panellists if p.pk in waiting]
    panellists = [p for p in panellists if p.revoked_at is None]
    if since is not None:
        panellists = [
            p for p in panellists if not (getattr(p, field) and getattr(p, field) >= since)
        ]
    sent = 0
    try:
        for p in panellists:
            mail.send(
                [p.email],
                "consensus/mail/reminder" if reminder else "consensus/mail/invitation",
                {
                    "study": study,
                    "question": localised(study.question, study_language(p)),
                    "link": link_for(p),
                    "panellist": p,
                    "round": round,
                },
                language=study_language(p),
            )
            Panellist.objects.filter(pk=p.pk).update(**{field: timezone.now()})
            sent += 1
    finally:
        with transaction.atomic():
            record(
                actor,
                "consensus.invited",
                study,
                organisation=_org(study),
                new={"kind": "reminder" if reminder else "invitation", "sent": sent},
            )
    return sent


# --- a panellist's answers ----------------------------------------------------------------


def _open(round: Round, panellist: Panellist) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.is_open:
        raise RoundClosed
    if round.study_id != panellist.study_id or panellist.revoked_at is not None:
        raise PermissionError
    return round


def save_answer(
    panellist: Panellist,
    round: Round,
    item: Item,
    scores: dict,
    *,
    comment: str | None = None,
) -> None:
    """Store a panellist's scores on one item (``{criterion_id: score | None}``; None is
    "unable to judge") and their comment. Scores outside a criterion's scale are refused."""
    with transaction.atomic():
        round = _open(round, panellist)
        if not round.items.filter(pk=item.pk).exists():
            raise ValueError("That item is not in this round.")
        criteria = {c.pk: c for c in round.study.criteria.all()}
        for cid, score in scores.items():
            criterion = criteria.get(int(cid))
            if criterion is None:
                raise ValueError("Unknown criterion.")
            if score is not None and not criterion.scale_min <= score <= criterion.scale_max:
                raise ValueError(
                    f"A score runs from {criterion.scale_min} to {criterion.scale_max}."
                )
            Rating.objects.update_or_create(
                round=round,
                item=item,
                criterion=criterion,
                panellist=panellist,
                defaults={"score": score},
            )
        if comment is not None:
            text = comment.strip()[:2000]
            if text:
                Comment.objects.update_or_create(
                    round=round, item=item, panellist=panellist, defaults={"text": text}
                )
            else:
                Comment.objects.filter(round=round, item=item, panellist=panellist).delete()


def propose(panellist: Panellist, round: Round, text: str) -> Proposal:
    text = (text or "").strip()
    if not text:
        raise ValueError(_("Write the statement you propose."))
    with transaction.atomic():
        round = _open(round, panellist)
        if round.number != 1:
            raise ValueError("New statements are proposed in round 1.")
        return Proposal.objects.create(round=round, panellist=panellist, text=text[:1000])


def submit(panellist: Panellist, round: Round) -> Submission:
    with transaction.atomic():
        round = _open(round, panellist)
        submission, _created = Submission.objects.get_or_create(round=round, panellist=panellist)
        return submission


# --- live sessions ------------------------------------------------------------------------


def create_live_session(actor, study: Study, *, name: str) -> LiveSession:
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return LiveSession.objects.create(study=study, name=name, created_by=actor)
            except IntegrityError:  # a room code already taken: draw again
                continue
        raise RuntimeError("No free room code.")


def live_show(actor, session: LiveSession, *, item: Item | None, mode: str = "rating"):
    """The facilitator puts an item on the screen (or the top-5 ranking)."""
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        session.mode = mode
        if item is not None:
            if item.study_id != session.study_id:
                raise ValueError("That item is not in this study.")
            if session.current_item_id != item.pk:
                last = (
                    LiveVote.objects.filter(session=session, item=item).aggregate(m=Max("ballot"))[
                        "m"
                    ]
                    or 1
                )
                session.ballot = last
            session.current_item = item
        session.save(update_fields=["mode", "current_item", "ballot"])
    return session


def live_revote(actor, session: LiveSession) -> LiveSession:
    """A new ballot on the current (undecided) item: earlier votes stay, the screen shows the
    new ballot."""
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        if session.current_item_id is None:
            raise ValueError(_("No item on the screen."))
        session.ballot += 1
        session.mode = "rating"
        session.save(update_fields=["ballot", "mode"])
    return session


def live_join(session: LiveSession, group: str) -> LiveParticipant:
    if group not in dict(session.study.group_choices()):
        raise ValueError(_("Choose your stakeholder group."))
    return LiveParticipant.objects.create(session=session, group=group)


def live_vote(participant: LiveParticipant, criterion: Criterion, score: int | None) -> LiveVote:
    with transaction.atomic():
        session = LiveSession.objects.get(pk=participant.session_id)
        if session.mode != "rating" or session.current_item_id is None:
            raise RoundClosed
        if criterion.study_id != session.study_id:
            raise ValueError("Unknown criterion.")
        if score is not None and not criterion.scale_min <= score <= criterion.scale_max:
            raise ValueError(f"A score runs from {criterion.scale_min} to {criterion.scale_max}.")
        vote, _created = LiveVote.objects.update_or_create(
            session=session,
            participant=participant,
            item_id=session.current_item_id,
            criterion=criterion,
            ballot=session.ballot,
            defaults={"score": score},
        )
        return vote


def live_rank(participant: LiveParticipant, items: list[Item]) -> None:
    """A participant's top 5, first choice first (replaces their earlier ranking)."""
    if len(items) != len({i.pk for i in items}):
        raise ValueError("Choose each statement once.")
    if not 1 <= len(items) <= 5:
        raise ValueError("Choose one to five statements.")
    with transaction.atomic():
        session = LiveSession.objects.get(pk=participant.session_id)
        if session.mode != "ranking":
            raise RoundClosed
        if any(i.study_id != session.study_id for i in items):
            raise ValueError("Unknown statement.")
        LiveRanking.objects.filter(session=session, participant=participant).delete()
        LiveRanking.objects.bulk_create(
            LiveRanking(session=session, participant=participant, item=i, rank=n)
            for n, i in enumerate(items, 1)
        )


def decide(actor, session: LiveSession, item: Item, *, decision: str, rationale: str) -> Decision:
    if decision not in {"in", "out", "undecided"}:
        raise ValueError("Unknown decision.")
    with transaction.atomic():
        if item.study_id != session.study_id:
            raise ValueError("That item is not in this study.")
        row, _created = Decision.objects.update_or_create(
            session=session,
            item=item,
            defaults={
                "decision": decision,
                "rationale": rationale.strip(),
                "decided_by": actor,
                "decided_at": timezone.now(),
            },
        )
        record(
            actor,
            "consensus.decided",
            session.study,
            organisation=_org(session.study),
            new={"session": session.pk, "item": item.key, "decision": decision},
        )
    return row


# --- accepted items into a codebook -------------------------------------------------------


def items_to_codebook(actor, study: Study, items, codebook, *, parent_key: str = "") -> int:
    """Accepted items become codes in a new version of ``codebook`` (through the workbench's
    own ``save_codebook``, which bumps and snapshots the version and audits it). Each item
    keeps the code it became, and the code's definition names the study and item."""
    from django.utils.text import slugify

    from mango.research.actions import save_codebook

    items = [i for i in items if i.became_code_id is None]
    if not items:
        return 0
    with transaction.atomic():
        existing = set(codebook.codes.values_list("key", flat=True))
        order = (codebook.codes.aggregate(m=Max("order"))["m"] or 0) + 1
        codes, keys = [], {}
        for n, item in enumerate(items):
            base = slugify(f"consensus-{study.pk}-{item.key}")[:55] or f"consensus-{item.pk}"
            key, k = base, 2
            while key in existing:
                key, k = f"{base}-{k}", k + 1
            existing.add(key)
            keys[item.pk] = key
            # The code's base text is English (exports and REFI-QDA read it); Dutch and French
            # go into their own fields, as the codebooks keep them.
            texts = item.text if isinstance(item.text, dict) else {"en": str(item.text or "")}
            english = localised(texts, "en")
            codes.append(
                {
                    "key": key,
                    "label": english[:200],
                    "label_nl": (texts.get("nl") or "")[:200],
                    "label_fr": (texts.get("fr") or "")[:200],
                    "parent": parent_key or None,
                    "definition": english,
                    "definition_nl": texts.get("nl") or "",
                    "definition_fr": texts.get("fr") or "",
                    "examples": f"Consensus study {study.pk} ({study.title}), item {item.key}",
                    "order": order + n,
                    "active": True,
                }
            )
        codebook = save_codebook(actor, codebook, fields={}, codes=codes)
        by_key = {c.key: c for c in codebook.codes.filter(key__in=keys.values())}
        for item in items:
            Item.objects.filter(pk=item.pk).update(
                became_code=by_key[keys[item.pk]], became_version=codebook.version
            )
        record(
            actor,
            "consensus.codes_created",
            study,
            organisation=_org(study),
            new={
                "codebook": codebook.slug,
                "version": codebook.version,
                "items": [i.key for i in items],
            },
        )
    return len(items)
