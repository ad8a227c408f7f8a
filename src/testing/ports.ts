// Ports for tests that start servers of their own or need an address that fails: no heavy imports, so that
// scripts and child-process tests may use it without loading a browser or the harness.
import { createServer, type Server, type Socket } from 'node:net';

/** A port free on 127.0.0.1 at the time of asking (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A port nothing listens on: connecting is refused at once. */
export const closedPort = freePort;

/** A port that accepts connections and never answers (a server that hangs, e.g. while starting). */
export async function silentPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => void sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
