import assert from "node:assert/strict";
import { test } from "node:test";
import { connect } from "@nats-io/transport-node";
import { startTestServer } from "./helpers/test-server.js";

test("a test server starts on a free loopback port with JetStream and stops", async () => {
  const server = await startTestServer();
  const nc = await connect({ servers: server.url });
  assert.equal(nc.info?.jetstream, true);
  await nc.close();
  await server.cleanup();
  await server.exited; // (2.9 exits with code 1 on SIGTERM; what matters is that it is gone
});
