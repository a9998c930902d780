"""Pre-screening of applications for Lån för Social Hållbarhet: the screening core (no AWS).

    from screening.ruleset.compiled import load_compiled
    from screening.ruleset.release import default_rules_dir
    from screening.screener import Screener
    from screening.validation import parse_application

    screener = Screener(load_compiled(default_rules_dir()))   # once per process
    verdict = screener.screen(parse_application(body))

``load_compiled`` reads the compiled ruleset (built from the YAML rule files by the authoring
tools, ``make rules``) and raises ``RulesetUnavailable`` rather than return a partial or stale
one; ``parse_application`` raises ``ApplicationInvalid`` naming every bad field.

This package imports nothing on its own: a Lambda function imports only the modules its routes
need (the committee's function never loads the rule engine).
"""
