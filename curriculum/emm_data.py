"""Reference data for IOM's Essentials of Migration Management (EMM) and the Berne
Initiative's International Agenda for Migration Management (IAMM).

Source: the slides "New Capacity Building Tools on Migration Management" presented at the
IOM International Dialogue on Migration Intersessional Workshop "Developing Capacity to
Manage Migration", Geneva, 27-28 September 2005 (seed 000). From those slides come:

* the EMM structure - 3 volumes, 32 sections, with their numbers and English titles
  exactly as listed on the slides;
* the IAMM examples - the 6 common understandings and 13 effective practice topics of the
  "Some Examples" slide, in the slides' order.

The section and volume summaries, the Spanish and French translations, and SAMPLE_ITEMS were
written for this application; they are not IOM's text.

Pure Python, no Django imports: loaders and tests import this module directly.
Every translatable value is a dict with the keys "en", "es" and "fr". French text follows French
typography: a no-break space (U+00A0) precedes "?", ":", ";" and "!".
"""

VOLUMES = [
    {
        "number": 1,
        "title": {
            "en": "Migration Management Foundations",
            "es": "Fundamentos de la gestión de la migración",
            "fr": "Fondements de la gestion des migrations",
        },
        "summary": {
            "en": "Sets out the concepts, legal framework and institutional basics on which any national migration management system rests.",
            "es": "Expone los conceptos, el marco jurídico y los fundamentos institucionales sobre los que descansa todo sistema nacional de gestión de la migración.",
            "fr": "Expose les concepts, le cadre juridique et les bases institutionnelles sur lesquels repose tout système national de gestion des migrations.",
        },
    },
    {
        "number": 2,
        "title": {
            "en": "Developing Migration Policy",
            "es": "Elaboración de políticas migratorias",
            "fr": "Élaboration des politiques migratoires",
        },
        "summary": {
            "en": "Examines how migration intersects with other policy areas such as labour, development, health, security and gender.",
            "es": "Examina la relación de la migración con otros ámbitos de política, como el trabajo, el desarrollo, la salud, la seguridad y el género.",
            "fr": "Examine les liens entre les migrations et d'autres domaines d'action publique tels que le travail, le développement, la santé, la sécurité et le genre.",
        },
    },
    {
        "number": 3,
        "title": {
            "en": "Managing Migration",
            "es": "Gestión de la migración",
            "fr": "Gestion des migrations",
        },
        "summary": {
            "en": "Covers the operational systems States use to manage migration, from passports, visas and borders to integration, return and irregular migration.",
            "es": "Abarca los sistemas operativos que utilizan los Estados para gestionar la migración, desde los pasaportes, los visados y las fronteras hasta la integración, el retorno y la migración irregular.",
            "fr": "Couvre les systèmes opérationnels que les États utilisent pour gérer les migrations, des passeports, des visas et des frontières jusqu'à l'intégration, au retour et à la migration irrégulière.",
        },
    },
]


def _section(number, title, summary):
    return {"number": number, "volume": int(number.split(".")[0]), "title": title, "summary": summary}


