"""Messages in another language: which one, and what it says when it says the worst.

People write to a French public service in the languages they have: English,
Spanish, Portuguese, Italian, German, Arabic (in Arabic letters, or in Latin
letters and digits, « arabizi », as the Maghreb writes darija), Turkish,
Romanian, Polish, Russian and Ukrainian. The assistant answers in French only;
a message in one of those languages must still get a short answer *in that
language* saying so and how to reach a counsellor (the 3949), and suicidal
words or real distress must still get the emergency answer.

``detect_language`` is deterministic and downloads nothing:

* the script first: a message mostly in Arabic letters is ``ar``, in Cyrillic
  ``ru`` (``uk`` when it has a letter only Ukrainian uses: і ї є ґ), in another
  non-Latin script (Greek, Hebrew, Chinese…) ``other`` (answered in English);
* in Latin letters, a profile per language: its function words and everyday
  words (``WORDS``, written so that none of them is a French word too: the
  French list ``FRENCH_WORDS`` is taken out of every other one) and the letters
  only it uses (``LETTERS``: ñ ¿ for Spanish, ã õ for Portuguese, ß for German,
  ı ş ğ for Turkish, ș ț ă for Romanian, ł ą ę ż for Polish). A message is in
  another language only when that language has at least ``MIN_SCORE`` signs and
  more than twice the French signs plus one: French in SMS spelling, French
  with English words (« mail », « job », « ok », « week-end »), French with a
  darija word (« wallah ») stay French. A single word (« hello », « hola »)
  never decides: it is left to the classifier, which greets back.

``LanguageGuard`` runs after the classifier: a message in another language gets
the intent ``speak_other_language`` (confidence 1.0, as a rule decides) and an
entity ``language`` with the code, which the action ``action_answer_other_language``
(``actions/languages.py``) answers from its table of wordings. When the message
also says real distress in that language (``DISTRESS_CUES``: hunger, the street,
eviction, violence), the intent is ``express_distress`` instead, with the same
entity: the emergency numbers and the urgent ticket, and the wording in that
language first. Suicidal words in any language are ``SuicideCueGuard``'s
(``bot/nlu/safety.py``), which runs next and uses ``foreign_suicidal_cue`` below.
"""

from __future__ import annotations

import re
import unicodedata

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.common import needs
from bot.nlu.guards import IntentGuard, impose

OTHER_LANGUAGE_INTENT = needs.OTHER_LANGUAGE
DISTRESS_INTENT = needs.DISTRESS
LANGUAGE_ENTITY = "language"
FRENCH = "fr"
OTHER_SCRIPT = "other"
MIN_SCORE = 2

# Letters folded the way NFD cannot: dotless i, l with stroke, sharp s, final forms.
_FOLD = str.maketrans({"ı": "i", "ł": "l", "ß": "ss", "ø": "o", "đ": "d", "ى": "ي", "ـ": "", "’": "'", "`": "'"})


