// The details panel: one resource as `resource show` returns it, and its neighbours from a
// depth-1 topology around it; each with a link to that JSON.
import { ApiError, call, type Answer } from './api';
import { append, el, formatCount } from './dom';
import { shortType, type NodeLink, type Properties } from './graph';
import { linkJson } from './jsonLink';
import { isNotReady, notReadySeconds, notReadyText } from './notReady';
import { liveView } from './topology';

interface Neighbour {
  readonly properties: Properties;
  readonly relationship: string;
  readonly outgoing: boolean;
}

export interface DetailsOptions {
  /** The link to another vertex (the page's URL with that vertex selected). */
  href(vitrageId: string): string;
  allTenants(): boolean;
}

export class DetailsPanel {
  private shownId: string | null = null;
  private content = '';
  private loading: AbortController | null = null;

  constructor(private readonly container: HTMLElement, private readonly options: DetailsOptions) {}

  get vitrageId(): string | null {
    return this.shownId;
  }

  /** Loads and shows a vertex (again, after a refresh); a later call cancels an earlier one still loading. */
  async show(vitrageId: string | null, category: string | null): Promise<void> {
    this.loading?.abort();
    this.shownId = vitrageId;
    if (vitrageId === null) {
      this.clear();
      this.container.append(el('p', { class: 'hint' }, 'Select a node to see its properties, conditions, taints, addresses and neighbours.'));
      return;
    }
    const loading = (this.loading = new AbortController());
    const path = category === 'ALARM' ? `v1/alarm/${encodeURIComponent(vitrageId)}` : `v1/resources/${encodeURIComponent(vitrageId)}`;
    try {
      const [resource, around] = await Promise.all([
        call<Properties>('GET', path, undefined, { signal: loading.signal }),
        call<NodeLink>('POST', 'v1/topology/', { ...liveView(this.options.allTenants()), root: vitrageId, depth: 1 }, { signal: loading.signal }),
      ]);
      if (!loading.signal.aborted) {
        this.render(resource, around);
      }
    } catch (error) {
      if (!loading.signal.aborted && isNotReady(error)) {
        // Not a failure: said as the page says it, and read again by the panel itself, since the page
        // reads nothing while it shows a graph (live unticked, or no new version yet) and a red
        // "Could not load" stayed there after the graph was ready.
        this.clear();
        this.container.append(el('p', { class: 'waiting' }, notReadyText(error)));
        await sleep(notReadySeconds * 1000, loading.signal);
        if (!loading.signal.aborted) {
          void this.show(vitrageId, category);
        }
        return;
      }
      if (!loading.signal.aborted) {
        this.clear();
        const gone = error instanceof ApiError && error.status === 404;
        this.container.append(el('p', { class: 'error' }, gone ? `${vitrageId} is no longer in the graph.` : `Could not load ${vitrageId}: ${String((error as Error).message)}`));
      }
    }
  }

  private clear(): void {
    this.container.querySelectorAll<HTMLAnchorElement>('a.json-link').forEach((a) => linkJson(a, null));
    this.container.replaceChildren();
    delete this.container.dataset['vitrageId'];
  }

