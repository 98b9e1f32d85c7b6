// The graph as the topology API sends it (Vitrage's node-link form), indexed for the view.

export type Properties = Record<string, unknown>;

export interface NodeLink {
  nodes: Properties[];
  links: { source: number; target: number; relationship_type?: string }[];
}

export interface Edge {
  readonly other: Vertex;
  readonly relationship: string;
  /** Whether the edge goes from this vertex to the other one. */
  readonly outgoing: boolean;
}

export interface Vertex {
  readonly id: string; // vitrage_id
  readonly type: string;
  readonly category: string;
  readonly name: string;
  readonly state: string | null;
  readonly placeholder: boolean;
  readonly properties: Properties;
  readonly edges: Edge[];
}

export interface Graph {
  readonly vertices: Vertex[];
  readonly byId: ReadonlyMap<string, Vertex>;
  readonly clusters: Vertex[];
}

export const nodeType = 'kubernetes.node';
const clusterTypes = new Set(['kubernetes', 'openstack.cluster']);

export const isCluster = (vertex: Vertex): boolean => clusterTypes.has(vertex.type) && !vertex.placeholder;
export const isNode = (vertex: Vertex): boolean => vertex.type === nodeType;

// A Map, not an object literal: a type is a datasource's text, and a type named `constructor`,
// `toString` or `__proto__` found Object.prototype's member in an object (drawn as
// "function Object() { [native code] }" or "[object Object]" instead of the type's name).
const shortTypes: ReadonlyMap<string, string> = new Map([
  ['kubernetes', 'cluster'],
  ['openstack.cluster', 'cluster'],
  ['kubernetes.node', 'node'],
  ['nova.instance', 'VM'],
  ['nova.host', 'host'],
  ['nova.zone', 'zone'],
]);

/** What a person calls the type: VM for nova.instance. */
export const shortType = (type: string): string => shortTypes.get(type) ?? type;

export function buildGraph(topology: NodeLink): Graph {
  const vertices = topology.nodes.map(toVertex);
  for (const link of topology.links) {
    const source = vertices[link.source];
    const target = vertices[link.target];
    if (source && target) {
      const relationship = link.relationship_type ?? '';
      source.edges.push({ other: target, relationship, outgoing: true });
      target.edges.push({ other: source, relationship, outgoing: false });
    }
  }
  return {
    vertices,
    byId: new Map(vertices.map((v) => [v.id, v])),
    clusters: vertices.filter(isCluster).sort(byName),
  };
}

function toVertex(properties: Properties): Vertex {
  const text = (key: string): string | null => {
    const value = properties[key];
    return typeof value === 'string' && value.length > 0 ? value : null;
  };
  return {
    id: text('vitrage_id') ?? '',
    type: text('vitrage_type') ?? '',
    category: text('vitrage_category') ?? '',
    name: text('name') ?? text('id') ?? text('vitrage_id') ?? '',
    state: text('state'),
    placeholder: properties['vitrage_is_placeholder'] === true,
    properties,
    edges: [],
  };
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Natural order: worker-2 before worker-10. */
export const compareText = (a: string, b: string): number => collator.compare(a, b);

export const byName = (a: Vertex, b: Vertex): number => compareText(a.name, b.name) || compareText(a.id, b.id);
