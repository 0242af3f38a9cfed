// The studio page: write a scene, plan it, see and scrub it, edit a shot, shoot it.
// Every request goes to this machine's beatcam serve; errors come back as one line.
import { drawCurve, drawFloor } from "/static/charts.js";
import { SetView } from "/static/view3d.js";

const $ = (selector) => document.querySelector(selector);
const FORMAT_BY_SUFFIX = { txt: "txt", md: "txt", yaml: "yaml", yml: "yaml", fountain: "fountain" };

const state = { project: null, scene: 0, selected: null, view: null };
window.studio = state; // for the browser tests: the 3D view and the current plan

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body instanceof ArrayBuffer) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["content-type"] = "application/json";
  }
  const response = await fetch(path, init);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function showError(message, where = "#error") {
  for (const place of ["#error", "#edit-error"]) {
    $(place).textContent = place === where ? message || "" : "";
    $(place).hidden = place !== where || !message;
  }
}

// Run a request, its error shown where the user acted (an edit's beside the shot's form).
async function attempt(what, work, where = "#error") {
  $("#status").textContent = `${what}…`;
  try {
    await work();
    showError("");
    $("#status").textContent = "";
  } catch (error) {
    showError(error.message, where);
    $("#status").textContent = `${what} failed`;
  }
}

function plan() {
  return state.project.plans[state.scene];
}

function cellsOf(shot, fps) {
  const size = shot.size === shot.end_size ? shot.size : `${shot.size}→${shot.end_size}`;
  return [shot.id, shot.beat + 1, (shot.frames / fps).toFixed(1), size, shot.angle,
    `${Math.round(shot.lens_mm)}mm`, shot.movement, shot.framing, shot.why];
}

// A shot's place in the director's pins: its beat and its place in the beat.
function shotKey(beat, slot) {
  return `${beat}:${slot}`;
}

function keyOf(shot) {
  const slot = plan().shots.filter((s) => s.beat === shot.beat).findIndex((s) => s.id === shot.id);
  return shotKey(shot.beat, slot);
}

// The shots of this scene the studio pinned (any edit) or locked, by shotKey (an edit made
// before any shot could be pinned has no slot: it held the beat's first shot).
function pinnedShots(locks) {
  return new Set(state.project.project.edits
    .filter((edit) => edit.scene === state.scene && (edit.lock || !locks))
    .map((edit) => shotKey(edit.beat, edit.slot ?? 0)));
}

function drawTable() {
  const body = $("#shots tbody");
  body.replaceChildren();
  const locked = pinnedShots(true);
  const pinned = pinnedShots(false);
  for (const shot of plan().shots) {
    const row = body.insertRow();
    row.dataset.shot = shot.id;
    cellsOf(shot, plan().fps).forEach((value, index) => {
      const cell = row.insertCell();
      cell.textContent = value;
      if (index === 8) cell.className = "why";
    });
    row.classList.toggle("selected", shot.id === state.selected);
    const key = keyOf(shot);
    row.classList.toggle("locked", locked.has(key));
    row.classList.toggle("pinned", pinned.has(key) && !locked.has(key));
    row.addEventListener("click", () => select(shot.id));
  }
}

function select(shotId) {
  state.selected = shotId;
  const shot = plan().shots.find((s) => s.id === shotId);
  const form = $("#edit");
  form.hidden = !shot;
  if (!shot) return;
  $("#edit-shot").textContent = shot.id;
  for (const part of ["size", "angle", "movement"]) form.elements[part].value = shot[part];
  form.elements.lens_mm.value = Math.round(shot.lens_mm);
  form.elements.seconds.value = (shot.frames / plan().fps).toFixed(1);
  // Any shot takes a pin; a pin that cannot be shot is refused with its reason and the form
  // stays as it was, to be changed and tried again.
  for (const control of form.querySelectorAll("select, input, button")) control.disabled = false;
  showError("");
  drawTable();
  setFrame(shot.start_frame + Math.floor(shot.frames / 2));
}

function setFrame(frame) {
  const scrubber = $("#frame");
  scrubber.value = frame;
  $("#frame-label").textContent = `frame ${frame}`;
  state.view.setFrame(frame);
  drawCurve($("#curve"), plan(), frame);
  const colours = plan().cast.map(({ name }) =>
    `rgb(${state.project.views[state.scene].cast[name].costume.map((c) => Math.round(c * 255)).join(",")})`);
  drawFloor($("#floor"), plan(), frame, colours);
  const current = state.view.shotAt(frame);
  for (const row of document.querySelectorAll("#shots tbody tr")) {
    row.classList.toggle("current", row.dataset.shot === current.id);
  }
}

function showProject(project) {
  state.project = project;
  const about = project.project;
  state.scene = Math.min(state.scene, project.plans.length - 1);
  $("#text").value = about.text;
  $("#format").value = about.format;
  $("#style").value = about.style;
  $("#undo").disabled = !about.can_undo;
  $("#redo").disabled = !about.can_redo;
  $("#shoot").disabled = false;
  $("#unkept").replaceChildren(...about.unkept.map((note) => Object.assign(document.createElement("li"), { textContent: note })));
  const picker = $("#scene");
  picker.replaceChildren(...project.plans.map((p, i) => new Option(`${i + 1}. ${p.title}`, i)));
  picker.value = state.scene;
  $("#scene-pick").hidden = project.plans.length < 2;
  showScene();
  const done = about.jobs.filter((job) => job.status === "done").at(-1);
  if (done) showJob(done);
}

