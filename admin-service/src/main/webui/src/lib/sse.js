// Server-sent events over fetch (EventSource cannot send an Authorization header), parsed by eventsource-parser.
import { createParser } from 'eventsource-parser';

/**
 * Reads an SSE response until it ends or `signal` aborts; calls onEvent({event, data}) per event.
 * Resolves when the stream ends; rejects with {status, body} when the answer is not a stream.
 */
export async function streamSse(url, { method = 'GET', headers = {}, body, signal, onEvent, onOpen }) {
  const response = await fetch(url, {
    method,
    headers: { Accept: 'text/event-stream', ...headers },
    body,
    signal,
  });
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    const error = new Error(`stream answered ${response.status}`);
    error.status = response.status;
    error.body = text;
    throw error;
  }
  onOpen?.(response);
  const parser = createParser({ onEvent: (e) => onEvent({ event: e.event, data: e.data, id: e.id }) });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  } catch (e) {
    // onEvent threw (an error event in the stream): stop reading, which closes the connection.
    reader.cancel().catch(() => {});
    throw e;
  }
}
