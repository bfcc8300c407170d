"""Demo data for the IOM International Dialogue on Migration Intersessional Workshop
"Developing Capacity to Manage Migration", Geneva, 27-28 September 2005.

Everything about people here is FICTIONAL: names are invented combinations, every e-mail
address uses the reserved domain example.org, and no entry describes a real person.
Countries, regions and the IOM unit names are real-world context only.

Sources for the shape of the data (see /work/shared/seeds):
* seed 000 - the workshop itself: break-out groups A-E, tri-lingual (en/es/fr) rooms A-C and
  English-only rooms D-E, IOM staff co-facilitating the sessions on EMM 2.6 (Migration and
  Labour) and EMM 3.12 (Counter-Trafficking), facilitators rotating between rooms;
* seed 004 (MC/INF/269) - IOM's four regions, the region keys of `workshops.reference`;
* seed 002 (MC/INF/265) - the kinds of government bodies that request capacity building.

Pure Python, no Django imports. Language codes are ISO 639-1 and are all in
workshops.languages.LANGUAGE_CODES. The first language of each country is its name group:
GIVEN_NAMES and FAMILY_NAMES have a key for every such first language. Family names in each
group are gender-neutral, so any given name can be paired with any family name of its group.
"""

from workshops import reference  # absolute: plain data that stays in workshops wherever the demo lives

# The demo's 45 delegations: (ISO 3166-1 alpha-2 code, region key, primary languages as ISO 639-1
# codes), as `workshops.reference` holds them, in its order.
DEMO_COUNTRY_CODES = frozenset(
    "MX GT SV CR CO PE BO AR CL DO HT BR CA ES FR BE CH DE IT PT GB RU UA SN ML CI CM CD MA TN EG JO LB NG KE AO "
    "PH CN TH VN ID PK BD JP AU".split()
)
COUNTRIES = [country for country in reference.COUNTRIES if country[0] in DEMO_COUNTRY_CODES]

# Per language / culture group; combined at random they give invented names.
GIVEN_NAMES = {
    "es": [
        "Alejandro",
        "María José",
        "Carlos",
        "Lucía",
        "Javier",
        "Gabriela",
        "Andrés",
        "Valentina",
        "Diego",
        "Carmen",
        "Ricardo",
        "Patricia",
    ],
    "fr": [
        "Claire",
        "Jean-Luc",
        "Mathilde",
        "François",
        "Isabelle",
        "Olivier",
        "Hélène",
        "Mamadou",
        "Aïssatou",
        "Moussa",
        "Fatou",
        "Serge",
    ],
    "en": [
        "Sarah",
        "Michael",
        "Grace",
        "David",
        "Catherine",
        "James",
        "Rachel",
        "Daniel",
        "Chinedu",
        "Wanjiru",
        "Joseph",
        "Angela",
    ],
    "ar": [
        "Ahmed",
        "Fatima",
        "Youssef",
        "Leila",
        "Karim",
        "Nadia",
        "Omar",
        "Samira",
        "Hassan",
        "Rania",
        "Tarek",
        "Amal",
    ],
    "ru": ["Dmitri", "Elena", "Sergei", "Olga", "Alexei", "Natalia", "Igor", "Tatiana", "Andrei", "Svetlana"],
    "uk": ["Oksana", "Taras", "Iryna", "Bohdan", "Olena", "Mykola", "Nataliya", "Andriy", "Yuliya", "Petro"],
    "zh": ["Wei", "Xiaoling", "Jianguo", "Mei", "Hong", "Lei", "Yan", "Jun", "Fang", "Hao"],
    "pt": ["João", "Ana Paula", "Pedro", "Mariana", "Luís", "Beatriz", "Rafael", "Fernanda", "Domingos", "Esperança"],
    "de": ["Katrin", "Stefan", "Anja", "Thomas", "Sabine", "Markus", "Julia", "Andreas", "Claudia", "Matthias"],
    "it": ["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Elena", "Paolo", "Silvia", "Davide"],
    "nl": ["Sanne", "Pieter", "Lotte", "Bram", "Eline", "Joost", "Marieke", "Wouter", "Inge", "Koen"],
    "th": ["Somchai", "Siriporn", "Anan", "Kanya", "Prasert", "Malee", "Niran", "Wanida", "Chaiwat", "Ratana"],
    # Written without diacritics, as in Vietnamese passports.
    "vi": ["Minh", "Lan", "Tuan", "Huong", "Duc", "Thu", "Quang", "Mai", "Hai", "Linh"],
    "id": ["Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Andi", "Ratna", "Hendra", "Indah"],
    "ur": ["Imran", "Ayesha", "Bilal", "Sana", "Farhan", "Zainab", "Usman", "Hina", "Kamran", "Saima"],
    "bn": ["Rahim", "Nusrat", "Tanvir", "Farzana", "Arif", "Sharmin", "Kamal", "Rumana", "Shafiq", "Tahmina"],
    "ja": ["Yuki", "Haruto", "Akiko", "Kenji", "Naoko", "Takeshi", "Emi", "Hiroshi", "Sachiko", "Daisuke"],
}

