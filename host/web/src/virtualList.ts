// A list that creates elements only for the rows in view: 5,000 node rows cost as much as 40.
// Rows have one fixed height, so the position of any row is a multiplication.

export class VirtualList<T> {
  private items: readonly T[] = [];
  private readonly spacer = document.createElement('div');
  private readonly viewport = document.createElement('div');
  private frame = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly rowHeight: number,
    private readonly renderRow: (item: T, index: number) => HTMLElement,
    private readonly overscan = 10,
  ) {
    this.spacer.className = 'virtual-spacer';
    this.viewport.className = 'virtual-rows';
    this.spacer.append(this.viewport);
    container.replaceChildren(this.spacer);
    container.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(container);
  }

  get length(): number {
    return this.items.length;
  }

  /** Replaces the rows, keeping the scroll position. */
  setItems(items: readonly T[]): void {
    this.items = items;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    this.render();
  }

  /** Scrolls just enough to show the row (to the middle when it is far away). */
  scrollToIndex(index: number): void {
    const top = index * this.rowHeight;
    const view = this.container.clientHeight;
    if (top < this.container.scrollTop || top + this.rowHeight > this.container.scrollTop + view) {
      this.container.scrollTop = Math.max(0, top - view / 2);
    }
    this.render();
  }

  private schedule(): void {
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  private render(): void {
    const first = Math.max(0, Math.floor(this.container.scrollTop / this.rowHeight) - this.overscan);
    const last = Math.min(this.items.length, Math.ceil((this.container.scrollTop + this.container.clientHeight) / this.rowHeight) + this.overscan);
    const rows: HTMLElement[] = [];
    for (let index = first; index < last; index++) {
      const row = this.renderRow(this.items[index]!, index);
      row.style.top = `${index * this.rowHeight}px`;
      rows.push(row);
    }
    this.viewport.replaceChildren(...rows);
  }
}
