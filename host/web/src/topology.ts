// What the tree is drawn from: the whole topology, once per graph version.
import { ApiError, call, type Answer } from './api';
import type { NodeLink } from './graph';

/**
 * Vitrage's topology with placeholders: its default view hides them, and here they are the
 * Nova VMs under the nodes. Deleted vertices stay hidden.
 */
export const liveQuery = JSON.stringify({ '==': { vitrage_is_deleted: false } });

export const liveView = (allTenants: boolean): { all_tenants: boolean; query: string } => ({ all_tenants: allTenants, query: liveQuery });

/**
 * Reads the topology for everyone (all_tenants, as an admin); a token without the admin role
 * gets 403 there, and then its own project's view.
 */
export async function loadTopology(allTenants: boolean, signal: AbortSignal): Promise<{ answer: Answer<NodeLink>; allTenants: boolean }> {
  try {
    return { answer: await call<NodeLink>('POST', 'v1/topology/', liveView(allTenants), { signal }), allTenants };
  } catch (error) {
    if (allTenants && error instanceof ApiError && error.status === 403) {
      return loadTopology(false, signal);
    }
    throw error;
  }
}

export interface Version {
  readonly version: number;
  /** The host process that published it. */
  readonly instance: string;
}

/**
 * Waits (at most `waitSeconds`) for a graph version newer than `than`; answers the current one either
 * way. With the `instance` the page's graph came from, a restarted host (another instance, whose
 * numbers started again, maybe at `than` itself) answers at once.
 */
export async function waitForVersion(than: number, instance: string | null, waitSeconds: number, signal: AbortSignal): Promise<Version> {
  const params = new URLSearchParams({ newer_than: String(than), wait: String(waitSeconds) });
  if (instance) params.set('instance', instance);
  const answer = await call<Version>('GET', `v1/topology/version/?${params.toString()}`, undefined,
    { signal, timeoutMs: (waitSeconds + 15) * 1000 });
  return answer.body;
}
