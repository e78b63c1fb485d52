import type { Check, CheckContext, SeenMessage, Watcher } from "../../src/check/types.js";
import type { ObjectInfo, ObjectStore } from "@nats-io/obj";

const STORE = "ARTIFACTS";
const APPS = ["web", "billing", "search", "mailer", "stock", "auth", "reports"];

export const checks: Check[] = [
  {
    name: "it announces the builds stored before it started, then each new and deleted one",
    idea: "A list is a snapshot; a watch (with includeHistory) is the snapshot followed by every change",
    async run(ctx) {
      const jsm = await ctx.jsm();
      const store = ctx.name(STORE);
      const stream = `OBJ_${store}`;
      await jsm.streams.delete(stream).catch(() => {});
      ctx.defer(() => jsm.streams.delete(stream).catch(() => {}));
      const os = await ctx.objm().create(store);

      const apps = [...APPS].sort(() => Math.random() - 0.5);
      const before = [await build(os, apps[0]), await build(os, apps[1])];
      ctx.note(`stored before the catalog starts: ${before.map((b) => b.name).join(", ")}`);

      const out = ctx.watch(ctx.subject("catalog.>"), { label: "announcements" });
      await ctx.flush();
      const program = await ctx.startProgram();

      // 1. The snapshot: both builds that were there before. Fail fast on a changes-only watch.
      let changesOnly: string | undefined;
      const gotBefore = await ctx.poll(6000, async () => {
        if (before.every((b) => added(ctx, out, b.name))) return true;
        changesOnly ??= await changesOnlyWatch(ctx, stream, store);
        return changesOnly ? false : undefined;
      });
      if (!gotBefore) {
        const missing = before.filter((b) => !added(ctx, out, b.name)).map((b) => b.name);
        return ctx.fail({
          expected: `catalog.added for the builds stored before your catalog started: ${before.map((b) => b.name).join(", ")}`,
          seen: `no catalog.added for ${missing.join(", ")}${changesOnly ? `: your catalog watches the store with a consumer whose deliver_policy is "new" (${changesOnly}), so it is told only about changes from now on` : ""}. ${heard(ctx, out)}`,
          idea: "An object store watch starts with changes only, unless includeHistory: true asks for every object that is there first",
          hint: "artifacts.watch({ includeHistory: true }): the objects already stored, then every change.",
        });
      }
      const wrong = before.map((b) => checkRecord(ctx, out, b)).find(Boolean);
      if (wrong) return ctx.fail(wrong);

      // 2. A new build, stored while the catalog runs.
      const fresh = await build(os, apps[2]);
      ctx.note(`stored ${fresh.name} while the catalog runs`);
      const gotFresh = await ctx.poll(2000, () => (added(ctx, out, fresh.name) ? true : undefined));
      if (!gotFresh) {
        const listedOnce = (await watchConsumers(ctx, stream, store)).length === 0;
        return ctx.fail({
          expected: `catalog.added for ${fresh.name}, stored after your catalog started`,
          seen: `nothing for ${fresh.name} within 2 s${listedOnce ? `, and your catalog has no watch open on ${STORE}: it announced what list() returned and stopped looking: a list is a snapshot of one moment` : ""}${program.isRunning() ? "" : "; your catalog has stopped"}. ${heard(ctx, out)}`,
          idea: "A list is a snapshot of one moment; a watch keeps telling you about changes",
          hint: "Replace list() with artifacts.watch({ includeHistory: true }) and a for await over it.",
        });
      }
      const wrongFresh = checkRecord(ctx, out, fresh);
      if (wrongFresh) return ctx.fail(wrongFresh);

      // 3. A deleted build.
      const gone = before[0];
      await os.delete(gone.name);
      ctx.note(`deleted ${gone.name}`);
      const gotGone = await ctx.poll(2000, () => (removed(ctx, out, gone.name) ? true : undefined));
      if (!gotGone) {
        const readdedLater = out.messages.filter((m) => m.subject === ctx.subject("catalog.added") && nameOf(m) === gone.name).length > 1;
        return ctx.fail({
          expected: `catalog.removed {"name":"${gone.name}"} after I deleted it`,
          seen: readdedLater
            ? `your catalog announced ${gone.name} as added again: a delete arrives on the watch as the object's info with deleted: true`
            : `nothing for ${gone.name} within 2 s. ${heard(ctx, out)}`,
          idea: "A delete is a change too: the watch delivers the object's info with deleted set to true",
          hint: 'if (info.deleted) nc.publish(`${prefix}catalog.removed`, JSON.stringify({ name: info.name }))',
        });
      }
      return `announced ${before.length} stored builds, then ${fresh.name} as it came and ${gone.name} as it went`;
    },
  },
];