  private render(resource: Answer<Properties>, around: Answer<NodeLink>): void {
    // Every snapshot stamps every vertex anew: when nothing else changed, only the JSON links
    // follow the new answers, and the panel (a selection in it, its scroll) stays as it is.
    const content = JSON.stringify([resource.body, around.body], (key, value: unknown) => (key === 'vitrage_sample_timestamp' ? undefined : value));
    const same = this.container.dataset['vitrageId'] === resource.body['vitrage_id'];
    if (same && content === this.content) {
      linkJson(this.container.querySelector<HTMLAnchorElement>('#details-json')!, resource);
      linkJson(this.container.querySelector<HTMLAnchorElement>('#neighbours-json')!, around);
      return;
    }
    this.content = content;
    // A change redraws the same vertex: keep what the person closed and where they scrolled to.
    const closed = new Set([...this.container.querySelectorAll('details:not([open]) > summary')].map((s) => s.textContent?.replace(/ \(.*/, '')));
    const scrollTop = this.container.scrollTop;
    this.clear();
    const p = resource.body;
    const state = typeof p['state'] === 'string' ? p['state'] : null;
    const stateClass = state === 'Ready' || state === 'NotReady' || state === 'Unknown' ? `state-${state}` : 'state-none';
    const name = String(p['name'] ?? p['id'] ?? p['vitrage_id'] ?? '');
    const type = String(p['vitrage_type'] ?? '');
    const resourceLink = el('a', { class: 'json-link', target: '_blank', rel: 'noopener', id: 'details-json' }, 'resource');
    const aroundLink = el('a', { class: 'json-link', target: '_blank', rel: 'noopener', id: 'neighbours-json' }, 'neighbours');
    linkJson(resourceLink, resource);
    linkJson(aroundLink, around);
    this.container.dataset['vitrageId'] = String(p['vitrage_id'] ?? '');
    const neighbours = neighboursOf(around.body, String(p['vitrage_id'] ?? ''));
    append(this.container, [
      el('div', { class: 'details-head' },
        el('h2', {}, el('span', { class: `dot ${stateClass}` }), ' ', name),
        el('div', { class: 'subtitle' },
          el('span', { class: 'type' }, type),
          state && el('span', { class: `badge ${stateClass}`, id: 'details-state' }, state),
          p['vitrage_is_placeholder'] === true && el('span', { class: 'tag' }, 'placeholder'),
          el('span', { class: 'links' }, 'JSON: ', resourceLink, ' · ', aroundLink)),
      ),
      table('Addresses', ['type', 'address'], p['addresses']),
      conditions(p['conditions']),
      table('Taints', ['key', 'value', 'effect'], p['taints']),
      labels(p['labels']),
      this.neighbours(neighbours),
      allProperties(p),
    ]);
    if (same) {
      this.container.querySelectorAll('details > summary').forEach((s) => {
        if (closed.has(s.textContent?.replace(/ \(.*/, ''))) s.parentElement?.removeAttribute('open');
      });
      this.container.scrollTop = scrollTop;
    }
  }

  private neighbours(neighbours: Neighbour[]): HTMLElement | null {
    if (neighbours.length === 0) return null;
    const list = el('ul', { class: 'neighbours' });
    for (const n of neighbours) {
      const id = String(n.properties['vitrage_id'] ?? '');
      const state = typeof n.properties['state'] === 'string' ? n.properties['state'] : '';
      const name = String(n.properties['name'] ?? n.properties['id'] ?? id);
      const link = el('a', { href: this.options.href(id), 'data-vitrage-id': id }, name);
      const type = shortType(String(n.properties['vitrage_type'] ?? ''));
      const dot = el('span', { class: `dot ${state === 'Ready' || state === 'NotReady' || state === 'Unknown' ? `state-${state}` : 'state-none'}` });
      // The edge as a sentence: "this comprised ← cluster" reads worse than "sim-cluster comprised this".
      list.append(n.outgoing
        ? el('li', {}, 'this ', el('em', {}, n.relationship), ' ', dot, el('span', { class: 'type' }, type), ' ', link)
        : el('li', {}, dot, el('span', { class: 'type' }, type), ' ', link, ' ', el('em', {}, n.relationship), ' this'));
    }
    return section(`Neighbours (${formatCount(neighbours.length)})`, list);
  }
}

/** The vertices one edge away from the root in a depth-1 topology, with the edge's label and direction. */
function neighboursOf(topology: NodeLink, rootId: string): Neighbour[] {
  const root = topology.nodes.findIndex((n) => n['vitrage_id'] === rootId);
  const result: Neighbour[] = [];
  for (const link of topology.links) {
    const outgoing = link.source === root;
    const other = topology.nodes[outgoing ? link.target : link.source];
    if ((outgoing || link.target === root) && other) {
      result.push({ properties: other, relationship: link.relationship_type ?? '', outgoing });
    }
  }
  return result.sort((a, b) => String(a.properties['vitrage_type']).localeCompare(String(b.properties['vitrage_type'])));
}

function section(title: string, ...content: (Node | string | null)[]): HTMLElement {
  return el('details', { open: true, class: 'section' }, el('summary', {}, title), ...content);
}

function table(title: string, columns: string[], rows: unknown): HTMLElement | null {
  if (!Array.isArray(rows) || rows.length === 0) return null;
  return section(`${title} (${rows.length})`, el('table', {},
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', {}, c)))),
    el('tbody', {}, ...rows.map((row: Record<string, unknown>) => el('tr', {}, ...columns.map((c) => el('td', {}, text(row?.[c]))))))));
}

// Ready=True is good; for the other conditions (pressure, NetworkUnavailable) True is bad.
function conditions(value: unknown): HTMLElement | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const rows = (value as Record<string, unknown>[]).map((c) => {
    const good = c['type'] === 'Ready' ? 'True' : 'False';
    const health = c['status'] === good ? 'good' : c['status'] === 'Unknown' ? 'unknown' : 'bad';
    return el('tr', { class: health, 'data-condition': text(c['type']) },
      el('td', {}, text(c['type'])),
      el('td', { class: 'status' }, text(c['status'])),
      el('td', {}, el('div', {}, text(c['reason'])), el('div', { class: 'message' }, text(c['message']))),
      // Minutes are enough beside the reason; the whole time is in the title and in All properties.
      el('td', { title: text(c['last_transition_time']) }, text(c['last_transition_time']).replace('T', ' ').slice(0, 16)));
  });
  return section(`Conditions (${rows.length})`, el('table', { class: 'conditions' },
    el('thead', {}, el('tr', {}, el('th', {}, 'type'), el('th', {}, 'status'), el('th', {}, 'reason'), el('th', {}, 'since'))),
    el('tbody', {}, ...rows)));
}

function labels(value: unknown): HTMLElement | null {
  if (!value || typeof value !== 'object') return null;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? null : section(`Labels (${entries.length})`,
    el('ul', { class: 'labels' }, ...entries.map(([k, v]) => el('li', {}, el('code', {}, v === '' ? k : `${k}=${text(v)}`)))));
}

/** Every property the API sends, in its order: flat objects as key/value lines, deeper values as JSON. */
function allProperties(p: Properties): HTMLElement {
  const rows = Object.entries(p).map(([key, value]) => el('tr', {}, el('th', {}, key), el('td', {}, valueOf(value))));
  return section(`All properties (${rows.length})`, el('table', { class: 'properties' }, el('tbody', {}, ...rows)));
}

function valueOf(value: unknown): Node | string {
  if (value === null || typeof value !== 'object') {
    return text(value);
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.every(([, v]) => v === null || typeof v !== 'object')) {
    return Array.isArray(value)
      ? value.map(text).join(', ')
      : el('div', { class: 'nested' }, ...entries.map(([k, v]) => el('div', {}, el('span', { class: 'key' }, k), ' ', text(v))));
  }
  return el('div', { class: 'nested' }, ...entries.map(([, v]) => el('code', {}, JSON.stringify(v))));
}

const text = (value: unknown): string => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** Resolves after <paramref name="ms"/>, or at once when <paramref name="signal"/> aborts (another vertex was selected). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
