"""DistressPrecisionGuard: the classifier's urgent intent is kept only with a sign of distress.

The hard negatives here are written for this test (forgetting, frustration, figures of speech, money
questions); the sealed distress set (tests/nlu/distress_eval.yml) is only measured, never read.
"""

from __future__ import annotations

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

from bot.cli.evaluate import CONFIG
from bot.common.config import PROJECT_ROOT
from bot.nlu.distress import DistressPrecisionGuard, distress_sign, hunger_not_suicide, suicidal_sign, urgent_sign
from bot.nlu.normalizer import normalize, normalized_words
from bot.nlu.safety import foreign_suicidal_cue, suicidal_cue
from tests.nlu.guard_harness import classified, guard_components

pytestmark = pytest.mark.unit

HARD_NEGATIVES = [
    # forgetting
    "je sais plus",
    "je sais plus mon identifiant",
    "j'ai oublié mon identifiant",
    "je ne me souviens plus de ma date de naissance",
    "je me rappelle plus de mon mot de passe",
    "aucune idée, je l'ai perdu mon numéro",
    # frustration
    "j'en ai marre de ce site",
    "j'en peux plus de ce site qui bug",
    "c'est nul votre truc",
    "je comprends plus rien à ce courrier",
    "ça me saoule d'attendre",
    "je ne sais plus quoi faire pour déclarer mes heures",
    "vous allez me rendre fou avec vos questions",
    "je suis paumé avec toutes ces démarches",
    # figures of speech
    "ça me tue cette sanction",
    "je suis mort de fatigue",
    "mort de rire",
    "ce dossier va me tuer",
    "je suis crevé",
    # money questions
    "je peux payer en plusieurs fois ?",
    "je peux payer en plusieurs fois mon loyer en attendant ?",
    "bah je sais pas trop c est pour les sous",
    "et si je la fais maintenant je suis payée quand ?",
    "je peux pas rembourser le trop-perçu en une fois",
    "je peux rembourser en plusieurs mensualités ?",
]

