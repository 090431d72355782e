"""allocbot's custom Rasa NLU components (default.v1 recipe).

- ``bot.nlu.normalizer.FrenchTextNormalizer`` rewrites the tokens that featurizers
  see (lowercase, no accents, SMS abbreviations expanded) and leaves the message
  text as the person wrote it.
- ``bot.nlu.entities.FrenchEntityExtractor`` finds ``amount`` and ``month`` in the
  original text, with offsets into it.

- ``bot.nlu.scope.ScopeGuard`` turns an allowance intent into ``out_of_scope`` or
  ``ask_other_benefit`` when the message names another administration or benefit
  and not the allowance.

``bot.nlu.folding`` holds the character folding both of them share.
"""
