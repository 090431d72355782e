"""Distress with precision: the urgent path only for a message that says something urgent.

``express_distress`` and ``express_suicidal_thoughts`` are not answers like the
others: each gives the emergency numbers, raises an urgent ticket and pauses the
bot for a counsellor. The classifier learnt them from messages full of « je sais
plus quoi faire », « je peux plus payer », « j'en peux plus »; so it also gives
them to a person who has forgotten her identifier (« je sais plus »), asks to pay
an overpayment in instalments (« je peux payer en plusieurs fois ? »), says
« ça me tue cette sanction » or « c'est pour les sous ». Each is a false alarm
and a stopped conversation.

``DistressPrecisionGuard`` runs after the classifier and the rule-based guards.
When the intent is one of the two urgent ones *as the classifier guessed it*
(below confidence 1.0: a rule's 1.0, from ``SuicideCueGuard`` or the language
guard, is never touched), it is kept only when the message carries a sign of
it:

* distress (``DISTRESS_CUES``): hunger and food aid, the street and eviction,
  debts, cut-offs, no money at all (« plus un rond », « à découvert »), despair
  and crisis words (« désespéré », « à bout », « je craque »), violence;
* for the suicidal intent, also the words of death and self-harm the indirect
  wordings use (``SUICIDAL_HINTS``: « mourir », « disparaître », « ne plus me
  réveiller », « la corde », « le pont »…), idioms (« mort de rire »,
  « mort de fatigue », « ça me tue cette sanction ») excepted; and because a
  missed 3114 costs more than a false alarm, the suicidal guess is dropped only
  when the message also reads as something ordinary (``ORDINARY``: forgetting,
  a question, the allowance and its paperwork).

Issue 20, precision: idioms are taken out before any sign is looked for (« c'est
mortel », « tuer le temps », « vous allez me tuer avec vos questions », « je me
tue à vous le dire », « en finir avec ce dossier », « c'est du suicide de… », « mort
de honte »), and so are the words of death negated in their clause (« je n'ai
jamais pensé au suicide »); money words that ordinary questions use (« je vais
pouvoir payer mes factures ce mois-ci ? ») are no sign in a question. « Je vais
mourir de faim » is hunger: a suicidal guess with no other sign becomes
``express_distress`` (the food aid, the 115, the urgent ticket), not the
suicide-prevention answer.

Otherwise the message is read as the classifier's best other intent, with its own
confidence (the fallback then asks the clarifying question if it is low). Every
distress and suicidal training example carries such a sign
(``tests/nlu/test_distress_guard.py`` checks it), so the guard takes nothing
from what the classifier learnt to recognise; it only stops the urgent path from
being reached by words that are not urgent.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.common import needs
from bot.nlu.guards import IntentGuard
from bot.nlu.normalizer import message_words

URGENT_INTENTS = frozenset({needs.DISTRESS, needs.SUICIDAL_THOUGHTS})

_ENERGY = r"(electricite|gaz|eau|courant|chauffage|lumiere|edf|engie)"
_BILLS = (
    r"(loyer|loyers|factures?|electricite|gaz|eau|courses|cantine|dettes?|credit|medicaments|chauffage|mutuelle"
    r"|essence|soins)"
)

# Normalised words (bot/nlu/normalizer: lowercase, no accents, elisions and SMS spelling expanded).
DISTRESS_CUES: tuple[str, ...] = (
    # hunger, food aid
    r"\bfaim\b",
    r"\b(manger|mange|mangent|mangeons|bouffer|bouffe|nourrir|nourriture|repas)\b",
    r"\bfrigo\b",
    r"\bplacards?\b",
    r"\bcolis\b",
    r"\b(banque|aide|bons?|distributions?|colis) alimentaires?\b",
    r"\brestos? du c\w*ur\b",
    r"\bsecours populaire\b",
    r"\bepicerie solidaire\b",
    r"\b(lait|couches|pain)\b",
    r"\bpoubelles?\b",
    # the street, eviction, housing lost
    r"\bexpuls\w*",
    r"\b(a|dans) la rue\b",
    r"\bdehors\b",
    r"\bsdf\b",
    r"\bsans (abri|logement|domicile|toit)\b",
    r"\b(plus|pas) (de|d) (logement|toit|chauffage|electricite|courant|gaz|eau|lumiere)\b",
    r"\b(vis|vit|vivons|vivent|vivre) (avec rien|dans (ma|la|une|notre) (voiture|caisse|bagnole|tente)|dehors)\b",
    r"\bhuissiers?\b",
    r"\bcommandement\b",
    r"\bsaisi\w*",
    r"\bmise en demeure\b",
    r"\bhotel social\b",
    r"\b115\b",
    r"\bheberge\w*",
    r"\b(dors|jdors|dort|dormons|dormir|dormi|dorment) "
    r"(dans (ma|la|une|notre) (voiture|caisse|bagnole|tente)|chez|sur le canape|a l hotel|dehors)\b",
    r"\b(perdre|perdu|perds) (mon|notre|le|l) ?(logement|appart\w*|maison|toit)\b",
    r"\b(proprio|proprietaire|bailleur)\b",
    r"\b(loyers?|mois) (impayes?|en retard|de retard)\b",
    r"\b(retard|mois) de loyers?\b",
    r"\bnulle part\b",
    # no money at all, debts, cut-offs
    r"\b(plus|pas) (un|1|d|aucun) (sou|rond|centime|euro|kopeck|radis)\b",
    r"\b(plus|pas) d argent\b",
    r"\bsans (argent|ressources?|revenus?|un sou|rien|allocation|alloc|chomage|indemnites?)\b",
    r"\b(zero|0) euros?\b",
    r"\b\d+ euros? (sur mon compte|pour finir|jusqu)\b",
    r"\bfauche\w*",
    r"\ba sec\b",
    r"\bdecouvert\b",
    r"\bdans le rouge\b",
    r"\b(dettes?|endette\w*|surendette\w*)\b",
    r"\bfactures\b",
    r"\bprecari\w*",
    r"\b(dans la|en|grosse|quelle|cette|de) galere\b",
    r"\bgalere (financiere|totale|de thunes|d argent|grave)\b",
    r"\bdifficultes? financieres?\b",
    r"\bgrande difficulte\b",
    r"\bchaque centime\b",
    r"\ba moins \d+",
    r"\bplus de quoi\b",
    r"\b(peux|peut|pouvons) plus rien payer\b",
    r"\bmisere\w*",
    r"\bpanade\b",
    r"\b(ai|a|avons|avez|reste|restait) (plus|pas|rien) (rien|de quoi)\b",
    r"\b(ai|a|avons|reste) plus rien\b",
    r"\breste (plus )?rien\b",
    r"\bplus les moyens\b",
    r"\bpas les moyens\b",
    rf"\b(plus|pas|rien|jamais) .{{0,30}}\bpayer\b.{{0,20}}\b{_BILLS}\b",
    rf"\bcoup\w* .{{0,30}}\b{_ENERGY}\b",
    rf"\b{_ENERGY} .{{0,30}}\bcoup\w*",
    r"\bcompte (est )?(bloque|ferme|saisi)\b",
    r"\binterdit\w* (bancaire|de chequier)\b",
    r"\bvendre (mes|ma|mon)\b",
    r"\bsurvi\w*",
    # despair, crisis
    r"\bdesesper\w*",
    r"\bdetresse\b",
    r"\bbout du rouleau\b",
    r"\ba bout\b",
    r"\bau bout\b",
    r"\bcraqu\w*",
    r"\bpaniqu\w*",
    r"\bangoiss\w*",
    r"\baidez moi\b",
    r"\bau secours\b",
    r"\babandonn\w*",
    r"\bepuise\w*",
    r"\baneanti\w*",
    r"\bdepress\w*",
    r"\bdeprim\w*",
    r"\blarmes\b",
    r"\bpleur\w*",
    r"\bplus la force\b",
    r"\bm en sors (plus|pas)\b",
    r"\bs en sortir\b",
    r"\b(tiens|tenir|tiendrai) (plus|pas)\b",
    r"\bcatastroph\w*",
    r"\bhonte\b",
    r"\b(dors|dormir) plus\b",
    r"\bdans la merde\b",
    r"\bs effondre\b",
    r"\btout va mal\b",
    r"\b(stresse|stress) (a mort|tellement)\b",
    r"\ben peux plus de (cette|ma|la) (situation|vie|galere|misere|precarite)\b",
    r"\bn y arrive (plus|pas)\b",
    r"\by arrive (plus|pas)\b",
    r"\bjoindre les deux bouts\b",
    r"\bperdu\w* (completement|totalement)\b",
    r"\b(completement|totalement|tellement) perdu\w*",
    r"\bvers qui\b",
    r"\ba qui (demander|m adresser)\b",
    r"\baide urgente\b",
    r"\burgence (sociale|alimentaire)\b",
    r"\bsans solution\b",
    r"\baucune solution\b",
    # violence
    r"\bfrapp\w*",
    r"\bbattu\w*",
    r"\b(me|nous|les|la|le) bat\b",
    # Issue 20: « il me tape dessus », « il nous tape »; not « je me tape la file d'attente » (to put up with).
    r"\b(me|nous|les|la|le|m) (tape|tapent|tapait|tapaient|cogne|cognent|cognait) dessus\b",
    r"\b(il|elle|ils|mari|compagnon|copain|conjoint|ex|pere|frere) (me|nous|m) (tape|tapent|tapait|cogne|cognait)\b",
    r"\bviolen\w*",
    r"\bviol\b",
    r"\bagress\w*",
    r"\bmenac\w*",
    r"\b(froid|peur pour)\b",
)

# The words of death and self-harm of indirect suicidal wordings (the explicit ones are SuicideCueGuard's).
SUICIDAL_HINTS: tuple[str, ...] = (
    r"\bmour\w*",
    r"\bmeur\w*",
    r"\bmort\w*",
    r"\bcrever\b",
    r"\bsuicid\w*",
    r"\bfinir\b",
    r"\ben fini\w*",
    r"\bc est (fini|termine|la fin)\b",
    r"\bmets fin\b",
    r"\bdispar\w*",
    r"\bvivre\b",
    r"\bvie\b",
    r"\bvecue\b",
    r"\ben vie\b",
    r"\bexist\w*",
    r"\breveill\w*",
    r"\bendormir\b",
    r"\bcorde\b",
    r"\bpont\b",
    r"\bsaut\w*",
    r"\bjet\w*",
    r"\b(pilules|cachets|medicaments|medocs|somniferes|boite)\b",
    r"\badieu\b",
    r"\bregrett\w*",
    r"\bsans moi\b",
    r"\bun poids\b",
    r"\bissue\b",
    r"\bidees noires\b",
    r"\bnoy\w*",
    r"\b(balcon|fenetre|train|metro|toit|immeuble|camion|voiture|mur|seine)\b",
    r"\b(fusil|arme|balle|veines)\b",
    r"\bpour (toujours|de bon)\b",
    r"\bplus la\b",
    r"\bretient\b",
    r"\btentative\b",
    r"\bdu mal\b",
    r"\bconnerie\b",
    r"\btout (prevu|prepare|range)\b",
    r"\bdernier message\b",
    r"\ba quoi bon\b",
    r"\bsert a rien\b",
    r"\bsupprim\w*",
    r"\bdefenestr\w*",
    r"\bmerite pas\b",
    r"\bsolution\b",
    r"\bcontinuer\b",
    # Issue 20: « je veux que tout s'arrête », « que ça s'arrête pour de bon », « partir pour toujours ».
    r"\b(tout|ca|que ca) s arrete\w*",
    r"\bpartir\b",
)
_DETERMINER = r"(mon|ma|mes|le|la|les|l|ce|cet|cette|ces|son|sa|ses|ton|ta|tes|votre|vos|leur|leurs|un|une|tout)"
# The people and things of a job seeker's procedure, and of a phone or computer (« tuer mon banquier », « mon
# téléphone est mort »).
_PROCEDURE = (
    r"(banquier|banquiere|banque|conseiller|conseillere|conseillers|agent|agents|agence|chef|patron|patronne|"
    r"proprio|collegue|voisin|voisine|gestionnaire|ordi|ordinateur|pc|telephone|tel|portable|batterie|box|"
    r"imprimante|site|appli|application|serveur|connexion|ecran|clavier|souris|wifi|voiture|scooter|plante|"
    r"dossier|formulaire|compte|espace)"
)
_RELATIVE = (
    r"(pere|mere|papa|maman|mari|femme|frere|soeur|fils|fille|grand pere|grand mere|grand parents?|oncle|tante|"
    r"cousin|cousine|conjoint|conjointe|epoux|epouse|compagnon|compagne|chien|chat)"
)
# « mort de rire », « mort de fatigue », « ça me tue cette sanction »: idioms, not death.
# Issue 20: « c'est mortel », « tuer le temps », « ils vont me tuer avec leurs papiers », « vous me tuez »,
# « je me tue à vous le dire », « à en mourir », « la mort dans l'âme », « je meurs d'envie de… ».
IDIOMS = re.compile(
    r"\b(mort|morte|morts|mortes|mourir|meurs|meurt|mourrai|mourrais|crever|creve|crevee|crevent) (de|d) "
    r"(rire|fatigue|honte|peur|trouille|ennui|stress|chaud|envie|impatience|curiosite|jalousie|rage|inquietude)\b"
    r"|\bpas en mourir\b|\ba en mourir\b|\b(ca|cela|ce \w+|cette \w+|ces \w+|qui) me tue\b"
    r"|\b(tu|vous|ils|elles|on) me (tue|tues|tuez|tuent)\b|\bme (tues|tuez|tuent)\b"
    r"|\b(ca|cela|ce \w+|cette \w+|ces \w+|l \w+|la \w+|le \w+|les \w+|vous|tu) "
    r"(va|vas|vont|allez|finira par|finiront par|vont finir par) me tuer\b"
    r"|\b(devenir|deviens|devient|rendre|rend|rendez|rendent|rends) (fou|folle|folles|fous|dingue|dingues|chevre)\b"
    r"|\bme tuer avec (leurs|leur|vos|votre|tes|ton|ta|ces|ce|cette|les|des) \w+"
    r"|\bme tue a (vous|te|le|la|les|lui|leur|\w+(er|ir|re))\b"
    r"|\b(tuer|tue|tuent|tuons) le temps\b|\bca tue\b"
    r"|\b(c est|c etait|trop|vraiment|grave|ennui|d un ennui) (mortel|mortelle)\b|\bmortel ce\b"
    r"|\bc est mort pour (ce|cette|le|la|les|mon|ma|l)\b|\bla mort dans l ame\b"
    r"|\b(en )?finir ((une )?(bonne )?fois pour toutes |vite |enfin |rapidement |aujourd hui |ce soir )?avec "
    r"(ce|cet|cette|ces|le|les|l|mon|mes|votre|vos|leur|leurs|la|ma) (?!vie\b|existence\b)\w+"
    r"|\bhate (de|d) en finir\b"
    r"|\b(c est|c etait|ce serait|serait|ce sera) (du |un )?(suicide|suicidaire)\b|\bmission suicide\b"
    r"|\bballe dans le pied\b"
    r"|\b(c est une|c est la|c etait une|quelle|vraiment une) honte\b|\bc est (violent|abuse)\b"
    r"|\baidez moi (a|pour) \w+|\bpleur\w* de rire\b"
    r"|\bmenac\w* (de|d) (radiation|sanction|suspension|radier)\b"
    r"|\bdroits? (sont |seront |est |sera |vont etre |arrivent )?epuise\w*"
    r"|\babandonn\w* (ma|mon|la|le|l|cette|ce) (formation|stage|poste|emploi|contrat|cdd|cdi|travail|boulot|"
    r"mission|job)\b"
    r"|\b(suis|sommes|s est|me suis) battu\w* pour\b"
    # Issue 20, hard negatives: worn out by work (« je me suis tué à la tâche »), someone or something of the
    # procedure killed (« je vais tuer mon banquier »), blowing a fuse (« je pète un câble »), a thing thrown out of
    # the window (« je vais jeter mon ordi par la fenêtre »), taking the plunge (« me jeter à l'eau et postuler »,
    # « sauter le pas »), a thing or someone else dead (« ma batterie est morte », « mon père est décédé »), « ça va
    # être la mort », « vous voulez ma mort ».
    r"|\b(tue|tuee|tues|tuees|tuer|tuent|tuait) (a la tache|au travail|au boulot|au taf)\b"
    rf"|\b(tuer|tue|buter|bute|etrangler|etrangle|trucider|zigouiller|massacrer) {_DETERMINER} ({_PROCEDURE})\b"
    r"|\bpet\w* (les|un|une|mon|ma|des) (plombs?|cables?|durites?|fusibles?|boulons?|cables?)\b"
    rf"|\b(jeter|jete|jette|balancer|balance|lancer|lance|envoyer|foutre|fous) {_DETERMINER} ((?!corps\b)\w+ ){{0,2}}"
    r"(par la fenetre|a la poubelle|contre le mur|par terre)\b"
    r"|\bme (jeter|jette|lancer|lance) a l eau (et|pour|en|avec)\b|\bsaut\w* le pas\b|\bsaut\w* de joie\b"
    r"|\bsaut\w* (une|la|un|des|les|cette|ce) (ligne|case|etape|question|page|rubrique)\b"
    rf"|\b({_PROCEDURE}|{_RELATIVE}) (est |etait |sont |a |ont )?(mort|morte|morts|mortes|decede|decedee|creve|crevee|"
    r"plante|crashe)\b"
    r"|\b(va|vais|ca va|ce sera|ce serait|serait) etre la mort\b|\bc est la mort (pour|a|de|ce|cette|ces|avec)\b"
    r"|\b(tu veux|tu cherches|veut|veulent|voulez|cherchez|cherche|cherchent) ma mort\b"
    # « j'ai cru mourir en voyant le montant », « mort de froid dans la file », « ma femme va me tuer », « je me suis
    # fait tuer au jeu », « disparaître sous terre » (shame), « honte de mon erreur », « m'arracher les cheveux ».
    r"|\b(cru|failli|crois|croyais|pense|pensais) (mourir|crever|y rester|faire une crise)\b"
    r"|\b(mort|morte|morts|mortes|gele|gelee) (de|d) froid (dans|a|devant|en)( la| l| le)? "
    r"(file|queue|agence|attente|salle|bureau|guichet)"
    r"|\b(ma|mon|mes) \w+ (va|vont|allait|vais|finira par) me (tuer|tuer si|buter)\b"
    r"|\b(faire|fait|fais) (tuer|buter) (par|au|a|dans|en)\b"
    r"|\b(disparaitre|rentrer|me cacher|cacher) sous terre\b(?! pour)"
    r"|\bhonte (de|d) (mon|ma|mes|cette|cet|ce|l) (erreur|oubli|retard|faute|question|betise|demande)s?\b"
    r"|\b(tirer|arracher|arrache|tire|m arracher|me tirer) les cheveux\b"
    r"|\benvie de (meurtre|tuer quelqu un|tout casser|hurler|crier|exploser)\b"
    # « votre site ne sert à rien », « ça sert à rien d'appeler », « à quoi bon m'actualiser »: a thing or a step of
    # the procedure is useless (« ça sert à rien » alone, « la vie ne sert à rien », « à quoi bon vivre » stay signs).
    r"|\b(ce|cet|cette|ces|votre|vos|ton|ta|tes|le|la|les|l|son|sa|leur) (?!vie\b|existence\b)\w+ "
    r"(ne )?(sert|servent) (a|plus a|strictement a|vraiment a) rien\b"
    r"|\b(ca|cela) (ne )?sert (a|plus a) rien (de|d) (m |me |vous |les |le |la )?(appeler|rappeler|attendre|"
    r"envoyer|demander|insister|essayer|ecrire|relancer|actualiser|declarer|remplir|chercher|postuler|contester)\b"
    r"|\bpendu\w* au telephone\b|\bpendre au (telephone|tel|cou|standard)\b|\bpendre a son cou\b"
    r"|\bpendre a (votre|leur|ce|leurs) (standard|telephone|ligne)\b"
    r"|\b(site|appli|application|formulaire|serveur|standard|bug|actualisation|paperasse) \w* ?me (donne|donnent) "
    r"envie (de|d) (mourir|crever|disparaitre|en finir)\b"
    # « me jeter sur le premier rendez-vous »: eagerly (not « sur les rails », « sur la route »).
    r"|\bme (jeter|jette|jete|precipiter|precipite) sur (le|la|les|l|un|une|mon|ma|ce|cette) "
    r"(?!rails?\b|voies?\b|route\b|autoroute\b|periph\w*|train\b|metro\b|voiture\b|camion\b|tram\w*)\w+"
    r"|\ba quoi bon (m |me |vous |les |le |la )?(appeler|rappeler|attendre|envoyer|demander|insister|essayer|"
    r"ecrire|relancer|actualiser|declarer|remplir|chercher|postuler|contester)\b"
    # Issue 20, precision with recall, as classes. Someone or something else kills or wears one out, in the past or
    # at the end of a chain of verbs (« ça m'a tué », « le bug m'a tuer », « le conseiller m'a achevé », « cette
    # paperasse va finir par me tuer », « ce site me fait mourir »): the speaker is alive and writing.
    r"|\bm (a|ont|avait|avaient) (tue|tuee|tuer|acheve|achevee|achever|assassine|assassinee|flingue|flinguee)\b"
    r"|\b(ca|cela|ce \w+|cet \w+|cette \w+|ces \w+|l \w+|la \w+|le \w+|les \w+|vous|tu|ils|elles|on) "
    r"(va|vas|vont|allez) finir par me tuer\b"
    r"|\b(ca|cela|ce \w+|cet \w+|cette \w+|ces \w+|l \w+|le \w+|les \w+|vous|tu|ils|elles|qui) "
    r"me (fait|font|faites|fais) (mourir|crever)\b"
    # « en finir » conjugated, with a thing (« que j'en finisse avec ces papiers », « j'en finirai avec ce dossier »).
    r"|\ben (finisse|finisses|finissent|finissons|finissez|finirai|finira|finirons|finiront|finis|finit|fini) avec "
    r"(ce|cet|cette|ces|le|les|l|mon|mes|votre|vos|leur|leurs|la|ma|un|une) (?!vie\b|existence\b)\w+"
    # « craquer pour / sur » a thing: to fall for it (« j'ai craqué sur des baskets », « elle a craqué pour un chiot »).
    r"|\bcraqu\w* (pour|sur) (un|une|des|le|la|les|l|ce|cet|cette|ces|mon|ma|mes|son|sa|ses)\b"
    # Time and patience, not despair: « à bout de patience », « au bout de 3 semaines », « au bout du fil », « au
    # bout de mes droits ».
    r"|\ba bout de patience\b"
    r"|\bau bout (de|d) (\d+|un|une|deux|trois|quatre|cinq|six|dix|quinze|quelques|plusieurs|combien|longtemps)"
    r"( \w+)?"
    r"|\bau bout (de|d) (mes|ses|vos|tes|leurs) droits\b"
    r"|\bau bout du (fil|telephone|compte|delai)\b"
    # A thing that disappears or is called off (« l'appli a disparu », « mes heures ont disparu de ma déclaration »,
    # « mon rdv a sauté »), a stay away for a time (« disparaître 15 jours en vacances »), joy and eagerness
    # (« sauter au plafond », « sauter sur l'occasion »).
    r"|\b(a|ont|est|sont|avait|avaient) (disparu|disparue|disparus|disparues|saute|sautee|sautes|sautees)\b"
    r"|\bdisparu\w* (de|du|des) (mon|ma|mes|l|la|le|les|votre|vos|son|sa|ses) "
    r"(espace|ecran|compte|site|appli|application|telephone|dossier|declaration|historique|liste|boite)\b"
    r"|\bdisparaitre (\d+|un|une|deux|trois|quelques|plusieurs) (jours?|semaines?|mois|heures?)\b"
    r"|\bsaut\w* au plafond\b"
    r"|\bsaut\w* sur (l|une|cette|la|le|ce|un) (occasion|offre|opportunite|proposition|poste|formation)\b"
    # A thing that is « la mort » or « l'enfer » (« ce formulaire, c'est la mort », « c'est l'enfer votre appli »).
    rf"|\b{_DETERMINER} (?!vie\b|existence\b|situation\b)\w+ (c est|c etait) (la mort|mortel|l enfer)\b"
    r"|\bc est (l enfer|la mort) (votre|vos|ce|cet|cette|ces|le|la|les|l)\b"
    # Taking the plunge into a project (« je me jette à l'eau, je crée ma boîte »).
    r"|\bme (jeter|jette|jete|lancer|lance) a l eau ((?!mourir\b|noyer\b|finir\b)\S+ ){0,4}"
    r"(cree|creer|postul\w*|entreprise|boite|formation|candidat\w*|projet|inscri\w*|reconversion|societe)\b"
    # Despair words aimed at the procedure (« je suis à bout avec vos bugs », « au bout du rouleau avec ce site »,
    # « désespéré par la lenteur du site », « épuisé de remplir vos papiers »): anger at it, when nothing else is said.
    r"|\b(a bout|au bout du rouleau|desesper\w*|epuise\w*|a bout de nerfs|craqu\w*|deprim\w*) "
    r"(avec|par|a cause de|de|d|de remplir|de refaire) (ce|cet|cette|ces|votre|vos|le|la|les|l|ton|ta|tes)( \w+)? "
    r"(site|appli|application|bugs?|beugs?|formulaires?|papiers|paperasse|lenteur|attente|actualisation|courriers?|"
    r"service|demarches|relances|questions|serveur|standard|mails?)\b"
    # Annoyance and laughter (« vous me pourrissez la vie avec vos papiers », « effondré de rire »), shame (« envie de
    # disparaître tellement c'est la honte »), a mind that is « dead » (« mon cerveau est mort »).
    r"|\bme (pourri\w*|gach\w*|empoisonn\w*|complique\w*|compliquez|facilit\w*|simplifi\w*) la vie\b"
    r"|\b(effondre\w*|ecroule\w*|pisse|plie\w*|explose\w*|creve\w*|mort\w*|meur\w*|mourir) (de|d) rire\b"
    r"|\b(disparaitre|me cacher|rentrer sous terre)( \w+){0,2} ((tellement|tant) (c est|j ai|j avais) (la )?honte|"
    r"de honte)\b"
    # « à mort » as an intensifier of annoyance (« ça me saoule à mort », « j'ai le seum à mort »); nerves before an
    # interview (« je stresse à mort pour mon entretien »); hopping on a train, leaving on holiday or for training.
    r"|\b(saoul\w*|soul\w*|seum|flipp\w*|enerv\w*|degout\w*|deg|rage|gonfl\w*|kiff\w*|chiant\w*|relou|vener|"
    r"venere|marre|agac\w*) a mort\b"
    r"|\b(stresse|stress|flippe|flipper|angoiss\w*|paniqu\w*) (a mort |tellement |grave |trop )?(pour|avant) "
    r"(mon|ma|le|la|l|cet|cette|ce|un|une) (entretien|rendez vous|examen|formation|controle|oral|test|embauche|"
    r"concours|premier jour|reunion)\b"
    r"|\bsaut\w* dans (le|un|la|une) (premier |prochain )?(train|bus|taxi|metro|tram|avion|rer|voiture)\b"
    r"|\bpartir (en|a l|au|aux|a) (vacances|formation|etranger|stage|mission|week end|weekend|retraite|conge)\b"
    r"|\bla mort aux trousses\b"
    r"|\b(cerveau|neurones?|memoire|tete) (est |etait |sont )?(mort|morte|morts|grille|grilles|cuit|cuite)\b"
)
# « finir le mois », « j'ai fini ma formation », « c'est la fin de mes droits »: « finir » with a thing is no
# word of death (it stays a sign of distress: « 20 euros pour finir le mois »).
FINISHING_A_THING = re.compile(
    r"\b(finir|fini|finit|finis|finie) (le|la|les|ce|cet|cette|ces|mon|ma|mes) (?!vie\b|jours\b|existence\b)\w+"
    r"|\bc est (la fin|fini|termine) (de|d|du|des|pour|avec) (?!ma vie\b|moi\b|nous\b|tout\b)\w+"
    r"|\b(finir|finis|finit|finira|finirai|finiras) par\b"
)
# « je n'ai jamais pensé au suicide », « je ne vais pas me tuer », « j'ai pas envie de mourir »: the words of death
# negated in their own clause are no sign (« si je touche pas mon alloc je vais mourir » still is).
NEGATED_DEATH = re.compile(
    r"\b(pas|jamais) ((?!je\b|j\b|si\b|mais\b|et\b|sinon\b)\w+ ){0,2}"
    r"(suicid\w*|envie de mourir|mourir|me tuer|en finir)\b"
)
# « je vais mourir de faim », « on crève de froid »: hunger and cold are distress (the distress answer and the
# urgent ticket), not suicidal thoughts.
HUNGER = re.compile(r"\b(mourir|meurs|meurt|mourons|mourrai|mourra|crever|creve|crevons|crevent) (de|d) (faim|froid)\b")
# An ordinary reading of the message: forgetting, a question, the allowance and its paperwork.
ORDINARY = re.compile(
    r"\b(oublie|souviens|souvient|rappelle|retrouve plus|sais plus|sais pas|perdu mon|perdu ma)\b|"
    r"\b(quand|combien|comment|pourquoi|est ce que|c est quoi|je peux|on peut|puis je)\b|"
    r"\b(alloc|allocation|chomage|are|paiement|paye|payee|virement|actualisation|actualiser|identifiant|"
    r"naissance|trop percu|sanction|radiation|dossier|site|courrier|attestation|document|formulaire|"
    r"conseiller|sous|argent|montant|papiers?|paperasse|demarches?|justificatifs?|formulaires|documents|courriers|"
    r"dossiers|mails?|appli|application)\b|"
    r"\b(marre|ras le bol|saoul\w*|soul\w*|gonfl\w*|enerv\w*|agac\w*|nul|nuls|nulle|n importe quoi|abuse|scandal\w*|"
    r"inadmissible|inacceptable|degoute\w*|cable|plomb|attendre|attente)\b|"
    # Issue 20: forgetting (« j'ai zappé », « trou de mémoire », « je me souviens de rien »), anger at things (« j'en ai
    # plein le dos », « je pète un câble », « je vais tout casser »), a joke (« lol », « mdr »). Not the words that
    # real distress shares (« je deviens folle », « c'est l'enfer », « je vais craquer »): they are no ordinary reading.
    r"\b(zappe\w*|trou de memoire|memoire|oubli\w*|egare\w*|sorti de la tete|me souviens|souviens de rien|"
    r"rappeler|rappelle|retrouver|retrouve)\b|"
    r"\b(plein le dos|plein le cul|ma claque|cables|plombs|durite|fusible|tout casser|balader|promener|paitre|"
    r"bouler|relou|chiant\w*|penible|prise de tete|vener|venere|cheveux)\b|"
    r"\b(lol|mdr|ptdr|xd|mdrr+|haha\w*|hihi\w*|jpp|de rire)\b|"
    # Issue 20, precision with recall: forgetting in SMS spelling (« jsai pu », « chai plu », « jme rappel plu »),
    # identifiers, the declaration, the site's faults, anger at the service (« vous êtes des incapables », « c'est une
    # blague ce service », « vous vous foutez de moi », « j'en peux plus de vous », « je vais porter plainte »),
    # tiredness (« chui crevé »). None of them is a word that real distress shares.
    r"\b(jsai|jsais|jse|chai|chais|sai|sais) (pu|plu|plus|pas|po)\b|\b(rappel|rapel|rappelle|souvien) (pu|plu)\b|"
    r"\b(numero|code|codes|mdp|mot de passe|mots de passe|declaration|declare|declaree|coche|case|bug\w*|beug\w*|"
    r"plante|rame|service|incapables?|incompetent\w*|blague|foutez|foutent|furax|furieu\w*|plainte|reclamation|"
    r"repond|repondez|repondent|reponse|creve|crevee)\b|"
    r"\b(en peux plus|marre|ras le bol) (de|d) (vous|votre|vos|ce|cet|cette|ces|l attente|attendre)\b"
)
# « 😂 », « 🤣 »: a joke.
JOKE_EMOJIS = frozenset("😂🤣😅😆😹")

_DISTRESS = [re.compile(cue) for cue in DISTRESS_CUES]
_SUICIDAL = [re.compile(cue) for cue in SUICIDAL_HINTS]


# « c est » without its apostrophe comes out of the normaliser as « c est est » (its « c » is the SMS « c'est »).
_REPEATED_EST = re.compile(r"\bc est est\b")


def _joined(words: list[str]) -> str:
    return _REPEATED_EST.sub("c est", " ".join(words))


def distress_sign(words: list[str]) -> str | None:
    """The first sign of real distress in normalised ``words``, else None.

    >>> distress_sign("j ai plus rien a manger".split())
    'manger'
    >>> distress_sign("je sais plus mon identifiant".split()) is None
    True
    """
    signs = distress_signs(words)
    return signs[0] if signs else None


def distress_signs(words: list[str]) -> list[str]:
    """Every sign of distress in normalised ``words``, idioms taken out (« mort de honte » is not shame)."""
    text = IDIOMS.sub(" ", _joined(words))
    return [found.group(0) for pattern in _DISTRESS if (found := pattern.search(text))]


# Money and situation words that are also the words of ordinary questions (« je vais pouvoir payer mes factures ce
# mois-ci ? », « je suis hébergé chez mes parents, ça change mon alloc ? », « j'ai saisi mes heures »): in a question,
# or beside the words of the site and of identification, alone, they are no sign of distress.
QUESTION_MONEY_WORDS = re.compile(
    r"^(factures?|dettes?|endette\w*|credit|proprio|proprietaire|bailleur|decouvert|dans le rouge|pas les moyens|"
    r"plus les moyens|sans (allocation|alloc|chomage|indemnites?)|mois (de|en) retard|heberge\w*|vendre (mes|ma|mon)|"
    r"precari\w*|peur pour|saisi\w*)$"
)
# Feelings said about the site, a form or a forgotten identifier (« je craque avec ce site », « j'ai paniqué, j'ai
# oublié mon identifiant », « je n'y arrive pas avec l'actualisation »): frustration, not distress, when the words
# of the site, of identification or of forgetting are there and nothing stronger.
SITE_FEELINGS = re.compile(
    r"^(craqu\w*|paniqu\w*|angoiss\w*|deprim\w*|pleur\w*|larmes|n y arrive (plus|pas)|y arrive (plus|pas)|"
    r"au secours|aidez moi|perdu\w* (completement|totalement)|(completement|totalement|tellement) perdu\w*|"
    r"vers qui|a qui (demander|m adresser)|tout va mal|stresse a mort|stress a mort|desesper\w*)$"
)
SITE_WORDS = re.compile(
    r"\b(identifiants?|mots? de passe|codes?|mdp|site|appli|application|connecter|connexion|formulaires?|"
    r"espace personnel|pages?|"
    r"boutons?|bug\w*|beug\w*|actualis\w*|declar\w*|heures|naissance|numeros?|courriers?|attestations?|"
    r"oublie|souviens|rappelle plus|retrouve plus|sais plus mon|sais plus ma|sais plus le|sais plus la)\b"
)
QUESTION = re.compile(
    r"^(quand|combien|comment|pourquoi|est ce que|est ce qu|c est quoi|je peux|on peut|puis je|vais je|je vais pouvoir"
    r"|est il|a quelle)\b"
    # Spoken questions end with their question word (« mes factures d'électricité ça rentre dans quoi », « l'alloc
    # tombe quand »); not « comment », which ends « je sais plus comment ».
    r"|\b(quand|combien|quoi|pourquoi)$"
)


def money_question(words: list[str], text: str) -> bool:
    """A question (or a message about the site) whose only distress words are money words of ordinary questions,
    or a message about the site, identification or forgetting whose only distress words are feelings about it."""
    joined = _joined(words)
    signs = distress_signs(words)
    if not signs:
        return False
    site = SITE_WORDS.search(joined) is not None
    question = "?" in text or QUESTION.search(joined) is not None
    if all(QUESTION_MONEY_WORDS.match(sign) for sign in signs):
        return question or site
    return site and all(QUESTION_MONEY_WORDS.match(sign) or SITE_FEELINGS.match(sign) for sign in signs)


def suicidal_sign(words: list[str]) -> str | None:
    """The first word of death or self-harm in normalised ``words`` (idioms taken out), else None.

    >>> suicidal_sign("je veux disparaitre pour toujours".split())
    'disparaitre'
    >>> suicidal_sign("je suis mort de fatigue".split()) is None
    True
    """
    text = NEGATED_DEATH.sub(" ", HUNGER.sub(" ", FINISHING_A_THING.sub(" ", IDIOMS.sub(" ", _joined(words)))))
    for pattern in _SUICIDAL:
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None


def ordinary_reading(words: list[str], text: str = "") -> bool:
    """Whether the message reads as something ordinary: forgetting, a question, the allowance, an idiom, the words
    of death negated (« je ne suis pas suicidaire »)."""
    joined = _joined(words)
    return (
        "?" in text
        or any(emoji in text for emoji in JOKE_EMOJIS)
        or ORDINARY.search(joined) is not None
        or QUESTION.search(joined) is not None
        or IDIOMS.search(joined) is not None
        or NEGATED_DEATH.search(joined) is not None
    )


def urgent_sign(intent: str, words: list[str], text: str = "") -> str | None:
    """What in ``words`` justifies the urgent ``intent`` the classifier chose, else None.

    Distress needs a sign of distress. For suicidal thoughts, a miss costs more than a false alarm: the
    classifier's guess is kept unless the message has no word of death or distress *and* reads as something
    ordinary (forgetting, a question, the allowance, an idiom), so an indirect wording the lists do not know
    (« je vais me défenestrer ») still gets the 3114."""
    if intent == needs.SUICIDAL_THOUGHTS:
        found = suicidal_sign(words) or (None if money_question(words, text) else distress_sign(words))
        if found is None and not ordinary_reading(words, text):
            return "(pas de lecture ordinaire)"
        return found
    if money_question(words, text):
        return None
    return distress_sign(words)


def hunger_not_suicide(words: list[str]) -> bool:
    """« je vais mourir de faim si ça continue »: hunger said with a death word and nothing suicidal besides.

    >>> hunger_not_suicide("je vais mourir de faim si ca continue".split())
    True
    >>> hunger_not_suicide("je vais mourir de faim autant en finir".split())
    False
    """
    joined = _joined(words)
    return HUNGER.search(joined) is not None and suicidal_sign(words) is None


def _prefer(message: Message, intent: str) -> None:
    """The classifier's guess read as ``intent`` (same confidence), the guessed one kept next in the ranking."""
    guessed = message.get(INTENT) or {}
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry["name"] != intent]
    confidence = float(guessed.get("confidence") or 0.0)
    message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}, *ranking], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DistressPrecisionGuard(IntentGuard):
    """Keeps the classifier's urgent intent only with a sign of distress; otherwise its next intent."""

    def guard(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        name = intent.get("name")
        if name not in URGENT_INTENTS or float(intent.get("confidence") or 0.0) >= 1.0:
            return
        words = message_words(message)
        if name == needs.SUICIDAL_THOUGHTS and hunger_not_suicide(words):
            _prefer(message, needs.DISTRESS)
            return
        if urgent_sign(name, words, message.get(TEXT) or "") is not None:
            return
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry["name"] not in URGENT_INTENTS]
        if not ranking:
            return
        demoted = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry["name"] in URGENT_INTENTS]
        best = ranking[0]
        message.set(INTENT, {"name": best["name"], "confidence": best["confidence"]}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [*ranking, *demoted], add_to_output=True)
