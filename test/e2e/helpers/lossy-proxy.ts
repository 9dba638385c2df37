/**
 * An HTTP proxy in front of the fake AWS that can lose a RESPONSE: the request reaches the fake, which carries
 * it out (creates the role, associates the profile …), and then the client's socket is destroyed instead of
 * answering. That is the case the fake's own dropConnectionAfter does not cover (it drops the request before the
 * operation runs), and the one that creates duplicates in a tool that trusts its own memory over AWS: the caller
 * never learns that its call worked.
 *
 *   const proxy = await startLossyProxy(aws.url);
 *   proxy.loseResponseAfter(3);         // answer 3 more calls, then lose the response of the next one (once)
 *   … run the CLI with AWS_ENDPOINT_URL = proxy.url …
 *   await proxy.close();
 *
 * Requests are forwarded byte for byte with their headers (Host included), so SigV4 signatures still verify.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LossyProxy {
  url: string;
  /** Answer `n` more calls, then lose the response of the next one, once. */
  loseResponseAfter(n: number): void;
  /** Whether a response was lost since the last loseResponseAfter. */
  readonly lost: boolean;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Headers without the hop-by-hop ones (not signed by SigV4; each leg sets its own). */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const upstream = new URL(target);
  let seen = 0;
  let loseAt: number | undefined;
  let lost = false;
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const index = seen++;
      const answer = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const forward = httpRequest(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...endToEnd(req.headers), 'content-length': String(body.length) }, agent: false },
          (response) => {
            readAll(response).then((data) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }), reject);
          },
        );
        forward.on('error', reject);
        forward.end(body);
      });
      if (loseAt !== undefined && index >= loseAt) {
        loseAt = undefined;
        lost = true;
        req.socket.destroy();
        return;
      }
      // A HEAD answer keeps its Content-Length (the object's size) without a body.
      const length = req.method === 'HEAD' ? answer.headers['content-length'] : String(answer.body.length);
      res.writeHead(answer.status, { ...endToEnd(answer.headers), ...(length === undefined ? {} : { 'content-length': length }) });
      res.end(answer.body);
    })().catch(() => req.socket.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    loseResponseAfter(n) {
      loseAt = seen + n;
      lost = false;
    },
    get lost() {
      return lost;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