FAMILY_NAMES = {
    "es": [
        "García",
        "Rodríguez",
        "Martínez",
        "Hernández",
        "López",
        "González",
        "Pérez",
        "Sánchez",
        "Ramírez",
        "Torres",
        "Flores",
        "Morales",
    ],
    "fr": [
        "Dubois",
        "Lefèvre",
        "Moreau",
        "Girard",
        "Laurent",
        "Fontaine",
        "Diallo",
        "Ndiaye",
        "Traoré",
        "Kouassi",
        "Mbarga",
        "Pierre-Louis",
    ],
    "en": [
        "Thompson",
        "Mitchell",
        "Okafor",
        "Adeyemi",
        "Kamau",
        "Otieno",
        "Reyes",
        "Santos",
        "Campbell",
        "Harris",
        "Walsh",
        "Bennett",
    ],
    "ar": ["El Amrani", "Haddad", "Mansour", "Khalil", "Ben Salah", "Nasser", "Farouk", "Saleh", "Bouzid", "Hamdi"],
    # Invariable surnames (no -ov/-ova forms), so they suit any given name.
    "ru": [
        "Chernykh",
        "Sedykh",
        "Belykh",
        "Dolgikh",
        "Kruglykh",
        "Moroz",
        "Shevchuk",
        "Lukashevich",
        "Gurevich",
        "Kovalenko",
    ],
    "uk": [
        "Tkachenko",
        "Melnyk",
        "Bondarenko",
        "Kravchuk",
        "Savchuk",
        "Lysenko",
        "Marchenko",
        "Hrytsenko",
        "Rudenko",
        "Koval",
    ],
    "zh": ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"],
    "pt": ["Silva", "Santos", "Ferreira", "Oliveira", "Costa", "Pereira", "Almeida", "Carvalho", "Sousa", "Mendes"],
    "de": ["Müller", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Schulz", "Keller", "Brunner"],
    "it": ["Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti"],
    "nl": ["Janssens", "Peeters", "Maes", "De Smet", "Willems", "Claes", "Goossens", "Wouters", "De Vos", "Vermeulen"],
    "th": [
        "Srisuk",
        "Wongsawat",
        "Chaiyaporn",
        "Thongchai",
        "Phromsuwan",
        "Kittisak",
        "Boonmee",
        "Rattanakul",
        "Saetang",
        "Chanthawong",
    ],
    "vi": ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do", "Ngo"],
    "id": ["Santoso", "Wijaya", "Hidayat", "Kusuma", "Pratama", "Saputra", "Nugroho", "Siregar", "Harahap", "Wibowo"],
    "ur": ["Qureshi", "Siddiqui", "Malik", "Chaudhry", "Butt", "Rana", "Sheikh", "Hashmi", "Javed", "Anwar"],
    "bn": ["Rahman", "Hossain", "Chowdhury", "Sarkar", "Haque", "Talukder", "Bhuiyan", "Majumder", "Siddique", "Kabir"],
    "ja": ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Nakamura", "Kobayashi", "Yamamoto", "Kato"],
}

# Generic government bodies that send delegates to IOM capacity-building workshops.
ORGANISATIONS = [
    "Ministry of Labour",
    "Ministry of the Interior",
    "Ministry of Foreign Affairs",
    "Ministry of Justice",
    "Ministry of Health",
    "Ministry of Social Affairs",
    "Ministry of Planning and Development",
    "Department of Immigration",
    "Directorate General of Migration",
    "Border Police",
    "National Police, Anti-Trafficking Unit",
    "National Statistics Office",
    "Office for Nationals Abroad",
    "Overseas Employment Bureau",
    "Refugee and Asylum Office",
    "Permanent Mission to the United Nations in Geneva",
]

# Exactly 12 fictional IOM staff. Everyone speaks English (facilitators rotate into the
# English-only rooms D and E); 5 also speak Spanish and 6 French for the tri-lingual rooms.
# Expertise: 6 on EMM 2.6 (labour migration), 6 on EMM 3.12 (irregular migration /
# counter-trafficking), 2 on both.
FACILITATORS = [
    {
        "name": "Lucía Ferrer Aldana",
        "email": "l.ferrer@example.org",
        "organisation": "IOM Labour Migration Service",
        "languages": ["en", "es", "fr"],
        "expertise": ["2.6", "2.3"],
    },
    {
        "name": "Tomás Iriarte",
        "email": "t.iriarte@example.org",
        "organisation": "IOM Migration Policy and Research Programme",
        "languages": ["en", "es"],
        "expertise": ["2.6", "1.8"],
    },
    {
        "name": "Hélène Marchetti",
        "email": "h.marchetti@example.org",
        "organisation": "IOM Labour Migration Service",
        "languages": ["en", "fr"],
        "expertise": ["2.6", "2.5"],
    },
    {
        "name": "Sofía Durand-Pacheco",
        "email": "s.durand@example.org",
        "organisation": "IOM Technical Cooperation on Migration",
        "languages": ["en", "es", "fr"],
        "expertise": ["2.6", "3.12"],
    },
    {
        "name": "Karim Benhaddou",
        "email": "k.benhaddou@example.org",
        "organisation": "IOM Counter-Trafficking Service",
        "languages": ["en", "fr", "ar"],
        "expertise": ["3.12", "2.6"],
    },
    {
        "name": "Nadezhda Orlovskaya",
        "email": "n.orlovskaya@example.org",
        "organisation": "IOM Technical Cooperation on Migration",
        "languages": ["en", "ru"],
        "expertise": ["2.6", "2.1"],
    },
    {
        "name": "Paulo Mendonça",
        "email": "p.mendonca@example.org",
        "organisation": "IOM Counter-Trafficking Service",
        "languages": ["en", "es", "pt"],
        "expertise": ["3.12", "3.3"],
    },
    {
        "name": "Awa Sissoko",
        "email": "a.sissoko@example.org",
        "organisation": "IOM Mission with Regional Functions, Dakar",
        "languages": ["en", "fr"],
        "expertise": ["3.12", "3.9"],
    },
    {
        "name": "Martín Olaguíbel",
        "email": "m.olaguibel@example.org",
        "organisation": "IOM Counter-Trafficking Service",
        "languages": ["en", "es"],
        "expertise": ["3.12", "2.10"],
    },
    {
        "name": "Étienne Roussel",
        "email": "e.roussel@example.org",
        "organisation": "IOM Assisted Voluntary Return and Reintegration",
        "languages": ["en", "fr"],
        "expertise": ["3.12", "1.5"],
    },
    {
        "name": "Yuning Zhou",
        "email": "y.zhou@example.org",
        "organisation": "IOM Migration Policy and Research Programme",
        "languages": ["en", "zh"],
        "expertise": ["1.2", "1.7"],
    },
    {
        "name": "Katharina Oberholzer",
        "email": "k.oberholzer@example.org",
        "organisation": "IOM Technical Cooperation on Migration",
        "languages": ["en", "de"],
        "expertise": ["3.3", "3.10"],
    },
]

ORGANISER = {
    "username": "organiser",
    "name": "Margaret Ellery",
    "email": "organiser@example.org",
}

# The 2005 event's plenary programme around its two break-out sessions (27 September, 11:00–13:00
# and 15:00–17:00): the seed's presentation ("Today's Presentation – Two Goals": the IAMM and the
# EMM, and the plans for the break-outs; "Questions and Discussion"), the next day's report-back
# and "The Way Forward". (day, start, end, kind, title, place) with texts in English, Spanish, French.
_HALL = ("Main hall", "Sala principal", "Salle principale")
_FOYER = ("Foyer", "Vestíbulo", "Foyer")
_RESTAURANT = ("Restaurant", "Restaurante", "Restaurant")
PROGRAMME = [
    (
        27,
        "09:30",
        "10:00",
        "opening",
        ("Opening of the workshop", "Apertura del taller", "Ouverture de l’atelier"),
        _HALL,
    ),
    (
        27,
        "10:00",
        "10:40",
        "presentation",
        (
            "New capacity-building tools: the IAMM and the EMM",
            "Nuevas herramientas de fortalecimiento de capacidades: la AIGM y los EGM",
            "Nouveaux outils de renforcement des capacités\u00a0: l’AIGM et les EGM",
        ),
        _HALL,
    ),
    (27, "10:40", "11:00", "break", ("Coffee break", "Pausa para el café", "Pause café"), _FOYER),
    (27, "13:00", "15:00", "meal", ("Lunch", "Almuerzo", "Déjeuner"), _RESTAURANT),
    (
        27,
        "17:00",
        "17:30",
        "other",
        ("Questions and discussion", "Preguntas y debate", "Questions et débat"),
        _HALL,
    ),
    (
        28,
        "09:30",
        "11:00",
        "report_back",
        (
            "Report-back from the break-out sessions",
            "Informe de las sesiones de grupo",
            "Restitution des sessions en groupes",
        ),
        _HALL,
    ),
    (28, "11:00", "11:20", "break", ("Coffee break", "Pausa para el café", "Pause café"), _FOYER),
    (
        28,
        "11:20",
        "12:30",
        "presentation",
        (
            "The way forward: putting the EMM to use",
            "El camino a seguir: poner en práctica los EGM",
            "La voie à suivre\u00a0: mettre les EGM en pratique",
        ),
        _HALL,
    ),
    (
        28,
        "12:30",
        "13:00",
        "closing",
        ("Closing of the workshop", "Clausura del taller", "Clôture de l’atelier"),
        _HALL,
    ),
    (28, "13:00", "14:30", "meal", ("Farewell lunch", "Almuerzo de despedida", "Déjeuner d’adieu"), _RESTAURANT),
]
