// What a person pastes into the request-id search: the id alone, or the header line it came in (x-request-id: …),
// perhaps quoted. The relay answers every call with x-request-id (Anthropic's calls also with request-id).

/** The admin API's own limit on a request id: 1 to 40 visible ASCII characters. */
const REQUEST_ID = /^[\x21-\x7E]{1,40}$/;

/** The request id in `text`, or null when it holds none the request log could have. */
export function requestIdFromInput(text) {
  let s = String(text ?? '').trim();
  s = s.replace(/^(x-)?request-id\s*:\s*/i, '');
  s = s.replace(/^(["'`])(.*)\1$/, '$2').trim();
  return REQUEST_ID.test(s) ? s : null;
}
