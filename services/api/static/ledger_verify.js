// The verify page: checks a dropped file against the LAO's transparency log in the browser.
// WebCrypto only (SHA-256, Ed25519); the file is read locally, only its SHA-256 is sent.
"use strict";
(function () {
  const root = document.getElementById("verify");
  if (!root) return;
  const base = root.dataset.log;
  const statusEl = document.getElementById("checkpoint-status");
  const resultEl = document.getElementById("result");
  const enc = new TextEncoder();
  let state = null; // {checkpoint, note, witnesses: [names]}
  // The page's language: Thai texts below, their English from data-messages (English page).
  const messages = JSON.parse(root.dataset.messages || "{}");
  function t(text, values) {
    let out = messages[text] || text;
    for (const [k, v] of Object.entries(values || {})) out = out.split("{" + k + "}").join(String(v));
    return out;
  }

  function b64d(s) {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function concat(...parts) {
    const n = parts.reduce((a, p) => a + p.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }
  const leafHash = (d) => sha256(concat(new Uint8Array([0]), d));
  const nodeHash = (l, r) => sha256(concat(new Uint8Array([1]), l, r));

  // signed-note verifier key: name+hexid+base64(type || key); key id = SHA-256(name\n type key)[:4]
  async function parseKey(vkey) {
    const i = vkey.indexOf("+"), j = vkey.indexOf("+", i + 1);
    const name = vkey.slice(0, i), id = vkey.slice(i + 1, j), raw = b64d(vkey.slice(j + 1));
    const want = hex((await sha256(concat(enc.encode(name + "\n"), raw))).slice(0, 4));
    if (want !== id || raw.length !== 33) throw new Error("bad key " + name);
    const key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
    return { name, id, type: raw[0], key };
  }
  function parseNote(text) {
    const at = text.lastIndexOf("\n\n");
    const body = text.slice(0, at + 1);
    const sigs = text.slice(at + 2).split("\n").filter((l) => l).map((l) => {
      const [dash, name, sig] = l.split(" ");
      if (dash !== "\u2014") throw new Error("bad signature line");
      const raw = b64d(sig);
      return { name, id: hex(raw.slice(0, 4)), data: raw.slice(4) };
    });
    return { body, sigs };
  }
  async function verifySig(k, note) {
    for (const s of note.sigs) {
      if (s.name !== k.name || s.id !== k.id) continue;
      if (k.type === 1) {
        return crypto.subtle.verify({ name: "Ed25519" }, k.key, s.data, enc.encode(note.body));
      }
      if (k.type === 4 && s.data.length === 72) {
        let ts = 0n;
        for (const b of s.data.slice(0, 8)) ts = (ts << 8n) | BigInt(b);
        const msg = enc.encode("cosignature/v1\ntime " + ts.toString() + "\n" + note.body);
        return crypto.subtle.verify({ name: "Ed25519" }, k.key, s.data.slice(8), msg);
      }
    }
    return false;
  }
  // RFC 9162 §2.1.3.2
  async function verifyInclusion(index, size, leaf, proof, rootHash) {
    if (index >= size) return false;
    let fn = BigInt(index), sn = BigInt(size - 1);
    let r = await leafHash(leaf);
    for (const p of proof) {
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        r = await nodeHash(p, r);
        if ((fn & 1n) === 0n) while (fn !== 0n && (fn & 1n) === 0n) { fn >>= 1n; sn >>= 1n; }
      } else {
        r = await nodeHash(r, p);
      }
      fn >>= 1n; sn >>= 1n;
    }
    return sn === 0n && equal(r, rootHash);
  }
  function contains(v, sha) {
    if (Array.isArray(v)) return v.some((x) => contains(x, sha));
    if (v && typeof v === "object") return Object.values(v).some((x) => contains(x, sha));
    return v === sha;
  }
  function show(ok, lines) {
    resultEl.innerHTML = "";
    const box = document.createElement("div");
    box.className = ok ? "verify-ok" : "verify-fail";
    box.setAttribute("role", ok ? "status" : "alert");
    const h = document.createElement("h2");
    h.textContent = ok ? t("ผ่าน: เอกสารนี้ตรงกับที่บันทึกไว้") : t("ไม่ผ่าน");
    box.appendChild(h);
    const ul = document.createElement("ul");
    for (const l of lines) { const li = document.createElement("li"); li.textContent = l; ul.appendChild(li); }
    box.appendChild(ul);
    resultEl.appendChild(box);
  }

  async function loadCheckpoint() {
    const keys = await (await fetch(base + "/keys")).json();
    const r = await fetch(base + "/checkpoint");
    if (!r.ok) throw new Error(t("ยังไม่มีจุดตรวจสอบของบันทึกนี้ กรุณาลองใหม่ในอีกไม่กี่นาที"));
    const note = parseNote(await r.text());
    const logKey = await parseKey(keys.log);
    if (!(await verifySig(logKey, note))) throw new Error(t("ลายมือชื่อของระบบบนจุดตรวจสอบไม่ถูกต้อง"));
    const lines = note.body.split("\n");
    const cp = { origin: lines[0], size: Number(lines[1]), root: b64d(lines[2]) };
    const witnesses = [];
    for (const w of keys.witnesses) {
      const k = await parseKey(w);
      if (await verifySig(k, note)) witnesses.push(k.name);
    }
    state = { cp, witnesses };
    statusEl.textContent = t(
      "จุดตรวจสอบล่าสุด: บันทึก {size} รายการ ลงลายมือชื่อโดยระบบ (ตรวจแล้ว) รับรองโดยผู้รับรองอิสระ {n} ราย",
      { size: cp.size, n: witnesses.length }
    ) + (witnesses.length ? " (" + witnesses.join(", ") + ")" : "");
    if (!witnesses.length) {
      statusEl.textContent += " — " + t("ยังไม่มีผู้รับรองอิสระรับรองจุดตรวจสอบนี้ จึงยังยืนยันเอกสารไม่ได้ กรุณาลองใหม่ในอีกไม่กี่นาที");
    }
    statusEl.dataset.size = String(cp.size);
    statusEl.dataset.witnesses = String(witnesses.length);
  }

  async function check(file) {
    show(true, [t("กำลังตรวจ…")]);
    resultEl.firstChild.className = "verify-pending";
    try {
      if (!state) await loadCheckpoint();
      if (!state.witnesses.length) {
        return show(false, [t("จุดตรวจสอบล่าสุดยังไม่ได้รับการรับรองจากผู้รับรองอิสระ (witness) จึงยังยืนยันไม่ได้ว่าบันทึกไม่ถูกแก้ไขย้อนหลัง กรุณาลองใหม่ในอีกไม่กี่นาที")]);
      }
      const data = new Uint8Array(await file.arrayBuffer());
      const sha = hex(await sha256(data));
      const r = await fetch(base + "/record?sha256=" + sha);
      if (r.status === 404) {
        return show(false, [t("ไม่พบไฟล์นี้ในบันทึกของหน่วยงาน (SHA-256 {sha})", { sha }),
          t("ไฟล์อาจถูกแก้ไขหลังเผยแพร่ หรือเป็นเอกสารของหน่วยงานอื่น ให้ดาวน์โหลดฉบับจากหน้าเผยแพร่ของหน่วยงานแล้วตรวจอีกครั้ง")]);
      }
      const rec = await r.json();
      const event = JSON.parse(rec.body);
      if (!contains(event.data, sha)) return show(false, [t("บันทึกที่ได้รับไม่ได้ระบุไฟล์นี้")]);
      const leaf = await sha256(concat(b64d(rec.prev_hash), enc.encode(rec.body)));
      const index = rec.sequence - 1;
      if (index >= state.cp.size) {
        return show(false, [t("บันทึกลำดับที่ {sequence} ใหม่กว่าจุดตรวจสอบล่าสุด กรุณาลองใหม่ในอีกไม่กี่นาที", { sequence: rec.sequence })]);
      }
      const inc = await (await fetch(base + "/inclusion?index=" + index + "&size=" + state.cp.size)).json();
      if (!equal(b64d(inc.leaf), leaf)) return show(false, [t("ค่าแฮชของบันทึกไม่ตรงกับในต้นไม้ Merkle")]);
      const ok = await verifyInclusion(index, state.cp.size, leaf, inc.proof.map(b64d), state.cp.root);
      if (!ok) return show(false, [t("หลักฐานการอยู่ในบันทึก (inclusion proof) ไม่นำไปสู่รากของจุดตรวจสอบ")]);
      show(true, [
        t("ค่าแฮช SHA-256 ของไฟล์: {sha}", { sha }),
        t("ตรงกับบันทึกลำดับที่ {sequence} ({type})", { sequence: rec.sequence, type: rec.event_type }),
        t("บันทึกนี้อยู่ในต้นไม้ Merkle ของจุดตรวจสอบ {size} รายการ (ตรวจหลักฐาน RFC 9162 แล้ว)", { size: state.cp.size }),
        t("จุดตรวจสอบลงลายมือชื่อโดยระบบ และรับรองโดยผู้รับรองอิสระ {n} ราย", { n: state.witnesses.length }),
      ]);
    } catch (e) {
      show(false, [t("ตรวจไม่สำเร็จ: {why}", { why: e.message })]);
    }
  }

  const input = document.getElementById("file");
  input.addEventListener("change", () => { if (input.files[0]) check(input.files[0]); });
  const drop = root.querySelector(".drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files[0]) check(e.dataTransfer.files[0]);
  });
  loadCheckpoint().catch((e) => { statusEl.textContent = e.message; });
})();
