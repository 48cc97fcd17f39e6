// Time in the drawing: the network as of a date, or over a span.
// Relationships have a start and an end; events and programs have dates,
// sources a publication date. A partial date (2007, 2007-04) covers its
// whole year or month. What has no date is kept: its time is unknown.
//
//   as of d: a relationship is shown when it started by d and had not ended
//            before d; an event or program when it had begun by d; a
//            source when it was published by d.
//   span [a, b]: a relationship, event or program is shown when its time
//            overlaps [a, b]; a source when it was published by b.
// A node the filter leaves without any shown relationship goes too (but a
// focus of the drawing stays).

const DAY = 86400000;

// first and last day (epoch days) of a partial ISO date, or null
export function dayRange(iso) {
  if (!iso) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso);
  if (!m) return null;
  const y = Number(m[1]);
  if (m[3]) {
    const d = Date.UTC(y, Number(m[2]) - 1, Number(m[3])) / DAY;
    return [d, d];
  }
  if (m[2]) {
    const mo = Number(m[2]) - 1;
    return [Date.UTC(y, mo, 1) / DAY, Date.UTC(y, mo + 1, 1) / DAY - 1];
  }
  return [Date.UTC(y, 0, 1) / DAY, Date.UTC(y + 1, 0, 1) / DAY - 1];
}

export function isoDay(day) {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

const MONTHS_TH = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];
// "11 เม.ย. 2550 · 2007-04-11": the Thai date in the Buddhist Era, and the ISO one
export function dayText(day) {
  const d = new Date(day * DAY);
  return `${d.getUTCDate()} ${MONTHS_TH[d.getUTCMonth()]} ${d.getUTCFullYear() + 543} · ${isoDay(day)}`;
}

// the time of an element: [first, last] epoch days, either end open (null);
// null when undated. kind: "edge", "event" (dated by its span), "source"
// (from its publication on)
export function elementTime(el) {
  const d = el.data();
  if (el.isEdge()) {
    const s = dayRange(d.rel.start && d.rel.start.iso);
    const e = dayRange(d.rel.end && d.rel.end.iso);
    if (!s && !e) return null;
    return { kind: "edge", from: s ? s[0] : null, to: e ? e[1] : null };
  }
  const s = dayRange(d.start), e = dayRange(d.end);
  if (!s && !e) return null;
  if (d.label === "Source") return { kind: "source", from: s ? s[0] : e[0], to: null };
  return { kind: "event", from: s ? s[0] : e[0], to: e ? e[1] : s[1] };
}

// the epoch days spanned by the dates of the drawing, or null
export function timeDomain(cy) {
  let lo = Infinity, hi = -Infinity;
  cy.elements().forEach((el) => {
    const t = elementTime(el);
    if (!t) return;
    for (const v of [t.from, t.to]) {
      if (v == null) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  });
  return lo <= hi ? { lo, hi } : null;
}

// whether an element's time t is shown for the filter f ({mode, at} or
// {mode, from, to}, epoch days)
export function shownAt(t, f) {
  if (!t || !f || f.mode === "all") return true;
  const from = t.from == null ? -Infinity : t.from;
  const to = t.to == null ? Infinity : t.to;
  if (f.mode === "asof") {
    if (t.kind === "edge") return from <= f.at && to >= f.at;
    return from <= f.at; // events, programs and sources: begun or published by then
  }
  if (t.kind === "source") return from <= f.to;
  return from <= f.to && to >= f.from;
}

// applyTime adds the class "hidden" (and "timed-out") to what the filter
// leaves out; roots stay. Returns how many nodes and edges it hid.
export function applyTime(cy, f, roots) {
  if (!f || f.mode === "all") return { nodes: 0, edges: 0 };
  const rootSet = new Set(roots);
  let nodes = 0, edges = 0;
  cy.batch(() => {
    cy.nodes().forEach((n) => {
      if (rootSet.has(n.id()) || n.hasClass("hidden")) return;
      if (!shownAt(elementTime(n), f)) {
        n.addClass("hidden timed-out");
        nodes++;
      }
    });
    cy.edges().forEach((e) => {
      if (e.hasClass("hidden")) return;
      if (!shownAt(elementTime(e), f) || e.source().hasClass("hidden") || e.target().hasClass("hidden")) {
        e.addClass("hidden timed-out");
        edges++;
      }
    });
    // nodes the filter cut off from every relationship they had
    cy.nodes().forEach((n) => {
      if (rootSet.has(n.id()) || n.hasClass("hidden")) return;
      const all = n.connectedEdges();
      if (all.nonempty() && all.every((e) => e.hasClass("timed-out"))) {
        n.addClass("hidden timed-out");
        nodes++;
      }
    });
  });
  return { nodes, edges };
}
