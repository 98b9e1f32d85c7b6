// Live refresh: a long poll for the next graph version; a new one redraws the view.
import { ApiError } from './api';
import { notReadySeconds } from './notReady';
import { waitForVersion } from './topology';

export interface LiveOptions {
  version(): number;
  /** The host process the shown graph came from (null before the first graph). */
  instance(): string | null;
  enabled(): boolean;
  refresh(): Promise<void>;
  /**
   * The host answered that its graph is not ready yet (503: a datasource has not completed a
   * snapshot). No new version need come when it becomes ready (a first snapshot that changes
   * nothing publishes none), so the view reads again on a timer until it is.
   */
  waiting(): boolean;
  /** The host refused the token (auth_mode = keystone: it expired or was revoked): ask for another. */
  unauthorized(error: ApiError): void;
  status: HTMLElement;
}

/** Seconds a poll waits in the host: under the API's maximum of 60 and under proxies' idle timeouts. */
const waitSeconds = 25;


/** Polls forever; an error (host restarting, network) is retried with a backoff of up to 30 s. */
export function liveUpdates(options: LiveOptions): void {
  let failures = 0;
  const loop = async (): Promise<void> => {
    for (;;) {
      // Also with live unticked: there is no graph to freeze yet, only a notice saying so.
      if (options.waiting()) {
        await sleep(notReadySeconds * 1000);
        await options.refresh();
        continue;
      }
      if (!options.enabled()) {
        options.status.classList.add('paused');
        await sleep(1000);
        continue;
      }
      options.status.classList.remove('paused');
      try {
        const current = await waitForVersion(options.version(), options.instance(), waitSeconds, AbortSignal.timeout((waitSeconds + 15) * 1000));
        if (failures > 0) {
          failures = 0;
          options.status.classList.remove('offline');
        }
        // Another instance is a restarted host: its graph is another, whatever its number.
        if ((current.version !== options.version() || current.instance !== options.instance()) && options.enabled()) {
          await options.refresh();
        }
      } catch (error) {
        failures++;
        options.status.classList.add('offline');
        // A refused token is no outage: saying "does not answer" and retrying it for ever left the
        // last graph on screen, frozen, with nothing asking for the new token that would fix it.
        if (error instanceof ApiError && error.status === 401) {
          options.status.title = `The host refuses the token: ${error.message}`;
          options.unauthorized(error);
        } else {
          options.status.title = `The host does not answer; trying again (attempt ${failures}).`;
        }
        await sleep(Math.min(30, 2 ** failures) * 1000);
      }
    }
  };
  void loop();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
