import type { Check, CheckContext } from "../../src/check/types.js";
import type { AckPolicy, ConsumerInfo } from "@nats-io/jetstream";

const STREAM = "PHOTOS";
const CONSUMER = "thumbnailer";
const PHOTOS = 6;
const ACK_WAIT_NS = 2e9;

type Event =
  | { kind: "request"; photo: string; attempt: number }
  | { kind: "reply"; photo: string; attempt: number; ok: boolean; text: string }
  | { kind: "ack"; photo: string; what: string; delivered: number };

interface Round {
  photos: string[];
  unlucky: string;
  /** In the order the check saw them: requests and replies on thumbnail.render, acks on $JS.ACK. */
  events: Event[];
  info?: ConsumerInfo;
  programRunning: boolean;
}
let round: Round | undefined;

const ACK_NAMES: Record<string, string> = { "+ACK": "ack", "-NAK": "nak", "+WPI": "in progress", "+TERM": "term", "+NXT": "ack (next)" };
const isDone = (what: string) => what === "ack" || what === "ack (next)" || what === "term";

export const checks: Check[] = [
  {
    name: "it acks each photo only after the renderer answered ok",
    idea: "An ack tells the server the message is done and can be forgotten: send it after the work, never before",
    async run(ctx) {
      round = undefined;
      const r = await play(ctx);
      round = r;
      // The unlucky photo first: its story shows what an early ack costs.
      for (const photo of [r.unlucky, ...r.photos.filter((p) => p !== r.unlucky)]) {
        const evs = r.events.filter((e) => e.photo === photo);
        const firstDone = evs.findIndex((e) => e.kind === "ack" && isDone(e.what));
        if (firstDone < 0) continue;
        if (evs.slice(0, firstDone).some((e) => e.kind === "reply" && e.ok)) continue;
        const ack = evs[firstDone] as Extract<Event, { kind: "ack" }>;
        const asked = evs.slice(0, firstDone).some((e) => e.kind === "request");
        const failed = evs.find((e): e is Extract<Event, { kind: "reply" }> => e.kind === "reply" && !e.ok);
        const rendered = evs.some((e) => e.kind === "reply" && e.ok);
        const state = r.info ? ` The consumer shows num_ack_pending ${r.info.num_ack_pending}, num_redelivered ${r.info.num_redelivered}, ack floor at stream sequence ${r.info.ack_floor.stream_seq}: as far as the server knows, every photo is done.` : "";
        const consequence = failed && !rendered
          ? ` Then its render failed ("${failed.text}"), and since it was acked the server will never deliver it again: ${photo} has no thumbnail, and never will.${state}`
          : ` Had its render failed, nothing would have brought it back.`;
        return ctx.fail({
          expected: `the ack of ${photo} after the renderer answered "ok" for it`,
          seen: `${photo} was acked before the render ${asked ? "had answered" : "was even asked for"} (the ${ack.what} reached the server ${asked ? "while the render request was open" : "before your render request"}).${consequence}`,
          idea: "Ack after the work is done: an acked message is gone for good, so work that fails after the ack is lost",
          hint: 'Move m.ack() after the render answered "ok"; when it fails, m.nak() so the server delivers the photo again.',
        });
      }
      // Acked after a failed render, and never rendered since.
      for (const photo of r.photos) {
        const evs = r.events.filter((e) => e.photo === photo);
        if (evs.some((e) => e.kind === "reply" && e.ok)) continue;
        const failed = evs.find((e) => e.kind === "reply" && !e.ok);
        if (failed && evs.some((e) => e.kind === "ack" && isDone(e.what))) {
          return ctx.fail({
            expected: `${photo}: no ack while its render has failed`,
            seen: `the renderer answered "${"text" in failed ? failed.text : ""}" for ${photo}, and your program acked it anyway: the server forgot it, and it has no thumbnail`,
            idea: "An ack means done; a failed job is not done",
            hint: 'Ack only when the render answered "ok"; otherwise m.nak().',
          });
        }
      }
      const neverAcked = r.photos.filter((p) => r.events.some((e) => e.kind === "reply" && e.ok && e.photo === p) && !r.events.some((e) => e.kind === "ack" && e.photo === p && isDone(e.what)));
      // If this server does not let the check see acks ($JS.ACK.> is denied), trust the consumer's state.
      const sawAcks = r.events.some((e) => e.kind === "ack");
      const allAcked = r.info !== undefined && r.info.num_ack_pending === 0 && r.info.num_pending === 0;
      if (neverAcked.length && !(allAcked && !sawAcks)) {
        return ctx.fail({
          expected: "an ack for each photo once its thumbnail is rendered",
          seen: `${neverAcked.join(", ")} ${neverAcked.length === 1 ? "was" : "were"} rendered but never acked: num_ack_pending is ${r.info?.num_ack_pending ?? "?"}, num_redelivered ${r.info?.num_redelivered ?? "?"}. After ack wait (2 s) the server delivers ${neverAcked.length === 1 ? "it" : "them"} again, and ${neverAcked.length === 1 ? "it is" : "they are"} rendered again and again`,
          idea: "With explicit acks a delivered message stays pending until it is acked, and is redelivered after ack_wait",
          hint: 'm.ack() once the renderer answered "ok".',
        });
      }
      const unasked = r.photos.filter((p) => !r.events.some((e) => e.kind === "request" && e.photo === p));
      if (unasked.length) {
        return ctx.fail({
          expected: `a render request on thumbnail.render for each of the ${PHOTOS} photos`,
          seen: `none for ${unasked.join(", ")}${r.programRunning ? "" : " (your program has stopped)"}; the consumer has delivered up to stream sequence ${r.info?.delivered.stream_seq ?? "?"}`,
          idea: "A pull consumer delivers every message of the stream to the program that consumes it",
          hint: "for await (const m of await consumer.consume()) { ... nc.request(`${prefix}thumbnail.render`, m.string(), ...) ... }",
        });
      }
      return `${PHOTOS} photos, each acked after its "ok"`;
    },
  },
  {
    name: "a photo whose render failed is delivered again and rendered",
    idea: "A nak (or a missing ack) makes the server deliver the message again: that is how failed work is retried",
    async run(ctx) {
      const r = round;
      if (!r) return ctx.fail({ expected: "the round played by the check before", seen: "none", idea: "Each check judges the round the first check played", hint: "Run the whole check again." });
      const evs = r.events.filter((e) => e.photo === r.unlucky);
      const attempts = evs.filter((e) => e.kind === "request").length;
      const ok = evs.some((e) => e.kind === "reply" && e.ok);
      if (!ok) {
        return ctx.fail({
          expected: `${r.unlucky} rendered in the end: its first render failed on purpose, the second one works`,
          seen: `${attempts} render request${attempts === 1 ? "" : "s"} for ${r.unlucky}; ${evs.filter((e) => e.kind === "ack").map((e) => ("what" in e ? e.what : "")).join(", ") || "no ack or nak"} from your program for it`,
          idea: "Failed work is retried by delivering the message again: a nak asks for it at once, a missing ack gets it after ack_wait",
          hint: "When the render fails, m.nak(): the consumer delivers the photo again.",
        });
      }
      const naked = evs.some((e) => e.kind === "ack" && e.what === "nak");
      return `${r.unlucky}: failed once, ${naked ? "nak'ed, " : ""}delivered again and rendered (${attempts} attempts)`;
    },
  },
];

