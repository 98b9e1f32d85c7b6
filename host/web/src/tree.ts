// The cluster → group → node → VM structure as a flat list of rows (the visible ones only), so
// that a virtualized list can show 5,000 nodes: grouped by zone, role or state instead of drawn
// as a force graph.
import { byName, compareText, isCluster, isNode, type Graph, type Vertex } from './graph';

export type GroupKey = 'zone' | 'role' | 'state';

export interface StateCounts {
  Ready: number;
  NotReady: number;
  Unknown: number;
  other: number;
}

interface RowBase {
  /** The path of the row in the tree: the key of its expanded state and of a reveal. */
  readonly key: string;
  readonly depth: number;
  readonly expandable: boolean;
  readonly expanded: boolean;
}

export interface VertexRow extends RowBase {
  readonly kind: 'vertex';
  readonly vertex: Vertex;
  /** How it relates to the row above it, e.g. "contains worker-3"; null at the top of a group. */
  readonly relation: string | null;
}

export interface GroupRow extends RowBase {
  readonly kind: 'group';
  readonly label: string;
  readonly value: string;
  readonly counts: StateCounts;
}

export type Row = VertexRow | GroupRow;

export interface TreeOptions {
  readonly groupBy: readonly GroupKey[];
  /** The search's vertices, or null to show everything. */
  readonly matched: ReadonlySet<Vertex> | null;
  /** What the person opened or closed; everything else follows defaultExpanded. */
  readonly expanded: ReadonlyMap<string, boolean>;
}

/** Up to this many nodes, a cluster's groups start open; above, a person sees the groups' summaries first. */
export const openGroupsUpTo = 200;

const otherKey = 'other';
const none = '(none)';

export function groupValue(node: Vertex, key: GroupKey): string {
  const p = node.properties;
  switch (key) {
    case 'zone':
      return typeof p['zone'] === 'string' ? p['zone'] : none;
    case 'role':
      return Array.isArray(p['roles']) && p['roles'].length > 0 ? [...p['roles']].map(String).sort().join('+') : none;
    case 'state':
      return node.state ?? none;
  }
}

export function countStates(vertices: Iterable<Vertex>): StateCounts {
  const counts: StateCounts = { Ready: 0, NotReady: 0, Unknown: 0, other: 0 };
  for (const vertex of vertices) {
    const state = vertex.state;
    if (state === 'Ready' || state === 'NotReady' || state === 'Unknown') {
      counts[state]++;
    } else {
      counts.other++;
    }
  }
  return counts;
}

/** The nodes of a cluster: the targets of its edges that are Kubernetes nodes. */
export const clusterNodes = (cluster: Vertex): Vertex[] => cluster.edges.filter((e) => e.outgoing && isNode(e.other)).map((e) => e.other);

// NotReady and Unknown first: a person opens a group to see what is wrong in it.
const stateRank = (vertex: Vertex): number => (vertex.state === 'NotReady' ? 0 : vertex.state === 'Unknown' ? 1 : 2);

// Every vertex's place in name order, sorted once per graph: redrawing 5,000 nodes after each
// keystroke then compares numbers, not names with a collator.
const nameOrders = new WeakMap<Graph, Map<Vertex, number>>();

function nodeOrder(graph: Graph): (a: Vertex, b: Vertex) => number {
  let order = nameOrders.get(graph);
  if (order === undefined) {
    order = new Map([...graph.vertices].sort(byName).map((v, i) => [v, i]));
    nameOrders.set(graph, order);
  }
  const rank = order;
  return (a, b) => stateRank(a) - stateRank(b) || rank.get(a)! - rank.get(b)!;
}

/**
 * Vertices that no cluster row leads to (those of static datasources, alarms on nothing shown,
 * a second graph's parts): listed under "other", grouped by type, so nothing is invisible.
 */
export function unreached(graph: Graph): Vertex[] {
  const reached = new Set<Vertex>();
  for (const cluster of graph.clusters) {
    reached.add(cluster);
    for (const node of clusterNodes(cluster)) {
      reached.add(node);
      node.edges.forEach((e) => reached.add(e.other));
    }
  }
  return graph.vertices.filter((v) => !reached.has(v));
}

