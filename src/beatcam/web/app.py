"""The studio's HTTP interface: ``create_app(data_dir)`` builds it, ``beatcam serve`` runs it.

Every error reaches the client as ``{"error": "one line"}``: beatcam's own errors with the
CLI's words (4xx for bad input, 5xx for a stage that failed), anything unexpected as one line
naming its kind (the traceback goes to the server's log, never to the page).
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from beatcam import __version__
from beatcam.errors import BeatcamError, InputError, UsageError
from beatcam.model.vocab import MAX_INPUT_BYTES, STAGES
from beatcam.pipeline import ShootOptions
from beatcam.web import studio
from beatcam.web.jobs import JobRunner, one_line
from beatcam.web.store import DONE, FAILED, Job, Store

STATIC = Path(__file__).parent / "static"
# A scene may be 5 MB of text; JSON escaping can double it (quotes, backslashes, newlines).
MAX_BODY_BYTES = 2 * MAX_INPUT_BYTES
# How often the progress stream looks at a job: smooth enough for a bar, cheap for the server.
EVENT_POLL_S = 0.25
DEFAULT_RESOLUTION = "640x360"
log = logging.getLogger("beatcam.web")
T = TypeVar("T")

Format = Literal["txt", "yaml", "fountain"]
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class PlanRequest(BaseModel):
    text: str = Field(description="The scene: plain text beats, YAML or a Fountain screenplay.")
    format: Format = "txt"
    style: str = "classical"


class EditRequest(BaseModel):
    """Change parts of a shot (the first of its beat), or lock it as it stands."""

    shot: str
    scene: int = 0
    size: str | None = None
    angle: str | None = None
    movement: str | None = None
    lens_mm: float | None = None
    seconds: float | None = Field(
        None, description="The shot's length; its beat's other shots keep their share of it."
    )
    lock: bool = False


class ShootRequest(BaseModel):
    resolution: str = DEFAULT_RESOLUTION
    hud: bool = True
    stages: list[str] = Field(default_factory=lambda: list(STAGES))


class BodyTooLargeError(Exception):
    """Raised inside a request whose body passes MAX_BODY_BYTES."""


class BodyLimit:
    """Refuses request bodies over MAX_BODY_BYTES, whether or not they say their length."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            await _too_large()(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise BodyTooLargeError
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLargeError:
            await _too_large()(scope, receive, send)


def _too_large() -> JSONResponse:
    limit = f"{MAX_BODY_BYTES // 1_000_000} MB"
    return _error(413, f"request body larger than {limit}; split the screenplay into files")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _json(text: str) -> Response:
    """JSON already serialised (plan documents keep plan.json's bytes)."""
    return Response(text, media_type="application/json")


