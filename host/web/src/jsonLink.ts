import type { Answer } from './api';

/**
 * Points a link at the exact JSON a view was drawn from. A blob: URL of the answer's text, not
 * the API's URL: the API wants identity headers or a token, which a plain link cannot send. The
 * link's title (and data-request) say how to ask for the same JSON with the client or curl.
 */
export function linkJson(link: HTMLAnchorElement, answer: Answer<unknown> | null): void {
  if (link.dataset['blob']) {
    URL.revokeObjectURL(link.dataset['blob']);
  }
  if (answer === null) {
    link.removeAttribute('href');
    delete link.dataset['blob'];
    delete link.dataset['request'];
    link.title = '';
    return;
  }
  const url = URL.createObjectURL(answer.blob);
  link.href = url;
  link.dataset['blob'] = url;
  link.dataset['request'] = answer.request;
  link.title = `The JSON behind this view: ${answer.request}${answer.version === null ? '' : ` (graph version ${answer.version})`}`;
}
