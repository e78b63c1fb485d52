// `goingnats server start|stop|status` (and the hidden `run`): a local nats-server with JetStream for the
// learner's other terminals. The work is in src/server/background-server.ts; this file only talks.
import { InvalidArgumentError, type Command } from "commander";
import { EXIT } from "../exit-codes.js";

function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError("give a port number from 1 to 65535.");
  return n;
}

export function register(program: Command): void {
  const server = program
    .command("server")
    .description("run a local nats-server (with JetStream) in the background for your other terminals")
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats server start          start it (port 4222 when free, so \`nats\` works with no set-up)
  $ goingnats server status         is it running? URL, pid, uptime, store
  $ goingnats server stop           stop it
Your streams and buckets are kept between runs in goingnats' data folder.`,
    );

  server
    .command("start")
    .description("start a nats-server in the background and print its URL")
    .option("-p, --port <n>", "listen on this port (default: 4222 if free, else any free port)", portNumber)
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats server start
  $ goingnats server start --port 4333
  $ export NATS_URL=nats://127.0.0.1:4222     (paste the line it prints into other terminals)`,
    )
    .action(async (o: { port?: number }) => {
      const { startBackground } = await import("../../server/background-server.js");
      const { already, record } = await startBackground({ port: o.port });
      const { style } = await import("../../render/style.js");
      const version = record.version ? `nats-server ${record.version}` : "nats-server";
      process.stdout.write(
        already
          ? `${style.yellow("Already running:")} ${version} in the background (pid ${record.pid}, up ${uptime(record.startedAt)}).\n`
          : `${style.green("Started")} ${version} in the background with JetStream (pid ${record.pid}).\n`,
      );
      await printUse(record);
    });

  server
    .command("stop")
    .description("stop the background nats-server")
    .addHelpText("after", "\nExamples:\n  $ goingnats server stop")
    .action(async () => {
      const { stopBackground } = await import("../../server/background-server.js");
      const r = await stopBackground();
      if (r.wasRunning) {
        process.stdout.write(`Stopped the background server (pid ${r.record!.pid}, ${r.record!.url})${r.forced ? ": it ignored SIGTERM and was killed" : ""}.\n`);
      } else if (r.stale) {
        process.stdout.write(`No background server was running (removed the record left by pid ${r.record!.pid}).\n`);
      } else {
        process.stdout.write("No background server is running.\n");
      }
    });

  server
    .command("status")
    .description("say whether the background nats-server runs, and where")
    .option("--json", "machine-readable output")
    .addHelpText("after", "\nExamples:\n  $ goingnats server status\n  $ goingnats server status --json")
    .action(async (o: { json?: boolean }) => {
      const { backgroundState, cleanStale, recordFile, exportLine } = await import("../../server/background-server.js");
      const { liveAppServers, describeOwner } = await import("../../server/app-servers.js");
      const st = await backgroundState();
      const stale = cleanStale(st);
      // Not the background server, but what a learner asking "is a server running?" needs to know.
      const apps = liveAppServers();
      if (o.json) {
        const rec = st.state === "stopped" ? undefined : st.record;
        const json = {
          running: st.state === "running",
          state: st.state,
          ...(rec ? { url: rec.url, pid: rec.pid, port: rec.port, startedAt: rec.startedAt, uptimeSeconds: Math.round((Date.now() - Date.parse(rec.startedAt)) / 1000), storeDir: rec.storeDir, logFile: rec.logFile, version: rec.version } : {}),
          ...(st.state === "running" ? { jetstream: st.probe.info?.jetstream === true, serverVersion: st.probe.info?.version } : {}),
          ...(st.state === "stale" || st.state === "unresponsive" ? { why: st.why, cleaned: stale } : {}),
          appServers: apps.map((a) => ({ url: a.url, pid: a.pid, ownerPid: a.ownerPid, command: a.command, startedAt: a.startedAt, storeDir: a.storeDir })),
        };
        process.stdout.write(JSON.stringify(json, null, 2) + "\n");
        return;
      }
      const { style } = await import("../../render/style.js");
      if (st.state === "stopped" && apps.length) {
        const a = apps[0];
        process.stdout.write(
          `${style.dim("No background server.")} But ${describeOwner(a)} (pid ${a.ownerPid}) runs a managed server at ${a.url}, stopped when it ends.\n` +
            `While it runs, other terminals can use it (goingnats commands find it by themselves):\n  ${exportLine(a.url)}\n`,
        );
      } else if (st.state === "stopped") {
        process.stdout.write(`${style.dim("Not running.")} Start it with \`goingnats server start\`.\n`);
      } else if (st.state === "stale") {
        process.stdout.write(`Not running: the record in ${recordFile()} was left by a server that has gone (${st.why}); it has been removed.\nStart a new one with \`goingnats server start\`.\n`);
      } else if (st.state === "unresponsive") {
        process.stdout.write(`${style.red("Not answering:")} pid ${st.record.pid} is alive but ${st.record.url} does not answer (${st.why}).\nSee its log: ${st.record.logFile}; restart with \`goingnats server stop\` then \`goingnats server start\`.\n`);
        process.exitCode = EXIT.server;
      } else {
        const r = st.record;
        const info = st.probe.info ?? {};
        process.stdout.write(
          [
            `${style.green("Running")}     nats-server ${info.version ?? r.version ?? ""} (pid ${r.pid}, up ${uptime(r.startedAt)})`,
            `URL         ${r.url}`,
            `JetStream   ${info.jetstream ? "on" : "off"}`,
            `store       ${r.storeDir}`,
            `log         ${r.logFile}`,
            "",
          ].join("\n"),
        );
        await printUse(r, false);
      }
    });

  // Hidden: a managed server in the foreground until Ctrl-C (handy in a spare terminal, and what the
  // signal-handling tests drive). Not listed, so `server` keeps the three commands the lessons teach.
  server
    .command("run", { hidden: true })
    .description("run a nats-server in the foreground until Ctrl-C")
    .option("-p, --port <n>", "listen on this port (default: 4222 if free, else any free port)", portNumber)
    .action(async (o: { port?: number }) => {
      const { startManagedServer } = await import("../../server/managed-server.js");
      const { exportLine } = await import("../../server/background-server.js");
      const { onSignalExit } = await import("../../process/children.js");
      const m = await startManagedServer({ port: o.port });
      // Ctrl-C: children.ts stops the server and exits; that is the normal way out, not a failure.
      let stopping = false;
      onSignalExit(() => (stopping = true));
      process.stdout.write(`nats-server with JetStream at ${m.url} (pid ${m.pid}, ready in ${m.readyMs} ms, store ${m.storeDir}).\nIn other terminals: ${exportLine(m.url)}\nCtrl-C stops it.\n`);
      // The managed server does not keep Node alive by itself (see startManagedServer): this does.
      const keepAlive = setInterval(() => {}, 1 << 30);
      const code = await m.exited;
      clearInterval(keepAlive);
      if (stopping) return;
      await m.stop();
      process.stderr.write(`goingnats: nats-server exited (code ${code}).\n`);
      process.exitCode = EXIT.server;
    });
}

async function printUse(record: { url: string; port: number; storeDir: string; logFile: string }, withFiles = true): Promise<void> {
  const { exportLine } = await import("../../server/background-server.js");
  const lines = [];
  if (withFiles) lines.push(`  URL    ${record.url}`, `  store  ${record.storeDir}`, `  log    ${record.logFile}`);
  lines.push("Use it from other terminals (your programs, the NATS CLI):", `  ${exportLine(record.url)}`);
  if (record.port === 4222) lines.push("(4222 is the NATS default port: the NATS CLI and goingnats find it with no set-up)");
  if (withFiles) lines.push("Stop it with `goingnats server stop`.");
  process.stdout.write(lines.join("\n") + "\n");
}

function uptime(startedAt: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(startedAt)) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days`;
}
