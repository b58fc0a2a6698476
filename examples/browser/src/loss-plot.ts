/** A small canvas plot of each loss over steps (phase totals only, not their parts), rescaled as it grows. */
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

export class LossPlot {
  readonly #series = new Map<string, [number, number][]>();
  constructor(readonly canvas: HTMLCanvasElement) {}

  clear(): void {
    this.#series.clear();
    this.#draw();
  }

  add(step: number, losses: Record<string, number>): void {
    for (const [name, value] of Object.entries(losses)) {
      if (name.includes('/') || !Number.isFinite(value)) continue;
      if (!this.#series.has(name)) this.#series.set(name, []);
      this.#series.get(name)!.push([step, value]);
    }
    this.#draw();
  }

  #draw(): void {
    const { canvas } = this;
    const g = canvas.getContext('2d')!;
    g.clearRect(0, 0, canvas.width, canvas.height);
    const points = [...this.#series.values()].flat();
    if (points.length === 0) return;
    const [x0, x1] = [Math.min(...points.map((p) => p[0])), Math.max(...points.map((p) => p[0]), 1)];
    const [y0, y1] = [Math.min(...points.map((p) => p[1])), Math.max(...points.map((p) => p[1]))];
    const pad = 24;
    const sx = (x: number) => pad + ((x - x0) / Math.max(1, x1 - x0)) * (canvas.width - 2 * pad);
    const sy = (y: number) => canvas.height - pad - ((y - y0) / Math.max(1e-9, y1 - y0)) * (canvas.height - 2 * pad);
    g.font = '11px sans-serif';
    g.fillStyle = '#666';
    g.fillText(y1.toFixed(2), 2, pad - 4);
    g.fillText(y0.toFixed(2), 2, canvas.height - 6);
    [...this.#series.entries()].forEach(([name, series], i) => {
      g.strokeStyle = COLORS[i % COLORS.length]!;
      g.beginPath();
      series.forEach(([x, y], k) => (k === 0 ? g.moveTo(sx(x), sy(y)) : g.lineTo(sx(x), sy(y))));
      g.stroke();
      g.fillStyle = g.strokeStyle;
      g.fillText(name, canvas.width - 110, 14 + 13 * i);
    });
  }
}
