import type { Check, CheckContext, SeenMessage } from "../../src/check/types.js";
import type { KvEntry } from "@nats-io/kv";

const BUCKET = "WISHES";
const TEAMS = ["alpha", "bravo", "falcon", "otter", "quokka", "tundra", "zephyr"];
const EXPECT_HDR = "Nats-Expected-Last-Subject-Sequence";

interface Wish {
  team: string;
  size: string;
  replicas: number;
  addons: string[];
}

interface Round {
  key: string;
  team: string;
  add: number;
  first: Wish;
  firstRev: number;
  /** What the other admin did while the program asked for capacity, and at which revision. */
  other?: { rev: number; wish?: Wish };
  capacity: Array<{ team?: string; replicas?: number; raw: string }>;
  reply: string;
  replyKind: "reply" | "timeout" | "no-responders";
  /** The program's writes: history entries after the other admin's change. */
  writes: KvEntry[];
  /** The program's write messages as they passed on the wire (with their headers). */
  wire: SeenMessage[];
}

export const checks: Check[] = [
  {
    name: "it never overwrites a change made while it worked",
    idea: "Compare-and-set: write with the revision you read, and start over when the key has moved on",
    async run(ctx) {
      const r = await playRound(ctx, "update");
      const other = r.other;
      if (!other?.wish) return ctx.fail(noCapacity(ctx, r));
      const want: Wish = { ...other.wish, replicas: other.wish.replicas + r.add };
      const story = `your program read ${r.key} at revision ${r.firstRev} (replicas ${r.first.replicas}); while it asked for capacity, another admin wrote revision ${other.rev} (replicas ${other.wish.replicas}, add-on "redis" added)`;
      const expected = `${r.key} ends with replicas ${want.replicas} and the add-ons ${want.addons.join(", ")}: the other admin's change kept, and ${r.add} replica${r.add === 1 ? "" : "s"} added on top`;

      if (r.capacity[0].replicas !== r.first.replicas + r.add) {
        return ctx.fail({
          expected: `a capacity request for ${r.first.replicas + r.add} replicas (the wish had ${r.first.replicas}, the request adds ${r.add})`,
          seen: `the first capacity request was ${r.capacity[0].raw}`,
          idea: "Read the current value first, then compute the new one from it",
          hint: 'Send {"team": <team>, "replicas": <replicas in the wish + add>} to capacity.check.',
        });
      }
      if (r.writes.length === 0) {
        const gaveUp = /wrong last sequence|10071/i.test(r.reply);
        return ctx.fail({
          expected,
          seen: `${story}. ${
            gaveUp
              ? `Your program's write was refused, as it should be, and it answered "${r.reply}": it gave up instead of starting over`
              : `Your program wrote nothing after that; it answered ${r.replyKind === "reply" ? `"${r.reply}"` : `nothing (${r.replyKind})`}`
          }`,
          idea: "A conflict (10071, wrong last sequence) means: somebody else wrote first. Read again and retry",
          hint: "Put read, work and update in a loop: on JetStreamApiError code 10071, continue with a fresh kv.get().",
        });
      }
      const final = r.writes[r.writes.length - 1];
      const got = parse(final);
      const lost = !got || !got.addons?.includes("redis") || got.replicas !== want.replicas;
      if (lost) {
        const blind = r.wire.find((m) => !m.headers?.get(EXPECT_HDR));
        const gotText = got ? `replicas ${got.replicas}, add-ons ${(got.addons ?? []).join(", ") || "none"}` : `"${final.string()}"`;
        if (blind || r.wire.length === 0) {
          return ctx.fail({
            expected,
            seen: `${story}. Your program then wrote revision ${final.revision} (${gotText}) with a plain put, which carries no expected revision: it overwrote a change it had never seen, and the redis add-on is lost`,
            idea: "A put writes whatever happened to the key in between; update(key, value, revision) writes only if the key is still at that revision",
            hint: "Write with kv.update(key, value, entry.revision); when it fails with code 10071, read the wish again and start over.",
          });
        }
        return ctx.fail({
          expected,
          seen: `${story}. Your program's update conflicted, then it wrote revision ${final.revision} (${gotText}) with expected revision ${r.wire[r.wire.length - 1].headers?.get(EXPECT_HDR)}: it retried with the fresh revision but the old value, so it still overwrote the change`,
          idea: "Retrying a compare-and-set means redoing the work from the fresh value, not just taking the new revision",
          hint: "After a conflict, start over from kv.get(): the new entry's value AND revision.",
        });
      }
      if (r.capacity.length < 2 || r.capacity[r.capacity.length - 1].replicas !== want.replicas) {
        return ctx.fail({
          expected: `capacity asked again for ${want.replicas} replicas before the wish is written with ${want.replicas}`,
          seen: `${story}. Your program wrote replicas ${want.replicas}, but the capacity requests were ${r.capacity.map((c) => c.raw).join(", ")}: the number it wrote was never checked`,
          idea: "After a conflict, everything computed from the old value is stale, checks included",
          hint: "Start the whole loop body again: get, ask capacity with the new total, update.",
        });
      }
      if (!r.reply.startsWith("ok")) {
        return ctx.fail({
          expected: `the answer "ok replicas=${want.replicas}"`,
          seen: `"${r.reply}"`,
          idea: "A request deserves an answer that says what happened",
          hint: `m.respond(\`ok replicas=\${replicas}\`) once the update succeeded.`,
        });
      }
      const attempts = r.wire.length;
      return `conflict at revision ${other.rev} seen; after ${attempts} write${attempts === 1 ? "" : "s"}, revision ${final.revision} has replicas ${got!.replicas} and redis`;
    },
  },
  {
    name: "it does not bring back a wish deleted while it worked",
    idea: "A delete is a write too: it moves the revision, and kv.get() then returns an entry whose operation is DEL",
    async run(ctx) {
      const r = await playRound(ctx, "delete");
      const other = r.other;
      if (!other) return ctx.fail(noCapacity(ctx, r));
      const story = `your program read ${r.key} at revision ${r.firstRev}; while it asked for capacity, an admin deleted the wish (revision ${other.rev})`;
      const put = r.writes.find((e) => e.operation === "PUT");
      if (put) {
        return ctx.fail({
          expected: `no write after the delete, and the answer "error: no wish for ${r.team}"`,
          seen: `${story}. Your program then wrote revision ${put.revision} and brought the deleted wish back to life (${put.string()})`,
          idea: "kv.get() of a deleted key returns the delete marker (operation DEL or PURGE), not null",
          hint: 'After each get: if (!entry || entry.operation !== "PUT") answer "error: no wish for <team>".',
        });
      }
      if (!/no wish/.test(r.reply)) {
        return ctx.fail({
          expected: `the answer "error: no wish for ${r.team}"`,
          seen: `${story}. Your program wrote nothing (good) and answered ${r.replyKind === "reply" ? `"${r.reply}"` : `nothing (${r.replyKind})`}${
            /JSON/i.test(r.reply) ? ": it tried to parse the delete marker, whose value is empty" : ""
          }`,
          idea: "kv.get() of a deleted key returns the delete marker (operation DEL or PURGE, empty value), not null",
          hint: `Answer "error: no wish for ${r.team}" when the entry is missing or its operation is not PUT.`,
        });
      }
      return `the wish stayed deleted; answered "${r.reply}"`;
    },
  },
];

