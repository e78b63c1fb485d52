// A lost connection in the TUI: the server stops while a check waits, so the check ends at once with a
// message that says why; the status line shows the reconnect; keys keep working; a check started while
// the server is away says it needs the connection; and when the server is back, checks run again.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadCurriculum } from "../src/curriculum/load.js";
import { loadProgress } from "../src/progress/store.js";
import { startNatsServer, type NatsServerProcess } from "../src/server/nats-server-process.js";
import { openSession } from "../src/server/session.js";
import { startTestServer } from "./helpers/test-server.js";
import { drive, KEY, mainText, REPO, useTempHome } from "./tui-helpers.js";

const server = await startTestServer();
useTempHome();
const curriculum = await loadCurriculum(REPO, { cache: false });
const session = await openSession({ server: server.url }, { name: "tui test" });
let revived: NatsServerProcess | undefined;
after(async () => {
  await session.close();
  await revived?.stop();
});

describe("TUI with a lost connection", () => {
  test("a check in flight fails clearly, the UI keeps working, and checks run again once the server is back", async () => {
    const app = drive({ curriculum, session });
    try {
      await app.waitFor("JetStream on");
      await app.press(KEY.tab);
      await app.waitFor("Exercise · hello-first-message");
      await app.press("c");
      await app.waitFor("▶ Publish a message to hello.world", 10_000);

      await server.stop();
      await app.waitFor("reconnecting…", 5000);
      const lost = await app.waitFor((f) => mainText(f).includes("The connection to the NATS server was lost while the check ran"), 5000);
      assert.ok(!lost.includes("checking ·"), "the run is over");
      // Not the learner's failure: nothing recorded.
      assert.equal(loadProgress().progress.exercises["hello-first-message"], undefined);

      // Keys still work while the server is away.
      await app.press("?");
      await app.waitFor("Help · all keys");
      await app.press(KEY.escape);
      await app.waitFor((f) => !f.includes("Help · all keys"));
      // c while the server is away: the check waits for it, as the status line says.
      await app.press("c");
      await app.waitFor((f) => mainText(f).includes("checked as soon as it is back"));

      // The server comes back on the same port: the client reconnects by itself, and the waiting check starts.
      revived = await startNatsServer({ storeDir: mkdtempSync(join(tmpdir(), "goingnats-test-")), port: server.port });
      const back = await app.waitFor("JetStream on", 15_000);
      assert.ok(!back.split("\n").slice(-2).join("\n").includes("reconnecting…"), "the status line no longer says reconnecting");
      await app.waitFor("▶ Publish a message to hello.world", 10_000);
      session.nc.publish("hello.world", "back again");
      await app.waitFor(/(All \d+ checks|The check) passed/, 10_000);
    } finally {
      app.unmount();
    }
  });
});
