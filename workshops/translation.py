from modeltranslation.translator import TranslationOptions, register

from .models import Announcement, BreakoutSession, Group, LanguageMode, ProgrammeItem, Room, Workshop


@register(Workshop)
class WorkshopTranslationOptions(TranslationOptions):
    fields = ("title", "series", "description", "venue", "invitation_note")


@register(LanguageMode)
class LanguageModeTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Room)
class RoomTranslationOptions(TranslationOptions):
    fields = ("name", "directions")


@register(Group)
class GroupTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(BreakoutSession)
class BreakoutSessionTranslationOptions(TranslationOptions):
    fields = ("title", "guide_questions", "guide_messages", "guide_exercises")


@register(Announcement)
class AnnouncementTranslationOptions(TranslationOptions):
    fields = ("message",)


@register(ProgrammeItem)
class ProgrammeItemTranslationOptions(TranslationOptions):
    fields = ("title", "place", "description")
