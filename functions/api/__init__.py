"""The Lambda functions: one handler module each (template.yaml), thin adapters on the
Powertools HTTP resolver around the screening core and the store.

    api.submit     SubmitFunction     POST /screenings                                (portal)
    api.committee  CommitteeFunction  GET /screenings, /screenings/{id}, /agreement,
                                      PUT /screenings/{id}/decision                   (committee)
    api.rescreen   RescreenFunction   POST /screenings/{id}/rescreen                  (committee)
    api.reports    ReportsFunction    GET /screenings/{id}/report, /reports/round,
                                      /reports/agreement, /reports/portfolio,
                                      /loans/{id}/follow-up/report                    (committee)
    api.follow_up  FollowUpFunction   POST /effect-reports (portal),
                                      GET /loans/{id}/follow-up                       (committee)
    api.rules      RulesFunction      GET /rules                                      (public)

The route table (api.routes) is the one list: template.yaml, the local server and the OpenAPI
document are checked against or derived from it.

Importing a handler module is the function's container init. Nothing here imports a handler
module it does not serve, so each function loads only what its routes need.
"""
