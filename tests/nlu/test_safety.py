"""SuicideCueGuard: an explicit suicidal expression always gets the suicide-prevention answer."""

from __future__ import annotations

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY

from bot.cli.evaluate import CONFIG
from bot.nlu.normalizer import normalize
from bot.nlu.safety import SUICIDAL_INTENT, SuicideCueGuard, foreign_suicidal_cue, suicidal_cue
from tests.nlu.guard_harness import classified, guard_components

pytestmark = pytest.mark.unit  # the fast loop: make unit


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, depuis la fin de mes droits je n'arrive plus à payer mon loyer. Je pense à mettre fin à mes jours.",
        "Mon dossier est bloqué, je suis endetté et je ne vois plus qu'une solution : me suicider.",
        "si je touche pas mon alloc je me tue",
        "je touche pas mon alloc, je vais me tuer",
        "J'ai décidé d'en finir avec la vie",
        "jvais me foutre en l'air",
        "j'ai plus envie de vivre",
        "je pense au SUICIDE",
        "je vais m'ouvrir les veines",
    ],
)
def test_explicit_expressions(text: str) -> None:
    assert suicidal_cue(normalize(text).split()) is not None


@pytest.mark.parametrize(
    "text",
    [
        "je ne suis pas suicidaire mais j'ai plus rien à manger",
        "je n'ai jamais pensé au suicide",
        "j'ai pas envie de mourir, j'ai envie qu'on me paie",
        "ce boulot va me tuer à la tâche",
        "ça me tue ce site",
        "mdr tu me tues",
        "mort de rire",
        "je vais finir à la rue",
        "quand tombe mon chômage",
        "",
    ],
)
def test_no_cue(text: str) -> None:
    assert suicidal_cue(normalize(text).split()) is None


@pytest.fixture(scope="module")
def components(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return guard_components(tmp_path_factory.mktemp("storage"), SuicideCueGuard)


def test_the_rule_is_certain_and_beats_the_fallback(components: tuple) -> None:
    # Even a low top confidence (which the FallbackClassifier would turn into a clarifying question).
    message = classified(
        components,
        "plus d'argent pour le loyer, je pense à mettre fin à mes jours",
        [("express_distress", 0.25), ("ask_payment_date", 0.2), (SUICIDAL_INTENT, 0.15)],
    )
    assert message.get(INTENT) == {"name": SUICIDAL_INTENT, "confidence": 1.0}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == [
        (SUICIDAL_INTENT, 1.0),
        ("express_distress", 0.0),
        ("ask_payment_date", 0.0),
    ]


def test_other_messages_keep_the_classifier_s_answer(components: tuple) -> None:
    ranking = [("express_distress", 0.6), (SUICIDAL_INTENT, 0.3), ("out_of_scope", 0.1)]
    message = classified(components, "je ne suis pas suicidaire mais j'ai plus rien à manger", ranking)
    assert message.get(INTENT) == {"name": "express_distress", "confidence": 0.6}
    assert [(e["name"], e["confidence"]) for e in message.get(INTENT_RANKING_KEY)] == ranking


def test_the_guard_runs_after_the_classifiers_and_before_the_fallback() -> None:
    names = [step["name"] for step in yaml.safe_load(CONFIG.read_text())["pipeline"]]
    guard = names.index("bot.nlu.safety.SuicideCueGuard")
    assert names.index("bot.nlu.classifier.TfidfLogisticRegressionClassifier") < guard
    assert names.index("bot.nlu.scope.ScopeGuard") < guard < names.index("FallbackClassifier")


# Issue 20: the other languages people write in.
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I want to kill myself", "en"),
        ("i dont want to live anymore", "en"),
        ("I'm thinking about suicide", "en"),
        ("I'm not ok, I want to end my life", "en"),
        ("quiero quitarme la vida", "es"),
        ("me voy a matar", "es"),
        ("não quero mais viver", "pt"),
        ("vou me matar", "pt"),
        ("voglio farla finita", "it"),
        ("ich will mich umbringen", "de"),
        ("ich will nicht mehr leben", "de"),
        ("kendimi öldürmek istiyorum", "tr"),
        ("vreau să mă sinucid", "ro"),
        ("chcę się zabić", "pl"),
        ("я хочу покончить с собой", "ru"),
        ("хочу померти", "uk"),
        ("أريد أن أنتحر", "ar"),
        ("بغيت نموت", "ar"),
        ("bghit nmout", "ar-latn"),
        ("ghadi nqtel rasi", "ar-latn"),
        ("nalingi kokufa", "ln"),
    ],
)
def test_explicit_expressions_in_other_languages(text: str, lang: str) -> None:
    found = foreign_suicidal_cue(text)
    assert found is not None and found[0] == lang


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal, I just want my money",
        "I don't want to die, I want to be paid",
        "I would never kill myself",
        "no quiero morir",
        "nie chcę umrzeć",
        "لا أريد أن أموت",
        "Hello, when will I be paid?",
        "ça va me tuer cette histoire",
        "je suis mort de rire",
    ],
)
def test_no_cue_in_other_languages(text: str) -> None:
    assert foreign_suicidal_cue(text) is None


