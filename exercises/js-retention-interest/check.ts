import type { Check, CheckContext, SeenMessage } from "../../src/check/types.js";
import type { ConsumerInfo, StreamInfo } from "@nats-io/jetstream";

const STREAM = "SIGNUPS";
const SERVICES = ["mailer", "crm"];

// What the first check saw on the wire, for the messages of the later ones.
let published: SeenMessage | undefined;

export const checks: Check[] = [
  {
    name: "you create SIGNUPS with the consumers mailer and crm, and publish a sign-up",
    idea: "An interest stream keeps messages for its consumers: the stream, the consumers, then the messages",
    async run(ctx) {
      const name = ctx.name(STREAM);
      published = undefined;
      await deleteStream(ctx, name); // a clean slate: what you create now is what is judged
      const keep = keepUnlessFailed(ctx, name);
      const wire = ctx.watch(ctx.subject("signups.>"), { label: "your sign-up" });
      await ctx.flush();
      ctx.waiting(`Create ${name} and its consumers mailer and crm, then publish a sign-up to ${ctx.subject("signups.web")}`);
      const [m] = await wire.waitFor(1, { timeoutMs: Math.max(0, ctx.remainingMs() - 8000) });
      if (!m) {
        const si = await streamInfo(ctx, name);
        return ctx.fail({
          expected: `a sign-up published to signups.web`,
          seen: si ? `${name} exists, but no message on signups.> before the time limit` : `no stream ${name}, and no message on signups.>`,
          idea: "The check can only see what happens while it runs",
          hint: `Run the check first, then act in a second terminal; finish with nats pub ${ctx.subject("signups.web")} "Ada".`,
        });
      }
      published = m;
      // The consumers may come a moment after the sign-up: give them 5 s.
      const found = await ctx.poll(5000, async () => {
        const si = await streamInfo(ctx, name);
        const cs = si ? await consumers(ctx, name) : [];
        return si && SERVICES.every((s) => cs.some((c) => c.name === s)) ? { si, cs } : undefined;
      });
      if (!found) {
        const si = await streamInfo(ctx, name);
        const cs = si ? await consumers(ctx, name) : [];
        return ctx.fail({
          expected: `the stream ${name} with the durable consumers ${SERVICES.join(" and ")}`,
          seen: !si
            ? `a sign-up "${m.text}" on ${ctx.unprefix(m.subject)}, but no stream named ${name}`
            : `${name} has ${cs.length ? `the consumers ${cs.map((c) => c.name).join(", ")}` : "no consumers"}`,
          idea: "A durable consumer has a name, the one the service binds to",
          hint: `nats consumer add ${name} mailer --pull --ack explicit --defaults, and the same for crm (in TypeScript: jsm.consumers.add(stream, { durable_name: "mailer", ack_policy: "explicit" })).`,
        });
      }
      keep();
      return `${name} with consumers ${found.cs.map((c) => c.name).join(", ")}; "${m.text}" published on ${ctx.unprefix(m.subject)}`;
    },
  },
  {
    name: "SIGNUPS keeps a sign-up while a service still needs it: interest retention, explicit acks",
    idea: "The retention policy decides when a stored message is removed",
    async run(ctx) {
      const name = ctx.name(STREAM);
      const keep = keepUnlessFailed(ctx, name);
      const si = await mustExist(ctx, name);
      const retention = si.config.retention;
      if (retention !== "interest") {
        return ctx.fail({
          expected: `${name} with interest retention: a sign-up stays until both mailer and crm have acknowledged it, then goes`,
          seen:
            retention === "limits"
              ? `${name} has limits retention: sign-ups stay after both services acknowledged them, until a limit removes them. Nobody needs them by then; they only fill the disk`
              : `${name} has ${retention} retention: the first service's acknowledgement would delete the sign-up, and the other service would never get it`,
          idea: "Interest retention keeps a message until every consumer has acknowledged it",
          hint: `Run the check again (it deletes the old ${name}) and create ${name} with --retention interest (retention: "interest"). nats-server 2.9 cannot change the retention of an existing stream.`,
        });
      }
      const cs = await consumers(ctx, name);
      for (const s of SERVICES) {
        const c = cs.find((x) => x.name === s)!;
        if (c.config.deliver_subject) {
          return ctx.fail({
            expected: `${s} is a pull consumer`,
            seen: `${s} is a push consumer (it delivers to ${c.config.deliver_subject})`,
            idea: "A pull consumer hands out messages when its service asks for them",
            hint: `Create it with --pull (in TypeScript: leave deliver_subject out).`,
          });
        }
        if (c.config.ack_policy !== "explicit") {
          return ctx.fail({
            expected: `${s} acknowledges every message explicitly`,
            seen: `${s} has ack policy ${c.config.ack_policy}`,
            idea: "Interest retention removes a message once every consumer has acknowledged it: each must ack it, one by one",
            hint: `Create it with --ack explicit (ack_policy: "explicit").`,
          });
        }
      }
      keep();
      return `interest retention; ${SERVICES.join(" and ")} are pull consumers with explicit acks`;
    },
  },
  {
    name: "the sign-up waits until both mailer and crm have acknowledged it",
    idea: "An interest stream keeps a message until every consumer has acknowledged it, and drops it when nobody is interested",
    async run(ctx) {
      const name = ctx.name(STREAM);
      ctx.defer(() => deleteStream(ctx, name)); // the last check: leave nothing behind
      const si = await mustExist(ctx, name);
      const m = published;
      const what = m ? `"${m.text}" on ${ctx.unprefix(m.subject)}` : "your sign-up";
      if (si.state.messages === 0) {
        const cs = await consumers(ctx, name);
        return ctx.fail({
          expected: `${what} in ${name}, waiting for ${SERVICES.join(" and ")}`,
          seen:
            si.state.last_seq > 0
              ? `${name} holds no messages, yet it gave ${si.state.last_seq === 1 ? "the sign-up the sequence 1" : `messages the sequences up to ${si.state.last_seq}`}: it stored the sign-up and dropped it at once, because nobody was interested: when it arrived, there was no consumer yet. ${cs.map((c) => `${c.name} has ${c.num_pending} pending`).join(", ")}: consumers added later never see it`
              : `${name} never stored a message: ${what} was published before ${name} existed, or on a subject it does not capture`,
          idea: "An interest stream keeps a message only for the consumers that exist when it arrives; with none, it is dropped at once",
          hint: "Create the stream, then the consumers mailer and crm, and only then publish the sign-up (run the check again: it starts from scratch).",
        });
      }
      const js = ctx.js();
      const take = async (service: string) => {
        const consumer = await js.consumers.get(name, service);
        const pending = (await consumer.info()).num_pending;
        let n = 0;
        for (let i = 0; i < pending; i++) {
          const msg = await consumer.next({ expires: 1000 });
          if (!msg) break;
          await msg.ackAck();
          n++;
        }
        return n;
      };
      const held = async () => (await mustExist(ctx, name)).state.messages;
      const before = si.state.messages;
      const mailerTook = await take("mailer");
      const afterMailer = await held();
      ctx.note(`mailer acknowledged ${mailerTook}; ${name} holds ${afterMailer}`);
      if (afterMailer < before) {
        return ctx.fail({
          expected: `after the mailer acknowledged ${mailerTook} sign-up(s), ${name} still holds ${before}: the crm has not had them`,
          seen: `${name} holds ${afterMailer}`,
          idea: "An interest stream keeps a message until every consumer has acknowledged it",
          hint: `Create ${name} with interest retention and both consumers before you publish.`,
        });
      }
      const crmTook = await take("crm");
      const left = (await ctx.poll(2000, async () => ((await held()) === 0 ? 0 : undefined))) ?? (await held());
      if (left !== 0) {
        return ctx.fail({
          expected: `${name} empty once both mailer and crm acknowledged every sign-up`,
          seen: `the mailer acknowledged ${mailerTook}, the crm ${crmTook}; ${name} still holds ${left}`,
          idea: "An interest stream removes a message once every consumer has acknowledged it",
          hint: `Are there other consumers on ${name}? Each one counts as interest: nats consumer ls ${name}.`,
        });
      }
      return `${what}: kept after the mailer acknowledged it (${name} held ${afterMailer}), gone after the crm did (${name} holds 0)`;
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

async function streamInfo(ctx: CheckContext, name: string): Promise<StreamInfo | undefined> {
  const jsm = await ctx.jsm();
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if ((err as { code?: number }).code === 10059) return undefined; // stream not found
    throw err;
  }
}

async function consumers(ctx: CheckContext, name: string): Promise<ConsumerInfo[]> {
  const jsm = await ctx.jsm();
  const out: ConsumerInfo[] = [];
  for await (const ci of jsm.consumers.list(name)) out.push(ci);
  return out;
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
