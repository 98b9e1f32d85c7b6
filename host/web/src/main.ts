// The page: search, group-by and the tree on the left, the details panel on the right, the
// state in the URL's fragment (#resource=…&q=…&group=…) so a view can be linked and reloaded.
import './style.css';
import { ApiError, setToken } from './api';
import { DetailsPanel } from './details';
import { byId, el, formatCount } from './dom';
import { buildGraph, isNode, type Graph } from './graph';
import { linkJson } from './jsonLink';
import { liveUpdates } from './live';
import { isNotReady, notReadyText } from './notReady';
import { prepareSearch, search, type SearchResult } from './search';
import { loadTopology } from './topology';
import { buildRows, countStates, pathTo, type GroupKey, type Row } from './tree';
import { TreeView } from './treeView';

const searchBox = byId<HTMLInputElement>('search');
const groupSelect = byId<HTMLSelectElement>('group-by');
const viewJson = byId<HTMLAnchorElement>('view-json');
const status = byId('status');
const notice = byId('notice');
const message = byId('message');

const state = {
  graph: null as Graph | null,
  version: 0,
  instance: null as string | null,
  /** The last read was refused because the graph is not ready yet (503). */
  waiting: false,
  allTenants: true,
  groupBy: ['zone'] as GroupKey[],
  query: '',
  showAll: false,
  found: null as SearchResult | null,
  expanded: new Map<string, boolean>(),
  selected: null as string | null,
  changed: new Set<string>() as ReadonlySet<string>,
};

const tree = new TreeView(byId('tree'), {
  toggle: (row: Row) => {
    state.expanded.set(row.key, !row.expanded);
    render();
  },
  select: (vertex) => select(vertex.id, true),
});
const details = new DetailsPanel(byId('details'), { href: (id) => hashFor(id), allTenants: () => state.allTenants });

function hashFor(selected: string | null): string {
  const params = new URLSearchParams();
  if (selected) params.set('resource', selected);
  if (state.query) params.set('q', state.query);
  params.set('group', state.groupBy.join(','));
  return `#${params.toString()}`;
}

function readHash(): void {
  const params = new URLSearchParams(location.hash.slice(1));
  const group = params.get('group');
  if (group !== null && [...groupSelect.options].some((o) => o.value === group)) {
    groupSelect.value = group;
    state.groupBy = group ? (group.split(',') as GroupKey[]) : [];
  }
  const query = params.get('q') ?? '';
  if (query !== state.query) {
    searchBox.value = state.query = query;
    state.expanded.clear();
  }
  state.selected = params.get('resource');
}

function render(): void {
  const graph = state.graph;
  if (!graph) return;
  state.found = search(graph, state.query, state.showAll);
  tree.show(buildRows(graph, { groupBy: state.groupBy, matched: state.found.matched, expanded: state.expanded }), state.selected, state.changed);
  renderNotice(state.found);
}

function renderNotice(found: SearchResult): void {
  notice.replaceChildren();
  notice.hidden = found.matched === null;
  if (found.matched === null) return;
  if (found.containing === 0) {
    notice.append(`Nothing matches “${state.query}”.`);
  } else if (found.exactOnly) {
    const all = el('button', { type: 'button', class: 'link' }, `show all ${formatCount(found.containing)} containing it`);
    all.addEventListener('click', () => {
      state.showAll = true;
      render();
    });
    notice.append(`${formatCount(found.exact)} exact match${found.exact === 1 ? '' : 'es'} for “${state.query}” · `, all);
  } else {
    notice.append(`${formatCount(found.containing)} match${found.containing === 1 ? '' : 'es'} for “${state.query}”`);
  }
}

function renderSummary(graph: Graph): void {
  const nodes = graph.vertices.filter(isNode);
  const counts = countStates(nodes);
  const chip = (name: 'Ready' | 'NotReady' | 'Unknown'): HTMLElement => {
    const button = el('button', { type: 'button', class: `chip state-${name}`, title: `Show the ${name} nodes`, 'data-state': name },
      el('span', { class: 'dot' }), `${formatCount(counts[name])} ${name}`);
    button.addEventListener('click', () => setQuery(`state=${name}`));
    return button;
  };
  byId('summary').replaceChildren(
    el('span', { id: 'node-count' }, `${formatCount(nodes.length)} nodes`), chip('Ready'), chip('NotReady'), chip('Unknown'));
}

function setQuery(query: string): void {
  searchBox.value = state.query = query;
  state.showAll = false;
  state.expanded.clear();
  history.replaceState(null, '', hashFor(state.selected));
  render();
}

