import type { Graph, Properties, Vertex } from './graph';

export interface SearchResult {
  /** The vertices the search found; null when there is no search. */
  readonly matched: ReadonlySet<Vertex> | null;
  /** How many vertices have a value equal to the whole search text. */
  readonly exact: number;
  /** How many contain every word of it. */
  readonly containing: number;
  /** Whether only the exact matches are shown (there are some, and the person did not ask for all). */
  readonly exactOnly: boolean;
}

const none: SearchResult = { matched: null, exact: 0, containing: 0, exactOnly: false };

/**
 * Every vertex with a value containing each word of the text (case-insensitive). When some
 * vertex has a value equal to the whole text, only those are shown unless `showAll`: an IP such
 * as 10.0.0.1 is also part of 10.0.0.10 to 10.0.0.199, and the person meant the one node.
 */
export function search(graph: Graph, text: string, showAll: boolean): SearchResult {
  const query = text.trim().toLowerCase();
  if (query.length === 0) {
    return none;
  }
  const words = query.split(/\s+/);
  const exact = new Set<Vertex>();
  const containing = new Set<Vertex>();
  for (const vertex of graph.vertices) {
    const fields = fieldsOf(vertex);
    if (words.every((word) => fields.some((field) => field.includes(word)))) {
      containing.add(vertex);
      if (fields.includes(query)) {
        exact.add(vertex);
      }
    }
  }
  const exactOnly = exact.size > 0 && exact.size < containing.size && !showAll;
  return { matched: exactOnly ? exact : containing, exact: exact.size, containing: containing.size, exactOnly };
}

// Computed on first use, not when the graph loads: at 5,000 nodes that halves the time to the
// first picture. prepareSearch computes them in idle time so the first search does not wait.
const cache = new WeakMap<Vertex, string[]>();

function fieldsOf(vertex: Vertex): string[] {
  let fields = cache.get(vertex);
  if (fields === undefined) {
    fields = searchFields(vertex.properties);
    cache.set(vertex, fields);
  }
  return fields;
}

/** Computes the search fields of a graph in the browser's idle time, a slice at a time. */
export function prepareSearch(graph: Graph): void {
  let next = 0;
  const slice = (deadline: IdleDeadline): void => {
    while (next < graph.vertices.length && deadline.timeRemaining() > 1) {
      fieldsOf(graph.vertices[next++]!);
    }
    if (next < graph.vertices.length) {
      requestIdleCallback(slice);
    }
  };
  requestIdleCallback(slice);
}

// The values a search finds a vertex by: names and ids, addresses, cloud ids, place, and labels
// as key=value. Deliberately not every property: "ready" must not match every condition message.
function searchFields(p: Properties): string[] {
  const fields: string[] = [];
  const add = (value: unknown, prefix = ''): void => {
    if (typeof value === 'string' && value.length > 0) {
      fields.push((prefix + value).toLowerCase());
    }
  };
  for (const key of ['name', 'id', 'vitrage_id', 'ip', 'internal_ip', 'external_ip', 'hostname', 'provider_id', 'instance_id', 'zone', 'region']) {
    add(p[key]);
  }
  add(p['state'], 'state=');
  add(p['zone'], 'zone=');
  add(p['vitrage_type'], 'type=');
  if (Array.isArray(p['roles'])) {
    for (const role of p['roles']) {
      add(role);
      add(role, 'role=');
    }
  }
  if (Array.isArray(p['addresses'])) {
    for (const address of p['addresses'] as { address?: unknown }[]) {
      add(address?.address);
    }
  }
  const labels = p['labels'];
  if (labels && typeof labels === 'object') {
    for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
      add(key);
      add(`${key}=${String(value ?? '')}`);
    }
  }
  return fields;
}
