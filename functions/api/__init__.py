"""The HTTP API around the screening core: thin Lambda adapters, the verdict store, local tools.

Entry points (template.yaml ``Handler``): ``api.handlers.submit`` (portal, POST /screenings),
``api.handlers.committee`` (GET /screenings, GET /screenings/{application_id}) and
``api.handlers.rules`` (GET /rules). The domain logic stays in :mod:`screening`.
"""
