// The API key of the explorer's pages (app.js, analyze.js), one module so
// that both keep it alike. A server run with -private-reads answers reads
// only to a bearer API key of the reader role or above; the imports need an
// editor's. The key lives in sessionStorage: this tab only, gone when the
// tab closes (localStorage would keep it on disk for every later visit),
// and the same item on both pages, so a key given on one serves the other.

const KEY_ITEM = "phakhi.apiKey";
let memoryKey = ""; // when sessionStorage is unavailable (storage disabled)

export function apiKey() {
  try {
    return sessionStorage.getItem(KEY_ITEM) || "";
  } catch {
    return memoryKey;
  }
}

export function storeKey(key) {
  memoryKey = key;
  try {
    if (key) sessionStorage.setItem(KEY_ITEM, key);
    else sessionStorage.removeItem(KEY_ITEM);
  } catch {
    // memoryKey holds it for this page
  }
}

// what the user typed, as a key; a clear error when it cannot be one
export function parseKey(raw) {
  const key = raw.trim().replace(/^bearer\s+/i, "");
  if (!key) throw new Error("ใส่กุญแจก่อน · enter a key first");
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new Error("กุญแจมีอักขระที่ใช้ไม่ได้ · a key is printable ASCII without spaces, as `go run . new-key` prints it");
  }
  if (key.length > 1024) throw new Error("กุญแจยาวเกินไป · the key is too long (over 1024 characters)");
  return key;
}

// the key box (#key-box, opened by #key-button), the same on both pages
export function openKeyBox() {
  const box = document.querySelector("#key-box");
  const wasHidden = box.hidden;
  box.hidden = false;
  document.querySelector("#key-button").setAttribute("aria-expanded", "true");
  if (wasHidden) document.querySelector("#key-input").focus();
}

export function closeKeyBox() {
  document.querySelector("#key-box").hidden = true;
  document.querySelector("#key-button").setAttribute("aria-expanded", "false");
}
