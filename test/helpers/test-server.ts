// A real nats-server for a test file: free loopback port, temp JetStream dir, stopped afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { startNatsServer, type NatsServerProcess } from "../../src/server/nats-server-process.js";

export interface TestServer extends NatsServerProcess {
  cleanup(): Promise<void>;
}

export async function startTestServer(opts: { jetstream?: boolean; args?: string[] } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "goingnats-test-"));
  const server = await startNatsServer({ storeDir: dir, jetstream: opts.jetstream ?? true, args: opts.args });
  const cleanup = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  after(cleanup);
  return { ...server, cleanup };
}

/** A loopback port where nothing listens (for "unreachable server" tests). */
export async function closedPort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
