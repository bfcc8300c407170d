"""The default worksheet, after the goals of the 2005 break-out sessions.

"Get your responses to the EMM, both in substance and in form. Stimulate your thinking about
how the EMM and other capacity building tools could be integrated into your work in building
the capacity to manage migration, and what new capacity building tools are needed for the
future." The worksheet is "for your personal use (take your thoughts home with you)".
"""

from .enums import QuestionKind

DEFAULT_QUESTIONS = [
    {
        "kind": QuestionKind.LONG_TEXT,
        "text": {
            "en": "What is your response to the substance of this section?",
            "es": "¿Qué opina del contenido de esta sección?",
            "fr": "Que pensez-vous du contenu de cette section\u00a0?",
        },
        "help_text": {
            "en": "Is it accurate, complete and relevant to the migration realities you work with?",
            "es": "¿Es exacto, completo y pertinente para las realidades migratorias con las que trabaja?",
            "fr": "Est-il exact, complet et pertinent au regard des réalités migratoires que vous traitez\u00a0?",
        },
    },
    {
        "kind": QuestionKind.LONG_TEXT,
        "text": {
            "en": "What is your response to its form?",
            "es": "¿Qué opina de su forma?",
            "fr": "Que pensez-vous de sa forme\u00a0?",
        },
        "help_text": {
            "en": "Structure, guiding questions, key messages, exercises, language, length.",
            "es": "Estructura, preguntas orientativas, mensajes clave, ejercicios, lenguaje, extensión.",
            "fr": "Structure, questions d'orientation, messages clés, exercices, langue, longueur.",
        },
    },
    {
        "kind": QuestionKind.SCALE,
        "text": {
            "en": "How useful would this section be in your work?",
            "es": "¿Qué utilidad tendría esta sección en su trabajo?",
            "fr": "Dans quelle mesure cette section serait-elle utile dans votre travail\u00a0?",
        },
        "help_text": {
            "en": "1: not useful; 5: very useful.",
            "es": "1: nada útil; 5: muy útil.",
            "fr": "1\u00a0: pas utile\u00a0; 5\u00a0: très utile.",
        },
    },
    {
        "kind": QuestionKind.LONG_TEXT,
        "text": {
            "en": "How could the EMM and other capacity-building tools be integrated into your work in building the capacity to manage migration?",
            "es": "¿Cómo podrían integrarse el EMM y otras herramientas de fortalecimiento de capacidades en su labor para desarrollar la capacidad de gestionar la migración?",
            "fr": "Comment l'EMM et d'autres outils de renforcement des capacités pourraient-ils être intégrés à votre travail de renforcement des capacités de gestion des migrations\u00a0?",
        },
        "help_text": {"en": "", "es": "", "fr": ""},
    },
    {
        "kind": QuestionKind.LONG_TEXT,
        "text": {
            "en": "What new capacity-building tools are needed for the future?",
            "es": "¿Qué nuevas herramientas de fortalecimiento de capacidades se necesitarán en el futuro?",
            "fr": "De quels nouveaux outils de renforcement des capacités aura-t-on besoin à l'avenir\u00a0?",
        },
        "help_text": {"en": "", "es": "", "fr": ""},
    },
    {
        "kind": QuestionKind.LONG_TEXT,
        "text": {
            "en": "Personal notes",
            "es": "Notas personales",
            "fr": "Notes personnelles",
        },
        "help_text": {
            "en": "Thoughts to take home with you.",
            "es": "Ideas para llevarse a casa.",
            "fr": "Des idées à emporter chez vous.",
        },
        "never_shared": True,  # for the participant alone, even when they share the worksheet
    },
]
