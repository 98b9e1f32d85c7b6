// The host's graph is not ready yet (503: a datasource has not completed a snapshot, or Keystone
// cannot be asked): the host is up and says why. A notice, not an error, and it goes away by
// itself, so every part of the page says it in the same words and reads again on the same timer.
import { ApiError } from './api';

/** Seconds between two reads while the graph is not ready. */
export const notReadySeconds = 3;

export function isNotReady(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 503;
}

export function notReadyText(error: ApiError): string {
  return `Not ready yet: ${error.message}. Trying again every few seconds.`;
}
