// Below the Kernels table: each autotuned kernel's search, as the README's Autotune entry
// defines it: the sentence (contract formatAutotune), the shape class it is cached under, and
// every candidate's median time as a bar (the winner and the default marked).

import { formatAutotune, formatNs, type KernelReport } from "@jitscope/contract";

export function autotuneDetail(kernels: readonly KernelReport[]): HTMLElement | null {
  const tuned = kernels.filter((k) => k.autotune);
  if (tuned.length === 0) return null;
  const section = document.createElement("section");
  section.id = "kernels-autotune";
  const h = document.createElement("h3");
  h.textContent = "Autotuned kernels (margin = the default configuration's median time ÷ the winner's)";
  section.appendChild(h);
  for (const k of tuned) {
    const a = k.autotune!;
    const div = document.createElement("div");
    div.className = "jit-autotune";
    div.dataset.kernel = k.id;
    const head = document.createElement("div");
    const name = document.createElement("b");
    name.textContent = k.name;
    head.append(name, ` (${k.id}): ${formatAutotune(a)}`);
    div.appendChild(head);
    if (a.shapeClass) {
      const cls = document.createElement("div");
      cls.className = "jit-autotune-class";
      cls.textContent = `shape class: ${a.shapeClass}`;
      div.appendChild(cls);
    }
    const max = Math.max(1, ...a.candidates.map((c) => c.medianNs));
    const list = document.createElement("ol");
    list.className = "jit-autotune-candidates";
    for (const c of a.candidates) {
      const li = document.createElement("li");
      li.dataset.config = c.config;
      if (c.config === a.winner) li.className = "jit-autotune-winner";
      const label = document.createElement("span");
      label.className = "jit-autotune-config";
      label.textContent = c.config;
      const bar = document.createElement("span");
      bar.className = "jit-bar";
      bar.style.width = `${Math.max(1, Math.round((c.medianNs / max) * 160))}px`;
      const marks = [c.config === a.defaultConfig ? "default" : "", c.config === a.winner ? "won" : ""].filter(Boolean);
      li.append(label, bar, `${formatNs(c.medianNs)}${marks.length ? ` (${marks.join(", ")})` : ""}`);
      list.appendChild(li);
    }
    div.appendChild(list);
    section.appendChild(div);
  }
  return section;
}
