"""The studio page in Debian's Chromium, driven by Playwright against a real ``beatcam serve``:
WebGL for three.js, the whole loop a user goes through, and "look through the camera" measured
on pixels against the previs renderer. Screenshots are kept in tests/artifacts/ to look at."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from beatcam.export.plan_json import loads
from beatcam.render.previs import scene_cameras
from beatcam.render.projection import picture_rect, to_pixels, view_projections
from beatcam.render.scene import SceneRenderer, matte_colour
from web_server import running_studio

CHROMIUM = "/usr/bin/chromium"
# Debian's chromium, never a downloaded one (STACK.md). Without a GPU, WebGL runs on
# SwiftShader; newer Chromiums want that allowed out loud.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--enable-unsafe-swiftshader",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
VIEWPORT: ViewportSize = {"width": 1700, "height": 1250}
CANVAS = (640, 360)  # the 3D view's size, which the previs is rendered at to compare
# How far, in pixels of the 640x360 frame, the head's centre in the look-through view may be
# from the eye point as the renderer's projection puts it (three.js anti-aliases the edges and
# tessellates the ellipsoid in its own way, and a projected ellipsoid's centre drifts a little
# from its projected centre) ...
EYE_TOLERANCE_PX = 1.0
# ... and from the centre of the head in the previs renderer's own ID pass of that frame, whose
# head also carries a nose and turns with the pose where the view's is a plain ellipsoid.
HEAD_TOLERANCE_PX = 2.5
# A pixel counts as the head's flat colour within this much per channel (edges are blended).
HEAD_COLOUR_TOLERANCE = 4
PLAN_TIMEOUT_MS = 60_000
SHOOT_TIMEOUT_MS = 180_000

TWO_BEATS = (
    "# Kitchen\nCast: Mara\nMara opens the letter at the kitchen table.\n"
    "Mara realises it is forged; dread creeps in.\n"
)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_studio(tmp_path_factory.mktemp("studio")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, studio: str) -> Iterator[Page]:
    opened = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(studio)
    expect(opened.locator("body")).to_have_attribute("data-ready", "true")
    yield opened
    opened.close()
    assert errors == []


def _snap(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def _plan(page: Page, text: str) -> dict[str, Any]:
    page.fill("#text", text)
    page.click("#plan")
    expect(page.locator("#shots tbody tr").first).to_be_visible(timeout=PLAN_TIMEOUT_MS)
    plan: dict[str, Any] = page.evaluate("window.studio.project.plans[0]")
    return plan


def _canvas(page: Page) -> np.ndarray:
    data = page.evaluate("document.querySelector('#view').toDataURL('image/png')")
    image = Image.open(io.BytesIO(base64.b64decode(data.split(",", 1)[1]))).convert("RGB")
    return np.asarray(image)


def test_three_js_gets_a_webgl2_context(page: Page) -> None:
    assert page.evaluate("window.studio.view.webgl") == 2
    assert page.evaluate("window.studio.view.renderer.getContext().isContextLost()") is False


def test_write_plan_scrub_edit_undo_shoot_and_play(page: Page, studio: str) -> None:
    plan = _plan(page, TWO_BEATS)
    rows = page.locator("#shots tbody tr")
    expect(rows).to_have_count(len(plan["shots"]))
    first = rows.first.locator("td")
    expect(first.nth(0)).to_have_text(plan["shots"][0]["id"])
    expect(first.nth(3)).to_contain_text(plan["shots"][0]["size"])
    assert page.locator("#curve polyline").count() >= 2
    assert page.locator("#floor circle").count() == 1

    # Scrub: the frame moves the 3D view, the curve's marker and the current shot.
    last = sum(beat["frames"] for beat in plan["beats"]) - 1
    before = _canvas(page)
    page.locator("#frame").fill(str(last))
    expect(page.locator("#frame-label")).to_have_text(f"frame {last}")
    expect(rows.last).to_have_class("current")
    page.check("#look")
    through = _canvas(page)
    assert np.abs(through.astype(int) - before.astype(int)).mean() > 5
    _snap(page, "studio-look-through")
    page.uncheck("#look")

    # Edit the last beat's first shot: its size changes in the table, and undo brings it back.
    edited_id = next(s for s in plan["shots"] if s["beat"] == plan["shots"][-1]["beat"])["id"]
    old_size = next(s["size"] for s in plan["shots"] if s["id"] == edited_id)
    new_size = "WS" if old_size != "WS" else "MS"
    page.locator(f"#shots tbody tr[data-shot={edited_id}]").click()
    page.select_option("#edit [name=size]", new_size)
    page.click("#apply")
    size_cell = page.locator(f"#shots tbody tr[data-shot={edited_id}] td").nth(3)
    expect(size_cell).to_contain_text(new_size, timeout=PLAN_TIMEOUT_MS)
    expect(page.locator("#undo")).to_be_enabled()
    _snap(page, "studio-edited")
    page.click("#undo")
    expect(size_cell).to_contain_text(old_size, timeout=PLAN_TIMEOUT_MS)
    expect(page.locator("#redo")).to_be_enabled()

    # A pin that cannot be shot says why, inline, and the table stays as it was.
    page.locator(f"#shots tbody tr[data-shot={edited_id}]").click()
    page.select_option("#edit [name=movement]", "follow")
    page.click("#apply")
    expect(page.locator("#error")).to_contain_text("cannot be shot here")
    expect(size_cell).to_contain_text(old_size)

    # Shoot small, follow the progress, play the previs with its score.
    page.select_option("#resolution", "320x180")
    page.click("#shoot")
    expect(page.locator("#previs")).to_be_visible(timeout=SHOOT_TIMEOUT_MS)
    expect(page.locator("#files a")).not_to_have_count(0)
    video = page.evaluate(
        """async () => {
            const video = document.querySelector('#previs');
            video.muted = true;
            if (video.readyState < 2) {
                await new Promise((ok) => video.addEventListener('loadeddata', ok, {once: true}));
            }
            await video.play();
            await new Promise((done) => setTimeout(done, 600));
            return {width: video.videoWidth, height: video.videoHeight, time: video.currentTime,
                    duration: video.duration, error: video.error && video.error.code,
                    audio: video.mozHasAudio ?? (video.webkitAudioDecodedByteCount > 0)};
        }"""
    )
    assert video["error"] is None
    assert (video["width"], video["height"]) == (320, 180)
    assert video["time"] > 0.1
    assert video["duration"] == pytest.approx((last + 1) / plan["fps"], abs=0.1)
    assert video["audio"] is True
    zip_link = page.locator("#zip").get_attribute("href")
    assert zip_link is not None and zip_link.endswith("/zip")
    page.locator("#frame").fill(str(last // 2))
    _snap(page, "studio")  # docs/studio.png is a copy of this one


def test_look_through_the_camera_puts_the_eyes_where_the_previs_does(page: Page) -> None:
    plan_document = _plan(page, "# Alone\nCast: Mara\nMara waits by the window.\n")
    plan = loads(json.dumps(plan_document))
    shot = plan.shots[-1]
    frame = shot.start_frame + shot.frames // 2
    page.locator("#frame").fill(str(frame))
    page.check("#look")
    seen = _canvas(page)
    assert seen.shape[:2] == (CANVAS[1], CANVAS[0])
    head_colour = page.evaluate(
        "window.studio.view.people[0].head.material.color.getHexString('srgb')"
    )
    flat = np.array([int(head_colour[i : i + 2], 16) for i in (0, 2, 4)])
    near = np.all(np.abs(seen.astype(int) - flat) <= HEAD_COLOUR_TOLERANCE, axis=2)
    rows, cols = np.nonzero(near)
    assert len(rows) > 30, "the head is not in the look-through view"

    rect = picture_rect(CANVAS, plan.aspect)
    cameras = scene_cameras(plan)
    matrices = view_projections(
        cameras.position, cameras.rotation, cameras.focal_mm, plan.sensor_mm[1], rect.aspect
    )
    with SceneRenderer(plan, CANVAS) as renderer:
        matte = renderer.render(
            frame,
            matrices[frame],
            cameras.position[frame],
            (rect.x, rect.y, rect.width, rect.height),
            matte=True,
        )
    head_rows, head_cols = np.nonzero(np.all(matte == matte_colour(0, head=True), axis=2))
    assert len(head_rows) > 30
    Image.fromarray(seen).save(ARTIFACTS / "look-through.png")
    Image.fromarray(matte.copy()).save(ARTIFACTS / "previs-matte.png")

    eye = plan.blocking["Mara"].eyes(frame, 1)
    ((eye_x, eye_y),) = to_pixels(eye, matrices[frame], rect)
    # Pixel i covers [i, i + 1): its centre is at i + 0.5 in projected coordinates.
    assert cols.mean() + 0.5 == pytest.approx(eye_x, abs=EYE_TOLERANCE_PX)
    assert rows.mean() + 0.5 == pytest.approx(eye_y, abs=EYE_TOLERANCE_PX)
    assert cols.mean() == pytest.approx(head_cols.mean(), abs=HEAD_TOLERANCE_PX)
    assert rows.mean() == pytest.approx(head_rows.mean(), abs=HEAD_TOLERANCE_PX)
    print(
        f"look-through head centre minus projected eye: {cols.mean() + 0.5 - eye_x:+.2f}, "
        f"{rows.mean() + 0.5 - eye_y:+.2f} px; minus the previs head: "
        f"{cols.mean() - head_cols.mean():+.2f}, {rows.mean() - head_rows.mean():+.2f} px"
    )


def test_an_uploaded_screenplay_plans_every_scene_and_a_binary_file_is_refused(
    page: Page, tmp_path: Path
) -> None:
    screenplay = tmp_path / "night.fountain"
    screenplay.write_text(
        "INT. KITCHEN - NIGHT\n\nMARA sits at the table.\n\n"
        "EXT. STREET - DAY\n\nTOM runs down the street.\n"
    )
    page.set_input_files("#upload", str(screenplay))
    expect(page.locator("#format")).to_have_value("fountain")
    expect(page.locator("#text")).to_have_value(screenplay.read_text())
    page.click("#plan")
    expect(page.locator("#scene option")).to_have_count(2, timeout=PLAN_TIMEOUT_MS)
    page.select_option("#scene", "1")
    expect(page.locator("#shots tbody tr").first.locator("td").nth(8)).to_contain_text("street")

    picture = tmp_path / "still.txt"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    page.set_input_files("#upload", str(picture))
    expect(page.locator("#error")).to_contain_text("binary input")
    expect(page.locator("#text")).to_have_value(screenplay.read_text())
