"""The ready-made evaluation questions: the usual level-1 (reaction) training evaluation, in three languages.

After each session: relevance, facilitation, the curriculum section, interpretation (asked only in
rooms with interpretation) and open comments; once for the whole workshop: the same, with
organisation. Organisers change them per workshop (`organise/<slug>/evaluation/`).
"""

from .enums import EvaluationKind, EvaluationScope, EvaluationTopic

SESSION, WORKSHOP = EvaluationScope.SESSION, EvaluationScope.WORKSHOP
SCALE, TEXT = EvaluationKind.SCALE, EvaluationKind.TEXT

DEFAULT_EVALUATION_QUESTIONS = [
    {
        "scope": SESSION,
        "topic": EvaluationTopic.RELEVANCE,
        "kind": SCALE,
        "text": {
            "en": "How relevant was the content of this session to your work?",
            "es": "¿Qué pertinencia tuvo el contenido de esta sesión para su trabajo?",
            "fr": "Dans quelle mesure le contenu de cette session était-il pertinent pour votre travail\u00a0?",
        },
    },
    {
        "scope": SESSION,
        "topic": EvaluationTopic.FACILITATION,
        "kind": SCALE,
        "text": {
            "en": "How would you rate the quality of the facilitation?",
            "es": "¿Cómo valora la calidad de la facilitación?",
            "fr": "Comment évaluez-vous la qualité de l'animation\u00a0?",
        },
    },
    {
        "scope": SESSION,
        "topic": EvaluationTopic.CURRICULUM,
        "kind": SCALE,
        "text": {
            "en": "How useful was the curriculum section discussed in this session?",
            "es": "¿Qué utilidad tuvo la sección del programa tratada en esta sesión?",
            "fr": "Quelle a été l'utilité de la section du programme étudiée dans cette session\u00a0?",
        },
    },
    {
        "scope": SESSION,
        "topic": EvaluationTopic.INTERPRETATION,
        "kind": SCALE,
        "text": {
            "en": "How would you rate the interpretation in your room?",
            "es": "¿Cómo valora la interpretación en su sala?",
            "fr": "Comment évaluez-vous l'interprétation dans votre salle\u00a0?",
        },
    },
    {
        "scope": SESSION,
        "topic": EvaluationTopic.COMMENTS,
        "kind": TEXT,
        "text": {
            "en": "Any other comments on this session?",
            "es": "¿Algún otro comentario sobre esta sesión?",
            "fr": "Avez-vous d'autres commentaires sur cette session\u00a0?",
        },
    },
    {
        "scope": WORKSHOP,
        "topic": EvaluationTopic.RELEVANCE,
        "kind": SCALE,
        "text": {
            "en": "How relevant was the workshop as a whole to your work?",
            "es": "¿Qué pertinencia tuvo el taller en su conjunto para su trabajo?",
            "fr": "Dans quelle mesure l'atelier dans son ensemble était-il pertinent pour votre travail\u00a0?",
        },
    },
    {
        "scope": WORKSHOP,
        "topic": EvaluationTopic.FACILITATION,
        "kind": SCALE,
        "text": {
            "en": "How would you rate the facilitation across the workshop?",
            "es": "¿Cómo valora la facilitación a lo largo del taller?",
            "fr": "Comment évaluez-vous l'animation tout au long de l'atelier\u00a0?",
        },
    },
    {
        "scope": WORKSHOP,
        "topic": EvaluationTopic.CURRICULUM,
        "kind": SCALE,
        "text": {
            "en": "How useful is the EMM curriculum for your work?",
            "es": "¿Qué utilidad tiene el programa del EMM para su trabajo?",
            "fr": "Quelle est l'utilité du programme de l'EMM pour votre travail\u00a0?",
        },
    },
    {
        "scope": WORKSHOP,
        "topic": EvaluationTopic.INTERPRETATION,
        "kind": SCALE,
        "text": {
            "en": "How would you rate the interpretation during the workshop?",
            "es": "¿Cómo valora la interpretación durante el taller?",
            "fr": "Comment évaluez-vous l'interprétation pendant l'atelier\u00a0?",
        },
    },
    {
        "scope": WORKSHOP,
        "topic": EvaluationTopic.ORGANISATION,
        "kind": SCALE,
        "text": {
            "en": "How would you rate the organisation of the workshop (information, rooms, timing)?",
            "es": "¿Cómo valora la organización del taller (información, salas, horarios)?",
            "fr": "Comment évaluez-vous l'organisation de l'atelier (informations, salles, horaires)\u00a0?",
        },
    },
    {
        "scope": WORKSHOP,
        "topic": EvaluationTopic.COMMENTS,
        "kind": TEXT,
        "text": {
            "en": "What should we keep, or change, for the next workshop?",
            "es": "¿Qué deberíamos mantener, o cambiar, para el próximo taller?",
            "fr": "Que devrions-nous garder, ou changer, pour le prochain atelier\u00a0?",
        },
    },
]