def fold(text: str) -> str:
    """Lowercase, no accents or Arabic vowel signs (أ → ا), punctuation as spaces, digits kept (« n3ich »)."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_FOLD)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


# Words that only French uses among these languages. They count for French and are taken out of every
# other list (« de », « la », « me », « no », « non », « on », « a » are shared and never count for another).
FRENCH_WORDS = frozenset(
    fold(word)
    for word in """
    je j tu il elle on nous vous ils elles me m te t se s le la les l un une des du de d au aux et est suis es
    ai as avons avez ont sont etes etait c ca cela ce cet cette ces mon ma mes ton ta tes son sa ses notre votre
    nos vos leur leurs qui que qu quoi quand comment pourquoi combien ou dont y en ne n pas plus jamais rien
    pour par avec sans sur sous dans chez vers entre apres avant depuis pendant mais donc car si oui non merci
    bonjour bonsoir salut slt coucou stp svp pk pq cb qd jsp jsuis chui jvais jai g c est ke koi kan bcp tjrs
    mois semaine jour aujourd hui demain hier maintenant deja encore toujours aussi tres trop bien mal peu
    fait faire faut veux voudrais voulais peux pourrais dois sais savoir avoir etre vais va aller
    toucher touche paye payee payer paiement virement alloc allocation allocations chomage droits actualisation
    actualiser declarer declaration montant conseiller conseillere dossier identifiant naissance date
    france travail pole emploi euros euro argent travail boulot mon moi toi lui quel quelle quels quelles
    ok okay week end mail job
    """.split()
)

# Everyday and function words per language (folded). None of them may be French: FRENCH_WORDS is subtracted.
_WORDS: dict[str, str] = {
    "en": """the is are was were be been am i you he she we they it my your his her our their this that these
        what when where why how who which will would can could should shall do does did don dont doesn didn
        have has had want wanna need please hello hi hey thanks thank yes not with from for about of to in at
        and but or if so just only also get got pay paid payment money benefit benefits unemployment allowance
        job seeker month week today tomorrow speak english french help kill myself life die dead live
        anymore any some much many more there here know understand write writing name mean nothing eat food
        home homeless kids children sleep street someone anyone talk call""",
    "es": """el los las del lo al una unos unas es soy eres estoy esta estan son tengo tiene tienes quiero
        puedo puede necesito hola gracias buenos buenas dias tardes noches cuando cuanto cuanta donde como
        porque por para pero muy mas ya yo mi mis tu su nos nosotros usted ustedes pagar pago pagan paro
        subsidio desempleo dinero mes trabajo ayuda hablo hablar espanol frances vida morir matarme ahora
        todavia tambien nada algo este esto eso hay van voy vamos comer calle casa hambre hijos nadie
        cobrar cobro hablo entiendo ayudarme necesitamos estamos""",
    "pt": """o os um uma umas uns eu voce voces ele ela nos meu minha meus minhas seu sua nao sim obrigado
        obrigada ola bom boa dia tarde noite quando quanto quanta onde como porque por para com sem mas muito
        mais ja tenho tem quero posso pode preciso vou vai receber recebo pagar pagamento subsidio desemprego
        dinheiro mes trabalho ajuda falo falar portugues frances vida morrer agora ainda tambem nada isso
        esta estou estao sou e do da dos das no na nas ao comer rua casa fome filhos ninguem entendo""",
    "it": """il lo gli uno della dello delle degli del di che non sono sei ho hai ha abbiamo voglio posso
        puo devo ciao buongiorno buonasera grazie prego quando quanto quanta dove come perche per con senza
        ma molto piu gia io mio mia miei mie tuo tua suo sua pagano pagare pagamento disoccupazione soldi
        mese lavoro aiuto parlo parlare italiano francese vita morire adesso ancora anche niente questo
        questa quello cosa mi ti ci vi capisco capito parla parlo qualcuno nessuno soldi""",
    "de": """der die das den dem des ein eine einen einem einer ich du er sie es wir ihr mein meine meinen
        dein sein ist bin bist sind war habe hast hat haben kann konnen will mochte muss nicht nein ja danke
        bitte hallo guten tag morgen abend wann wie was wo warum wer und oder aber mit fur von zu auf aus bei
        nach uber bekomme bekommen geld arbeitslosengeld arbeit monat hilfe spreche sprechen deutsch
        franzosisch leben sterben jetzt noch auch nichts dieser diese mich mir spricht hier jemand verstehe""",
    "tr": """ve bir bu su o ben sen biz siz onlar benim senin icin ile ama veya ne zaman nasil neden nerede
        kim var yok evet hayir merhaba selam tesekkur tesekkurler ederim lutfen gunaydin iyi gunler maas
        maasim issizlik odeme para ay is yardim konusuyorum turkce fransizca hayat olmek istiyorum
        istemiyorum simdi daha hala mi mu musun miyim yatacak alacagim ne kadar""",
    "ro": """si sa ca care ce eu tu el ea noi voi ei ele meu mea mei mele tau ta sau nu da este sunt esti
        am ai are avem vreau pot poate trebuie buna ziua seara multumesc va rog cand cat unde cum de ce pentru
        cu fara dar foarte mai deja primesc primi plata ajutorul ajutor somaj bani luna munca vorbesc
        romana franceza viata mor acum inca nimic acest aceasta""",
    "pl": """i w z na do nie tak jest sa jestem masz mam ma mamy chce moge moze musze dzien dobry dobry
        dziekuje prosze czesc kiedy ile gdzie jak dlaczego kto dla bez ale bardzo juz jeszcze ja ty on ona my
        wy oni moj moja moje twoj jego jej dostane dostac zasilek bezrobotnych bezrobotny pieniadze miesiac
        praca pomoc mowie mowic polsku francusku zycie umrzec teraz nic ten ta to sie mnie mi""",
    "ar-latn": """wallah wellah walah salam salamo 3alaykom alaykoum khoya khouya khti ana nta nti howa
        hiya 7na ntouma bghit bghina bghit baghi baghya mabghitch wach wesh wech chno chnou achno chkoun
        fin feen 3lach 3lah kifach kifah kifech imta emta mata ch7al chhal bzaf bzzaf chwiya mazal ba9i
        daba dyal dial dyali diali flous flouss l7aja hadchi hada hadi 3ndi 3andi 3endi makaynch kayn
        kayen ghadi ghir rani raki rah 3afak 3fak chokran choukran shukran baraka hamdoulah hamdullah
        inchallah nmout n3ich nkhdem khdma mkhalsinich khalsouni tkhalsit yama baba""",
}

# Words of another language that French also writes (« mi-temps », « ce mois-ci », « y a », « j'ai eu »,
# « ben », « nada », « mai »), and the Arabic words French speakers use in French (« wallah », « inchallah »,
# « salam »): they count for no language.
SHARED = frozenset(
    """o e a y na no nas os ya yo su sou bu eu ben mai mi ci ha con com or mas nada pot ile mele var uber
    wallah wellah walah salam salamo inchallah hamdoulah hamdullah choukran chokran shukran baraka khoya khouya
    wesh wech fin""".split()
)
WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(fold(w) for w in words.split()) - FRENCH_WORDS - SHARED for lang, words in _WORDS.items()
}
# Words a language shares with French (« la », « en », « de », « que »): in a message of that language they
# do not count for French either.
OVERLAP: dict[str, frozenset[str]] = {
    "en": frozenset("a on me as son pour m s t d ll re ve".split()),
    "es": frozenset("de la le les en que me se te tu a no un con si es son mes nos".split()),
    "pt": frozenset("de a que me se te e o no na com mes nos".split()),
    "it": frozenset("la le de che non un una e a in mi ti si se ne".split()),
    "ro": frozenset("la de ce si sa ne te nu un o a".split()),
    "de": frozenset("des die in".split()),
    "pl": frozenset("a i".split()),
    "tr": frozenset("ne".split()),
    "ar-latn": frozenset("ma la fin".split()),
}
# Letters one language uses and French never does (checked on the lowercase text, before folding).
LETTERS: dict[str, str] = {
    "es": "ñ¿¡áíóú",
    "pt": "ãõáíóú",
    "it": "ìò",
    "de": "ßäö",
    "tr": "ışğ",
    "ro": "șțşţă",
    "pl": "łąęśźżńć",
}
# A letter only Ukrainian writes in Cyrillic.
UKRAINIAN_LETTERS = frozenset("іїєґ")


def _script_share(text: str) -> dict[str, int]:
    counts = {"latin": 0, "arabic": 0, "cyrillic": 0, "other": 0}
    for char in text:
        if not char.isalpha():
            continue
        if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\ufb50" <= char <= "\ufeff":
            counts["arabic"] += 1
        elif "\u0400" <= char <= "\u04ff":
            counts["cyrillic"] += 1
        elif ord(char) < 0x250 or "\u1e00" <= char <= "\u1eff":
            counts["latin"] += 1
        else:
            counts["other"] += 1
    return counts


def language_scores(text: str, against: str | None = None) -> dict[str, int]:
    """The signs of each Latin-script language in ``text`` (French included), as ``detect_language`` counts them;
    with ``against``, the French words that language also writes (``OVERLAP``) do not count for French."""
    scores = dict.fromkeys([FRENCH, *WORDS], 0)
    overlap = OVERLAP.get(against or "", frozenset())
    for raw in (text or "").lower().split():
        marked = [lang for lang, letters in LETTERS.items() if any(c in letters for c in raw)]
        for lang in marked:
            scores[lang] += 1
        for word in fold(raw).split():
            if word in FRENCH_WORDS and not marked and word not in overlap:  # « să » is Romanian, not « sa »
                scores[FRENCH] += 1
            for lang, vocabulary in WORDS.items():
                if word in vocabulary:
                    scores[lang] += 1
            # Arabizi: a digit standing for a letter inside a word (« n3ich », « ch7al », « wa9ila »).
            if re.fullmatch(r"[a-z]+[2379][a-z]+", word):
                scores["ar-latn"] += 1
    return scores


def detect_language(text: str) -> str:
    """``fr``, or the code of the other language the message is written in (``en``, ``es``, ``pt``, ``it``,
    ``de``, ``tr``, ``ro``, ``pl``, ``ar``, ``ar-latn``, ``ru``, ``uk``, or ``other`` for another script).

    >>> detect_language("Hello, when will I be paid?")
    'en'
    >>> detect_language("jai envoyé un mail pour le job, c ok ?")
    'fr'
    >>> detect_language("wallah ma bghit n3ich")
    'ar-latn'
    """
    scripts = _script_share(text)
    letters = sum(scripts.values())
    if letters == 0:
        return FRENCH
    if scripts["arabic"] * 2 > letters:
        return "ar"
    if scripts["cyrillic"] * 2 > letters:
        return "uk" if any(c in UKRAINIAN_LETTERS for c in text.lower()) else "ru"
    if scripts["other"] * 2 > letters:
        return OTHER_SCRIPT
    scores = language_scores(text)
    scores.pop(FRENCH)
    best = max(scores, key=lambda lang: scores[lang])
    french = language_scores(text, against=best)[FRENCH]
    if scores[best] >= MIN_SCORE and scores[best] > 2 * french + 1:
        return best
    return FRENCH


# Real distress said in another language (folded, as regular expressions): hunger, the street, eviction,
# violence. Suicidal words are in bot/nlu/safety.py (FOREIGN_SUICIDAL_CUES).
DISTRESS_CUES: dict[str, tuple[str, ...]] = {
    "en": (
        r"\bnothing (left )?to eat\b",
        r"\b(i m|i am|we are|we re) (starving|homeless|hungry)\b",
        r"\bno food\b",
        r"\b(sleeping|sleep|living) (in the street|on the street|rough|in my car)\b",
        r"\bevicted\b",
        r"\beviction\b",
        r"\b(beats|hits|hit) me\b",
        r"\bdomestic violence\b",
    ),
    "es": (
        r"\bno tengo (nada )?(para|que) comer\b",
        r"\bpaso hambre\b",
        r"\btengo hambre\b",
        r"\b(estoy|vivo|duermo) en la calle\b",
        r"\bdesahucio\b",
        r"\bme (pega|golpea)\b",
    ),
    "pt": (
        r"\bnao tenho (nada )?(para|o que) comer\b",
        r"\bpasso fome\b",
        r"\btenho fome\b",
        r"\b(estou|vivo|durmo) na rua\b",
        r"\bdespejad[oa]\b",
        r"\bme bate\b",
    ),
    "it": (
        r"\bnon ho (niente )?da mangiare\b",
        r"\bho fame\b",
        r"\b(sono|vivo|dormo) (in|per) strada\b",
        r"\bsfratt\w+\b",
        r"\bmi picchia\b",
    ),
    "de": (
        r"\bnichts (mehr )?zu essen\b",
        r"\bich habe hunger\b",
        r"\bobdachlos\b",
        r"\bauf der strasse\b",
        r"\bzwangsraumung\b",
        r"\bschlagt mich\b",
    ),
    "tr": (r"\byiyecek (bir )?seyim yok\b", r"\baclik\w*\b", r"\bsokakta\b", r"\bevsiz\w*\b", r"\bbeni dov\w*\b"),
    "ro": (r"\bnu am (ce|nimic de) (sa )?manca\w*\b", r"\bmi e foame\b", r"\bin strada\b", r"\bevacuat\w*\b"),
    "pl": (r"\bnie mam co jesc\b", r"\bjestem glodn\w\b", r"\bna ulicy\b", r"\beksmisj\w+\b", r"\bbezdomn\w+\b"),
    "ru": (
        r"\bнечего есть\b",
        r"\bголода\w*\b",
        r"\bна улице\b",
        r"\bбездомн\w+\b",
        r"\bвыселя\w*\b",
        r"\bбьет меня\b",
    ),
    "uk": (r"\bнема(є)? що їсти\b", r"\bголоду\w*\b", r"\bна вулиці\b", r"\bбездомн\w+\b", r"\bвиселя\w*\b"),
    "ar": ("ليس لدي ما اكل", "ما عنديش باش ناكل", "جائع", "جوعان", "في الشارع", "فالزنقة", "طردوني من"),
    "ar-latn": (r"\bma3ndich (bach|ma) nakol\b", r"\bji3an\b", r"\bfzenka\b", r"\bf zenqa\b", r"\bf zanka\b"),
}
_DISTRESS_PATTERNS = {
    lang: [re.compile(fold(cue) if lang == "ar" else cue) for cue in cues] for lang, cues in DISTRESS_CUES.items()
}


def foreign_distress_cue(text: str, lang: str) -> str | None:
    """The first distress wording of ``lang`` in ``text``, else None."""
    folded = fold(text)
    for pattern in _DISTRESS_PATTERNS.get(lang, ()):
        found = pattern.search(folded)
        if found:
            return found.group(0)
    return None


def message_language(message: Message) -> str | None:
    """The ``language`` entity a guard set on ``message``, if any."""
    for entity in message.get(ENTITIES) or []:
        if entity.get("entity") == LANGUAGE_ENTITY:
            return str(entity.get("value"))
    return None


def set_language(message: Message, lang: str) -> None:
    """Add the ``language`` entity (once) to ``message``."""
    if message_language(message) is not None:
        return
    text = message.get(TEXT) or ""
    entity = {
        "entity": LANGUAGE_ENTITY,
        "value": lang,
        "start": 0,
        "end": len(text),
        "confidence_entity": 1.0,
        "extractor": "LanguageGuard",
    }
    message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)


# A short greeting, thanks or yes in English (« hi there », « thank you », « yes yes ») is what French
# speakers write too: the classifier's small-talk intent is kept for messages of at most SMALL_TALK_WORDS words.
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"})
SMALL_TALK_WORDS = 3


def _next_intent(message: Message) -> None:
    ranking = message.get(INTENT_RANKING_KEY) or []
    others = [entry for entry in ranking if entry["name"] != OTHER_LANGUAGE_INTENT]
    if not others:
        return
    message.set(INTENT, {"name": others[0]["name"], "confidence": others[0]["confidence"]}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, others, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageGuard(IntentGuard):
    """Sets ``speak_other_language`` (or ``express_distress``) and the ``language`` entity on a message written
    in another language than French."""

    def guard(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        lang = detect_language(text)
        intent = (message.get(INTENT) or {}).get("name")
        if lang == FRENCH:
            if intent == OTHER_LANGUAGE_INTENT:  # the detector decides: French is never answered in English
                _next_intent(message)
            return
        if intent in SMALL_TALK and len(fold(text).split()) <= SMALL_TALK_WORDS:
            return
        set_language(message, lang)
        impose(message, DISTRESS_INTENT if foreign_distress_cue(text, lang) else OTHER_LANGUAGE_INTENT)
