// One floating tooltip shared by the views (hover on nodes, boundary edges, bars).

export class Tooltip {
  private readonly el: HTMLDivElement;

  constructor(parent: HTMLElement) {
    this.el = document.createElement("div");
    this.el.className = "jit-tooltip";
    this.el.setAttribute("role", "tooltip");
    this.el.hidden = true;
    parent.appendChild(this.el);
  }

  show(text: string, ev: MouseEvent): void {
    this.el.textContent = text;
    this.el.hidden = false;
    const pad = 14;
    const w = this.el.offsetWidth;
    const h = this.el.offsetHeight;
    const x = ev.clientX + pad + w > window.innerWidth ? ev.clientX - pad - w : ev.clientX + pad;
    const y = ev.clientY + pad + h > window.innerHeight ? ev.clientY - pad - h : ev.clientY + pad;
    this.el.style.left = `${Math.max(0, x)}px`;
    this.el.style.top = `${Math.max(0, y)}px`;
  }

  hide(): void {
    this.el.hidden = true;
  }

  get text(): string | null {
    return this.el.hidden ? null : this.el.textContent;
  }
}
