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
idioms too; so is « se tuer à » + a verb (« je me tue à vous le dire »), and
« en finir avec » a thing (« avec ce dossier »: « je veux en finir » is a cue).
SMS spellings of the cues' words are read as the words (« jveux mourir », « jai pu
envie de vivre »). Indirect wordings (« j'ai la corde prête », « je veux
disparaître ») are left to the classifier, which has examples of them.

The same holds in the other languages people write in (``FOREIGN_SUICIDAL_CUES``:
English, Spanish, Portuguese, Italian, German, Turkish, Romanian, Polish,
Russian, Ukrainian, Arabic in Arabic letters and in Latin letters, Lingala and
Wolof), read on the folded text (``bot.nlu.languages.fold``: lowercase, no
accents, no Arabic vowel signs) with each language's negations (« I'm not
suicidal », « no quiero morir », « nie chcę umrzeć »). The message then also
carries the ``language`` entity, so that the emergency answer is said in that
language first (``actions/languages.py``). Issue 20: Italian and Maghrebi Arabic in
Latin letters (« mi voglio ammazzare », « non ce la faccio più a vivere », « 7ab
nmout », « nqtel rasi », « ma bghitch n3ich », digits 3 7 9 for letters) have their
common wordings; « suicide », a French word too, is not read as English after a
French negation.
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
        "fin a mes jour",  # issue 20: SMS spelling
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
        # Issue 20, safety precision and recall: the common explicit wordings left to the classifier before.
        "en finir",  # « je veux en finir », « envie d'en finir »; « en finir avec ce dossier » is not (below)
        "voudrais mourir",
        "aimerais mourir",
        "souhaite mourir",
        "veux crever",
        "veux etre mort",
        "veux etre morte",
        "voudrais etre mort",
        "voudrais etre morte",
        "aimerais etre mort",
        "aimerais etre morte",
        "serais mieux mort",
        "serais mieux morte",
        "plus envie d exister",
        "veux plus exister",
        "me faire sauter la cervelle",
        "me faire sauter le caisson",
        "me jeter d un pont",
        "me jeter du haut",
        "me jeter sous un train",
        "sauter par la fenetre",
        "me defenestrer",
        "m empoisonner",
        "me mettre en l air",
        "pense a mourir",
        "peux plus de vivre",
        "plus la force de vivre",
        "mieux vaut mourir",
        "a quoi bon vivre",
        "merite pas de vivre",
        "me tire une balle",
        "me jette sous",
        "me jette par la fenetre",
        "me jette du",
        "me jeter du balcon",
        "ne plus me reveiller",
        "veux plus me reveiller",
    )
)
# Words between the subject and the cue that change nothing (« je veux juste mourir », « j'ai vraiment envie d'en
# finir »): left out when the cues are looked for.
FILLERS = frozenset({"juste", "vraiment", "seulement", "simplement", "tellement", "carrement", "limite", "sincerement"})
# SMS and hurried spellings of the cues' words, read as the words (« jveux mourir », « jai pu envie de vivre »).
SMS_WORDS: dict[str, tuple[str, ...]] = {
    "jveux": ("je", "veux"),
    "jveu": ("je", "veux"),
    "jvx": ("je", "veux"),
    "jvoudrais": ("je", "voudrais"),
    "veu": ("veux",),
    "veut": ("veux",),
    "vx": ("veux",),
    "plu": ("plus",),
    "pu": ("plus",),
    "envi": ("envie",),
    "anvie": ("envie",),
    "mourrir": ("mourir",),
    "mourire": ("mourir",),
    "mouri": ("mourir",),
    "fini": ("finir",),
    "finire": ("finir",),
    "lair": ("l", "air"),  # issue 20: « me foutre en lair »
}
# « ça va me tuer », « ce dossier va me tuer », « tu vas me tuer »: someone or something else kills, an idiom.
OTHER_SUBJECT = frozenset({"va", "vas", "vont", "allait", "ca", "cela", "qui", "tu", "vous", "ils", "elles"})
# « me tuer à la tâche », « au travail », « de rire »: idioms, not cues.
IDIOM_ENDINGS: tuple[tuple[str, ...], ...] = (
    ("a", "la", "tache"),
    ("au", "travail"),
    ("au", "boulot"),
    ("au", "taf"),
    ("de", "rire"),
    # Issue 20: « me tirer une balle dans le pied », « je veux mourir de honte », « mourir d'ennui ».
    ("dans", "le", "pied"),
    ("de", "honte"),
    ("de", "fatigue"),
    ("d", "ennui"),
    ("de", "peur"),
    # « me pendre au téléphone », « me pendre à son cou »: on the phone, a hug.
    ("au", "telephone"),
    ("au", "tel"),
    ("au", "cou"),
    ("a", "son", "cou"),
    # Issue 20: on the line to the service (« je vais me pendre à votre standard »).
    ("au", "standard"),
    ("a", "votre", "standard"),
    ("a", "votre", "telephone"),
    ("au", "bout", "du", "fil"),
)
# « je me tue à vous le dire », « je me tue à chercher du travail »: « se tuer à » + a verb is to wear oneself out.
OBJECT_PRONOUNS = frozenset({"vous", "te", "t", "le", "la", "les", "l", "lui", "leur", "me", "m", "y", "en"})
NOT_VERBS = frozenset({"hier", "soir", "mer", "pere", "mere", "frere", "heure", "noire", "cause", "force"})
# « en finir avec ce dossier », « avec cette histoire »: done with something, not with life.
THING_DETERMINERS = frozenset(
    {
        "ce",
        "cet",
        "cette",
        "ces",
        "le",
        "la",
        "les",
        "l",
        "mon",
        "ma",
        "mes",
        "votre",
        "vos",
        "ton",
        "ta",
        "tes",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "un",
        "une",
        "des",
        "notre",
        "nos",
    }
)
LIFE_WORDS = frozenset({"vie", "jours", "existence", "moi", "tout", "tous", "toutes"})
NEGATIONS = frozenset({"pas", "jamais", "aucunement", "nullement"})
NEGATION_WINDOW = 3  # words before the cue: « je ne suis pas suicidaire », « je n'ai jamais pensé au suicide »
# A negation before one of these belongs to another clause: « si je touche pas mon alloc, je vais me tuer ».
CLAUSE_STARTS = frozenset(
    {"je", "j", "jvais", "tu", "il", "elle", "on", "si", "mais", "et", "car", "sinon", ",", ".", ";", "!", "?"}
)