@pytest.mark.parametrize("text", ["ce dossier va me tuer", "tu vas me tuer avec tes questions", "ça va me tuer"])
def test_someone_else_killing_is_an_idiom(text: str) -> None:
    assert suicidal_cue(normalize(text).split()) is None


def test_a_foreign_cue_is_certain_and_carries_the_language(components: tuple) -> None:
    message = classified(components, "ya no puedo más, quiero quitarme la vida", [("out_of_scope", 0.9)])
    assert message.get(INTENT) == {"name": SUICIDAL_INTENT, "confidence": 1.0}
    assert [e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == "language"] == ["es"]


# Issue 20, safety with precision and recall: the wordings written for these tests, from how people write.
@pytest.mark.parametrize(
    "text",
    [
        "je veux en finir",
        "j'ai envie d'en finir",
        "jveux en finir une bonne fois pour toutes",
        "je veux juste mourir",
        "jveu mourir",
        "je veut mourir",
        "j'ai pu envie de vivre",
        "je voudrais mourir",
        "je préférerais être morte",
        "je serais mieux mort",
        "je veux en finir avec la vie",
        "je veux en finir avec tout ça",
        "j'ai des cachets de côté pour en finir",
        "j'en peux plus de vivre",
        "si on me radie je me jette du balcon",
        "je vais me faire sauter la cervelle",
        "je pense à mourir tous les jours",
        "je veux me tuer à la fin du mois si rien ne change",
        "je vais me tuer à cause de cette radiation",
    ],
)
def test_more_explicit_french_expressions(text: str) -> None:
    assert suicidal_cue(normalize(text).split()) is not None


