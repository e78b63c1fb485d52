import type { Check, CheckContext } from "../../src/check/types.js";
import type { StreamInfo } from "@nats-io/jetstream";

const STREAM = "SENSORS";
const MEASUREMENTS = ["temp", "humidity", "co2"];
// A site that joined "this week": nobody can list it in advance.
const NEW_SITE = `${["tromso", "vardo", "rjukan", "florø"][Math.floor(Math.random() * 4)].replace("ø", "o")}${Math.random().toString(36).slice(2, 5)}`;

export const checks: Check[] = [
  {
    name: "you create the stream SENSORS",
    idea: "A stream is created once, by name, and then captures its subjects on the server",
    async run(ctx) {
      const name = ctx.name(STREAM);
      await deleteStream(ctx, name); // a clean slate: the stream you create now is the one judged
      const keep = keepUnlessFailed(ctx, name);
      ctx.waiting(`Create the stream ${name} now, e.g. with nats stream add ${name} ... (see the prompt)`);
      ctx.progress(`waiting for a stream named ${name}`);
      const si = await ctx.poll(Math.max(0, ctx.remainingMs() - 1500), () => streamInfo(ctx, name));
      if (!si) return ctx.fail(await noStream(ctx, name));
      keep();
      return `${name}: subjects ${(si.config.subjects ?? []).map((s) => ctx.unprefix(s)).join(", ")}; ${si.config.storage} storage, ${si.config.retention} retention`;
    },
  },
  {
    name: "it captures temp, humidity and co2 of every site, and no heartbeat",
    idea: "A stream's subjects may hold wildcards: one filter covers sites you cannot list in advance",
    async run(ctx) {
      const name = ctx.name(STREAM);
      const keep = keepUnlessFailed(ctx, name);
      const si = await mustExist(ctx, name);
      const patterns = si.config.subjects ?? [];
      const captures = (s: string) => patterns.some((p) => ctx.matches(p, ctx.subject(s)));
      const must = [...MEASUREMENTS.map((m) => `sensors.hamar.${m}`), ...MEASUREMENTS.map((m) => `sensors.${NEW_SITE}.${m}`)];
      const mustNot = [`sensors.hamar.status`, `sensors.${NEW_SITE}.status`];
      const missed = must.filter((s) => !captures(s));
      const extra = mustNot.filter((s) => captures(s));
      const shown = patterns.map((p) => ctx.unprefix(p)).join(", ") || "(none)";
      if (!missed.length && !extra.length) {
        keep();
        return `subjects ${shown}: all three readings of ${NEW_SITE} (joined just now), no heartbeats`;
      }
      const table = [
        ...must.map((s) => `  ${missed.includes(s) ? "✘ misses  " : "✔ captures"} ${s}`),
        ...mustNot.map((s) => `  ${extra.includes(s) ? "✘ captures" : "✔ ignores "} ${s}`),
      ].join("\n");
      const seen = `${name} has the subjects ${shown}:\n${table}`;
      if (ctx.ns && missed.length && patterns.some((p) => must.some((s) => ctx.matches(p, s)))) {
        return ctx.fail({
          expected: `subjects in your namespace, such as ${ctx.subject("sensors.*.temp")}`,
          seen: `${seen}\n(your subjects lack your namespace "${ctx.ns}", so the readings published in it pass the stream by)`,
          idea: "On a shared server each learner's subjects start with their namespace",
          hint: `Put ${ctx.ns} in front of every subject: ${ctx.subject("sensors.*.temp")}, ...`,
        });
      }
      if (missed.length) {
        const newOnly = missed.every((s) => s.includes(NEW_SITE));
        return ctx.fail({
          expected: "the temp, humidity and co2 readings of every site, whatever its name",
          seen: `${seen}${newOnly ? `\n${NEW_SITE} joined just now: its readings are not stored, because your subjects name the sites one by one` : ""}`,
          idea: "A stream's subjects may hold wildcards: one filter covers sites you cannot list in advance",
          hint: `Use a wildcard where the site goes: ${MEASUREMENTS.map((m) => ctx.subject(`sensors.*.${m}`)).join(", ")}. Then run the check again and create the stream anew (the check deletes the old one when it starts).`,
        });
      }
      return ctx.fail({
        expected: "the readings only: temp, humidity and co2, no status heartbeats",
        seen: `${seen}\nevery heartbeat would be stored: thousands of messages a day that nobody reads`,
        idea: "A stream stores everything its subjects match; `>` (or sensors.*.*) takes the heartbeats too",
        hint: `Name the three measurements, with a wildcard only for the site: ${MEASUREMENTS.map((m) => ctx.subject(`sensors.*.${m}`)).join(", ")}`,
      });
    },
  },
  {
    name: "it keeps the readings on disk, with limits retention",
    idea: "Storage (file or memory) and retention are chosen when the stream is created",
    async run(ctx) {
      const name = ctx.name(STREAM);
      const keep = keepUnlessFailed(ctx, name);
      const { config } = await mustExist(ctx, name);
      if (config.storage !== "file") {
        return ctx.fail({
          expected: `${name} with file storage`,
          seen: `${name} uses ${config.storage} storage: the readings live in the server's memory only, and a restart of the server empties the stream`,
          idea: "File storage survives a server restart; memory storage does not",
          hint: `The storage of an existing stream cannot be changed (error 10052). Create ${name} again with --storage file (in TypeScript storage: "file", the default); the check deletes the old one when it starts.`,
        });
      }
      if (config.retention !== "limits") {
        const what =
          config.retention === "interest"
            ? "interest retention: a reading that no consumer is interested in at that moment is dropped at once, and the rest as soon as every consumer has acknowledged it"
            : "work-queue retention: a reading disappears as soon as one reader acknowledges it, so the next chart finds nothing";
        return ctx.fail({
          expected: `${name} with limits retention (the default): readings stay until a limit (age, count, bytes) removes them`,
          seen: `${name} has ${what}`,
          idea: "The retention policy decides when a stored message is removed",
          hint: `Leave the retention at its default, limits (--retention limits, retention: "limits").`,
        });
      }
      keep();
      return `${config.storage} storage, ${config.retention} retention`;
    },
  },
  {
    name: "readings published with an acknowledgement are stored under their own subjects",
    idea: "A JetStream publish is acknowledged by the stream; stream info counts the messages per subject",
    async run(ctx) {
      const name = ctx.name(STREAM);
      ctx.defer(() => deleteStream(ctx, name)); // the last check: leave nothing behind
      await mustExist(ctx, name);
      const js = ctx.js();
      const plan: Array<[string, number]> = [
        [`sensors.${NEW_SITE}.temp`, 3],
        [`sensors.${NEW_SITE}.humidity`, 2],
        [`sensors.${NEW_SITE}.co2`, 1],
        ["sensors.hamar.temp", 1],
      ];
      for (const [subject, n] of plan) {
        for (let i = 0; i < n; i++) {
          const value = subject.endsWith("co2") ? 400 + i : subject.endsWith("humidity") ? 40 + i : 20 + i / 2;
          const ack = await js.publish(ctx.subject(subject), String(value)).catch((err: Error) => err);
          if (ack instanceof Error || ack.stream !== name) {
            return ctx.fail({
              expected: `${name} acknowledges a reading on ${subject}`,
              seen: ack instanceof Error ? `the publish failed: ${ack.message}` : `stream ${ack.stream} acknowledged it`,
              idea: "A JetStream publish is answered by the stream that captures the subject",
              hint: "Check the subjects of your stream with nats stream info.",
            });
          }
        }
      }
      // Heartbeats are plain publishes: nobody waits for an acknowledgement.
      ctx.publish(ctx.subject(`sensors.${NEW_SITE}.status`), "ok");
      ctx.publish(ctx.subject("sensors.hamar.status"), "ok");
      await ctx.flush();
      const si = await streamInfo(ctx, name, ctx.subject("sensors.>"));
      const counts = si?.state.subjects ?? {};
      const want = Object.fromEntries(plan.map(([s, n]) => [ctx.subject(s), n]));
      const show = (c: Record<string, number>) =>
        Object.entries(c)
          .map(([s, n]) => `${ctx.unprefix(s)}: ${n}`)
          .join(", ") || "nothing";
      const same = Object.keys(counts).length === Object.keys(want).length && Object.entries(want).every(([s, n]) => counts[s] === n);
      if (!same) {
        return ctx.fail({
          expected: `per-subject counts ${show(want)} after I published those readings`,
          seen: `${name} holds ${show(counts)}${si ? ` (${si.state.messages} messages)` : ""}`,
          idea: "A stream keeps every message its subjects capture, until a limit removes it",
          hint: "Create the stream with no limits (max messages, bytes, age or messages per subject): the defaults keep everything.",
        });
      }
      return `stored ${show(counts)}; the heartbeats were not stored`;
    },
  },
];