def create_app(data_dir: Path, workers: int | None = None) -> FastAPI:
    """The studio over the data folder ``data_dir`` (made if missing), shooting at most
    ``workers`` jobs at once (None: one per core, ``jobs.default_workers``)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    root = data_dir.resolve()
    store = Store(root)
    runner = JobRunner(store, root, workers)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        runner.stop()

    app = FastAPI(title="beatcam studio", version=__version__, lifespan=lifespan)
    app.add_middleware(BodyLimit)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(BeatcamError)
    async def beatcam_error(_: Request, exc: BeatcamError) -> JSONResponse:
        return _error(422 if exc.exit_code == InputError.exit_code else 500, one_line(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        return _error(422, f"{where}: {first.get('msg', 'invalid')}" if where else "invalid")

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return _error(500, f"internal error ({type(exc).__name__}); see the server's log")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.post("/api/plan", summary="Plan a scene: the plan.json document, a list for a screenplay")
    def plan(request: PlanRequest) -> Response:
        scenes = studio.read(request.text, request.format)
        documents, _ = studio.plan_all(scenes, request.style)
        if request.format == "fountain":
            return _json(studio.documents_json(documents))
        return _json(documents[0])

    @app.get("/api/vocabulary", summary="The words a shot's size, angle and movement take")
    def vocabulary() -> dict[str, list[str]]:
        return {part: list(words) for part, words in studio.CHOICES.items()}

    @app.post("/api/read", summary="Read an uploaded scene file's bytes as text")
    async def read_upload(request: Request) -> dict[str, str]:
        from beatcam.script.limits import decode

        return {"text": decode(await request.body(), "upload")}

    @app.get("/api/projects")
    def projects() -> list[dict[str, Any]]:
        return store.projects()

    @app.post("/api/projects", summary="Start a project from a scene; returns it planned")
    def create_project(request: PlanRequest) -> Response:
        edit = studio.text_edit(request.text, request.format, request.style)
        scenes = studio.read(request.text, request.format)
        documents, views = studio.plan_all(scenes, request.style)
        project = store.create_project(scenes[0].film or scenes[0].title, edit)
        store.keep_plans(project, 1, studio.documents_json(documents), json.dumps(views))
        return _project(project)

    @app.get("/api/projects/{project}")
    def get_project(project: int) -> Response:
        return _project(project)

    @app.put("/api/projects/{project}", summary="Replace the scene text (an undoable edit)")
    def rewrite(project: int, request: PlanRequest) -> Response:
        _cursor(project)
        edit = studio.text_edit(request.text, request.format, request.style)
        scenes = studio.read(request.text, request.format)
        return _apply(project, edit, scenes[0].film or scenes[0].title)

    @app.post("/api/projects/{project}/edits", summary="Pin or lock a shot and re-plan")
    def edit_shot(project: int, request: EditRequest) -> Response:
        cursor = _cursor(project)
        documents = studio.load_documents(_plans(project, cursor)[0])
        changes = request.model_dump(exclude={"shot", "scene", "lock"})
        edit = studio.pin_edit(documents, request.scene, request.shot, changes, request.lock)
        return _apply(project, edit, _title(project))

    @app.post("/api/projects/{project}/undo")
    def undo(project: int) -> Response:
        cursor = _cursor(project)
        if cursor <= 1:
            raise UsageError("nothing to undo")
        store.move_cursor(project, cursor - 1)
        return _project(project)

    @app.post("/api/projects/{project}/redo")
    def redo(project: int) -> Response:
        cursor = _cursor(project)
        if cursor >= len(store.history(project)):
            raise UsageError("nothing to redo")
        store.move_cursor(project, cursor + 1)
        return _project(project)

    @app.post("/api/projects/{project}/jobs", summary="Shoot the project as a background job")
    def start_job(project: int, request: ShootRequest) -> dict[str, Any]:
        from beatcam.render.previs import parse_resolution

        cursor = _cursor(project)
        state = studio.replay(store.history(project)[:cursor])
        options = ShootOptions(
            style=state.style,
            stages=tuple(request.stages),
            hud=request.hud,
            resolution=parse_resolution(request.resolution),
        )
        return runner.submit(project, studio.scenes(state), options).public()

    @app.get("/api/jobs/{job}")
    def get_job(job: int) -> dict[str, Any]:
        return {**_job(job).public(), "progress": runner.progress(job)}

    @app.get("/api/jobs/{job}/events", summary="The job's progress as server-sent events")
    async def job_events(job: int) -> StreamingResponse:
        _job(job)

        async def events() -> AsyncIterator[str]:
            last = None
            while True:
                state = {**_job(job).public(), "progress": runner.progress(job)}
                if state != last:
                    yield f"data: {json.dumps(state)}\n\n"
                    last = state
                if state["status"] in (DONE, FAILED):
                    return
                await asyncio.sleep(EVENT_POLL_S)

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.get("/api/jobs/{job}/files/{path:path}", summary="One file a job wrote")
    def job_file(job: int, path: str) -> FileResponse:
        found = _inside(root / _done(job).folder, path)
        if not found.is_file():
            raise HTTPException(404, f"job {job} wrote no file {path!r}")
        return FileResponse(found)

    @app.get("/api/jobs/{job}/zip", summary="Every file a job wrote, as one zip")
    def job_zip(job: int) -> Response:
        done = _done(job)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in done.files:
                archive.write(_inside(root / done.folder, name), name)
        headers = {"Content-Disposition": f'attachment; filename="beatcam-job-{job}.zip"'}
        return Response(buffer.getvalue(), media_type="application/zip", headers=headers)

    def _cursor(project: int) -> int:
        return _found(store.cursor(project), f"project {project}")

    def _title(project: int) -> str:
        return str(next(p["title"] for p in store.projects() if p["id"] == project))

    def _planned(edits: list[dict[str, Any]]) -> tuple[str, str]:
        """The plans and views (as stored JSON) of the state a history of edits makes."""
        state = studio.replay(edits)
        documents, views = studio.plan_all(studio.scenes(state), state.style)
        return studio.documents_json(documents), json.dumps(views)

    def _plans(project: int, cursor: int) -> tuple[str, str]:
        """The plans at ``cursor``, made from the history when they were not kept."""
        kept = store.plans(project, cursor)
        if kept is not None:
            return kept
        made = _planned(store.history(project)[:cursor])
        store.keep_plans(project, cursor, *made)
        return made

    def _apply(project: int, edit: dict[str, Any], title: str) -> Response:
        """Re-plan with ``edit`` on top of the history; only a plan that works is kept, so a
        pin that cannot be shot leaves the project as it was (and says why)."""
        made = _planned([*store.history(project)[: _cursor(project)], edit])
        cursor = store.push_edit(project, edit, title)
        store.keep_plans(project, cursor, *made)
        return _project(project)

    def _project(project: int) -> Response:
        cursor = _cursor(project)
        history = store.history(project)
        state = studio.replay(history[:cursor])
        documents, views = _plans(project, cursor)
        about = {
            "id": project,
            "title": _title(project),
            "cursor": cursor,
            "can_undo": cursor > 1,
            "can_redo": cursor < len(history),
            "text": state.text,
            "format": state.format,
            "style": state.style,
            "edits": [edit for edit in history[:cursor] if edit["kind"] == "pin"],
            "unkept": studio.unkept(studio.load_documents(documents), state),
            "jobs": [job.public() for job in store.jobs(project)],
        }
        return _json(f'{{"project": {json.dumps(about)}, "plans": {documents}, "views": {views}}}')

    def _job(job: int) -> Job:
        return _found(store.job(job), f"job {job}")

    def _done(job: int) -> Job:
        found = _job(job)
        if found.status != DONE:
            raise HTTPException(409, f"job {job} is {found.status}, not done")
        return found

    return app


def _found(value: T | None, what: str) -> T:
    """``value``, or a 404 saying there is no ``what`` (the store answers None for an id it
    does not hold)."""
    if value is None:
        raise HTTPException(404, f"no {what}")
    return value


def _inside(folder: Path, relative: str) -> Path:
    """``folder/relative`` resolved, refused unless it stays inside ``folder`` (no ``..``, no
    absolute paths, no symlinks out)."""
    base = folder.resolve()
    candidate = (base / relative).resolve()
    if not candidate.is_relative_to(base):
        raise HTTPException(403, f"{relative!r} is outside the job's folder in the data folder")
    return candidate