SECTIONS = [
    # ---- Volume One: Migration Management Foundations ----
    _section(
        "1.1",
        {"en": "Terminology", "es": "Terminología", "fr": "Terminologie"},
        {
            "en": "Introduces the core vocabulary of migration management so that officials from different countries can work with a common terminology.",
            "es": "Presenta el vocabulario básico de la gestión de la migración para que funcionarios de distintos países puedan trabajar con una terminología común.",
            "fr": "Présente le vocabulaire de base de la gestion des migrations afin que des fonctionnaires de différents pays puissent travailler avec une terminologie commune.",
        },
    ),
    _section(
        "1.2",
        {
            "en": "Conceptual Model for Migration Management",
            "es": "Modelo conceptual para la gestión de la migración",
            "fr": "Modèle conceptuel de gestion des migrations",
        },
        {
            "en": "Presents a framework that organizes migration management into four main areas (migration and development, facilitating migration, regulating migration and forced migration) together with cross-cutting issues.",
            "es": "Presenta un marco que organiza la gestión de la migración en cuatro ámbitos principales —migración y desarrollo, facilitación de la migración, regulación de la migración y migración forzosa—, junto con cuestiones transversales.",
            "fr": "Présente un cadre qui organise la gestion des migrations en quatre grands domaines – migration et développement, facilitation des migrations, régulation des migrations et migration forcée –, ainsi que des questions transversales.",
        },
    ),
    _section(
        "1.3",
        {"en": "Migration and History", "es": "Migración e historia", "fr": "Migrations et histoire"},
        {
            "en": "Traces major migration movements in history to show how past flows have shaped today's societies and migration policies.",
            "es": "Recorre los principales movimientos migratorios de la historia para mostrar cómo los flujos del pasado han configurado las sociedades y las políticas migratorias actuales.",
            "fr": "Retrace les grands mouvements migratoires de l'histoire pour montrer comment les flux passés ont façonné les sociétés et les politiques migratoires d'aujourd'hui.",
        },
    ),
    _section(
        "1.4",
        {
            "en": "Authority and Responsibility of States",
            "es": "Autoridad y responsabilidad de los Estados",
            "fr": "Autorité et responsabilité des États",
        },
        {
            "en": "Examines the sovereign authority of States to regulate the entry and stay of non-nationals and the responsibilities that accompany it.",
            "es": "Examina la autoridad soberana de los Estados para regular la entrada y la permanencia de extranjeros, así como las responsabilidades que esta conlleva.",
            "fr": "Examine l'autorité souveraine des États en matière de réglementation de l'entrée et du séjour des non-ressortissants, ainsi que les responsabilités qui en découlent.",
        },
    ),
    _section(
        "1.5",
        {
            "en": "Rights and Obligations of Migrants",
            "es": "Derechos y obligaciones de los migrantes",
            "fr": "Droits et obligations des migrants",
        },
        {
            "en": "Outlines the rights migrants hold under international and national law and the obligations they have towards the States in which they live.",
            "es": "Describe los derechos que asisten a los migrantes en virtud del derecho internacional y nacional, así como las obligaciones que tienen para con los Estados en los que residen.",
            "fr": "Expose les droits dont jouissent les migrants en vertu du droit international et national, ainsi que leurs obligations envers les États où ils vivent.",
        },
    ),
    _section(
        "1.6",
        {
            "en": "International Migration Law",
            "es": "Derecho internacional sobre migración",
            "fr": "Droit international de la migration",
        },
        {
            "en": "Surveys the treaties, customary rules and other instruments of international law that govern the movement of persons across borders.",
            "es": "Repasa los tratados, las normas consuetudinarias y demás instrumentos del derecho internacional que rigen el desplazamiento de personas a través de las fronteras.",
            "fr": "Passe en revue les traités, les règles coutumières et les autres instruments du droit international qui régissent les mouvements de personnes à travers les frontières.",
        },
    ),
    _section(
        "1.7",
        {"en": "International Cooperation", "es": "Cooperación internacional", "fr": "Coopération internationale"},
        {
            "en": "Describes the bilateral, regional and global mechanisms, including Regional Consultative Processes, through which States cooperate on migration.",
            "es": "Describe los mecanismos bilaterales, regionales y mundiales, incluidos los procesos consultivos regionales, mediante los cuales los Estados cooperan en materia de migración.",
            "fr": "Décrit les mécanismes bilatéraux, régionaux et mondiaux, y compris les processus consultatifs régionaux, par lesquels les États coopèrent en matière de migration.",
        },
    ),
    _section(
        "1.8",
        {
            "en": "Developing Migration Legislation",
            "es": "Elaboración de legislación migratoria",
            "fr": "Élaboration de la législation sur les migrations",
        },
        {
            "en": "Explains how States draft, consult on and adopt migration legislation that reflects national policy and international obligations.",
            "es": "Explica cómo los Estados redactan, someten a consulta y aprueban una legislación migratoria que refleje la política nacional y las obligaciones internacionales.",
            "fr": "Explique comment les États rédigent, soumettent à consultation et adoptent une législation sur les migrations qui reflète la politique nationale et les obligations internationales.",
        },
    ),
    _section(
        "1.9",
        {
            "en": "Developing an Administrative Framework",
            "es": "Creación de un marco administrativo",
            "fr": "Mise en place d'un cadre administratif",
        },
        {
            "en": "Discusses how to organize the government institutions, staffing and procedures needed to implement migration policy and law.",
            "es": "Analiza cómo organizar las instituciones gubernamentales, el personal y los procedimientos necesarios para aplicar la política y la legislación migratorias.",
            "fr": "Traite de l'organisation des institutions publiques, des effectifs et des procédures nécessaires à la mise en œuvre de la politique et de la législation migratoires.",
        },
    ),
    _section(
        "1.10",
        {"en": "Managing Perception", "es": "Gestión de la percepción", "fr": "Gestion de la perception"},
        {
            "en": "Addresses how public opinion and media coverage shape migration policy and how governments can communicate accurately about migration.",
            "es": "Aborda la influencia de la opinión pública y de los medios de comunicación en la política migratoria y la manera en que los gobiernos pueden informar con rigor sobre la migración.",
            "fr": "Aborde l'influence de l'opinion publique et des médias sur la politique migratoire et la manière dont les gouvernements peuvent communiquer avec exactitude sur les migrations.",
        },
    ),
    # ---- Volume Two: Developing Migration Policy ----
    _section(
        "2.1",
        {
            "en": "Migration and Statistical Data",
            "es": "Migración y datos estadísticos",
            "fr": "Migrations et données statistiques",
        },
        {
            "en": "Reviews the sources, definitions and limitations of migration statistics and their use in policy-making.",
            "es": "Examina las fuentes, las definiciones y las limitaciones de las estadísticas migratorias, así como su utilización en la formulación de políticas.",
            "fr": "Examine les sources, les définitions et les limites des statistiques migratoires, ainsi que leur utilisation dans l'élaboration des politiques.",
        },
    ),
    _section(
        "2.2",
        {"en": "Migration and Demography", "es": "Migración y demografía", "fr": "Migrations et démographie"},
        {
            "en": "Explores the interaction between migration and population trends such as ageing, declining fertility and urbanization.",
            "es": "Analiza la interacción entre la migración y las tendencias demográficas, como el envejecimiento, el descenso de la fecundidad y la urbanización.",
            "fr": "Analyse l'interaction entre les migrations et les tendances démographiques telles que le vieillissement, la baisse de la fécondité et l'urbanisation.",
        },
    ),
    _section(
        "2.3",
        {"en": "Migration and Development", "es": "Migración y desarrollo", "fr": "Migrations et développement"},
        {
            "en": "Considers how remittances, diaspora engagement and the circulation of skills can support development in countries of origin.",
            "es": "Estudia cómo las remesas, la participación de la diáspora y la circulación de competencias pueden favorecer el desarrollo de los países de origen.",
            "fr": "Étudie comment les rapatriements de fonds, la mobilisation de la diaspora et la circulation des compétences peuvent favoriser le développement des pays d'origine.",
        },
    ),
    _section(
        "2.4",
        {"en": "Migration and Trade", "es": "Migración y comercio", "fr": "Migrations et commerce"},
        {
            "en": "Examines the links between international trade and the movement of people, including the temporary movement of service suppliers under Mode 4 of the GATS.",
            "es": "Examina los vínculos entre el comercio internacional y la circulación de personas, incluido el movimiento temporal de proveedores de servicios en el marco del Modo 4 del AGCS.",
            "fr": "Examine les liens entre le commerce international et la circulation des personnes, notamment le mouvement temporaire de fournisseurs de services au titre du mode 4 de l'AGCS.",
        },
    ),
    _section(
        "2.5",
        {"en": "Migration and Family", "es": "Migración y familia", "fr": "Migrations et famille"},
        {
            "en": "Looks at family reunification policies and at the effects of migration on families in countries of origin and destination.",
            "es": "Analiza las políticas de reunificación familiar y los efectos de la migración en las familias de los países de origen y de destino.",
            "fr": "Porte sur les politiques de regroupement familial et sur les effets des migrations sur les familles dans les pays d'origine et de destination.",
        },
    ),
    _section(
        "2.6",
        {"en": "Migration and Labor", "es": "Migración y trabajo", "fr": "Migrations et travail"},
        {
            "en": "Covers policies for the recruitment, admission and protection of migrant workers and cooperation between countries of origin and destination on labour migration.",
            "es": "Trata de las políticas de contratación, admisión y protección de los trabajadores migrantes y de la cooperación entre países de origen y de destino en materia de migración laboral.",
            "fr": "Traite des politiques de recrutement, d'admission et de protection des travailleurs migrants, ainsi que de la coopération entre pays d'origine et de destination en matière de migration de main-d'œuvre.",
        },
    ),
    _section(
        "2.7",
        {"en": "Migration and Health", "es": "Migración y salud", "fr": "Migrations et santé"},
        {
            "en": "Addresses the health needs of migrants, public health concerns linked to population mobility and health assessments in the migration process.",
            "es": "Aborda las necesidades sanitarias de los migrantes, las cuestiones de salud pública relacionadas con la movilidad de la población y los reconocimientos médicos en el proceso migratorio.",
            "fr": "Aborde les besoins sanitaires des migrants, les questions de santé publique liées à la mobilité des populations et les examens médicaux dans le processus migratoire.",
        },
    ),
    _section(
        "2.8",
        {"en": "Migration and Security", "es": "Migración y seguridad", "fr": "Migrations et sécurité"},
        {
            "en": "Examines how States can address security concerns in migration systems while respecting the rights of migrants and facilitating legitimate travel.",
            "es": "Examina cómo los Estados pueden atender las preocupaciones de seguridad en los sistemas migratorios respetando los derechos de los migrantes y facilitando los viajes legítimos.",
            "fr": "Examine comment les États peuvent répondre aux préoccupations de sécurité dans les systèmes migratoires tout en respectant les droits des migrants et en facilitant les déplacements légitimes.",
        },
    ),
    _section(
        "2.9",
        {"en": "Migration and Displacement", "es": "Migración y desplazamiento", "fr": "Migrations et déplacements"},
        {
            "en": "Discusses forced movements caused by conflict, persecution and natural disasters, including internal displacement.",
            "es": "Analiza los desplazamientos forzosos provocados por conflictos, persecución y desastres naturales, incluido el desplazamiento interno.",
            "fr": "Traite des déplacements forcés provoqués par les conflits, les persécutions et les catastrophes naturelles, y compris les déplacements internes.",
        },
    ),
    _section(
        "2.10",
        {"en": "Migration and Gender", "es": "Migración y género", "fr": "Migrations et genre"},
        {
            "en": "Examines how gender shapes the experiences, opportunities and vulnerabilities of migrants and how policies can take this into account.",
            "es": "Examina cómo el género influye en las experiencias, las oportunidades y las vulnerabilidades de los migrantes y cómo pueden tenerlo en cuenta las políticas.",
            "fr": "Examine comment le genre influe sur les expériences, les possibilités et les vulnérabilités des migrants et comment les politiques peuvent en tenir compte.",
        },
    ),
    # ---- Volume Three: Managing Migration ----
    _section(
        "3.1",
        {
            "en": "Passport and Visa Systems",
            "es": "Sistemas de pasaportes y visados",
            "fr": "Systèmes de passeports et de visas",
        },
        {
            "en": "Describes how passports and visas are issued and secured and how they help States both facilitate and control travel.",
            "es": "Describe cómo se expiden y se protegen los pasaportes y los visados y de qué modo ayudan a los Estados a facilitar y a controlar los viajes.",
            "fr": "Décrit comment les passeports et les visas sont délivrés et sécurisés et comment ils aident les États à la fois à faciliter et à contrôler les déplacements.",
        },
    ),
    _section(
        "3.2",
        {"en": "Immigration Systems", "es": "Sistemas de inmigración", "fr": "Systèmes d'immigration"},
        {
            "en": "Outlines how States design permanent and temporary admission categories and process applications for entry and residence.",
            "es": "Expone cómo los Estados definen las categorías de admisión permanente y temporal y tramitan las solicitudes de entrada y residencia.",
            "fr": "Expose comment les États définissent les catégories d'admission permanente et temporaire et traitent les demandes d'entrée et de séjour.",
        },
    ),
    _section(
        "3.3",
        {
            "en": "Border Management Systems",
            "es": "Sistemas de gestión de fronteras",
            "fr": "Systèmes de gestion des frontières",
        },
        {
            "en": "Examines the infrastructure, procedures, technology and inter-agency cooperation needed to manage borders effectively.",
            "es": "Examina la infraestructura, los procedimientos, la tecnología y la cooperación interinstitucional necesarios para gestionar las fronteras con eficacia.",
            "fr": "Examine les infrastructures, les procédures, les technologies et la coopération interinstitutions nécessaires à une gestion efficace des frontières.",
        },
    ),
    _section(
        "3.4",
        {
            "en": "International Carrier Responsibilities",
            "es": "Responsabilidades de los transportistas internacionales",
            "fr": "Responsabilités des transporteurs internationaux",
        },
        {
            "en": "Explains the obligations of airlines and other carriers to check travel documents and the sanctions and cooperation arrangements that apply to them.",
            "es": "Explica las obligaciones de las compañías aéreas y demás transportistas de verificar los documentos de viaje, así como las sanciones y los acuerdos de cooperación que les son aplicables.",
            "fr": "Explique les obligations des compagnies aériennes et des autres transporteurs en matière de vérification des documents de voyage, ainsi que les sanctions et les accords de coopération qui leur sont applicables.",
        },
    ),
    _section(
        "3.5",
        {"en": "Refugee Protection", "es": "Protección de los refugiados", "fr": "Protection des réfugiés"},
        {
            "en": "Reviews the international refugee protection regime, including the 1951 Convention relating to the Status of Refugees and the principle of non-refoulement.",
            "es": "Repasa el régimen internacional de protección de los refugiados, incluidos la Convención sobre el Estatuto de los Refugiados de 1951 y el principio de no devolución.",
            "fr": "Passe en revue le régime international de protection des réfugiés, notamment la Convention de 1951 relative au statut des réfugiés et le principe de non-refoulement.",
        },
    ),
    _section(
        "3.6",
        {"en": "Integration of Migrants", "es": "Integración de los migrantes", "fr": "Intégration des migrants"},
        {
            "en": "Considers policies and programmes that help migrants take part in the economic, social and cultural life of host societies.",
            "es": "Estudia las políticas y los programas que ayudan a los migrantes a participar en la vida económica, social y cultural de las sociedades de acogida.",
            "fr": "Étudie les politiques et les programmes qui aident les migrants à participer à la vie économique, sociale et culturelle des sociétés d'accueil.",
        },
    ),
    _section(
        "3.7",
        {"en": "Migration and Citizenship", "es": "Migración y ciudadanía", "fr": "Migrations et citoyenneté"},
        {
            "en": "Discusses how nationality is acquired and lost, including naturalization and dual nationality.",
            "es": "Analiza las formas de adquisición y pérdida de la nacionalidad, incluidas la naturalización y la doble nacionalidad.",
            "fr": "Traite des modes d'acquisition et de perte de la nationalité, notamment la naturalisation et la double nationalité.",
        },
    ),
    _section(
        "3.8",
        {
            "en": "Determination of Migrant Status and Appeals Systems",
            "es": "Determinación de la condición de migrante y sistemas de recurso",
            "fr": "Détermination du statut de migrant et systèmes de recours",
        },
        {
            "en": "Describes fair and efficient procedures for deciding on the status of migrants and for reviewing those decisions on appeal.",
            "es": "Describe procedimientos justos y eficaces para resolver sobre la condición de los migrantes y para revisar esas decisiones en vía de recurso.",
            "fr": "Décrit des procédures équitables et efficaces pour statuer sur le statut des migrants et pour réexaminer ces décisions en appel.",
        },
    ),
    _section(
        "3.9",
        {"en": "Return Migration", "es": "Migración de retorno", "fr": "Migration de retour"},
        {
            "en": "Examines voluntary and non-voluntary return, readmission arrangements and support for the sustainable reintegration of returning migrants.",
            "es": "Examina el retorno voluntario y no voluntario, los acuerdos de readmisión y el apoyo a la reintegración sostenible de los migrantes que regresan.",
            "fr": "Examine le retour volontaire et non volontaire, les accords de réadmission et l'aide à la réintégration durable des migrants de retour.",
        },
    ),
    _section(
        "3.10",
        {
            "en": "Management of Operational Data",
            "es": "Gestión de datos operativos",
            "fr": "Gestion des données opérationnelles",
        },
        {
            "en": "Covers the collection, storage, sharing and protection of the case-level data on which migration agencies rely in their daily operations.",
            "es": "Trata de la recopilación, el almacenamiento, el intercambio y la protección de los datos individuales en los que se basan los organismos de migración en sus operaciones cotidianas.",
            "fr": "Traite de la collecte, du stockage, de l'échange et de la protection des données individuelles sur lesquelles les services de migration s'appuient dans leurs opérations quotidiennes.",
        },
    ),
    _section(
        "3.11",
        {
            "en": "Migration and Intelligence Systems",
            "es": "Migración y sistemas de inteligencia",
            "fr": "Migrations et systèmes de renseignement",
        },
        {
            "en": "Explains how migration agencies gather and analyse intelligence to identify risks such as document fraud and organized migrant smuggling.",
            "es": "Explica cómo los organismos de migración reúnen y analizan información de inteligencia para detectar riesgos como el fraude documental y el tráfico ilícito organizado de migrantes.",
            "fr": "Explique comment les services de migration recueillent et analysent des renseignements pour repérer des risques tels que la fraude documentaire et le trafic illicite organisé de migrants.",
        },
    ),
    _section(
        "3.12",
        {"en": "Irregular Migration", "es": "Migración irregular", "fr": "Migration irrégulière"},
        {
            "en": "Addresses the causes and forms of irregular migration, including migrant smuggling and trafficking in persons, and the measures to prevent it and protect its victims.",
            "es": "Aborda las causas y las formas de la migración irregular, incluidos el tráfico ilícito de migrantes y la trata de personas, así como las medidas para prevenirla y proteger a sus víctimas.",
            "fr": "Aborde les causes et les formes de la migration irrégulière, y compris le trafic illicite de migrants et la traite des personnes, ainsi que les mesures visant à la prévenir et à en protéger les victimes.",
        },
    ),
]

