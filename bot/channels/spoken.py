"""Any bot answer turned into what the phone says: written for the ear, not the screen.

The one place where a screen answer becomes a spoken one (``spoken_form``):

* wording written for the phone for the responses whose screen wording does not
  fit the ear (« écrivez-la ainsi : 12/03/1985 », « ici même, dans cette
  conversation »), keyed by the response's name (``VOICE_WORDING``);
* everything else transformed: no markup, no link (a site is said « france
  travail point f r »), no emoji, no parenthesis; amounts in words (« mille
  deux cent six euros et quatre-vingt-dix centimes »), dates in words (« le
  lundi quatre janvier »; the year only when it is not the coming or the last
  few months), service numbers the way the French say them (« trente-neuf
  quarante-neuf »), hours, percentages, × = + said;
* buttons become « tapez 1 pour …, tapez 2 pour … », three choices at most,
  the payloads kept in order so that the keypad can answer.

The numbers are spelled by ``number_words`` (traditional French spelling:
« quatre-vingts », « deux cents » but « deux cent mille », « vingt et un »):
there is no package for it in the lock, and the rules fit in a page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

MAX_CHOICES = 3

_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_hundred(n: int, final: bool) -> str:
    if n <= 16:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix..., quatre-vingt-dix...
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = n - (60 if tens == 7 else 80)
        if rest == 11 and tens == 7:
            return "soixante et onze"
        return f"{base}-{_below_hundred(rest, final)}"
    if tens == 8:
        if unit == 0:
            return "quatre-vingts" if final else "quatre-vingt"
        return "quatre-vingt-" + _UNITS[unit]
    word = _TENS[tens]
    if unit == 0:
        return word
    if unit == 1:
        return f"{word} et un"
    return f"{word}-{_UNITS[unit]}"


def _below_thousand(n: int, final: bool) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return _below_hundred(rest, final)
    head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent"
    if rest == 0:
        return head + ("s" if hundreds > 1 and final else "")
    return f"{head} {_below_hundred(rest, final)}"


def number_words(n: int) -> str:
    """``1206`` -> ``'mille deux cent six'``; ``80`` -> ``'quatre-vingts'``; ``200000`` -> ``'deux cent mille'``."""
    if n < 0:
        return "moins " + number_words(-n)
    if n < 1000:
        return _below_thousand(n, final=True)
    parts = []
    billions, n = divmod(n, 1_000_000_000)
    millions, n = divmod(n, 1_000_000)
    thousands, n = divmod(n, 1000)
    if billions:
        parts.append(f"{number_words(billions)} milliard" + ("s" if billions > 1 else ""))
    if millions:
        parts.append(f"{_below_thousand(millions, final=True)} million" + ("s" if millions > 1 else ""))
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_thousand(thousands, final=False)} mille")
    if n:
        parts.append(_below_thousand(n, final=True))
    return " ".join(parts)


def amount_words(value: Decimal) -> str:
    """``Decimal('1206.90')`` -> ``'mille deux cent six euros et quatre-vingt-dix centimes'``."""
    cents_total = int((abs(value) * 100).quantize(Decimal(1)))
    euros, cents = divmod(cents_total, 100)
    sign = "moins " if value < 0 else ""
    euro_part = f"{number_words(euros)} euro" + ("s" if euros > 1 else "")
    if euros and euros % 1_000_000 == 0:
        euro_part = f"{number_words(euros)} d'euros"
    if not cents:
        return sign + euro_part
    cent_part = f"{number_words(cents)} centime" + ("s" if cents > 1 else "")
    return sign + (cent_part if not euros else f"{euro_part} et {cent_part}")


def digits_words(digits: str) -> str:
    """``'0503'`` -> ``'zéro cinq zéro trois'``: what to type, said one key at a time."""
    return " ".join(_UNITS[int(d)] for d in digits if d.isdigit())


MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_MONTH = "|".join(MONTHS)
_WEEKDAY = "|".join(WEEKDAYS)

# « lundi 3 mars 2025 », « 1er mars », « 3 mars 2025 » (with or without the weekday or the year)
DATE = re.compile(
    rf"(?P<before>\b(?:le|au|du|depuis le|jusqu'au|jusqu’au)\s+)?"
    rf"(?:(?P<weekday>{_WEEKDAY})\s+)?(?P<day>1er|\d{{1,2}})\s+(?P<month>{_MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>(?:19|20)\d\d)\b")
MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
# « 1 234,56 € », « 800 € », « 12,5 € » (Babel's spaces are normal or narrow no-break spaces)
AMOUNT = re.compile(r"(?<![\d,])(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(?P<dec>\d{1,2}))?\s*€")
PERCENT = re.compile(r"(?<![\d,])(?P<int>\d+)(?:,(?P<dec>\d+))?\s*%")
HOUR = re.compile(r"\b(?P<h>\d{1,2})\s*h\s*(?P<m>\d{2})?\b(?!/)")
PER = re.compile(r"\b(?P<n>\d+)\s*(?P<unit>h|j)\s*/\s*(?P=n)\b")
NUMBER = re.compile(r"(?<![\w,])(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(?P<dec>\d+))?(?![\w])")
FIRST = re.compile(r"\b1er\b")
REFERENCE = re.compile(r"\b[A-Z]{2}-[A-Z0-9]{6}\b")

# Service numbers the way they are said in France (by pairs), before any other number.
SERVICE_NUMBERS = {
    "3949": "trente-neuf quarante-neuf",
    "3114": "trente et un quatorze",
    "32 30": "trente-deux trente",
    "3230": "trente-deux trente",
}
_SERVICE = re.compile(r"(?<!\d)(" + "|".join(re.escape(k) for k in SERVICE_NUMBERS) + r")(?![\d])")

URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
SITE = re.compile(r"\b(?P<name>[a-z0-9-]+)\.(?P<tld>fr|com|org|gouv\.fr|eu)\b(?:/\S*)?", re.IGNORECASE)
MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]{0,200}>")
MARKUP = re.compile(r"(\*\*|__|\*|`|~~|^#+\s*|^\s*[-•]\s+)", re.MULTILINE)
GENDER = re.compile(r"\((e|s|es|x)\)")
# « écrivez « conseiller » » on a screen: on the phone the caller says it (or types 0 for a counsellor).
WRITE_WORD = re.compile(r"\b[ée]crivez\s+«\s*(?P<word>[^»]{1,40}?)\s*»", re.IGNORECASE)

SITE_NAMES = {"francetravail": "france travail", "caf": "caf", "msa": "m s a", "service-public": "service public"}


@dataclass
class Spoken:
    """What to say, and the payloads that keys 1, 2, 3 stand for."""

    text: str
    choices: list[str] = field(default_factory=list)


def _is_near(day: date, today: date) -> bool:
    return -200 <= (day - today).days <= 200


def _day_words(day: str) -> str:
    return "premier" if day.lower() == "1er" or int(day) == 1 else number_words(int(day))


def _year_words(year: int) -> str:
    return number_words(year)


def say_date(day: date, today: date, weekday: bool = True) -> str:
    """``date(2027, 1, 4)`` -> ``'lundi quatre janvier'`` (the year when the date is far from today)."""
    words = f"{_day_words(str(day.day))} {MONTHS[day.month - 1]}"
    if weekday:
        words = f"{WEEKDAYS[day.weekday()]} {words}"
    if not _is_near(day, today):
        words += " " + _year_words(day.year)
    return words


def _dates(text: str, today: date) -> str:
    def replace(match: re.Match) -> str:
        before = match.group("before") or ""
        month = MONTHS.index(match.group("month").lower()) + 1
        day_raw = match.group("day")
        day = 1 if day_raw.lower() == "1er" else int(day_raw)
        year = int(match.group("year")) if match.group("year") else None
        words = f"{_day_words(day_raw)} {MONTHS[month - 1]}"
        if match.group("weekday"):
            words = f"{match.group('weekday').lower()} {words}"
        if year is not None:
            try:
                near = _is_near(date(year, month, min(day, 28)), today)
            except ValueError:
                near = False
            if not near:
                words += " " + _year_words(year)
        lead = before if before else ("le " if match.group("weekday") else "")
        return lead + words

    text = NUMERIC_DATE.sub(
        lambda m: _numeric_date(m, today),
        text,
    )
    text = DATE.sub(replace, text)

    def month_year(match: re.Match) -> str:
        month = MONTHS.index(match.group("month").lower()) + 1
        year = int(match.group("year"))
        near = _is_near(date(year, month, 15), today)
        return match.group("month") + ("" if near else " " + _year_words(year))

    return MONTH_YEAR.sub(month_year, text)


def _numeric_date(match: re.Match, today: date) -> str:
    try:
        day = date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    except ValueError:
        return match.group(0)
    words = f"{_day_words(str(day.day))} {MONTHS[day.month - 1]} {_year_words(day.year)}"
    return words


def _decimal(integer: str, decimals: str | None) -> Decimal:
    raw = re.sub(r"\D", "", integer) + ("." + decimals if decimals else "")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return Decimal(0)


def _number(integer: str, decimals: str | None) -> str:
    words = number_words(int(re.sub(r"\D", "", integer)))
    if decimals:
        # « 40,4 » -> « quarante virgule quatre »; « 0,05 » -> « zéro virgule zéro cinq »
        stripped = decimals.lstrip("0")
        lead = "zéro " * (len(decimals) - len(stripped))
        words += " virgule " + (lead + number_words(int(stripped)) if stripped else "zéro").strip()
    return words


def say_reference(reference: str) -> str:
    """``'AB-K7M4PQ'`` -> ``'A B, K sept M, quatre P Q'``: a ticket reference, one character at a time."""
    head, _, tail = reference.partition("-")

    def chars(part: str) -> str:
        return " ".join(_UNITS[int(c)] if c.isdigit() else c for c in part)

    if not tail:
        return chars(head)
    return f"{chars(head)}, {chars(tail[:3])}, {chars(tail[3:])}".rstrip(", ")


def _no_emoji(text: str) -> str:
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("So", "Sk", "Cs", "Co", "Cn") or ch in "\ufe0f\u200d":
            if ch in "€°":
                kept.append(ch)
            continue
        kept.append(ch)
    return "".join(kept)


TLDS = {"fr": "f r", "eu": "e u", "gouv.fr": "gouv point f r", "com": "com", "org": "org"}


def _sites(text: str) -> str:
    def site(match: re.Match) -> str:
        name = match.group("name").lower()
        return f"{SITE_NAMES.get(name, name.replace('-', ' '))} point {TLDS[match.group('tld').lower()]}"

    text = URL.sub("votre espace personnel sur france travail point f r", text)
    return SITE.sub(site, text)


def speak_text(text: str, today: date) -> str:
    """A screen answer's words for the ear (no choices: see ``spoken_form``)."""
    text = unicodedata.normalize("NFC", text or "")
    text = MARKDOWN_LINK.sub(lambda m: m.group("text"), text)
    text = HTML_TAG.sub(" ", text)
    text = _sites(text)
    text = MARKUP.sub("", text)
    text = _no_emoji(text)
    text = GENDER.sub("", text)
    text = WRITE_WORD.sub(
        lambda m: (
            "dites conseiller ou tapez zéro" if m.group("word").lower() == "conseiller" else f"dites {m.group('word')}"
        ),
        text,
    )
    text = REFERENCE.sub(lambda m: say_reference(m.group(0)), text)
    text = _dates(text, today)
    text = AMOUNT.sub(lambda m: amount_words(_decimal(m.group("int"), m.group("dec"))), text)
    text = _SERVICE.sub(lambda m: SERVICE_NUMBERS[m.group(1)], text)
    text = PERCENT.sub(lambda m: _number(m.group("int"), m.group("dec")) + " pour cent", text)
    text = PER.sub(
        lambda m: (
            f"{number_words(int(m.group('n')))} {'heures' if m.group('unit') == 'h' else 'jours'} "
            f"sur {number_words(int(m.group('n')))}"
        ),
        text,
    )
    text = HOUR.sub(
        lambda m: (
            f"{number_words(int(m.group('h')))} heure{'s' if int(m.group('h')) > 1 else ''}"
            + (f" {number_words(int(m.group('m')))}" if m.group("m") else "")
        ),
        text,
    )
    text = FIRST.sub("premier", text)
    text = NUMBER.sub(lambda m: _number(m.group("int"), m.group("dec")), text)
    text = text.replace("×", " fois ").replace("=", " égale ").replace(" + ", " plus ")
    text = re.sub(r"[«»“”\"]", "", text)
    text = re.sub(r"\s*\(\s*", ", ", text)
    text = re.sub(r"\s*\)\s*", ", ", text)
    text = re.sub(r"[/\\|<>{}\[\]_*#]", " ", text)
    lines = [line.strip(" ,") for line in re.split(r"\s*\n+\s*", text) if line.strip(" ,")]
    text = " ".join(line if line[-1] in ".?!:;" else line + "." for line in lines)
    text = re.sub(r",\s*([.?!:;])", r"\1", text)
    text = re.sub(r"\s+([.,])", r"\1", text)
    text = re.sub(r",(\s*,)+", ",", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def say_choices(buttons: list[dict], today: date) -> Spoken:
    """« Tapez 1 pour …, tapez 2 pour … »: three choices at most, the payloads in key order."""
    kept = [b for b in buttons if isinstance(b, dict) and (b.get("title") or b.get("payload"))][:MAX_CHOICES]
    parts, payloads = [], []
    for key, button in enumerate(kept, start=1):
        title = speak_text(str(button.get("title") or button.get("payload")), today).rstrip(".")
        title = title[:1].lower() + title[1:]
        parts.append(f"tapez {_UNITS[key]} pour {title}")
        payloads.append(str(button.get("payload") or button.get("title")))
    if not parts:
        return Spoken("")
    return Spoken(", ".join(parts) + ".", payloads)


def _birth_date_help() -> str:
    return (
        "Dites-la, ou tapez-la sur le clavier : deux chiffres pour le jour, deux pour le mois "
        "et quatre pour l'année. Par exemple, pour le cinq mars mille neuf cent quatre-vingt-cinq, "
        "tapez zéro cinq, zéro trois, un neuf huit cinq."
    )


IDENTIFIER_HELP = (
    "Dites-le, ou tapez les sept chiffres puis le rang de la lettre dans l'alphabet en deux chiffres : "
    "zéro un pour A, zéro deux pour B, et ainsi de suite. Terminez par la touche dièse."
)

# Responses whose screen wording does not fit the ear. Placeholders are the template's variables.
VOICE_WORDING: dict[str, str] = {
    "utter_greet": (
        "Bonjour, vous êtes en ligne avec allocbot, l'assistant automatique de France Travail pour vos questions "
        "d'allocation chômage. Je ne suis pas une personne, mais un conseiller peut prendre le relais à tout "
        "moment : tapez zéro. Pour réécouter une réponse, tapez étoile."
    ),
    "utter_ask_identifier": (
        "Pour accéder à votre dossier, j'ai besoin de votre identifiant France Travail : sept chiffres et une "
        "lettre. " + IDENTIFIER_HELP
    ),
    "utter_identifier_invalid": (
        "Je n'ai pas reconnu d'identifiant. Il comporte sept chiffres suivis d'une lettre ; vous le trouvez sur "
        "vos courriers France Travail. " + IDENTIFIER_HELP
    ),
    "utter_ask_birth_date": "Merci. Quelle est votre date de naissance ? " + _birth_date_help(),
    "utter_birth_date_invalid": "Je n'ai pas compris cette date. " + _birth_date_help(),
    "utter_phone_not_linked": (
        "Ce numéro n'est relié à aucun dossier France Travail. Pour le relier, ajoutez-le dans votre espace "
        "personnel sur france travail point f r, à la rubrique Mes coordonnées."
    ),
    "utter_offer_human": "Un conseiller peut vous aider : dites conseiller, ou tapez zéro.",
    "utter_human_contact": (
        "Vous pouvez parler à un conseiller France Travail : dites conseiller ou tapez zéro. Vous pouvez aussi "
        "appeler le trente-neuf quarante-neuf, service gratuit plus prix d'un appel, du lundi au vendredi de "
        "huit heures trente à dix-sept heures."
    ),
    "utter_ask_amount": (
        "Quel salaire brut pensez-vous gagner ce mois-ci ? Dites le montant, par exemple huit cents euros, "
        "ou tapez-le en euros, suivi de la touche dièse."
    ),
    "utter_amount_invalid": (
        "Je n'ai pas compris ce montant. Dites-le en euros, par exemple huit cents euros, ou tapez-le sur le "
        "clavier, suivi de la touche dièse."
    ),
    "utter_handoff_live": (
        "Je vous passe un conseiller. Votre demande porte la référence {reference}. Restez en ligne, s'il vous plaît."
    ),
    "utter_handoff_callback": (
        "Les conseillers répondent {hours}. Votre demande est enregistrée sous la référence {reference}. "
        "Je répète : {reference}. Un conseiller vous rappellera à ce numéro {when}."
    ),
    "utter_handoff_unavailable": (
        "Je n'arrive pas à transmettre votre demande pour le moment. Appelez le trente-neuf quarante-neuf, "
        "service gratuit plus prix d'un appel : un conseiller vous répondra. Votre demande sera aussi "
        "transmise dès que possible."
    ),
    "utter_handoff_resumed": "La conversation avec le conseiller est terminée. Quelle est votre autre question ?",
    # A caller whose conversation a counsellor holds is put through again (bot/channels/voice.py).
    "utter_handoff_waiting": "Un conseiller a déjà votre demande. Je vous mets en relation.",
    "utter_default": (
        "Je n'ai pas bien compris. Pouvez-vous reformuler en une phrase ? Par exemple : combien vais-je toucher "
        "ce mois-ci ?"
    ),
    "utter_ask_followup_context": (
        "Pouvez-vous préciser votre question ? Par exemple : combien vais-je toucher en décembre ?"
    ),
    "utter_data_erased": (
        "C'est fait : cette conversation est effacée, ainsi que vos demandes de mise en relation faites ici. "
        "Seul le fait que l'effacement a eu lieu est conservé."
    ),
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _voice_wording(message: dict) -> str | None:
    wording = VOICE_WORDING.get(str(message.get("utter_action") or ""))
    if wording is None:
        return None
    values = {}
    for name in _PLACEHOLDER.findall(wording):
        value = message.get(name)
        if not isinstance(value, str) or not value:
            return None  # a variable we do not have: the screen text, transformed, is safer
        values[name] = value
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], wording)


def spoken_form(message: dict, today: date) -> Spoken:
    """One bot message (Rasa's dict: text, buttons, utter_action, template variables) as the phone says it."""
    wording = _voice_wording(message)
    text = speak_text(wording if wording is not None else str(message.get("text") or ""), today)
    buttons = message.get("buttons") or []
    if not buttons or not isinstance(buttons, list):
        return Spoken(text)
    choices = say_choices(buttons, today)
    lead = text if text.endswith(":") or not text else text + " Pour répondre,"
    return Spoken(f"{lead} {choices.text}".strip(), choices.choices)


__all__ = [
    "MAX_CHOICES",
    "Spoken",
    "VOICE_WORDING",
    "amount_words",
    "digits_words",
    "number_words",
    "say_date",
    "say_reference",
    "speak_text",
    "spoken_form",
]