def _read_sms(words: list[str]) -> list[str]:
    return [part for word in words if word not in FILLERS for part in SMS_WORDS.get(word, (word,))]


def _wearing_out(words: list[str], end: int) -> bool:
    """« se tuer à » + a verb (« je me tue à vous le dire », « à chercher du boulot »): an idiom."""
    if end >= len(words) or words[end] != "a":
        return False
    following = words[end + 1 : end + 4]
    for word in following:
        if word in OBJECT_PRONOUNS:
            continue
        return len(word) > 3 and word.endswith(("er", "ir", "re")) and word not in NOT_VERBS
    return False


FINISH_FILLERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(filler.split())
    for filler in ("une bonne fois pour toutes", "une fois pour toutes", "bonne fois pour toutes", "vite", "enfin")
)
# « ce site me donne envie de mourir »: a thing of the service as the subject, a figure (« ma vie me donne envie de
# mourir », « tout ça me donne envie de mourir » stay cues).
SERVICE_THINGS = frozenset(
    {"site", "appli", "application", "formulaire", "serveur", "standard", "bug", "actualisation", "paperasse"}
)


def _service_gives_the_wish(words: list[str], start: int) -> bool:
    before = words[max(0, start - 4) : start]
    return before[-2:] in (["me", "donne"], ["me", "donnent"]) and bool(SERVICE_THINGS & set(before[:-2]))