# Sample content, written for the demo (not IOM's text): for sections "2.6" and "3.12" only,
# the two EMM sections used in the 2005 break-out sessions (11:00-13:00 Migration and Labour,
# 15:00-17:00 Counter-Trafficking). Keys are the curriculum ItemKind values.
SAMPLE_ITEMS = {
    "2.6": {
        "guiding_question": [
            {
                "en": "What role does labour migration play in your country's economy, as a country of origin, of destination or both?",
                "es": "¿Qué papel desempeña la migración laboral en la economía de su país, ya sea como país de origen, de destino o ambos?",
                "fr": "Quel rôle la migration de main-d'œuvre joue-t-elle dans l'économie de votre pays, en tant que pays d'origine, de destination ou les deux\u00a0?",
            },
            {
                "en": "Which government bodies are involved in recruiting, admitting or protecting migrant workers, and how do they coordinate their work?",
                "es": "¿Qué organismos gubernamentales intervienen en la contratación, la admisión o la protección de los trabajadores migrantes y cómo coordinan su labor?",
                "fr": "Quels organismes publics interviennent dans le recrutement, l'admission ou la protection des travailleurs migrants, et comment coordonnent-ils leur action\u00a0?",
            },
            {
                "en": "How are private recruitment agencies licensed and monitored, and what recourse do workers have when abuses occur?",
                "es": "¿Cómo se autoriza y supervisa a las agencias privadas de contratación y qué vías de recurso tienen los trabajadores cuando se producen abusos?",
                "fr": "Comment les agences de recrutement privées sont-elles agréées et contrôlées, et de quels recours les travailleurs disposent-ils en cas d'abus\u00a0?",
            },
            {
                "en": "Has your country concluded bilateral labour agreements, and what have they achieved for workers and employers?",
                "es": "¿Ha celebrado su país acuerdos bilaterales sobre migración laboral y qué resultados han dado para los trabajadores y los empleadores?",
                "fr": "Votre pays a-t-il conclu des accords bilatéraux de main-d'œuvre, et quels en ont été les résultats pour les travailleurs et les employeurs\u00a0?",
            },
            {
                "en": "How can labour migration policy balance the needs of the labour market with the rights of migrant workers?",
                "es": "¿Cómo puede la política de migración laboral conciliar las necesidades del mercado de trabajo con los derechos de los trabajadores migrantes?",
                "fr": "Comment la politique de migration de main-d'œuvre peut-elle concilier les besoins du marché du travail et les droits des travailleurs migrants\u00a0?",
            },
        ],
        "key_message": [
            {
                "en": "Labour migration is best managed through planned policies that respond to real labour market needs in both countries of origin and countries of destination.",
                "es": "La mejor manera de gestionar la migración laboral es mediante políticas planificadas que respondan a las necesidades reales del mercado de trabajo tanto en los países de origen como en los de destino.",
                "fr": "La migration de main-d'œuvre se gère au mieux au moyen de politiques planifiées qui répondent aux besoins réels du marché du travail, dans les pays d'origine comme dans les pays de destination.",
            },
            {
                "en": "Protecting the rights of migrant workers, from recruitment to return, is both a legal obligation and a condition for orderly migration.",
                "es": "Proteger los derechos de los trabajadores migrantes, desde la contratación hasta el retorno, es a la vez una obligación jurídica y una condición para una migración ordenada.",
                "fr": "La protection des droits des travailleurs migrants, du recrutement jusqu'au retour, est à la fois une obligation juridique et une condition d'une migration ordonnée.",
            },
            {
                "en": "Countries of origin can support their nationals abroad through pre-departure orientation, consular assistance and welfare services.",
                "es": "Los países de origen pueden apoyar a sus nacionales en el extranjero mediante la orientación previa a la partida, la asistencia consular y los servicios de bienestar social.",
                "fr": "Les pays d'origine peuvent soutenir leurs ressortissants à l'étranger grâce à l'orientation avant le départ, à l'assistance consulaire et aux services de protection sociale.",
            },
            {
                "en": "Bilateral and regional cooperation helps match labour supply and demand and reduces the scope for irregular employment.",
                "es": "La cooperación bilateral y regional contribuye a ajustar la oferta y la demanda de mano de obra y reduce el margen para el empleo irregular.",
                "fr": "La coopération bilatérale et régionale aide à faire concorder l'offre et la demande de main-d'œuvre et réduit la place laissée à l'emploi irrégulier.",
            },
            {
                "en": "Reliable labour market and migration data are essential for setting admission levels and evaluating programmes.",
                "es": "Disponer de datos fiables sobre el mercado de trabajo y la migración es esencial para fijar los niveles de admisión y evaluar los programas.",
                "fr": "Des données fiables sur le marché du travail et les migrations sont indispensables pour fixer les niveaux d'admission et évaluer les programmes.",
            },
        ],
        "exercise": [
            {
                "en": "Map the government agencies in your country that deal with labour migration and draw the lines of coordination between them. Identify one gap and suggest how it could be closed.",
                "es": "Elabore un mapa de los organismos gubernamentales de su país que se ocupan de la migración laboral y trace las líneas de coordinación entre ellos. Señale una deficiencia y proponga una forma de subsanarla.",
                "fr": "Dressez la carte des organismes publics de votre pays qui s'occupent de la migration de main-d'œuvre et tracez les liens de coordination entre eux. Relevez une lacune et proposez un moyen d'y remédier.",
            },
            {
                "en": "Working in pairs, one representing a country of origin and the other a country of destination, outline the main clauses of a bilateral agreement on seasonal agricultural workers. Then compare the issues each side treated as priorities.",
                "es": "Por parejas, y representando uno a un país de origen y el otro a un país de destino, esbocen las cláusulas principales de un acuerdo bilateral sobre trabajadores agrícolas de temporada. Comparen después las cuestiones a las que cada parte dio prioridad.",
                "fr": "Par deux, l'un représentant un pays d'origine et l'autre un pays de destination, esquissez les principales clauses d'un accord bilatéral sur les travailleurs agricoles saisonniers. Comparez ensuite les questions que chaque partie a jugées prioritaires.",
            },
            {
                "en": "Draft a one-page checklist of the topics that a pre-departure orientation session for migrant workers from your country should cover.",
                "es": "Redacte una lista de verificación de una página con los temas que debería abarcar una sesión de orientación previa a la partida para los trabajadores migrantes de su país.",
                "fr": "Rédigez une liste de contrôle d'une page énumérant les thèmes que devrait aborder une séance d'orientation avant le départ destinée aux travailleurs migrants de votre pays.",
            },
        ],
    },
    "3.12": {
        "guiding_question": [
            {
                "en": "What are the main forms of irregular migration affecting your country, and is it mainly a country of origin, transit or destination?",
                "es": "¿Cuáles son las principales formas de migración irregular que afectan a su país y este es sobre todo un país de origen, de tránsito o de destino?",
                "fr": "Quelles sont les principales formes de migration irrégulière qui touchent votre pays, et celui-ci est-il surtout un pays d'origine, de transit ou de destination\u00a0?",
            },
            {
                "en": "How does your legislation distinguish between migrant smuggling and trafficking in persons, and has your country ratified the Palermo Protocols?",
                "es": "¿Cómo distingue su legislación entre el tráfico ilícito de migrantes y la trata de personas, y ha ratificado su país los Protocolos de Palermo?",
                "fr": "Comment votre législation distingue-t-elle le trafic illicite de migrants de la traite des personnes, et votre pays a-t-il ratifié les Protocoles de Palerme\u00a0?",
            },
            {
                "en": "Which authorities and organizations identify and assist victims of trafficking, and how are victims referred to protection services?",
                "es": "¿Qué autoridades y organizaciones identifican y asisten a las víctimas de la trata, y cómo se las deriva a los servicios de protección?",
                "fr": "Quelles autorités et organisations identifient et assistent les victimes de la traite, et comment celles-ci sont-elles orientées vers les services de protection\u00a0?",
            },
            {
                "en": "Which information campaigns or other preventive measures have proved effective in reducing the risks faced by potential migrants?",
                "es": "¿Qué campañas de información u otras medidas preventivas han resultado eficaces para reducir los riesgos a los que se exponen los posibles migrantes?",
                "fr": "Quelles campagnes d'information ou autres mesures de prévention se sont révélées efficaces pour réduire les risques auxquels s'exposent les migrants potentiels\u00a0?",
            },
            {
                "en": "How does your country cooperate with neighbouring States in investigating trafficking networks and ensuring the safe return of victims?",
                "es": "¿Cómo coopera su país con los Estados vecinos en la investigación de las redes de trata y en el retorno seguro de las víctimas?",
                "fr": "Comment votre pays coopère-t-il avec les États voisins pour enquêter sur les réseaux de traite et assurer le retour des victimes en toute sécurité\u00a0?",
            },
        ],
        "key_message": [
            {
                "en": "Irregular migration has many causes; lasting responses combine law enforcement with wider regular migration channels and attention to root causes.",
                "es": "La migración irregular obedece a múltiples causas; las respuestas duraderas combinan la aplicación de la ley con la ampliación de las vías de migración regular y la atención a las causas profundas.",
                "fr": "La migration irrégulière a des causes multiples\u00a0; les réponses durables associent l'application de la loi, l'élargissement des voies de migration régulière et la prise en compte des causes profondes.",
            },
            {
                "en": "Trafficking in persons is a serious crime and a violation of human rights; its victims should be treated as victims, not as offenders.",
                "es": "La trata de personas es un delito grave y una violación de los derechos humanos; sus víctimas deben ser tratadas como tales y no como delincuentes.",
                "fr": "La traite des personnes est un crime grave et une violation des droits de l'homme\u00a0; ses victimes doivent être traitées comme telles et non comme des délinquants.",
            },
            {
                "en": "Smuggling and trafficking are distinct: smuggling means facilitating illegal border crossing for profit, whereas trafficking involves exploitation through coercion or deception.",
                "es": "El tráfico ilícito y la trata son fenómenos distintos: el tráfico ilícito consiste en facilitar el cruce ilegal de fronteras con ánimo de lucro, mientras que la trata implica la explotación mediante coacción o engaño.",
                "fr": "Le trafic illicite et la traite sont deux phénomènes distincts\u00a0: le trafic illicite consiste à faciliter le franchissement illégal des frontières dans un but lucratif, tandis que la traite implique une exploitation par la contrainte ou la tromperie.",
            },
            {
                "en": "Effective counter-trafficking work rests on prevention, protection of victims and prosecution of traffickers, supported by partnerships with civil society.",
                "es": "Una lucha eficaz contra la trata se basa en la prevención, la protección de las víctimas y el enjuiciamiento de los tratantes, con el apoyo de alianzas con la sociedad civil.",
                "fr": "Une lutte efficace contre la traite repose sur la prévention, la protection des victimes et la poursuite des trafiquants, avec l'appui de partenariats avec la société civile.",
            },
            {
                "en": "No State can address irregular migration alone; information sharing and cooperation among countries of origin, transit and destination are essential.",
                "es": "Ningún Estado puede hacer frente por sí solo a la migración irregular; el intercambio de información y la cooperación entre los países de origen, de tránsito y de destino son esenciales.",
                "fr": "Aucun État ne peut faire face seul à la migration irrégulière\u00a0; l'échange d'informations et la coopération entre pays d'origine, de transit et de destination sont indispensables.",
            },
        ],
        "exercise": [
            {
                "en": "Read a short case description and decide whether it describes migrant smuggling, trafficking in persons or neither. Explain which elements of the definitions support your conclusion.",
                "es": "Lea la breve descripción de un caso y determine si se trata de tráfico ilícito de migrantes, de trata de personas o de ninguno de los dos. Explique qué elementos de las definiciones fundamentan su conclusión.",
                "fr": "Lisez la brève description d'un cas et déterminez s'il s'agit de trafic illicite de migrants, de traite des personnes ou ni de l'un ni de l'autre. Expliquez sur quels éléments des définitions repose votre conclusion.",
            },
            {
                "en": "Sketch a national referral mechanism for victims of trafficking, from first identification to return or local integration. Note which agency is responsible at each step.",
                "es": "Esboce un mecanismo nacional de derivación para las víctimas de la trata, desde la primera identificación hasta el retorno o la integración local. Indique qué organismo es responsable en cada etapa.",
                "fr": "Esquissez un mécanisme national d'orientation des victimes de la traite, depuis la première identification jusqu'au retour ou à l'intégration sur place. Indiquez l'organisme responsable à chaque étape.",
            },
            {
                "en": "Design the key messages of an information campaign that warns potential migrants in your country about the risks of irregular migration.",
                "es": "Diseñe los mensajes clave de una campaña de información que advierta a los posibles migrantes de su país sobre los riesgos de la migración irregular.",
                "fr": "Concevez les messages clés d'une campagne d'information destinée à mettre en garde les migrants potentiels de votre pays contre les risques de la migration irrégulière.",
            },
        ],
    },
}

