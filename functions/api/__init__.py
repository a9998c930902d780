"""The Lambda functions: one handler module each (template.yaml), thin adapters on the
Powertools HTTP resolver around the screening core and the store.

    api.submit     SubmitFunction     POST /screenings                       (portal)
    api.committee  CommitteeFunction  GET /screenings, /screenings/{id}       (committee)
    api.reports    ReportsFunction    GET /screenings/{id}/report, /reports/round
    api.rules      RulesFunction      GET /rules                             (public)

Importing a handler module is the function's container init. Nothing here imports a handler
module it does not serve, so each function loads only what its routes need.
"""
