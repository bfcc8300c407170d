"""Country names as registration desks write them: ISO 3166 names and codes, the United Nations' official
names in English, French and Spanish, common short forms, the names Indico writes; and each country's IOM
region, from `workshops.reference`."""

import pytest
from django_countries import countries
from django_countries.data import COUNTRIES as ISO_COUNTRIES

from workshops.enums import Region
from workshops.imports.values import country_resolve
from workshops.reference import COUNTRY_REGIONS

# 32 countries by their UN official names (UNTERM, M49), in English, French and Spanish. The first 16
# are those whose official name differs from the short one, refused before this index was built.
UN_NAMES = [
    ("BO", "Bolivia (Plurinational State of)", "Bolivie (État plurinational de)", "Bolivia (Estado Plurinacional de)"),
    ("VE", "Venezuela (Bolivarian Republic of)", "Venezuela (République bolivarienne du)", "Venezuela (República Bolivariana de)"),
    ("TZ", "United Republic of Tanzania", "République-Unie de Tanzanie", "República Unida de Tanzanía"),
    ("MD", "Republic of Moldova", "République de Moldova", "República de Moldova"),
    ("LA", "Lao People’s Democratic Republic", "République démocratique populaire lao", "República Democrática Popular Lao"),
    ("SY", "Syrian Arab Republic", "République arabe syrienne", "República Árabe Siria"),
    ("KP", "Democratic People's Republic of Korea", "République populaire démocratique de Corée", "República Popular Democrática de Corea"),
    ("FM", "Micronesia (Federated States of)", "Micronésie (États fédérés de)", "Micronesia (Estados Federados de)"),
    ("GB", "United Kingdom of Great Britain and Northern Ireland", "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord", "Reino Unido de Gran Bretaña e Irlanda del Norte"),
    ("US", "United States of America", "États-Unis d’Amérique", "Estados Unidos de América"),
    ("CZ", "Czechia", "Tchéquie", "Chequia"),
    ("SZ", "Eswatini", "Eswatini", "Eswatini"),
    ("MK", "North Macedonia", "Macédoine du Nord", "Macedonia del Norte"),
    ("PS", "State of Palestine", "État de Palestine", "Estado de Palestina"),
    ("VA", "Holy See", "Saint-Siège", "Santa Sede"),
    ("NL", "Netherlands (Kingdom of the)", "Pays-Bas (Royaume des)", "Países Bajos (Reino de los)"),
    ("IR", "Iran (Islamic Republic of)", "Iran (République islamique d’)", "Irán (República Islámica del)"),
    ("RU", "Russian Federation", "Fédération de Russie", "Federación de Rusia"),
    ("KR", "Republic of Korea", "République de Corée", "República de Corea"),
    ("VN", "Viet Nam", "Viet Nam", "Viet Nam"),
    ("CI", "Côte d’Ivoire", "Côte d’Ivoire", "Côte d’Ivoire"),
    ("TR", "Türkiye", "Türkiye", "Türkiye"),
    ("CD", "Democratic Republic of the Congo", "République démocratique du Congo", "República Democrática del Congo"),
    ("CG", "Congo", "Congo", "Congo"),
    ("CV", "Cabo Verde", "Cabo Verde", "Cabo Verde"),
    ("BN", "Brunei Darussalam", "Brunéi Darussalam", "Brunei Darussalam"),
    ("TL", "Timor-Leste", "Timor-Leste", "Timor-Leste"),
    ("GM", "Gambia (Republic of The)", "Gambie (République de)", "Gambia (República de)"),
    ("KN", "Saint Kitts and Nevis", "Saint-Kitts-et-Nevis", "Saint Kitts y Nevis"),
    ("ST", "Sao Tome and Principe", "Sao Tomé-et-Principe", "Santo Tomé y Príncipe"),
    ("GW", "Guinea-Bissau", "Guinée-Bissau", "Guinea-Bissau"),
    ("BS", "Bahamas", "Bahamas", "Bahamas"),
]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("code, en, fr, es", UN_NAMES, ids=[row[0] for row in UN_NAMES])
def test_un_official_name_in_each_language_is_known(code, en, fr, es, language):
    name = {"en": en, "fr": fr, "es": es}[language]
    assert country_resolve(name) == code


@pytest.mark.parametrize(
    "text, code",
    [
        # ISO 3166 names (as Indico, which uses them, writes them) and codes
        ("Congo, The Democratic Republic of the", "CD"),
        ("Korea, Republic of", "KR"),
        ("Iran, Islamic Republic of", "IR"),
        ("Palestine, State of", "PS"),
        ("Holy See (Vatican City State)", "VA"),
        ("RUS", "RU"),
        ("rus", "RU"),
        ("ru", "RU"),
        ("CIV", "CI"),
        # common short forms, in three languages
        ("Russia", "RU"),
        ("Russie", "RU"),
        ("Rusia", "RU"),
        ("Turkey", "TR"),
        ("Turquía", "TR"),
        ("Turquie", "TR"),
        ("South Korea", "KR"),
        ("Corée du Sud", "KR"),
        ("North Korea", "KP"),
        ("Vietnam", "VN"),
        ("Viêt Nam", "VN"),
        ("Iran", "IR"),
        ("Bolivia", "BO"),
        ("Tanzania", "TZ"),
        ("Laos", "LA"),
        ("Syria", "SY"),
        ("Czech Republic", "CZ"),
        ("Swaziland", "SZ"),
        ("Ivory Coast", "CI"),
        ("Costa de Marfil", "CI"),
        ("Palestine", "PS"),
        ("Vatican", "VA"),
        ("UK", "GB"),
        ("USA", "US"),
        ("Holland", "NL"),
        # either apostrophe, any case, with or without accents
        ("Côte d'Ivoire", "CI"),
        ("COTE D’IVOIRE", "CI"),
        ("cote d ivoire", "CI"),
        ("FÉDÉRATION DE RUSSIE", "RU"),
        ("federation de russie", "RU"),
        ("  Viet   Nam ", "VN"),
        ("TÜRKIYE", "TR"),
        ("turkiye", "TR"),
        # not a country, or more than one
        ("Atlantis", None),
        ("Korea", None),
        ("", None),
    ],
)
def test_country_written_as_desks_write_it(text, code):
    assert country_resolve(text) == code


def test_congo_alone_is_the_republic_of_the_congo():
    # The UN's and ISO's "Congo" is Brazzaville; Kinshasa is always written with "Democratic".
    assert country_resolve("Congo") == "CG"
    assert country_resolve("Republic of the Congo") == "CG"


@pytest.mark.parametrize("code", sorted(ISO_COUNTRIES))
def test_every_iso_country_has_an_iom_region(code):
    assert COUNTRY_REGIONS[code] in Region.values


@pytest.mark.parametrize("code", sorted(ISO_COUNTRIES))
def test_every_iso_country_resolves_from_its_codes_and_english_name(code):
    assert country_resolve(code) == code
    assert country_resolve(countries.alpha3(code) or code) == code
    assert country_resolve(str(countries.name(code))) == code
