"""Every table that belongs to a workshop is in its backup, or is left out for a reason said here."""

from django.apps import apps

from organise.backup_tables import KINDS

# Written out by hand in organise/backup.py.
BY_HAND = {
    "workshops.workshop",
    "workshops.languagemode",
    "workshops.room",
    "workshops.group",
    "workshops.breakoutsession",
    "workshops.participant",
    "workshops.facilitator",
    "workshops.availability",
    "workshops.assignment",
    "workshops.invitation",
    "worksheets.question",
    "worksheets.worksheet",
    "worksheets.answer",
    "worksheets.teamnote",
    "workshops.facilitator_expertise",
    "workshops.workshop_organisers",
}
# Not kept, on purpose: each with its reason (README, "Backup and restore").
NOT_KEPT = {
    "workshops.schedulerun": "proposals of the solver: run it again",
    "workshops.schedulechange": "the board's undo history belongs to one database's rows",
    "workshops.job": "background work and its files: made again on demand",
    "workshops.importupload": "an uploaded registration file, deleted once imported",
    "workshops.importmapping": "column choices remembered for the next file: made again on the next import",
    "workshops.spentlink": "one-time links of this database",
    "workshops.ratelimit": "counters of this database",
    "workshops.rotationrepair": "repair proposals hold this database's ids, as solver runs do; an applied one is in the schedule",
    "workshops.rotationrepair_sessions": "the sessions a repair proposal names (not kept, as the proposals)",
    "workshops.announcementdismissal": "who closed a banner, by the login behind their link, which a restore does not keep",
}


def _belongs_to_a_workshop(model, seen=()) -> bool:
    if model._meta.label_lower == "workshops.workshop":
        return True
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model and field.related_model not in seen:
            related = field.related_model
            if related._meta.app_label in ("workshops", "worksheets") and _belongs_to_a_workshop(
                related, (*seen, model)
            ):
                return True
    return False


def test_every_workshop_table_is_backed_up_or_left_out_with_a_reason():
    declared = {kind.model._meta.label_lower for kind in KINDS}
    owned = {
        model._meta.label_lower
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in ("workshops", "worksheets") and _belongs_to_a_workshop(model)
    }
    unaccounted = owned - BY_HAND - declared - set(NOT_KEPT)
    assert not unaccounted, f"add these to organise/backup_tables.KINDS, or to NOT_KEPT with a reason: {unaccounted}"
    assert not (declared & BY_HAND)


def test_kinds_refer_only_to_what_is_named_or_written_before():
    written = set()
    for kind in KINDS:
        for _field, what in kind.relations:
            assert what in ("workshop", "session", "participant", "facilitator", "group", "room", "user") or (
                what in written and next(k for k in KINDS if k.key == what).keyed
            ), (kind.key, what)
        written.add(kind.key)