/** Deletes the stream at the end of the check unless the check passed (then the next check needs it). */
function keepUnlessFailed(ctx: CheckContext, name: string): () => void {
  let keep = false;
  ctx.defer(async () => {
    if (!keep) await deleteStream(ctx, name);
  });
  return () => {
    keep = true;
  };
}

async function deleteStream(ctx: CheckContext, name: string): Promise<void> {
  const jsm = await ctx.jsm();
  await jsm.streams.delete(name).catch(() => false);
}

async function streamInfo(ctx: CheckContext, name: string, subjectsFilter?: string): Promise<StreamInfo | undefined> {
  const jsm = await ctx.jsm();
  try {
    return await jsm.streams.info(name, subjectsFilter ? { subjects_filter: subjectsFilter } : undefined);
  } catch (err) {
    if ((err as { code?: number }).code === 10059) return undefined; // stream not found
    throw err;
  }
}

async function mustExist(ctx: CheckContext, name: string): Promise<StreamInfo> {
  const si = await streamInfo(ctx, name);
  if (si) return si;
  return ctx.fail({
    expected: `the stream ${name}`,
    seen: `${name} is gone: it was deleted while the check ran`,
    idea: "A stream lives on the server until it is deleted",
    hint: "Run the check again and leave the stream in place.",
  });
}

