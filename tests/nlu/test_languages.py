"""LanguageGuard: a message in another language is recognised, and French is never taken for one.

A false « other language » on a French message is a failure of the service (the person gets an
answer in English instead of her allowance), so the French side is tested hardest: every training
example of data/nlu, every French turn of the conversation suite, SMS French, French with English or
darija words.
"""

from __future__ import annotations

import re

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT

from bot.cli.evaluate import CONFIG
from bot.common.config import PROJECT_ROOT
from bot.nlu.languages import FRENCH, LanguageGuard, detect_language, foreign_distress_cue
from tests.nlu.guard_harness import classified, guard_components

pytestmark = pytest.mark.unit

OTHER = {
    "en": [
        "Hello, when will I be paid?",
        "I don't understand French, can you help me with my unemployment benefit?",
        "how much money will I get this month",
        "Good morning, I need to talk to someone please",
        "hi, is it possible to write in english?",
    ],
    "es": [
        "Hola, ¿cuándo me pagan el paro este mes?",
        "no hablo francés, necesito ayuda con mi subsidio",
        "buenos días, quiero saber cuánto voy a cobrar",
    ],
    "pt": [
        "Olá, quando vou receber o meu subsídio?",
        "não falo francês, preciso de ajuda com o desemprego",
        "bom dia, quanto vou receber este mês?",
    ],
    "it": [
        "Buongiorno, quando mi pagano la disoccupazione?",
        "non parlo francese, ho bisogno di aiuto per il pagamento",
        "ciao, quanto prendo questo mese?",
    ],
    "de": [
        "Guten Tag, wann bekomme ich mein Geld?",
        "ich spreche kein Französisch, können Sie mir bitte helfen?",
        "Hallo, wie viel Arbeitslosengeld bekomme ich diesen Monat?",
    ],
    "tr": ["Merhaba, maaşım ne zaman yatacak?", "Fransızca bilmiyorum, yardım eder misiniz?"],
    "ro": ["Bună ziua, când primesc banii de șomaj?", "nu vorbesc franceza, am nevoie de ajutor"],
    "pl": ["Dzień dobry, kiedy dostanę pieniądze?", "nie mówię po francusku, proszę o pomoc"],
    "ar": ["مرحبا، متى سأحصل على المال؟", "لا أتكلم الفرنسية، أحتاج إلى مساعدة"],
    "ru": ["Здравствуйте, когда мне заплатят пособие?"],
    "uk": ["Добрий день, коли я отримаю допомогу? Я не розмовляю французькою, ї"],
    "ar-latn": ["salam khoya, imta ghadi nkhles had chhar?", "wach kayn chi wa7ed yhder m3aya, ana mafhamtch"],
}

FRENCH_MESSAGES = [
    # SMS French
    "slt cb je touche ce mois ci",
    "jsuis au chomage depuis 3 mois pk g rien recu",
    "g pa compri mon paiment",
    "c koi la date de l actu",
    "bjr qd est ce k je sui payé",
    "chui trop deg ya un pb avec mon virement",
    "ya rien sur mon compte",
    "jsp cmt faire",
    "mi-temps thérapeutique, je touche quoi ?",
    # French with English words
    "j'ai envoyé un mail pour mon job, c'est ok ?",
    "j'ai un nouveau job à mi-temps, je dois le déclarer ?",
    "le site bug, je peux pas me login",
    "ok thanks, et pour le mois prochain ?",
    "c'est quoi le process pour un freelance ?",
    "je fais du baby-sitting le week-end, ça compte ?",
    "sorry je me suis trompé de date",
    "mon manager m'a dit que j'avais droit au chômage",
    # French with darija or Spanish-looking words
    "wallah j'ai rien reçu ce mois-ci",
    "salam, je voulais savoir quand je suis payé inchallah",
    "hamdoulah j'ai retrouvé du travail, je fais quoi ?",
    "je vais à Porto la semaine prochaine, je dois prévenir ?",
    "on m'a dit que j'ai eu un trop perçu, c'est normal ?",
    "ben je sais pas, c'est pour les sous",
    "nada, rien reçu",
    "le 1er mai est férié, je suis payé quand ?",
    "mon conseiller Mario m'a dit d'attendre",
    "j'habite dans le Var et je suis au chômage",
    # short and voice-like
    "oui",
    "non merci",
    "euh",
    "bonjour",
    "allo oui bonjour je voudrais savoir combien je vais toucher",
    "1234567A",
    "12/04/1988",
    "",
    "???",
]


