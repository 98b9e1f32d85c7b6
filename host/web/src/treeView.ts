// Draws the rows of tree.ts into a VirtualList and turns clicks and keys into intents.
import { el, formatCount } from './dom';
import { isNode, shortType, type Vertex } from './graph';
import type { GroupRow, Row, StateCounts, VertexRow } from './tree';
import { VirtualList } from './virtualList';

export const rowHeight = 26;

export interface TreeViewEvents {
  toggle(row: Row): void;
  select(vertex: Vertex): void;
}

export class TreeView {
  private rows: readonly Row[] = [];
  private readonly list: VirtualList<Row>;
  private selectedId: string | null = null;
  private changed: ReadonlySet<string> = new Set();

  constructor(container: HTMLElement, private readonly events: TreeViewEvents) {
    this.list = new VirtualList(container, rowHeight, (row, index) => this.renderRow(row, index));
    container.addEventListener('click', (event) => this.onClick(event));
    container.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** @param changed vitrage_ids whose state changed in the last refresh: marked for a moment. */
  show(rows: readonly Row[], selectedId: string | null, changed: ReadonlySet<string> = this.changed): void {
    this.rows = rows;
    this.selectedId = selectedId;
    this.changed = changed;
    this.list.setItems(rows);
  }

  has(key: string): boolean {
    return this.rows.some((r) => r.key === key);
  }

  scrollTo(key: string): void {
    const index = this.rows.findIndex((r) => r.key === key);
    if (index >= 0) {
      this.list.scrollToIndex(index);
    }
  }

  private renderRow(row: Row, index: number): HTMLElement {
    const element = row.kind === 'group' ? groupRow(row) : this.vertexRow(row);
    element.dataset['index'] = String(index);
    element.dataset['key'] = row.key;
    element.setAttribute('role', 'treeitem');
    element.setAttribute('aria-level', String(row.depth + 1));
    if (row.expandable) {
      element.setAttribute('aria-expanded', String(row.expanded));
    }
    element.prepend(
      el('span', { class: 'indent', style: `width:${row.depth * 18}px` }),
      el('span', { class: 'caret', 'aria-hidden': true }, row.expandable ? (row.expanded ? '▾' : '▸') : ''),
    );
    return element;
  }

  private vertexRow(row: VertexRow): HTMLElement {
    const v = row.vertex;
    const p = v.properties;
    const text = (key: string): string => (typeof p[key] === 'string' ? (p[key] as string) : '');
    const classes = ['row', 'vertex', stateClass(v)];
    if (v.id === this.selectedId) classes.push('selected');
    if (this.changed.has(v.id)) classes.push('changed');
    if (v.placeholder) classes.push('placeholder');
    const element = el('div', { class: classes.join(' '), 'data-vitrage-id': v.id, 'data-type': v.type, 'data-state': v.state ?? '', 'aria-selected': v.id === this.selectedId },
      el('span', { class: 'dot', title: v.state ?? (v.placeholder ? 'placeholder' : 'no state') }),
      el('span', { class: 'type' }, shortType(v.type)),
      el('span', { class: 'name', title: v.name }, v.name),
    );
    if (isNode(v)) {
      const roles = Array.isArray(p['roles']) ? p['roles'].join(', ') : '';
      element.append(
        // Clipped to their columns (an IPv6 address or a zone such as ap-northeast-1a is wider than
        // its column and was drawn over the next one); the whole value is in the title.
        el('span', { class: 'col ip', title: text('ip') }, text('ip')),
        el('span', { class: 'col zone', title: text('zone') }, text('zone')),
        el('span', { class: 'col roles', title: roles }, roles),
        el('span', { class: 'col instance', title: text('provider_id') }, text('instance_id')),
      );
    } else if (row.depth === 0) {
      element.append(el('span', { class: 'col muted' }, `${formatCount(v.edges.filter((e) => e.outgoing && isNode(e.other)).length)} nodes`));
    }
    if (v.placeholder) element.append(el('span', { class: 'tag', title: 'Known only as a neighbour: no datasource reports it' }, 'placeholder'));
    if (row.relation) element.append(el('span', { class: 'relation' }, row.relation));
    return element;
  }

  private onClick(event: MouseEvent): void {
    const element = (event.target as Element).closest<HTMLElement>('.row');
    const row = element ? this.rows[Number(element.dataset['index'])] : undefined;
    if (!row) return;
    if (row.kind === 'group' || (event.target as Element).classList.contains('caret')) {
      if (row.expandable) this.events.toggle(row);
    } else {
      this.events.select(row.vertex);
    }
  }

  // Up and down move the selection; right and left open and close; Enter opens a group.
  private onKey(event: KeyboardEvent): void {
    const index = this.rows.findIndex((r) => r.kind === 'vertex' && r.vertex.id === this.selectedId);
    const row = this.rows[index];
    // From the selected row, or from the top (down) or the bottom (up) when none is.
    const move = (step: number): void => {
      for (let i = index < 0 ? (step > 0 ? 0 : this.rows.length - 1) : index + step; i >= 0 && i < this.rows.length; i += step) {
        const next = this.rows[i];
        if (next?.kind === 'vertex') {
          this.events.select(next.vertex);
          this.list.scrollToIndex(i);
          return;
        }
      }
    };
    switch (event.key) {
      case 'ArrowDown': move(1); break;
      case 'ArrowUp': move(-1); break;
      case 'ArrowRight': if (row?.expandable && !row.expanded) this.events.toggle(row); break;
      case 'ArrowLeft': if (row?.expandable && row.expanded) this.events.toggle(row); break;
      default: return;
    }
    event.preventDefault();
  }
}

/** The CSS class of a vertex's colour: its Kubernetes state, else placeholder or none. */
export const stateClass = (vertex: Vertex): string =>
  vertex.state === 'Ready' || vertex.state === 'NotReady' || vertex.state === 'Unknown'
    ? `state-${vertex.state}`
    : vertex.placeholder ? 'state-placeholder' : 'state-none';

function groupRow(row: GroupRow): HTMLElement {
  const total = row.counts.Ready + row.counts.NotReady + row.counts.Unknown + row.counts.other;
  return el('div', { class: 'row group', 'data-group': row.value },
    el('span', { class: 'group-label' }, row.label, ' ', el('strong', {}, row.value)),
    el('span', { class: 'count' }, formatCount(total)),
    stateBar(row.counts, total),
    el('span', { class: 'problems' }, problems(row.counts)),
  );
}

/** A bar of the group's states in proportion: a glance tells where the NotReady nodes are. */
export function stateBar(counts: StateCounts, total: number): HTMLElement {
  const bar = el('span', { class: 'bar', 'aria-hidden': true });
  for (const state of ['Ready', 'NotReady', 'Unknown', 'other'] as const) {
    if (counts[state] > 0) {
      bar.append(el('span', { class: `state-${state === 'other' ? 'none' : state}`, style: `flex-grow:${counts[state] / Math.max(total, 1)}` }));
    }
  }
  return bar;
}

const problems = (c: StateCounts): string =>
  [c.NotReady ? `${formatCount(c.NotReady)} NotReady` : '', c.Unknown ? `${formatCount(c.Unknown)} Unknown` : ''].filter(Boolean).join(' · ');
