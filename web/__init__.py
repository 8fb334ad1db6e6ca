"""The manager console (FastAPI, Jinja2 templates, vendored htmx) and the REST API `/api/v1`.

    app       create_app(settings, db=, clock=): the FastAPI application
    auth      sign-in links, the signed session cookie, CSRF, API tokens as dependencies
    actions   running a tool for the signed-in user; notices go to the chat outbox
    pages     the console's HTML pages (pipeline, team, approvals, accounts, health, audit, tokens)
    api       the REST API and its export endpoints
    charts    server-side SVG charts, each with a table of its numbers

Every read and write goes through `tools/`, so a page or an endpoint sees exactly what the user's
chat would. The web process never imports `bot/`: a notice for a chat is a row of the `outbox`
table that the running bot delivers.
"""