function showScene() {
  state.view.show(plan(), state.project.views[state.scene]);
  $("#frame").max = state.view.frames - 1;
  const frame = Math.min(Number($("#frame").value), state.view.frames - 1);
  drawTable();
  if (state.selected && plan().shots.some((s) => s.id === state.selected)) select(state.selected);
  else {
    $("#edit").hidden = true;
    setFrame(frame);
  }
}

async function refreshProjects(current) {
  const projects = await api("GET", "/api/projects");
  const picker = $("#projects");
  picker.replaceChildren(new Option("new project", ""),
    ...projects.map((p) => new Option(`${p.id}. ${p.title}`, p.id)));
  picker.value = current ?? "";
}

async function planScene() {
  const body = { text: $("#text").value, format: $("#format").value, style: $("#style").value };
  const id = state.project?.project.id;
  const project = id ? await api("PUT", `/api/projects/${id}`, body) : await api("POST", "/api/projects", body);
  showProject(project);
  await refreshProjects(project.project.id);
}

function changes(form, shot) {
  const wanted = { shot: shot.id, scene: state.scene };
  for (const part of ["size", "angle", "movement"]) {
    if (form.elements[part].value !== shot[part]) wanted[part] = form.elements[part].value;
  }
  const lens = Number(form.elements.lens_mm.value);
  if (lens !== Math.round(shot.lens_mm)) wanted.lens_mm = lens;
  const seconds = Number(form.elements.seconds.value);
  if (seconds.toFixed(1) !== (shot.frames / plan().fps).toFixed(1)) wanted.seconds = seconds;
  return wanted;
}

async function edit(lock) {
  const shot = plan().shots.find((s) => s.id === state.selected);
  const project = await api("POST", `/api/projects/${state.project.project.id}/edits`,
    { ...changes($("#edit"), shot), lock });
  showProject(project);
}

function showJob(job) {
  const base = `/api/jobs/${job.id}`;
  $("#job-status").textContent = job.status === "done" ? `shot ${job.files.length} files` : job.message;
  if (job.status !== "done") return;
  $("#progress").value = 1;
  const video = $("#previs");
  if (job.files.includes("previs.mp4")) {
    video.src = `${base}/files/previs.mp4`;
    video.hidden = false;
  }
  $("#zip").href = `${base}/zip`;
  $("#zip").hidden = false;
  $("#files").replaceChildren(...job.files.map((name) => {
    const item = document.createElement("li");
    item.appendChild(Object.assign(document.createElement("a"), { href: `${base}/files/${name}`, textContent: name }));
    return item;
  }));
}

async function shoot() {
  const job = await api("POST", `/api/projects/${state.project.project.id}/jobs`,
    { resolution: $("#resolution").value });
  $("#shoot").disabled = true;
  $("#progress").value = 0;
  const events = new EventSource(`/api/jobs/${job.id}/events`);
  events.onmessage = (message) => {
    const update = JSON.parse(message.data);
    const progress = update.progress;
    $("#job-status").textContent = progress ? `${progress.stage} ${progress.done}/${progress.total}` : update.status;
    if (progress && progress.total) $("#progress").value = progress.done / progress.total;
    if (update.status === "done" || update.status === "failed") {
      events.close();
      $("#shoot").disabled = false;
      if (update.status === "failed") showError(update.message);
      showJob(update);
    }
  };
}

async function upload(file) {
  const suffix = file.name.split(".").pop().toLowerCase();
  const read = await api("POST", "/api/read", await file.arrayBuffer());
  $("#text").value = read.text;
  if (FORMAT_BY_SUFFIX[suffix]) $("#format").value = FORMAT_BY_SUFFIX[suffix];
}

async function start() {
  state.view = new SetView($("#view"));
  const words = await api("GET", "/api/vocabulary");
  for (const [part, values] of Object.entries(words)) {
    $(`#edit [name=${part}]`).replaceChildren(...values.map((v) => new Option(v, v)));
  }
  await refreshProjects();
  $("#plan").addEventListener("click", () => attempt("planning", planScene));
  $("#edit").addEventListener("submit", (event) => {
    event.preventDefault();
    attempt("re-planning", () => edit(false), "#edit-error");
  });
  $("#lock").addEventListener("click", () => attempt("re-planning", () => edit(true), "#edit-error"));
  $("#undo").addEventListener("click", () => attempt("undoing", async () =>
    showProject(await api("POST", `/api/projects/${state.project.project.id}/undo`))));
  $("#redo").addEventListener("click", () => attempt("redoing", async () =>
    showProject(await api("POST", `/api/projects/${state.project.project.id}/redo`))));
  $("#frame").addEventListener("input", (event) => setFrame(Number(event.target.value)));
  $("#look").addEventListener("change", (event) => state.view.look(event.target.checked));
  $("#scene").addEventListener("change", (event) => {
    state.scene = Number(event.target.value);
    state.selected = null;
    showScene();
  });
  $("#projects").addEventListener("change", (event) => attempt("opening", async () => {
    state.selected = null;
    state.scene = 0;
    if (event.target.value) showProject(await api("GET", `/api/projects/${event.target.value}`));
    else state.project = null;
  }));
  $("#upload").addEventListener("change", (event) => attempt("reading", () => upload(event.target.files[0])));
  $("#shoot").addEventListener("click", () => attempt("shooting", shoot));
  document.body.dataset.ready = "true";
}

start();