/** Why is there no stream? A name in the wrong case, or another stream that already takes the subjects. */
async function noStream(ctx: CheckContext, name: string) {
  const jsm = await ctx.jsm();
  const others: StreamInfo[] = [];
  for await (const si of jsm.streams.list()) others.push(si);
  const probe = ctx.subject(`sensors.${NEW_SITE}.temp`);
  const rival = others.find((si) => (si.config.subjects ?? []).some((p) => ctx.matches(p, probe) || ctx.matches(probe, p)));
  const similar = others.find((si) => si.config.name.toLowerCase() === name.toLowerCase() || si.config.name.toLowerCase().includes("sensor"));
  if (rival) {
    return {
      expected: `a stream named ${name}`,
      seen: `no ${name}; the stream ${rival.config.name} already captures ${(rival.config.subjects ?? []).map((s) => ctx.unprefix(s)).join(", ")}, so the server refuses a new stream with overlapping subjects (error 10065)`,
      idea: "Two streams may not capture the same subject",
      hint: `Delete ${rival.config.name} if you no longer need it (nats stream rm ${rival.config.name}), then create ${name}.`,
    };
  }
  return {
    expected: `a stream named ${name}`,
    seen: similar
      ? `no ${name}, but a stream named ${similar.config.name}: stream names must match exactly, and are case sensitive`
      : `no stream named ${name} appeared before the time limit${others.length ? ` (the server has ${others.map((s) => s.config.name).join(", ")})` : ""}`,
    idea: "A stream is created once, by name, and then captures its subjects on the server",
    hint: `Run the check first, then in a second terminal: nats stream add ${name} --subjects "..." --defaults (or streams.add({ name: "${name}", subjects: [...] }) in TypeScript).`,
  };
}
