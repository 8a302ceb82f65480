// clusterpool's dashboard: reads the coordinator's live feed (GET /ui/events, one snapshot every 500 ms) and draws
// five pages from it. No framework, no build step. Every string from the feed is user-controlled (task names, job
// errors, queue names): it reaches the page through textContent or setAttribute only, never through innerHTML.
// The page shows only what the feed said: a figure it does not have is drawn as a dash, never guessed.
"use strict";

(function () {
  const PAGES = ["cluster", "jobs", "stream", "throughput", "queues"];
  const RENDER_EVERY_MS = 100;          // at most ~10 renders per second, whatever the feed does
  const STALE_AFTER_MS = 3000;          // six snapshots missed: the page says so
  const STREAM_WINDOW_MS = 60000;       // the task stream's last minute
  const MAX_SPANS = 5000;               // spans kept client-side, oldest dropped first
  const THROUGHPUT_WINDOW_MS = 180000;  // the throughput chart's last three minutes
  const MAX_POINTS = 400;               // points per line, oldest dropped first
  const MAX_JOB_LINES = 8;              // job lines on the chart besides the total
  const GONE_KEPT_MS = 120000;          // a member that left the snapshot stays drawn (red) this long
  const RESULTS_PAGE = 50;
  const SVG = "http://www.w3.org/2000/svg";
  // Colours told apart on a projector and by most colour-blind viewers (Okabe-Ito, then Tol's bright).
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#4477AA",
    "#228833", "#AA3377", "#66CCEE", "#BBBBBB"];

  const state = {
    snapshot: null,
    receivedAt: 0,          // performance.now() when the last snapshot came
    live: false,
    spans: new Map(),       // seq -> span, insertion order = arrival order
    throughput: [],         // {at, total, jobs: {id: rate}}
    gone: new Map(),        // member address -> {member, workers, lostAt}
    lastMembers: new Map(), // address -> member, from the previous snapshot
    lastWorkers: new Map(), // node address -> [workers], from the previous snapshot
    jobColours: new Map(),
    nextColour: 0,
    page: "cluster",
    dirty: true,
    selectedJob: null,
    resultsFrom: 0,
    resultsNext: null,
    openErrors: new Set(),
    feedProblem: null,      // why the feed is closed, when the page found out
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function known(value) {
    return value !== null && value !== undefined && !(typeof value === "number" && !isFinite(value));
  }

  function num(value, digits) {
    if (!known(value)) return "\u2014";
    if (typeof value !== "number") return String(value);
    return value.toLocaleString("en-US", {maximumFractionDigits: digits === undefined ? 0 : digits});
  }

  function duration(seconds) {
    if (!known(seconds)) return "\u2014";
    if (seconds < 1) return "< 1 s";
    if (seconds < 120) return Math.round(seconds) + " s";
    if (seconds < 7200) return Math.round(seconds / 60) + " min";
    return (seconds / 3600).toFixed(1) + " h";
  }

  /** "127.0.0.1:25521" out of "pekko://clusterpool@127.0.0.1:25521": what a person reads on a projector. */
  function shortAddress(address) {
    if (typeof address !== "string") return "\u2014";
    const at = address.lastIndexOf("@");
    return at >= 0 ? address.substring(at + 1) : address;
  }

  function cut(text, max) {
    const s = String(text);
    return s.length > max ? s.substring(0, max - 1) + "\u2026" : s;
  }

  function jobColour(id) {
    let colour = state.jobColours.get(id);
    if (!colour) {
      colour = PALETTE[state.nextColour++ % PALETTE.length];
      state.jobColours.set(id, colour);
      if (state.jobColours.size > 500) state.jobColours.delete(state.jobColours.keys().next().value);
    }
    return colour;
  }

  /** The coordinator's clock now: its last snapshot's time plus what elapsed here since (no clock skew). */
  function serverNow() {
    if (!state.snapshot) return Date.now();
    return state.snapshot.at + (performance.now() - state.receivedAt);
  }

  // ---------------------------------------------------------------- the feed

  let source = null;
  let retryTimer = null;

  function connect() {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    const es = new EventSource("/ui/events");
    source = es;
    es.addEventListener("open", () => {
      // a new connection's first snapshot carries the last minute of spans again, numbered by the coordinator that
      // answers now (another one after a failover starts its numbers again): what this page had is dropped
      state.spans.clear();
      state.feedProblem = null;
      state.dirty = true;
    });
    es.addEventListener("snapshot", (event) => {
      let snapshot;
      try {
        snapshot = JSON.parse(event.data);
      } catch (e) {
        notice("A snapshot of the feed was not JSON: " + cut(e.message, 120));
        return;
      }
      take(snapshot);
    });
    es.addEventListener("error", () => {
      if (es !== source) return; // a feed this page closed already
      state.live = false;
      state.dirty = true;
      // EventSource retries by itself while the connection is CONNECTING; once CLOSED (an answer that is not
      // a stream: a 401, a 503), it gives up: this page finds out why, says so, and tries again, slowly.
      if (es.readyState === EventSource.CLOSED && !retryTimer) {
        es.close();
        explainClosedFeed();
        retryTimer = setTimeout(connect, 3000);
      }
    });
  }

  /** Why the feed was refused, from the page's own address: not logged in (any more), or an API that does not answer. */
  function explainClosedFeed() {
    fetch("/ui/", {credentials: "same-origin", cache: "no-store"}).then((response) => {
      if (response.status === 401) {
        state.feedProblem = "This browser is not logged in to this API (any more): open a new login link, made by "
            + "bin/clusterpool cluster dashboard.";
      } else if (response.ok) {
        state.feedProblem = "The live feed refused this page (the API serves a bounded number of pages): retrying.";
      } else {
        state.feedProblem = "The API answers " + response.status + ": retrying.";
      }
      state.dirty = true;
    }).catch(() => {
      state.feedProblem = "The API does not answer: retrying.";
      state.dirty = true;
    });
  }

  function take(snapshot) {
    if (!snapshot || typeof snapshot.at !== "number") return;
    state.snapshot = snapshot;
    state.receivedAt = performance.now();
    state.live = true;
    takeSpans(Array.isArray(snapshot.spans) ? snapshot.spans : []);
    takeThroughput(snapshot);
    takeMembers(snapshot);
    state.dirty = true;
  }

  function takeSpans(spans) {
    for (const span of spans) {
      if (!span || typeof span.seq !== "number") continue;
      if (state.spans.has(span.seq)) continue;
      state.spans.set(span.seq, span);
    }
    while (state.spans.size > MAX_SPANS) state.spans.delete(state.spans.keys().next().value);
  }

  function takeThroughput(snapshot) {
    const t = snapshot.throughput;
    if (!t || !known(t.total)) return;
    const points = state.throughput;
    if (points.length && points[points.length - 1].at >= snapshot.at) return;
    points.push({at: snapshot.at, total: t.total, jobs: t.jobs || {}});
    const oldest = snapshot.at - THROUGHPUT_WINDOW_MS;
    while (points.length && (points[0].at < oldest || points.length > MAX_POINTS)) points.shift();
  }

  /** Members that left the snapshot stay drawn, red, with the workers they had: the class sees where they were. */
  function takeMembers(snapshot) {
    const members = Array.isArray(snapshot.members) ? snapshot.members : [];
    const now = performance.now();
    const present = new Set(members.map((m) => m.address));
    for (const [address, member] of state.lastMembers) {
      if (!present.has(address) && !state.gone.has(address)) {
        state.gone.set(address, {member, workers: state.lastWorkers.get(address) || [], lostAt: now});
      }
    }
    for (const address of present) state.gone.delete(address);
    for (const [address, gone] of state.gone) {
      if (now - gone.lostAt > GONE_KEPT_MS) state.gone.delete(address);
    }
    state.lastMembers = new Map(members.map((m) => [m.address, m]));
    const byNode = new Map();
    for (const w of Array.isArray(snapshot.workers) ? snapshot.workers : []) {
      if (!byNode.has(w.node)) byNode.set(w.node, []);
      byNode.get(w.node).push(w);
    }
    for (const [node, workers] of byNode) state.lastWorkers.set(node, workers);
    for (const node of [...state.lastWorkers.keys()]) {
      if (!present.has(node) && !state.gone.has(node)) state.lastWorkers.delete(node);
    }
  }

  let noticeTimer = null;

  /** A line about what this page just did (a cancel, an answer that was not JSON), gone after a while. */
  function notice(text) {
    const box = $("notice");
    box.textContent = text;
    box.hidden = !text;
    if (noticeTimer) clearTimeout(noticeTimer);
    noticeTimer = text ? setTimeout(() => notice(""), 10000) : null;
  }

  // ---------------------------------------------------------------- rendering

  function route() {
    const wanted = (location.hash || "").replace(/^#/, "");
    state.page = PAGES.includes(wanted) ? wanted : "cluster";
    for (const page of PAGES) $("page-" + page).hidden = page !== state.page;
    for (const link of document.querySelectorAll("nav a[data-page]")) {
      link.classList.toggle("current", link.dataset.page === state.page);
    }
    state.dirty = true;
    tick(); // the page shown is drawn at once, not at the next tick
  }

  let lastDraw = 0;

  function tick() {
    // the stream scrolls between snapshots too, at a few frames a second
    const moving = state.page === "stream" && state.snapshot && performance.now() - lastDraw >= 250;
    if (state.dirty || moving) {
      state.dirty = false;
      lastDraw = performance.now();
      try {
        render();
      } catch (e) {
        notice("This page failed to draw: " + cut(e && e.message, 200));
        throw e;
      }
    }
  }

  function render() {
    renderHeader();
    if (!state.snapshot) return;
    switch (state.page) {
      case "cluster": renderCluster(); break;
      case "jobs": renderJobs(); break;
      case "stream": renderStream(); break;
      case "throughput": renderThroughput(); break;
      case "queues": renderQueues(); break;
    }
  }

  function renderHeader() {
    const age = state.snapshot ? performance.now() - state.receivedAt : Infinity;
    const live = state.live && age < STALE_AFTER_MS;
    const connection = $("connection");
    connection.textContent = live ? "live" : "reconnecting";
    connection.className = live ? "live" : "reconnecting";
    const ageText = $("data-age");
    if (!state.snapshot) {
      ageText.textContent = "no data yet";
    } else {
      const when = new Date(state.snapshot.at).toLocaleTimeString("en-GB");
      ageText.textContent = live ? "at " + when : "last data at " + when + " (" + Math.round(age / 1000) + " s ago)";
    }
    const banner = $("coordinator");
    const c = state.snapshot && state.snapshot.coordinator;
    if (!live && state.feedProblem) {
      banner.textContent = state.feedProblem + (state.snapshot ? " The figures below are from "
          + Math.round(age / 1000) + " s ago." : "");
      banner.hidden = false;
    } else if (c && c.answers === false) {
      banner.textContent = "The coordinator does not answer" + (c.node ? " (" + shortAddress(c.node) + ")" : "")
          + (c.error ? ": " + cut(c.error, 300) : "") + ". Jobs and workers below are its last known state.";
      banner.hidden = false;
    } else if (!live && state.snapshot) {
      banner.textContent = "The feed dropped: the figures below are from " + Math.round(age / 1000) + " s ago.";
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  // Cluster ---------------------------------------------------------

  const DOWN_STATUSES = new Set(["down", "removed", "exiting", "leaving", "gone"]);

  function memberIsDown(member) {
    return member.reachable === false || DOWN_STATUSES.has(String(member.status).toLowerCase());
  }

  let clusterKey = "";

  function renderCluster() {
    const s = state.snapshot;
    const members = (Array.isArray(s.members) ? s.members : []).map((m) => ({member: m, gone: false}));
    for (const [, gone] of state.gone) members.push({member: Object.assign({}, gone.member, {status: "gone"}), gone: true, workers: gone.workers});
    const workersByNode = new Map();
    for (const w of Array.isArray(s.workers) ? s.workers : []) {
      if (!workersByNode.has(w.node)) workersByNode.set(w.node, []);
      workersByNode.get(w.node).push(w);
    }
    const moved = movedAway();
    // drawn again only when what it shows changed: a steady cluster keeps its elements (no churn, no flicker)
    const key = JSON.stringify([members, s.workers, [...moved], s.self, s.coordinator, s.faults, s.mode]);
    if (key === clusterKey) return;
    clusterKey = key;
    const box = $("members");
    clear(box);
    let up = 0;
    for (const {member, gone, workers} of members) {
      const down = gone || memberIsDown(member);
      if (!down) up++;
      const card = el("div", "member" + (down ? " down" : ""));
      card.setAttribute("data-address", String(member.address));
      const head = el("div", "member-head");
      head.appendChild(el("span", "member-address", shortAddress(member.address)));
      const status = gone ? "gone" : (member.reachable === false ? "unreachable" : member.status);
      head.appendChild(el("span", "member-status", status));
      card.appendChild(head);
      const roles = Array.isArray(member.roles) ? member.roles.join(", ") : "";
      const self = member.address === s.self ? " \u00b7 this API" : "";
      const isCoordinator = s.coordinator && member.address === s.coordinator.node
          && !(Array.isArray(member.roles) && member.roles.includes("coordinator")) ? " \u00b7 runs the coordinator" : "";
      // a worker JVM's pid is its workers' when the member list does not have it
      const nodeWorkers = (gone ? workers : workersByNode.get(member.address)) || [];
      const pid = known(member.pid) ? member.pid : (nodeWorkers.length && known(nodeWorkers[0].pid) ? nodeWorkers[0].pid : null);
      card.appendChild(el("div", "member-meta", (roles || "no role") + " \u00b7 pid " + (known(pid) ? String(pid) : "\u2014") + isCoordinator + self));
      const lost = moved.get(member.address);
      if (lost) card.appendChild(el("div", "member-moved", lost + " chunk" + (lost === 1 ? "" : "s") + " moved to other workers"));
      const list = el("div", "workers");
      for (const w of nodeWorkers) list.appendChild(workerBox(w, down));
      card.appendChild(list);
      box.appendChild(card);
    }
    $("members-empty").hidden = members.length > 0;
    const workers = Array.isArray(s.workers) ? s.workers.length : 0;
    $("cluster-summary").textContent = up + " member" + (up === 1 ? "" : "s") + " up, " + workers + " worker"
        + (workers === 1 ? "" : "s") + (s.mode ? " \u00b7 " + s.mode : "");
    renderFaults(s.faults);
  }

  /** Chunks that were lost with each node and run again elsewhere, in the stream's window. */
  function movedAway() {
    const moved = new Map();
    const since = serverNow() - STREAM_WINDOW_MS;
    for (const span of state.spans.values()) {
      if (span.outcome === "rerun" && span.end >= since) moved.set(span.node, (moved.get(span.node) || 0) + 1);
    }
    return moved;
  }

  function workerBox(w, down) {
    const box = el("div", "worker");
    box.setAttribute("data-name", String(w.name));
    box.appendChild(el("div", "worker-name", w.name));
    const chips = el("div", "chips");
    const inFlight = known(w.chunks_in_flight) ? Math.min(w.chunks_in_flight, 40) : 0;
    for (let i = 0; i < inFlight; i++) chips.appendChild(el("span", "chip"));
    const asyncCalls = known(w.async_in_flight) ? Math.min(w.async_in_flight, 40) : 0;
    for (let i = 0; i < asyncCalls; i++) chips.appendChild(el("span", "chip async"));
    const credit = known(w.capacity) && known(w.batches_out) ? w.capacity - w.batches_out : null;
    if (known(credit) && credit > 0) for (let i = 0; i < Math.min(credit, 40); i++) chips.appendChild(el("span", "chip free"));
    box.appendChild(chips);
    box.appendChild(el("div", "worker-line", "chunks in flight: " + num(w.chunks_in_flight)));
    box.appendChild(el("div", "worker-line", "async calls: " + num(w.async_in_flight)));
    box.appendChild(el("div", "worker-line", "credit: " + num(credit) + " of " + num(w.capacity)));
    box.appendChild(el("div", "worker-line", "done: " + num(w.inputs_done) + " inputs"));
    if (down) box.appendChild(el("div", "worker-line member-moved", "last known state"));
    return box;
  }

  const FAULT_NAMES = [
    ["units_retried", "units run again"],
    ["workers_lost", "workers lost"],
    ["lost_answers_recovered", "lost answers recovered"],
    ["late_results_dropped", "late results dropped"],
    ["jobs_failed_for_no_worker", "jobs failed for want of a worker"],
  ];

  function renderFaults(faults) {
    const list = $("faults");
    clear(list);
    for (const [key, label] of FAULT_NAMES) {
      list.appendChild(el("dt", null, label));
      list.appendChild(el("dd", null, faults ? num(faults[key]) : "\u2014"));
    }
  }

  // Jobs ------------------------------------------------------------

  const jobRows = new Map(); // id -> {row, cells}

  function renderJobs() {
    const jobs = Array.isArray(state.snapshot.jobs) ? state.snapshot.jobs : [];
    const body = $("jobs-body");
    const seen = new Set();
    let running = 0;
    for (const job of jobs) {
      const id = String(job.id);
      seen.add(id);
      if (job.state === "running") running++;
      let entry = jobRows.get(id);
      if (!entry) {
        entry = jobRow(id);
        jobRows.set(id, entry);
      }
      fillJobRow(entry, job);
      body.appendChild(entry.row); // in the feed's order: running first, then newest
      if (entry.detail) body.appendChild(entry.detail);
    }
    for (const [id, entry] of jobRows) {
      if (!seen.has(id)) {
        entry.row.remove();
        if (entry.detail) entry.detail.remove();
        jobRows.delete(id);
        state.openErrors.delete(id);
      }
    }
    $("jobs-empty").hidden = jobs.length > 0;
    $("jobs-summary").textContent = running + " running, " + jobs.length + " listed";
  }

  function jobRow(id) {
    const row = el("tr", "job");
    row.setAttribute("data-id", id);
    const cells = {};
    for (const name of ["id", "task", "state", "progress", "rate", "eta", "retries", "error"]) {
      cells[name] = el("td");
      row.appendChild(cells[name]);
    }
    // the state's text, and under it the cancel button while the job runs
    cells.stateText = el("div", "state");
    cells.state.appendChild(cells.stateText);
    cells.actions = cells.state;
    cells.rate.className = "num";
    cells.eta.className = "num";
    cells.retries.className = "num";
    const progress = el("div", "progress");
    const bar = el("div", "bar");
    const label = el("span", "label");
    progress.appendChild(bar);
    progress.appendChild(label);
    cells.progress.appendChild(progress);
    const cancel = el("button", "cancel", "cancel");
    cancel.type = "button";
    cancel.addEventListener("click", (event) => {
      event.stopPropagation();
      cancelJob(id, cancel);
    });
    const errorButton = el("button", "error-toggle");
    errorButton.type = "button";
    errorButton.addEventListener("click", (event) => {
      event.stopPropagation();
      if (state.openErrors.has(id)) state.openErrors.delete(id); else state.openErrors.add(id);
      state.dirty = true;
    });
    row.addEventListener("click", () => openResults(id));
    return {row, cells, progress, bar, label, cancel, errorButton, detail: null, stack: null};
  }

  function fillJobRow(entry, job) {
    const {row, cells} = entry;
    row.className = "job state-" + String(job.state) + (state.selectedJob === entry.row.dataset.id ? " selected" : "");
    setText(cells.id, job.id);
    cells.id.className = "job-id mono";
    cells.id.title = String(job.id);
    setText(cells.task, (job.kind ? job.kind + " " : "") + cut(job.task === null || job.task === undefined ? "" : job.task, 60));
    cells.task.className = "task";
    setText(cells.stateText, job.state);
    const hasTotal = known(job.total) && job.total > 0;
    const percent = hasTotal ? Math.max(0, Math.min(100, Math.floor(100 * job.done / job.total))) : null;
    if (known(percent)) {
      entry.progress.setAttribute("data-percent", String(percent));
      entry.progress.classList.remove("unknown");
      entry.bar.style.width = percent + "%";
      setText(entry.label, percent + "% \u00b7 " + num(job.done) + " / " + num(job.total));
    } else {
      entry.progress.removeAttribute("data-percent");
      entry.progress.classList.add("unknown");
      entry.bar.style.width = "";
      setText(entry.label, num(job.done) + " done, total not known");
    }
    setText(cells.rate, num(job.rate, 1));
    setText(cells.eta, job.state === "running" ? duration(job.eta_seconds) : "\u2014");
    setText(cells.retries, num(job.retries));
    const id = entry.row.dataset.id;
    if (job.error) {
      const e = job.error;
      // the one line the CLI prints; its type heads the stack a click opens
      setText(entry.errorButton, cut(e.message || e.type || "error", 200) + (e.stack ? " \u25be" : ""));
      entry.errorButton.title = e.type ? String(e.type) : "";
      if (!entry.errorButton.parentNode) cells.error.appendChild(entry.errorButton);
    } else if (entry.errorButton.parentNode) {
      entry.errorButton.remove();
    }
    const showStack = job.error && state.openErrors.has(id);
    if (showStack) {
      if (!entry.detail) {
        entry.detail = el("tr", "job-detail");
        const cell = el("td");
        cell.colSpan = 8;
        entry.stack = el("pre", "stack");
        cell.appendChild(entry.stack);
        entry.detail.appendChild(cell);
      }
      setText(entry.stack, job.error.stack || (job.error.message || "") + "\n(no stack)");
    } else if (entry.detail) {
      entry.detail.remove();
      entry.detail = null;
    }
    const cancellable = job.source === "api" && job.state === "running";
    if (cancellable && !entry.cancel.parentNode) cells.actions.appendChild(entry.cancel);
    if (!cancellable && entry.cancel.parentNode) entry.cancel.remove();
  }

  function setText(node, text) {
    const s = text === null || text === undefined ? "" : String(text);
    if (node.textContent !== s) node.textContent = s;
  }

  function api(method, path) {
    return fetch(path, {method, headers: {"X-Clusterpool-UI": "1"}, credentials: "same-origin"})
      .then((response) => response.text().then((text) => {
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        return {status: response.status, json, text};
      }));
  }

  function answerError(answer) {
    if (answer.json && answer.json.error) {
      const e = answer.json.error;
      return typeof e === "string" ? e : (e.summary || e.message || JSON.stringify(e));
    }
    return "HTTP " + answer.status + (answer.text ? ": " + answer.text : "");
  }

  function cancelJob(id, button) {
    button.disabled = true;
    api("DELETE", "/jobs/" + encodeURIComponent(id)).then((answer) => {
      if (answer.status === 200) notice("Job " + cut(id, 40) + " cancelled.");
      else notice("Job " + cut(id, 40) + " was not cancelled: " + cut(answerError(answer), 200));
    }).catch((e) => notice("The coordinator did not answer the cancel: " + cut(e.message, 200)))
      .finally(() => { button.disabled = false; });
  }

  function openResults(id) {
    state.selectedJob = id;
    state.resultsFrom = 0;
    loadResults();
    state.dirty = true;
  }

  function loadResults() {
    const id = state.selectedJob;
    if (!id) return;
    const from = state.resultsFrom;
    $("job-results").hidden = false;
    $("job-results-id").textContent = cut(id, 60);
    api("GET", "/jobs/" + encodeURIComponent(id) + "?from=" + from + "&limit=" + RESULTS_PAGE).then((answer) => {
      if (state.selectedJob !== id || state.resultsFrom !== from) return; // another page was asked since
      const error = $("results-error");
      const body = $("results-body");
      clear(body);
      if (answer.status !== 200 || !answer.json) {
        error.textContent = "Its results could not be read: " + cut(answerError(answer), 300);
        error.hidden = false;
        state.resultsNext = null;
        updatePager(0);
        return;
      }
      error.hidden = true;
      const results = Array.isArray(answer.json.results) ? answer.json.results : [];
      results.forEach((result, i) => {
        const row = el("tr", "result");
        const position = result && typeof result === "object" && known(result.position) ? result.position : from + i;
        row.appendChild(el("td", "num", num(position)));
        row.appendChild(el("td", "mono", cut(JSON.stringify(result), 300)));
        body.appendChild(row);
      });
      state.resultsNext = known(answer.json.next) && answer.json.next > from ? answer.json.next : null;
      updatePager(results.length, answer.json.available);
    }).catch((e) => {
      const error = $("results-error");
      error.textContent = "The coordinator did not answer: " + cut(e.message, 200);
      error.hidden = false;
    });
  }

  function updatePager(count, available) {
    const from = state.resultsFrom;
    $("results-range").textContent = count ? "results " + from + " to " + (from + count - 1)
        + (known(available) ? " of " + available + " ready" : "") : "no result in this page";
    $("results-prev").disabled = from === 0;
    $("results-next").disabled = state.resultsNext === null;
  }

  // Task stream -----------------------------------------------------

  const LANE_HEIGHT = 34;
  const LABEL_WIDTH = 190;
  const AXIS_HEIGHT = 26;

  function renderStream() {
    const now = serverNow();
    const since = now - STREAM_WINDOW_MS;
    $("stream-window").textContent = String(STREAM_WINDOW_MS / 1000);
    const live = new Map(); // lane key -> {worker, node, live}
    for (const w of Array.isArray(state.snapshot.workers) ? state.snapshot.workers : []) {
      live.set(laneKey(w.name, w.node), {worker: w.name, node: w.node, present: true});
    }
    const visible = [];
    for (const span of state.spans.values()) {
      if (span.end < since && span.start < since) continue;
      visible.push(span);
      const key = laneKey(span.worker, span.node);
      if (!live.has(key)) live.set(key, {worker: span.worker, node: span.node, present: false});
    }
    const lanes = [...live.entries()].sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    const chart = $("stream");
    const width = Math.max(chart.clientWidth || 0, 600);
    const height = AXIS_HEIGHT + Math.max(lanes.length, 1) * LANE_HEIGHT + 4;
    chart.setAttribute("viewBox", "0 0 " + width + " " + height);
    chart.setAttribute("height", String(height));
    const plot = width - LABEL_WIDTH - 10;
    const x = (t) => LABEL_WIDTH + Math.max(0, Math.min(1, (t - since) / STREAM_WINDOW_MS)) * plot;

    const axis = $("stream-axis");
    clear(axis);
    for (let s = 0; s <= STREAM_WINDOW_MS / 1000; s += 10) {
      const at = x(now - s * 1000);
      axis.appendChild(svg("line", {"class": "axis-line", x1: at, y1: AXIS_HEIGHT - 6, x2: at, y2: height}));
      const label = svg("text", {"class": "axis-text", x: at, y: 16, "text-anchor": s === 0 ? "end" : "middle"});
      label.textContent = s === 0 ? "now" : "-" + s + " s";
      axis.appendChild(label);
    }

    const group = $("stream-lanes");
    clear(group);
    const laneIndex = new Map();
    lanes.forEach(([key, lane], i) => {
      laneIndex.set(key, i);
      const y = AXIS_HEIGHT + i * LANE_HEIGHT;
      const g = svg("g", {"class": "lane"});
      g.setAttribute("data-worker", String(lane.worker));
      g.setAttribute("data-node", String(lane.node));
      const text = svg("text", {"class": "lane-label" + (lane.present ? "" : " gone"), x: 6, y: y + LANE_HEIGHT / 2 + 5});
      text.textContent = cut(lane.worker, 14) + " " + shortAddress(lane.node).replace(/^.*:/, ":") + (lane.present ? "" : " \u2715");
      g.appendChild(text);
      g.appendChild(svg("line", {"class": "lane-line", x1: LABEL_WIDTH, y1: y + LANE_HEIGHT, x2: width, y2: y + LANE_HEIGHT}));
      group.appendChild(g);
    });
    const laneGroups = group.childNodes;
    for (const span of visible) {
      const i = laneIndex.get(laneKey(span.worker, span.node));
      const x0 = x(span.start);
      const x1 = Math.max(x(span.end), x0 + 2);
      const y = AXIS_HEIGHT + i * LANE_HEIGHT + 4;
      const h = LANE_HEIGHT - 8;
      const outcome = String(span.outcome || "ok").toLowerCase();
      const rect = svg("rect", {"class": "span", x: x0, y, width: x1 - x0, height: h, fill: jobColour(span.job)});
      rect.setAttribute("data-worker", String(span.worker));
      rect.setAttribute("data-job", String(span.job));
      rect.setAttribute("data-outcome", outcome);
      const title = svg("title");
      title.textContent = outcome.toUpperCase() + " \u00b7 job " + span.job + " \u00b7 " + span.task + " \u00b7 "
          + num(span.inputs) + " inputs \u00b7 " + num(span.end - span.start) + " ms";
      rect.appendChild(title);
      laneGroups[i].appendChild(rect);
      if (outcome === "rerun" || outcome === "failed") {
        laneGroups[i].appendChild(svg("rect", {"class": "mark-" + outcome, x: x0, y, width: x1 - x0, height: h}));
      }
    }
    $("stream-empty").hidden = visible.length > 0;
    renderLegend(visible);
  }

  function laneKey(worker, node) {
    return String(node) + " " + String(worker);
  }

  let legendKey = "";

  function renderLegend(visible) {
    const jobs = new Map();
    for (const span of visible) if (!jobs.has(span.job)) jobs.set(span.job, span.task);
    const key = [...jobs.keys()].join("\u0000");
    if (key === legendKey) return;
    legendKey = key;
    const legend = $("stream-legend");
    clear(legend);
    for (const [job, task] of jobs) {
      const item = el("span", "legend-item");
      const swatch = el("span", "swatch");
      swatch.style.background = jobColour(job);
      item.appendChild(swatch);
      item.appendChild(el("span", null, cut(job, 30) + " (" + cut(task, 30) + ")"));
      legend.appendChild(item);
    }
    for (const [outcome, text] of [["rerun", "RERUN: lost with its worker, run again"], ["failed", "FAILED"], ["cancelled", "CANCELLED"]]) {
      const item = el("span", "legend-item");
      item.appendChild(el("span", "swatch " + outcome));
      item.appendChild(el("span", null, text));
      legend.appendChild(item);
    }
  }

  // Throughput ------------------------------------------------------

  let chart = null;

  function renderThroughput() {
    $("throughput-window").textContent = String(THROUGHPUT_WINDOW_MS / 60000);
    const points = state.throughput;
    const last = points.length ? points[points.length - 1] : null;
    $("throughput-now").textContent = last ? "now: " + num(last.total, 1) + " /s" : "";
    if (typeof window.Chart !== "function") {
      $("chart-missing").hidden = false;
      return;
    }
    $("chart-missing").hidden = true;
    const now = last ? last.at : serverNow();
    // The jobs with the highest recent rate get a line each; the total always has one.
    const recent = new Map();
    for (const p of points.slice(-10)) for (const [id, rate] of Object.entries(p.jobs)) recent.set(id, Math.max(recent.get(id) || 0, rate));
    const jobs = [...recent.entries()].filter(([, rate]) => rate > 0).sort((a, b) => b[1] - a[1]).slice(0, MAX_JOB_LINES).map(([id]) => id);
    const datasets = [{
      label: "all jobs",
      data: points.map((p) => ({x: (p.at - now) / 1000, y: p.total})),
      borderColor: "#111111",
      backgroundColor: "#111111",
      borderWidth: 3,
      borderDash: [10, 6], // a job's line under it still shows
      pointRadius: 0,
    }];
    for (const id of jobs) {
      datasets.push({
        label: cut(id, 30),
        data: points.filter((p) => known(p.jobs[id])).map((p) => ({x: (p.at - now) / 1000, y: p.jobs[id]})),
        borderColor: jobColour(id),
        backgroundColor: jobColour(id),
        borderWidth: 3,
        pointRadius: 0,
      });
    }
    if (!chart) {
      window.Chart.defaults.color = "#111111";
      window.Chart.defaults.font.size = 16;
      chart = new window.Chart($("throughput-chart"), {
        type: "line",
        data: {datasets},
        options: {
          animation: false,
          parsing: false,
          normalized: true,
          maintainAspectRatio: false,
          scales: {
            x: {type: "linear", min: -THROUGHPUT_WINDOW_MS / 1000, max: 0,
              title: {display: true, text: "seconds ago", font: {size: 18}}, ticks: {font: {size: 16}}},
            y: {beginAtZero: true, title: {display: true, text: "results / s", font: {size: 18}}, ticks: {font: {size: 16}}},
          },
          plugins: {legend: {labels: {font: {size: 18}}}},
        },
      });
    } else {
      chart.data.datasets = datasets;
      chart.update("none");
    }
  }

  // Queues and pipes -----------------------------------------------

  let queuesKey = "";

  function renderQueues() {
    const queues = Array.isArray(state.snapshot.queues) ? state.snapshot.queues : [];
    const key = JSON.stringify([queues, state.snapshot.pipes]);
    if (key === queuesKey) return;
    queuesKey = key;
    const qbody = $("queues-body");
    clear(qbody);
    for (const q of queues) {
      const row = el("tr", "queue" + (q.closed ? " closed" : ""));
      row.setAttribute("data-name", String(q.name));
      row.appendChild(el("td", "mono", cut(q.name, 60)));
      row.appendChild(el("td", null, shortAddress(q.node)));
      const fillCell = el("td");
      const fill = el("div", "fill");
      const bar = el("div", "bar");
      const bounded = known(q.maxsize) && q.maxsize > 0;
      bar.style.width = bounded ? Math.min(100, 100 * q.size / q.maxsize) + "%" : "0";
      fill.appendChild(bar);
      fill.appendChild(el("span", "label", num(q.size) + " / " + (bounded ? num(q.maxsize) : "unbounded")));
      fillCell.appendChild(fill);
      row.appendChild(fillCell);
      for (const key of ["unacknowledged", "parked_puts", "parked_gets", "clients"]) row.appendChild(el("td", "num", num(q[key])));
      row.appendChild(el("td", "num", num(q.accepted) + " / " + num(q.delivered) + " / " + num(q.redelivered)));
      row.appendChild(el("td", null, q.closed ? "closed" : "open"));
      qbody.appendChild(row);
    }
    $("queues-empty").hidden = queues.length > 0;

    const pipes = Array.isArray(state.snapshot.pipes) ? state.snapshot.pipes : [];
    const pbody = $("pipes-body");
    clear(pbody);
    for (const p of pipes) {
      const row = el("tr", "pipe" + (p.closed ? " closed" : ""));
      row.setAttribute("data-name", String(p.name));
      row.setAttribute("data-end", String(p.end));
      row.appendChild(el("td", "mono", cut(p.name, 60)));
      row.appendChild(el("td", null, p.end));
      row.appendChild(el("td", null, shortAddress(p.node)));
      row.appendChild(el("td", null, p.direct === true ? "direct" : p.direct === false ? "via a broker" : "\u2014"));
      for (const key of ["buffered", "sent", "received", "blocked_sends", "blocked_recvs"]) row.appendChild(el("td", "num", num(p[key])));
      row.appendChild(el("td", null, p.closed ? "closed" : "open"));
      pbody.appendChild(row);
    }
    $("pipes-empty").hidden = pipes.length > 0;
  }

  // ---------------------------------------------------------------- start

  /** A tab nobody looks at closes its feed (a closed feed costs the coordinator nothing) and opens it when shown. */
  function onVisibility() {
    if (document.hidden) {
      if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
      if (source) { source.close(); source = null; }
      state.live = false;
    } else if (!source) {
      connect();
    }
    state.dirty = true;
  }

  function start() {
    window.addEventListener("hashchange", route);
    document.addEventListener("visibilitychange", onVisibility);
    $("results-prev").addEventListener("click", () => {
      state.resultsFrom = Math.max(0, state.resultsFrom - RESULTS_PAGE);
      loadResults();
    });
    $("results-next").addEventListener("click", () => {
      if (state.resultsNext !== null) {
        state.resultsFrom = state.resultsNext;
        loadResults();
      }
    });
    $("results-close").addEventListener("click", () => {
      state.selectedJob = null;
      $("job-results").hidden = true;
      state.dirty = true;
    });
    route();
    connect();
    setInterval(tick, RENDER_EVERY_MS);
    setInterval(() => { state.dirty = true; }, 1000); // the data's age and the "reconnecting" state change with time alone
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
