"""Safety guard: a message that says it in so many words gets the suicide-prevention answer.

The classifier weighs every word of a message. In a long message about money
(« je n'arrive plus à payer mon loyer… je pense à mettre fin à mes jours »), the
money words can outweigh the one sentence that matters, and the message is then
read as distress (handed to a counsellor, with the emergency numbers) or worse,
as an allowance question. A public service cannot leave the 3114 to a
probability: ``SuicideCueGuard`` runs after the classifier and, when the
normalised words contain an explicit suicidal expression (``CUES``: « suicide »,
« me tuer », « mettre fin à mes jours », « envie de mourir », « me pendre »…)
that is not negated (« je ne suis pas suicidaire »), sets the intent to
``express_suicidal_thoughts`` with confidence 1.0, so that the fallback never
turns it into a clarifying question. This is a rule, not a probability: the other
intents stay in the ranking, in the classifier's order, at 0.

The cues are kept to expressions with no everyday meaning in a job seeker's
message; idioms (« ce boulot me tue », « mort de rire ») are not cues, and
« me tuer à la tâche / au travail / de rire » is excluded. « ça va me tuer »,
« ce dossier va me tuer » (someone or something else as the subject) are
idioms too. Indirect wordings (« j'ai la corde prête », « je veux
disparaître ») are left to the classifier, which has examples of them.

The same holds in the other languages people write in (``FOREIGN_SUICIDAL_CUES``:
English, Spanish, Portuguese, Italian, German, Turkish, Romanian, Polish,
Russian, Ukrainian, Arabic in Arabic letters and in Latin letters, Lingala and
Wolof), read on the folded text (``bot.nlu.languages.fold``: lowercase, no
accents, no Arabic vowel signs) with each language's negations (« I'm not
suicidal », « no quiero morir », « nie chcę umrzeć »). The message then also
carries the ``language`` entity, so that the emergency answer is said in that
language first (``actions/languages.py``).
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.common import needs
from bot.nlu.guards import IntentGuard, impose
from bot.nlu.languages import FRENCH, detect_language, fold, language_scores, message_language, set_language
from bot.nlu.normalizer import message_words

SUICIDAL_INTENT = needs.SUICIDAL_THOUGHTS

# Normalised words (lowercase, no accents, elisions split: « m'ouvrir » → « m ouvrir »).
CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "suicide",
        "suicider",
        "suicidaire",
        "suicidaires",
        "suicidais",
        "suicidait",
        "me tuer",
        "je me tue",
        "me tuerai",
        "me tuerais",
        "me tuais",
        "fin a mes jours",
        "fin a ma vie",
        "en finir avec la vie",
        "en finir avec ma vie",
        "envie de mourir",
        "veux mourir",
        "plus envie de vivre",
        "me pendre",
        "me donner la mort",
        "me foutre en l air",
        "me fous en l air",
        "me fout en l air",
        "me foutrai en l air",
        "me tirer une balle",
        "me tailler les veines",
        "m ouvrir les veines",
        "me jeter sous",
        "me jeter par la fenetre",
        # Issue 20: more explicit French wordings.
        "me flinguer",
        "me buter",
        "envie de crever",
        "veux plus vivre",
        "veux plus etre en vie",
        "plus envie d etre en vie",
        "prefere mourir",
        "prefererais mourir",
        "prefererais etre mort",
        "prefererais etre morte",
        "idees noires",
        "lettre d adieu",
        "sauter du pont",
        "me jeter du pont",
        "me noyer",
        "me laisser mourir",
    )
)
# « ça va me tuer », « ce dossier va me tuer », « tu vas me tuer »: someone or something else kills, an idiom.
OTHER_SUBJECT = frozenset({"va", "vas", "vont", "allait", "ca", "cela", "qui", "tu", "vous", "ils", "elles"})
# « me tuer à la tâche », « au travail », « de rire »: idioms, not cues.
IDIOM_ENDINGS: tuple[tuple[str, ...], ...] = (("a", "la", "tache"), ("au", "travail"), ("au", "boulot"), ("de", "rire"))
NEGATIONS = frozenset({"pas", "jamais", "aucunement", "nullement"})
NEGATION_WINDOW = 3  # words before the cue: « je ne suis pas suicidaire », « je n'ai jamais pensé au suicide »
# A negation before one of these belongs to another clause: « si je touche pas mon alloc, je vais me tuer ».
CLAUSE_STARTS = frozenset(
    {"je", "j", "jvais", "tu", "il", "elle", "on", "si", "mais", "et", "car", "sinon", ",", ".", ";", "!", "?"}
)


def suicidal_cue(words: list[str]) -> str | None:
    """The first explicit, non-negated suicidal expression in normalised ``words``, else None.

    >>> suicidal_cue("je pense a mettre fin a mes jours".split())
    'fin a mes jours'
    >>> suicidal_cue("je ne suis pas suicidaire".split()) is None
    True
    >>> suicidal_cue("ce boulot va me tuer a la tache".split()) is None
    True
    >>> suicidal_cue("si je touche pas mon allocation je me tue".split())
    'je me tue'
    """
    for start in range(len(words)):
        for cue in CUES:
            end = start + len(cue)
            if tuple(words[start:end]) != cue:
                continue
            if any(tuple(words[end : end + len(idiom)]) == idiom for idiom in IDIOM_ENDINGS):
                continue
            if _negated(words, start):
                continue
            if cue[0] == "me" and cue[1].startswith("tu") and OTHER_SUBJECT & set(words[max(0, start - 2) : start]):
                continue
            return " ".join(cue)
    return None


# Explicit suicidal wordings in other languages, as regular expressions on the folded text (\b are word
# boundaries; Arabic has prefixes glued to its words, so its wordings are searched as they are).
FOREIGN_SUICIDAL_CUES: dict[str, tuple[str, ...]] = {
    "en": (
        r"\bkill(ing)? my ?self\b",
        r"\bsuicid(e|al)\b",
        r"\bend(ing)? my (own )?life\b",
        r"\btake my (own )?life\b",
        r"\b(want|wanna|wish) (to )?die\b",
        r"\bwish i (was|were) dead\b",
        r"\bdon ?t want to (live|be alive)\b",
        r"\bdo not want to (live|be alive)\b",
        r"\bno (reason|point) (to|in) (live|living|go on)\b",
        r"\bbetter off dead\b",
        r"\bhang myself\b",
        r"\bend it all\b",
    ),
    "es": (
        r"\bsuicid(arme|arse|io|a)\b",
        r"\bmatarme\b",
        r"\bme (voy a|quiero|puedo) matar\b",
        r"\bquitarme la vida\b",
        r"\bacabar con mi vida\b",
        r"\b(quiero|me quiero) morir(me)?\b",
        r"\bganas de morir\b",
        r"\bno quiero (seguir )?vivir\b",
    ),
    "pt": (
        r"\bsuicid(ar|io|a)\b",
        r"\bme matar\b",
        r"\bmatar me\b",
        r"\bquero morrer\b",
        r"\bvontade de morrer\b",
        r"\bnao quero (mais )?viver\b",
        r"\btirar a (minha )?(propria )?vida\b",
        r"\bacabar com a (minha )?vida\b",
    ),
    "it": (
        r"\bsuicid(armi|arsi|io|a)\b",
        r"\buccidermi\b",
        r"\bammazzarmi\b",
        r"\bvoglio morire\b",
        r"\btogliermi la vita\b",
        r"\bfarla finita\b",
        r"\bnon voglio (piu )?vivere\b",
    ),
    "de": (
        r"\bselbstmord\w*",
        r"\bsuizid\w*",
        r"\bmich (umbringen|toten)\b",
        r"\bbringe? mich um\b",
        r"\b(will|mochte) sterben\b",
        r"\bsterben (will|mochte)\b",
        r"\bnicht mehr leben\b",
        r"\bmein leben beenden\b",
        r"\bdas leben nehmen\b",
    ),
    "tr": (
        r"\bintihar\w*",
        r"\bkendimi (oldur|as)\w*",
        r"\bolmek istiyorum\b",
        r"\byasamak istemiyorum\b",
        r"\bcanima kiy\w*",
    ),
    "ro": (
        r"\bsinucid\w*",
        r"\bsa ma omor\b",
        r"\bvreau sa mor\b",
        r"\bnu (mai )?vreau sa (mai )?traiesc\b",
        r"\b(imi|mi) iau viata\b",
    ),
    "pl": (
        r"\bsamobojstw\w*",
        r"\bzabic sie\b",
        r"\bzabije sie\b",
        r"\bsie zabic\b",
        r"\bchce umrzec\b",
        r"\bnie chce (juz )?zyc\b",
        r"\bodebrac sobie zycie\b",
        r"\bpowiesic sie\b",
    ),
    "ru": (
        r"\bсуицид\w*",
        r"\bсамоубииств\w*",
        r"\bпокончить с собои\b",
        r"\bпокончу с собои\b",
        r"\bубить себя\b",
        r"\bубью себя\b",
        r"\bхочу умереть\b",
        r"\bне хочу жить\b",
        r"\bповеситься\b",
        r"\bповешусь\b",
    ),
    "uk": (
        r"\bсамогубств\w*",
        r"\bсуіцид\w*",
        r"\bпокінчити з собою\b",
        r"\bвбити себе\b",
        r"\bвб ю себе\b",
        r"\bхочу померти\b",
        r"\bне хочу жити\b",
    ),
    "ar": (
        "انتحر",
        "انتحار",
        "نتحر",
        "اقتل نفسي",
        "قتل نفسي",
        "نقتل روحي",
        "نقتل راسي",
        "اريد ان اموت",
        "اريد الموت",
        "بغيت نموت",
        "ابغي اموت",
        "ابي اموت",
        "نحب نموت",
        "لا اريد ان اعيش",
        "ما بغيتش نعيش",
        "انهي حياتي",
        "انهاء حياتي",
    ),
    "ar-latn": (
        r"\b(bghit|bghite|baghi|baghya|habit|habb|hab|nhab|nheb|nebghi|nbghi) n(e)?mou?t\b",
        r"\bn(q|9|k)tel (rasi|rassi|rou7i|ro7i|roohi)\b",
        r"\bnent(a|e)h(a|e)?r\w*",
        r"\bnta(h|7)ar\w*",
        r"\bma ?bghit(ch|che)? n3ich\b",
    ),
    "ln": (r"\b(nalingi|nazali kolinga|kolinga) kokufa\b", r"\b(na)?komiboma\b"),
    "wo": (r"\bdama begg dee\b", r"\bbegg naa dee\b"),
}
FOREIGN_NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"not", "never", "dont", "t", "no", "wouldn", "won"}),
    "es": frozenset({"no", "nunca", "jamas"}),
    "pt": frozenset({"nao", "nunca", "jamais"}),
    "it": frozenset({"non", "mai"}),
    "de": frozenset({"nicht", "nie", "niemals", "kein"}),
    "ro": frozenset({"nu", "niciodata"}),
    "pl": frozenset({"nie", "nigdy"}),
    "ru": frozenset({"не", "никогда"}),
    "uk": frozenset({"не", "ніколи"}),
    "ar": frozenset({"لا", "لن", "ما", "مش"}),
    "ar-latn": frozenset({"ma", "mach", "machi", "mashi"}),
}
FOREIGN_NEGATION_WINDOW = 2  # « I'm not suicidal », « I don't want to die », « no quiero morir », within a clause
_FOREIGN_PATTERNS = {
    lang: [re.compile(fold(cue) if lang == "ar" else cue) for cue in cues]
    for lang, cues in FOREIGN_SUICIDAL_CUES.items()
}


def foreign_suicidal_cue(text: str) -> tuple[str, str] | None:
    """The language and the words of the first explicit, non-negated suicidal wording of another language
    in ``text``, else None.

    >>> foreign_suicidal_cue("I want to kill myself")
    ('en', 'kill myself')
    >>> foreign_suicidal_cue("I'm not suicidal, I just want my money") is None
    True
    """
    for clause in re.split(r"[,.;:!?()\n]+|\s[-–]\s", text or ""):
        folded = fold(clause)
        for lang, patterns in _FOREIGN_PATTERNS.items():
            negations = FOREIGN_NEGATIONS.get(lang, frozenset())
            for pattern in patterns:
                for found in pattern.finditer(folded):
                    before = folded[: found.start()].split()[-FOREIGN_NEGATION_WINDOW:]
                    if negations & set(before) and found.group(0).split()[0] not in negations:
                        continue
                    return lang, found.group(0)
    return None


def _negated(words: list[str], start: int) -> bool:
    """A negation in the few words before ``start``, in the same clause."""
    if words[start] in CLAUSE_STARTS:  # « je me tue »: a negated form would not match the cue
        return False
    for word in reversed(words[max(0, start - NEGATION_WINDOW) : start]):
        if word in NEGATIONS:
            return True
        if word in CLAUSE_STARTS:
            return False
    return False


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SuicideCueGuard(IntentGuard):
    """Sets ``express_suicidal_thoughts`` when a message contains an explicit suicidal expression."""

    def guard(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        if intent.get("name") == SUICIDAL_INTENT and intent.get("confidence", 0.0) >= 1.0:
            return
        if suicidal_cue(message_words(message)) is not None:
            impose(message, SUICIDAL_INTENT)
            return
        text = message.get(TEXT) or ""
        found = foreign_suicidal_cue(text)
        if found is None:
            return
        impose(message, SUICIDAL_INTENT)
        if message_language(message) is None:
            lang = _language_of(text, found[0])
            if lang != FRENCH:
                set_language(message, lang)


def _language_of(text: str, cue_language: str) -> str:
    """The language of a message with a suicidal wording of ``cue_language``: the detector's, or, for a
    message too short for it (« voglio farla finita »), the wording's when no French word is there."""
    detected = detect_language(text)
    if detected != FRENCH:
        return detected
    scores = language_scores(text)
    if scores[FRENCH] == 0 or scores.get(cue_language, 0) > scores[FRENCH]:
        return cue_language
    return FRENCH