@pytest.mark.parametrize(
    "text",
    [
        "ça me tue",
        "ça me tue cette sanction",
        "je suis mort de rire",
        "je crève de chaud dans cette agence",
        "c'est mortel",
        "je tue le temps en attendant le virement",
        "ils vont me tuer avec leurs papiers",
        "vous allez me tuer avec vos questions",
        "j'en peux plus de ce site",
        "je me tue à vous le dire",
        "je me tue à chercher du boulot",
        "je suis mort de fatigue",
        "c'est à mourir d'ennui votre site",
        "je veux mourir de honte",
        "je veux en finir avec ce dossier",
        "j'ai hâte d'en finir avec cette actualisation",
        "on va en finir avec cette histoire de trop-perçu",
        "c'est du suicide de rappeler le 3949 à midi",
        "c'est suicidaire de sortir par ce temps",
        "je vais me tirer une balle dans le pied avec cette déclaration",
        "je ne veux pas en finir, je veux juste être payé",
        "je vais mourir de faim si ça continue",
        "je peux payer le trop-perçu en plusieurs fois ?",
    ],
)
def test_figures_of_speech_and_frustration_are_no_cue(text: str) -> None:
    assert suicidal_cue(normalize(text).split()) is None
    assert foreign_suicidal_cue(text) is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Italian
        ("voglio morire", "it"),
        ("mi voglio ammazzare", "it"),
        ("non ce la faccio più a vivere", "it"),
        ("voglio farla finita, basta", "it"),
        ("stasera la faccio finita", "it"),
        ("mi ammazzo", "it"),
        ("vorrei morire", "it"),
        ("ho voglia di morire", "it"),
        ("meglio morta che così", "it"),
        ("mi voglio uccidere", "it"),
        ("non voglio più vivere", "it"),
        ("penso di suicidarmi", "it"),
        # Arabic in Latin letters (darija, Algerian, Tunisian), digits for letters
        ("bghit nmout", "ar-latn"),
        ("wallah bghit ghir nmout", "ar-latn"),
        ("rani ghadi nmout", "ar-latn"),
        ("nmout w nrta7", "ar-latn"),
        ("7ab nmout", "ar-latn"),
        ("n7eb nmout", "ar-latn"),
        ("rani habb nmout", "ar-latn"),
        ("nqtel rasi", "ar-latn"),
        ("ghadi n9tel rassi", "ar-latn"),
        ("nqatel rou7i", "ar-latn"),
        ("ma bghitch n3ich", "ar-latn"),
        ("mabghitch n3ich", "ar-latn"),
        ("ma n7ebech n3ich", "ar-latn"),
        ("ma b9itch baghi n3ich", "ar-latn"),
        ("kanfker f nti7ar", "ar-latn"),
        ("bghit nentahar", "ar-latn"),
        ("ghanmout", "ar-latn"),
        ("bghit nmoot", "ar-latn"),
        ("ghan9tel rasi", "ar-latn"),
        ("rasi ghadi nqtlo", "ar-latn"),
        ("bghit nsuicidi", "ar-latn"),
        ("nchne9 rasi", "ar-latn"),
        ("ma kayn 3lach n3ich", "ar-latn"),
        ("l mout 7sen", "ar-latn"),
        ("ma bghitch nb9a 7ay", "ar-latn"),
        ("3yit mn 7yati", "ar-latn"),
        ("باغي نموت", "ar"),
        ("مابغيتش نعيش", "ar"),
        # the other languages: common forms
        ("kms", "en"),
        ("I wish I could die", "en"),
        ("I'd rather be dead", "en"),
        ("me quiero suicidar", "es"),
        ("me mato", "es"),
        ("quero tirar minha vida", "pt"),
        ("ich will tot sein", "de"),
        ("не хочу больше жить", "ru"),
        ("хочу накласти на себе руки", "uk"),
        ("vreau să mă omor", "ro"),
        ("wolę umrzeć", "pl"),
    ],
)
def test_more_explicit_expressions_in_other_languages(text: str, lang: str) -> None:
    found = foreign_suicidal_cue(text)
    assert found is not None and found[0] == lang


@pytest.mark.parametrize(
    "text",
    [
        "non voglio morire",
        "non mi voglio ammazzare, voglio solo i miei soldi",
        "mabghitch nmout",
        "ma bghitch nmout, bghit flousi",
        "nmout bdh7k",
        "nmout 3lik khoya",
        "n7reg l spania",
        "I'm not going to kill myself",
        "no money no job, when will I be paid?",
        "je n'ai jamais pensé au suicide",
        "je ne pense pas au suicide, je veux juste mon argent",
        "c'est du suicide de sortir sans parapluie",
    ],
)
def test_negations_and_idioms_in_other_languages_are_no_cue(text: str) -> None:
    assert foreign_suicidal_cue(text) is None


def test_an_italian_message_gets_the_urgent_answer_in_italian(components: tuple) -> None:
    message = classified(components, "mi voglio ammazzare", [("out_of_scope", 0.7), ("greet", 0.2)])
    assert message.get(INTENT) == {"name": SUICIDAL_INTENT, "confidence": 1.0}
    assert [e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == "language"] == ["it"]


def test_a_negated_french_suicide_word_is_not_read_as_english(components: tuple) -> None:
    ranking = [("ask_payment_date", 0.6), (SUICIDAL_INTENT, 0.3)]
    message = classified(components, "je n'ai jamais pensé au suicide, quand suis-je payé ?", ranking)
    assert message.get(INTENT) == {"name": "ask_payment_date", "confidence": 0.6}