# The "Some Examples" slide of seed 000: 6 of the IAMM's common understandings and 13 of its
# effective practice topics, in the slide's order. English titles are the slide's wording.
IAMM_ITEMS = [
    {
        "kind": "common_understanding",
        "title": {
            "en": "Migration integral feature of globalization",
            "es": "La migración, rasgo inherente a la globalización",
            "fr": "La migration, caractéristique intrinsèque de la mondialisation",
        },
    },
    {
        "kind": "common_understanding",
        "title": {
            "en": "Primary role of States in managing migration",
            "es": "Función primordial de los Estados en la gestión de la migración",
            "fr": "Rôle primordial des États dans la gestion des migrations",
        },
    },
    {
        "kind": "common_understanding",
        "title": {
            "en": "Requires balanced consideration of economic, social, humanitarian and development issues, taking into account root causes",
            "es": "Requiere un examen equilibrado de las cuestiones económicas, sociales, humanitarias y de desarrollo, teniendo en cuenta las causas profundas",
            "fr": "Exige un examen équilibré des questions économiques, sociales, humanitaires et de développement, compte tenu des causes profondes",
        },
    },
    {
        "kind": "common_understanding",
        "title": {
            "en": "Protection of human rights and dignity of migrants",
            "es": "Protección de los derechos humanos y la dignidad de los migrantes",
            "fr": "Protection des droits de l'homme et de la dignité des migrants",
        },
    },
    {
        "kind": "common_understanding",
        "title": {
            "en": "Important linkages between migration and development",
            "es": "Importantes vínculos entre la migración y el desarrollo",
            "fr": "Liens importants entre migration et développement",
        },
    },
    {
        "kind": "common_understanding",
        "title": {
            "en": "Systematic data collection and enhanced research are beneficial to coherent policy development",
            "es": "La recopilación sistemática de datos y una investigación más amplia favorecen la formulación de políticas coherentes",
            "fr": "La collecte systématique de données et le renforcement de la recherche favorisent l'élaboration de politiques cohérentes",
        },
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Visa Requirements", "es": "Requisitos de visado", "fr": "Obligations en matière de visas"},
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Regular Migration", "es": "Migración regular", "fr": "Migration régulière"},
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Temporary Migration", "es": "Migración temporal", "fr": "Migration temporaire"},
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Immigration Programs", "es": "Programas de inmigración", "fr": "Programmes d'immigration"},
    },
    {
        "kind": "effective_practice",
        "title": {
            "en": "Humanitarian Resettlement",
            "es": "Reasentamiento humanitario",
            "fr": "Réinstallation humanitaire",
        },
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Labour Migration", "es": "Migración laboral", "fr": "Migration de main-d'œuvre"},
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Irregular Migration", "es": "Migración irregular", "fr": "Migration irrégulière"},
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Trafficking", "es": "Trata de personas", "fr": "Traite des personnes"},
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Protection of Victims", "es": "Protección de las víctimas", "fr": "Protection des victimes"},
    },
    {
        "kind": "effective_practice",
        "title": {
            "en": "Human Rights of Migrants",
            "es": "Derechos humanos de los migrantes",
            "fr": "Droits de l'homme des migrants",
        },
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Integration", "es": "Integración", "fr": "Intégration"},
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Return Policy", "es": "Política de retorno", "fr": "Politique de retour"},
    },
    {
        "kind": "effective_practice",
        "title": {"en": "Naturalization", "es": "Naturalización", "fr": "Naturalisation"},
    },
]