async function play(ctx: CheckContext): Promise<Round> {
  const name = ctx.name(STREAM);
  const jsm = await ctx.jsm();
  await jsm.streams.delete(name).catch(() => {});
  await jsm.streams.add({ name, subjects: [ctx.subject("photos.>")] });
  ctx.defer(() => jsm.streams.delete(name).catch(() => {}));
  await jsm.consumers.add(name, { durable_name: CONSUMER, ack_policy: "explicit" as AckPolicy, ack_wait: ACK_WAIT_NS, max_deliver: 10 });

  const names = new Set<string>();
  while (names.size < PHOTOS) names.add(`IMG_${Math.floor(1000 + Math.random() * 9000)}.jpg`);
  const photos = [...names];
  const unlucky = photos[1 + Math.floor(Math.random() * 3)];
  const events: Event[] = [];
  const bySeq = new Map<number, string>();
  const attempts = new Map<string, number>();

  // The renderer the worker calls: the first render of the unlucky photo fails.
  ctx.nc.subscribe(ctx.subject("thumbnail.render"), {
    callback: (_err, m) => {
      const photo = m.string();
      const attempt = (attempts.get(photo) ?? 0) + 1;
      attempts.set(photo, attempt);
      events.push({ kind: "request", photo, attempt });
      const ok = !(photo === unlucky && attempt === 1);
      const text = ok ? `ok thumbs/${photo}` : "error: renderer busy, try again";
      events.push({ kind: "reply", photo, attempt, ok, text });
      m.respond(text);
    },
  });
  // Acks are messages too: the worker publishes them to the reply subject of each delivery.
  ctx.nc.subscribe("$JS.ACK.>", {
    callback: (_err, m) => {
      const t = m.subject.split(".");
      const [stream, consumer, delivered, sseq] = t.length >= 12 ? [t[4], t[5], t[6], t[7]] : [t[2], t[3], t[4], t[5]];
      if (stream !== name || consumer !== CONSUMER) return;
      const photo = bySeq.get(Number(sseq)) ?? `stream sequence ${sseq}`;
      const body = m.string().trim();
      const what = ACK_NAMES[body.split(" ")[0]] ?? (body === "" ? "ack" : body);
      events.push({ kind: "ack", photo, what, delivered: Number(delivered) });
      ctx.note(`${what} from the worker for ${photo} (delivery ${delivered})`);
    },
  });
  await ctx.flush();

  const js = ctx.js();
  for (const p of photos) bySeq.set((await js.publish(ctx.subject("photos.uploaded"), p)).seq, p);
  ctx.note(`uploaded ${photos.join(", ")}; the first render of ${unlucky} will fail`);

  const program = await ctx.startProgram();
  const done = (p: string) => {
    const evs = events.filter((e) => e.photo === p);
    const ok = evs.findIndex((e) => e.kind === "reply" && e.ok);
    return ok >= 0 && evs.slice(ok).some((e) => e.kind === "ack" && isDone(e.what));
  };
  const early = () => photos.some((p) => {
    const evs = events.filter((e) => e.photo === p);
    const a = evs.findIndex((e) => e.kind === "ack" && isDone(e.what));
    return a >= 0 && !evs.slice(0, a).some((e) => e.kind === "reply" && e.ok);
  });
  const attempted = () => photos.every((p) => attempts.has(p));
  await ctx.poll(Math.min(12_000, ctx.remainingMs() - 5000), () => (photos.every(done) || (early() && attempted() && events.some((e) => e.photo === unlucky && e.kind === "reply" && !e.ok)) ? true : undefined));
  // Let the last acks reach the server before reading the consumer's state.
  let info: ConsumerInfo | undefined;
  await ctx.poll(1500, async () => {
    info = await jsm.consumers.info(name, CONSUMER).catch(() => undefined);
    return info && info.num_ack_pending === 0 ? true : undefined;
  });
  return { photos, unlucky, events, info, programRunning: program.isRunning() };
}
