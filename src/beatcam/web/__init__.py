"""web: ``beatcam serve``, a studio page on the user's own machine (an edge, like ``cli``).

    app.py      FastAPI routes: the page, /api/plan, projects, edits, jobs, downloads
    studio.py   scene text + the director's pins -> plans, through beatcam's own readers
    store.py    projects, edits, plans and jobs in SQLite inside the data folder
    jobs.py     shoots as background jobs, one worker thread per core, with progress for SSE
    static/     the hand-written page (plain ES modules) and three.js 0.187.0 (npm, MIT) with
                its licence: three.module.js, three.core.js, OrbitControls.js, unmodified

Nothing is fetched at run time and nothing leaves the machine; the server binds 127.0.0.1
unless told otherwise.
"""