REAL_DISTRESS = [
    "j'ai plus rien à manger",
    "je vais être expulsée la semaine prochaine",
    "je dors dans ma voiture depuis lundi",
    "mon mari me frappe",
    "je suis désespéré",
    "je n'arrive plus à payer mon loyer",
    "plus un rond sur le compte et les enfants ont faim",
    "on m'a coupé l'électricité",
    "je suis à bout",
    "l'huissier vient demain",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_carry_no_sign(text: str) -> None:
    words = normalize(text).split()
    assert distress_sign(words) is None
    assert suicidal_sign(words) is None
    assert suicidal_cue(words) is None


@pytest.mark.parametrize("text", REAL_DISTRESS)
def test_real_distress_carries_a_sign(text: str) -> None:
    assert distress_sign(normalize(text).split()) is not None


def _examples(name: str) -> list[str]:
    document = yaml.safe_load((PROJECT_ROOT / "data" / "nlu" / name).read_text(encoding="utf-8"))
    return [line.strip()[2:] for block in document["nlu"] for line in block["examples"].splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("name", "intent"), [("distress.yml", "express_distress"), ("suicidal.yml", "express_suicidal_thoughts")]
)
def test_every_training_example_of_the_urgent_intents_carries_a_sign(name: str, intent: str) -> None:
    """The guard takes nothing from what the classifier learnt: each example it learnt from would pass."""
    examples = _examples(name)
    assert len(examples) > 150
    missing = [t for t in examples if urgent_sign(intent, normalized_words(t), t) is None]
    missing = [t for t in missing if suicidal_cue(normalized_words(t)) is None]
    assert missing == []


@pytest.fixture(scope="module")
def components(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return guard_components(tmp_path_factory.mktemp("storage"), DistressPrecisionGuard)


def test_a_guessed_alarm_without_a_sign_becomes_the_next_intent(components: tuple) -> None:
    ranking = [("express_distress", 0.31), ("ask_overpayment", 0.29), ("express_suicidal_thoughts", 0.15)]
    message = classified(components, "je peux payer en plusieurs fois ?", ranking)
    assert message.get(INTENT) == {"name": "ask_overpayment", "confidence": 0.29}
    assert [e["name"] for e in message.get(INTENT_RANKING_KEY)] == [
        "ask_overpayment",
        "express_distress",
        "express_suicidal_thoughts",
    ]


def test_a_figure_of_speech_is_not_read_as_suicidal(components: tuple) -> None:
    ranking = [("express_suicidal_thoughts", 0.6), ("express_distress", 0.3), ("out_of_scope", 0.05)]
    message = classified(components, "je suis mort de fatigue", ranking)
    assert message.get(INTENT)["name"] == "out_of_scope"


def test_real_distress_and_indirect_suicidal_words_keep_the_urgent_path(components: tuple) -> None:
    for text, intent in [
        ("je sais plus quoi faire, j'ai plus un sou", "express_distress"),
        ("j'ai la corde prête dans le garage", "express_suicidal_thoughts"),
        ("je veux disparaître pour de bon", "express_suicidal_thoughts"),
    ]:
        message = classified(components, text, [(intent, 0.5), ("out_of_scope", 0.3)])
        assert message.get(INTENT) == {"name": intent, "confidence": 0.5}


def test_a_rule_s_answer_is_never_touched(components: tuple) -> None:
    message = classified(components, "I want to kill myself", [("express_suicidal_thoughts", 1.0), ("greet", 0.0)])
    assert message.get(INTENT) == {"name": "express_suicidal_thoughts", "confidence": 1.0}


def test_the_guard_runs_after_the_classifier_and_before_the_fallback() -> None:
    names = [step["name"] for step in yaml.safe_load(CONFIG.read_text())["pipeline"]]
    guard = names.index("bot.nlu.distress.DistressPrecisionGuard")
    assert names.index("bot.nlu.clauses.ClauseReader") < guard < names.index("bot.nlu.safety.SuicideCueGuard")
    assert guard < names.index("FallbackClassifier")


# Issue 20: figures of speech and frustration written for this test; each must lose a guessed alarm.
FIGURES_OF_SPEECH = [
    "ça me tue",
    "ça me tue cette sanction",
    "je suis mort de rire",
    "je crève de chaud",
    "c'est mortel",
    "je tue le temps en attendant le virement",
    "ils vont me tuer avec leurs papiers",
    "vous me tuez avec vos formulaires",
    "j'en peux plus de ce site",
    "je me tue à vous le dire",
    "mort de fatigue",
    "c'est à mourir d'ennui",
    "je meurs d'envie de savoir combien je touche",
    "je vous écris la mort dans l'âme",
    "je veux en finir avec ce dossier",
    "j'ai hâte d'en finir avec cette actualisation",
    "c'est du suicide de rappeler à midi",
    "je vais me tirer une balle dans le pied avec cette déclaration",
    "je n'ai jamais pensé au suicide",
    "je ne vais pas me tuer pour ça",
    "je vais devenir fou avec ce site",
    "je suis mort de honte",
    "l'attente va me tuer",
    # Issue 20, written for this test: more figures of speech, forgetting, frustration, jokes.
    "ce délai me tue",
    "je vais tuer mon banquier lol",
    "je vais tuer mon conseiller mdr",
    "j'ai failli mourir de rire",
    "j'en crève d'envie",
    "je me suis tué à la tâche pendant 20 ans",
    "je vais péter les plombs",
    "je pète un câble avec ce site",
    "j'en ai plein le dos",
    "je vais tout casser",
    "je vais jeter mon ordi par la fenêtre",
    "je vais balancer mon téléphone contre le mur",
    "j'ai envie de tout envoyer balader",
    "je vais me jeter à l'eau et postuler",
    "je vais sauter le pas et créer mon entreprise",
    "ça va être la mort pour finir le mois hein",
    "ma batterie est morte, je rappelle plus tard",
    "mon père est décédé, je dois le déclarer",
    "vous voulez ma mort avec vos papiers",
    "j'ai zappé",
    "trou de mémoire",
    "je me souviens de rien de mon code",
    "j'en ai ras le bol",
    "ça me rend dingue",
    "j'ai fini ma formation, c'est la fin de mes droits ?",
    "je suis morte de froid dans la file d'attente",
    "j'ai cru mourir en voyant le montant",
    "je vais me faire tuer par ma femme si je rentre tard",
    "je vais finir par me tirer les cheveux",
    "j'ai envie de hurler",
    "j'ai envie de disparaître sous terre tellement j'ai honte de mon erreur",
    "votre site ne sert à rien",
    "ça sert à rien d'appeler",
    "à quoi bon m'actualiser, c'est toujours en retard",
    "je vais me jeter sur le premier rendez-vous dispo",
    "je vais me pendre au téléphone avec l'agence toute la journée",
]


@pytest.mark.parametrize("text", FIGURES_OF_SPEECH)
def test_figures_of_speech_lose_a_guessed_alarm(components: tuple, text: str) -> None:
    words = normalize(text).split()
    assert suicidal_cue(words) is None
    assert urgent_sign("express_suicidal_thoughts", words, text) is None
    assert urgent_sign("express_distress", words, text) is None
    message = classified(components, text, [("express_suicidal_thoughts", 0.6), ("out_of_scope", 0.3)])
    assert message.get(INTENT) == {"name": "out_of_scope", "confidence": 0.3}


@pytest.mark.parametrize(
    "text",
    [
        "je veux en finir avec la vie",
        "je veux en finir",
        "je pense à mourir",
        "si je touche pas mon alloc je vais mourir",
        "je sais pas, je veux disparaître",
        # Issue 20: the same words as the figures above, said for real, keep it.
        "je veux que tout s'arrête",
        "je veux finir ma vie",
        "je vais me jeter à l'eau",
        "je vais me jeter par la fenêtre lol",
        "j'en ai ras le bol de vivre",
        "je vais sauter du pont",
        "j'ai oublié pourquoi je vis, je veux mourir",
        "je dors dehors, je suis mort de froid",
        "je vais finir par me tuer",
        "je veux disparaître sous terre pour toujours",
        "ça sert à rien",
        "la vie ne sert à rien",
        "je vais me jeter sur les rails",
        "je vais me pendre au garage",
        "ça sert à rien de vivre",
    ],
)
def test_the_same_words_said_for_real_keep_the_urgent_path(components: tuple, text: str) -> None:
    message = classified(components, text, [("express_suicidal_thoughts", 0.6), ("out_of_scope", 0.3)])
    assert message.get(INTENT) == {"name": "express_suicidal_thoughts", "confidence": 0.6}


def test_dying_of_hunger_is_distress_not_suicidal_thoughts(components: tuple) -> None:
    """« je vais mourir de faim si ça continue »: hunger is the first of the distress signs (the food aid, the 115
    and the urgent ticket), not the suicide-prevention answer."""
    text = "je vais mourir de faim si ça continue"
    assert hunger_not_suicide(normalize(text).split())
    message = classified(components, text, [("express_suicidal_thoughts", 0.5), ("out_of_scope", 0.2)])
    assert message.get(INTENT) == {"name": "express_distress", "confidence": 0.5}
    assert [e["name"] for e in message.get(INTENT_RANKING_KEY)][:2] == ["express_distress", "express_suicidal_thoughts"]
    guessed = classified(components, text, [("express_distress", 0.5), ("out_of_scope", 0.2)])
    assert guessed.get(INTENT) == {"name": "express_distress", "confidence": 0.5}
    worse = classified(components, "je vais mourir de faim, autant en finir", [("express_suicidal_thoughts", 0.5)])
    assert worse.get(INTENT)["name"] == "express_suicidal_thoughts"


@pytest.mark.parametrize(
    "text",
    ["je vais pouvoir payer mes factures ce mois ci ?", "mon propriétaire demande une attestation, je fais comment ?"],
)
def test_money_words_in_an_ordinary_question_lose_a_guessed_alarm(components: tuple, text: str) -> None:
    for intent in ("express_distress", "express_suicidal_thoughts"):
        message = classified(components, text, [(intent, 0.6), ("ask_payment_date", 0.3)])
        assert message.get(INTENT) == {"name": "ask_payment_date", "confidence": 0.3}


@pytest.mark.parametrize(
    "text", ["je n'arrive plus à payer mes factures", "comment je vais payer mon loyer, j'ai plus rien ?"]
)
def test_not_being_able_to_pay_keeps_the_urgent_path(components: tuple, text: str) -> None:
    message = classified(components, text, [("express_distress", 0.6), ("ask_payment_date", 0.3)])
    assert message.get(INTENT) == {"name": "express_distress", "confidence": 0.6}


@pytest.mark.parametrize(
    "text",
    [
        "je craque avec ce site, il bug tout le temps",
        "j'ai paniqué, j'ai oublié mon identifiant",
        "je n'y arrive pas avec l'actualisation",
        "c'est une honte de traiter les gens comme ça",
        "je suis hébergé chez mes parents, ça change mon alloc ?",
        "mes droits sont épuisés le mois prochain, je touche quoi ?",
        "j'ai abandonné ma formation, ça change quoi ?",
        "j'ai saisi mes heures hier sur le site",
    ],
)
def test_feelings_about_the_site_and_money_questions_lose_a_guessed_distress(components: tuple, text: str) -> None:
    message = classified(components, text, [("express_distress", 0.6), ("ask_payment_date", 0.3)])
    assert message.get(INTENT) == {"name": "ask_payment_date", "confidence": 0.3}


@pytest.mark.parametrize(
    "text", ["je craque, j'ai plus rien à manger", "je n'y arrive plus, je vais être expulsée, aidez-moi"]
)
def test_the_same_feelings_with_real_distress_keep_the_urgent_path(components: tuple, text: str) -> None:
    message = classified(components, text, [("express_distress", 0.6), ("ask_payment_date", 0.3)])
    assert message.get(INTENT) == {"name": "express_distress", "confidence": 0.6}


# Issue 20, precision with recall: new development messages written for this test, as people write them (SMS
# spelling, no accents, spoken style). Each hard negative must lose a guessed alarm and carry no suicidal cue; each
# real distress or suicidal message must keep it (or get it from a rule).
DEV_FIGURES_OF_SPEECH = [
    "sa me tue d attendre comme sa depuis 3 semaines",
    "cette paperasse va finir par me tuer",
    "jsuis morte de rire ta reponse",
    "on creve de chaud dans votre agence",
    "on creve d ennui dans cette file d attente",
    "vivement que j en finisse avec ces papiers",
    "faut que j en finisse avec ma declaration ce soir",
    "j ai craque sur une paire de baskets, il me reste combien sur mon alloc ?",
    "ma fille a craque pour un chiot, ca compte dans mes charges ?",
    "mon rdv a saute, je dois en reprendre un ?",
    "ma prime a saute ce mois ci pourquoi",
    "l appli a disparu de mon telephone",
    "mon attestation a disparu de mon espace",
    "mes heures ont disparu de ma declaration",
    "je vais disparaitre 15 jours en vacances au bled, je dois prevenir ?",
    "ce formulaire c est la mort",
    "ca m a tue quand j ai vu le montant",
    "le stress de l actu me tue a petit feu",
    "je me suis tuee au travail pendant 15 ans et voila comment on me traite",
    "chui creve, je finis ma declaration demain",
    "je suis morte de fatigue apres le salon de l emploi",
    "j ai ri a en mourir en lisant votre courrier",
    "le conseiller m a acheve avec ses questions",
    "j ai envie de sauter au plafond, mon dossier est valide",
    "faut sauter sur l occasion pour la formation ?",
    "je vais craquer et appeler le 3949 encore une fois",
    "ce site me fait mourir, il rame grave",
    "je meurs d impatience de savoir si c est accepte",
    "c est la fin des haricots avec ce dossier",
    "j en ai fini avec l actualisation, c est bon",
    "mon portable est mort, je vous recontacte demain",
    "je me jette a l eau, je cree ma boite",
    "le bug m a tuer, je recommence tout",
]
DEV_FORGETTING = [
    "jme rappel plu de mon identifiant",
    "g oublie mon mdp",
    "j ai oublie ce que j ai declare le mois dernier",
    "je sais plus si j ai coche oui ou non pour le travail",
    "je ne me souviens plus de la date de mon dernier contrat",
    "jsai pu mon numero pole emploi",
    "j ai perdu mon code je fais comment",
    "aucune idee de ma date de fin de contrat, je l ai zappee",
    "j ai un trou c etait quoi deja le montant que j ai declare",
    "je sais plus quoi mettre dans la case",
    "je sais plus ou j en suis avec mes demarches",
    "je me rappelle pas si j ai envoye l attestation",
    "j avais la tete ailleurs j ai oublie de m actualiser",
    "chui perdue g oublie mon mot de passe",
]
DEV_FRUSTRATION = [
    "vous etes vraiment des incapables",
    "c est une blague ce service",
    "ras le bol d attendre au tel pendant des heures",
    "ca fait 3 fois que j explique je vais devenir chevre",
    "j en peux plus de vous personne repond jamais",
    "je suis a bout de patience avec vous",
    "c est l enfer votre appli",
    "je suis furax encore un bug",
    "je craque avec vos courriers qui arrivent en retard",
    "vous me faites peter un plomb",
    "je vais finir par porter plainte",
    "j en peux plus d attendre ce virement",
    "c est abuse, 2 mois sans reponse",
    "vous vous foutez de moi",
]
DEV_MONEY = [
    "je peux rembourser le trop percu petit a petit ?",
    "est ce que je peux etaler ma dette sur 12 mois",
    "combien je dois rembourser par mois",
    "je dois payer mes factures avant le 10, le virement arrive quand ?",
    "j ai un credit a payer, l alloc tombe quand",
    "je suis a decouvert de 50 euros, le paiement arrive quand ?",
    "je voudrais un echeancier pour le trop percu",
    "comment je fais mon budget avec 900 euros d alloc",
    "je paie mon loyer le 5, je serai paye avant ?",
    "je peux payer par carte le remboursement ?",
    "le prelevement du trop percu c combien par mois",
    "je veux payer le trop percu en 3 fois",
    "mes factures d electricite ca rentre dans quoi",
]
# A second round, written after the first fixes: despair words aimed at the procedure, annoyance, laughter, shame.
DEV_SECOND_ROUND = [
    "je veux en finir une bonne fois pour toutes avec cette histoire de trop percu",
    "ce site me donne envie de mourir",
    "je vais me pendre a votre standard",
    "je suis a bout avec vos bugs",
    "je suis au bout du rouleau avec ce site lol",
    "je suis a bout de nerfs avec ce formulaire",
    "je suis desespere par la lenteur du site",
    "je suis epuise de remplir vos papiers",
    "vous me pourrissez la vie avec vos papiers",
    "je me suis effondre de rire",
    "j ai envie de disparaitre tellement c est la honte",
    "mon cerveau est mort, je me rappelle plus du code",
]
# A third round: « à mort » as an intensifier, nerves before an interview, hiding for shame, leaving, hopping on.
DEV_THIRD_ROUND = [
    "ca me saoule a mort ce site",
    "j ai le seum a mort",
    "je stresse a mort pour mon entretien",
    "j ai oublie mes identifiants, je suis desespere",
    "j ai envie de me cacher tellement j ai honte",
    "je vais sauter dans le premier train pour le rdv",
    "j ai la mort aux trousses",
    "je vais tout plaquer et partir en vacances",
]
DEV_HARD_NEGATIVES = (
    DEV_FIGURES_OF_SPEECH + DEV_FORGETTING + DEV_FRUSTRATION + DEV_MONEY + DEV_SECOND_ROUND + DEV_THIRD_ROUND
)

DEV_REAL_DISTRESS = [
    "jai plu rien a manger depuis 2 jours",
    "on va se retrouver a la rue avec mes 3 enfants",
    "le proprio nous met dehors vendredi",
    "je vis dans ma voiture",
    "jdors dans ma caisse depuis une semaine",
    "mon compagnon me tape dessus quand l alloc arrive pas",
    "je suis au bout du rouleau",
    "ils m ont coupe le courant et j ai un bebe",
    "j ai plus un centime pour les couches",
    "je tiens plus je pleure tous les soirs",
    "il me reste 3 euros pour finir le mois et j ai deux enfants",
    "je sais plus comment nourrir mes enfants",
    "je vais me retrouver sdf",
    "l huissier a tout pris",
    "j ai peur de mon mari il me menace",
    "je suis toute seule et j ai plus rien",
    "je suis a bout de nerfs, je dors plus, je mange plus",
    "on a plus de quoi chauffer la maison",
    "je craque, je sais plus quoi faire, j ai plus rien",
    "mes enfants ont faim et moi j ai rien",
]
DEV_SUICIDAL = [
    "jveu pu vivre",
    "je pense a en finir ce soir",
    "g envie de me foutre en l air",
    "a quoi bon continuer",
    "je veux plus me reveiller le matin",
    "je vais avaler toutes mes pilules",
    "tout le monde serait mieux sans moi",
    "j ai ecrit une lettre pour ma famille, c est fini pour moi",
    "je vais sauter du balcon",
    "g envi de mourir",
    "je vais me jeter sous le metro",
    "je vois plus d issue je veux disparaitre",
    "ma vie n a plus de sens",
    "j ai achete une corde",
    "je suis fatigue de vivre",
    "je veux dormir et ne plus jamais me reveiller",
    "personne me regrettera",
    "plus rien ne me retient ici",
    "I can't do this anymore, I want to end my life",
    "quiero morir",
    "ich will nicht mehr leben",
    "voglio morire",
    "quero me matar",
]

# « craquer et appeler » (to give in and call again) reads like « craquer et faire une bêtise »: left to the classifier.
KNOWN_DEV_FAILURES = {"je vais craquer et appeler le 3949 encore une fois"}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason="ambiguous")) if t in KNOWN_DEV_FAILURES else t
        for t in DEV_HARD_NEGATIVES
    ],
)
def test_new_hard_negatives_lose_a_guessed_alarm(components: tuple, text: str) -> None:
    words = normalize(text).split()
    assert suicidal_cue(words) is None
    for intent in ("express_suicidal_thoughts", "express_distress"):
        message = classified(components, text, [(intent, 0.6), ("out_of_scope", 0.3)])
        assert message.get(INTENT) == {"name": "out_of_scope", "confidence": 0.3}


@pytest.mark.parametrize("text", DEV_REAL_DISTRESS)
def test_new_real_distress_keeps_the_urgent_path(components: tuple, text: str) -> None:
    message = classified(components, text, [("express_distress", 0.6), ("out_of_scope", 0.3)])
    assert message.get(INTENT) == {"name": "express_distress", "confidence": 0.6}


@pytest.mark.parametrize("text", DEV_SUICIDAL)
def test_new_suicidal_messages_keep_the_urgent_path(text: str) -> None:
    words = normalize(text).split()
    assert (
        suicidal_cue(words) is not None
        or foreign_suicidal_cue(text) is not None
        or urgent_sign("express_suicidal_thoughts", words, text) is not None
    )
