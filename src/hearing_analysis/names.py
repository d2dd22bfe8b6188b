"""Norwegian display names for the label and respondent codes that are not in a taxonomy file.

The codes themselves (labels.md) stay untranslated in data, columns and files; these names are for
what people read: plots, tables, the board annex.
"""
from __future__ import annotations

RESPONDENT_TYPE_NAMES = {
    "kommune": "Kommune", "fylkeskommune": "Fylkeskommune", "regionraad": "Regionråd", "stat": "Statlig etat",
    "organisasjon": "Organisasjon", "naeringsliv": "Næringsliv", "privat": "Privatperson", "annet": "Annet",
}
RESPONDENT_TYPE_PLURAL = {
    "kommune": "Kommuner", "fylkeskommune": "Fylkeskommuner", "regionraad": "Regionråd",
    "stat": "Statlige etater", "organisasjon": "Organisasjoner", "naeringsliv": "Næringsliv",
    "privat": "Privatpersoner", "annet": "Andre",
}
LEVEL_NAMES = {"strategisk": "Strategisk", "tiltak": "Tiltak", "prosess": "Prosess"}
STANCE_NAMES = {"stotte": "Støtte", "innvending": "Innvending", "noytral": "Nøytral"}
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "Engelsk", "other": "Annet språk"}