@pytest.mark.parametrize(("lang", "text"), [(lang, text) for lang, texts in OTHER.items() for text in texts])
def test_other_languages_are_recognised(lang: str, text: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", FRENCH_MESSAGES)
def test_french_stays_french(text: str) -> None:
    assert detect_language(text) == FRENCH


# The training examples written in another language on purpose (greetings, a bot challenge, out-of-scope).
FOREIGN_TRAINING_EXAMPLES = {
    "are you a bot",
    "are you human",
    "are you a robot",
    "please erase my personal data",
    "remove my data please",
    "hi, do you speak english?",
    "hola, necesito ayuda para encontrar trabajo",
    "ich suche arbeit in frankreich, können sie mir helfen",
    "what time is it in new york right now",
    "do you speak spanish",
    "bom dia, preciso de ajuda para encontrar emprego",
    "buongiorno, cerco lavoro in francia",
    "hello hello",
    "hi there",
    "hello there",
    "hi, is anyone there?",
    "ciao ciao",
    "thank you",
    "thank you so much",
    "yes yes",
    "can you help me find a job in paris",
    "what's the weather like today",
}


def _training_examples() -> list[str]:
    texts = []
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        if path.name == "other_language.yml":  # the examples of speak_other_language, foreign by definition
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}", r"\1\2", line.strip().removeprefix("- "))
                if text:
                    texts.append(text)
    return texts


def test_every_french_training_example_is_french() -> None:
    examples = _training_examples()
    assert len(examples) > 3000
    flagged = [t for t in examples if detect_language(t) != FRENCH and t.lower() not in FOREIGN_TRAINING_EXAMPLES]
    assert flagged == []


def test_every_french_turn_of_the_conversation_suite_is_french() -> None:
    turns = []
    for path in sorted((PROJECT_ROOT / "tests" / "conversations").glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if document.get("kind") in (None, "other_language"):
            continue
        for scenario in document.get("scenarios") or []:
            if scenario["id"] in {"dt-english-kill-myself", "dt-spanish-take-my-life", "dt-arabizi-want-to-die"}:
                continue
            turns += [str(turn.get("user") or "") for turn in scenario.get("turns") or []]
    assert len(turns) > 300
    assert [t for t in turns if detect_language(t) != FRENCH] == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "I have nothing to eat and my kids are hungry, I'm starving"),
        ("es", "no tengo para comer, estoy en la calle"),
        ("de", "ich bin obdachlos und habe nichts zu essen"),
        ("ar", "أنا في الشارع مع أطفالي"),
    ],
)
def test_distress_in_another_language(lang: str, text: str) -> None:
    assert detect_language(text) == lang
    assert foreign_distress_cue(text, lang) is not None


@pytest.fixture(scope="module")
def components(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return guard_components(tmp_path_factory.mktemp("storage"), LanguageGuard)


def _language(message) -> list[str]:
    return [e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == "language"]


def test_the_guard_sets_the_intent_and_the_language(components: tuple) -> None:
    message = classified(components, "Hello, when will I be paid?", [("ask_payment_date", 0.8), ("greet", 0.1)])
    assert message.get(INTENT) == {"name": "speak_other_language", "confidence": 1.0}
    assert _language(message) == ["en"]


def test_distress_in_another_language_takes_the_urgent_path(components: tuple) -> None:
    message = classified(components, "I'm homeless and I have nothing to eat", [("out_of_scope", 0.8)])
    assert message.get(INTENT) == {"name": "express_distress", "confidence": 1.0}
    assert _language(message) == ["en"]


def test_french_and_short_small_talk_keep_the_classifier_s_answer(components: tuple) -> None:
    for text, intent in [("combien je touche ce mois-ci", "ask_allowance_amount"), ("thank you", "thank")]:
        message = classified(components, text, [(intent, 0.7), ("greet", 0.2)])
        assert message.get(INTENT) == {"name": intent, "confidence": 0.7}
        assert _language(message) == []


def test_the_guard_runs_before_the_suicide_guard() -> None:
    names = [step["name"] for step in yaml.safe_load(CONFIG.read_text())["pipeline"]]
    guard = names.index("bot.nlu.languages.LanguageGuard")
    assert names.index("bot.nlu.scope.ScopeGuard") < guard < names.index("bot.nlu.safety.SuicideCueGuard")
