"""The words people type, per language: global words, yes and no, greetings, topics, days.

One set per language, read through the language table (``locales.languages``): adding a
language adds a set here and a row there. Words are written as people write them; ``dialogs.understanding`` folds case and accents and stems
them with the row's Snowball algorithm. A whole message that is a global word, a yes or a
no, or a greeting acts as one; topic words and day words are looked for inside a sentence,
in any inflection ("kirjastoon", "biblioteket").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class LanguageWords:
    stemmer: str  # the Snowball algorithm's name
    # Whole messages that lead somewhere from anywhere: the key is a global choice id.
    global_words: Mapping[str, tuple[str, ...]]
    start: tuple[str, ...]  # begin again, as /start does
    yes: tuple[str, ...]
    no: tuple[str, ...]
    greetings: tuple[str, ...]
    # Words inside a sentence that name a topic: the key is a global choice id or a need.
    topics: Mapping[str, tuple[str, ...]]
    # Monday to Sunday: how a day's name begins, in any inflection ("sunnunt" for
    # "sunnuntaina"), folded as typed words are.
    weekdays: tuple[str, str, str, str, str, str, str]
    today: tuple[str, ...]
    tomorrow: tuple[str, ...]
    now: tuple[str, ...]
    # Words that make a sentence a question about opening hours.
    hours_words: tuple[str, ...]
    # Small words that name nothing: never matched against a place's name.
    fillers: tuple[str, ...]


FINNISH = LanguageWords(
    stemmer="finnish",
    global_words={
        "menu": ("valikko", "päävalikko", "alkuun", "takaisin valikkoon"),
        "help": ("apua", "ohje", "ohjeet", "auta"),
        "language": ("kieli", "vaihda kieli"),
        "privacy": ("tietosuoja",),
        "human": (
            "ihminen",
            "ihmiselle",
            "ihmisen kanssa",
            "puhu ihmiselle",
            "henkilö",
            "työntekijä",
            "ohjaaja",
            "etsivä hyvinvointityöntekijä",
        ),
        "contact": ("yhteydenotto", "yhteydenottopyyntö", "ottakaa yhteyttä"),
        "delete": ("poista tietoni",),
        "mydata": ("omat tiedot", "tietoni"),
        "news": ("uutiset", "tiedotteet"),
        "events": ("tapahtumat", "mitä tapahtuu", "menot", "tekemistä ja seuraa"),
        "stop": ("lopeta", "lopeta uutiset", "en halua uutisia"),
    },
    start=("aloita", "aloita alusta"),
    yes=("kyllä", "joo", "juu", "jep", "ok", "okei", "selvä", "käy", "sopii", "kyllä kiitos"),
    no=("ei", "en", "ei kiitos", "eikä", "älä"),
    greetings=(
        "hei",
        "heippa",
        "moi",
        "moikka",
        "moro",
        "terve",
        "terppa",
        "hello",
        "päivää",
        "hyvää päivää",
        "huomenta",
        "iltaa",
    ),
    topics={
        "ideas": (
            "idea",
            "idean",
            "ideat",
            "ideoita",
            "ideani",
            "ehdotus",
            "ehdottaa",
            "aloite",
            "toive",
        ),
        "places": ("paikka", "kohtaamispaikka", "palvelu", "palveluita"),
        "polls": ("kysely", "kyselyyn", "kyselyt", "äänestää", "äänestys", "äänestyksen"),
        "human": (
            "ihminen",
            "ihmisen",
            "ihmiselle",
            "henkilö",
            "työntekijä",
            "ohjaaja",
            "puhua",
        ),
        "contact": ("yhteydenotto", "yhteyttä", "soittaa", "soitto"),
        "privacy": ("tietosuoja", "suostumus"),
        "news": ("uutinen", "uutiset", "tiedote", "tiedotteet", "uutiskirje"),
        "events": ("tapahtuma", "tapahtumat", "menot", "konsertti", "työpaja", "kerho"),
        "need.work_money": (
            "työ",
            "työpaikka",
            "töitä",
            "työnhaku",
            "opiskelu",
            "opiskella",
            "koulutus",
            "raha",
            "rahaa",
            "toimeentulo",
        ),
        "need.company": ("seura", "seuraa", "kaveri", "kavereita", "harrastus", "tekemistä"),
        "need.talk": ("jutella", "juttelu", "keskustella", "juttuseura"),
        "need.families": ("perhe", "perheet", "lapsi", "lapset", "lapsiperhe"),
        "need.seniors": ("seniori", "ikäihminen", "ikäihmiset", "eläkeläinen", "vanhus"),
        "need.young": ("nuori", "nuoret", "nuorille", "nuorisotila"),
        "need.everyday": ("arki", "arjessa", "tukea", "tuki"),
    },
    weekdays=("maanant", "tiist", "keskiviik", "torst", "perjant", "lauant", "sunnunt"),
    today=("tänään", "tänäänkin"),
    tomorrow=("huomenna", "huomiseksi"),
    now=("nyt", "juuri nyt", "tällä hetkellä"),
    hours_words=("auki", "avoinna", "aukeaa", "avautuu", "sulkeutuu", "suljettu", "aukiolo"),
    fillers=("ja", "on", "onko", "oko", "kun", "mikä", "missä", "milloin", "mihin", "se"),
)

SWEDISH = LanguageWords(
    stemmer="swedish",
    global_words={
        "menu": ("meny", "huvudmeny", "tillbaka till menyn"),
        "help": ("hjälp",),
        "language": ("språk", "byt språk"),
        "privacy": ("integritet", "dataskydd"),
        "human": ("människa", "en människa", "personal", "prata med en människa"),
        "contact": ("kontakt", "kontaktförfrågan", "kontakta mig"),
        "delete": ("radera mina uppgifter",),
        "mydata": ("mina uppgifter",),
        "news": ("nyheter",),
        "events": ("evenemang", "vad händer"),
        "stop": ("sluta", "stopp", "sluta skicka"),
    },
    start=("börja", "börja om"),
    yes=("ja", "jo", "japp", "jaa", "ok", "okej", "gärna", "ja tack"),
    no=("nej", "nä", "nej tack", "nää"),
    greetings=("hej", "hejsan", "tjena", "tja", "hallå", "god dag", "godmorgon", "moi"),
    topics={
        "ideas": ("idé", "idéer", "förslag", "tips", "önskemål"),
        "places": ("plats", "ställe", "mötesplats", "tjänst", "tjänster"),
        "polls": ("enkät", "omröstning", "rösta", "ungdomsenkät"),
        "human": ("människa", "människan", "person", "personal", "prata"),
        "contact": ("kontakt", "kontakta", "ringa"),
        "privacy": ("integritet", "samtycke"),
        "news": ("nyhet", "nyheter", "nyhetsbrev"),
        "events": ("evenemang", "händelse", "konsert", "verkstad", "klubb"),
        "need.work_money": (
            "jobb",
            "jobbet",
            "arbete",
            "jobba",
            "studier",
            "studera",
            "utbildning",
            "pengar",
            "försörjning",
        ),
        "need.company": ("sällskap", "vänner", "kompis", "hobby", "aktiviteter"),
        "need.talk": ("samtal", "samtalsstöd", "någon att prata med"),
        "need.families": ("familj", "familjer", "barn", "barnfamilj"),
        "need.seniors": ("äldre", "pensionär", "senior"),
        "need.young": ("ung", "unga", "ungdom", "ungdomar"),
        "need.everyday": ("vardag", "vardagen", "stöd"),
    },
    weekdays=("mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag"),
    today=("idag", "i dag"),
    tomorrow=("imorgon", "i morgon", "imorn"),
    now=("nu", "just nu"),
    hours_words=("öppet", "öppen", "öppnar", "stänger", "stängt", "öppettider"),
    fillers=("och", "i", "på", "är", "när", "vad", "var", "det", "den", "har"),
)

ENGLISH = LanguageWords(
    stemmer="english",
    global_words={
        "menu": ("menu", "main menu", "back to menu"),
        "help": ("help",),
        "language": ("language", "change language"),
        "privacy": ("privacy",),
        "human": ("human", "person", "a person", "talk to a person", "staff"),
        "contact": ("contact", "contact me"),
        "delete": ("delete my data",),
        "mydata": ("my data",),
        "news": ("news",),
        "events": ("events", "what's on", "whats on"),
        "stop": ("stop", "unsubscribe"),
    },
    start=("start", "start again"),
    yes=("yes", "yeah", "yep", "yup", "ok", "okay", "sure", "yes please"),
    no=("no", "nope", "no thanks", "no thank you", "nah"),
    greetings=(
        "hi",
        "hello",
        "hey",
        "hiya",
        "good morning",
        "good afternoon",
        "good evening",
    ),
    topics={
        "ideas": ("idea", "ideas", "suggestion", "suggest", "proposal"),
        "places": ("place", "places", "meeting place", "service", "services"),
        "polls": ("poll", "survey", "vote", "voting", "youth poll"),
        "human": ("human", "person", "staff", "worker", "talk"),
        "contact": ("contact", "call me", "phone me"),
        "privacy": ("privacy", "consent"),
        "news": ("news", "newsletter", "announcement"),
        "events": ("event", "events", "concert", "workshop", "club", "happening"),
        "need.work_money": ("job", "work", "study", "studies", "training", "money"),
        "need.company": ("company", "friends", "hobby", "activities", "things to do"),
        "need.talk": ("someone to talk to", "chat with someone", "listen"),
        "need.families": ("family", "families", "children", "kids"),
        "need.seniors": ("senior", "seniors", "elderly", "older people", "pensioner"),
        "need.young": ("young", "youth", "teen", "teens", "young people"),
        "need.everyday": ("everyday", "support"),
    },
    weekdays=("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    today=("today", "tonight"),
    tomorrow=("tomorrow",),
    now=("now", "right now", "at the moment"),
    hours_words=("open", "opens", "opening", "close", "closes", "closed", "hours"),
    fillers=("and", "the", "is", "of", "at", "on", "in", "to", "when", "what", "does", "are"),
)
