"""c4h: the open directory of free cybersecurity help for healthcare organisations.

Modules, in the order data flows through them:
``taxonomy`` (the vocabulary) → ``listing`` (safe YAML reading) → ``validate`` (schema + rules)
→ ``model`` (typed providers and offers) → ``generate`` (the catalogue), ``match``, ``form``,
``triage`` and ``ownership``. ``cli`` is the thin shell over all of them.
"""