def _done_with_a_thing(words: list[str], start: int, end: int) -> bool:
    """« en finir avec ce dossier », « hâte d'en finir », « on va en finir »: done with a thing, not with life."""
    before = words[max(0, start - 2) : start]
    if "hate" in before or set(before) & {"on", "vous", "ils", "elles", "qu", "que"}:
        return True
    after = words[end : end + 8]
    for filler in FINISH_FILLERS:  # « en finir une bonne fois pour toutes avec cette histoire »
        if tuple(after[: len(filler)]) == filler:
            after = after[len(filler) :]
            break
    after = after[:3]
    if after[:1] != ["avec"]:
        return False
    return len(after) > 1 and after[1] in THING_DETERMINERS and not (set(after[1:]) & LIFE_WORDS)


# The verbs and adverbs between a subject and « me tuer » (« ça va finir par me tuer », « ce dossier va bien finir par
# me tuer un jour »): skipped when the subject is looked for.
VERB_CHAIN = frozenset({"finir", "par", "bien", "surement", "vraiment", "un", "jour", "bientot", "peut", "etre"})


def _killed_by_another(words: list[str], start: int) -> bool:
    """« ça va me tuer », « cette paperasse va finir par me tuer »: someone or something else as the subject."""
    before = [word for word in words[max(0, start - 6) : start] if word not in VERB_CHAIN]
    return bool(OTHER_SUBJECT & set(before[-2:]))


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
    >>> suicidal_cue("je me tue a vous le dire".split()) is None
    True
    >>> suicidal_cue("jveux en finir".split())
    'en finir'
    """
    words = _read_sms(words)
    for start in range(len(words)):
        for cue in CUES:
            end = start + len(cue)
            if tuple(words[start:end]) != cue:
                continue
            if any(tuple(words[end : end + len(idiom)]) == idiom for idiom in IDIOM_ENDINGS):
                continue
            if _negated(words, start):
                continue
            if cue[0] == "me" and cue[1].startswith("tu") and _killed_by_another(words, start):
                continue
            if any(word.startswith("tue") for word in cue) and _wearing_out(words, end):
                continue
            if cue == ("en", "finir") and _done_with_a_thing(words, start, end):
                continue
            if cue[0] in ("suicide", "suicidaire") and _figure_of_suicide(words, start):
                continue
            if cue == ("envie", "de", "mourir") and _service_gives_the_wish(words, start):
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
        # Issue 20: more of the common wordings.
        r"\bkms\b",
        r"\bunalive (my ?self|me)\b",
        r"\boff my ?self\b",
        r"\b(want|wanna|wish|like) to be dead\b",
        r"\bwish i could die\b",
        r"\brather (be )?dead\b",
        r"\bslit my wrists?\b",
        r"\bjump off (a|the) (bridge|building|roof)\b",
        r"\bdon ?t want to be (here|alive|around) anymore\b",
        r"\b(going|gonna) to die tonight\b",
        # Issue 20: « I want to end it », « I'm going to end it tonight », « I can't go on living ».
        r"\b(want|wanna|going|gonna|gon na|about|ready) (to )?end it( tonight| now| today)?$",
        r"\bcan ?t (go on|keep) living\b",
        r"\b(want|wanna|going|gonna) (to )?(jump|throw myself) (off|from|in front of)\b",
        r"\b(want|wanna|going|gonna) (to )?overdose\b",
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
        # Issue 20.
        r"\bsuicidar(me|se)?\b",
        r"\bme mato\b",
        r"\bme voy a quitar la vida\b",
        r"\bquiero (estar|estar ya) muert[oa]\b",
        r"\bprefiero (morir|morirme|estar muert[oa])\b",
        r"\bcolgarme\b",
        r"\bme quiero (colgar|tirar)\b",
        r"\bno quiero vivir mas\b",
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
        # Issue 20.
        r"\btirar (a )?minha (propria )?vida\b",
        r"\bme enforcar\b",
        r"\bquero (estar )?mort[oa]\b",
        r"\bprefiro morrer\b",
        r"\bnao quero viver mais\b",
    ),
    "it": (
        r"\bsuicid(armi|arsi|io|a)\b",
        r"\buccidermi\b",
        r"\bammazzarmi\b",
        r"\bvoglio morire\b",
        r"\btogliermi la vita\b",
        r"\bfarla finita\b",
        r"\bnon voglio (piu )?vivere\b",
        # Issue 20: « mi voglio ammazzare », « non ce la faccio più a vivere », « la faccio finita ».
        r"\bsuicid(o|ero|erei|armi|arsi)\b",
        r"\bmi (voglio|vorrei|devo|vado a|sto per) (ammazzare|uccidere|suicidare|impiccare|buttare)\b",
        r"\bmi (ammazzo|uccido|impicco|sparo|butto (giu|dal|dalla|sotto))\b",
        r"\b(ammazzarmi|uccidermi|impiccarmi|spararmi|buttarmi)\b",
        r"\bla faccio finita\b",
        r"\b(vorrei|voglio|preferisco|preferirei) (morire|essere mort[oa])\b",
        r"\b(ho )?voglia di morire\b",
        r"\bmeglio mort[oa]\b",
        r"\bnon ce la faccio (piu )?a vivere\b",
        r"\bnon (ha|ha piu) senso vivere\b",
        r"\bstanc[oa] di vivere\b",
        r"\bmi tolgo la vita\b",
        r"\bfarmi fuori\b",
        r"\bnon voglio vivere piu\b",
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
        # Issue 20.
        r"\b(will|mochte|ware) (lieber )?tot( sein)?\b",
        r"\blieber tot\b",
        r"\bmich (erhangen|aufhangen|erschiessen)\b",
        r"\bnicht mehr leben (will|mochte)\b",
    ),
    "tr": (
        r"\bintihar\w*",
        r"\bkendimi (oldur|as)\w*",
        r"\bolmek istiyorum\b",
        r"\byasamak istemiyorum\b",
        r"\bcanima kiy\w*",
        r"\b(olmek|olsem) (isterim|daha iyi)\b",
    ),
    "ro": (
        r"\bsinucid\w*",
        r"\bsa ma omor\b",
        r"\bvreau sa mor\b",
        r"\bnu (mai )?vreau sa (mai )?traiesc\b",
        r"\b(imi|mi) iau viata\b",
        r"\bma omor\b",
        r"\bvreau sa ma (omor|sinucid)\b",
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
        r"\bpowiesze sie\b",
        r"\bwole umrzec\b",
        r"\bnie chce zyc\b",
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
        r"\bне хочу (больше )?жить\b",
        r"\bхочу сдохнуть\b",
        r"\bпокончить с жизнью\b",
        r"\bубью себя\b",
    ),
    "uk": (
        r"\bсамогубств\w*",
        r"\bсуіцид\w*",
        r"\bпокінчити з собою\b",
        r"\bвбити себе\b",
        r"\bвб ю себе\b",
        r"\bхочу померти\b",
        r"\bне хочу жити\b",
        r"\bне хочу (більше )?жити\b",
        r"\bхочу вмерти\b",
        r"\bнакласти на себе руки\b",
        r"\bповіситися\b",
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
        # Issue 20: Maghrebi and Levantine wordings.
        "قتل روحي",
        "مابغيتش نعيش",
        "باغي نموت",
        "حاب نموت",
        "نحب نموت",
        "بدي موت",
        "بدي اموت",
        "اتمنى الموت",
        "اتمنى ان اموت",
        "لا اريد العيش",
    ),
    "ar-latn": (
        r"\b(bghit|bghite|baghi|baghya|habit|habb|hab|nhab|nheb|nebghi|nbghi) n(e)?mou?t\b",
        r"\bn(q|9|k)tel (rasi|rassi|rou7i|ro7i|roohi)\b",
        r"\bnent(a|e)h(a|e)?r\w*",
        r"\bnta(h|7)ar\w*",
        r"\bma ?bghit(ch|che)? n3ich\b",
        # Issue 20: darija, Algerian and Tunisian in Latin letters, with 3 7 9 for ع ح ق and their spellings.
        # « bghit nmout », « 7ab nmout », « rani habb nmout », « bghit ghir nmout »: want to die.
        r"\b(bgh(i|ee|y)te?|bagh(i|ya|ia)|n?(7|h)(a|e)bb?(it)?|n?(7|h)ebb?|nebghi|nbghi|brit)"
        r" ((ghir|gha|ghi|daba|ana|n|ba|bach) )?n(e)?mou+te?\b",
        # « nmout » on its own (« ghadi nmout », « rani nmout »), not « nmout bdh7k » (laughing) nor « nmout 3lik »
        # (love).
        r"\bn(e)?mou+te?\b(?! (b ?(e)?d(h|7)?(e)?(h|7)?k\w*|mn (e)?d(h|7)|bel? ?far7a|3li\w*|3la\w*|fik\w*|fi\w*))",
        # « nqtel rasi », « n9tl rassi », « nqatal rou7i », « n3l9 rasi » (hang myself), « nrmi rasi » (throw myself).
        r"\bn?(q|9|k)(e|a)?t(e|a)?l (rasi|rassi|raasi|rasy|rohi|rou7i|ro7i|rouhi|roohi|nafsi|nefsi|nfsi)\b",
        r"\bn(3|a)?(a|e)?l(e|a)?(9|q|g) (rasi|rassi|rohi|rou7i|ro7i)\b",
        r"\bn(e|a)?rmi (rasi|rassi|rohi|rou7i|ro7i)\b",
        r"\bn?(e|i)?nt(a|e|i)?(h|7)(a|e)?r\w*",
        r"\bnanta(h|7)ar\w*",
        r"\bma ?bghi(t|te)?(ch|che|sh|tch|tsh)? n3(i|e|a)?(ch|sh|y)\w*",
        r"\b(ma ?)?n?(7|h)ebb?(ech|ich|ch|sh|ech) n3(i|e|a)?(ch|sh|y)\w*",
        r"\bma ?b9it(ch|sh)? (bagh(i|ya)|bghit|n?(7|h)ebb?) n3(i|e|a)?(ch|sh|y)\w*",
        # glued future and spellings: « ghanmout », « bghit nmoot », « ghan9tel rasi », « rasi ghadi nqtlo »
        r"\b(gha|ghan|ghadi|kan|ra|bach|bech|ba)n(e)?m(ou|oo|o|u|ow)+te?\b",
        r"\bn(e)?m(oo|ow|u)+te?\b(?! (b ?(e)?d(h|7)?(e)?(h|7)?k\w*|mn (e)?d(h|7)|3li\w*|3la\w*|fik\w*|fi\w*))",
        r"\b(gha|ghan|ghadi|kan|tan|bach|ba|an)n?(q|9|k)(e|a)?t(e|a)?l ?"
        r"(rasi|rassi|raasi|rasy|rohi|rou7i|ro7i|rouhi)\b",
        r"\b(rasi|rassi|rohi|rou7i|ro7i) ((ghadi|gha|bghit|baghi) )?n(q|9|k)(e|a)?t(e|a)?l(o|ou|ha|h)\b",
        # a French verb in darija: « bghit nsuicidi », « ghadi nsuisidi rasi »
        r"\bn(e)?sui(c|s)id\w*",
        # hang, strangle, burn, throw myself: « nchne9 rasi », « nkhne9 rasi », « n7reg rasi », « nlo7 rou7i »
        r"\bn(o|e)?chn(e|a|o)?(q|9|g) (rasi|rassi|rohi|rou7i|ro7i)\b",
        r"\bn?(kh|5)n(e|a)?(q|9|g) (rasi|rassi|rohi|rou7i|ro7i)\b",
        r"\bn?(7|h)(e|a)?r(e|a)?(g|q|9) (rasi|rassi|rohi|rou7i|ro7i)\b",
        r"\bn(e)?lo(h|7) (rasi|rassi|rohi|rou7i|ro7i)\b",
        # no reason to live, death is better, my life is over, not stay alive
        r"\b((ma ?kayn(ch)?|ma ?3(a|e)?ndi(ch)?) )?(3lach|3lah|3lech) n3(i|e)(ch|sh)\b",
        r"\bl ?mout (7sen|a7sen|hsen|ahsan|khir|khsen|ahsen)\b",
        r"\b(7|h)yati (salat|kmlat|tsalat|mab9atch|mabqatch)\b",
        r"\b(ma ?)?bghit(ch|sh)? nb(9|q)a (7ay|hay|7aya|haya|7ya|hya)\b",
        r"\b3yit (mn|men|m) "
        r"(7yati|hyati|had l ?(7|h)ya(t|ti)|l ?(7|h)ya(t|ti)|l ?(7|h)ayat|(7|h)ayati|had (7|h)ayat)\b",
    ),
    "ln": (r"\b(nalingi|nazali kolinga|kolinga) kokufa\b", r"\b(na)?komiboma\b"),
    "wo": (r"\bdama begg dee\b", r"\bbegg naa dee\b"),
}
FOREIGN_NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"not", "never", "dont", "t", "wouldn", "won"}),
    "es": frozenset({"no", "nunca", "jamas"}),
    "pt": frozenset({"nao", "nunca", "jamais"}),
    "it": frozenset({"non", "mai"}),
    "de": frozenset({"nicht", "nie", "niemals", "kein"}),
    "ro": frozenset({"nu", "niciodata"}),
    "pl": frozenset({"nie", "nigdy"}),
    "ru": frozenset({"не", "никогда"}),
    "uk": frozenset({"не", "ніколи"}),
    "ar": frozenset({"لا", "لن", "ما", "مش"}),
    "ar-latn": frozenset(
        {
            "ma",
            "mach",
            "machi",
            "mashi",
            "mech",
            "mch",
            "mish",
            "mabghitch",
            "mabghitsh",
            "mabghich",
            "bghitch",
            "manhebech",
            "man7ebech",
            "nhebech",
            "n7ebech",
            "mabghach",
            "mankhafch",
        }
    ),
}
# Issue 20, Arabic in Latin letters (darija, Algerian, Tunisian, Egyptian, Levantine): the same word is spelt many
# ways (« nmout », « nmoot », « nmot », « nemoute »; « nqtel », « n9tl », « nktel », « n2tol »; « rou7i », « rohi »,
# « ro7i »). ``arabizi`` reads them as one spelling (9 2 q → k, 7 → h, 5 → kh, 8 → gh, 6 → t inside words; « ou »,
# « oo », « u » → o; « sh » → ch; doubled letters once), and these lexicons are matched on that spelling: a verb of
# wanting with a verb of dying, a verb of killing, hanging, throwing or burning with « myself », a verb of ending
# with « my life » or « this world », « live » negated. They add to the wordings above, never replace them.
_A_WANT = (
    r"(bghit|bghyt|bghet|bghit|bagh|baghi|baghia|baghya|nbghi|nebghi|nbgha|habit|hab|hb|nhab|nhib|nheb|nhb|brit|nbi|"
    r"abi|abgha|abghi|nabgha|badi|bedi|bidi|bdi|badde|bade|bede|3ayez|3ayz|3ayza|3ayiz|3aiz|3awz|3awza|3awez|"
    r"nawi|nawia|nawya|nwit|nfaker|kanfaker|kanfker|kanfkr|nfker|nfkr|tanfker|tanfaker|9rib|krib|kbel ma|nefsi|nafsi|"
    r"nfsi)"
)
_A_DIE = r"((gh|ghi|gha|ghir|ghi|daba|ana|ani|bach|bech|ba|n|khlas|wa7ed|lyoum|lyom) )?[nae]?mote?\b(?! ?d(e)? ?pas\w*)"
_A_SELF = r"(rasi|rasy|rassi|rohi|rohy|rwhi|nafsi|nafsy|nefsi|nefsy|nfsi|nfsy|hali|haly|hale|halee)"
_A_LIFE = r"((l ?|had ?l ?|had )?(hyati|hayati|hyat|hayat|hya|hiat|hiati))"
_A_WORLD = r"((had |hal )?(l ?|d)?(denya|dnya|donya|dunya|dinya))"
ARABIZI_SUICIDAL_CUES: tuple[str, ...] = (
    # want to die: « bghit nmot », « rani 7ab nmot », « ana 3ayez amot », « badde mout », « abgha amoot »
    rf"\b{_A_WANT} {_A_DIE}",
    rf"\b(rani|rah|ana|ani|ghadi|gha|ghan|bach|bech) ({_A_WANT} )?[nae]?mote?\b(?! ?d(e)? ?pas\w*)",
    # « nmot » on its own, not « nmot bdhk » (laughing), « nmot 3lik » (love), « nmot b lfarha »
    r"\bn[ea]?mote?\b(?! (b ?\w*dh\w*k\w*|mn (e)?dh\w*|b ?el? ?farha|b ?l ?farha|3l\w*|fi\w*|d(e)? ?pas\w*|de\b))",
    # kill myself: « nqtel rasi », « naqtel rouhi », « n2tol 7ali », « ra7 e2tol 7ali », « bech nektel rou7i »
    rf"\b\w{{0,4}}k[aeio]?t[aeio]?l(t|o|ha|h)? {_A_SELF}\b",
    rf"\b{_A_SELF} ((ghadi|gha|bghit|baghi|rah|ra) )?\w{{0,3}}k[aeio]?t[aeio]?l(o|ha|h)\b",
    # Egyptian « hamawet nafsi », « hamwet nafsy »: I'll kill myself
    rf"\b\w{{0,3}}maw?[aei]?t {_A_SELF}\b",
    # hang, strangle, throw, burn, slit myself: « n3l9 rasi », « nchne9 rasi », « nrmi rasi », « nlo7 rohi »,
    # « ntle9 rasi mn lbalcon », « n7re9 rasi », « ndba7 rasi »
    rf"\b\w{{0,4}}(3[aei]?l[aei]?(k|g)|chn[aeo]?(k|g)|khn[aeo]?(k|g)|rmi|rmy|rami|loh|lah|tl[aei]?(k|g)|"
    rf"h[aeo]?r[aeo]?(k|g)|db[aeo]?h|chr[aeo]?(k|g)|ghr[aeo]?(k|g)) {_A_SELF}\b",
    # end my life, finish myself off, leave this world: « nsali m3a 7yati », « nkml 3la rasi », « nqdi 3la rasi »,
    # « ndir 7ad l 7yati », « nmchi mn had denya », « nkhles mn had dnya »
    rf"\b\w{{0,4}}(sali|saly) ((m3a|ma3a|mn) )?{_A_LIFE}\b",
    rf"\b\w{{0,4}}(kml|kmel|kemel|kamel) 3la {_A_SELF}\b",
    rf"\b\w{{0,4}}(k[aei]?d(i|a|y)|sali|saly) 3la ({_A_SELF}|{_A_LIFE})\b",
    rf"\b\w{{0,2}}(nhi|nehi|anhi) {_A_LIFE}\b",
    rf"\b\w{{0,2}}dir h[aei]d (l ?)?{_A_LIFE}\b",
    rf"\b\w{{0,4}}(mchi|mch|khrj|kherj|khl[aei]?s|rtah|rayah|hrb|hreb) (mn|men|m) {_A_WORLD}\b",
    # suicide as a darija verb: « ntsuicida », « bghit nsuicidi », « ghansuicidi »
    r"\b(n|nt|t|gh|ghan|ban|bn)soi[cs]id\w*",
    # not live any more: « ma bqitch baghi n3ich », « la bghit n3ich », « mab9itch bghit n3ich », « ma b9ach 3andi
    # 3lach n3ich » (not « ma3ndich bach n3ich », no means to live: money)
    r"\b(ma ?\w+(ch|sh)|ma|la|mch|mech|mich|mani|mach|machi) (\w+ ){0,2}(?<!bach )(?<!bech )n3[aei]?(ch|y)\w*",
)
_ARABIZI_DIGITS = str.maketrans({"9": "k", "2": "k", "7": "h", "5": "kh", "8": "gh", "6": "t", "q": "k"})


def arabizi(folded: str) -> str:
    """One spelling of Arabic in Latin letters (see ``ARABIZI_SUICIDAL_CUES``).

    >>> arabizi("rani 7abb nmoooute")
    'rani hab nmote'
    >>> arabizi("n9tel rou7i 20 ans")
    'nktel rohi 20 ans'
    """
    words = []
    for word in folded.split():
        if any(c.isalpha() for c in word):
            word = word.translate(_ARABIZI_DIGITS)
            word = re.sub(r"(ou|oo|u)", "o", word).replace("sh", "ch").replace("ee", "i")
            word = re.sub(r"(\w)\1+", r"\1", word)
        words.append(word)
    return " ".join(words)


_ARABIZI_PATTERNS = [re.compile(cue) for cue in ARABIZI_SUICIDAL_CUES]
_ARABIZI_NEGATIONS = frozenset(arabizi(word) for word in FOREIGN_NEGATIONS["ar-latn"])

# Wordings that are French words too (« suicide »): a French negation before them counts (« je n'ai jamais
# pensé au suicide » is not the English « suicide »).
FRENCH_HOMOGRAPHS = frozenset({"suicide", "suicides", "suicida"})
FOREIGN_NEGATION_WINDOW = 2  # « I'm not suicidal », « I don't want to die », « no quiero morir », within a clause
# « I'm not going to kill myself »: English puts three words between them (« no » is no negation there: « no money
# no food I want to die »).
NEGATION_WINDOWS = {"en": 3}
# Issue 20, Arabic letters: a verb of wanting with « die », a verb of killing, hanging, throwing or burning with
# « myself », in every dialect's spelling (« نبغي نموت », « عايز اموت », « بدي موت », « هقتل نفسي », « نرمي روحي »),
# as regular expressions on the folded text (written folded: no hamza on alif).
ARABIC_SCRIPT_PATTERNS: tuple[str, ...] = (
    r"(بغيت|باغي|باغيه|باغية|نبغي|ابغي|ابغى|ابي|بدي|عايز|عايزه|عايزة|عاوز|عاوزه|عاوزة|حاب|حابه|حابة|نحب|"
    r"اريد|نريد|نبي|ودي|نفسي) (ان )?(نموت|اموت|موت)",
    r"\w*(قتل|نشنق|اشنق|نرمي|ارمي|نلوح|نحرق|احرق|نذبح) (نفسي|روحي|راسي|حالي)",
)
_FOREIGN_PATTERNS = {
    lang: [re.compile(fold(cue) if lang == "ar" else cue) for cue in cues]
    + ([re.compile(fold_pattern) for fold_pattern in ARABIC_SCRIPT_PATTERNS] if lang == "ar" else [])
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
                    before = folded[: found.start()].split()[-NEGATION_WINDOWS.get(lang, FOREIGN_NEGATION_WINDOW) :]
                    if negations & set(before) and found.group(0).split()[0] not in negations:
                        continue
                    if found.group(0) in FRENCH_HOMOGRAPHS and _french_negated(folded, found.start()):
                        continue
                    return lang, found.group(0)
        spelt = arabizi(folded)
        for pattern in _ARABIZI_PATTERNS:
            for found in pattern.finditer(spelt):
                before = spelt[: found.start()].split()[-FOREIGN_NEGATION_WINDOW:]
                if _ARABIZI_NEGATIONS & set(before) and found.group(0).split()[0] not in _ARABIZI_NEGATIONS:
                    continue
                return "ar-latn", found.group(0)
    return None


# « c'est du suicide de sortir par ce temps », « une mission suicide », « c'est suicidaire »: reckless, not oneself.
FIGURATIVE_BEFORE: tuple[tuple[str, ...], ...] = (
    ("c", "est"),
    ("c", "etait"),
    ("c", "est", "du"),
    ("c", "etait", "du"),
    ("serait", "du"),
    ("ce", "serait"),
    ("mission",),
    ("operation",),
)


def _figure_of_suicide(words: list[str], start: int) -> bool:
    return any(tuple(words[max(0, start - len(before)) : start]) == before for before in FIGURATIVE_BEFORE)


def _french_negated(folded: str, start: int) -> bool:
    """A French negation, or a French figure (« c'est du suicide »), in the words before ``start``."""
    words = folded[:start].split()
    return _negated([*words, "suicide"], len(words)) or _figure_of_suicide(words, len(words))


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
