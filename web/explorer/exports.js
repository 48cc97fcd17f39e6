// The view's subgraph in the server's export formats, when the view has
// several foci (and maybe a path): the server exports one neighbourhood
// (or one set of paths) per exportGraph, so the page asks for each part
// and merges the files here, by node and edge id. Every format's file
// has the same columns, keys and attribute ids whatever the subgraph
// (export/graph.go), so a merge is a union of rows.
//
// Hand-written: the merges are a few lines per format over the browser's
// own JSON, DOMParser and XMLSerializer; the zip is written "stored" (no
// compression), which needs only a CRC-32, and no zip library is
// vendored for that.

// the arrays of nodes and edges of a JSON export, and an item's key:
// Cytoscape ({elements: {nodes, edges}}, items {data: {id}}), graphology
// ({nodes, edges}, items {key}), D3 ({nodes, links}, items {id})
function jsonLists(doc) {
  const holder = doc.elements && typeof doc.elements === "object" && !Array.isArray(doc.elements) ? doc.elements : doc;
  return ["nodes", "edges", "links"].filter((k) => Array.isArray(holder[k])).map((k) => [holder, k]);
}
function jsonKey(item) {
  if (item && item.data && item.data.id != null) return `id:${item.data.id}`;
  if (item && item.key != null) return `key:${item.key}`;
  if (item && item.id != null) return `id:${item.id}`;
  return `json:${JSON.stringify(item)}`;
}

function mergeJSON(texts) {
  const docs = texts.map((t) => JSON.parse(t));
  const first = docs[0];
  const lists = jsonLists(first);
  for (const [holder, k] of lists) {
    const seen = new Set(holder[k].map(jsonKey));
    for (const doc of docs.slice(1)) {
      for (const [other, k2] of jsonLists(doc)) {
        if (k2 !== k) continue;
        for (const item of other[k2]) {
          const key = jsonKey(item);
          if (!seen.has(key)) {
            seen.add(key);
            holder[k].push(item);
          }
        }
      }
    }
  }
  const count = (k) => (lists.find(([, x]) => x === k) || [null, null])[0]?.[k]?.length || 0;
  return { body: JSON.stringify(first, null, 2), nodeCount: count("nodes"), edgeCount: count("edges") + count("links") };
}

// GEXF (<nodes><node/></nodes><edges><edge/></edges>) and GraphML
// (<graph><node/>…<edge/></graph>): the other files' nodes and edges go
// after the first file's, once per id
function mergeXML(texts) {
  const parser = new DOMParser();
  const docs = texts.map((t) => {
    const d = parser.parseFromString(t, "application/xml");
    if (d.querySelector("parsererror")) throw new Error("an export part is not well-formed XML");
    return d;
  });
  const first = docs[0];
  const all = (d, tag) => Array.from(d.getElementsByTagNameNS("*", tag));
  let nodeCount = 0, edgeCount = 0;
  for (const tag of ["node", "edge"]) {
    const mine = all(first, tag);
    const seen = new Set(mine.map((el) => el.getAttribute("id")));
    // GEXF holds them in <nodes>/<edges>; GraphML right in <graph>
    let parent = all(first, `${tag}s`)[0] || all(first, "graph")[0];
    if (!parent) throw new Error(`an export part has no <${tag}s> or <graph>`);
    for (const doc of docs.slice(1)) {
      for (const el of all(doc, tag)) {
        const id = el.getAttribute("id");
        if (seen.has(id)) continue;
        seen.add(id);
        parent.appendChild(first.importNode(el, true));
      }
    }
    if (tag === "node") nodeCount = seen.size;
    else edgeCount = seen.size;
  }
  // GEXF and GraphML count nothing in attributes, so nothing to update
  const xml = new XMLSerializer().serializeToString(first);
  return { body: xml.startsWith("<?xml") ? xml : `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, nodeCount, edgeCount };
}

// RFC 4180 records of a CSV text, each as [its text, its first field]
function csvRecords(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    let first = null, field = "", quoted = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") {
        if (first === null) first = field;
        field = "";
      } else if (c === "\n" || c === "\r") break;
      else field += c;
    }
    if (first === null) first = field;
    const rec = text.slice(start, i);
    if (text[i] === "\r" && text[i + 1] === "\n") i++;
    i++;
    if (rec !== "") out.push([rec, first]);
  }
  return out;
}

function mergeCSV(texts) {
  const BOM = "\ufeff";
  const strip = (t) => (t.startsWith(BOM) ? t.slice(1) : t);
  const parts = texts.map((t) => csvRecords(strip(t)));
  const header = parts[0][0];
  const seen = new Set();
  const rows = [];
  for (const recs of parts) {
    for (const [rec, id] of recs.slice(1)) {
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push(rec);
    }
  }
  return { body: `${BOM}${[header[0], ...rows].join("\r\n")}\r\n`, count: rows.length };
}

// a zip of files stored as they are (method 0)
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
export function zipStored(files) {
  const enc = new TextEncoder();
  const chunks = [], central = [];
  let offset = 0;
  for (const { name, text } of files) {
    const nameBytes = enc.encode(name);
    const data = enc.encode(text);
    const crc = crc32(data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true); // version needed
    local.setUint16(6, 0x0800, true); // UTF-8 names
    local.setUint16(8, 0, true); // stored
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, nameBytes.length, true);
    chunks.push(new Uint8Array(local.buffer), nameBytes, data);
    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 20, true);
    cd.setUint16(6, 20, true);
    cd.setUint16(8, 0x0800, true);
    cd.setUint32(16, crc, true);
    cd.setUint32(20, data.length, true);
    cd.setUint32(24, data.length, true);
    cd.setUint16(28, nameBytes.length, true);
    cd.setUint32(42, offset, true);
    central.push(new Uint8Array(cd.buffer), nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cdSize = central.reduce((a, b) => a + b.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  return new Blob([...chunks, ...central, new Uint8Array(end.buffer)], { type: "application/zip" });
}

// mergeExports merges the text files of one format (as exportGraph gives
// them) into one: { body, nodeCount, edgeCount }
export function mergeExports(format, texts) {
  switch (format) {
    case "CYTOSCAPE":
    case "GRAPHOLOGY":
    case "D3":
      return mergeJSON(texts);
    case "GEXF":
    case "GRAPHML":
      return mergeXML(texts);
    case "CSV_NODES": {
      const m = mergeCSV(texts);
      return { body: m.body, nodeCount: m.count, edgeCount: null };
    }
    case "CSV_EDGES": {
      const m = mergeCSV(texts);
      return { body: m.body, nodeCount: null, edgeCount: m.count };
    }
    default:
      // a format the page cannot merge: JSON or XML by its look
      if (/^\s*[[{]/.test(texts[0])) return mergeJSON(texts);
      if (/^\s*</.test(texts[0])) return mergeXML(texts);
      throw new Error(`cannot merge ${format} files`);
  }
}

// mergeZip: CSV_ZIP from the parts' CSV_NODES and CSV_EDGES
export function mergeZip(nodeTexts, edgeTexts) {
  const n = mergeCSV(nodeTexts), e = mergeCSV(edgeTexts);
  return { blob: zipStored([{ name: "nodes.csv", text: n.body }, { name: "edges.csv", text: e.body }]), nodeCount: n.count, edgeCount: e.count };
}