/** Selects a vertex: opens the way to it in the tree, scrolls to it and loads its details. */
function select(vitrageId: string | null, push: boolean): void {
  state.selected = vitrageId;
  if (push) history.pushState(null, '', hashFor(vitrageId));
  const vertex = vitrageId ? state.graph?.byId.get(vitrageId) : undefined;
  const path = vertex && state.graph ? pathTo(state.graph, vertex, state.groupBy) : null;
  path?.slice(0, -1).forEach((key) => state.expanded.set(key, true));
  render();
  if (path && state.query && !tree.has(path[path.length - 1]!)) {
    setQuery(''); // the search hides it (a neighbour's link, the back button): show everything rather than nothing
  }
  if (path) tree.scrollTo(path[path.length - 1]!);
  void details.show(vitrageId, vertex?.category ?? null);
}

let loading: AbortController | null = null;

/** Reads the topology and redraws; keeps the search, the open groups, the selection and the scroll. */
async function refresh(): Promise<void> {
  loading?.abort();
  const current = (loading = new AbortController());
  const started = performance.now();
  try {
    const { answer, allTenants } = await loadTopology(state.allTenants, current.signal);
    const fetched = performance.now();
    const graph = buildGraph(answer.body);
    const previous = state.graph;
    const changed = new Set(previous ? graph.vertices.filter((v) => (previous.byId.get(v.id)?.state ?? v.state) !== v.state).map((v) => v.id) : []);
    state.changed = changed;
    // Marked for as long as the CSS animation lasts; after that a redrawn row must not flash again.
    setTimeout(() => {
      if (state.changed === changed && changed.size > 0) {
        state.changed = new Set();
        render();
      }
    }, 10_000);
    state.graph = graph;
    state.allTenants = allTenants;
    state.version = answer.version ?? state.version;
    state.instance = answer.instance ?? state.instance;
    linkJson(viewJson, answer);
    renderSummary(graph);
    render();
    prepareSearch(graph);
    state.waiting = false;
    showMessage(null);
    byId('auth').hidden = true;
    const drawn = performance.now();
    // How long a load took, for whoever measures the view (bench/README.md) and for the curious.
    document.body.dataset['loadMs'] = String(Math.round(drawn - started));
    status.dataset['version'] = String(state.version);
    status.dataset['instance'] = state.instance ?? '';
    status.className = 'live';
    status.textContent = `version ${state.version} · ${new Date().toLocaleTimeString('en-GB')}`;
    status.title = `${formatCount(graph.vertices.length)} vertices: read in ${Math.round(fetched - started)} ms, drawn in ${Math.round(drawn - fetched)} ms`;
    if (state.selected && previous === null) {
      select(state.selected, false); // a link to a vertex: open the way to it
    } else if (state.selected) {
      void details.show(state.selected, graph.byId.get(state.selected)?.category ?? null); // in place: no scrolling
    }
  } catch (error) {
    if (!current.signal.aborted) failed(error);
  }
}

function failed(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) {
    byId('auth').hidden = false;
    byId('auth-reason').textContent = error.message;
    return;
  }
  if (isNotReady(error)) {
    // Not ready (a datasource has not completed a snapshot) or Keystone unreachable: the host is up
    // and says why; an empty tree would read as an empty cloud, a red error as a broken host.
    state.waiting = true;
    status.className = 'waiting';
    status.textContent = 'not ready yet';
    status.title = error.message;
    showMessage(notReadyText(error), 'waiting');
    return;
  }
  showMessage(`Could not read the graph: ${error instanceof Error ? error.message : String(error)}`);
}

function showMessage(text: string | null, kind: 'error' | 'waiting' = 'error'): void {
  message.hidden = text === null;
  message.textContent = text ?? '';
  message.className = text !== null && kind === 'waiting' ? 'waiting' : '';
}

searchBox.addEventListener('input', debounce(() => setQuery(searchBox.value), 120));
searchBox.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    setQuery(searchBox.value);
    const first = state.found?.matched ? [...state.found.matched].find(isNode) ?? [...state.found.matched][0] : undefined;
    if (first) select(first.id, true);
  }
});
groupSelect.addEventListener('change', () => {
  state.groupBy = groupSelect.value ? (groupSelect.value.split(',') as GroupKey[]) : [];
  history.replaceState(null, '', hashFor(state.selected));
  select(state.selected, false); // the selected node's row moved: open its new groups
});
window.addEventListener('hashchange', () => {
  readHash();
  select(state.selected, false);
});
document.addEventListener('keydown', (event) => {
  if (event.key === '/' && document.activeElement !== searchBox) {
    event.preventDefault();
    searchBox.focus();
  }
});
byId<HTMLFormElement>('auth').addEventListener('submit', (event) => {
  event.preventDefault();
  setToken(byId<HTMLInputElement>('token').value.trim() || null);
  void refresh();
});

function debounce(action: () => void, ms: number): () => void {
  let timer = 0;
  return () => {
    clearTimeout(timer);
    timer = window.setTimeout(action, ms);
  };
}

readHash();
void refresh().then(() => {
  const live = byId<HTMLInputElement>('live');
  liveUpdates({ version: () => state.version, instance: () => state.instance, waiting: () => state.waiting, enabled: () => live.checked, refresh, unauthorized: failed, status });
});
