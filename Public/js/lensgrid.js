// The logit-lens grid: a table of the lens's top token and its probability at every layer (rows, last layer on top)
// and position (columns), shaded by probability, with CSV export.
//
//   createLensGrid(container, grid, {onSelect}) → {csv(), select(layer, token), destroy()}
import { lut, lutIndex, ensureStyles, el, truncate, gridKey } from './heatmap-common.js';
import { csvField } from './export.js';

// ---------------------------------------------------------------------------------------------------------
// Logit-lens grid: rows = layers (top row = last layer), columns = tokens

function formatProb(p) {
  if (!(p >= 0)) return "–";
  if (p >= 0.995) return "100%";
  if (p >= 0.1) return `${Math.round(p * 100)}%`;
  if (p >= 0.001) return `${(p * 100).toFixed(1)}%`;
  return "<0.1%";
}


/**
 * @param {HTMLElement} container a <table> to fill, or any element (a scrollable wrapper + table is added)
 * @param {{layers:number, tokens:string[], point?:string,
 *          cells: Array<Array<{id:number, display:string, logit:number, probability:number}>>}} grid
 * @param {{onSelect?:(layer:number, token:number)=>void}} opts
 */
export function createLensGrid(container, grid, opts = {}) {
  ensureStyles();
  const greens = lut("greens");
  const tokens = grid?.tokens || [];
  const cells = grid?.cells || [];
  const layers = grid?.layers ?? cells.length;
  const nTok = tokens.length;

  let table;
  let wrap = null;
  if (container.tagName === "TABLE") {
    table = container;
    table.replaceChildren();
    table.classList.add("gb-lens-grid");
  } else {
    wrap = el("div", "gb-lens-wrap");
    table = el("table", "gb-lens-grid");
    wrap.appendChild(table);
    container.appendChild(wrap);
  }
  table.dataset.layers = String(layers);
  table.dataset.tokens = String(nTok);
  if (grid?.point) table.dataset.point = grid.point;

  const thead = el("thead");
  const hr = el("tr");
  const corner = el("th", "gb-lens-corner", { scope: "col" });
  corner.textContent = grid?.point ? `layer \\ token (${grid.point})` : "layer \\ token";
  hr.appendChild(corner);
  for (let t = 0; t < nTok; t++) {
    const th = el("th", "gb-lens-token", { scope: "col", "data-token": String(t), title: `(${t}) ${tokens[t]}` });
    const idx = el("span", "gb-lens-idx");
    idx.textContent = `(${t})`;
    const tx = el("span", "gb-lens-text");
    tx.textContent = truncate(tokens[t], 14);
    th.append(idx, tx);
    hr.appendChild(th);
  }
  thead.appendChild(hr);

  const tbody = el("tbody");
  const frag = document.createDocumentFragment();
  for (let l = layers - 1; l >= 0; l--) {
    const tr = el("tr", null, { "data-layer": String(l) });
    const th = el("th", "gb-lens-layer", { scope: "row" });
    th.textContent = `L${l}`;
    tr.appendChild(th);
    const row = cells[l] || [];
    for (let t = 0; t < nTok; t++) {
      const c = row[t];
      const td = el("td", "gb-lens-cell", { "data-layer": String(l), "data-token": String(t), tabindex: "-1" });
      if (c) {
        const p = Number(c.probability);
        const idx = lutIndex(p, 255);
        td.style.backgroundColor = greens.css[idx];
        td.style.color = idx > 150 ? "#ffffff" : "#1b1b1b";
        td.dataset.tokenId = String(c.id);
        td.dataset.probability = String(p);
        const tok = el("span", "gb-lens-top");
        tok.textContent = truncate(c.display, 12);
        const pr = el("span", "gb-lens-prob");
        pr.textContent = formatProb(p);
        td.append(tok, pr);
        td.title =
          `L${l} · (${t}) ${tokens[t]}\ntop-1: ${c.display} (id ${c.id})\n` +
          `probability ${Number.isFinite(p) ? p.toFixed(4) : p} · logit ${Number(c.logit).toFixed(3)}`;
      } else {
        td.classList.add("gb-lens-missing");
      }
      tr.appendChild(td);
    }
    frag.appendChild(tr);
  }
  tbody.appendChild(frag);
  table.append(thead, tbody);
  const first = tbody.querySelector("td");
  if (first) first.tabIndex = 0;

  let selected = null;
  function cellEl(layer, token) {
    return tbody.querySelector(`td[data-layer="${layer}"][data-token="${token}"]`);
  }
  function select(layer, token, notify = false) {
    const td = cellEl(layer, token);
    if (selected) {
      selected.classList.remove("selected");
      selected.removeAttribute("aria-selected");
      selected.tabIndex = -1;
    }
    selected = td;
    if (!td) return;
    td.classList.add("selected");
    td.setAttribute("aria-selected", "true");
    for (const o of tbody.querySelectorAll('td[tabindex="0"]')) o.tabIndex = -1;
    td.tabIndex = 0;
    if (notify && opts.onSelect) opts.onSelect(layer, token);
  }

  const onClick = (ev) => {
    const td = ev.target.closest?.("td.gb-lens-cell");
    if (!td || !tbody.contains(td)) return;
    select(Number(td.dataset.layer), Number(td.dataset.token), true);
  };
  const onKey = (ev) => {
    const td = ev.target.closest?.("td.gb-lens-cell");
    if (!td) return;
    let l = Number(td.dataset.layer);
    let t = Number(td.dataset.token);
    const move = gridKey(ev.key, l, t, layers, nTok);
    if (!move) return;
    ev.preventDefault();
    if (move.select) {
      select(l, t, true);
      return;
    }
    l = move.layer;
    t = move.column;
    const next = cellEl(l, t);
    if (next) {
      td.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  };
  table.addEventListener("click", onClick);
  table.addEventListener("keydown", onKey);

  function csv() {
    const lines = [["layer", "position", "input_token", "top_token_id", "top_token", "logit", "probability"].join(",")];
    for (let l = 0; l < layers; l++) {
      const row = cells[l] || [];
      for (let t = 0; t < nTok; t++) {
        const c = row[t];
        if (!c) continue;
        lines.push([l, t, csvField(tokens[t]), c.id, csvField(c.display), c.logit, c.probability].join(","));
      }
    }
    return lines.join("\n") + "\n";
  }

  function destroy() {
    table.removeEventListener("click", onClick);
    table.removeEventListener("keydown", onKey);
    if (wrap) wrap.remove();
    else table.replaceChildren();
  }

  return { csv, select: (l, t) => select(l, t, false), destroy };
}