/** One scale request while another admin updates or deletes the wish during the capacity check. */
async function playRound(ctx: CheckContext, interference: "update" | "delete"): Promise<Round> {
  const name = ctx.name(BUCKET);
  const jsm = await ctx.jsm();
  await jsm.streams.delete(`KV_${name}`).catch(() => {});
  ctx.defer(() => jsm.streams.delete(`KV_${name}`).catch(() => {}));
  const kv = await ctx.kvm().create(name, { history: 10 });

  const team = TEAMS[Math.floor(Math.random() * TEAMS.length)];
  const key = `env.${team}`;
  const add = 1 + Math.floor(Math.random() * 3);
  const first: Wish = { team, size: "small", replicas: 2 + Math.floor(Math.random() * 3), addons: ["postgres"] };
  const firstRev = await kv.put(key, JSON.stringify(first));
  ctx.note(`wish ${key} at revision ${firstRev}: ${JSON.stringify(first)}`);

  const round: Round = { key, team, add, first, firstRev, capacity: [], reply: "", replyKind: "reply", writes: [], wire: [] };
  const mine = new Set<string>();
  // The capacity service. The first time it is asked, another admin changes the wish before it answers.
  const capacity = ctx.nc.subscribe(ctx.subject("capacity.check"), {
    callback: (err, m) => {
      if (err) return;
      void (async () => {
        let parsed: { team?: string; replicas?: number } = {};
        try {
          parsed = m.json();
        } catch {
          // shown raw below
        }
        round.capacity.push({ ...parsed, raw: m.string() });
        if (round.capacity.length === 1) {
          if (interference === "update") {
            const wish: Wish = { ...first, replicas: first.replicas + 1, addons: [...first.addons, "redis"] };
            const text = JSON.stringify(wish);
            mine.add(text);
            const rev = await kv.put(key, text);
            round.other = { rev, wish };
            ctx.note(`another admin wrote revision ${rev}: ${text}`);
          } else {
            await kv.delete(key);
            const e = await kv.get(key);
            round.other = { rev: e?.revision ?? firstRev + 1 };
            ctx.note(`an admin deleted ${key} (revision ${round.other.rev})`);
          }
        }
        m.respond("ok");
      })();
    },
  });
  ctx.defer(() => capacity.unsubscribe());
  const writes = ctx.watch(`$KV.${name}.${key}`, { label: "writes" });
  await ctx.flush();

  const program = await ctx.startProgram();
  const subs = await ctx.waitForSubscriptions({ subject: ctx.subject("wishes.scale"), count: 1, timeoutMs: 8000 });
  if (!subs.length) {
    const own = (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
    ctx.fail({
      expected: "your program subscribes to wishes.scale",
      seen: own.length ? `it subscribes to ${own.map((s) => ctx.unprefix(s.subject)).join(", ")}` : program.isRunning() ? "no subscription" : "it stopped before subscribing",
      idea: "A service receives requests through a subscription on their subject",
      hint: "nc.subscribe(`${prefix}wishes.scale`) after opening the bucket; its output is below.",
    });
  }

  const outcome = await ctx.request(ctx.subject("wishes.scale"), JSON.stringify({ team, add }), { timeoutMs: 8000 });
  round.replyKind = outcome.kind;
  if (outcome.kind === "reply") round.reply = outcome.message.text;
  ctx.note(`scale ${team} +${add}: ${outcome.kind === "reply" ? `"${round.reply}"` : outcome.kind}`);

  const otherRev = round.other?.rev ?? firstRev;
  for await (const e of await kv.history({ key })) if (e.revision > otherRev) round.writes.push(e);
  round.wire = writes.messages.filter((m) => !mine.has(m.text) && !m.headers?.get("KV-Operation"));
  return round;
}

function noCapacity(ctx: CheckContext, r: Round) {
  return {
    expected: `your program asks capacity.check before writing ${r.key}`,
    seen:
      r.writes.length > 0
        ? `it wrote revision ${r.writes[0].revision} without asking capacity.check`
        : `no request on capacity.check; your program answered ${r.replyKind === "reply" ? `"${r.reply}"` : `nothing (${r.replyKind})`}`,
    idea: "A request on capacity.check asks the capacity service, which answers ok or no room",
    hint: `await nc.request(\`\${prefix}capacity.check\`, JSON.stringify({ team, replicas }), { timeout: 2000 }) between reading and writing.`,
  };
}

function parse(e: KvEntry): Wish | undefined {
  try {
    return e.json<Wish>();
  } catch {
    return undefined;
  }
}
