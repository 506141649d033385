// storefake inspector: plain JavaScript, no build step, no dependencies.
//
// Safe by construction: recorded requests are attacker-controlled text, so every value reaches the page
// through DOM APIs (createElement, textContent, attributes set one by one); HTML is never parsed from
// data. The page is also served with a Content-Security-Policy that allows no inline script.
"use strict";

(() => {
  const JOURNAL_PAGE = 200; // entries per read when the list is (re)loaded or paged back
  const JOURNAL_KEPT = 2000; // entries the page keeps in memory, newest first
  const POLL_MS = 1000;
  const RECORDS_PAGE = 25;
  const DELIVERIES_SHOWN = 200;

  const state = {
    tab: "journal",
    entries: [], // newest first
    cursor: 0,
    olderMore: false,
    selected: null,
    filters: { vendor: "", status: "", method: "", path: "" },
    live: true,
    generation: 0, // bumped when filters change: answers to older reads are dropped
    source: null, // {vendor, key, collection}
    recordsPage: 1,
    clock: null,
  };

  // ---- DOM helpers ----------------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "className") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    node.replaceChildren();
    return node;
  }

  let toastTimer = null;
  function toast(message, error = false) {
    const box = $("toast");
    box.textContent = message;
    box.className = error ? "toast error" : "toast";
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, error ? 6000 : 2500);
  }

  // ---- control API ----------------------------------------------------------------------------------
  // Relative to the page (…/__storefake/), so the inspector works wherever the app is mounted.
  async function api(path, { method = "GET", body, raw } = {}) {
    const init = { method, headers: {} };
    if (raw !== undefined) {
      init.body = raw;
      init.headers["Content-Type"] = "application/yaml";
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    const response = await fetch(path, init);
    if (response.status === 204) return null;
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      throw new Error(`${method} ${path}: answered ${response.status} without JSON`);
    }
    if (!response.ok) throw new Error(data && data.error ? data.error : `${method} ${path}: ${response.status}`);
    return data;
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== "" && value !== undefined && value !== null) search.set(key, String(value));
    }
    return search.toString();
  }

  // ---- formatting -----------------------------------------------------------------------------------
  function statusClass(status) {
    if (status >= 500) return "bad";
    if (status >= 400) return "warn";
    if (status >= 300) return "info";
    if (status >= 200) return "ok";
    return "";
  }

  function statusBadge(status) {
    const text = status === 0 ? "dropped" : String(status);
    return el("span", { className: `badge ${statusClass(status)}`, text, title: status === 0 ? "connection dropped by a mock rule" : null });
  }

  function clockTime(epochSeconds) {
    const date = new Date(epochSeconds * 1000);
    const pad = (n, w = 2) => String(n).padStart(w, "0");
    return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
  }

  function localDateTime(epochSeconds) {
    const date = new Date(epochSeconds * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clockTime(epochSeconds)}`;
  }

  function utcText(epochSeconds) {
    if (epochSeconds === null || epochSeconds === undefined) return "";
    return new Date(epochSeconds * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  }

  // Pretty JSON as DOM nodes: keys, strings, numbers and literals in spans, all text set as text.
  function jsonNodes(value, indent = "") {
    const next = indent + "  ";
    if (Array.isArray(value)) {
      if (value.length === 0) return ["[]"];
      const parts = ["[\n"];
      value.forEach((item, index) => {
        parts.push(next, ...jsonNodes(item, next), index < value.length - 1 ? ",\n" : "\n");
      });
      parts.push(indent + "]");
      return parts;
    }
    if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      if (keys.length === 0) return ["{}"];
      const parts = ["{\n"];
      keys.forEach((key, index) => {
        parts.push(next, el("span", { className: "j-key", text: JSON.stringify(key) }), ": ");
        parts.push(...jsonNodes(value[key], next), index < keys.length - 1 ? ",\n" : "\n");
      });
      parts.push(indent + "}");
      return parts;
    }
    if (typeof value === "string") return [el("span", { className: "j-str", text: JSON.stringify(value) })];
    if (typeof value === "number") return [el("span", { className: "j-num", text: String(value) })];
    return [el("span", { className: "j-lit", text: String(value) })];
  }

  function jsonBlock(value) {
    return append(el("pre", { className: "body" }), jsonNodes(value));
  }

  // A recorded body: pretty JSON when it parses as JSON, else its text as it is. The journal keeps what the
  // fake read, and a request refused before its body was read (no route, no credentials) has none kept.
  function bodyBlock(text, headers) {
    const declared = Number((headers || {})["content-length"] || 0);
    if (!text && declared > 0) {
      return el("div", { className: "none", text: `${declared} bytes sent, not kept: the fake answered before reading them` });
    }
    if (!text) return el("div", { className: "none", text: "no body" });
    const trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        return jsonBlock(JSON.parse(trimmed));
      } catch (error) {
        // not JSON after all: shown as text below
      }
    }
    return el("pre", { className: "body", text });
  }

  function headersTable(headers) {
    const names = Object.keys(headers || {});
    if (names.length === 0) return el("div", { className: "none", text: "no headers" });
    return el("table", { className: "headers" }, el("tbody", {}, names.map((name) => {
      const value = headers[name];
      return el("tr", {}, el("td", { text: name }),
        el("td", { className: value === "[redacted]" ? "redacted" : null, text: value }));
    })));
  }

  // ---- tabs -----------------------------------------------------------------------------------------
  function showTab(name) {
    state.tab = name;
    for (const button of document.querySelectorAll(".tabs button")) {
      button.setAttribute("aria-selected", String(button.dataset.tab === name));
    }
    for (const panel of document.querySelectorAll(".tab-panel")) {
      panel.hidden = panel.id !== `tab-${name}`;
    }
    history.replaceState(null, "", `#${name}`);
    const loads = { records: loadSources, webhooks: loadDeliveries, mocks: loadMocks };
    return name in loads ? loads[name]() : Promise.resolve();
  }

  // ---- journal --------------------------------------------------------------------------------------
  function journalParams(extra) {
    return query({ ...state.filters, ...extra });
  }

  async function reloadJournal() {
    const generation = ++state.generation;
    const page = await api(`journal?${journalParams({ order: "desc", limit: JOURNAL_PAGE })}`);
    if (generation !== state.generation) return;
    state.entries = page.entries;
    state.cursor = page.cursor;
    state.olderMore = page.more;
    if (state.selected !== null && !state.entries.some((e) => e.id === state.selected)) state.selected = null;
    renderJournal(new Set());
  }

  async function pollJournal() {
    const generation = state.generation;
    let fresh = [];
    for (;;) {
      const page = await api(`journal?${journalParams({ since: state.cursor, limit: 500 })}`);
      if (generation !== state.generation) return;
      fresh = fresh.concat(page.entries);
      state.cursor = page.cursor;
      if (!page.more) break;
    }
    if (fresh.length === 0) return;
    fresh.reverse();
    state.entries = fresh.concat(state.entries).slice(0, JOURNAL_KEPT);
    renderJournal(new Set(fresh.map((e) => e.id)));
  }

  async function loadOlder() {
    const oldest = state.entries[state.entries.length - 1];
    if (!oldest) return;
    const generation = state.generation;
    const page = await api(`journal?${journalParams({ order: "desc", limit: JOURNAL_PAGE, before: oldest.id })}`);
    if (generation !== state.generation) return;
    state.entries = state.entries.concat(page.entries);
    state.olderMore = page.more;
    renderJournal(new Set());
  }

  function entryNotes(entry) {
    const notes = [];
    if (entry.rule) notes.push(el("span", { className: "badge accent", text: `rule ${entry.rule}`, title: "answered by this mock rule" }));
    const misses = entry.near_misses;
    const missing = entry.unimplemented;
    if (missing) {
      notes.push(el("span", { className: "badge bad", text: `not faked: ${missing.operation}`, title: `a ${missing.family} operation storefake does not fake yet (501, see COVERAGE.md)` }));
    } else if (misses && misses.routes && misses.routes.length) {
      notes.push(el("span", { className: "badge bad", text: "no route", title: "no route serves this request: see near misses" }));
    }
    return notes;
  }

  function pathNodes(entry) {
    return [entry.path, entry.query ? el("span", { className: "query", text: `?${entry.query}` }) : null];
  }

  function renderJournal(fresh) {
    const rows = clear($("journal-rows"));
    for (const entry of state.entries) {
      const row = el("tr", {
        dataset: { id: String(entry.id) },
        className: [entry.id === state.selected ? "selected" : "", fresh.has(entry.id) ? "fresh" : ""].join(" ").trim() || null,
        onclick: () => selectEntry(entry.id),
      },
      el("td", { className: "col-time", text: clockTime(entry.timestamp) }),
      el("td", {}, el("span", { className: `method ${entry.method}`, text: entry.method })),
      el("td", {}, statusBadge(entry.status)),
      el("td", { className: "path" },
        append(el("div", { className: "clamp", title: entry.query ? `${entry.path}?${entry.query}` : entry.path }), pathNodes(entry))),
      el("td", { className: "col-ms", text: entry.duration_ms.toFixed(1) }),
      append(el("td", {}), entryNotes(entry)));
      rows.append(row);
    }
    const empty = $("journal-empty");
    const filtered = Object.values(state.filters).some((value) => value !== "");
    empty.hidden = state.entries.length > 0;
    clear(empty);
    if (filtered) {
      append(empty, [el("strong", { text: "No request matches these filters." }), "Clear a filter to see more."]);
    } else {
      append(empty, [
        el("strong", { text: "No requests recorded yet." }),
        `Point your app at ${location.origin} and its requests show up here as they arrive.`,
      ]);
    }
    $("journal-older").hidden = !state.olderMore;
    $("journal-status").textContent = state.entries.length
      ? `${state.entries.length} ${state.entries.length === 1 ? "entry" : "entries"} shown, newest first` +
        (state.live ? " · following new requests" : " · live updates paused")
      : "";
    renderDetail();
  }

  function selectEntry(id) {
    state.selected = state.selected === id ? null : id;
    for (const row of $("journal-rows").children) {
      row.classList.toggle("selected", Number(row.dataset.id) === state.selected);
    }
    renderDetail();
  }

  function renderDetail() {
    const box = $("journal-detail");
    const entry = state.entries.find((e) => e.id === state.selected);
    box.hidden = !entry;
    $("tab-journal").classList.toggle("with-detail", Boolean(entry));
    clear(box);
    if (!entry) return;
    const head = el("div", { className: "detail-head" },
      el("span", { className: `method ${entry.method}`, text: entry.method }),
      append(el("span", { className: "target" }), pathNodes(entry)),
      statusBadge(entry.status),
      el("span", { className: "meta", text: `${entry.duration_ms} ms · ${localDateTime(entry.timestamp)} · #${entry.id}` }),
      entryNotes(entry));
    const request = el("div", { className: "side request" },
      el("h3", { text: "Request" }),
      el("h4", { text: "Headers" }), headersTable(entry.headers),
      el("h4", { text: "Body" }), bodyBlock(entry.body, entry.headers));
    const response = el("div", { className: "side response" },
      el("h3", { text: "Response" }),
      el("h4", { text: "Headers" }), headersTable(entry.response_headers),
      el("h4", { text: "Body" }), bodyBlock(entry.response_body));
    append(box, [head, el("div", { className: "sides" }, request, response), nearMisses(entry.near_misses)]);
  }

  function nearMisses(misses) {
    if (!misses) return null;
    const block = el("div", { className: "misses" });
    const list = (title, items, name) => {
      if (!items || items.length === 0) return;
      block.append(el("h3", { text: title }));
      block.append(el("ul", {}, items.map((item) => el("li", {},
        el("span", { className: "candidate", text: name(item) }),
        el("ul", { className: "reasons" }, item.reasons.map((reason) => el("li", { text: reason })))))));
    };
    list("No route serves this request. Closest routes:", misses.routes,
      (route) => `${route.methods.join(", ")} ${route.route}`);
    list("No mock rule answered it. Closest rules:", misses.rules, (rule) => `rule ${rule.rule}`);
    return block;
  }

  function readFilters() {
    const form = $("journal-filters");
    state.filters = {
      vendor: form.elements.vendor.value,
      status: form.elements.status.value,
      method: form.elements.method.value,
      path: form.elements.path.value.trim(),
    };
    state.live = form.elements.live.checked;
  }

  let filterTimer = null;
  function filtersChanged() {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      readFilters();
      reloadJournal().catch((error) => toast(error.message, true));
    }, 150);
  }

  // ---- records --------------------------------------------------------------------------------------
  async function loadSources() {
    const [stores, tenants] = await Promise.all([api("bigcommerce/stores"), api("adobe/tenants")]);
    const box = clear($("record-sources"));
    const group = (title, items, vendor, keyOf, nameOf) => {
      box.append(el("h3", { text: title }));
      if (items.length === 0) box.append(el("div", { className: "none source-name", text: "none yet" }));
      for (const item of items) {
        const key = keyOf(item);
        const source = el("div", { className: "source" },
          el("div", { className: "source-name", text: key }, nameOf(item) ? el("span", { text: ` · ${nameOf(item)}` }) : null));
        for (const [collection, count] of Object.entries(item.counts)) {
          const active = state.source && state.source.vendor === vendor && state.source.key === key && state.source.collection === collection;
          source.append(el("button", {
            type: "button",
            className: active ? "collection active" : "collection",
            dataset: { vendor, key, collection },
            onclick: () => { state.source = { vendor, key, collection }; state.recordsPage = 1; loadSources().catch(showError); },
          }, el("span", { text: collection.replace("_", " ") }), el("span", { className: "count", text: String(count) })));
        }
        box.append(source);
      }
    };
    group("BigCommerce stores", stores.stores, "bigcommerce", (s) => s.store_hash, (s) => s.name);
    group("Adobe Commerce tenants", tenants.tenants, "adobe", (t) => t.tenant_id, () => "");
    if (!state.source && stores.stores.length) {
      state.source = { vendor: "bigcommerce", key: stores.stores[0].store_hash, collection: "products" };
      return loadSources();
    }
    return loadRecords();
  }

  function recordLabel(record) {
    for (const field of ["name", "email", "scope", "title", "sku", "image_url", "tracking_number"]) {
      if (record[field]) return String(record[field]);
    }
    if (record.first_name || record.last_name) return `${record.first_name || ""} ${record.last_name || ""}`.trim();
    return "";
  }

  function recordSub(record) {
    const bits = [];
    if (record.status) bits.push(String(record.status));
    if (record.total_inc_tax !== undefined) bits.push(`total ${record.total_inc_tax}`);
    if (record.price !== undefined) bits.push(`price ${record.price}`);
    if (record.destination) bits.push(`→ ${record.destination}`);
    if (record.is_active === false) bits.push("inactive");
    return bits.join(" · ");
  }

  async function loadRecords() {
    const list = clear($("records-list"));
    const pager = clear($("records-pager"));
    const source = state.source;
    if (!source) {
      $("records-title").textContent = "Records";
      list.append(el("div", { className: "empty" }, el("strong", { text: "No store or tenant yet." })));
      return;
    }
    const base = source.vendor === "bigcommerce" ? `bigcommerce/stores/${encodeURIComponent(source.key)}` : `adobe/tenants/${encodeURIComponent(source.key)}`;
    const page = await api(`${base}/records/${encodeURIComponent(source.collection)}?${query({ page: state.recordsPage, limit: RECORDS_PAGE, order: "desc" })}`);
    $("records-title").textContent = `${source.key} · ${source.collection.replace("_", " ")}`;
    const pages = Math.max(1, Math.ceil(page.total / page.limit));
    append(pager, [
      `${page.total} ${page.total === 1 ? "record" : "records"}, newest first · page ${page.page} of ${pages}`,
      el("button", { type: "button", className: "small", disabled: page.page <= 1, onclick: () => { state.recordsPage -= 1; loadRecords().catch(showError); }, text: "Previous" }),
      el("button", { type: "button", className: "small", disabled: page.page >= pages, onclick: () => { state.recordsPage += 1; loadRecords().catch(showError); }, text: "Next" }),
    ]);
    if (page.records.length === 0) {
      list.append(el("div", { className: "empty" },
        el("strong", { text: `No ${source.collection.replace("_", " ")} in ${source.key} yet.` }),
        "Records written through the API (or seeded) show up here."));
      return;
    }
    for (const record of page.records) {
      const label = recordLabel(record);
      list.append(el("details", { className: "record" },
        el("summary", {},
          el("span", { className: "rid", text: record.id !== undefined ? `#${record.id}` : "" }),
          el("span", { className: "label", text: label || "(unnamed)" }),
          el("span", { className: "sub", text: recordSub(record) })),
        jsonBlock(record)));
    }
  }

  // ---- webhooks -------------------------------------------------------------------------------------
  function deliveryState(delivery) {
    const kinds = { delivered: "ok", pending: "warn", failed: "bad" };
    return el("span", { className: `badge ${kinds[delivery.state] || ""}`, text: delivery.state });
  }

  async function loadDeliveries() {
    const data = await api("bigcommerce/webhooks/deliveries");
    const list = clear($("webhooks-list"));
    const deliveries = data.deliveries.slice(-DELIVERIES_SHOWN).reverse();
    if (deliveries.length === 0) {
      list.append(el("div", { className: "empty" },
        el("strong", { text: "No webhook deliveries yet." }),
        "Create a hook (POST /stores/{hash}/v3/hooks), then write something it listens to."));
      return;
    }
    for (const delivery of deliveries) {
      const attempts = delivery.attempts.length
        ? el("table", { className: "attempts" },
          el("thead", {}, el("tr", {}, ["#", "At (fake clock)", "Status", "Error"].map((text) => el("th", { text })))),
          el("tbody", {}, delivery.attempts.map((attempt) => el("tr", {},
            el("td", { text: String(attempt.number) }),
            el("td", { text: utcText(attempt.at) }),
            el("td", {}, attempt.status === null ? el("span", { className: "none", text: "none" }) : statusBadge(attempt.status)),
            el("td", { text: attempt.error || "" })))))
        : el("div", { className: "none", text: "not attempted yet" });
      const next = delivery.next_attempt_at ? `next attempt ${utcText(delivery.next_attempt_at)}` : "";
      const last = delivery.attempts[delivery.attempts.length - 1];
      const lastText = !last ? "not attempted yet" : last.status !== null ? `last answered ${last.status}` : `last failed: ${last.error}`;
      list.append(el("details", { className: "delivery" },
        el("summary", {}, deliveryState(delivery),
          el("span", { className: "mono", text: delivery.scope || "" }),
          el("span", { className: "url", text: `→ ${delivery.url}` }),
          el("span", { className: "sub", text: `${delivery.attempts.length} attempt${delivery.attempts.length === 1 ? "" : "s"} · ${lastText}` })),
        el("div", { className: "delivery-body" },
          el("div", { className: "sub", text: [`store ${delivery.store_hash}`, `hook #${delivery.hook_id}`, `created ${utcText(delivery.created_at)}`, next, delivery.id].filter(Boolean).join(" · ") }),
          attempts,
          bodyBlock(delivery.body))));
    }
  }

  // ---- mock rules -----------------------------------------------------------------------------------
  async function loadMocks() {
    const data = await api("mocks");
    const list = clear($("mocks-list"));
    if (data.rules.length === 0) {
      list.append(el("div", { className: "empty" },
        el("strong", { text: "No mock rules are active." }),
        "Load them with storefake serve --mocks, or add one below."));
      return;
    }
    for (const rule of data.rules) {
      list.append(el("details", { className: "rule" },
        el("summary", {},
          el("span", { className: "mono", text: rule.id }),
          el("span", { className: "badge", text: rule.origin }),
          el("span", { className: "sub", text: `matched ${rule.matched} · answered ${rule.hits}${rule.source ? ` · ${rule.source}` : ""}` }),
          el("span", { className: "spacer" }),
          el("button", {
            type: "button", className: "small danger", text: "Remove",
            onclick: (event) => { event.preventDefault(); removeMock(rule.id).catch(showError); },
          })),
        el("div", { className: "rule-body" }, jsonBlock(rule.rule))));
    }
  }

  async function removeMock(id) {
    await api(`mocks/${encodeURIComponent(id)}`, { method: "DELETE" });
    toast(`Removed rule ${id}`);
    await loadMocks();
  }

  async function addMock(event) {
    event.preventDefault();
    const text = $("mock-text").value.trim();
    if (!text) return;
    const added = await api("mocks", { method: "POST", raw: text });
    $("mock-text").value = "";
    toast(`Added ${added.added.map((rule) => rule.id).join(", ")}`);
    await loadMocks();
  }

  // ---- clock and reset ------------------------------------------------------------------------------
  async function loadClock() {
    const clock = await api("clock");
    state.clock = { now: clock.now, frozen: clock.frozen, readAt: Date.now() };
    renderClock();
  }

  function renderClock() {
    const clock = state.clock;
    if (!clock) return;
    const now = clock.frozen ? clock.now : clock.now + (Date.now() - clock.readAt) / 1000;
    $("clock-now").textContent = utcText(now);
    const badge = $("clock-state");
    badge.textContent = clock.frozen ? "frozen" : "running";
    badge.className = clock.frozen ? "badge info" : "badge ok";
    $("clock-freeze").textContent = clock.frozen ? "Unfreeze" : "Freeze";
  }

  async function toggleFreeze() {
    await api(state.clock && state.clock.frozen ? "clock/unfreeze" : "clock/freeze", { method: "POST", body: {} });
    await loadClock();
  }

  async function advance(seconds) {
    await api("clock/advance", { method: "POST", body: { seconds } });
    await loadClock();
    toast(`Fake clock advanced by ${seconds} s`);
  }

  async function reset() {
    if (!window.confirm("Reset the fake? Every write, journal entry and run-time mock rule is forgotten.")) return;
    await api("reset", { method: "POST", body: {} });
    state.selected = null;
    state.source = null;
    await Promise.all([reloadJournal(), loadClock()]);
    if (state.tab !== "journal") await showTab(state.tab);
    toast("The fake was reset");
  }

  async function clearJournal() {
    await api("journal", { method: "DELETE" });
    state.selected = null;
    await reloadJournal();
  }

  function showError(error) {
    toast(error.message || String(error), true);
  }

  // ---- start ----------------------------------------------------------------------------------------
  async function tick() {
    try {
      if (!document.hidden) {
        if (state.live) await pollJournal();
        renderClock();
      }
    } catch (error) {
      showError(error);
    } finally {
      setTimeout(tick, POLL_MS);
    }
  }

  function start() {
    for (const button of document.querySelectorAll(".tabs button")) {
      button.addEventListener("click", () => showTab(button.dataset.tab).catch(showError));
    }
    const form = $("journal-filters");
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("input", filtersChanged);
    form.addEventListener("change", filtersChanged);
    $("journal-older").addEventListener("click", () => loadOlder().catch(showError));
    $("journal-clear").addEventListener("click", () => clearJournal().catch(showError));
    $("reset").addEventListener("click", () => reset().catch(showError));
    $("clock-freeze").addEventListener("click", () => toggleFreeze().catch(showError));
    for (const button of document.querySelectorAll("[data-advance]")) {
      button.addEventListener("click", () => advance(Number(button.dataset.advance)).catch(showError));
    }
    $("webhooks-refresh").addEventListener("click", () => loadDeliveries().catch(showError));
    $("webhooks-flush").addEventListener("click", async () => {
      try {
        const flushed = await api("bigcommerce/webhooks/flush", { method: "POST", body: {} });
        toast(`${flushed.flushed} pending ${flushed.flushed === 1 ? "delivery" : "deliveries"} attempted`);
        await loadDeliveries();
      } catch (error) {
        showError(error);
      }
    });
    $("mocks-refresh").addEventListener("click", () => loadMocks().catch(showError));
    $("mock-add").addEventListener("submit", (event) => addMock(event).catch(showError));
    document.addEventListener("keydown", (event) => {
      if (state.tab !== "journal" || event.target.closest("input, textarea, select")) return;
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      const index = state.entries.findIndex((e) => e.id === state.selected);
      const next = state.entries[index + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) {
        event.preventDefault();
        selectEntry(next.id);
      }
    });

    readFilters();
    const wanted = location.hash.slice(1);
    Promise.all([reloadJournal(), loadClock()])
      .then(() => (["records", "webhooks", "mocks"].includes(wanted) ? showTab(wanted) : null))
      .catch(showError)
      .finally(() => setTimeout(tick, POLL_MS));
    document.body.dataset.ready = "true";
  }

  start();
})();
