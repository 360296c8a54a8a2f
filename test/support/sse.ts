import * as http from 'http';

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** A server-sent-events client for tests: collects every event of one stream until closed. */
export class SseClient {
  readonly events: SseEvent[] = [];
  status?: number;
  private req?: http.ClientRequest;

  static open(url: string, key: string): Promise<SseClient> {
    const c = new SseClient();
    return new Promise((resolve, reject) => {
      // Own socket, no idle timeout: Node's global agent would cut a stream that is quiet for 5 s.
      c.req = http.get(url, { agent: false, timeout: 0, headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } }, (res) => {
        c.status = res.statusCode;
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event && data) c.events.push({ event, data: JSON.parse(data) });
          }
        });
        resolve(c);
      });
      c.req.on('error', reject);
    });
  }

  close(): void {
    this.req?.destroy();
  }
}