# Issue 20, the last explicit wordings: Arabic in Latin letters read in one spelling (``arabizi``: digits for letters,
# « ou » / « oo » / « u », doubled letters), the dialects' verbs of wanting, killing, throwing and ending with « die »,
# « myself », « my life »; Arabic letters in the dialects; English « end it ». Written for this test.
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("bghit nmot", "ar-latn"),
        ("rani 7ab nmot", "ar-latn"),
        ("wlh bghit nmot had lyoum", "ar-latn"),
        ("nmouuut", "ar-latn"),
        ("ana 3ayez amot", "ar-latn"),
        ("3ayza amoot", "ar-latn"),
        ("badde mout", "ar-latn"),
        ("biddi mut", "ar-latn"),
        ("abgha amoot", "ar-latn"),
        ("bghit n9tel nefsi", "ar-latn"),
        ("ana naqtel rouhi", "ar-latn"),
        ("n2tol 7ali", "ar-latn"),
        ("ra7 e2tol 7ali", "ar-latn"),
        ("bech nektel rou7i", "ar-latn"),
        ("hamawet nafsi", "ar-latn"),
        ("ghadi nrmi rasi mn sta7", "ar-latn"),
        ("nlou7 rohi mel balcon", "ar-latn"),
        ("ghadi ntl9 rasi mn lbalcon", "ar-latn"),
        ("bghit n3l9 rassi", "ar-latn"),
        ("bghit nsali m3a 7yati", "ar-latn"),
        ("bghit nkml 3la rasi", "ar-latn"),
        ("bghit n9adi 3la rasi", "ar-latn"),
        ("bghit ndir 7ad l 7yati", "ar-latn"),
        ("bghit nmchi mn had denya", "ar-latn"),
        ("wallah ghadi ntsuicida", "ar-latn"),
        ("ma bqitch baghi n3ich", "ar-latn"),
        ("mab9itch bghit n3ich", "ar-latn"),
        ("ma b9ach 3andi 3lach n3ich", "ar-latn"),
        ("wallah la bghit n3ich", "ar-latn"),
        ("manich 7abb n3ich", "ar-latn"),
        ("bghit nrta7 mn had denya", "ar-latn"),
        ("nefsi amot", "ar-latn"),
        ("nchrb dwa bach nmout", "ar-latn"),
        ("aw ktelt rasi", "ar-latn"),
        ("3yit, bghit nmout, ma bqa walou", "ar-latn"),
        ("نبغي نموت", "ar"),
        ("عايزة أموت", "ar"),
        ("بدي موت", "ar"),
        ("هقتل نفسي", "ar"),
        ("نرمي روحي من الطابق", "ar"),
        ("I want to end it", "en"),
        ("I can't go on living", "en"),
        ("I want to jump off the bridge", "en"),
    ],
)
def test_the_dialects_wordings_are_read_in_one_spelling(text: str, lang: str) -> None:
    found = foreign_suicidal_cue(text)
    assert found is not None and found[0] == lang


@pytest.mark.parametrize(
    "text",
    [
        "ma bghitch nmout, bghit flousi",
        "mabghitch nmot",
        "nmout bdh7k",
        "nmout 3lik",
        "bghit mot de passe jdid",
        "bghit n3ich mzyan",
        "bghit lflous bach n3ich",
        "ma3ndich bach n3ich had chhar",
        "bghit nkml 7yati normal",
        "bghit nqdi 7yati f fransa",
        "bghit nrta7 chwiya",
        "ما نبغيش نموت",
        "لا أريد أن أموت",
        "I want to end it with my landlord",
        "j'en ai ras le bol",
        "je vais tuer mon banquier lol",
    ],
)
def test_the_same_words_negated_or_ordinary_are_no_cue(text: str) -> None:
    assert foreign_suicidal_cue(text) is None


@pytest.mark.parametrize("text", ["je vais mettre fin a mes jour", "je v me foutre en lair ce soir", "jv me tuer"])
def test_french_typed_in_a_hurry(text: str) -> None:
    assert suicidal_cue(normalize(text).split()) is not None


def test_an_arabizi_message_gets_the_urgent_answer_with_its_language(components: tuple) -> None:
    message = classified(components, "rani 7ab nmot", [("inform", 0.9), ("greet", 0.05)])
    assert message.get(INTENT) == {"name": SUICIDAL_INTENT, "confidence": 1.0}
    assert [e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == "language"] == ["ar-latn"]