export function buildRows(graph: Graph, options: TreeOptions): Row[] {
  const rows: Row[] = [];
  const searching = options.matched !== null;
  const open = (key: string, byDefault: boolean): boolean => options.expanded.get(key) ?? byDefault;
  // A node is shown when it, or something directly under it (its VM), matched.
  const shown = (node: Vertex): boolean =>
    !searching || options.matched!.has(node) || node.edges.some((e) => !isCluster(e.other) && options.matched!.has(e.other));

  const vertexRows = (vertex: Vertex, key: string, depth: number, relation: string | null, path: ReadonlySet<Vertex>): void => {
    const children = childrenOf(vertex, path);
    const revealsMatch = searching && children.some((c) => options.matched!.has(c.vertex));
    const expanded = children.length > 0 && open(key, revealsMatch);
    rows.push({ kind: 'vertex', key, depth, vertex, relation, expandable: children.length > 0, expanded });
    if (expanded) {
      const inner = new Set(path).add(vertex);
      for (const child of children) {
        vertexRows(child.vertex, `${key}/${child.vertex.id}`, depth + 1, child.relation, inner);
      }
    }
  };

  const groupRows = (nodes: Vertex[], keys: readonly GroupKey[], key: string, depth: number, openByDefault: boolean, path: ReadonlySet<Vertex>): void => {
    const [groupBy, ...rest] = keys;
    if (groupBy === undefined) {
      for (const node of [...nodes].sort(nodeOrder(graph))) {
        vertexRows(node, `${key}/${node.id}`, depth, null, path);
      }
      return;
    }
    const groups = new Map<string, Vertex[]>();
    for (const node of nodes) {
      const value = groupValue(node, groupBy);
      (groups.get(value) ?? groups.set(value, []).get(value)!).push(node);
    }
    for (const value of [...groups.keys()].sort((a, b) => Number(a === none) - Number(b === none) || compareText(a, b))) {
      const members = groups.get(value)!;
      const groupKey = `${key}/${groupBy}=${value}`;
      const expanded = open(groupKey, openByDefault);
      rows.push({ kind: 'group', key: groupKey, depth, label: groupBy, value, counts: countStates(members), expandable: true, expanded });
      if (expanded) {
        groupRows(members, rest, groupKey, depth + 1, openByDefault, path);
      }
    }
  };

  for (const cluster of graph.clusters) {
    const nodes = clusterNodes(cluster);
    const visible = nodes.filter(shown);
    if (searching && visible.length === 0 && !options.matched!.has(cluster)) {
      continue;
    }
    const key = cluster.id;
    const expanded = open(key, true);
    rows.push({ kind: 'vertex', key, depth: 0, vertex: cluster, relation: null, expandable: nodes.length > 0, expanded });
    if (expanded) {
      groupRows(visible, options.groupBy, key, 1, searching || nodes.length <= openGroupsUpTo, new Set([cluster]));
    }
  }

  const others = unreached(graph).filter((v) => !searching || options.matched!.has(v));
  if (others.length > 0) {
    const expanded = open(otherKey, true);
    rows.push({ kind: 'group', key: otherKey, depth: 0, label: 'other resources', value: '', counts: countStates(others), expandable: true, expanded });
    if (expanded) {
      const byType = new Map<string, Vertex[]>();
      others.forEach((v) => (byType.get(v.type) ?? byType.set(v.type, []).get(v.type)!).push(v));
      for (const type of [...byType.keys()].sort(compareText)) {
        const members = byType.get(type)!.sort(byName);
        const typeKey = `${otherKey}/type=${type}`;
        const typeExpanded = open(typeKey, searching || members.length <= openGroupsUpTo);
        rows.push({ kind: 'group', key: typeKey, depth: 1, label: 'type', value: type, counts: countStates(members), expandable: true, expanded: typeExpanded });
        if (typeExpanded) {
          members.forEach((v) => vertexRows(v, `${typeKey}/${v.id}`, 2, null, new Set()));
        }
      }
    }
  }
  return rows;
}

/**
 * What a vertex row opens to: its neighbours, except clusters (every node is in one) and the
 * vertices on the way to it (no cycles), each with how it relates to the vertex.
 */
export function childrenOf(vertex: Vertex, path: ReadonlySet<Vertex>): { vertex: Vertex; relation: string }[] {
  if (isCluster(vertex)) {
    return [];
  }
  const seen = new Set<Vertex>();
  return vertex.edges
    .filter((e) => !isCluster(e.other) && !path.has(e.other) && e.other !== vertex && !seen.has(e.other) && seen.add(e.other))
    .map((e) => ({ vertex: e.other, relation: e.outgoing ? `${vertex.name} ${e.relationship} it` : `${e.relationship} ${vertex.name}` }))
    .sort((a, b) => compareText(a.vertex.type, b.vertex.type) || byName(a.vertex, b.vertex));
}

/**
 * The keys of the rows from the top down to the vertex's row (every one to open, the last one
 * the vertex's own), or null when the tree does not show it: for a node, its cluster and
 * groups; for a vertex beside a node (its VM), that node first; else the "other" list.
 */
export function pathTo(graph: Graph, vertex: Vertex, groupBy: readonly GroupKey[]): string[] | null {
  if (isCluster(vertex)) {
    return [vertex.id];
  }
  const nodePath = (node: Vertex): string[] | null => {
    const cluster = node.edges.find((e) => !e.outgoing && isCluster(e.other))?.other;
    if (!cluster) {
      return null;
    }
    const keys = [cluster.id];
    for (const key of groupBy) {
      keys.push(`${keys[keys.length - 1]}/${key}=${groupValue(node, key)}`);
    }
    keys.push(`${keys[keys.length - 1]}/${node.id}`);
    return keys;
  };
  if (isNode(vertex)) {
    return nodePath(vertex);
  }
  for (const edge of vertex.edges) {
    const path = isNode(edge.other) ? nodePath(edge.other) : null;
    if (path) {
      return [...path, `${path[path.length - 1]}/${vertex.id}`];
    }
  }
  if (unreached(graph).includes(vertex)) {
    const typeKey = `${otherKey}/type=${vertex.type}`;
    return [otherKey, typeKey, `${typeKey}/${vertex.id}`];
  }
  return null;
}