interface Build {
  name: string;
  info: ObjectInfo;
  version: string;
}

async function build(os: ObjectStore, app: string): Promise<Build> {
  const version = `${1 + Math.floor(Math.random() * 3)}.${Math.floor(Math.random() * 20)}.${Math.floor(Math.random() * 10)}`;
  const name = `${app}-${version}.tgz`;
  const data = new Uint8Array(150_000 + Math.floor(Math.random() * 200_000));
  for (let i = 0; i < data.length; i += 997) data[i] = Math.floor(Math.random() * 256);
  const info = await os.putBlob({ name, metadata: { app, version } }, data);
  return { name, info, version };
}

function parse(m: SeenMessage): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(m.text);
    return v && typeof v === "object" ? v : undefined;
  } catch {
    return undefined;
  }
}

function nameOf(m: SeenMessage): unknown {
  return parse(m)?.name;
}

function added(ctx: CheckContext, out: Watcher, name: string): boolean {
  return out.messages.some((m) => m.subject === ctx.subject("catalog.added") && nameOf(m) === name);
}

function removed(ctx: CheckContext, out: Watcher, name: string): boolean {
  return out.messages.some((m) => m.subject === ctx.subject("catalog.removed") && nameOf(m) === name);
}

function checkRecord(ctx: CheckContext, out: Watcher, b: Build) {
  const m = out.messages.find((x) => x.subject === ctx.subject("catalog.added") && nameOf(x) === b.name)!;
  const rec = parse(m) ?? {};
  const want: Record<string, unknown> = { name: b.name, size: b.info.size, digest: b.info.digest, version: b.version };
  const bad = Object.keys(want).filter((k) => rec[k] !== want[k]);
  if (!bad.length) return undefined;
  return {
    expected: `catalog.added ${JSON.stringify(want)}`,
    seen: `catalog.added ${m.text.slice(0, 300)}: ${bad.map((k) => `${k} is ${JSON.stringify(rec[k])}, the object's is ${JSON.stringify(want[k])}`).join("; ")}`,
    idea: "An object's info (name, size, digest, metadata) comes with every list and watch entry: no need to fetch the data",
    hint: "Take name, size and digest from the info, and version from info.metadata.version.",
  };
}

function heard(ctx: CheckContext, out: Watcher): string {
  const lines = out.messages.map((m) => `${ctx.unprefix(m.subject)} ${m.text.slice(0, 80)}`);
  return lines.length ? `I heard: ${lines.slice(-6).join(" | ")}` : "I heard nothing on catalog.>";
}

/** Push consumers on the store's meta subjects with a subscriber now: the catalog's open watches (the checker makes none). */
async function watchConsumers(ctx: CheckContext, stream: string, store: string) {
  const jsm = await ctx.jsm();
  const out = [];
  try {
    for await (const ci of jsm.consumers.list(stream)) out.push(ci);
  } catch {
    // no stream, no consumers
  }
  return out.filter((ci) => ci.config.deliver_subject && ci.push_bound && (ci.config.filter_subject ?? "").startsWith(`$O.${store}.M`));
}

async function changesOnlyWatch(ctx: CheckContext, stream: string, store: string): Promise<string | undefined> {
  const ci = (await watchConsumers(ctx, stream, store)).find((c) => c.config.deliver_policy === "new");
  return ci ? `consumer ${ci.name}` : undefined;
}
